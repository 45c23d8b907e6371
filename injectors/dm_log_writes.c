// SPDX-License-Identifier: GPL-2.0
/*
 * dm-log-writes: every write reaching the scratch device is also logged to
 * a second loop device, with a mark after each fsync/fdatasync and O_DSYNC
 * completion. After the workload the log is replayed (our own reader of
 * the documented format, inject.h) into fresh images up to marks, and each
 * state is mounted, judged with the durability oracle and fsck'ed.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/loop.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "common/util.h"
#include "injectors/inject_internal.h"
#include "injectors/lw_format.h"
#include "trace/trace.h"

#define LW_MAX_CHECKS 16

/* Attach image to a free loop device (tagged like the scratch's). */
static int loopx_attach(const char *image, int *lfd_out, char *dev,
			size_t devlen, unsigned *maj, unsigned *min)
{
	int ctl, imgfd, lfd = -1, nr;
	struct stat st;

	imgfd = open(image, O_RDWR | O_CLOEXEC);
	if (imgfd < 0)
		return -1;
	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0) {
		close(imgfd);
		return -1;
	}
	for (int tries = 0; tries < 50; tries++) {
		struct loop_config cfg;

		nr = ioctl(ctl, LOOP_CTL_GET_FREE);
		if (nr < 0)
			break;
		snprintf(dev, devlen, "/dev/loop%d", nr);
		lfd = open(dev, O_RDWR | O_CLOEXEC);
		if (lfd < 0) {
			sleep_ns(10 * NSEC_PER_MSEC);
			continue;
		}
		memset(&cfg, 0, sizeof(cfg));
		cfg.fd = (uint32_t)imgfd;
		cfg.info.lo_flags = LO_FLAGS_AUTOCLEAR;
		snprintf((char *)cfg.info.lo_file_name,
			 sizeof(cfg.info.lo_file_name), "iorace-%d:%s",
			 (int)getpid(), image);
		if (!ioctl(lfd, LOOP_CONFIGURE, &cfg))
			break;
		close(lfd);
		lfd = -1;
		if (errno != EBUSY)
			break;
	}
	close(ctl);
	close(imgfd);
	if (lfd < 0 || fstat(lfd, &st) < 0) {
		if (lfd >= 0)
			close(lfd);
		return -1;
	}
	*maj = major(st.st_rdev);
	*min = minor(st.st_rdev);
	*lfd_out = lfd;
	return 0;
}

static void loopx_detach(int *lfd)
{
	if (*lfd < 0)
		return;
	ioctl(*lfd, LOOP_CLR_FD, 0);
	close(*lfd);
	*lfd = -1;
}

static void image_dir(const struct run *r, char *out, size_t len)
{
	const char *slash = strrchr(r->scratch.image, '/');

	if (slash && slash != r->scratch.image)
		snprintf(out, len, "%.*s", (int)(slash - r->scratch.image),
			 r->scratch.image);
	else
		snprintf(out, len, "/var/tmp");
}

int lw_setup_log(struct run *r, char *why, size_t len)
{
	struct dm_stack *d = &r->inj->dm;
	char dir[4096];
	uint64_t size = r->scratch.image_size * 2 + (64ull << 20);
	int fd;

	image_dir(r, dir, sizeof(dir));
	snprintf(d->log_image, sizeof(d->log_image),
		 "%.4000s/iorace-%d-log.img", dir, (int)getpid());
	fd = open(d->log_image, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || ftruncate(fd, (off_t)size) < 0) {
		snprintf(why, len, "log image %s: %s", d->log_image,
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	if (loopx_attach(d->log_image, &d->log_loop_fd, d->log_loopdev,
			 sizeof(d->log_loopdev), &d->log_major,
			 &d->log_minor) < 0) {
		snprintf(why, len, "attach log image: %s", strerror(errno));
		return -1;
	}
	return 0;
}

void lw_teardown_log(struct run *r)
{
	struct dm_stack *d = &r->inj->dm;

	loopx_detach(&d->log_loop_fd);
	if (d->log_image[0]) {
		unlink(d->log_image);
		d->log_image[0] = '\0';
	}
}

int lw_mark(struct run *r, const char *name)
{
	char m[64];

	snprintf(m, sizeof(m), "mark %s", name);
	if (dmx_message(&r->inj->dm, m) < 0)
		return -1;
	tr_inject("dm-log-writes", name, now_ns());
	return 0;
}

static int read_full(int fd, void *buf, size_t len, uint64_t off)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = pread(fd, (char *)buf + got, len - got,
				  (off_t)(off + got));

		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

int lw_replay(const char *log, const char *mark, const char *image,
	      struct lw_replay_stats *st, char *why, size_t len)
{
	unsigned char *blk = NULL, *data = NULL;
	struct lw_super sb;
	size_t dcap = 0;
	uint64_t pos;
	int lfd, ifd, rc = -1;

	memset(st, 0, sizeof(*st));
	lfd = open(log, O_RDONLY | O_CLOEXEC);
	ifd = open(image, O_RDWR | O_CLOEXEC);
	if (lfd < 0 || ifd < 0) {
		snprintf(why, len, "open %s / %s: %s", log, image,
			 strerror(errno));
		goto out;
	}
	if (read_full(lfd, &sb, sizeof(sb), 0) < 0 ||
	    lw_super_decode(&sb, &st->nr_entries, &st->sectorsize) < 0) {
		snprintf(why, len, "%s: not a dm-log-writes log", log);
		goto out;
	}
	blk = xmalloc(st->sectorsize);
	pos = st->sectorsize;
	for (uint64_t i = 0; i < st->nr_entries; i++) {
		struct lw_entry e;

		if (read_full(lfd, blk, st->sectorsize, pos) < 0) {
			snprintf(why, len, "%s: entry %llu truncated", log,
				 (unsigned long long)i);
			goto out;
		}
		lw_entry_decode(blk, st->sectorsize, &e);
		pos += st->sectorsize;
		st->entries++;
		if (e.flags & LW_MARK) {
			st->marks++;
			if (mark && !strcmp(e.mark, mark)) {
				st->found = true;
				break;
			}
			continue;
		}
		if (e.flags & LW_DISCARD) {
			fallocate(ifd,
				  FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				  (off_t)(e.sector * st->sectorsize),
				  (off_t)(e.nr_sectors * st->sectorsize));
			st->discards++;
			continue;
		}
		if (!e.nr_sectors) {
			st->flushes++;
			continue;
		}
		{
			size_t n = e.nr_sectors * st->sectorsize;

			if (n > dcap) {
				data = xrealloc(data, n);
				dcap = n;
			}
			if (read_full(lfd, data, n, pos) < 0 ||
			    pwrite(ifd, data, n,
				   (off_t)(e.sector * st->sectorsize)) !=
				    (ssize_t)n) {
				snprintf(why, len, "replay entry %llu: %s",
					 (unsigned long long)i,
					 strerror(errno ? errno : EIO));
				goto out;
			}
			pos += n;
			st->writes++;
			st->bytes += n;
		}
	}
	if (mark && !st->found) {
		snprintf(why, len, "%s: no mark '%s'", log, mark);
		goto out;
	}
	rc = 0;
out:
	free(blk);
	free(data);
	if (lfd >= 0)
		close(lfd);
	if (ifd >= 0)
		close(ifd);
	return rc;
}

/* Replay to one mark, mount, judge, fsck. */
static void check_mark(struct run *r, const struct lw_mark *m)
{
	struct dm_stack *d = &r->inj->dm;
	struct lw_replay_stats st;
	struct scratch rs;
	char dir[4096], img[4200], why[512], label[64], log[8192];
	unsigned maj, min;
	int fd, lfd = -1, fsck;

	image_dir(r, dir, sizeof(dir));
	snprintf(img, sizeof(img), "%s/iorace-%d-replay.img", dir,
		 (int)getpid());
	fd = open(img, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || ftruncate(fd, (off_t)r->scratch.image_size) < 0) {
		msg("replay image %s: %s", img, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	if (lw_replay(d->log_image, m->name, img, &st, why, sizeof(why)) < 0) {
		msg("log replay to %s: %s", m->name, why);
		unlink(img);
		return;
	}
	memset(&rs, 0, sizeof(rs));
	rs.loop_fd = -1;
	if (loopx_attach(img, &lfd, rs.dev, sizeof(rs.dev), &maj, &min) < 0) {
		msg("attach replay image: %s", strerror(errno));
		unlink(img);
		return;
	}
	snprintf(rs.mnt, sizeof(rs.mnt), "%.4000s/replay", r->scratch.workdir);
	mkdir(rs.mnt, 0755);
	snprintf(label, sizeof(label), "log-writes mark %s", m->name);
	if (scratch_mount(&rs, r->wl.mount_opts) < 0) {
		struct finding f = { .cls = F_FSCK };

		snprintf(f.expected, sizeof(f.expected),
			 "the log replayed to mark %s mounts", m->name);
		snprintf(f.seen, sizeof(f.seen), "mount failed");
		findings_add(&r->findings, &f);
	} else {
		crash_check_files(r, rs.mnt, m->t, label);
		scratch_unmount(&rs);
	}
	snprintf(log, sizeof(log), "%s/fsck-%s.log", r->run_dir, m->name);
	fsck = scratch_fsck(&rs, log);
	if (fsck) {
		struct finding f = { .cls = F_FSCK };

		snprintf(f.expected, sizeof(f.expected),
			 "e2fsck -fn clean at mark %s", m->name);
		snprintf(f.seen, sizeof(f.seen), "e2fsck exit %d (fsck-%s.log)",
			 fsck, m->name);
		findings_add(&r->findings, &f);
	} else {
		unlink(log);
	}
	rmdir(rs.mnt);
	loopx_detach(&lfd);
	unlink(img);
	dbg("mark %s: %llu entries, %llu writes, %llu bytes", m->name,
	    (unsigned long long)st.entries, (unsigned long long)st.writes,
	    (unsigned long long)st.bytes);
}

int lw_replay_check(struct run *r)
{
	struct inject_run *ir = r->inj;
	size_t n = ir->nmarks, step;

	/* loading a linear table ends the log: every entry is on the log */
	if (dm_stack_linear(r) < 0)
		return EXIT_CANNOT_RUN;
	msg("dm-log-writes: %zu marks, checking up to %d", n, LW_MAX_CHECKS);
	step = n > LW_MAX_CHECKS ? (n + LW_MAX_CHECKS - 1) / LW_MAX_CHECKS : 1;
	for (size_t i = 0; i < n; i++) {
		if (i % step && i != n - 1)
			continue;
		check_mark(r, &ir->marks[i]);
	}
	return 0;
}

static bool wanted(const struct inject_conf *c)
{
	return c->dm == DMK_LOG_WRITES;
}

static int check(const struct inject_conf *c, char *why, size_t len)
{
	(void)c;
	return dmx_target_available("log-writes", "CONFIG_DM_LOG_WRITES", why,
				    len);
}

const struct injector_ops inj_dm_log_writes_ops = {
	.name = "dm-log-writes",
	.wanted = wanted,
	.check = check,
};
