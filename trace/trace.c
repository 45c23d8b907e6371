// SPDX-License-Identifier: GPL-2.0
/*
 * Recording: an lttng session per run for the iorace UST provider (driven
 * through the lttng CLI: liblttng-ctl's headers are not packaged here) and
 * a private tracefs instance for kernel events (kernel.c).
 */
#include "trace/trace.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/util.h"
#include "trace/kevents.h"
#include "trace/trace_internal.h"
#include "trace/iorace_tp.h"

extern char **environ;

/* Hot-path state: read by every tr_* call. */
static atomic_bool ust_on;
static atomic_uint ust_epoch;

struct tr_self {
	unsigned epoch;
	uint32_t tid;
	uint64_t seq;
};
static __thread struct tr_self self;

static struct {
	bool active;
	bool ust, kernel;
	bool session;
	bool lttng_kernel; /* kernel events through lttng-modules */
	pid_t sessiond;	   /* the lttng-sessiond we started, or 0 */
	int users_fd;	   /* SESSIOND_USERS, flock()ed shared, or -1 */
	char trace_dir[PATH_MAX];
	char name[64];
} st;

static inline struct tr_self *me(void)
{
	unsigned e = atomic_load_explicit(&ust_epoch, memory_order_relaxed);

	if (__builtin_expect(self.epoch != e, 0)) {
		self.epoch = e;
		self.seq = 0;
		if (!self.tid)
			self.tid = (uint32_t)gettid();
	}
	return &self;
}

static inline bool on(void)
{
	return atomic_load_explicit(&ust_on, memory_order_relaxed);
}

void tr_fixture_thread(uint32_t tid, uint64_t next_seq)
{
	struct tr_self *s = me();

	s->tid = tid;
	s->seq = next_seq;
}

uint64_t tr_fixture_next_seq(void)
{
	return me()->seq;
}

void tr_phase(enum tr_phase p, bool begin)
{
	if (!on())
		return;
	struct tr_self *s = me();

	lttng_ust_tracepoint(iorace, phase, s->seq++, s->tid, (int32_t)p,
			     begin);
}

void tr_run_info(uint64_t seed, unsigned nfiles, const char *workload)
{
	if (!on())
		return;
	struct tr_self *s = me();

	lttng_ust_tracepoint(iorace, run_info, s->seq++, s->tid, seed, nfiles,
			     workload ? workload : "");
}

void tr_file_info(uint32_t file, uint64_t inode, uint64_t initial_size,
		  uint32_t blocksize)
{
	if (!on())
		return;
	struct tr_self *s = me();

	lttng_ust_tracepoint(iorace, file_info, s->seq++, s->tid, file, inode,
			     initial_size, blocksize);
}

void tr_op_submit(uint64_t id, int kind, uint32_t file, uint64_t inode,
		  uint64_t off, uint64_t len, uint32_t flags, uint64_t t)
{
	if (!on())
		return;
	struct tr_self *s = me();

	lttng_ust_tracepoint(iorace, op_submit, s->seq++, s->tid, id, kind,
			     file, inode, off, len, flags, t);
}

void tr_op_complete(uint64_t id, int kind, int64_t res, uint64_t t)
{
	if (!on())
		return;
	struct tr_self *s = me();

	lttng_ust_tracepoint(iorace, op_complete, s->seq++, s->tid, id, kind,
			     res, t);
}

void tr_read_run(uint64_t id, uint64_t sector, uint32_t nsect, int cls,
		 uint32_t file_seen, uint64_t gen, uint64_t sector_seen)
{
	if (!on())
		return;
	struct tr_self *s = me();

	lttng_ust_tracepoint(iorace, read_run, s->seq++, s->tid, id, sector,
			     nsect, cls, file_seen, gen, sector_seen);
}

void tr_inject(const char *injector, const char *action, uint64_t arg)
{
	if (!on())
		return;
	struct tr_self *s = me();

	lttng_ust_tracepoint(iorace, inject, s->seq++, s->tid,
			     injector ? injector : "", action ? action : "",
			     arg);
}

void tr_watchdog(uint64_t id, uint64_t age_ns)
{
	if (!on())
		return;
	struct tr_self *s = me();

	lttng_ust_tracepoint(iorace, watchdog, s->seq++, s->tid, id, age_ns);
}

void trace_reexec_for_blocking(char **argv)
{
	if (getenv("LTTNG_UST_ALLOW_BLOCKING"))
		return;
	if (setenv("LTTNG_UST_ALLOW_BLOCKING", "1", 1))
		return;
	execv("/proc/self/exe", argv);
	warnx_("re-exec with LTTNG_UST_ALLOW_BLOCKING=1 failed: %s",
	       strerror(errno));
}

/* ---- running lttng ---------------------------------------------------- */

static int spawn(char *const argv[], int out_fd, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	int ret;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (out_fd >= 0) {
		posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
		posix_spawn_file_actions_adddup2(&fa, out_fd, 2);
	} else {
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY,
						 0);
		posix_spawn_file_actions_adddup2(&fa, 1, 2);
	}
	ret = posix_spawnp(pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (ret) {
		msg("cannot run %s: %s", argv[0], strerror(ret));
		return -1;
	}
	return 0;
}

int tr_run(char *const argv[], char **out)
{
	int p[2] = { -1, -1 }, status;
	pid_t pid;
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (out && pipe2(p, O_CLOEXEC))
		return -1;
	if (spawn(argv, out ? p[1] : -1, &pid)) {
		if (out) {
			close(p[0]);
			close(p[1]);
		}
		return -1;
	}
	if (out) {
		close(p[1]);
		for (;;) {
			grow_array((void **)&buf, &cap, n + 4097, 1);
			ssize_t r = read(p[0], buf + n, 4096);

			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			n += (size_t)r;
		}
		buf[n] = 0;
		close(p[0]);
		*out = buf;
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Run lttng --no-sessiond ARGS...; print its output on failure. */
static int lttng(const char *a0, ...)
{
	char *argv[24];
	char *out = NULL;
	va_list ap;
	int n = 0, ret;

	argv[n++] = "lttng";
	argv[n++] = "--no-sessiond";
	argv[n++] = (char *)a0;
	va_start(ap, a0);
	while (n < 23 && (argv[n] = va_arg(ap, char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;
	ret = tr_run(argv, &out);
	if (ret) {
		char cmd[512] = "";

		for (int i = 0; i < n; i++) {
			strncat(cmd, argv[i], sizeof(cmd) - strlen(cmd) - 2);
			strcat(cmd, " ");
		}
		msg("%s failed (%d): %s", cmd, ret, out ? out : "");
	}
	free(out);
	return ret;
}

static bool sessiond_running(void)
{
	char *argv[] = { "lttng", "--no-sessiond", "list", NULL };
	char *out = NULL;
	int ret = tr_run(argv, &out);

	free(out);
	return ret == 0;
}

/* LTTng's kernel tracer (lttng-modules) loaded? Then record through it. */
static bool lttng_modules_loaded(void)
{
	return !access("/sys/module/lttng_tracer", F_OK);
}

/*
 * Root has one lttng-sessiond per machine (/var/run/lttng), shared by
 * every iorace run. Each run holds SESSIOND_USERS flock()ed shared from
 * before it looks for a daemon until its session is gone; the run that
 * can then take it exclusively is the last user and stops the daemon an
 * iorace run started (its pid in SESSIOND_PID), whoever started it. So a
 * run never pulls the daemon from under another run, even one that has
 * not created its session yet.
 */
#define SESSIOND_USERS "/run/iorace-lttng.users"
#define SESSIOND_PID   "/run/iorace-lttng.pid"

static void users_join(void)
{
	st.users_fd = open(SESSIOND_USERS, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (st.users_fd >= 0 && flock(st.users_fd, LOCK_SH) < 0) {
		close(st.users_fd);
		st.users_fd = -1;
	}
}

static void write_sessiond_pid(pid_t pid)
{
	FILE *f = fopen(SESSIOND_PID, "we");

	if (!f)
		return;
	fprintf(f, "%d\n", (int)pid);
	fclose(f);
}

/* The iorace-started daemon's pid, if it still runs as lttng-sessiond. */
static pid_t read_sessiond_pid(void)
{
	char path[64], comm[64] = "";
	FILE *f = fopen(SESSIOND_PID, "re");
	int pid = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%d", &pid) != 1)
		pid = 0;
	fclose(f);
	if (pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = 0;
	fclose(f);
	return strncmp(comm, "lttng-sessiond", 14) ? 0 : (pid_t)pid;
}

static int start_sessiond(void)
{
	char log[PATH_MAX + 32];
	char *argv[] = { "lttng-sessiond",
			 st.lttng_kernel ? NULL : "--no-kernel", NULL };
	int fd, status;
	pid_t pid;

	snprintf(log, sizeof(log), "%s/lttng-sessiond.log", st.trace_dir);
	/*
	 * The daemon's command socket to each app times out after 5 s by
	 * default; on a loaded machine "start session" then fails for the
	 * app and its first events are lost (measured: 2 of 9 runs under
	 * TCG). Ours waits as long as a run may be starved.
	 */
	if (!getenv("LTTNG_APP_SOCKET_TIMEOUT"))
		setenv("LTTNG_APP_SOCKET_TIMEOUT", "300", 0);
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		msg("%s: %s", log, strerror(errno));
		return -1;
	}
	if (spawn(argv, fd, &pid)) {
		close(fd);
		return -1;
	}
	close(fd);
	for (int i = 0; i < 200; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid) {
			/*
			 * Lost a race with another starter? Use theirs, once
			 * it is up: it may still be starting (seen once in
			 * 10 rounds of two runs starting at the same time).
			 */
			for (int k = 0; k < 200 && !sessiond_running(); k++)
				sleep_ns(50 * NSEC_PER_MSEC);
			if (sessiond_running())
				return 0;
			msg("lttng-sessiond exited early, see %s", log);
			return -1;
		}
		if (sessiond_running()) {
			st.sessiond = pid;
			write_sessiond_pid(pid);
			dbg("started lttng-sessiond (pid %d)", pid);
			return 0;
		}
		sleep_ns(50 * NSEC_PER_MSEC);
	}
	msg("lttng-sessiond did not come up, see %s", log);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	return -1;
}

/*
 * A session "iorace-PID " of a process that no longer exists (killed
 * before it could destroy it): destroyed here, and not someone else's.
 */
static bool stale_session(const char *name)
{
	char sess[64], path[64];
	int pid, n = 0;

	if (sscanf(name, "iorace-%d%n", &pid, &n) != 1 || name[n] != ' ' ||
	    pid <= 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d", pid);
	if (!access(path, F_OK))
		return false;
	snprintf(sess, sizeof(sess), "iorace-%d", pid);
	{
		char *argv[] = { "lttng", "--no-sessiond", "destroy", sess,
				 NULL };

		tr_run(argv, NULL);
	}
	return true;
}

/* Any recording session other than ours (and other than dead runs')? */
static bool other_sessions(void)
{
	char *argv[] = { "lttng", "--no-sessiond", "list", NULL };
	char *out = NULL, *p;
	bool found = false;

	if (tr_run(argv, &out)) {
		free(out);
		return false;
	}
	for (p = out; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *q = p;

		const char *eol = strchr(p, '\n');
		const char *par;

		while (*q == ' ')
			q++;
		if (*q < '0' || *q > '9')
			continue;
		par = strchr(q, ')');
		if (!par || (eol && par > eol) || par[1] != ' ')
			continue;
		if (!strncmp(par + 2, st.name, strlen(st.name)) &&
		    par[2 + strlen(st.name)] == ' ')
			continue; /* ours */
		if (stale_session(par + 2))
			continue;
		found = true;
	}
	free(out);
	return found;
}

/* pid exists and is not a zombie */
static bool running(pid_t pid)
{
	char path[64], buf[256], *p;
	FILE *f;
	bool r = false;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')))
		r = p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
	fclose(f);
	return r;
}

static void stop_sessiond(void)
{
	int status;
	pid_t pid;

	if (st.users_fd >= 0) {
		/* the last user stops the daemon, whoever started it */
		bool last = !flock(st.users_fd, LOCK_EX | LOCK_NB);

		pid = last ? read_sessiond_pid() : 0;
		if (last && pid && pid != st.sessiond && !other_sessions()) {
			kill(pid, SIGTERM);
			/* not our child: it is gone once no longer running
			 * (a zombie waits for its reaper, not for us) */
			for (int i = 0; i < 100 && running(pid); i++)
				sleep_ns(50 * NSEC_PER_MSEC);
			/* as for our own: a daemon stuck in its exit path */
			if (running(pid))
				kill(pid, SIGKILL);
			for (int i = 0; i < 20 && running(pid); i++)
				sleep_ns(50 * NSEC_PER_MSEC);
			if (!running(pid))
				unlink(SESSIOND_PID);
		}
		close(st.users_fd);
		st.users_fd = -1;
		if (!last && st.sessiond) {
			dbg("lttng-sessiond (pid %d) left to the runs still "
			    "using it",
			    (int)st.sessiond);
			st.sessiond = 0; /* reaped by init after we exit */
			return;
		}
	}
	if (!st.sessiond)
		return;
	/*
	 * Don't pull the daemon from under someone else's session: wait for
	 * it a while, then leave the daemon to them (it is no longer only
	 * ours; killing it would cut their trace short).
	 */
	for (int i = 0; i < 300 && other_sessions(); i++)
		sleep_ns(100 * NSEC_PER_MSEC);
	if (other_sessions()) {
		msg("lttng-sessiond (pid %d) left running: other recording "
		    "sessions use it",
		    (int)st.sessiond);
		st.sessiond = 0;
		return;
	}
	kill(st.sessiond, SIGTERM);
	if (read_sessiond_pid() == st.sessiond)
		unlink(SESSIOND_PID);
	for (int i = 0; i < 100; i++) {
		if (waitpid(st.sessiond, &status, WNOHANG) == st.sessiond) {
			st.sessiond = 0;
			return;
		}
		sleep_ns(50 * NSEC_PER_MSEC);
	}
	kill(st.sessiond, SIGKILL);
	waitpid(st.sessiond, &status, 0);
	st.sessiond = 0;
}

/* Wait until this process is registered with the session daemon. */
static int wait_registered(void)
{
	char *argv[] = { "lttng", "--no-sessiond", "list", "-u", NULL };
	char key[32];

	snprintf(key, sizeof(key), "PID: %d ", (int)getpid());
	for (int i = 0; i < 200; i++) {
		char *out = NULL;
		bool ok;

		tr_run(argv, &out);
		ok = out && strstr(out, key);
		free(out);
		if (ok)
			return 0;
		sleep_ns(50 * NSEC_PER_MSEC);
	}
	msg("this process never registered with lttng-sessiond");
	return -1;
}

/*
 * Kernel events through lttng-modules, into the same session (only where
 * the modules are loaded; untested on machines without them). The event
 * names are lttng-modules' (same as tracefs for these tracepoints).
 */
static int lttng_kernel_events(void)
{
	const char *ev = tr_kevent_list();

	if (lttng("enable-channel", "--kernel", "--session", st.name,
		  "--subbuf-size=1M", "--num-subbuf=16", "kernel", NULL) ||
	    lttng("enable-event", "--kernel", "--session", st.name,
		  "--channel=kernel", "--tracepoint", ev, NULL) ||
	    lttng("add-context", "--kernel", "--session", st.name,
		  "--channel=kernel", "--type=tid", NULL))
		return -1;
	return 0;
}

/*
 * The lttng client keeps its state (.lttngrc, the "current session") in
 * $LTTNG_HOME, else $HOME: `lttng create` fails where HOME is read-only,
 * as under vng as root (HOME=/root on the host's read-only root). Every
 * lttng command iorace runs names its session, so unless the user chose
 * an LTTNG_HOME, the client's state goes to the run dir, and the user's
 * own ~/.lttngrc is never touched.
 */
static void lttng_home_set(void)
{
	char dir[PATH_MAX];
	char *slash;

	if (getenv("LTTNG_HOME"))
		return;
	snprintf(dir, sizeof(dir), "%s", st.trace_dir);
	slash = strrchr(dir, '/');
	if (slash && slash != dir)
		*slash = 0;
	setenv("LTTNG_HOME", dir, 1);
}

/*
 * Pre-flight: `lttng start` returning does not prove that this process
 * records. Under load the daemon's "start session" to the app can time
 * out, and every thread's first events are then lost (measured: 2 of 9
 * runs under TCG, "UST app start session failed. Communication time
 * out"). So emit iorace:probe with a random nonce on the "probe" channel,
 * whose switch timer pushes it to the stream files, and wait to find the
 * nonce there before any seq-carrying event. Not seen in time: stop,
 * start again, probe again, until the deadline.
 */
#define PROBE_SWITCH_US "50000"
#define PROBE_WAIT_NS	(10 * NSEC_PER_SEC) /* one attempt */

static bool file_has(const char *path, size_t size, const unsigned char *key)
{
	char *buf = malloc(size);
	size_t n = 0;
	ssize_t k = 1;
	bool found;
	int fd;

	if (!buf)
		return false;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	while (fd >= 0 && n < size &&
	       ((k = read(fd, buf + n, size - n)) > 0 ||
		(k < 0 && errno == EINTR)))
		n += k > 0 ? (size_t)k : 0;
	if (fd >= 0)
		close(fd);
	found = memmem(buf, n, key, 8) != NULL;
	free(buf);
	return found;
}

/* probe_* stream files under dir (recursively) hold the 8 bytes? */
static bool probe_found(const char *dir, const unsigned char *key, int depth)
{
	struct dirent *de;
	bool found = false;
	DIR *d;

	if (depth > 8 || !(d = opendir(dir)))
		return false;
	while (!found && (de = readdir(d))) {
		char path[PATH_MAX];
		struct stat sb;

		if (de->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >=
			    (int)sizeof(path) ||
		    lstat(path, &sb))
			continue;
		if (S_ISDIR(sb.st_mode)) {
			found = probe_found(path, key, depth + 1);
		} else if (S_ISREG(sb.st_mode) &&
			   !strncmp(de->d_name, "probe_", 6) &&
			   sb.st_size > 0 && sb.st_size < (64 << 20)) {
			found = file_has(path, (size_t)sb.st_size, key);
		}
	}
	closedir(d);
	return found;
}

/* IORACE_TRACE_PROBE_TIMEOUT (a duration, "3" = 3 s), else 120 s */
static uint64_t probe_deadline_ns(void)
{
	uint64_t ns;

	if (parse_duration(getenv("IORACE_TRACE_PROBE_TIMEOUT"), &ns) || !ns ||
	    ns > 3600 * NSEC_PER_SEC)
		ns = 120 * NSEC_PER_SEC;
	return ns;
}

static int ust_probe(void)
{
	uint64_t t0 = now_ns(), deadline = t0 + probe_deadline_ns();
	/* test hook: a process whose probes never arrive */
	bool drop = getenv("IORACE_TRACE_PROBE_DROP") != NULL;

	for (unsigned attempt = 1;; attempt++) {
		uint64_t nonce, t_try = now_ns();
		unsigned char key[8];

		if (getrandom(&nonce, sizeof(nonce), 0) != sizeof(nonce))
			nonce = t_try ^ ((uint64_t)getpid() << 32);
		memcpy(key, &nonce, sizeof(key)); /* CTF: native order */
		if (!drop)
			lttng_ust_tracepoint(iorace, probe, nonce);
		while (now_ns() - t_try < PROBE_WAIT_NS &&
		       now_ns() < deadline) {
			if (probe_found(st.trace_dir, key, 0)) {
				msg("trace pre-flight: recording (probe seen "
				    "after %.2f s, attempt %u)",
				    (double)(now_ns() - t0) / NSEC_PER_SEC,
				    attempt);
				return 0;
			}
			sleep_ns(20 * NSEC_PER_MSEC);
		}
		if (now_ns() >= deadline)
			break;
		msg("trace pre-flight: probe %u not recorded after %.1f s: "
		    "restarting the session",
		    attempt, (double)(now_ns() - t_try) / NSEC_PER_SEC);
		if (lttng("stop", st.name, NULL) ||
		    lttng("start", st.name, NULL))
			return -1;
	}
	msg("trace pre-flight: iorace's probe event never reached the trace "
	    "in %.0f s: this process is not recording (see %s/lttng-sessiond"
	    ".log; --no-trace runs without a trace)",
	    (double)(now_ns() - t0) / NSEC_PER_SEC, st.trace_dir);
	return -1;
}

static int ust_start(void)
{
	char out[PATH_MAX + 16], vpid[32];

	lttng_home_set();
	users_join();
	if (!sessiond_running() && start_sessiond())
		return -1;
	if (!getenv("LTTNG_UST_ALLOW_BLOCKING"))
		warnx_("LTTNG_UST_ALLOW_BLOCKING is not set: the UST channel "
		       "cannot block, events may be discarded");
	snprintf(st.name, sizeof(st.name), "iorace-%d", (int)getpid());
	snprintf(out, sizeof(out), "--output=%s", st.trace_dir);
	/* A stale session of a dead process with our pid: drop it. */
	{
		char *argv[] = { "lttng", "--no-sessiond", "destroy", st.name,
				 NULL };

		tr_run(argv, NULL);
	}
	if (lttng("create", st.name, out, NULL))
		return -1;
	st.session = true;
	/*
	 * Only this process's events: the session tracks our vpid alone.
	 * The daemon applies that when it sets up each app's channels, so
	 * it costs the hot path nothing (a --filter "$ctx.vpid == PID" ran
	 * its bytecode on every event: 12% of an event's instructions).
	 */
	snprintf(vpid, sizeof(vpid), "--vpid=%d", (int)getpid());
	if (lttng("enable-channel", "--userspace", "--session", st.name,
		  "--blocking-timeout=inf", "--subbuf-size=512K",
		  "--num-subbuf=16", "iorace", NULL) ||
	    lttng("enable-event", "--userspace", "--session", st.name,
		  "--channel=iorace", "--exclude", "iorace:probe", "iorace:*",
		  NULL) ||
	    lttng("enable-channel", "--userspace", "--session", st.name,
		  "--blocking-timeout=inf", "--subbuf-size=4K",
		  "--num-subbuf=4", "--switch-timer=" PROBE_SWITCH_US, "probe",
		  NULL) ||
	    lttng("enable-event", "--userspace", "--session", st.name,
		  "--channel=probe", "iorace:probe", NULL) ||
	    lttng("track", "--userspace", "--session", st.name, vpid, NULL))
		return -1;
	if (st.lttng_kernel && lttng_kernel_events())
		return -1;
	if (wait_registered())
		return -1;
	if (lttng("start", st.name, NULL) || ust_probe())
		return -1;
	/* A new epoch before the first seq-carrying event: seq begins at 0. */
	atomic_fetch_add(&ust_epoch, 1);
	atomic_store(&ust_on, true);
	return 0;
}

static void ust_stop(void)
{
	atomic_store(&ust_on, false);
	if (st.session) {
		lttng("stop", st.name, NULL);
		lttng("destroy", st.name, NULL);
		st.session = false;
	}
	stop_sessiond();
}

int trace_start(const struct trace_opts *o)
{
	if (st.active) {
		msg("trace_start: already tracing");
		return -1;
	}
	if (!o->ust && !o->kernel)
		return 0;
	memset(&st, 0, sizeof(st));
	st.users_fd = -1;
	if (!realpath(o->run_dir, st.trace_dir)) {
		msg("%s: %s", o->run_dir, strerror(errno));
		return -1;
	}
	strncat(st.trace_dir, "/trace",
		sizeof(st.trace_dir) - strlen(st.trace_dir) - 1);
	if (mkdir(st.trace_dir, 0755) && errno != EEXIST) {
		msg("%s: %s", st.trace_dir, strerror(errno));
		return -1;
	}
	st.active = true;
	st.ust = o->ust;
	st.kernel = o->kernel;
	if (st.kernel && st.ust && lttng_modules_loaded()) {
		msg("lttng-modules loaded: kernel events recorded through "
		    "LTTng's kernel tracer");
		st.lttng_kernel = true;
		st.kernel = false;
	}
	/* Kernel first: the UST session start is then the last step. */
	if (st.kernel && ktrace_start(st.trace_dir, o->dev))
		goto fail;
	if (st.ust && ust_start())
		goto fail;
	return 0;
fail:
	ust_stop();
	ktrace_abort();
	st.active = false;
	return -1;
}

void trace_stop(void)
{
	if (!st.active)
		return;
	/* UST first: the kernel CTF copies the UST trace's clock. */
	if (st.ust)
		ust_stop();
	if (st.kernel)
		ktrace_stop(st.trace_dir);
	st.active = false;
}
