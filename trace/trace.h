/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Recording side of the trace: LTTng-UST events (provider "iorace") plus
 * a private tracefs instance for kernel events, both on CLOCK_MONOTONIC.
 * All tr_* calls are cheap no-ops when tracing is off.
 */
#ifndef IORACE_TRACE_H
#define IORACE_TRACE_H

#include <stdbool.h>
#include <stdint.h>

struct trace_opts {
	const char *run_dir; /* trace goes to run_dir/trace/ */
	const char *dev;     /* block device ext4 is on (kernel event filter) */
	bool ust;	     /* record UST events through an lttng session */
	bool kernel;	     /* record kernel events through tracefs */
};

/*
 * liblttng-ust reads LTTNG_UST_ALLOW_BLOCKING once, when it is loaded, and
 * the UST channel only blocks (rather than discards) if it was set. Call
 * this first thing in main when the run will record UST events: unless the
 * variable is already set, it sets it and re-executes /proc/self/exe with
 * the same argv (returns only when nothing had to be done or exec failed).
 */
void trace_reexec_for_blocking(char **argv);

/* Start recording (creates sessions and instances). 0 or -1 (message). */
int trace_start(const struct trace_opts *o);
/* Stop, flush and tear down everything trace_start created. Idempotent. */
void trace_stop(void);

enum tr_phase { TRP_SETUP, TRP_POISON, TRP_WORKLOAD, TRP_VERIFY, TRP_TEARDOWN };
void tr_phase(enum tr_phase p, bool begin);
/* Run-wide facts the checker needs: files, initial sizes, seed. */
void tr_run_info(uint64_t seed, unsigned nfiles, const char *workload);
/* blocksize: the file's fs block size (st_blksize), 0 if unknown */
void tr_file_info(uint32_t file, uint64_t inode, uint64_t initial_size,
		  uint32_t blocksize);
void tr_op_submit(uint64_t id, int kind, uint32_t file, uint64_t inode,
		  uint64_t off, uint64_t len, uint32_t flags, uint64_t t);
void tr_op_complete(uint64_t id, int kind, int64_t res, uint64_t t);
/*
 * What a read returned, as runs of sectors: for each run the first sector
 * (file-relative), the count, the stamp class (stamp.h), the file id and
 * generation seen (first sector's) and whether the run was contiguous.
 */
void tr_read_run(uint64_t id, uint64_t sector, uint32_t nsect, int cls,
		 uint32_t file_seen, uint64_t gen, uint64_t sector_seen);
void tr_inject(const char *injector, const char *action, uint64_t arg);
void tr_watchdog(uint64_t id, uint64_t age_ns);

#endif
