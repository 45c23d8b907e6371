// SPDX-License-Identifier: GPL-2.0
/*
 * checker/svg.c, report.html's pieces: the log-scale bucket edges and
 * bucket of a latency, percentiles as report.json computes them, XML
 * escaping of text, ns formatting and the histogram SVG itself.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checker/svg.h"

static void test_edges(void **state)
{
	(void)state;
	assert_int_equal(lh_edge(0), 1);
	assert_int_equal(lh_edge(1), 2);
	assert_int_equal(lh_edge(4), 10);
	assert_int_equal(lh_edge(12), 1000);
	assert_int_equal(lh_edge(24), 1000000);
	for (unsigned b = 0; b < LH_NBUCKETS; b++) {
		double want = pow(10.0, b / 4.0);

		assert_true(fabs((double)lh_edge(b) - want) <=
			    0.5 + want * 1e-12);
		if (b)
			assert_true(lh_edge(b) > lh_edge(b - 1));
	}
	/* past the table: the last edge */
	assert_int_equal(lh_edge(LH_NBUCKETS + 5), lh_edge(LH_NBUCKETS - 1));
}

static void test_bucket(void **state)
{
	(void)state;
	assert_int_equal(lh_bucket(0), 0);
	assert_int_equal(lh_bucket(1), 0);
	assert_int_equal(lh_bucket(2), 1);
	assert_int_equal(lh_bucket(9), 3);
	assert_int_equal(lh_bucket(10), 4);
	assert_int_equal(lh_bucket(999), 11);
	assert_int_equal(lh_bucket(1000), 12);
	assert_int_equal(lh_bucket(1777), 12);
	assert_int_equal(lh_bucket(1778), 13);
	assert_int_equal(lh_bucket(UINT64_MAX), LH_NBUCKETS - 1);
	/* every edge starts its own bucket, one below it is the previous */
	for (unsigned b = 1; b < LH_NBUCKETS; b++) {
		assert_int_equal(lh_bucket(lh_edge(b)), b);
		assert_int_equal(lh_bucket(lh_edge(b) - 1), b - 1);
	}
}

static void test_percentiles(void **state)
{
	struct lhist h = { 0 };
	unsigned lo = 0, hi = 0;
	struct lhist *hp = &h;

	(void)state;
	assert_int_equal(lh_pct(&h, 50), 0);
	assert_int_equal(lh_max(&h), 0);
	assert_false(lh_range(&hp, 1, &lo, &hi));
	/* 100..1 added out of order: nearest rank */
	for (unsigned i = 100; i >= 1; i--)
		lh_add(&h, i * 1000);
	assert_int_equal(h.n, 100);
	assert_int_equal(lh_pct(&h, 50), 50000);
	assert_int_equal(lh_pct(&h, 99), 99000);
	assert_int_equal(lh_pct(&h, 100), 100000);
	assert_int_equal(lh_max(&h), 100000);
	/* 1000..1777 in bucket 12 (1 us), ..., 100000 in bucket 20 */
	assert_int_equal(h.count[12], 1);
	assert_int_equal(h.count[20], 1);
	assert_true(lh_range(&hp, 1, &lo, &hi));
	assert_int_equal(lo, 12);
	assert_int_equal(hi, 20);
	/* adding after a percentile re-sorts */
	lh_add(&h, 1);
	assert_int_equal(lh_pct(&h, 0.5), 1);
	assert_int_equal(lh_max(&h), 100000);
	lh_free(&h);
	assert_int_equal(h.n, 0);
}

static char *capture_esc(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	svg_esc(f, s);
	fclose(f);
	return buf;
}

static void test_escape(void **state)
{
	char *s;

	(void)state;
	s = capture_esc("a<b>&\"c'\x01\x1f\td\n");
	assert_string_equal(s, "a&lt;b&gt;&amp;&quot;c&#39;\td\n");
	free(s);
	s = capture_esc("iorace:op_submit {id=1, kind=write}");
	assert_string_equal(s, "iorace:op_submit {id=1, kind=write}");
	free(s);
	s = capture_esc("");
	assert_string_equal(s, "");
	free(s);
	s = capture_esc(NULL);
	assert_string_equal(s, "");
	free(s);
}

static void test_fmt_ns(void **state)
{
	char b[32];

	(void)state;
	svg_fmt_ns(b, sizeof(b), 0);
	assert_string_equal(b, "0 ns");
	svg_fmt_ns(b, sizeof(b), 850);
	assert_string_equal(b, "850 ns");
	svg_fmt_ns(b, sizeof(b), 1000);
	assert_string_equal(b, "1 us");
	svg_fmt_ns(b, sizeof(b), 4782752);
	assert_string_equal(b, "4.78 ms");
	svg_fmt_ns(b, sizeof(b), 1200000000);
	assert_string_equal(b, "1.2 s");
}

static unsigned count_of(const char *hay, const char *needle)
{
	unsigned n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void test_svg_hist(void **state)
{
	static const struct svg_box box = { 400, 120, 40, 10, 20, 20 };
	struct lhist h = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	lh_add(&h, 1500); /* bucket 12 */
	lh_add(&h, 1600);
	lh_add(&h, 20000); /* bucket 17 */
	f = open_memstream(&buf, &len);
	svg_hist(f, &box, &h, 12, 17, 2, "#123456", "a<b & c");
	fclose(f);
	assert_int_equal(count_of(buf, "<svg "), 1);
	assert_int_equal(count_of(buf, "</svg>"), 1);
	/* the title escaped, two bars with their ranges and counts */
	assert_non_null(strstr(buf, "a&lt;b &amp; c"));
	assert_null(strstr(buf, "a<b"));
	assert_int_equal(count_of(buf, "fill=\"#123456\""), 2);
	assert_non_null(strstr(buf, "<title>[1 us, 1.78 us): 2</title>"));
	assert_non_null(strstr(buf, "<title>[17.8 us, 31.6 us): 1</title>"));
	/* decade label at bucket 16 (10 us) */
	assert_non_null(strstr(buf, ">10 us</text>"));
	free(buf);
	lh_free(&h);
}

static void test_svg_lines(void **state)
{
	static const struct svg_box box = { 400, 120, 40, 10, 20, 20 };
	static const double a[] = { 0, 1, 2 }, b[] = { 3, 0, 0 };
	const double *ser[] = { a, b };
	const char *names[] = { "w<", "r" }, *col[] = { "#f00", "#0f0" };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	svg_lines(f, &box, ser, 2, 3, 0.5, names, col, "MiB/s", NULL);
	fclose(f);
	assert_int_equal(count_of(buf, "<polyline"), 2);
	assert_non_null(strstr(buf, ">w&lt;</text>"));
	/* y runs to the largest value of every series: 3 at the top */
	assert_non_null(strstr(buf, "class=\"yl\">3</text>"));
	assert_non_null(strstr(buf, ">1 s</text>"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_bucket),
		cmocka_unit_test(test_percentiles),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_fmt_ns),
		cmocka_unit_test(test_svg_hist),
		cmocka_unit_test(test_svg_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
