// SPDX-License-Identifier: GPL-2.0
/* `iorace compare` on crafted report pairs: each regression kind, no change. */
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

#include "checker/checker.h"

static char dir[] = "/tmp/iorace-test-compare-XXXXXX";

static void report(const char *name, const char *inv_status, int stale, int n,
		   long p99)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f,
		"{ \"verdict\": \"x\",\n"
		"  \"invariants\": { \"oracle\": { \"status\": \"pass\" },\n"
		"                  \"truncate_waits_dio\": { \"status\": "
		"\"%s\" } },\n"
		"  \"findings\": { \"STALE\": %d, \"LOST\": 0 },\n"
		"  \"latency\": { \"write\": { \"n\": %d, \"p50_ns\": 1000,\n"
		"                 \"p99_ns\": %ld, \"max_ns\": %ld } } }\n",
		inv_status, stale, n, p99, p99 * 2);
	assert_int_equal(fclose(f), 0);
}

static void raw(const char *name, const char *json)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(json, f);
	assert_int_equal(fclose(f), 0);
}

static int compare(const char *a, const char *b, const char *opt)
{
	char pa[256], pb[256];
	char *argv[6];
	int argc = 0;

	snprintf(pa, sizeof(pa), "%s/%s", dir, a);
	snprintf(pb, sizeof(pb), "%s/%s", dir, b);
	argv[argc++] = "compare";
	argv[argc++] = "-q";
	if (opt)
		argv[argc++] = (char *)opt;
	argv[argc++] = pa;
	argv[argc++] = pb;
	argv[argc] = NULL;
	return compare_main(argc, argv);
}

static int setup(void **state)
{
	char path[256];

	(void)state;
	if (!mkdtemp(dir))
		return -1;
	report("base.json", "pass", 0, 1000, 100000);
	report("same.json", "pass", 0, 1000, 100000);
	report("invfail.json", "fail", 0, 1000, 100000);
	report("inconcl.json", "inconclusive", 0, 1000, 100000);
	report("stale.json", "pass", 2, 1000, 100000);
	report("slow.json", "pass", 0, 1000, 130000);
	report("slowfew.json", "pass", 0, 50, 130000);
	report("faster.json", "pass", 0, 1000, 50000);
	raw("dis0.json", "{ \"findings\": { \"LOST\": 0, \"DISAGREE\": 0 } }");
	raw("dis1.json", "{ \"findings\": { \"LOST\": 0, \"DISAGREE\": 1 } }");
	raw("nokey.json", "{ \"findings\": { \"LOST\": 0 } }");
	/* merged before DISAGREE was counted: only agrees_with_online */
	raw("olddis.json",
	    "{ \"findings\": { \"LOST\": 0 },\n"
	    "  \"trace_check\": { \"agrees_with_online\": false } }");
	raw("oldagree.json",
	    "{ \"findings\": { \"LOST\": 0 },\n"
	    "  \"trace_check\": { \"agrees_with_online\": true } }");
	/* a run dir: report.json not merged, check.json has DISAGREE */
	snprintf(path, sizeof(path), "%s/rundis", dir);
	if (mkdir(path, 0755))
		return -1;
	raw("rundis/report.json", "{ \"findings\": { \"LOST\": 0 } }");
	raw("rundis/check.json",
	    "{ \"findings\": { \"LOST\": 1, \"DISAGREE\": 1 },\n"
	    "  \"disagree\": { \"count\": 1 } }");
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static void test_no_change(void **state)
{
	(void)state;
	assert_int_equal(compare("base.json", "same.json", NULL), 0);
	assert_int_equal(compare("base.json", "base.json", NULL), 0);
	assert_int_equal(compare("base.json", "faster.json", NULL), 0);
}

static void test_invariant_regression(void **state)
{
	(void)state;
	assert_int_equal(compare("base.json", "invfail.json", NULL), 1);
	/* fail -> pass is an improvement, pass -> inconclusive is not fail */
	assert_int_equal(compare("invfail.json", "base.json", NULL), 0);
	assert_int_equal(compare("base.json", "inconcl.json", NULL), 0);
}

static void test_findings_regression(void **state)
{
	(void)state;
	assert_int_equal(compare("base.json", "stale.json", NULL), 1);
	assert_int_equal(compare("stale.json", "base.json", NULL), 0);
}

/* A new DISAGREE (online and trace oracles differing) is a regression. */
static void test_disagree_regression(void **state)
{
	(void)state;
	assert_int_equal(compare("dis0.json", "dis1.json", NULL), 1);
	assert_int_equal(compare("nokey.json", "dis1.json", NULL), 1);
	assert_int_equal(compare("base.json", "dis1.json", NULL), 1);
	assert_int_equal(compare("dis1.json", "dis1.json", NULL), 0);
	assert_int_equal(compare("dis1.json", "dis0.json", NULL), 0);
	assert_int_equal(compare("dis0.json", "nokey.json", NULL), 0);
	/* older reports: agrees_with_online false counts as one */
	assert_int_equal(compare("oldagree.json", "olddis.json", NULL), 1);
	assert_int_equal(compare("olddis.json", "dis1.json", NULL), 0);
	assert_int_equal(compare("dis0.json", "oldagree.json", NULL), 0);
	/* a run dir whose DISAGREE is only in check.json */
	assert_int_equal(compare("dis0.json", "rundis", NULL), 1);
}

static void test_latency_regression(void **state)
{
	(void)state;
	/* +30% p99 with 1000 samples each side */
	assert_int_equal(compare("base.json", "slow.json", NULL), 1);
	assert_int_equal(compare("base.json", "slow.json", "--threshold=35"),
			 0);
	/* too few samples on one side: not judged */
	assert_int_equal(compare("base.json", "slowfew.json", NULL), 0);
	assert_int_equal(
		compare("base.json", "slowfew.json", "--min-samples=10"), 1);
}

static void test_bad_input(void **state)
{
	(void)state;
	assert_int_equal(compare("base.json", "missing.json", NULL), 2);
	assert_int_equal(compare("base.json", "same.json", "--threshold=x"), 2);
}

/*
 * Hostile reports (issue 15): p99 INT64_MIN or NaN used to overflow
 * n99 - b99 and print a REGRESSION of +9e20 %; non-finite, negative or
 * huge numbers, a device, a symlink to one and an oversized file are bad
 * input now.
 */
static void test_hostile_input(void **state)
{
	char path[256];
	FILE *f;

	(void)state;
	raw("min.json", "{ \"latency\": { \"write\": { \"n\": 1000,\n"
			"  \"p99_ns\": -9223372036854775808 } } }");
	raw("nan.json", "{ \"latency\": { \"write\": { \"n\": 1000,\n"
			"  \"p99_ns\": NaN } } }");
	raw("huge.json", "{ \"latency\": { \"write\": { \"n\": 1000,\n"
			 "  \"p99_ns\": 1e300 } } }");
	raw("negfind.json", "{ \"findings\": { \"STALE\": -1 } }");
	assert_int_equal(compare("base.json", "min.json", NULL), 2);
	assert_int_equal(compare("min.json", "base.json", NULL), 2);
	assert_int_equal(compare("base.json", "nan.json", NULL), 2);
	assert_int_equal(compare("base.json", "huge.json", NULL), 2);
	assert_int_equal(compare("negfind.json", "base.json", NULL), 2);

	snprintf(path, sizeof(path), "%s/zero", dir);
	assert_int_equal(symlink("/dev/zero", path), 0);
	assert_int_equal(compare("base.json", "zero", NULL), 2);
	assert_int_equal(compare("zero", "base.json", NULL), 2);

	/* a sparse 65 MiB file: over the 64 MiB bound, never read */
	snprintf(path, sizeof(path), "%s/big.json", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputc('{', f), '{');
	assert_int_equal(fclose(f), 0);
	assert_int_equal(truncate(path, (off_t)65 << 20), 0);
	assert_int_equal(compare("base.json", "big.json", NULL), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_change),
		cmocka_unit_test(test_invariant_regression),
		cmocka_unit_test(test_findings_regression),
		cmocka_unit_test(test_disagree_regression),
		cmocka_unit_test(test_latency_regression),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_hostile_input),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
