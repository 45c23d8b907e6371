// SPDX-License-Identifier: GPL-2.0
/* Unit tests for replay/swarm.c: seed -> configuration. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "replay/swarm.h"
#include "replay/workload.h"

/* Same seed, same text and summary; the text parses as a workload. */
static void test_deterministic(void **state)
{
	char c1[512], c2[512], err[512];
	char *a = swarm_text(42, c1, sizeof(c1));
	char *b = swarm_text(42, c2, sizeof(c2));
	struct workload wl;

	(void)state;
	assert_string_equal(a, b);
	assert_string_equal(c1, c2);
	assert_non_null(strstr(c1, "blocks "));
	assert_int_equal(
		workload_parse_string(a, "swarm", &wl, err, sizeof(err)), 0);
	assert_true(wl.njobs >= 2);
	workload_free(&wl);
	free(a);
	free(b);
}

/*
 * Over many seeds: every seed parses and plans; configurations differ; each
 * racing op kind is in some and out of others (a random subset, not all
 * on); block sizes, sub-block bs and engines all occur.
 */
static void test_swarm_space(void **state)
{
	static const char *const kinds[] = {
		"type=truncate",   "type=fallocate", "type=punch",
		"type=zero_range", "type=fsync",     "type=fdatasync"
	};
	static const char *const feats[] = {
		"-b 1024",	 "-b 4096",    "bigalloc",    "bs=512\n",
		"bs=1k\n",	 "bs=4k-128k", "engine=sync", "engine=io_uring",
		"engine=libaio", "direct=0",   "dsync=1",     "mount_opts=",
		"file=all",
	};
	unsigned in[6] = { 0 }, feat[sizeof(feats) / sizeof(feats[0])] = { 0 };
	unsigned distinct = 0, i, k;
	char *prev = NULL;

	(void)state;
	for (i = 0; i < 300; i++) {
		char conf[512], err[512];
		char *t = swarm_text(i, conf, sizeof(conf));
		struct workload wl;

		if (workload_parse_string(t, "swarm", &wl, err, sizeof(err)))
			fail_msg("seed %u: %s\n%s", i, err, t);
		workload_free(&wl);
		for (k = 0; k < 6; k++)
			in[k] += strstr(t, kinds[k]) != NULL;
		for (k = 0; k < sizeof(feats) / sizeof(feats[0]); k++)
			feat[k] += strstr(t, feats[k]) != NULL;
		if (!prev || strcmp(prev, t))
			distinct++;
		free(prev);
		prev = t;
	}
	free(prev);
	assert_true(distinct >= 290);
	for (k = 0; k < 6; k++) {
		if (in[k] < 60 || in[k] > 240)
			fail_msg("%s in %u of 300 configurations", kinds[k],
				 in[k]);
	}
	for (k = 0; k < sizeof(feats) / sizeof(feats[0]); k++)
		if (!feat[k])
			fail_msg("'%s' never drawn", feats[k]);
}

/* swarm=1 is a template without jobs; expand replaces it. */
static void test_template(void **state)
{
	struct workload wl;
	char err[512];

	(void)state;
	assert_int_equal(workload_parse_string("[global]\nswarm=1\n", "swarm",
					       &wl, err, sizeof(err)),
			 0);
	assert_true(wl.swarm);
	assert_int_equal(wl.njobs, 0);
	assert_int_equal(swarm_expand(&wl, 7, err, sizeof(err)), 0);
	assert_true(wl.njobs >= 2);
	assert_non_null(wl.swarm_text);
	assert_true(strlen(wl.swarm_conf) > 10);
	workload_free(&wl);
	assert_int_equal(
		workload_parse_string("[global]\nswarm=1\n[a]\ntype=fsync\n",
				      "swarm", &wl, err, sizeof(err)),
		-1);
	assert_non_null(strstr(err, "swarm:3: swarm=1 workloads have no job"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_swarm_space),
		cmocka_unit_test(test_template),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
