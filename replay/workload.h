/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Workload files (workloads/NAME.job, or any fio job file): fio's job
 * format plus iorace's keys. A job with type= is an iorace job (the keys
 * below, iorace's defaults); a job without it is a fio job: fio's keys
 * with fio's meaning and defaults, mapped onto iorace jobs (README "fio
 * job files" lists the mapping and what is approximated). Several
 * [global]s: each one's job keys are defaults for the jobs below it.
 * Values: fio suffixes and arithmetic (workload_value), N% for size=,
 * ${VAR} from the environment, valueless flags (time_based = time_based=1).
 *
 *   ; comment, # comment, and inline after a blank: bs=4k ; comment
 *   [global]
 *   description=...        one line, shown by `iorace list`
 *   image_size=2g          sparse image backing the loop device
 *   mkfs_opts=-b 4096      extra mkfs.ext4 arguments
 *   mount_opts=dioread_nolock,data=ordered
 *   nrfiles=1              files f0..f(n-1)
 *   filesize=1g            initial size of each file
 *   fallocate=1            fallocate the files (unwritten extents) up front
 *   poison=1               poison free space before the workload (default 1)
 *   watchdog=60s           an op in flight longer than this is a HANG;
 *                          so is a stream with no op in flight that did
 *                          nothing for this long past its last op or past
 *                          the planned time it waited for (watchdog.h)
 *   swarm=1                the jobs and the rest of [global] are drawn
 *                          from the run seed (replay/swarm.h); the file
 *                          holds only [global] with description and swarm
 *   delay=, dm=, dm_delay=, dm_flakey=, fail_request=, crash=,
 *   expect_write_errors=   injectors (injectors/inject.h); delay= repeats
 *
 *   [name]                 one job per section
 *   type=io|truncate|fallocate|punch|zero_range|fsync|fdatasync|
 *        collapse_range|insert_range
 *   file=0                 file index, or "all" (io jobs: spread over all)
 *   stage=0                jobs of stage k start when every job of stage
 *                          k-1 has finished (aio-stress -o 2 -o 3); racing
 *                          ops run from the start of their stage
 *   -- io jobs --
 *   engine=libaio|io_uring|sync (default libaio; --engine overrides)
 *   direct=1 dsync=0
 *   rw=write|randwrite|read|randread|rw|randrw   rwmixread=50
 *   bs=4k  (or bs=4k-64k: a random multiple of 4k in the range)
 *   iodepth=8 contexts=1   contexts = submitter threads, each its own
 *                          io context with iodepth requests in flight
 *   number_ios=1000        total over all contexts (scaled)
 *   runtime=10s            optional cap on the job's running time
 *   offset=0 size=...      region within the file (default whole file)
 *   -- racing-op jobs --
 *   start_delay=2s interval=100ms count=10
 *   size=0                 truncate: target size
 *   grow_back=1g           truncate: extend again to this size after each
 *   offset=... len=...     fallocate/punch/zero_range/collapse_range/
 *                          insert_range range (randomised
 *                          within the file when offset=random)
 *                          collapse_range/insert_range: len= required,
 *                          offset and len multiples of 4k; an op whose
 *                          range is invalid for the size at that moment
 *                          (collapse reaching EOF, insert at or past EOF)
 *                          fails with EINVAL, which is not a finding
 *   keep_size=1            fallocate/zero_range FALLOC_FL_KEEP_SIZE
 *   when_inflight=N        fire only once >= N writes are in flight on file
 *   -- fio iologs (replay/iolog.h) --
 *   read_iolog=LOG         the workload's only job: its ops are LOG's
 *   write_iolog=FILE       write a fio v2 iolog of the executed ops
 *
 * Sizes take k/m/g/t suffixes (powers of 1024; ki/mi... are powers of 1000,
 * as in fio); durations ns/us/ms/s/m (minutes)/h/d, a bare number is
 * seconds.
 * --scale F multiplies image_size, filesize, size/len/offset, number_ios and
 * count (minimum 1), keeping sizes aligned to 4 KiB and bs.
 */
#ifndef IORACE_WORKLOAD_H
#define IORACE_WORKLOAD_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>

#include "model/oracle.h"

struct inject_conf;

enum job_type {
	JOB_IO,
	JOB_TRUNCATE,
	JOB_FALLOCATE,
	JOB_PUNCH,
	JOB_ZERO_RANGE,
	JOB_FSYNC,
	JOB_FDATASYNC,
	JOB_COLLAPSE,
	JOB_INSERT,
};

enum io_pattern {
	RW_WRITE,
	RW_RANDWRITE,
	RW_READ,
	RW_RANDREAD,
	RW_RW,
	RW_RANDRW
};

#define WL_ALL_FILES	 (-1)
#define WL_NOTE_VERIFY	 0x1u /* verify* keys given: accepted, not needed */
#define WL_NOTE_SYNC	 0x2u /* fsync=N/fdatasync=N/end_fsync: racing syncs */
#define WL_RANDOM_OFFSET UINT64_MAX

struct wl_job {
	char name[64];
	int line; /* line of the [section] header */
	enum job_type type;
	int file; /* index or WL_ALL_FILES */
	unsigned stage;

	/* io */
	char engine[16]; /* "" = run default */
	bool direct, dsync;
	enum io_pattern rw;
	unsigned rwmixread;
	uint32_t bs_min, bs_max;
	unsigned iodepth, contexts;
	uint64_t number_ios;
	uint64_t runtime_ns;   /* 0 = none */
	uint64_t offset, size; /* region; size 0 = to end of file */

	/* racing ops */
	uint64_t start_delay_ns, interval_ns;
	unsigned count;
	uint64_t trunc_size;
	uint64_t grow_back; /* 0 = none */
	uint64_t len;
	bool keep_size;
	unsigned when_inflight;

	/* fio jobs (no type=) */
	bool time_based; /* runs until runtime_ns; --scale shrinks it */
	char fio[128];	 /* how the fio job was mapped ("" = iorace job) */
};

struct workload {
	char name[64];
	char path[4096];
	char description[256];

	uint64_t image_size;
	char mkfs_opts[256];
	char mount_opts[256];
	unsigned nrfiles;
	uint64_t filesize;
	bool fallocate;
	bool poison;
	uint64_t watchdog_ns;
	bool swarm;	  /* swarm=1: a template, see replay/swarm.h */
	char *swarm_text; /* the generated workload text, NULL if not swarm */
	char swarm_conf[512]; /* one-line summary of the drawn configuration */

	struct wl_job *jobs;
	unsigned njobs;
	bool fio;	     /* has fio jobs: files are named (fnames) */
	unsigned fio_notes;  /* WL_NOTE_*: approximations a run mentions */
	char (*fnames)[128]; /* fio file name of file index i */
	unsigned nfnames;
	struct inject_conf *inj; /* injector keys; NULL when none */
	char read_iolog[4096];	 /* read_iolog= of the only job, "" none */
	char write_iolog[4096];	 /* write_iolog= of a job, "" none */
};

/*
 * Parse a workload file. On error returns -1 and writes every error (up to
 * 20, then a count), one per line, as "path:line: key: why" into err.
 */
int workload_parse_file(const char *path, struct workload *wl, char *err,
			size_t errlen);
/* Same, from a string; name is used in error messages in place of a path. */
int workload_parse_string(const char *text, const char *name,
			  struct workload *wl, char *err, size_t errlen);
void workload_free(struct workload *wl);
/* "io", "truncate", ... as in type= */
const char *job_type_name(enum job_type t);
/* The notes of wl->fio_notes, one line each, to f (nothing when none). */
void workload_print_notes(const struct workload *wl, FILE *f);
/*
 * A fio value: a number with fio's size suffixes (k/m/g/t/p = powers of
 * 1024, ki/mi/... = powers of 1000, as fio's default kb_base=1024 reads
 * them), or an arithmetic expression of such (+ - * / and parentheses).
 * 0 or -1.
 */
int workload_value(const char *s, uint64_t *out);
/*
 * Limits of a workload after parsing and scaling (issue 15: larger values
 * wrapped silently or exhausted memory before the root check):
 * WL_MAX_OPS planned ops over all jobs (sum of number_ios and count; a plan
 * op takes ~80 bytes, so ~340 MB of plan), sizes, offsets and the image at
 * most WL_MAX_BYTES (16 TiB, ext4's file size limit at 4 KiB blocks),
 * a racing job's last op at most WL_MAX_AT_NS (7 days: start_delay +
 * (count - 1) * interval, or an op log's at=, had wrapped), --scale in
 * (0, WL_MAX_SCALE].
 */
#define WL_MAX_OPS   (1ull << 22)
#define WL_MAX_BYTES (1ull << 44)
#define WL_MAX_AT_NS (7ull * 86400 * 1000000000ull)
#define WL_MAX_SCALE 1e6
/*
 * Check those limits; -1 and "NAME: job [J]: KEY: why" in err when one
 * is exceeded.
 */
int workload_check_limits(const struct workload *wl, char *err, size_t errlen);
/*
 * Multiply sizes and counts by f (see above), then workload_check_limits.
 * -1 with err set when f is not finite and > 0 or a scaled value overflows
 * or exceeds a limit.
 */
int workload_scale(struct workload *wl, double f, char *err, size_t errlen);
/*
 * Resolve a workload argument: an existing file path, or NAME looked up as
 * DIR/NAME.job in $IORACE_WORKLOADS, then <dir of the binary>/../workloads.
 * Writes the path into out; returns 0, or -1 when not found.
 */
int workload_resolve(const char *arg, char *out, size_t outlen);
/* The directory named workloads are listed from. */
const char *workload_dir(void);

#endif
