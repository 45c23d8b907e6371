/* SPDX-License-Identifier: GPL-2.0 */
/*
 * State shared by the runner's pieces (run.c, exec.c, report.c, kmsg.c, and
 * verify.c, which also holds the --tamper code).
 */
#ifndef IORACE_RUN_INTERNAL_H
#define IORACE_RUN_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "model/findings.h"
#include "model/oracle.h"
#include "replay/plan.h"
#include "replay/run.h"
#include "replay/scratch.h"
#include "replay/workload.h"

struct inject_run;

/* Latency samples of one op kind (ns), appended under the run lock. */
struct lat {
	uint64_t *v;
	size_t n, cap;
};

struct run_file {
	int fd_direct;	 /* O_RDWR|O_DIRECT */
	int fd_dsync;	 /* O_RDWR|O_DIRECT|O_DSYNC */
	int fd_buffered; /* O_RDWR */
	uint64_t inode;
	uint64_t initial_size;
	atomic_uint writes_inflight;
	atomic_uint truncating; /* a truncate/punch is running */
	uint64_t final_size;
	unsigned extents, unwritten;
};

/* One op in flight, watched by the watchdog. */
struct inflight {
	uint64_t id;
	uint64_t t_submit;
	pid_t tid;
};

struct stream_state {
	struct run *r;
	const struct plan_stream *ps;
	pthread_t thread;
	pid_t tid;
	/* oldest op in flight (0: none), for the watchdog */
	_Atomic uint64_t oldest_submit;
	_Atomic uint64_t oldest_id;
	/* for the no-progress watchdog (replay/watchdog.h): last submit or
	 * completion (the stage start before the first), and the planned time
	 * the stream is waiting for (0: none) */
	_Atomic uint64_t last_progress, wait_until;
	atomic_bool done;
	/*
	 * Completions this stream got back (reap returned, racing syscall
	 * returned) but has not registered with the oracle yet: 0 none, else
	 * their t_complete (1 while that is being taken). Reads of other
	 * streams submitted after it wait for them (run_completions_reaped).
	 */
	_Atomic uint64_t unreg_since;
	int error; /* setup failure: errno */
};

/* A completed read whose judgement waits for earlier completions. */
struct held_read {
	uint64_t id, ts, tc;
	int64_t res;
	void *buf;
};

struct run {
	const struct run_opts *opts;
	struct workload wl;
	struct plan plan;
	struct scratch scratch;
	char run_dir[4096];
	char workload_name[64];
	struct run_file *files;
	unsigned nfiles;

	pthread_mutex_t lock; /* oracle, latency arrays, executed[] */
	/*
	 * Held by a collapse_range/insert_range from before its submission
	 * to after its completion: two shifts never overlap in time, so the
	 * oracle knows their order (shifts do not commute).
	 */
	pthread_mutex_t shift_lock;
	struct oracle *oracle;
	struct findings findings;
	/* findings of checks no trace event shows: the read-back after a
	 * crash or a dm-log-writes replay (counted in findings too; the
	 * trace checker's comparison leaves them out) */
	uint64_t offline_count[F_NCLASSES];
	struct lat lat[OP_NKINDS];
	unsigned char *executed; /* per plan op */
	struct held_read *held;	 /* reads not judged yet (exec.c) */
	size_t nheld, heldcap;
	_Atomic uint64_t next_extra_id; /* ids beyond the plan (grow, verify) */

	/* counters */
	_Atomic uint64_t ops_done, bytes_written, bytes_read, sectors_verified;
	_Atomic uint64_t ops_total;
	uint64_t poison_bytes;
	uint64_t t_start, t_workload_start, t_workload_end, t_end;

	struct stream_state *streams;
	size_t nstreams;
	/* the synchronous op of the main thread (tamper, verify), watched too
	 */
	_Atomic uint64_t main_oldest_submit, main_oldest_id;
	unsigned stage; /* stage being executed */
	uint64_t t_stage_start;
	atomic_bool stop; /* SIGINT/SIGTERM or watchdog */
	int signo;
	uint64_t watchdog_ns;
	const struct engine_ops *engine_override;

	int fsck_status;
	unsigned kmsg_matches;
	int kmsg_fd;
	int exit_status;
	struct inject_run *inj; /* injectors (injectors/inject.h), or NULL */
	char hang_note[384];
};

/* exec.c */
int exec_stage(struct run *r, unsigned stage);
void run_close_files(struct run *r);
uint64_t run_new_id(struct run *r);
void run_op_submitted(struct run *r, const struct oracle_op *op, int kind);
void run_op_completed(struct run *r, uint64_t id, int kind, int64_t res,
		      uint64_t t_submit, uint64_t t_complete);
void run_add_error(struct run *r, uint64_t id, uint32_t file, uint64_t off,
		   uint64_t len, uint64_t ts, uint64_t tc, const char *what,
		   int64_t res);
size_t run_check_read(struct run *r, uint64_t id, uint32_t file, uint64_t off,
		      const void *buf, int64_t res);
struct io_req;
uint64_t run_completions_reaped(struct stream_state *ss);
void run_completions_registered(struct stream_state *ss);
void run_io_complete(struct run *r, struct io_req *q);
void run_judge_held(struct run *r, bool all);
void *watchdog_thread(void *arg);

/* verify.c */
int verify_files(struct run *r);
int tamper_files(struct run *r);
void fiemap_files(struct run *r);

/* kmsg.c */
int kmsg_open(void);
unsigned kmsg_scan(int fd, const char *log_path, struct findings *fl);

/* report.c */
int report_write(struct run *r);
void lat_add(struct lat *l, uint64_t ns);

#endif
