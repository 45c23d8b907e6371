/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small pieces for report.html: a log-scale latency histogram (quarter
 * decade buckets, integer edges), XML escaping, ns formatting and inline
 * SVG charts (histogram bars, line series). Everything writes to a FILE;
 * nothing needs JavaScript or another file at view time.
 */
#ifndef IORACE_SVG_H
#define IORACE_SVG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Bucket b holds latencies in [lh_edge(b), lh_edge(b + 1)) ns, the edges
 * 10^(b/4) rounded: 1, 2, 3, 6, 10, 18, 32, 56, 100, ... Bucket 0 also
 * holds 0; the last one everything from lh_edge(LH_NBUCKETS - 1) up.
 */
#define LH_NBUCKETS 48

struct lhist {
	uint64_t count[LH_NBUCKETS];
	uint64_t *v; /* every sample, sorted by lh_finish */
	size_t n, cap;
	bool sorted;
};

uint64_t lh_edge(unsigned b);
unsigned lh_bucket(uint64_t ns);
void lh_add(struct lhist *h, uint64_t ns);
/* Sort the samples (percentiles need it); lh_add may follow. */
void lh_finish(struct lhist *h);
/* Nearest-rank percentile (as report.json's p50/p99), 0 when empty. */
uint64_t lh_pct(struct lhist *h, double pct);
uint64_t lh_max(struct lhist *h);
void lh_free(struct lhist *h);
/* Lowest and highest non-empty bucket of the n histograms; false if none. */
bool lh_range(struct lhist *const *h, unsigned n, unsigned *lo, unsigned *hi);

/* s escaped for XML text and attribute values (control chars dropped). */
void svg_esc(FILE *f, const char *s);
/* "850 ns", "12.3 us", "4.78 ms", "1.2 s" (3 significant digits). */
void svg_fmt_ns(char *buf, size_t len, uint64_t ns);

/* Chart geometry shared by the charts below. */
struct svg_box {
	unsigned w, h;		 /* whole svg */
	unsigned ml, mr, mt, mb; /* margins around the plot area */
};

/*
 * One histogram panel of buckets [lo, hi] scaled to ymax (>= 1), bars in
 * colour, each with a tooltip; x labels at every decade. title above.
 */
void svg_hist(FILE *f, const struct svg_box *b, const struct lhist *h,
	      unsigned lo, unsigned hi, uint64_t ymax, const char *colour,
	      const char *title);

/*
 * Line chart of nser series of n points each (x = i * dx_s seconds),
 * y from 0 to the largest value; legend from names[] and colours[].
 */
void svg_lines(FILE *f, const struct svg_box *b, const double *const *ser,
	       unsigned nser, size_t n, double dx_s, const char *const *names,
	       const char *const *colours, const char *ylabel,
	       const char *title);

#endif
