/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Injectors: ways to widen race windows and to cut the power, one ops
 * table per injector (delay.c, dm_delay.c, dm_flakey.c, dm_log_writes.c,
 * fail_request.c). All of them are configured with KEY=VALUE, the same
 * text in a workload's [global] section and on the command line
 * (`iorace run W --inject KEY=VALUE`, repeatable).
 *
 * Delay points (userspace, in the engine), key `delay`, repeatable:
 *
 *   delay=POINT:SITE[:fN],DUR[-DUR][,p=P|every=N][,when=COND][,count=N]
 *
 *   POINT  before | after
 *   SITE   submit (io_submit / io_uring_submit / the sync engine's call),
 *          reap (io_getevents / CQE wait), truncate, fsync, fdatasync,
 *          fallocate, punch, zero_range, collapse_range, insert_range,
 *          idle (a stream with no op in
 *          flight, about to submit its next one: a racing stream once its
 *          op's planned time has come, an I/O stream with nothing in
 *          flight; only `before`. A delay here is a stall the no-progress
 *          watchdog must see: it is how tests stall a stream, e.g.
 *          delay=before:idle,60s,count=1 with
 *          --watchdog 2s)
 *   fN     only ops on file N (default: any file)
 *   DUR    a duration (ns/us/ms/s, bare number = seconds); DUR-DUR is
 *          uniform random in the range, drawn from the run's seed and the
 *          hit number (so a replay draws the same sequence)
 *   p=P    fire with probability P (0 < P <= 1) per eligible hit
 *   every=N  fire on every N-th eligible hit
 *   when=inflight>=N          >= N writes in flight on the op's file
 *   when=after_completions=K  once K ops of the run have completed
 *   when=truncating           while a truncate/punch/zero_range/
 *                             collapse_range runs on
 *                             the op's file
 *   count=N  fire at most N times
 *
 *   e.g. delay=before:reap,2ms,when=inflight>=8
 *        delay=after:submit:f0,100us-1ms,p=0.1
 *        delay=before:fsync,50ms,every=3,count=10
 *
 * Every firing is recorded with tr_inject("delay", "POINT:SITE", ns) in the
 * trace, in RUNDIR/inject.log, and in the op log (--record): the active
 * specs as `inject delay=...` lines and each firing as a `# fired` comment.
 * `--replay` takes the delay specs from the op log (not from the workload
 * or --inject), so a replay re-applies them.
 *
 * Block-layer injectors (guest only: need device-mapper), a dm target
 * stacked between the loop device and ext4. During mkfs and poisoning the
 * target maps linearly; the workload's table is loaded when the workload
 * starts (suspend with nolockfs+noflush, load, resume) and linear again
 * after a crash, for the remount.
 *
 *   dm=none|delay|flakey|log-writes
 *   dm_delay=READ_MS,WRITE_MS[,FLUSH_MS]      dm-delay delays
 *   dm_flakey=UP_S,DOWN_S[,FEATURE...]        dm-flakey: up/down seconds,
 *          features drop_writes | error_writes | error_reads |
 *          corrupt_bio_byte:NTH:r|w:VALUE:FLAGS
 *   dm_start=time:DUR|after_fsync:N|after_completions:K
 *          load the dm-delay/dm-flakey table on this trigger instead of
 *          at workload start (a mid-run table change; default: start)
 *   (dm=log-writes logs to a second loop device, a mark at each fsync,
 *   fdatasync and O_DSYNC completion; see crash below)
 *
 * Kernel fault injection (fail_request.c):
 *   fail_request=PROBABILITY,INTERVAL,TIMES   make_request failures on the
 *          scratch device through debugfs (CONFIG_FAIL_MAKE_REQUEST)
 *
 * Crash simulation (needs dm=flakey):
 *   crash=TRIGGER[,wait=DUR]
 *     after_fsync:N   crash after the N-th fsync/fdatasync completes
 *     after_dsync:N   crash right after the N-th O_DSYNC write completes
 *     drop_before_fsync:N  drop writes from just before the N-th fsync
 *                     (which "succeeds"); crash after it completes
 *     time:DUR        crash DUR after the workload starts
 *     end             crash after the workload ends
 *     none            no crash (e.g. --inject crash=none over a workload's)
 *   wait=DUR: keep running (e.g. for a journal commit) before the crash.
 *   The crash: dm-flakey drop_writes, stop the workload, unmount, restore a
 *   linear table, mount (journal replay), read every file back and judge it
 *   with the durability oracle (model/durability.h), e2fsck -fn.
 * dm=log-writes instead keeps the run going and, after the workload, loads
 *   a linear table (which completes the log), then replays the log
 *   (documented format: super at sector 0, entries from sector
 *   sectorsize/512, each a sectorsize block {le64 sector, nr_sectors,
 *   flags, data_len} followed by nr_sectors blocks of data unless it is a
 *   discard; marks carry their name inline) into a fresh image up to each
 *   of up to 16 marks (evenly spaced, always the last), mounts it (journal
 *   replay), judges every file with the durability oracle at the mark's
 *   time, and runs e2fsck -fn on it.
 *   expect_write_errors=1  a write failing with EIO is expected (error
 *          injectors), not an ERROR finding; its data may or may not land.
 *          inject.log counts them ("# expected write errors: N").
 *
 * Where a target or knob is missing the run exits 77 naming the missing
 * kernel feature.
 */
#ifndef IORACE_INJECT_H
#define IORACE_INJECT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum inj_point { INJ_BEFORE, INJ_AFTER };

enum inj_site {
	IS_SUBMIT,
	IS_REAP,
	IS_TRUNCATE,
	IS_FSYNC,
	IS_FDATASYNC,
	IS_FALLOCATE,
	IS_PUNCH,
	IS_ZERO_RANGE,
	IS_IDLE,
	IS_COLLAPSE,
	IS_INSERT,
	IS_NSITES,
};

enum inj_when { IW_ALWAYS, IW_INFLIGHT, IW_AFTER_COMPLETIONS, IW_TRUNCATING };

#define INJ_SPEC_MAX   256
#define INJ_MAX_DELAYS 32

struct inj_delay {
	enum inj_point point;
	enum inj_site site;
	int file; /* -1: any */
	uint64_t dmin_ns, dmax_ns;
	double p;	/* 0: not probabilistic */
	uint64_t every; /* 0: not every-Nth */
	enum inj_when when;
	uint64_t when_arg;
	uint64_t count;		 /* 0: unlimited */
	char text[INJ_SPEC_MAX]; /* the spec as given */
	/* runtime */
	_Atomic uint64_t hits, fired;
};

/* State at a delay point, for trigger evaluation. */
struct inj_state {
	uint32_t file;
	unsigned inflight;    /* writes in flight on file */
	uint64_t completions; /* ops of the run completed */
	bool truncating;      /* truncate/punch/zero_range running on file */
};

enum dm_kind { DMK_NONE, DMK_DELAY, DMK_FLAKEY, DMK_LOG_WRITES };

enum dm_start_kind {
	DMS_START,
	DMS_TIME,
	DMS_AFTER_FSYNC,
	DMS_AFTER_COMPLETIONS,
};

enum crash_kind {
	CRASH_NONE,
	CRASH_AFTER_FSYNC,
	CRASH_AFTER_DSYNC,
	CRASH_DROP_BEFORE_FSYNC,
	CRASH_TIME,
	CRASH_END,
};

struct inject_conf {
	struct inj_delay delays[INJ_MAX_DELAYS];
	unsigned ndelays;

	enum dm_kind dm;
	unsigned delay_ms[3]; /* read, write, flush */
	bool have_flush_delay;
	unsigned flakey_up, flakey_down; /* seconds */
	char flakey_features[256];	 /* "N feat args..." for the table */
	enum dm_start_kind dm_start;
	uint64_t dm_start_arg; /* ns, N or K */

	bool fail_request;
	unsigned fr_probability, fr_interval;
	int fr_times;

	enum crash_kind crash;
	uint64_t crash_arg; /* N, or ns for CRASH_TIME */
	uint64_t crash_wait_ns;
	bool expect_write_errors;
};

/*
 * Parse "KEY=VALUE" (--inject) or KEY, VALUE ([global]) into c.
 * Returns 1 when the key is an injector's and the value is good, 0 when the
 * key is not an injector's, -1 with the reason in why on a bad value.
 */
int inject_set(struct inject_conf *c, const char *key, const char *val,
	       char *why, size_t len);
int inject_set_kv(struct inject_conf *c, const char *kv, char *why, size_t len);

/* Parse one delay spec (the value of delay=). 0 or -1 with why. */
int inject_parse_delay(const char *spec, struct inj_delay *d, char *why,
		       size_t len);
/*
 * Count a hit of d with state st and decide whether it fires (hit number
 * and seed decide p= draws and random durations). On firing, *dur_ns gets
 * the delay. Thread-safe.
 */
bool inject_trigger(struct inj_delay *d, const struct inj_state *st,
		    uint64_t seed, unsigned idx, uint64_t *dur_ns);
const char *inj_site_name(enum inj_site s);
/* Map an oracle op kind (model/oracle.h) to its site, or -1. */
int inj_site_of_kind(int kind);

/* One injector's ops table. */
struct run;
struct injector_ops {
	const char *name;
	/* Is it configured in c? */
	bool (*wanted)(const struct inject_conf *c);
	/* Can it run here? 0, or -1 with the missing kernel feature in why. */
	int (*check)(const struct inject_conf *c, char *why, size_t len);
	/* Workload starts / ends (tables, debugfs knobs). 0 or -1. */
	int (*start)(struct run *r);
	void (*stop)(struct run *r);
};

extern const struct injector_ops inj_delay_ops;
extern const struct injector_ops inj_dm_delay_ops;
extern const struct injector_ops inj_dm_flakey_ops;
extern const struct injector_ops inj_dm_log_writes_ops;
extern const struct injector_ops inj_fail_request_ops;

/* ---- runner side (injectors/run_inject.c) ---- */

/* Runtime state hung off struct run (r->inj). */
struct inject_run;

/*
 * Add a --inject KEY=VALUE (checked now; -1 with why on a bad one). Applied
 * by inject_run_init on top of the workload's keys.
 */
int inject_cli_add(const char *kv, char *why, size_t len);
/*
 * Set up injection for a run (r->inj): the workload's keys plus --inject;
 * with --replay the delay specs are replaced by the op log's. Checks every
 * wanted injector and installs the dm stacking hook for scratch_setup.
 * Returns 0, EXIT_USAGE or EXIT_CANNOT_RUN (missing kernel feature named).
 */
int inject_run_init(struct run *r);
/* Workload begins/ends: load tables etc. Returns 0 or an exit status. */
int inject_workload_start(struct run *r);
void inject_workload_end(struct run *r);
/* The delay point hook called by the engine. */
void inject_point(struct run *r, enum inj_point pt, enum inj_site site,
		  uint32_t file, uint64_t op_id);
/* Note a gate (when_inflight) firing, for inject.log. */
void inject_note(struct run *r, const char *what, uint64_t op_id, uint32_t file,
		 uint64_t arg);
/* Every op submitted / completed (caller holds r->lock). */
struct oracle_op;
void inject_op_submitted(struct run *r, const struct oracle_op *op);
void inject_op_completed(struct run *r, uint64_t id, int kind, int64_t res,
			 uint64_t t_complete);
/* Is this failed write expected (error injectors)? */
bool inject_error_expected(struct run *r, int64_t res);
/* Before fsync/fdatasync op id is submitted (drop_before_fsync). */
void inject_before_sync(struct run *r, uint64_t id);
/* After the workload: crash, remount, durability check, if configured. */
int inject_after_workload(struct run *r);
/* Write inject.log and append inject lines to an op log. */
void inject_write_log(struct run *r);
void inject_write_oplog(struct run *r, FILE *f);
void inject_run_free(struct run *r);
/* Remove dm devices of dead iorace processes. */
int inject_reclaim(void);

#endif
