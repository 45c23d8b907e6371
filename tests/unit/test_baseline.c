// SPDX-License-Identifier: GPL-2.0
/*
 * Baselines (checker/baseline.c): the binomial tail, the Mann-Whitney U
 * test (exact and normal approximation) and the M < 3 rule against
 * hand-computed values; baseline.json round trip; compare's verdicts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "checker/baseline.h"
#include "checker/checker.h"

static char dir[] = "/tmp/iorace-test-baseline-XXXXXX";

#define near(a, b, eps) assert_true(fabs_((a) - (b)) <= (eps))

static double fabs_(double x)
{
	return x < 0 ? -x : x;
}

static void test_binom_tail(void **state)
{
	double p;

	(void)state;
	/* 1 - sum_{i<=3} C(10,i) .1^i .9^(10-i) = 1 - .9872048016 */
	near(bl_binom_tail(4, 10, 0.1), 0.0127951984, 1e-10);
	near(bl_binom_tail(5, 10, 0.1), 0.0016349374, 1e-10);
	/* C(5,3).1^3.9^2 + C(5,4).1^4.9 + .1^5 = .0081 + .00045 + .00001 */
	near(bl_binom_tail(3, 5, 0.1), 0.00856, 1e-12);
	near(bl_binom_tail(1, 1, 0.1), 0.1, 1e-12);
	near(bl_binom_tail(0, 5, 0.3), 1.0, 0);
	near(bl_binom_tail(1, 5, 0.0), 0.0, 0);
	near(bl_binom_tail(6, 5, 0.5), 0.0, 0);

	/* never seen: any failure; flaky 1/10: 3 of 5 yes, 2 of 5 no */
	assert_true(bl_rate_regression(0, 10, 1, 20, &p));
	assert_false(bl_rate_regression(0, 10, 0, 20, &p));
	assert_true(bl_rate_regression(1, 10, 3, 5, &p));
	near(p, 0.00856, 1e-12);
	assert_false(bl_rate_regression(1, 10, 2, 5, &p));
	/* a single run can never be a flaky regression: p = k/N */
	assert_false(bl_rate_regression(1, 10, 1, 1, &p));
	near(p, 0.1, 1e-12);
	/* solid failure in the baseline: never */
	assert_false(bl_rate_regression(10, 10, 5, 5, &p));
}

static void test_mw_exact(void **state)
{
	static const double x3[] = { 1, 2, 3 }, y3[] = { 4, 5, 6 };
	static const double x4[] = { 1, 2, 3, 4 }, y4[] = { 3.5, 5, 6 };
	static const double a[] = { 1, 3, 5 }, b[] = { 2, 4, 6 };
	double x10[10], y5[5];
	bool exact;

	(void)state;
	/* all y above all x: 1 / C(6,3) */
	near(bl_mann_whitney(x3, 3, y3, 3, &exact), 1.0 / 20, 1e-12);
	assert_true(exact);
	/* U = 11 of 12: orderings with U >= 11 are 2 of C(7,3) = 35 */
	near(bl_mann_whitney(x4, 4, y4, 3, &exact), 2.0 / 35, 1e-12);
	/*
	 * U = 1 + 2 + 3 = 6; counts of U = 0..9 for 3+3 are
	 * 1,1,2,3,3,3,3,2,1,1: P(U >= 6) = 7/20
	 */
	near(bl_mann_whitney(a, 3, b, 3, &exact), 7.0 / 20, 1e-12);
	/* y below x: P(U >= 0) = 1 */
	near(bl_mann_whitney(y3, 3, x3, 3, &exact), 1.0, 1e-12);
	for (int i = 0; i < 10; i++)
		x10[i] = i;
	for (int i = 0; i < 5; i++)
		y5[i] = 100 + i;
	/* the baseline's 10 vs 5 new: smallest p is 1 / C(15,5) */
	near(bl_mann_whitney(x10, 10, y5, 5, &exact), 1.0 / 3003, 1e-12);
	assert_true(exact);
	/* with M = 1 it can never get below 1 / 11 */
	near(bl_mann_whitney(x10, 10, y5, 1, &exact), 1.0 / 11, 1e-12);
}

static void test_mw_approx(void **state)
{
	static const double x[] = { 1, 2, 2, 3 }, y[] = { 2, 3, 3, 4 };
	double x25[25], y5[5];
	bool exact = true;

	(void)state;
	/*
	 * ties: U = 2 + 3.5 + 3.5 + 4 = 13; ties 2 (x3), 3 (x3): T = 48;
	 * var = 16/12 (9 - 48/56) = 10.857142857; z = 4.5 / sqrt(var) =
	 * 1.365700; p = 1 - Phi(z) = 0.0860168545
	 */
	near(bl_mann_whitney(x, 4, y, 4, &exact), 0.0860168545, 1e-9);
	assert_false(exact);
	/*
	 * no ties but 25 > BL_EXACT_MAX: U = 125, mu = 62.5,
	 * var = 125 * 31 / 12 = 322.9167, z = 62 / 17.9699 = 3.45022:
	 * p = 1 - Phi(z) = 2.80068e-4
	 */
	for (int i = 0; i < 25; i++)
		x25[i] = i + 1;
	for (int i = 0; i < 5; i++)
		y5[i] = 26 + i;
	near(bl_mann_whitney(x25, 25, y5, 5, &exact), 2.8006765521969e-4,
	     1e-12);
	assert_false(exact);
}

static void test_small_rule(void **state)
{
	static const double x[] = { 12, 10, 14 }, big[] = { 100, 101, 102 };
	double y;

	(void)state;
	near(bl_median(x, 3), 12, 0);
	/* max 14 + range 4 = 18 (strictly above), and >= 1.25 * 12 = 15 */
	y = 18;
	assert_false(bl_small_rule(x, 3, &y, 1));
	y = 18.5;
	assert_true(bl_small_rule(x, 3, &y, 1));
	/* narrow baseline: the ratio gate decides, >= 1.25 * 101 */
	y = 110;
	assert_false(bl_small_rule(big, 3, &y, 1));
	y = 126.25;
	assert_true(bl_small_rule(big, 3, &y, 1));
	/* M = 2: both new values must pass */
	{
		double two[] = { 200, 15 };

		assert_false(bl_small_rule(x, 3, two, 2));
		two[1] = 19;
		assert_true(bl_small_rule(x, 3, two, 2));
	}
}

static void put(const char *rel, const char *json)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(json, f);
	assert_int_equal(fclose(f), 0);
}

static void sub(const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_int_equal(mkdir(path, 0755), 0);
}

static void run_report(const char *rel, int stale, long fsync_p50)
{
	char buf[512];

	snprintf(buf, sizeof(buf),
		 "{ \"findings\": { \"STALE\": %d, \"LOST\": 0 },\n"
		 "  \"latency\": { \"fsync\": { \"n\": 9, \"p50_ns\": %ld,\n"
		 "               \"p99_ns\": %ld } } }\n",
		 stale, fsync_p50, fsync_p50 * 3);
	put(rel, buf);
}

static char *slurp(const char *rel)
{
	static char buf[8192];
	char path[256];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static int cmp(const char *a, const char *b)
{
	char pa[256], pb[256];

	snprintf(pa, sizeof(pa), "%s/%s", dir, a);
	snprintf(pb, sizeof(pb), "%s/%s", dir, b);
	return bl_compare(pa, pb, true);
}

static void test_round_trip(void **state)
{
	struct bl_summary s, t;
	char path[256], err[256], *txt, *p;

	(void)state;
	sub("base");
	for (int k = 0; k < 4; k++) {
		char rel[64];

		snprintf(rel, sizeof(rel), "base/run-%d", k);
		sub(rel);
		snprintf(rel, sizeof(rel), "base/run-%d/report.json", k);
		run_report(rel, k == 2, 1000 + 10 * k);
	}
	/* check.json completes run-1: the invariants */
	put("base/run-1/check.json",
	    "{ \"invariants\": { \"oracle\": { \"status\": \"fail\" },\n"
	    "  \"completeness\": { \"status\": \"inconclusive\" } },\n"
	    "  \"findings\": { \"STALE\": 1 } }");
	snprintf(path, sizeof(path), "%s/base", dir);
	assert_int_equal(bl_load(&s, path, err, sizeof(err)), 0);
	assert_int_equal(s.runs, 4);
	assert_int_equal(s.ncls, 2);
	assert_string_equal(s.cls[0].name, "STALE");
	assert_int_equal(s.cls[0].failed, 2); /* run-1 (check.json), run-2 */
	assert_int_equal(s.ninv, 2);
	assert_int_equal(s.nlat, 1);
	assert_int_equal(s.lat[0].n[0], 4);
	near(s.lat[0].v[0][3], 1030, 0);
	near(s.lat[0].v[1][3], 3090, 0);
	s.workload = strdup("w");
	s.scale = 0.2;
	s.seed = 7;
	strcpy(s.date, "2026-12-02");
	snprintf(path, sizeof(path), "%s/baseline.json", dir);
	assert_int_equal(bl_write(&s, path), 0);
	assert_true(bl_is_baseline(path));
	snprintf(path, sizeof(path), "%s/base/run-0/report.json", dir);
	assert_false(bl_is_baseline(path));

	txt = slurp("baseline.json");
	/* sorted keys, no paths */
	p = strstr(txt, "\"date\"");
	assert_non_null(p);
	assert_true(p < strstr(txt, "\"findings\""));
	assert_true(strstr(txt, "\"LOST\"") < strstr(txt, "\"STALE\""));
	assert_true(strstr(txt, "\"completeness\"") <
		    strstr(txt, "\"oracle\""));
	assert_true(strstr(txt, "\"version\"") < strstr(txt, "\"workload\""));
	assert_non_null(strstr(txt, "\"scale\": 0.2,"));
	assert_null(strstr(txt, dir));
	assert_null(strstr(txt, "/"));

	snprintf(path, sizeof(path), "%s/baseline.json", dir);
	assert_int_equal(bl_load(&t, path, err, sizeof(err)), 0);
	assert_int_equal(t.runs, 4);
	assert_string_equal(t.workload, "w");
	assert_string_equal(t.date, "2026-12-02");
	near(t.scale, 0.2, 0);
	assert_int_equal(t.seed, 7);
	assert_int_equal(t.ncls, 2);
	for (size_t i = 0; i < t.ncls; i++)
		if (!strcmp(t.cls[i].name, "STALE"))
			assert_int_equal(t.cls[i].failed, 2);
	assert_int_equal(t.ninv, 2);
	for (size_t i = 0; i < t.ninv; i++) {
		if (!strcmp(t.inv[i].name, "oracle"))
			assert_int_equal(t.inv[i].failed, 1);
		else
			assert_int_equal(t.inv[i].inconclusive, 1);
	}
	assert_int_equal(t.nlat, 1);
	assert_string_equal(t.lat[0].kind, "fsync");
	for (int m = 0; m < 2; m++) {
		assert_int_equal(t.lat[0].n[m], 4);
		for (int k = 0; k < 4; k++)
			near(t.lat[0].v[m][k], s.lat[0].v[m][k], 0);
	}
	bl_free(&s);
	bl_free(&t);
}

static void test_compare_verdicts(void **state)
{
	(void)state;
	/* the baseline of test_round_trip: STALE 2/4, fsync p50 1000-1030 */
	sub("same");
	run_report("same/report.json", 0, 1010);
	assert_int_equal(cmp("baseline.json", "same"), 0);
	/* the baseline compared with its own runs and with itself */
	assert_int_equal(cmp("baseline.json", "base"), 0);
	assert_int_equal(cmp("baseline.json", "baseline.json"), 0);

	/* M = 1: 1100 is not above 1030 + 30 and >= 1.25 * 1015: no */
	sub("slow1");
	run_report("slow1/report.json", 0, 1100);
	assert_int_equal(cmp("baseline.json", "slow1"), 0);
	sub("slow2");
	run_report("slow2/report.json", 0, 1300);
	assert_int_equal(cmp("baseline.json", "slow2"), 1);

	/* M = 3, all slower by 2x: U exact p = 1/35 is not < 0.01 with N=4 */
	sub("rep");
	for (int k = 0; k < 3; k++) {
		char rel[64];

		snprintf(rel, sizeof(rel), "rep/run-%d", k);
		sub(rel);
		snprintf(rel, sizeof(rel), "rep/run-%d/report.json", k);
		run_report(rel, 0, 2000 + k);
	}
	assert_int_equal(cmp("baseline.json", "rep"), 0);

	/* a class never seen failing: one failing run is a regression */
	sub("lost");
	put("lost/report.json", "{ \"findings\": { \"LOST\": 1 } }");
	assert_int_equal(cmp("baseline.json", "lost"), 1);
	/* a flaky class (STALE 2/4) in one run: P = 0.5, not a regression */
	sub("stale");
	run_report("stale/report.json", 1, 1010);
	assert_int_equal(cmp("baseline.json", "stale"), 0);

	/* bad input */
	assert_int_equal(cmp("baseline.json", "nope"), 2);
	put("junk.json", "{ \"kind\": \"baseline\" }");
	assert_int_equal(cmp("junk.json", "same"), 2);
	sub("empty");
	assert_int_equal(cmp("baseline.json", "empty"), 2);
}

static void test_compare_mw(void **state)
{
	char path[256], err[256];
	struct bl_summary s;

	(void)state;
	/* 10 baseline runs, 5 new runs 2x slower: exact p = 1/3003 */
	sub("b10");
	sub("n5");
	for (int k = 0; k < 10; k++) {
		char rel[64];

		snprintf(rel, sizeof(rel), "b10/run-%d", k);
		sub(rel);
		snprintf(rel, sizeof(rel), "b10/run-%d/report.json", k);
		run_report(rel, 0, 1000 + k);
		if (k >= 5)
			continue;
		snprintf(rel, sizeof(rel), "n5/run-%d", k);
		sub(rel);
		snprintf(rel, sizeof(rel), "n5/run-%d/report.json", k);
		run_report(rel, 0, 2000 + k);
	}
	snprintf(path, sizeof(path), "%s/b10", dir);
	assert_int_equal(bl_load(&s, path, err, sizeof(err)), 0);
	s.workload = strdup("w");
	snprintf(path, sizeof(path), "%s/b10.json", dir);
	assert_int_equal(bl_write(&s, path), 0);
	bl_free(&s);
	assert_int_equal(cmp("b10.json", "n5"), 1);
	/* the same values, 5 % slower: p small but ratio < 1.10 */
	for (int k = 0; k < 5; k++) {
		char rel[64];

		snprintf(rel, sizeof(rel), "n5/run-%d/report.json", k);
		run_report(rel, 0, 1050 + k);
	}
	assert_int_equal(cmp("b10.json", "n5"), 0);
	/* through compare_main: a baseline BASE takes this path */
	{
		char pa[256], pb[256];
		char *argv[] = { "compare", "-q", pa, pb, NULL };

		snprintf(pa, sizeof(pa), "%s/b10.json", dir);
		snprintf(pb, sizeof(pb), "%s/b10", dir);
		assert_int_equal(compare_main(4, argv), 0);
	}
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_binom_tail),
		cmocka_unit_test(test_mw_exact),
		cmocka_unit_test(test_mw_approx),
		cmocka_unit_test(test_small_rule),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_compare_verdicts),
		cmocka_unit_test(test_compare_mw),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
