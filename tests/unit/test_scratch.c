// SPDX-License-Identifier: GPL-2.0
/*
 * Scratch target tests. They need root and loop devices: without them they
 * fail (loudly), they do not skip.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/util.h"
#include "replay/scratch.h"
#include "model/stamp.h"

#define SIZE	   (128ull << 20)
#define TRACE_INST "/sys/kernel/tracing/instances"

static void need_root(void)
{
	char why[256];

	if (scratch_can_run(why, sizeof(why)) < 0)
		fail_msg("scratch tests need root, /dev/loop-control and "
			 "mkfs.ext4: %s",
			 why);
}

static bool exists(const char *p)
{
	struct stat st;

	return !lstat(p, &st);
}

/* The mountinfo options (fields 6 and super options) of mount point mp. */
static bool mount_line(const char *mp, char *line, size_t len)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char buf[8192];
	bool found = false;

	assert_non_null(f);
	while (fgets(buf, sizeof(buf), f)) {
		char m[4096];

		if (sscanf(buf, "%*d %*d %*s %*s %4095s", m) != 1)
			continue;
		if (!strcmp(m, mp)) {
			found = true;
			if (line)
				snprintf(line, len, "%s", buf);
		}
	}
	fclose(f);
	return found;
}

/* How many loop devices are backed by iorace-<pid>.img right now. */
static int loops_of(pid_t pid)
{
	char want[64], path[512], bf[4096];
	DIR *d = opendir("/sys/block");
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	snprintf(want, sizeof(want), "/iorace-%d.img", (int)pid);
	while ((de = readdir(d))) {
		FILE *f;

		if (strncmp(de->d_name, "loop", 4))
			continue;
		snprintf(path, sizeof(path), "/sys/block/%s/loop/backing_file",
			 de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(bf, sizeof(bf), f) && strstr(bf, want))
			n++;
		fclose(f);
	}
	closedir(d);
	return n;
}

/* Loop detach on last close may lag a little: poll. */
static int loops_of_settled(pid_t pid)
{
	int n = 0;

	for (int i = 0; i < 50; i++) {
		n = loops_of(pid);
		if (!n)
			break;
		usleep(100000);
	}
	return n;
}

static void *abuf(size_t len)
{
	void *p = NULL;

	assert_int_equal(posix_memalign(&p, 4096, len), 0);
	return p;
}

/* Count poison sectors of seed on the device. */
static uint64_t count_poison(const char *dev, uint64_t seed)
{
	const size_t chunk = 1 << 20;
	unsigned char *buf = abuf(chunk);
	uint64_t n = 0, off = 0;
	int fd = open(dev, O_RDONLY | O_DIRECT);
	ssize_t r;

	assert_true(fd >= 0);
	while ((r = pread(fd, buf, chunk, (off_t)off)) > 0) {
		for (ssize_t s = 0; s + 512 <= r; s += 512) {
			struct stamp_info si;

			stamp_decode(buf + s, &si);
			if (si.cls == SC_POISON && si.seed == seed)
				n++;
		}
		off += (uint64_t)r;
	}
	close(fd);
	free(buf);
	return n;
}

static void test_can_run(void **state)
{
	char why[256] = "";

	(void)state;
	assert_int_equal(scratch_can_run(why, sizeof(why)), 0);
}

/* What a test set up; torn down even when an assertion fails. */
static struct scratch cur;

static int teardown_cur(void **state)
{
	(void)state;
	scratch_teardown(&cur);
	memset(&cur, 0, sizeof(cur));
	return 0;
}

static void test_lifecycle(void **state)
{
	struct scratch *s = &cur;
	struct statfs sf;
	struct loop_info64 li;
	char err[1024], line[20000], path[20000], tag[64],
		log[] = "/var/tmp/iorace-test-fsck-XXXXXX";
	const uint64_t seed = 0x5eed1234;
	unsigned char *w, *r;
	uint64_t free_before, free_after, nfound;
	int64_t pb;
	int fd;

	(void)state;
	need_root();
	memset(s, 0, sizeof(*s));
	if (scratch_setup(s, NULL, SIZE, "-b 4096", "dioread_nolock", err,
			  sizeof(err)) < 0)
		fail_msg("scratch_setup: %s", err);
	assert_true(s->mounted);
	assert_true(s->attached);
	assert_false(s->cannot_run);
	assert_int_equal(s->image_size, SIZE);
	snprintf(path, sizeof(path), "/run/iorace/%d", (int)getpid());
	assert_string_equal(s->workdir, path);
	snprintf(path, sizeof(path), "/var/tmp/iorace-%d.img", (int)getpid());
	assert_string_equal(s->image, path);
	assert_true(exists(s->image));
	snprintf(path, sizeof(path), "/dev/loop%d", s->loop_nr);
	assert_string_equal(s->loopdev, path);
	assert_string_equal(s->dev, s->loopdev);

	/* ext4 with 4k blocks, mounted with our options */
	assert_int_equal(statfs(s->mnt, &sf), 0);
	assert_int_equal(sf.f_type, EXT4_SUPER_MAGIC);
	assert_int_equal(sf.f_bsize, 4096);
	assert_true(mount_line(s->mnt, line, sizeof(line)));
	assert_non_null(strstr(line, s->loopdev));
	/* dioread_nolock may be a default mountinfo hides: ask ext4 */
	{
		FILE *f;
		char opts[8192];
		size_t n;

		snprintf(path, sizeof(path), "/proc/fs/ext4/%s/options",
			 s->loopdev + 5);
		f = fopen(path, "r");
		assert_non_null(f);
		n = fread(opts, 1, sizeof(opts) - 1, f);
		opts[n] = '\0';
		fclose(f);
		assert_non_null(strstr(opts, "dioread_nolock"));
	}

	/* the loop device is tagged and autoclears */
	memset(&li, 0, sizeof(li));
	assert_int_equal(ioctl(s->loop_fd, LOOP_GET_STATUS64, &li), 0);
	snprintf(tag, sizeof(tag), "iorace-%d:", (int)getpid());
	assert_memory_equal(li.lo_file_name, tag, strlen(tag));
	assert_true(li.lo_flags & LO_FLAGS_AUTOCLEAR);
	assert_int_equal(loops_of(getpid()), 1);

	/* the state file names everything */
	{
		FILE *f;
		char st[8192];
		size_t n;

		snprintf(path, sizeof(path), "%s/state", s->workdir);
		f = fopen(path, "r");
		assert_non_null(f);
		n = fread(st, 1, sizeof(st) - 1, f);
		st[n] = '\0';
		fclose(f);
		snprintf(line, sizeof(line), "image=%s\n", s->image);
		assert_non_null(strstr(st, line));
		snprintf(line, sizeof(line), "loop=%s\n", s->loopdev);
		assert_non_null(strstr(st, line));
		snprintf(line, sizeof(line), "mnt=%s\n", s->mnt);
		assert_non_null(strstr(st, line));
	}

	/* a file, written with O_DIRECT */
	w = abuf(65536);
	r = abuf(65536);
	stamp_fill(w, 0, 0, 128, 1, seed);
	snprintf(path, sizeof(path), "%s/f0", s->mnt);
	fd = open(path, O_RDWR | O_CREAT | O_DIRECT, 0644);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, w, 65536, 0), 65536);
	assert_int_equal(fsync(fd), 0);

	/* poison: fills the free space, then gives it all back */
	assert_int_equal(statfs(s->mnt, &sf), 0);
	free_before = sf.f_bfree * sf.f_bsize;
	pb = scratch_poison(s, seed);
	assert_true(pb > 0);
	/* it filled (nearly) everything that was free */
	assert_true((uint64_t)pb >= free_before - free_before / 10);
	assert_true((uint64_t)pb <= free_before);
	assert_int_equal(statfs(s->mnt, &sf), 0);
	free_after = sf.f_bfree * sf.f_bsize;
	assert_true(free_after + (1 << 20) >= free_before);
	{
		DIR *d = opendir(s->mnt);
		struct dirent *de;
		int files = 0;

		assert_non_null(d);
		while ((de = readdir(d)))
			files += strcmp(de->d_name, ".") &&
				 strcmp(de->d_name, "..") &&
				 strcmp(de->d_name, "lost+found");
		closedir(d);
		assert_int_equal(files, 1); /* f0 only */
	}
	/* our file survived, the freed blocks read back as poison */
	assert_int_equal(pread(fd, r, 65536, 0), 65536);
	assert_memory_equal(r, w, 65536);
	close(fd);
	nfound = count_poison(s->loopdev, seed);
	assert_true(nfound * 512 >= (uint64_t)pb - (uint64_t)pb / 10);

	/* unmount, fsck clean, mount again with other options */
	assert_int_equal(scratch_unmount(s), 0);
	assert_false(s->mounted);
	assert_false(mount_line(s->mnt, NULL, 0));
	fd = mkstemp(log);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(scratch_fsck(s, log), 0);
	{
		struct stat st;

		assert_int_equal(stat(log, &st), 0);
		assert_true(st.st_size > 0);
	}
	unlink(log);
	assert_int_equal(scratch_mount(s, "noatime,dioread_nolock"), 0);
	assert_true(mount_line(s->mnt, line, sizeof(line)));
	assert_non_null(strstr(line, "noatime"));
	snprintf(path, sizeof(path), "%s/f0", s->mnt);
	fd = open(path, O_RDONLY | O_DIRECT);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, r, 65536, 0), 65536);
	assert_memory_equal(r, w, 65536);
	close(fd);

	/* teardown leaves nothing, and may be repeated */
	snprintf(path, sizeof(path), "%s", s->mnt);
	snprintf(line, sizeof(line), "%s", s->image);
	scratch_teardown(s);
	scratch_teardown(s);
	assert_false(s->mounted);
	assert_false(s->attached);
	assert_false(mount_line(path, NULL, 0));
	assert_false(exists(path));
	assert_false(exists(line));
	snprintf(path, sizeof(path), "/run/iorace/%d", (int)getpid());
	assert_false(exists(path));
	assert_int_equal(loops_of_settled(getpid()), 0);
	free(w);
	free(r);
}

static void test_bad_mkfs(void **state)
{
	struct scratch *s = &cur;
	char err[1024], path[256];

	(void)state;
	need_root();
	memset(s, 0, sizeof(*s));
	assert_int_equal(scratch_setup(s, NULL, SIZE, "-O no_such_feature",
				       NULL, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "mkfs.ext4"));
	/* the tail of mkfs's own complaint is in the message */
	assert_non_null(strstr(err, "no_such_feature"));
	assert_false(s->cannot_run);
	scratch_teardown(s);
	snprintf(path, sizeof(path), "/var/tmp/iorace-%d.img", (int)getpid());
	assert_false(exists(path));
	snprintf(path, sizeof(path), "/run/iorace/%d", (int)getpid());
	assert_false(exists(path));
	assert_int_equal(loops_of_settled(getpid()), 0);
}

struct child_info {
	char mnt[4096];
	char image[4096];
	char loopdev[64];
	int ok;
};

/*
 * A child sets up a scratch, reports it through a pipe, then either
 * _exit()s without teardown (hold = false) or waits to be killed.
 */
static pid_t held_child;

static pid_t spawn_scratch(struct child_info *ci, bool hold)
{
	int p[2];
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct scratch s;
		struct child_info me;
		char err[1024], path[4200];
		int fd;

		close(p[0]);
		memset(&me, 0, sizeof(me));
		memset(&s, 0, sizeof(s));
		if (scratch_setup(&s, NULL, 64ull << 20, "-b 4096", NULL, err,
				  sizeof(err)) == 0) {
			me.ok = 1;
			snprintf(me.mnt, sizeof(me.mnt), "%s", s.mnt);
			snprintf(me.image, sizeof(me.image), "%s", s.image);
			snprintf(me.loopdev, sizeof(me.loopdev), "%s",
				 s.loopdev);
			snprintf(path, sizeof(path), "%s/busy", s.mnt);
			fd = open(path, O_CREAT | O_WRONLY, 0644);
			if (fd >= 0 && write(fd, "x", 1) == 1)
				close(fd);
		} else {
			fprintf(stderr, "child setup: %s\n", err);
		}
		if (write(p[1], &me, sizeof(me)) != sizeof(me))
			_exit(2);
		close(p[1]);
		if (hold)
			for (;;)
				pause();
		_exit(0);
	}
	close(p[1]);
	if (hold)
		held_child = pid;
	assert_int_equal(read(p[0], ci, sizeof(*ci)), sizeof(*ci));
	close(p[0]);
	assert_int_equal(ci->ok, 1);
	return pid;
}

static void assert_gone(pid_t pid, const struct child_info *ci)
{
	char path[256];

	assert_false(mount_line(ci->mnt, NULL, 0));
	assert_false(exists(ci->mnt));
	assert_false(exists(ci->image));
	snprintf(path, sizeof(path), "/run/iorace/%d", (int)pid);
	assert_false(exists(path));
	assert_int_equal(loops_of_settled(pid), 0);
}

static void test_reclaim_exit(void **state)
{
	struct child_info ci;
	pid_t pid;
	int st, n;

	(void)state;
	need_root();
	pid = spawn_scratch(&ci, false);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	/* the child is gone; its mount and loop device are not */
	assert_true(mount_line(ci.mnt, NULL, 0));
	assert_int_equal(loops_of(pid), 1);
	n = scratch_reclaim();
	/* mount, loop, image, workdir */
	assert_true(n >= 4);
	assert_gone(pid, &ci);
}

static void test_reclaim_kill_and_live(void **state)
{
	struct child_info ci;
	char inst[256], live_inst[256];
	pid_t pid;
	int st;

	(void)state;
	need_root();
	pid = spawn_scratch(&ci, true);
	/* a live run is never touched, nor its tracefs instance */
	snprintf(live_inst, sizeof(live_inst), TRACE_INST "/iorace-%d",
		 (int)pid);
	if (mkdir(live_inst, 0755) < 0)
		fail_msg("mkdir %s: %s", live_inst, strerror(errno));
	scratch_reclaim();
	assert_true(mount_line(ci.mnt, NULL, 0));
	assert_true(exists(ci.image));
	assert_int_equal(loops_of(pid), 1);
	assert_true(exists(live_inst));

	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	held_child = 0;
	assert_true(WIFSIGNALED(st));
	/* an instance tagged with another dead pid's name goes as well */
	snprintf(inst, sizeof(inst), TRACE_INST "/iorace-%d-extra", (int)pid);
	assert_int_equal(mkdir(inst, 0755), 0);
	assert_true(scratch_reclaim() >= 6);
	assert_gone(pid, &ci);
	assert_false(exists(live_inst));
	assert_false(exists(inst));
}

/* A failed assertion must not leave the holding child (and its mount). */
static int teardown_held(void **state)
{
	(void)state;
	if (held_child > 0 && kill(held_child, SIGKILL) == 0) {
		waitpid(held_child, NULL, 0);
		scratch_reclaim();
	}
	held_child = 0;
	return 0;
}

/* Objects not tagged for a dead iorace pid are left alone. */
static void test_reclaim_foreign(void **state)
{
	char dir[256], inst[256];
	pid_t pid;
	int st;

	(void)state;
	need_root();
	/* a pid that is surely dead: a reaped child */
	pid = fork();
	assert_true(pid >= 0);
	if (!pid)
		_exit(0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	/* a state file from another boot (a guest sharing the root fs) */
	snprintf(dir, sizeof(dir), "/run/iorace/%d", (int)pid);
	assert_int_equal(mkdir(dir, 0755), 0);
	{
		char path[300];
		FILE *f;

		snprintf(path, sizeof(path), "%s/state", dir);
		f = fopen(path, "w");
		assert_non_null(f);
		fprintf(f,
			"pid=%d\nstart=1\nboot=not-this-boot\n"
			"image=/var/tmp/iorace-%d.img\nloop=/dev/loop0\n"
			"mnt=%s/mnt\n",
			(int)pid, (int)pid, dir);
		fclose(f);
	}
	/* a tracefs instance whose name only looks similar */
	snprintf(inst, sizeof(inst), TRACE_INST "/ioracex-%d", (int)pid);
	assert_int_equal(mkdir(inst, 0755), 0);
	scratch_reclaim();
	assert_true(exists(dir));
	assert_true(exists(inst));
	rmdir(inst);
	{
		char path[300];

		snprintf(path, sizeof(path), "%s/state", dir);
		unlink(path);
	}
	rmdir(dir);
}

/*
 * The reclaim tests make tracefs instances by hand; a fresh machine may
 * boot without tracefs mounted (iorace mounts it itself when it traces).
 */
static bool tracefs_mounted_here;

static int group_setup(void **state)
{
	(void)state;
	if (exists(TRACE_INST))
		return 0;
	if (mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL)) {
		fprintf(stderr, "mount tracefs: %s\n", strerror(errno));
		return -1;
	}
	tracefs_mounted_here = true;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (tracefs_mounted_here)
		umount2("/sys/kernel/tracing", MNT_DETACH);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_can_run),
		cmocka_unit_test_teardown(test_lifecycle, teardown_cur),
		cmocka_unit_test_teardown(test_bad_mkfs, teardown_cur),
		cmocka_unit_test(test_reclaim_exit),
		cmocka_unit_test_teardown(test_reclaim_kill_and_live,
					  teardown_held),
		cmocka_unit_test(test_reclaim_foreign),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
