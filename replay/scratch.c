// SPDX-License-Identifier: GPL-2.0
/*
 * The scratch target: sparse image -> loop device -> ext4 -> mount.
 *
 * Ownership tags. Everything a run creates carries its pid:
 *   /run/iorace/<pid>/state     pid, process start time, boot id, image,
 *                               loop device, mountpoint (written first, so
 *                               a live run always has one)
 *   /run/iorace/<pid>/mnt       the mountpoint
 *   <base>/iorace-<pid>.img     the image
 *   loop lo_file_name           "iorace-<pid>:<image path>"
 *   tracefs instances/iorace-<pid>   (made by trace/, reclaimed here)
 *
 * A pid counts as dead when kill(pid, 0) says ESRCH, when it is a zombie,
 * or when the process now holding it started at another time than the one
 * recorded (pid reuse). State files from another boot id (a VM guest
 * sharing this root filesystem) are never touched. A loop device is only
 * detached after LOOP_GET_STATUS64 shows our tag, and a mount only undone
 * when it sits on such a device or under the recorded mountpoint.
 *
 * scratch_teardown only uses syscalls (umount2, ioctl, close, unlink,
 * rmdir, nanosleep) and plain string copies, so it can run from an atexit
 * handler or a signal path.
 */
#include "replay/scratch.h"
#include "model/stamp.h"
#include "common/util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define RUN_BASE	  "/run/iorace"
#define DEFAULT_BASE	  "/var/tmp"
#define LOOP_CONTROL	  "/dev/loop-control"
#define TRACEFS_INSTANCES "/sys/kernel/tracing/instances"
#define DEBUGFS_INSTANCES "/sys/kernel/debug/tracing/instances"
#define POISON_CHUNK	  (1u << 20)
#define POISON_FILE_MAX	  (1ull << 30)

/* ------------------------------------------------------------------ */
/* small helpers (the ones teardown uses are async-signal-safe) */

static void scopy(char *dst, size_t len, const char *src)
{
	size_t i = 0;

	if (!len)
		return;
	for (; src && src[i] && i + 1 < len; i++)
		dst[i] = src[i];
	dst[i] = '\0';
}

static void sjoin(char *dst, size_t len, const char *a, const char *b)
{
	size_t n;

	scopy(dst, len, a);
	n = strlen(dst);
	scopy(dst + n, len - n, b);
}

static void nap_ms(unsigned ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return -1;
	r = read(fd, buf, len - 1);
	close(fd);
	if (r < 0)
		return -1;
	buf[r] = '\0';
	while (r > 0 && (buf[r - 1] == '\n' || buf[r - 1] == ' '))
		buf[--r] = '\0';
	return 0;
}

static void boot_id(char *buf, size_t len)
{
	if (read_small("/proc/sys/kernel/random/boot_id", buf, len) < 0)
		buf[0] = '\0';
}

/* Field 22 of /proc/<pid>/stat (start time in ticks); state letter too. */
static unsigned long long proc_start(pid_t pid, char *state)
{
	char path[64], buf[1024], *p;
	unsigned long long v = 0;
	int field = 3;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (read_small(path, buf, sizeof(buf)) < 0)
		return 0;
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		return 0;
	p += 2;
	if (state)
		*state = *p;
	while (*p && field < 22) {
		if (*p++ == ' ')
			field++;
	}
	v = strtoull(p, NULL, 10);
	return v;
}

/* Is pid alive, and the same process that recorded start (0 = unknown)? */
static bool pid_alive(pid_t pid, unsigned long long start)
{
	char st = 0;
	unsigned long long now;

	if (pid <= 0)
		return false;
	if (kill(pid, 0) < 0 && errno == ESRCH)
		return false;
	now = proc_start(pid, &st);
	if (st == 'Z' || st == 'X')
		return false;
	if (start && now && now != start)
		return false;
	return true;
}

/*
 * Run argv with stdout/stderr appended to log (or /dev/null). Tries PATH,
 * then /usr/sbin and /sbin. Returns the exit status, 128+signal, or -1.
 */
static int run_cmd(char *const argv[], const char *log, bool truncate)
{
	char alt1[256], alt2[256];
	int status, fd;
	pid_t pid;

	snprintf(alt1, sizeof(alt1), "/usr/sbin/%s", argv[0]);
	snprintf(alt2, sizeof(alt2), "/sbin/%s", argv[0]);
	if (log) {
		fd = open(log,
			  O_WRONLY | O_CREAT | O_CLOEXEC |
				  (truncate ? O_TRUNC : O_APPEND),
			  0644);
	} else {
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fd);
		return -1;
	}
	if (pid == 0) {
		sigset_t all;
		int nul = open("/dev/null", O_RDONLY);

		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		signal(SIGPIPE, SIG_DFL);
		if (nul >= 0)
			dup2(nul, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		execvp(argv[0], argv);
		execv(alt1, argv);
		execv(alt2, argv);
		_exit(127);
	}
	close(fd);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return -1;
}

static bool have_prog(const char *name)
{
	const char *path = getenv("PATH");
	char buf[4096];

	if (!path || !*path)
		path = "/usr/bin:/bin";
	while (*path) {
		const char *e = strchr(path, ':');
		size_t n = e ? (size_t)(e - path) : strlen(path);

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, path, name);
		if (!access(buf, X_OK))
			return true;
		path += n + (e ? 1 : 0);
	}
	snprintf(buf, sizeof(buf), "/usr/sbin/%s", name);
	if (!access(buf, X_OK))
		return true;
	snprintf(buf, sizeof(buf), "/sbin/%s", name);
	return !access(buf, X_OK);
}

/* The last few lines of a log file, joined with " | ". */
static void log_tail(const char *log, char *out, size_t len)
{
	char buf[1024];
	ssize_t r = 0;
	int fd = open(log, O_RDONLY | O_CLOEXEC);
	char *p;
	int lines = 0;

	out[0] = '\0';
	if (fd < 0)
		return;
	{
		off_t sz = lseek(fd, 0, SEEK_END);
		off_t from = sz > (off_t)sizeof(buf) - 1 ?
				     sz - (off_t)sizeof(buf) + 1 :
				     0;

		r = pread(fd, buf, sizeof(buf) - 1, from);
	}
	close(fd);
	if (r <= 0)
		return;
	buf[r] = '\0';
	while (r > 0 && (buf[r - 1] == '\n' || buf[r - 1] == ' '))
		buf[--r] = '\0';
	for (p = buf + r; p > buf; p--) {
		if (p[-1] == '\n' && ++lines == 3)
			break;
	}
	scopy(out, len, p);
	for (char *q = out; *q; q++)
		if (*q == '\n')
			*q = '|';
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* ------------------------------------------------------------------ */
/* state file */

struct state {
	pid_t pid;
	unsigned long long start;
	char boot[64];
	char image[4096];
	char loop[64];
	char mnt[4096];
};

static int state_write(const struct scratch *s)
{
	char path[4200], tmp[4200], boot[64];
	int fd, rc;

	boot_id(boot, sizeof(boot));
	sjoin(path, sizeof(path), s->workdir, "/state");
	sjoin(tmp, sizeof(tmp), s->workdir, "/state.tmp");
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	rc = dprintf(fd,
		     "pid=%d\nstart=%llu\nboot=%s\nimage=%s\nloop=%s\n"
		     "mnt=%s\n",
		     (int)getpid(), proc_start(getpid(), NULL), boot, s->image,
		     s->attached ? s->loopdev : "", s->mnt);
	if (close(fd) < 0 || rc < 0)
		return -1;
	return rename(tmp, path);
}

static int state_read(const char *dir, struct state *st)
{
	char path[4200], line[4200];
	FILE *f;

	memset(st, 0, sizeof(*st));
	snprintf(path, sizeof(path), "%s/state", dir);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *v = strchr(line, '=');

		if (!v)
			continue;
		*v++ = '\0';
		v[strcspn(v, "\n")] = '\0';
		if (!strcmp(line, "pid"))
			st->pid = (pid_t)atoi(v);
		else if (!strcmp(line, "start"))
			st->start = strtoull(v, NULL, 10);
		else if (!strcmp(line, "boot"))
			scopy(st->boot, sizeof(st->boot), v);
		else if (!strcmp(line, "image"))
			scopy(st->image, sizeof(st->image), v);
		else if (!strcmp(line, "loop"))
			scopy(st->loop, sizeof(st->loop), v);
		else if (!strcmp(line, "mnt"))
			scopy(st->mnt, sizeof(st->mnt), v);
	}
	fclose(f);
	return st->pid > 0 ? 0 : -1;
}

/* ------------------------------------------------------------------ */
/* loop devices */

static int open_loop_control(bool *missing)
{
	static bool tried_modprobe;
	int fd = open(LOOP_CONTROL, O_RDWR | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT && !tried_modprobe) {
		char *argv[] = { "modprobe", "loop", NULL };

		tried_modprobe = true;
		run_cmd(argv, NULL, false);
		fd = open(LOOP_CONTROL, O_RDWR | O_CLOEXEC);
	}
	if (missing)
		*missing = fd < 0 && (errno == ENOENT || errno == ENODEV ||
				      errno == ENXIO || errno == EACCES ||
				      errno == EPERM);
	return fd;
}

static void tag_for(char *tag, size_t len, pid_t pid, const char *image)
{
	snprintf(tag, len, "iorace-%d:%s", (int)pid, image);
}

static int loop_attach(struct scratch *s, int imgfd, char *err, size_t errlen)
{
	char tag[4200];
	bool missing = false;
	int ctl, lfd = -1, nr = -1, e = 0;

	ctl = open_loop_control(&missing);
	if (ctl < 0) {
		e = errno;
		s->cannot_run = missing;
		return fail(err, errlen,
			    "cannot run here: %s: %s (no loop "
			    "device support)",
			    LOOP_CONTROL, strerror(e));
	}
	tag_for(tag, sizeof(tag), getpid(), s->image);
	for (int tries = 0; tries < 50; tries++) {
		struct loop_config cfg;
		char path[64];

		if (tries)
			nap_ms(20);
		nr = ioctl(ctl, LOOP_CTL_GET_FREE);
		if (nr < 0) {
			e = errno;
			if (e == EBUSY || e == EAGAIN || e == EINTR)
				continue;
			close(ctl);
			return fail(err, errlen, "LOOP_CTL_GET_FREE: %s",
				    strerror(e));
		}
		snprintf(path, sizeof(path), "/dev/loop%d", nr);
		for (int w = 0; w < 50; w++) {
			lfd = open(path, O_RDWR | O_CLOEXEC);
			if (lfd >= 0 || errno != ENOENT)
				break;
			nap_ms(10); /* device node not there yet */
		}
		if (lfd < 0) {
			e = errno;
			if (e == EBUSY || e == ENOENT || e == ENXIO)
				continue;
			close(ctl);
			return fail(err, errlen, "open %s: %s", path,
				    strerror(e));
		}
		memset(&cfg, 0, sizeof(cfg));
		cfg.fd = (uint32_t)imgfd;
		cfg.info.lo_flags = LO_FLAGS_AUTOCLEAR;
		scopy((char *)cfg.info.lo_file_name,
		      sizeof(cfg.info.lo_file_name), tag);
		if (!ioctl(lfd, LOOP_CONFIGURE, &cfg))
			goto attached;
		e = errno;
		if (e == EBUSY) { /* somebody took it first */
			close(lfd);
			continue;
		}
		if (e != EINVAL && e != ENOTTY) {
			close(lfd);
			close(ctl);
			return fail(err, errlen, "LOOP_CONFIGURE %s: %s", path,
				    strerror(e));
		}
		/* older kernel: two steps */
		if (ioctl(lfd, LOOP_SET_FD, imgfd) < 0) {
			e = errno;
			close(lfd);
			if (e == EBUSY)
				continue;
			close(ctl);
			return fail(err, errlen, "LOOP_SET_FD %s: %s", path,
				    strerror(e));
		}
		if (ioctl(lfd, LOOP_SET_STATUS64, &cfg.info) < 0) {
			e = errno;
			ioctl(lfd, LOOP_CLR_FD, 0);
			close(lfd);
			close(ctl);
			return fail(err, errlen, "LOOP_SET_STATUS64 %s: %s",
				    path, strerror(e));
		}
		goto attached;
	}
	close(ctl);
	return fail(err, errlen, "no free loop device after retries: %s",
		    strerror(e));
attached:
	close(ctl);
	s->loop_fd = lfd;
	s->loop_nr = nr;
	s->attached = true;
	snprintf(s->loopdev, sizeof(s->loopdev), "/dev/loop%d", nr);
	scopy(s->dev, sizeof(s->dev), s->loopdev);
	return 0;
}

/* Does the loop device behind fd carry the tag of pid? */
static bool loop_tagged(int fd, pid_t pid)
{
	struct loop_info64 info;
	char want[32];

	memset(&info, 0, sizeof(info));
	if (ioctl(fd, LOOP_GET_STATUS64, &info) < 0)
		return false;
	snprintf(want, sizeof(want), "iorace-%d:", (int)pid);
	return !strncmp((char *)info.lo_file_name, want, strlen(want));
}

/* ------------------------------------------------------------------ */
/* mounts */

static const struct {
	const char *name;
	unsigned long flag;
	bool clear;
} mount_flags[] = {
	{ "ro", MS_RDONLY, false },
	{ "rw", MS_RDONLY, true },
	{ "sync", MS_SYNCHRONOUS, false },
	{ "async", MS_SYNCHRONOUS, true },
	{ "dirsync", MS_DIRSYNC, false },
	{ "noatime", MS_NOATIME, false },
	{ "atime", MS_NOATIME, true },
	{ "nodiratime", MS_NODIRATIME, false },
	{ "relatime", MS_RELATIME, false },
	{ "norelatime", MS_RELATIME, true },
	{ "strictatime", MS_STRICTATIME, false },
	{ "lazytime", MS_LAZYTIME, false },
	{ "nolazytime", MS_LAZYTIME, true },
	{ "nodev", MS_NODEV, false },
	{ "dev", MS_NODEV, true },
	{ "noexec", MS_NOEXEC, false },
	{ "exec", MS_NOEXEC, true },
	{ "nosuid", MS_NOSUID, false },
	{ "suid", MS_NOSUID, true },
	{ "defaults", 0, false },
};

/* Split "ro,dioread_nolock,noatime" into MS_* flags and the data string. */
static void parse_mount_opts(const char *opts, unsigned long *flags, char *data,
			     size_t len)
{
	char buf[4096], *tok, *save = NULL;
	size_t n = 0;

	*flags = 0;
	data[0] = '\0';
	if (!opts)
		return;
	scopy(buf, sizeof(buf), opts);
	for (tok = strtok_r(buf, ", \t", &save); tok;
	     tok = strtok_r(NULL, ", \t", &save)) {
		bool known = false;

		for (size_t i = 0; i < ARRAY_SIZE(mount_flags); i++) {
			if (strcmp(tok, mount_flags[i].name))
				continue;
			if (mount_flags[i].clear)
				*flags &= ~mount_flags[i].flag;
			else
				*flags |= mount_flags[i].flag;
			known = true;
			break;
		}
		if (known)
			continue;
		n += (size_t)snprintf(data + n, n < len ? len - n : 0, "%s%s",
				      n ? "," : "", tok);
	}
}

static void unescape_mnt(char *p)
{
	char *o = p;

	while (*p) {
		if (p[0] == '\\' && isdigit((unsigned char)p[1]) &&
		    isdigit((unsigned char)p[2]) &&
		    isdigit((unsigned char)p[3])) {
			*o++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 +
				      (p[3] - '0'));
			p += 4;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
}

/*
 * Unmount everything mounted from device dev (if nonzero) or at/under
 * prefix (if non-NULL), deepest first. Returns how many were unmounted.
 */
static int unmount_matching(dev_t dev, const char *prefix, bool say)
{
	int total = 0;

	/* each pass takes the deepest match; at most a handful of passes */
	for (int pass = 0; pass < 64; pass++) {
		char line[8192], best[4096] = "";
		size_t plen = prefix ? strlen(prefix) : 0;
		FILE *f = fopen("/proc/self/mountinfo", "re");

		if (!f)
			break;
		while (fgets(line, sizeof(line), f)) {
			unsigned maj, min;
			char mp[4096];
			bool hit = false;

			if (sscanf(line, "%*d %*d %u:%u %*s %4095s", &maj, &min,
				   mp) != 3)
				continue;
			unescape_mnt(mp);
			if (dev && makedev(maj, min) == dev)
				hit = true;
			if (prefix && !strncmp(mp, prefix, plen) &&
			    (mp[plen] == '\0' || mp[plen] == '/'))
				hit = true;
			if (hit && strlen(mp) >= strlen(best))
				scopy(best, sizeof(best), mp);
		}
		fclose(f);
		if (!best[0])
			break;
		if (umount2(best, 0) < 0) {
			int e = 0;

			for (int i = 0; i < 10 && e == 0; i++) {
				nap_ms(100);
				if (!umount2(best, 0))
					e = 1;
			}
			if (!e && umount2(best, MNT_DETACH) < 0) {
				warnx_("reclaim: cannot unmount %s: %s", best,
				       strerror(errno));
				break;
			}
		}
		if (say)
			msg("reclaim: unmounted %s", best);
		total++;
	}
	return total;
}

int scratch_mount(struct scratch *s, const char *mount_opts)
{
	unsigned long flags;
	char data[4096];

	if (s->mounted)
		return 0;
	parse_mount_opts(mount_opts, &flags, data, sizeof(data));
	if (mount(s->dev, s->mnt, "ext4", flags, data[0] ? data : NULL) < 0) {
		int e = errno;

		warnx_("mount %s on %s (ext4, \"%s\"): %s", s->dev, s->mnt,
		       data, strerror(e));
		errno = e;
		return -1;
	}
	s->mounted = true;
	return 0;
}

static int do_umount(const char *mnt, bool detach_last)
{
	for (int i = 0; i < 20; i++) {
		if (!umount2(mnt, 0))
			return 0;
		if (errno == EINVAL || errno == ENOENT)
			return 0; /* not mounted (any more) */
		if (errno != EBUSY)
			return -1;
		sync();
		nap_ms(50);
	}
	if (detach_last && !umount2(mnt, MNT_DETACH))
		return 0;
	return -1;
}

int scratch_unmount(struct scratch *s)
{
	if (!s->mounted)
		return 0;
	if (do_umount(s->mnt, false) < 0)
		return -1;
	s->mounted = false;
	return 0;
}

/* ------------------------------------------------------------------ */
/* setup / teardown */

int scratch_can_run(char *why, size_t len)
{
	bool missing = false;
	int fd;

	if (geteuid() != 0)
		return fail(why, len, "need root (loop devices, mount)");
	fd = open_loop_control(&missing);
	if (fd < 0)
		return fail(why, len, "%s: %s (no loop device support)",
			    LOOP_CONTROL, strerror(errno));
	close(fd);
	if (!have_prog("mkfs.ext4"))
		return fail(why, len, "mkfs.ext4 not found (e2fsprogs)");
	return 0;
}

static int mkdir_one(const char *path, mode_t mode)
{
	if (!mkdir(path, mode) || errno == EEXIST)
		return 0;
	return -1;
}

int scratch_setup(struct scratch *s, const char *base_dir, uint64_t size,
		  const char *mkfs_opts, const char *mount_opts, char *err,
		  size_t errlen)
{
	char log[4200], tail[512], optbuf[4096], *argv[64];
	int imgfd, rc, argc = 0;
	pid_t pid = getpid();

	memset(s, 0, sizeof(*s));
	s->loop_fd = -1;
	if (err && errlen)
		err[0] = '\0';
	if (geteuid() != 0) {
		s->cannot_run = true;
		return fail(err, errlen, "cannot run here: need root");
	}
	if (size < (16ull << 20))
		return fail(err, errlen, "image size %llu too small (>= 16m)",
			    (unsigned long long)size);
	snprintf(s->workdir, sizeof(s->workdir), RUN_BASE "/%d", (int)pid);
	if (mkdir_one("/run", 0755) < 0 || mkdir_one(RUN_BASE, 0755) < 0 ||
	    mkdir_one(s->workdir, 0755) < 0) {
		rc = errno;
		s->workdir[0] = '\0';
		return fail(err, errlen, "mkdir %s: %s", RUN_BASE,
			    strerror(rc));
	}
	sjoin(s->mnt, sizeof(s->mnt), s->workdir, "/mnt");
	snprintf(s->image, sizeof(s->image), "%s/iorace-%d.img",
		 base_dir && *base_dir ? base_dir : DEFAULT_BASE, (int)pid);
	s->image_size = size;
	/* the state goes first: a live run always has one */
	if (state_write(s) < 0) {
		rc = errno;
		scratch_teardown(s);
		return fail(err, errlen, "write state in %s: %s", s->workdir,
			    strerror(rc));
	}

	imgfd = open(s->image, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (imgfd < 0) {
		rc = errno;
		s->image[0] = '\0'; /* not ours to unlink */
		scratch_teardown(s);
		return fail(err, errlen, "create image: %s", strerror(rc));
	}
	if (ftruncate(imgfd, (off_t)size) < 0) {
		rc = errno;
		close(imgfd);
		scratch_teardown(s);
		return fail(err, errlen, "ftruncate %s to %llu: %s", s->image,
			    (unsigned long long)size, strerror(rc));
	}
	if (loop_attach(s, imgfd, err, errlen) < 0) {
		bool cr = s->cannot_run;

		close(imgfd);
		scratch_teardown(s);
		s->cannot_run = cr;
		return -1;
	}
	close(imgfd);
	state_write(s);
	if (scratch_stack.stack &&
	    scratch_stack.stack(s, scratch_stack.arg, err, errlen) < 0) {
		scratch_teardown(s);
		return -1;
	}

	/* mkfs.ext4 -q -F <opts> dev */
	argv[argc++] = "mkfs.ext4";
	argv[argc++] = "-q";
	argv[argc++] = "-F";
	scopy(optbuf, sizeof(optbuf), mkfs_opts ? mkfs_opts : "");
	{
		char *save = NULL;

		for (char *t = strtok_r(optbuf, " \t\n", &save);
		     t && argc < (int)ARRAY_SIZE(argv) - 2;
		     t = strtok_r(NULL, " \t\n", &save))
			argv[argc++] = t;
	}
	argv[argc++] = s->dev;
	argv[argc] = NULL;
	snprintf(log, sizeof(log), "%s/mkfs.log", s->workdir);
	rc = run_cmd(argv, log, true);
	if (rc != 0) {
		log_tail(log, tail, sizeof(tail));
		scratch_teardown(s);
		return fail(err, errlen, "mkfs.ext4 %s on %s failed (%d): %s",
			    mkfs_opts ? mkfs_opts : "", s->loopdev, rc,
			    tail[0] ? tail : "no output");
	}
	if (mkdir_one(s->mnt, 0755) < 0) {
		rc = errno;
		scratch_teardown(s);
		return fail(err, errlen, "mkdir %s: %s", s->mnt, strerror(rc));
	}
	if (scratch_mount(s, mount_opts) < 0) {
		rc = errno;
		scratch_teardown(s);
		return fail(err, errlen, "mount %s at %s with \"%s\": %s",
			    s->loopdev, s->mnt, mount_opts ? mount_opts : "",
			    strerror(rc));
	}
	state_write(s);
	dbg("scratch: %s on %s (%s), %llu bytes", s->mnt, s->loopdev, s->image,
	    (unsigned long long)size);
	return 0;
}

void scratch_teardown(struct scratch *s)
{
	char path[4200];

	if (!s)
		return;
	if (s->mounted && s->mnt[0]) {
		if (do_umount(s->mnt, true) == 0)
			s->mounted = false;
	}
	if (scratch_stack.unstack && !s->mounted)
		scratch_stack.unstack(s, scratch_stack.arg);
	if (s->attached) {
		ioctl(s->loop_fd, LOOP_CLR_FD, 0);
		close(s->loop_fd);
		s->loop_fd = -1;
		s->attached = false;
	}
	if (s->image[0]) {
		unlink(s->image);
		s->image[0] = '\0';
	}
	if (s->workdir[0]) {
		if (s->mnt[0] && !s->mounted)
			rmdir(s->mnt);
		sjoin(path, sizeof(path), s->workdir, "/mkfs.log");
		unlink(path);
		sjoin(path, sizeof(path), s->workdir, "/state.tmp");
		unlink(path);
		if (!s->mounted) {
			/* the state stays while anything is left to reclaim */
			sjoin(path, sizeof(path), s->workdir, "/state");
			unlink(path);
			rmdir(s->workdir);
			s->workdir[0] = '\0';
		}
	}
}

struct scratch_stack_hook scratch_stack;

/* ------------------------------------------------------------------ */
/* poison, fsck */

int64_t scratch_poison(struct scratch *s, uint64_t seed)
{
	char path[4200];
	void *buf = NULL;
	uint64_t total = 0;
	unsigned nfiles = 0;
	uint32_t chunk = POISON_CHUNK;
	bool full = false;
	int mfd;

	if (!s->mounted)
		return -1;
	if (posix_memalign(&buf, 4096, POISON_CHUNK))
		return -1;
	while (!full) {
		uint64_t in_file = 0;
		int fd;

		snprintf(path, sizeof(path), "%s/.iorace-poison-%u", s->mnt,
			 nfiles);
		fd = open(path,
			  O_WRONLY | O_CREAT | O_TRUNC | O_DIRECT | O_CLOEXEC,
			  0600);
		if (fd < 0 && errno == EINVAL) /* no O_DIRECT here */
			fd = open(path,
				  O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
				  0600);
		if (fd < 0) {
			if (errno == ENOSPC || errno == EDQUOT)
				break;
			warnx_("poison: open %s: %s", path, strerror(errno));
			goto fail;
		}
		nfiles++;
		while (in_file < POISON_FILE_MAX) {
			ssize_t r;

			poison_fill(buf, total >> SECTOR_SHIFT,
				    chunk >> SECTOR_SHIFT, seed);
			r = pwrite(fd, buf, chunk, (off_t)in_file);
			if (r > 0) {
				total += (uint64_t)r;
				in_file += (uint64_t)r;
				if (r % 4096)
					break; /* cannot go on aligned */
				continue;
			}
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0 && errno != ENOSPC && errno != EDQUOT &&
			    errno != EFBIG) {
				warnx_("poison: write %s: %s", path,
				       strerror(errno));
				close(fd);
				goto fail;
			}
			if (r < 0 && errno == EFBIG)
				break;
			/* full at this size: mop up with smaller writes */
			if (chunk > 4096) {
				chunk = chunk > 65536 ? 65536 : 4096;
				continue;
			}
			full = true;
			break;
		}
		if (fsync(fd) < 0 && errno != ENOSPC)
			warnx_("poison: fsync %s: %s", path, strerror(errno));
		close(fd);
	}
	for (unsigned i = 0; i < nfiles; i++) {
		snprintf(path, sizeof(path), "%s/.iorace-poison-%u", s->mnt, i);
		unlink(path);
	}
	mfd = open(s->mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (mfd >= 0) {
		syncfs(mfd);
		close(mfd);
	}
	free(buf);
	dbg("poison: %llu bytes in %u files", (unsigned long long)total,
	    nfiles);
	return (int64_t)total;
fail:
	for (unsigned i = 0; i < nfiles; i++) {
		snprintf(path, sizeof(path), "%s/.iorace-poison-%u", s->mnt, i);
		unlink(path);
	}
	free(buf);
	return -1;
}

int scratch_fsck(struct scratch *s, const char *log_path)
{
	char *argv[] = { "e2fsck", "-fn", s->dev, NULL };

	if (!s->dev[0])
		return -1;
	return run_cmd(argv, log_path, true);
}

/* ------------------------------------------------------------------ */
/* reclaim */

static bool all_digits(const char *p)
{
	if (!*p)
		return false;
	for (; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	return true;
}

/* Is base (a file name) exactly "iorace-<pid>.img"? */
static bool image_name_of(const char *base, pid_t pid)
{
	char want[48];

	snprintf(want, sizeof(want), "iorace-%d.img", (int)pid);
	return !strcmp(base, want);
}

static const char *base_name(const char *p)
{
	const char *b = strrchr(p, '/');

	return b ? b + 1 : p;
}

/* Detach /dev/loop<nr> if it is tagged for pid; unmount it first. */
static int reclaim_loop(int nr, pid_t pid)
{
	char path[64];
	struct stat st;
	int fd, n = 0;

	snprintf(path, sizeof(path), "/dev/loop%d", nr);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return 0;
	/* our open keeps it from autoclearing under us while we look */
	if (!loop_tagged(fd, pid) || fstat(fd, &st) < 0) {
		close(fd);
		return 0;
	}
	n += unmount_matching(st.st_rdev, NULL, true);
	if (!ioctl(fd, LOOP_CLR_FD, 0) || errno == ENXIO) {
		msg("reclaim: detached %s (iorace-%d)", path, (int)pid);
		n++;
	} else {
		warnx_("reclaim: LOOP_CLR_FD %s: %s", path, strerror(errno));
	}
	close(fd);
	return n;
}

static int reclaim_tracefs(pid_t self)
{
	const char *dirs[] = { TRACEFS_INSTANCES, DEBUGFS_INSTANCES };
	int n = 0;

	for (size_t d = 0; d < ARRAY_SIZE(dirs); d++) {
		DIR *dir = opendir(dirs[d]);
		struct dirent *de;

		if (!dir)
			continue;
		while ((de = readdir(dir))) {
			char path[4200], *end;
			long pid;

			if (strncmp(de->d_name, "iorace-", 7))
				continue;
			pid = strtol(de->d_name + 7, &end, 10);
			if (end == de->d_name + 7 || (*end && *end != '-') ||
			    pid <= 0 || pid == self || pid_alive((pid_t)pid, 0))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dirs[d],
				 de->d_name);
			if (!rmdir(path)) {
				msg("reclaim: removed tracefs instance %s",
				    path);
				n++;
			} else if (errno != ENOENT) {
				warnx_("reclaim: rmdir %s: %s", path,
				       strerror(errno));
			}
		}
		closedir(dir);
		if (n)
			break; /* the same instances seen through debugfs */
	}
	return n;
}

/* Everything a state file under RUN_BASE/<pid> records. */
static int reclaim_state(const char *dir, pid_t pid, const struct state *st)
{
	char path[4200];
	int n = 0;

	if (st) {
		/* loop first: holding it open keeps it from autoclearing
		 * before its tag is checked */
		if (!strncmp(st->loop, "/dev/loop", 9) &&
		    all_digits(st->loop + 9))
			n += reclaim_loop(atoi(st->loop + 9), pid);
		if (st->mnt[0])
			n += unmount_matching(0, st->mnt, true);
		if (st->image[0] && image_name_of(base_name(st->image), pid) &&
		    !unlink(st->image)) {
			msg("reclaim: deleted image %s", st->image);
			n++;
		}
	}
	/* only our own files; a mountpoint still in use stays */
	snprintf(path, sizeof(path), "%s/mnt", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/mkfs.log", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/state.tmp", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/mnt", dir);
	if (access(path, F_OK)) {
		snprintf(path, sizeof(path), "%s/state", dir);
		unlink(path);
		if (!rmdir(dir)) {
			msg("reclaim: removed %s", dir);
			n++;
		}
	}
	return n;
}

int scratch_reclaim(void)
{
	pid_t self = getpid();
	char boot[64];
	DIR *d;
	struct dirent *de;
	int n = 0;

	boot_id(boot, sizeof(boot));

	/* 1. state directories of dead runs (this boot only) */
	d = opendir(RUN_BASE);
	while (d && (de = readdir(d))) {
		char dir[4200];
		struct state st;
		pid_t pid;

		if (!all_digits(de->d_name))
			continue;
		pid = (pid_t)atoi(de->d_name);
		if (pid == self)
			continue;
		snprintf(dir, sizeof(dir), RUN_BASE "/%s", de->d_name);
		if (state_read(dir, &st) == 0) {
			if (st.pid != pid)
				continue;
			if (st.boot[0] && boot[0] && strcmp(st.boot, boot))
				continue; /* another kernel's (a VM guest) */
			if (pid_alive(pid, st.start))
				continue;
			n += reclaim_state(dir, pid, &st);
		} else if (!pid_alive(pid, 0)) {
			n += reclaim_state(dir, pid, NULL);
		}
	}
	if (d)
		closedir(d);

	/* 2. loop devices backed by iorace-<deadpid>.img on this kernel */
	d = opendir("/sys/block");
	while (d && (de = readdir(d))) {
		char path[512], bf[4200], *p;
		struct state st;
		long pid;

		if (strncmp(de->d_name, "loop", 4) ||
		    !all_digits(de->d_name + 4))
			continue;
		snprintf(path, sizeof(path), "/sys/block/%s/loop/backing_file",
			 de->d_name);
		if (read_small(path, bf, sizeof(bf)) < 0)
			continue;
		p = strstr(bf, " (deleted)");
		if (p)
			*p = '\0';
		p = (char *)base_name(bf);
		if (strncmp(p, "iorace-", 7))
			continue;
		pid = strtol(p + 7, NULL, 10);
		if (pid <= 0 || pid == self || !image_name_of(p, (pid_t)pid))
			continue;
		snprintf(path, sizeof(path), RUN_BASE "/%ld", pid);
		if (state_read(path, &st) == 0 ?
			    pid_alive((pid_t)pid, st.start) :
			    pid_alive((pid_t)pid, 0))
			continue;
		n += reclaim_loop(atoi(de->d_name + 4), (pid_t)pid);
		if (bf[0] == '/' && !unlink(bf)) {
			msg("reclaim: deleted image %s", bf);
			n++;
		}
		if (!access(path, F_OK))
			n += reclaim_state(path, (pid_t)pid, NULL);
	}
	if (d)
		closedir(d);

	/* 3. tracefs instances */
	n += reclaim_tracefs(self);
	return n;
}
