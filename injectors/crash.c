// SPDX-License-Identifier: GPL-2.0
/*
 * Crash simulation: the trigger (crash=, inject.h), the power cut through
 * dm-flakey drop_writes, the remount and the durability check; and the
 * thread that places dm-log-writes marks after syncs and O_DSYNC writes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util.h"
#include "injectors/inject_internal.h"
#include "model/stamp.h"
#include "trace/trace.h"

static bool sync_kind(int kind)
{
	return kind == OP_FSYNC || kind == OP_FDATASYNC;
}

void inject_op_submitted(struct run *r, const struct oracle_op *op)
{
	struct inject_run *ir = r->inj;

	if (ir && ir->dur)
		dur_submit(ir->dur, op);
}

static void trigger(struct inject_run *ir, uint64_t t)
{
	uint64_t zero = 0;

	atomic_compare_exchange_strong(&ir->t_trigger, &zero, t);
}

void inject_op_completed(struct run *r, uint64_t id, int kind, int64_t res,
			 uint64_t t_complete)
{
	struct inject_run *ir = r->inj;
	bool dsync;

	if (!ir || !ir->dur)
		return;
	dur_complete(ir->dur, id, res, t_complete);
	dsync = kind == OP_WRITE && res > 0 &&
		(dur_op_flags(ir->dur, id) & OPF_DSYNC);
	if (sync_kind(kind) && res == 0) {
		unsigned n = atomic_fetch_add(&ir->nsyncs, 1) + 1;

		if (ir->conf.crash == CRASH_AFTER_FSYNC &&
		    n == ir->conf.crash_arg)
			trigger(ir, t_complete);
		if (ir->conf.crash == CRASH_DROP_BEFORE_FSYNC &&
		    id == ir->drop_sync_id)
			trigger(ir, t_complete);
	}
	if (dsync) {
		unsigned n = atomic_fetch_add(&ir->ndsyncs, 1) + 1;

		if (ir->conf.crash == CRASH_AFTER_DSYNC &&
		    n == ir->conf.crash_arg)
			trigger(ir, t_complete);
	}
	if (ir->conf.dm == DMK_LOG_WRITES &&
	    ((sync_kind(kind) && !res) || dsync))
		atomic_fetch_add(&ir->marks_wanted, 1);
}

void inject_before_sync(struct run *r, uint64_t id)
{
	struct inject_run *ir = r->inj;
	unsigned n;

	if (!ir || ir->conf.crash != CRASH_DROP_BEFORE_FSYNC)
		return;
	n = atomic_fetch_add(&ir->nsync_submits, 1) + 1;
	if (n != ir->conf.crash_arg || atomic_load(&ir->dropping))
		return;
	/* writes vanish from here on, but the fsync will "succeed" */
	if (dm_flakey_drop_writes(r) == 0) {
		atomic_store(&ir->dropping, true);
		ir->drop_sync_id = id;
		inject_note(r, "drop_writes_before_fsync", id, 0, n);
	}
}

/* The power cut: from now on nothing reaches the disk. */
static void cut(struct run *r, const char *why)
{
	struct inject_run *ir = r->inj;

	if (atomic_exchange(&ir->crashed, true))
		return;
	atomic_store(&ir->t_crash, now_ns());
	if (!atomic_load(&ir->dropping)) {
		if (dm_flakey_drop_writes(r) == 0)
			atomic_store(&ir->dropping, true);
	}
	tr_inject("crash", why, atomic_load(&ir->t_crash));
	inject_note(r, "crash", 0, 0, atomic_load(&ir->t_crash));
	msg("crash (%s): writes dropped, stopping the workload", why);
	atomic_store(&r->stop, true);
}

static void place_mark(struct run *r)
{
	struct inject_run *ir = r->inj;
	struct lw_mark m;

	m.t = now_ns();
	snprintf(m.name, sizeof(m.name), "m%zu", ir->nmarks + 1);
	if (lw_mark(r, m.name) < 0)
		return;
	pthread_mutex_lock(&ir->lock);
	grow_array((void **)&ir->marks, &ir->mcap, ir->nmarks + 1,
		   sizeof(*ir->marks));
	ir->marks[ir->nmarks++] = m;
	pthread_mutex_unlock(&ir->lock);
}

static bool dm_start_due(struct run *r)
{
	const struct inject_run *ir = r->inj;

	switch (ir->conf.dm_start) {
	case DMS_START:
		return true;
	case DMS_TIME:
		return r->t_workload_start &&
		       now_ns() >= r->t_workload_start + ir->conf.dm_start_arg;
	case DMS_AFTER_FSYNC:
		return atomic_load(&ir->nsyncs) >= ir->conf.dm_start_arg;
	case DMS_AFTER_COMPLETIONS:
		return atomic_load(&r->ops_done) >= ir->conf.dm_start_arg;
	}
	return false;
}

static void *crash_thread(void *arg)
{
	struct run *r = arg;
	struct inject_run *ir = r->inj;
	unsigned marked = 0;
	bool dm_started = ir->conf.dm_start == DMS_START;

	while (!atomic_load(&r->stop) && !ir->quit) {
		uint64_t t = atomic_load(&ir->t_trigger);
		unsigned want = atomic_load(&ir->marks_wanted);

		if (!dm_started && dm_start_due(r)) {
			inject_start_deferred(r);
			dm_started = true;
		}

		if (ir->conf.crash == CRASH_TIME && !t && r->t_workload_start &&
		    now_ns() >= r->t_workload_start + ir->conf.crash_arg) {
			trigger(ir, now_ns());
			t = atomic_load(&ir->t_trigger);
		}
		if (t && now_ns() >= t + ir->conf.crash_wait_ns) {
			cut(r, "trigger");
			break;
		}
		if (want != marked) {
			marked = want;
			place_mark(r);
		}
		sleep_ns(200000);
	}
	return NULL;
}

int crash_start(struct run *r)
{
	struct inject_run *ir = r->inj;
	uint64_t *sizes = xcalloc(r->nfiles ? r->nfiles : 1, sizeof(*sizes));

	for (unsigned i = 0; i < r->nfiles; i++)
		sizes[i] = r->files[i].initial_size;
	ir->dur = dur_new(r->nfiles, sizes, r->plan.seed);
	free(sizes);
	ir->quit = false;
	if (pthread_create(&ir->crash_tid, NULL, crash_thread, r)) {
		msg("cannot start the crash thread");
		return -1;
	}
	ir->crash_thread = true;
	return 0;
}

void crash_join(struct run *r)
{
	struct inject_run *ir = r->inj;

	if (!ir->crash_thread)
		return;
	ir->quit = true;
	pthread_join(ir->crash_tid, NULL);
	ir->crash_thread = false;
}

void crash_free(struct run *r)
{
	struct inject_run *ir = r->inj;

	crash_join(r);
	dur_free(ir->dur);
	ir->dur = NULL;
	free(ir->marks);
	ir->marks = NULL;
}

/* Read f0..fn-1 under mnt and judge them at t with the durability oracle. */
size_t crash_check_files(struct run *r, const char *mnt, uint64_t t,
			 const char *label)
{
	struct inject_run *ir = r->inj;
	size_t bad = 0;

	for (unsigned i = 0; i < r->nfiles; i++) {
		char path[8192];
		struct stat st;
		uint64_t size = 0, verified = 0, got = 0;
		unsigned char *buf = NULL;
		int fd;

		snprintf(path, sizeof(path), "%s/f%u", mnt, i);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && !fstat(fd, &st))
			size = (uint64_t)st.st_size &
			       ~(uint64_t)(SECTOR_SIZE - 1);
		if (size) {
			buf = xmalloc(size);
			while (got < size) {
				ssize_t n = pread(fd, buf + got, size - got,
						  (off_t)got);

				if (n <= 0)
					break;
				got += (uint64_t)n;
			}
			if (got < size) {
				struct finding f = { .cls = F_ERROR,
						     .file = i,
						     .off = got,
						     .len = size - got };

				snprintf(f.expected, sizeof(f.expected),
					 "read back f%u after the crash", i);
				snprintf(f.seen, sizeof(f.seen),
					 "short read or %s", strerror(errno));
				findings_add(&r->findings, &f);
				memset(buf + got, 0, size - got);
			}
		}
		if (fd >= 0)
			close(fd);
		pthread_mutex_lock(&r->lock);
		bad += dur_check_file(ir->dur, i, buf ? buf : (void *)"", size,
				      t, &r->findings, &verified);
		pthread_mutex_unlock(&r->lock);
		atomic_fetch_add(&r->sectors_verified, verified);
		atomic_fetch_add(&r->bytes_read, got);
		free(buf);
	}
	inject_note(r, label, 0, 0, bad);
	if (bad)
		msg("%s: %zu sectors not as durable as acknowledged, or stale",
		    label, bad);
	return bad;
}

int inject_after_workload(struct run *r)
{
	struct inject_run *ir = r->inj;
	uint64_t t;

	if (!ir)
		return 0;
	crash_join(r);
	if (ir->conf.crash && !atomic_load(&ir->crashed) && !r->signo) {
		uint64_t tt = atomic_load(&ir->t_trigger);

		if (!tt && ir->conf.crash != CRASH_END)
			msg("crash trigger not reached: crashing at the end");
		if (!tt)
			tt = now_ns();
		/* the workload is over: still wait as asked (journal commit) */
		while (now_ns() < tt + ir->conf.crash_wait_ns)
			sleep_ns(10 * NSEC_PER_MSEC);
		cut(r, atomic_load(&ir->t_trigger) ? "trigger" : "end");
	}
	if (ir->conf.dm == DMK_LOG_WRITES && !r->signo)
		place_mark(r);
	inject_workload_end(r);
	if (r->signo)
		return 0;
	if (ir->conf.dm == DMK_LOG_WRITES)
		return lw_replay_check(r);
	if (!atomic_load(&ir->crashed))
		return 0;

	t = atomic_load(&ir->t_crash);
	tr_inject("crash", "remount", 0);
	run_close_files(r);
	if (scratch_unmount(&r->scratch) < 0) {
		msg("crash: unmount failed");
		return EXIT_CANNOT_RUN;
	}
	if (dm_stack_linear(r) < 0)
		return EXIT_CANNOT_RUN;
	atomic_store(&ir->dropping, false);
	if (scratch_mount(&r->scratch, r->wl.mount_opts) < 0) {
		struct finding f = { .cls = F_FSCK };

		snprintf(f.expected, sizeof(f.expected),
			 "the filesystem mounts after the crash");
		snprintf(f.seen, sizeof(f.seen), "mount failed: %s",
			 strerror(errno));
		findings_add(&r->findings, &f);
		return 0;
	}
	crash_check_files(r, r->scratch.mnt, t, "after-crash");
	return 0;
}
