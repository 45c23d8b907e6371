// SPDX-License-Identifier: GPL-2.0
/* report.html's building blocks: see checker/svg.h. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "checker/checker.h"
#include "checker/svg.h"
#include "common/util.h"

/* round(10^(b/4)): four buckets per decade, 1 ns to 10^11.75 ns */
static const uint64_t edges[LH_NBUCKETS] = { 1ull,
					     2ull,
					     3ull,
					     6ull,
					     10ull,
					     18ull,
					     32ull,
					     56ull,
					     100ull,
					     178ull,
					     316ull,
					     562ull,
					     1000ull,
					     1778ull,
					     3162ull,
					     5623ull,
					     10000ull,
					     17783ull,
					     31623ull,
					     56234ull,
					     100000ull,
					     177828ull,
					     316228ull,
					     562341ull,
					     1000000ull,
					     1778279ull,
					     3162278ull,
					     5623413ull,
					     10000000ull,
					     17782794ull,
					     31622777ull,
					     56234133ull,
					     100000000ull,
					     177827941ull,
					     316227766ull,
					     562341325ull,
					     1000000000ull,
					     1778279410ull,
					     3162277660ull,
					     5623413252ull,
					     10000000000ull,
					     17782794100ull,
					     31622776602ull,
					     56234132519ull,
					     100000000000ull,
					     177827941004ull,
					     316227766017ull,
					     562341325190ull

};

uint64_t lh_edge(unsigned b)
{
	return edges[b < LH_NBUCKETS ? b : LH_NBUCKETS - 1];
}

unsigned lh_bucket(uint64_t ns)
{
	unsigned lo = 0, hi = LH_NBUCKETS - 1;

	/* largest b with lh_edge(b) <= ns */
	while (lo < hi) {
		unsigned mid = (lo + hi + 1) / 2;

		if (lh_edge(mid) <= ns)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

void lh_add(struct lhist *h, uint64_t ns)
{
	h->count[lh_bucket(ns)]++;
	grow_array((void **)&h->v, &h->cap, h->n + 1, sizeof(*h->v));
	h->v[h->n++] = ns;
	h->sorted = false;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void lh_finish(struct lhist *h)
{
	if (!h->sorted && h->n)
		qsort(h->v, h->n, sizeof(*h->v), cmp_u64);
	h->sorted = true;
}

uint64_t lh_pct(struct lhist *h, double pct)
{
	lh_finish(h);
	return ck_percentile(h->v, h->n, pct);
}

uint64_t lh_max(struct lhist *h)
{
	lh_finish(h);
	return h->n ? h->v[h->n - 1] : 0;
}

void lh_free(struct lhist *h)
{
	free(h->v);
	memset(h, 0, sizeof(*h));
}

bool lh_range(struct lhist *const *h, unsigned n, unsigned *lo, unsigned *hi)
{
	bool any = false;

	for (unsigned i = 0; i < n; i++)
		for (unsigned b = 0; h[i] && b < LH_NBUCKETS; b++) {
			if (!h[i]->count[b])
				continue;
			if (!any || b < *lo)
				*lo = b;
			if (!any || b > *hi)
				*hi = b;
			any = true;
		}
	return any;
}

void svg_esc(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			/* XML 1.0 has no other control characters */
			if ((unsigned char)*s >= 0x20 || *s == '\n' ||
			    *s == '\t')
				fputc(*s, f);
		}
	}
}

void svg_fmt_ns(char *buf, size_t len, uint64_t ns)
{
	static const struct {
		double div;
		const char *unit;
	} u[] = { { 1e9, "s" }, { 1e6, "ms" }, { 1e3, "us" } };

	for (unsigned i = 0; i < ARRAY_SIZE(u); i++)
		if ((double)ns >= u[i].div) {
			snprintf(buf, len, "%.3g %s", (double)ns / u[i].div,
				 u[i].unit);
			return;
		}
	snprintf(buf, len, "%" PRIu64 " ns", ns);
}

static void svg_open(FILE *f, const struct svg_box *b, const char *title)
{
	fprintf(f,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" "
		"height=\"%u\" viewBox=\"0 0 %u %u\" role=\"img\">\n",
		b->w, b->h, b->w, b->h);
	fprintf(f,
		"<rect x=\"0\" y=\"0\" width=\"%u\" height=\"%u\" "
		"fill=\"#fff\"/>\n",
		b->w, b->h);
	if (title) {
		fprintf(f, "<text x=\"%u\" y=\"14\" class=\"t\">", b->ml);
		svg_esc(f, title);
		fputs("</text>\n", f);
	}
}

static void axes(FILE *f, const struct svg_box *b)
{
	unsigned x0 = b->ml, y0 = b->h - b->mb, x1 = b->w - b->mr;

	fprintf(f,
		"<path d=\"M%u %u H%u M%u %u V%u\" stroke=\"#333\" "
		"fill=\"none\"/>\n",
		x0, y0, x1, x0, y0, b->mt);
}

void svg_hist(FILE *f, const struct svg_box *b, const struct lhist *h,
	      unsigned lo, unsigned hi, uint64_t ymax, const char *colour,
	      const char *title)
{
	double pw = (double)(b->w - b->ml - b->mr);
	double ph = (double)(b->h - b->mt - b->mb);
	unsigned nb = hi >= lo ? hi - lo + 1 : 1, y0 = b->h - b->mb;
	double bw = pw / nb;
	char a[32], z[32];

	if (!ymax)
		ymax = 1;
	svg_open(f, b, title);
	for (unsigned i = 0; i < nb; i++) {
		uint64_t c = h ? h->count[lo + i] : 0;
		double bh = ph * (double)c / (double)ymax;
		double x = b->ml + i * bw;

		if ((lo + i) % 4 == 0) {
			svg_fmt_ns(a, sizeof(a), lh_edge(lo + i));
			fprintf(f,
				"<path d=\"M%.1f %u v4\" stroke=\"#333\"/>"
				"<text x=\"%.1f\" y=\"%u\" class=\"xl\">%s"
				"</text>\n",
				x, y0, x, y0 + 15, a);
		}
		if (!c)
			continue;
		svg_fmt_ns(a, sizeof(a), lh_edge(lo + i));
		if (lo + i == LH_NBUCKETS - 1)
			snprintf(z, sizeof(z), "inf");
		else
			svg_fmt_ns(z, sizeof(z), lh_edge(lo + i + 1));
		if (bh < 1)
			bh = 1;
		fprintf(f,
			"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			"height=\"%.1f\" fill=\"%s\"><title>[%s, %s): %" PRIu64
			"</title></rect>\n",
			x + 0.5, y0 - bh, bw > 2 ? bw - 1 : bw, bh, colour, a,
			z, c);
	}
	if ((hi + 1) % 4 == 0 && hi + 1 < LH_NBUCKETS) {
		/* the decade the last bucket ends at */
		svg_fmt_ns(a, sizeof(a), lh_edge(hi + 1));
		fprintf(f, "<text x=\"%.1f\" y=\"%u\" class=\"xl\">%s</text>\n",
			b->ml + pw, y0 + 15, a);
	}
	axes(f, b);
	fprintf(f,
		"<text x=\"%u\" y=\"%u\" class=\"yl\">%" PRIu64 "</text>\n"
		"<text x=\"%u\" y=\"%u\" class=\"yl\">0</text>\n",
		b->ml - 4, b->mt + 10, ymax, b->ml - 4, y0);
	fputs("</svg>\n", f);
}

void svg_lines(FILE *f, const struct svg_box *b, const double *const *ser,
	       unsigned nser, size_t n, double dx_s, const char *const *names,
	       const char *const *colours, const char *ylabel,
	       const char *title)
{
	double pw = (double)(b->w - b->ml - b->mr);
	double ph = (double)(b->h - b->mt - b->mb);
	unsigned y0 = b->h - b->mb;
	double ymax = 0;
	size_t i;

	for (unsigned s = 0; s < nser; s++)
		for (i = 0; i < n; i++)
			if (ser[s][i] > ymax)
				ymax = ser[s][i];
	if (ymax <= 0)
		ymax = 1;
	svg_open(f, b, title);
	for (unsigned s = 0; s < nser && n; s++) {
		fprintf(f,
			"<polyline fill=\"none\" stroke=\"%s\" "
			"stroke-width=\"1.5\" points=\"",
			colours[s]);
		for (i = 0; i < n; i++)
			fprintf(f, "%.1f,%.1f ",
				b->ml + (n > 1 ? pw * i / (n - 1) : 0),
				y0 - ph * ser[s][i] / ymax);
		fputs("\"/>\n", f);
		fprintf(f,
			"<rect x=\"%u\" y=\"%u\" width=\"10\" height=\"10\" "
			"fill=\"%s\"/><text x=\"%u\" y=\"%u\" class=\"lg\">",
			b->w - b->mr - 150, b->mt + 4 + 14 * s, colours[s],
			b->w - b->mr - 136, b->mt + 13 + 14 * s);
		svg_esc(f, names[s]);
		fputs("</text>\n", f);
	}
	axes(f, b);
	for (unsigned k = 0; k <= 4; k++)
		fprintf(f,
			"<text x=\"%.1f\" y=\"%u\" class=\"xl\">%.3g s</text>\n",
			b->ml + pw * k / 4, y0 + 15,
			n ? dx_s * (double)(n - 1) * k / 4 : 0.0);
	fprintf(f,
		"<text x=\"%u\" y=\"%u\" class=\"yl\">%.4g</text>\n"
		"<text x=\"%u\" y=\"%u\" class=\"yl\">0</text>\n",
		b->ml - 4, b->mt + 10, ymax, b->ml - 4, y0);
	if (ylabel) {
		fprintf(f, "<text x=\"4\" y=\"%u\" class=\"lg\">", b->mt - 2);
		svg_esc(f, ylabel);
		fputs("</text>\n", f);
	}
	fputs("</svg>\n", f);
}
