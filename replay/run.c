// SPDX-License-Identifier: GPL-2.0
/*
 * One run, start to end: reclaim leftovers, scratch ext4, poison, files,
 * trace, stages, tamper, verify, fiemap, unmount, fsck, kernel log, report.
 * Every exit path goes through run_cleanup(); SIGINT/SIGTERM stop the
 * workload and clean up; a hung op or a stream that makes no progress
 * (watchdog, replay/watchdog.h) writes the report and exits even if a
 * thread is stuck in D state.
 */
#include <dirent.h>
#include <json-c/json.h>
#include <errno.h>
#include <libgen.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/util.h"
#include "injectors/inject.h"
#include "replay/engine.h"
#include "replay/iolog.h"
#include "replay/run_internal.h"
#include "replay/watchdog.h"
#include "replay/swarm.h"
#include "trace/trace.h"

#define WATCHDOG_TICK_NS (250 * NSEC_PER_MSEC)

void run_opts_init(struct run_opts *o)
{
	*o = (struct run_opts){
		.seed = 1,
		.scale = 1.0,
		.trace = true,
		.progress = isatty(2),
	};
}

int tamper_parse(const char *s, unsigned *out)
{
	static const char *const names[] = { "poison", "foreign", "zeros",
					     "old", "torn" };
	char *dup = xstrdup(s), *save = NULL, *tok;
	unsigned v = 0;

	for (tok = strtok_r(dup, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		unsigned k;

		if (!strcmp(tok, "all")) {
			v |= TAMPER_ALL;
			continue;
		}
		for (k = 0; k < ARRAY_SIZE(names); k++)
			if (!strcmp(tok, names[k]))
				break;
		if (k == ARRAY_SIZE(names)) {
			free(dup);
			return -1;
		}
		v |= 1u << k;
	}
	free(dup);
	if (!v)
		return -1;
	*out = v;
	return 0;
}

static int mkdir_p(const char *path)
{
	char tmp[4096];

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(tmp, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

static void write_text(const char *dir, const char *name, const char *text)
{
	char path[8192];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "a");
	if (!f)
		return;
	fputs(text, f);
	fclose(f);
}

/* Save what the kernel says about our threads and blocked tasks. */
static void save_hang_evidence(struct run *r)
{
	char path[8192], line[512];
	FILE *out;
	DIR *d;
	struct dirent *de;
	int fd;

	snprintf(path, sizeof(path), "%s/hang-stacks.txt", r->run_dir);
	out = fopen(path, "w");
	d = opendir("/proc/self/task");
	while (out && d && (de = readdir(d))) {
		char sp[300];
		FILE *s;

		if (de->d_name[0] == '.')
			continue;
		snprintf(sp, sizeof(sp), "/proc/self/task/%s/stack",
			 de->d_name);
		fprintf(out, "== tid %s\n", de->d_name);
		s = fopen(sp, "r");
		while (s && fgets(line, sizeof(line), s))
			fputs(line, out);
		if (s)
			fclose(s);
	}
	if (d)
		closedir(d);
	if (out)
		fclose(out);
	/* blocked-task dump into the kernel log */
	fd = open("/proc/sysrq-trigger", O_WRONLY);
	if (fd < 0 || write(fd, "w", 1) != 1) {
		size_t n = strlen(r->hang_note);

		snprintf(r->hang_note + n, sizeof(r->hang_note) - n,
			 "; no blocked-task dump: sysrq unavailable (%s)",
			 strerror(errno));
	}
	if (fd >= 0)
		close(fd);
	sleep_ns(500 * NSEC_PER_MSEC);
}

/*
 * A HANG: the finding, the dump (thread stacks, sysrq w), the report, and
 * out, even with a thread stuck in D state. id 0: no op (a stalled stream).
 */
static void hang_exit(struct run *r, uint64_t id, uint64_t age,
		      const char *what)
{
	struct finding f = { .cls = F_HANG, .op_id = id };
	char path[8192];

	if (id)
		snprintf(f.expected, sizeof(f.expected),
			 "every op to complete within %.1f s",
			 r->watchdog_ns / 1e9);
	else
		snprintf(f.expected, sizeof(f.expected),
			 "every stream to make progress within %.1f s",
			 r->watchdog_ns / 1e9);
	snprintf(f.seen, sizeof(f.seen), "%s", what);
	findings_add(&r->findings, &f);
	snprintf(r->hang_note, sizeof(r->hang_note),
		 "%s; stacks in hang-stacks.txt, blocked tasks (sysrq w) in "
		 "kernel.log",
		 what);
	msg("HANG: %s", r->hang_note);
	tr_watchdog(id, age);
	save_hang_evidence(r);
	snprintf(path, sizeof(path), "%s/kernel.log", r->run_dir);
	r->kmsg_matches += kmsg_scan(r->kmsg_fd, path, &r->findings);
	r->exit_status = EXIT_FINDINGS;
	r->t_end = r->t_workload_end = now_ns();
	inject_write_log(r); /* which injector fired, if one did */
	report_write(r);
	trace_stop();
	if (r->scratch.mounted) {
		int fd = open(r->scratch.mnt, O_RDONLY | O_DIRECTORY);

		/* a frozen fs is one known cause: thaw it so the ops drain */
		if (fd >= 0) {
			if (!ioctl(fd, FITHAW, 0))
				msg("the scratch filesystem was frozen; thawed "
				    "it");
			close(fd);
		}
		/* a lazy unmount does not wait for the stuck op */
		umount2(r->scratch.mnt, MNT_DETACH);
	}
	msg("exiting with a hung %s; a later run reclaims the loop device",
	    id ? "op" : "stream");
	_exit(EXIT_FINDINGS);
}

static void hang_inflight(struct run *r, uint64_t id, uint64_t age)
{
	char what[160];

	snprintf(what, sizeof(what), "op %llu in flight for %.1f s",
		 (unsigned long long)id, age / 1e9);
	hang_exit(r, id, age, what);
}

/* Judge the streams of the stage being executed (replay/watchdog.h). */
static void watch_streams(struct run *r, uint64_t now)
{
	for (size_t i = 0; i < r->plan.nstreams; i++) {
		struct stream_state *ss = &r->streams[i];
		struct wd_stream w = {
			.active = ss->ps && !atomic_load(&ss->done),
			.oldest_submit = atomic_load(&ss->oldest_submit),
			.last_progress = atomic_load(&ss->last_progress),
			.wait_until = atomic_load(&ss->wait_until),
		};
		uint64_t age = 0;
		char what[200];

		switch (wd_judge(&w, now, r->watchdog_ns, &age)) {
		case WD_OK:
			break;
		case WD_INFLIGHT:
			hang_inflight(r, atomic_load(&ss->oldest_id), age);
			break;
		case WD_NOPROGRESS:
			snprintf(what, sizeof(what),
				 "stream %zu (job %u, thread %d) made no "
				 "progress for %.1f s: no op in flight, none "
				 "submitted or completed, no planned time "
				 "pending",
				 i, ss->ps->job, (int)ss->tid, age / 1e9);
			hang_exit(r, 0, age, what);
			break;
		}
	}
}

void *watchdog_thread(void *arg)
{
	struct run *r = arg;

	while (!atomic_load(&r->stop)) {
		uint64_t now = now_ns(), t;

		watch_streams(r, now);
		t = atomic_load(&r->main_oldest_submit);
		if (t && now > t && now - t > r->watchdog_ns)
			hang_inflight(r, atomic_load(&r->main_oldest_id),
				      now - t);
		sleep_ns(WATCHDOG_TICK_NS);
	}
	return NULL;
}

struct sigctl {
	struct run *r;
	atomic_bool quit;
	sigset_t set;
};

static void *signal_thread(void *arg)
{
	struct sigctl *sc = arg;
	struct timespec ts = { 0, 200 * 1000 * 1000 };

	while (!atomic_load(&sc->quit)) {
		int s = sigtimedwait(&sc->set, NULL, &ts);

		if (s <= 0)
			continue;
		if (atomic_load(&sc->r->stop)) {
			msg("second signal: stopping harder");
			continue;
		}
		sc->r->signo = s;
		msg("%s: stopping the workload and cleaning up", strsignal(s));
		atomic_store(&sc->r->stop, true);
	}
	return NULL;
}

static atomic_bool progress_quit;

static void *progress_thread(void *arg)
{
	struct run *r = arg;

	while (!atomic_load(&progress_quit)) {
		fprintf(stderr,
			"\r[stage %u] ops %llu/%llu  verified %llu sectors  "
			"findings %llu ",
			r->stage, (unsigned long long)atomic_load(&r->ops_done),
			(unsigned long long)r->plan.nops,
			(unsigned long long)atomic_load(&r->sectors_verified),
			(unsigned long long)findings_total(&r->findings));
		for (int i = 0; i < 10 && !atomic_load(&progress_quit); i++)
			sleep_ns(100 * NSEC_PER_MSEC);
	}
	fprintf(stderr, "\n");
	return NULL;
}

static int open_files(struct run *r)
{
	r->files = xcalloc(r->nfiles, sizeof(*r->files));
	for (unsigned i = 0; i < r->nfiles; i++) {
		struct run_file *f = &r->files[i];
		char path[8192];
		struct stat st;

		f->fd_direct = f->fd_dsync = f->fd_buffered = -1;
		snprintf(path, sizeof(path), "%s/f%u", r->scratch.mnt, i);
		f->fd_buffered = open(path, O_RDWR | O_CREAT | O_EXCL, 0644);
		if (f->fd_buffered < 0) {
			msg("create %s: %s", path, strerror(errno));
			return -1;
		}
		f->initial_size = r->wl.filesize;
		if (r->wl.filesize) {
			int rc = r->wl.fallocate ?
					 fallocate(f->fd_buffered, 0, 0,
						   (off_t)r->wl.filesize) :
					 ftruncate(f->fd_buffered,
						   (off_t)r->wl.filesize);
			if (rc < 0) {
				msg("size %s to %llu: %s", path,
				    (unsigned long long)r->wl.filesize,
				    strerror(errno));
				return -1;
			}
		}
		if (fsync(f->fd_buffered) < 0 || fstat(f->fd_buffered, &st)) {
			msg("fsync %s: %s", path, strerror(errno));
			return -1;
		}
		f->inode = st.st_ino;
		f->fd_direct = open(path, O_RDWR | O_DIRECT);
		f->fd_dsync = open(path, O_RDWR | O_DIRECT | O_DSYNC);
		if (f->fd_direct < 0 || f->fd_dsync < 0) {
			msg("open %s O_DIRECT: %s", path, strerror(errno));
			return -1;
		}
		tr_file_info(i, f->inode, f->initial_size,
			     (uint32_t)st.st_blksize);
	}
	return 0;
}

/* close every descriptor of the run's files (also used after a crash) */
void run_close_files(struct run *r)
{
	for (unsigned i = 0; r->files && i < r->nfiles; i++) {
		struct run_file *f = &r->files[i];

		if (f->fd_direct >= 0)
			close(f->fd_direct);
		if (f->fd_dsync >= 0)
			close(f->fd_dsync);
		if (f->fd_buffered >= 0)
			close(f->fd_buffered);
		f->fd_direct = f->fd_dsync = f->fd_buffered = -1;
	}
}

static void run_free(struct run *r)
{
	run_close_files(r);
	inject_run_free(r);
	free(r->files);
	if (r->oracle)
		oracle_free(r->oracle);
	findings_free(&r->findings);
	for (int k = 0; k < OP_NKINDS; k++)
		free(r->lat[k].v);
	free(r->executed);
	free(r->streams);
	plan_free(&r->plan);
	workload_free(&r->wl);
	if (r->kmsg_fd >= 0)
		close(r->kmsg_fd);
}

static int record_oplog(struct run *r, const char *path)
{
	FILE *f = fopen(path, "w");
	int rc;

	if (!f) {
		msg("cannot write op log %s: %s", path, strerror(errno));
		return -1;
	}
	rc = plan_write_oplog(&r->plan, r->executed, f);
	inject_write_oplog(r, f);
	if (fclose(f) || rc < 0)
		return -1;
	return 0;
}

/* --iolog without WORKLOAD: the workload made for it (RUN/iolog.job) */
static char *iolog_wl_text;

/* --write-iolog / write_iolog=: a fio v2 iolog of the executed ops */
static int write_iolog(struct run *r, const char *path)
{
	FILE *f = fopen(path, "w");
	char *copy = xstrdup(path), *dir;
	size_t skipped;
	int rc;

	if (!f) {
		msg("cannot write iolog %s: %s", path, strerror(errno));
		free(copy);
		return -1;
	}
	/* absolute names: fio 3.33 crashes on relative ones + directory= */
	dir = realpath(dirname(copy), NULL);
	rc = iolog_write(&r->plan, r->executed, r->wl.nrfiles,
			 r->wl.nfnames >= r->wl.nrfiles ? r->wl.fnames : NULL,
			 dir, f, &skipped);
	free(dir);
	free(copy);
	if (fclose(f) || rc < 0) {
		msg("cannot write iolog %s", path);
		return -1;
	}
	msg("fio v2 iolog of the executed ops: %s%s", path,
	    skipped ? " (ops with no iolog action left out)" : "");
	if (skipped)
		msg("iolog: %zu truncate/fallocate/zero_range/collapse/insert "
		    "(or punch-to-EOF) ops have no fio iolog action",
		    skipped);
	return 0;
}

/* The workload of a run: WORKLOAD, or the one made for an iolog. */
static int load_workload(struct run *r, const struct run_opts *o,
			 const struct iolog *il, char *err, size_t errlen)
{
	char path[4096];

	if (!o->workload) {
		free(iolog_wl_text);
		iolog_wl_text = iolog_workload_text(il, o->iolog);
		return workload_parse_string(iolog_wl_text, "iolog", &r->wl,
					     err, errlen);
	}
	if (workload_resolve(o->workload, path, sizeof(path)) < 0) {
		snprintf(err, errlen, "no workload '%s' (try `iorace list`)",
			 o->workload);
		return -1;
	}
	return workload_parse_file(path, &r->wl, err, errlen);
}

static int load(struct run *r, const struct run_opts *o)
{
	char err[16384];
	struct iolog il = { 0 };
	const char *ilp;
	int rc;

	if (o->iolog && iolog_parse(o->iolog, &il, err, sizeof(err)) < 0) {
		msg("%s", err);
		return EXIT_USAGE;
	}
	if (load_workload(r, o, &il, err, sizeof(err)) < 0) {
		msg("%s", err);
		iolog_free(&il);
		return EXIT_USAGE;
	}
	/* a workload's read_iolog= job runs as --iolog with that workload */
	ilp = o->iolog				? o->iolog :
	      r->wl.read_iolog[0] && !o->replay ? r->wl.read_iolog :
						  NULL;
	if (ilp && !o->iolog && iolog_parse(ilp, &il, err, sizeof(err)) < 0) {
		msg("%s", err);
		return EXIT_USAGE;
	}
	if (ilp) {
		const struct wl_job *j0 = r->wl.njobs ? &r->wl.jobs[0] : NULL;
		bool direct = !j0 || j0->type != JOB_IO || j0->direct;

		rc = iolog_fit(&il, &r->wl, err, sizeof(err));
		if (!rc)
			rc = iolog_plan(&il, direct, o->seed, r->wl.name,
					&r->plan);
		if (!rc)
			iolog_print_mapping(&il, ilp, stderr);
		iolog_free(&il);
		if (rc) {
			msg("%s: %s", ilp, err);
			return EXIT_USAGE;
		}
	}
	if (o->replay &&
	    plan_read_oplog(o->replay, &r->plan, err, sizeof(err)) < 0) {
		msg("%s", err);
		return EXIT_USAGE;
	}
	/* swarm: the configuration is drawn from the (replayed) seed */
	if (r->wl.swarm &&
	    swarm_expand(&r->wl, o->replay ? r->plan.seed : o->seed, err,
			 sizeof(err)) < 0) {
		msg("swarm: %s", err);
		return EXIT_USAGE;
	}
	if (!ilp && workload_scale(&r->wl, o->scale, err, sizeof(err)) < 0) {
		msg("%s", err);
		return EXIT_USAGE;
	}
	snprintf(r->workload_name, sizeof(r->workload_name), "%s", r->wl.name);
	workload_print_notes(&r->wl, stderr);
	if (!o->replay && !ilp && plan_build(&r->wl, o->seed, &r->plan) < 0) {
		msg("cannot plan workload %s", r->wl.name);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < r->plan.nops; i++) {
		if (r->plan.ops[i].file >= r->wl.nrfiles) {
			if (r->plan.line)
				msg("%s:%d: op %llu uses file %u but the "
				    "workload has %u files",
				    r->plan.path, r->plan.line[i],
				    (unsigned long long)r->plan.ops[i].id,
				    r->plan.ops[i].file, r->wl.nrfiles);
			else
				msg("op %llu uses file %u but the workload has "
				    "%u "
				    "files",
				    (unsigned long long)r->plan.ops[i].id,
				    r->plan.ops[i].file, r->wl.nrfiles);
			return EXIT_USAGE;
		}
	}
	return 0;
}

/* report.html of a run without a trace check: the runner's latencies. */
static void write_html_untraced(struct run *r)
{
	const uint64_t *v[OP_NKINDS];
	size_t n[OP_NKINDS];
	char path[8192];

	if (!r->opts->html_samples)
		return;
	snprintf(path, sizeof(path), "%s/report.html", r->run_dir);
	if (!access(path, F_OK))
		return;
	for (unsigned k = 0; k < OP_NKINDS; k++) {
		v[k] = r->lat[k].v;
		n[k] = r->lat[k].n;
	}
	r->opts->html_samples(path, r->run_dir, v, n);
}

int run_workload(const struct run_opts *o, char *run_dir_out, size_t len)
{
	static struct run run; /* reachable from the watchdog's _exit path */
	struct run *r = &run;
	struct sigctl sc = { .r = r };
	pthread_t sig_tid, wd_tid, prog_tid;
	bool prog = false, wd = false;
	char err[512], path[8192];
	int status, rc;
	uint64_t maxid = 0;

	memset(r, 0, sizeof(*r));
	r->opts = o;
	r->kmsg_fd = -1;
	r->t_start = now_ns();
	pthread_mutex_init(&r->lock, NULL);
	pthread_mutex_init(&r->shift_lock, NULL);
	findings_init(&r->findings);
	status = load(r, o);
	if (status)
		goto out_free;
	if (o->engine) {
		r->engine_override = engine_find(o->engine);
		if (!r->engine_override) {
			msg("unknown engine '%s' (libaio, io_uring, sync)",
			    o->engine);
			status = EXIT_USAGE;
			goto out_free;
		}
	}
	status = inject_run_init(r);
	if (status)
		goto out_free;
	if (scratch_can_run(err, sizeof(err)) < 0) {
		msg("cannot run here: %s", err);
		status = EXIT_CANNOT_RUN;
		goto out_free;
	}
	if (o->out_dir) {
		snprintf(r->run_dir, sizeof(r->run_dir), "%s", o->out_dir);
	} else {
		time_t t = time(NULL);
		struct tm tm;
		char ts[32];

		localtime_r(&t, &tm);
		strftime(ts, sizeof(ts), "%Y%m%d-%H%M%S", &tm);
		snprintf(r->run_dir, sizeof(r->run_dir), "results/%s-%s-%d",
			 r->workload_name, ts, (int)getpid());
	}
	if (mkdir_p(r->run_dir) < 0) {
		msg("cannot create run dir %s: %s", r->run_dir,
		    strerror(errno));
		status = EXIT_USAGE;
		goto out_free;
	}
	if (run_dir_out)
		snprintf(run_dir_out, len, "%s", r->run_dir);
	if (o->iolog && !o->workload && iolog_wl_text) {
		/* so that `iorace run RUN/iolog.job --replay RUN/oplog` works
		 */
		FILE *wf;

		snprintf(path, sizeof(path), "%s/iolog.job", r->run_dir);
		wf = fopen(path, "w");
		if (!wf || fputs(iolog_wl_text, wf) < 0)
			msg("warning: cannot write %s", path);
		if (wf)
			fclose(wf);
	}
	r->watchdog_ns = o->watchdog_ns ? o->watchdog_ns : r->wl.watchdog_ns;
	if (!r->watchdog_ns)
		r->watchdog_ns = 60 * NSEC_PER_SEC;
	r->nfiles = r->wl.nrfiles;
	r->executed = xcalloc(r->plan.nops ? r->plan.nops : 1, 1);
	r->streams = xcalloc(r->plan.nstreams ? r->plan.nstreams : 1,
			     sizeof(*r->streams));
	for (size_t i = 0; i < r->plan.nops; i++)
		maxid = MAX(maxid, r->plan.ops[i].id);
	atomic_store(&r->next_extra_id, maxid + 1);

	/* signals go to one thread; every other thread inherits the mask */
	sigemptyset(&sc.set);
	sigaddset(&sc.set, SIGINT);
	sigaddset(&sc.set, SIGTERM);
	sigaddset(&sc.set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sc.set, NULL);
	pthread_create(&sig_tid, NULL, signal_thread, &sc);

	scratch_reclaim();
	inject_reclaim();
	r->kmsg_fd = kmsg_open();
	msg("run %s: workload %s seed %llu scale %g, %zu ops in %zu streams",
	    r->run_dir, r->workload_name, (unsigned long long)r->plan.seed,
	    o->scale, r->plan.nops, r->plan.nstreams);
	if (scratch_setup(&r->scratch, o->base_dir, r->wl.image_size,
			  r->wl.mkfs_opts, r->wl.mount_opts, err,
			  sizeof(err)) < 0) {
		msg("scratch setup: %s", err);
		status = EXIT_CANNOT_RUN;
		goto out_teardown;
	}
	if (o->trace) {
		struct trace_opts to = { .run_dir = r->run_dir,
					 .dev = r->scratch.dev,
					 .ust = true,
					 .kernel = true };

		if (trace_start(&to) < 0) {
			msg("cannot trace here (use --no-trace to run "
			    "without)");
			status = EXIT_CANNOT_RUN;
			goto out_teardown;
		}
	}
	tr_run_info(r->plan.seed, r->nfiles, r->workload_name);
	if (r->wl.poison && !atomic_load(&r->stop)) {
		int64_t pb;

		tr_phase(TRP_POISON, true);
		pb = scratch_poison(&r->scratch, r->plan.seed);
		tr_phase(TRP_POISON, false);
		if (pb < 0) {
			msg("poisoning free space failed");
			status = EXIT_CANNOT_RUN;
			goto out_teardown;
		}
		r->poison_bytes = (uint64_t)pb;
	}
	tr_phase(TRP_SETUP, true);
	rc = open_files(r);
	tr_phase(TRP_SETUP, false);
	if (rc < 0) {
		status = EXIT_CANNOT_RUN;
		goto out_teardown;
	}
	{
		uint64_t *sizes = xcalloc(r->nfiles, sizeof(*sizes));

		for (unsigned i = 0; i < r->nfiles; i++)
			sizes[i] = r->files[i].initial_size;
		r->oracle = oracle_new(r->nfiles, sizes, r->plan.seed);
		free(sizes);
	}
	status = inject_workload_start(r);
	if (status)
		goto out_teardown;
	if (o->progress) {
		atomic_store(&progress_quit, false);
		prog = !pthread_create(&prog_tid, NULL, progress_thread, r);
	}
	wd = !pthread_create(&wd_tid, NULL, watchdog_thread, r);

	tr_phase(TRP_WORKLOAD, true);
	r->t_workload_start = now_ns();
	for (unsigned s = 0; s < r->plan.nstages && !atomic_load(&r->stop);
	     s++) {
		if (exec_stage(r, s) < 0) {
			msg("stage %u failed", s);
			status = EXIT_CANNOT_RUN;
			break;
		}
	}
	r->t_workload_end = now_ns();
	tr_phase(TRP_WORKLOAD, false);
	{
		uint64_t before[F_NCLASSES];

		pthread_mutex_lock(&r->findings.lock);
		memcpy(before, r->findings.count, sizeof(before));
		pthread_mutex_unlock(&r->findings.lock);
		rc = inject_after_workload(r);
		pthread_mutex_lock(&r->findings.lock);
		for (int c = 0; c < F_NCLASSES; c++)
			r->offline_count[c] = r->findings.count[c] - before[c];
		pthread_mutex_unlock(&r->findings.lock);
	}
	if (rc && !status)
		status = rc;

	tr_phase(TRP_VERIFY, true);
	if (!atomic_load(&r->stop) && o->tamper)
		tamper_files(r);
	if (!atomic_load(&r->stop) && !o->bare)
		verify_files(r);
	if (!atomic_load(&r->stop))
		fiemap_files(r);
	tr_phase(TRP_VERIFY, false);
	if (o->record && record_oplog(r, o->record) < 0)
		status = EXIT_USAGE;
	if ((o->write_iolog || r->wl.write_iolog[0]) &&
	    write_iolog(r, o->write_iolog ? o->write_iolog :
					    r->wl.write_iolog) < 0)
		status = EXIT_USAGE;
	/* every run dir keeps its executed op log (iorace shrink reads it) */
	if (r->run_dir[0]) {
		char olp[5400];

		snprintf(olp, sizeof(olp), "%s/oplog", r->run_dir);
		if (record_oplog(r, olp) < 0)
			msg("warning: no op log in the run dir");
	}

	atomic_store(&r->stop, true);
	if (wd)
		pthread_join(wd_tid, NULL);
	if (prog) {
		atomic_store(&progress_quit, true);
		pthread_join(prog_tid, NULL);
	}

out_teardown:
	tr_phase(TRP_TEARDOWN, true);
	run_close_files(r);
	if (r->scratch.mounted) {
		if (scratch_unmount(&r->scratch) < 0)
			msg("unmount %s failed", r->scratch.mnt);
		else if (!r->signo && status == 0) {
			snprintf(path, sizeof(path), "%s/fsck.log", r->run_dir);
			r->fsck_status = scratch_fsck(&r->scratch, path);
			if (r->fsck_status) {
				struct finding f = { .cls = F_FSCK };

				snprintf(f.expected, sizeof(f.expected),
					 "e2fsck -fn clean");
				snprintf(f.seen, sizeof(f.seen),
					 "e2fsck exit %d (fsck.log)",
					 r->fsck_status);
				findings_add(&r->findings, &f);
			}
		}
	}
	tr_phase(TRP_TEARDOWN, false);
	trace_stop();
	scratch_teardown(&r->scratch);
	if (r->run_dir[0]) {
		snprintf(path, sizeof(path), "%s/kernel.log", r->run_dir);
		r->kmsg_matches += kmsg_scan(r->kmsg_fd, path, &r->findings);
	}
	atomic_store(&sc.quit, true);
	pthread_join(sig_tid, NULL);
	pthread_sigmask(SIG_UNBLOCK, &sc.set, NULL);

	if (!status && findings_total(&r->findings))
		status = EXIT_FINDINGS;
	if (r->signo && !status)
		status = 128 + r->signo;
	r->exit_status = status;
	r->t_end = now_ns();
	if (r->run_dir[0] && r->oracle) {
		inject_write_log(r);
		report_write(r);
		msg("%s: %s, %llu findings, %llu sectors verified, fsck %s "
		    "(%s/report.txt)",
		    r->workload_name, status ? "FAIL" : "PASS",
		    (unsigned long long)findings_total(&r->findings),
		    (unsigned long long)atomic_load(&r->sectors_verified),
		    r->fsck_status ? "NOT clean" : "clean", r->run_dir);
	}
	if (r->run_dir[0] && r->oracle) {
		/* not an old run's: this run's trace check or the runner's */
		snprintf(path, sizeof(path), "%s/report.html", r->run_dir);
		unlink(path);
	}
	if (r->run_dir[0] && r->oracle && o->trace && !r->signo && o->check)
		status = o->check(r->run_dir, status);
	if (r->run_dir[0] && r->oracle)
		write_html_untraced(r); /* unless the trace check wrote one */
	if (r->run_dir[0] && status == EXIT_FINDINGS) {
		char line[256];

		snprintf(line, sizeof(line), "%llu findings\n",
			 (unsigned long long)findings_total(&r->findings));
		write_text(r->run_dir, "FAILED", line);
	}
out_free:
	run_free(r);
	return status;
}

int run_repeat(const struct run_opts *o, unsigned n)
{
	struct run_opts one = *o;
	unsigned failed_runs = 0, inconclusive_runs = 0;
	unsigned hits[F_NCLASSES] = { 0 };
	char base[4096], dir[4200], path[8192];
	json_object *root, *jruns, *jcls;
	int worst = 0;

	if (o->out_dir)
		snprintf(base, sizeof(base), "%s", o->out_dir);
	else
		snprintf(base, sizeof(base), "results/repeat-%d",
			 (int)getpid());
	if (mkdir_p(base) < 0) {
		msg("cannot create %s: %s", base, strerror(errno));
		return EXIT_USAGE;
	}
	root = json_object_new_object();
	jruns = json_object_new_array();
	for (unsigned i = 0; i < n; i++) {
		json_object *rep, *jf, *jr = json_object_new_object();
		int st;

		snprintf(dir, sizeof(dir), "%s/run-%u", base, i);
		one.out_dir = dir;
		one.seed = o->seed + i;
		st = run_workload(&one, NULL, 0);
		json_object_object_add(jr, "dir", json_object_new_string(dir));
		json_object_object_add(
			jr, "seed", json_object_new_int64((int64_t)one.seed));
		json_object_object_add(jr, "exit", json_object_new_int(st));
		json_object_array_add(jruns, jr);
		if (st != EXIT_CLEAN && st != EXIT_FINDINGS &&
		    st != EXIT_INCONCLUSIVE) {
			worst = st;
			break;
		}
		if (st == EXIT_FINDINGS)
			failed_runs++;
		if (st == EXIT_INCONCLUSIVE)
			inconclusive_runs++;
		snprintf(path, sizeof(path), "%s/report.json", dir);
		rep = json_object_from_file(path);
		if (rep && json_object_object_get_ex(rep, "findings", &jf)) {
			for (int c = 0; c < F_NCLASSES; c++) {
				json_object *v;

				if (json_object_object_get_ex(
					    jf, finding_class_name(c), &v) &&
				    json_object_get_int64(v) > 0)
					hits[c]++;
			}
		}
		json_object_put(rep);
	}
	jcls = json_object_new_object();
	printf("%-14s %6s %6s  %s\n", "class", "runs", "of", "kind");
	for (int c = 0; c < F_NCLASSES; c++) {
		json_object_object_add(jcls, finding_class_name(c),
				       json_object_new_int((int)hits[c]));
		if (hits[c])
			printf("%-14s %6u %6u  %s\n", finding_class_name(c),
			       hits[c], n, hits[c] == n ? "solid" : "flaky");
	}
	printf("%u of %u runs had findings\n", failed_runs, n);
	if (inconclusive_runs)
		printf("%u of %u runs inconclusive (their trace lost events)\n",
		       inconclusive_runs, n);
	json_object_object_add(root, "runs", jruns);
	json_object_object_add(root, "runs_with_class", jcls);
	json_object_object_add(root, "failed_runs",
			       json_object_new_int((int)failed_runs));
	json_object_object_add(root, "inconclusive_runs",
			       json_object_new_int((int)inconclusive_runs));
	json_object_object_add(root, "total_runs", json_object_new_int((int)n));
	snprintf(path, sizeof(path), "%s/repeat.json", base);
	json_object_to_file_ext(path, root, JSON_C_TO_STRING_PRETTY);
	json_object_put(root);
	if (worst)
		return worst;
	if (failed_runs)
		return EXIT_FINDINGS;
	return inconclusive_runs ? EXIT_INCONCLUSIVE : EXIT_CLEAN;
}
