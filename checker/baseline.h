/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Baselines: `iorace baseline W --repeat N --out DIR` runs a workload N
 * times (run_repeat) and writes DIR/baseline.json, a small stable file to
 * commit (sorted keys, no paths, only a date):
 *
 *   { "date": "YYYY-MM-DD",
 *     "findings":   { "<CLASS>": <runs with count > 0>, ... },
 *     "invariants": { "<name>": { "failed": k, "inconclusive": j } },
 *     "kind": "baseline",
 *     "latency":    { "<op kind>": { "p50_ns": [per run], "p99_ns": [..] } },
 *     "runs": N, "scale": F, "seed": S, "tool": "iorace", "version": 1,
 *     "workload": "<name or file's base name>" }
 *
 * `iorace compare BASELINE.json NEW` (NEW: a run dir, a repeat dir with
 * run-K/report.json, or another baseline.json; M new runs) applies:
 *
 * Failure rates (finding classes and invariants, a run counts as failing
 * when the class count is > 0 / the invariant status is "fail"):
 *   - baseline 0 of N failing: regression if any new run fails (m >= 1);
 *   - baseline k of N (flaky): regression when the exact one-sided binomial
 *     tail P(X >= m | X ~ Bin(M, k/N)) < 0.01 for m of M new runs failing.
 *   Inconclusive invariants are shown, never a regression.
 *
 * Latency, per op kind and separately for the per-run p50 and p99:
 *   - M >= 3 (and N >= 3): one-sided Mann-Whitney U test that the new
 *     per-run values are larger: exact null distribution when both sides
 *     have <= 20 values and no value ties, else the normal approximation
 *     with tie correction and continuity correction. Regression when
 *     p < 0.01 / T AND median(new) / median(baseline) >= 1.10, where T is
 *     the number of such tests in the compare (Bonferroni: the latency
 *     tests of one compare share alpha 0.01; with N = 10 and ~10 tests the
 *     exact test reaches it from M = 5, when every new value is above
 *     every baseline value).
 *   - M < 3 (conservative rule, no test possible): regression only when
 *     every new value exceeds max(baseline) by more than the baseline's
 *     range (max - min) AND is >= 1.25 x median(baseline).
 */
#ifndef IORACE_BASELINE_H
#define IORACE_BASELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BL_ALPHA       0.01
#define BL_MIN_RATIO   1.10
#define BL_SMALL_RATIO 1.25
#define BL_EXACT_MAX   20

struct bl_count {
	char *name;
	unsigned failed, inconclusive;
};

struct bl_lat {
	char *kind;
	double *v[2]; /* per-run p50_ns, p99_ns */
	size_t n[2], cap[2];
};

/* A set of runs: a baseline, or the NEW side of a compare. */
struct bl_summary {
	char *workload;
	char date[16];
	double scale;
	uint64_t seed;
	unsigned runs;
	struct bl_count *cls, *inv;
	size_t ncls, ninv, ccls, cinv;
	struct bl_lat *lat;
	size_t nlat, clat;
};

/* P(X >= m) for X ~ Binomial(M, p), exact. */
double bl_binom_tail(unsigned m, unsigned M, double p);

/*
 * One-sided Mann-Whitney p-value that y (new) is stochastically larger
 * than x (base). *exact (may be NULL) says which method was used.
 */
double bl_mann_whitney(const double *x, size_t nx, const double *y, size_t ny,
		       bool *exact);

/* The median of v (n > 0); v is not modified. */
double bl_median(const double *v, size_t n);

/* The M < 3 rule: true if every y[i] is a regression against x. */
bool bl_small_rule(const double *x, size_t nx, const double *y, size_t ny);

/* Failure-rate rule: k of N baseline, m of M new. */
bool bl_rate_regression(unsigned k, unsigned N, unsigned m, unsigned M,
			double *p);

/* Add one run (its report.json, check.json completing it) to s. */
int bl_add_run(struct bl_summary *s, const char *run_dir, char *err,
	       size_t len);
/* Load a run dir, a repeat dir or a baseline.json into s. */
int bl_load(struct bl_summary *s, const char *path, char *err, size_t len);
/* Write s as a baseline file; 0 or -1. */
int bl_write(const struct bl_summary *s, const char *path);
void bl_free(struct bl_summary *s);

/* Is path a JSON file with "kind": "baseline"? */
bool bl_is_baseline(const char *path);

/* `iorace compare BASELINE NEW`; returns the exit status. */
int bl_compare(const char *base, const char *new_, bool quiet);

/* `iorace baseline ...`; returns the exit status. */
int baseline_main(int argc, char **argv);

#endif
