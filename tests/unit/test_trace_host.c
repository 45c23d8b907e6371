// SPDX-License-Identifier: GPL-2.0
/*
 * Host test (root and lttng needed; fails without them): record a
 * run with UST and kernel events around real ext4 I/O in /var/tmp and check
 * that babeltrace2 shows both on one timeline, in order, with nothing lost.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cmocka.h>

#include "common/util.h"
#include "model/oracle.h"
#include "trace/trace.h"

static char tmpdir[64];
static char mnt[128];
static char loopdev[64];

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* A journalled ext4 on a loop device at tmpdir/mnt; 0 or -1. */
static int loop_mount(void)
{
	char cmd[256];
	FILE *p;

	if (sh("truncate -s 128M %s/img", tmpdir))
		return -1;
	snprintf(cmd, sizeof(cmd), "losetup -f --show %s/img", tmpdir);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	if (!fgets(loopdev, sizeof(loopdev), p))
		loopdev[0] = 0;
	pclose(p);
	loopdev[strcspn(loopdev, "\n")] = 0;
	if (!loopdev[0])
		return -1;
	snprintf(mnt, sizeof(mnt), "%s/mnt", tmpdir);
	if (sh("mkfs.ext4 -q -F %s >/dev/null 2>&1 && mkdir -p %s && "
	       "mount -t ext4 %s %s",
	       loopdev, mnt, loopdev, mnt))
		return -1;
	return 0;
}

static char *run_cmd(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	char *out = NULL;
	size_t cap = 0, n = 0;

	if (!p)
		return NULL;
	for (;;) {
		grow_array((void **)&out, &cap, n + 65537, 1);
		size_t r = fread(out + n, 1, 65536, p);

		n += r;
		if (!r)
			break;
	}
	out[n] = 0;
	pclose(p);
	return out;
}

/* /dev/NAME of the block device holding path. */
static int dev_of(const char *path, char *out, size_t len)
{
	struct stat st;
	char p[128], line[256];
	FILE *f;
	int ret = -1;

	if (stat(path, &st))
		return -1;
	snprintf(p, sizeof(p), "/sys/dev/block/%u:%u/uevent", major(st.st_dev),
		 minor(st.st_dev));
	f = fopen(p, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "DEVNAME=", 8)) {
			line[strcspn(line, "\n")] = 0;
			snprintf(out, len, "/dev/%s", line + 8);
			ret = 0;
		}
	fclose(f);
	return ret;
}

/* Timestamp (cycles) of the first line holding all of a and b, or 0. */
static uint64_t first_ts(const char *out, const char *a, const char *b)
{
	for (const char *l = out; l && *l;
	     l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *eol = strchr(l, '\n');
		const char *pa = strstr(l, a);
		const char *pb = b ? strstr(l, b) : pa;

		if (pa && pb && (!eol || (pa < eol && pb < eol)) && l[0] == '[')
			return strtoull(l + 1, NULL, 10);
	}
	return 0;
}

static void test_ust_and_kernel(void **state)
{
	char dev[300], file[160], cmd[256], *out;
	struct trace_opts o = { 0 };
	void *buf = NULL;
	int fd;
	uint64_t t0, t1, t_sub, t_conv, t_comp, t_end;

	(void)state;
	/* make check runs as root with ci/install-deps done: no skipping */
	if (geteuid())
		fail_msg("needs root");
	if (access("/usr/bin/lttng", X_OK))
		fail_msg("no /usr/bin/lttng (run ci/install-deps)");
	assert_int_equal(loop_mount(), 0);
	assert_int_equal(dev_of(mnt, dev, sizeof(dev)), 0);
	assert_string_equal(dev, loopdev);
	o.run_dir = tmpdir;
	o.dev = dev;
	o.ust = true;
	o.kernel = true;
	assert_int_equal(trace_start(&o), 0);

	tr_run_info(7, 1, "host-test");
	snprintf(file, sizeof(file), "%s/f", mnt);
	fd = open(file, O_RDWR | O_CREAT | O_DIRECT, 0644);
	assert_true(fd >= 0);
	assert_int_equal(posix_memalign(&buf, 4096, 65536), 0);
	memset(buf, 0xab, 65536);
	/* Preallocate (unwritten), then DIO-write into it: conversion. */
	assert_int_equal(fallocate(fd, 0, 0, 1 << 20), 0);
	fsync(fd);
	t0 = now_ns();
	tr_op_submit(1, OP_WRITE, 0, 0, 0, 65536, OPF_DIRECT, t0);
	assert_int_equal(pwrite(fd, buf, 65536, 0), 65536);
	t1 = now_ns();
	tr_op_complete(1, OP_WRITE, 65536, t1);
	tr_op_submit(2, OP_FSYNC, 0, 0, 0, 0, 0, now_ns());
	assert_int_equal(fsync(fd), 0);
	tr_op_complete(2, OP_FSYNC, 0, now_ns());
	tr_op_submit(3, OP_TRUNCATE, 0, 0, 4096, 0, 0, now_ns());
	assert_int_equal(ftruncate(fd, 4096), 0);
	tr_op_complete(3, OP_TRUNCATE, 0, now_ns());
	for (int i = 0; i < 2000; i++)
		tr_watchdog((uint64_t)i, 1);
	close(fd);
	free(buf);
	t_end = now_ns();
	trace_stop();
	trace_stop(); /* idempotent */

	snprintf(cmd, sizeof(cmd), "babeltrace2 --clock-cycles %s/trace 2>&1",
		 tmpdir);
	out = run_cmd(cmd);
	assert_non_null(out);
	if (strstr(out, "ERROR") || strstr(out, "discarded"))
		fprintf(stderr, "%.4000s\n", out);
	assert_null(strstr(out, "ERROR"));
	assert_null(strstr(out, "discarded"));
	/* First event of this thread: seq 0; watchdogs all there. */
	assert_non_null(strstr(out, "iorace:run_info:"));
	assert_non_null(strstr(out, "seq = 0,"));
	assert_non_null(strstr(out, "workload = \"host-test\""));
	assert_non_null(strstr(out, "id = 1999, age_ns = 1"));
	t_sub = first_ts(out, "iorace:op_submit:", "id = 1,");
	t_conv = first_ts(out, "ext4_ext_convert_to_initialized", NULL);
	if (!t_conv)
		t_conv = first_ts(out, "ext4_ext_handle_unwritten_extents",
				  NULL);
	t_comp = first_ts(out, "iorace:op_complete:", "id = 1,");
	assert_true(t_sub >= t0 && t_sub < t1);
	assert_true(t_conv > t_sub && t_conv < t_comp);
	assert_true(t_comp >= t1 && t_comp <= t_end);
	assert_true(first_ts(out, "jbd2_", NULL) > 0);
	assert_true(first_ts(out, "block_rq_complete", NULL) > 0);
	assert_true(first_ts(out, "ext4_truncate_enter", NULL) >
		    first_ts(out, "iorace:op_submit:", "id = 3,"));
	assert_true(first_ts(out, "iorace_kernel_stats", "lost = 0 }") > 0);
	/* Kernel events are filtered to the scratch device. */
	{
		struct stat sb;
		char want[64];
		size_t ndev = 0;

		assert_int_equal(stat(loopdev, &sb), 0);
		snprintf(want, sizeof(want), "dev = %llu,",
			 ((unsigned long long)major(sb.st_rdev) << 20) |
				 minor(sb.st_rdev));
		for (const char *p = strstr(out, "dev = "); p;
		     p = strstr(p + 1, "dev = ")) {
			assert_memory_equal(p, want, strlen(want));
			ndev++;
		}
		assert_true(ndev > 10);
	}
	free(out);
	/* Nothing of ours is left behind. */
	snprintf(cmd, sizeof(cmd),
		 "ls /sys/kernel/tracing/instances; lttng list 2>&1");
	out = run_cmd(cmd);
	snprintf(cmd, sizeof(cmd), "iorace-%d", (int)getpid());
	assert_null(strstr(out, cmd));
	free(out);
}

static void test_off_is_noop(void **state)
{
	(void)state;
	/* Not tracing: tr_* calls do nothing and must not crash. */
	tr_op_submit(1, OP_WRITE, 0, 0, 0, 4096, 0, 1);
	tr_read_run(1, 0, 8, 1, 0, 1, 0);
	tr_inject("x", "y", 1);
	trace_stop();
	struct trace_opts o = { .run_dir = tmpdir };

	assert_int_equal(trace_start(&o), 0); /* nothing requested */
	trace_stop();
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/var/tmp/iorace-trace-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	trace_stop();
	if (mnt[0])
		sh("umount %s 2>/dev/null", mnt);
	if (loopdev[0])
		sh("losetup -d %s", loopdev);
	mnt[0] = loopdev[0] = 0;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_off_is_noop, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ust_and_kernel, setup,
						teardown),
	};

	(void)argc;
	trace_reexec_for_blocking(argv);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
