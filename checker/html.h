/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report.html: one self-contained page per run (inline SVG and CSS, no
 * script, nothing fetched at view time), made from the run's trace:
 *   - per op kind a log-scale latency histogram (fsync, fdatasync and
 *     truncate first) with count, p50, p99 and max beside it;
 *   - MiB/s written and read per time bucket over the run;
 *   - for each failed invariant's evidence (the oracle's findings among
 *     them) a timeline of the ops and kernel events within +-2 ms of the
 *     events it cites: one lane per thread, one for the kernel.
 * The read-back verification reads are not counted in the histograms or
 * the throughput (as report.json's latency), but they show in timelines.
 */
#ifndef IORACE_CHECKER_HTML_H
#define IORACE_CHECKER_HTML_H

#include "checker/checker.h"

/* Written by `iorace run` (after the trace check) and `iorace check`. */
#define CK_HTML_NAME "report.html"

/* res->run_dir's report.html at path: 0, or -1 (message printed). */
int checker_write_html(const char *path, const struct checker_result *res);
/*
 * A run without a trace (`iorace run --no-trace`): report.json's verdict
 * and findings and, from the runner's own latency samples (v[kind], n[kind]
 * for each of CK_NKINDS kinds), the histograms. 0, or -1.
 */
int checker_write_html_samples(const char *path, const char *run_dir,
			       const uint64_t *const *v, const size_t *n);
/*
 * `iorace compare --html PATH BASE NEW`: the histograms of both sides
 * (run directories with a trace, or a report.json / check.json next to
 * one) side by side. 0, or -1 (message printed).
 */
int checker_write_compare_html(const char *path, const char *base,
			       const char *new_side);

#endif
