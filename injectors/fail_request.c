// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel fault injection: fail_make_request on the scratch device through
 * debugfs (needs CONFIG_FAIL_MAKE_REQUEST; Debian's kernels lack it, and
 * the run then exits 77 saying so). fail_request=PROBABILITY,INTERVAL,TIMES
 * sets the knobs at workload start; make-it-fail is set on the block
 * device ext4 lives on and cleared at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "common/util.h"
#include "injectors/inject_internal.h"
#include "trace/trace.h"

#define FMR "/sys/kernel/debug/fail_make_request"

static int put(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

static int put_u(const char *dir, const char *name, long long v)
{
	char path[512], val[32];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(val, sizeof(val), "%lld", v);
	return put(path, val);
}

static bool wanted(const struct inject_conf *c)
{
	return c->fail_request;
}

static int check(const struct inject_conf *c, char *why, size_t len)
{
	(void)c;
	if (access(FMR, F_OK)) {
		/* debugfs is not ours to mount; say which it may be */
		snprintf(why, len,
			 "no %s: the kernel lacks CONFIG_FAIL_MAKE_REQUEST "
			 "(or debugfs is not mounted)",
			 FMR);
		return -1;
	}
	return 0;
}

/* /sys/dev/block/MAJ:MIN/make-it-fail of the device ext4 lives on */
static int make_it_fail(struct run *r, int on)
{
	struct stat st;
	char path[256];

	if (stat(r->scratch.dev, &st) < 0)
		return -1;
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/make-it-fail",
		 major(st.st_rdev), minor(st.st_rdev));
	return put(path, on ? "1" : "0");
}

static int start(struct run *r)
{
	const struct inject_conf *c = &r->inj->conf;

	if (put_u(FMR, "probability", c->fr_probability) ||
	    put_u(FMR, "interval", c->fr_interval) ||
	    put_u(FMR, "times", c->fr_times) || put_u(FMR, "verbose", 1) ||
	    make_it_fail(r, 1)) {
		msg("fail_make_request: cannot set knobs: %s", strerror(errno));
		return -1;
	}
	tr_inject("fail_request", "on", c->fr_probability);
	inject_note(r, "fail_request_on", 0, 0, c->fr_probability);
	return 0;
}

static void stop(struct run *r)
{
	make_it_fail(r, 0);
	put_u(FMR, "probability", 0);
	tr_inject("fail_request", "off", 0);
}

const struct injector_ops inj_fail_request_ops = {
	.name = "fail_make_request",
	.wanted = wanted,
	.check = check,
	.start = start,
	.stop = stop,
};
