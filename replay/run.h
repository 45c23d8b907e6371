/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The runner: sets up the scratch ext4, poisons free space, executes a plan
 * stage by stage (one thread per stream), feeds the oracle online, reads
 * every file back, runs e2fsck, scans the kernel log and writes the run dir
 * (report.json, report.txt, oplog, kernel.log, fsck.log, trace/).
 */
#ifndef IORACE_RUN_H
#define IORACE_RUN_H

#include <stdbool.h>
#include <stdint.h>

enum tamper_kind {
	TAMPER_POISON = 1 << 0,
	TAMPER_FOREIGN = 1 << 1,
	TAMPER_ZEROS = 1 << 2,
	TAMPER_OLD = 1 << 3,
	TAMPER_TORN = 1 << 4,
	TAMPER_ALL = 0x1f,
};

struct run_opts {
	const char *workload; /* name or path; NULL with iolog */
	const char *out_dir;  /* NULL: results/<workload>-<time> */
	uint64_t seed;
	double scale;
	const char *engine;	 /* NULL: per job / libaio */
	const char *record;	 /* op log to write */
	const char *replay;	 /* op log to execute */
	const char *iolog;	 /* fio iolog to execute (replay/iolog.h) */
	const char *write_iolog; /* fio v2 iolog of the executed ops */
	const char *base_dir;	 /* where the image lives */
	unsigned tamper;	 /* enum tamper_kind bits */
	uint64_t watchdog_ns;	 /* 0: workload's */
	bool trace;
	bool progress;
	bool bare; /* benchmark: no stamping, no oracle, no read-back */
	/*
	 * After a traced run with a run dir: judge the run again from its
	 * trace and return the new exit status (the CLI sets it to
	 * checker_judge_run()); NULL: no trace check.
	 */
	int (*check)(const char *run_dir, int status);
	/*
	 * report.html of a run the trace check did not judge, from the
	 * runner's latency samples v[kind], n[kind] (the CLI sets it to
	 * checker_write_html_samples()); NULL: none.
	 */
	int (*html_samples)(const char *path, const char *run_dir,
			    const uint64_t *const *v, const size_t *n);
};

/*
 * The defaults of `iorace run` and `baseline`: seed 1, scale 1, traced,
 * a progress line when stderr is a terminal, no check hooks (the checker
 * adds them: checker_run_opts_init()).
 */
void run_opts_init(struct run_opts *o);

/* Parse a --tamper list ("poison,torn", "all"); -1 on a bad name. */
int tamper_parse(const char *s, unsigned *out);

/*
 * --dry-run: parse, scale and plan o->workload and print the plan's shape
 * (replay/dryrun.c); no root, no devices. 0 or EXIT_USAGE.
 */
int run_dry(const struct run_opts *o);

/* Rewrite verdict and exit in RUN/report.json (after the trace check). */
int report_set_verdict(const char *run_dir, int status);

/* Execute one run; returns the process exit status (EXIT_*). */
int run_workload(const struct run_opts *o, char *run_dir_out, size_t len);

/*
 * Run the workload n times (seeds seed, seed+1, ...) into OUT/run-K and
 * report per finding class how many runs showed it (solid vs flaky), also
 * as OUT/repeat.json. Returns 1 if any run had findings.
 */
int run_repeat(const struct run_opts *o, unsigned n);

#endif
