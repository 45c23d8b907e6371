// SPDX-License-Identifier: GPL-2.0
/*
 * DISAGREE, the online and trace oracles differing, is a finding of its
 * own: exit status, check.json, the merged report.json and check.txt all
 * carry it (checker/report.c). Histories are hand-built (ck_history.h);
 * the online verdict is a report.json written into a scratch run dir.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "checker/checker.h"
#include "common/util.h"
#include "model/stamp.h"

#define TID 1
#define INO 12
#define MS  1000000ull
#include "ck_history.h"

static char dir[] = "/tmp/iorace-test-disagree-XXXXXX";
static struct checker_result *res;

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

/* The online verdict: report.json with these STALE and LOST counts. */
static void online(int stale, int lost)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/report.json", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f,
		"{ \"verdict\": \"%s\", \"exit\": %d,\n"
		"  \"findings\": { \"STALE\": %d, \"LOST\": %d, \"TORN\": 0,\n"
		"                \"SIZE\": 0, \"ERROR\": 0 } }\n",
		stale + lost ? "fail" : "pass", stale + lost ? 1 : 0, stale,
		lost);
	assert_int_equal(fclose(f), 0);
}

/*
 * Write 1 of block 0 completes at 11 ms; read 2 of it is submitted at
 * 12 ms and returns cls (zeros: LOST for the trace oracle; gen 1: legal).
 */
static void check(int cls)
{
	cc = ck_classes_new();
	ses = ck_session_new();
	seq = 0;
	ev(1 * MS, "iorace:run_info", "seed", I(7), "nfiles", I(1), NULL);
	ev(2 * MS, "iorace:file_info", "file", I(0), "inode", I(INO),
	   "initial_size", I(1 << 20), NULL);
	submit(10 * MS, 1, OP_WRITE, 0, 4096);
	complete(11 * MS, 1, OP_WRITE, 4096);
	submit(12 * MS, 2, OP_READ, 0, 4096);
	complete(13 * MS, 2, OP_READ, 4096);
	ev(13 * MS + 10, "iorace:read_run", "id", I(2), "sector", I(0), "nsect",
	   I(8), "cls", I(cls), "file_seen", I(0), "gen", I(1), "sector_seen",
	   I(0), NULL);
	res = calloc(1, sizeof(*res));
	assert_non_null(res);
	checker_result_from_session(ses, res);
	snprintf(res->run_dir, sizeof(res->run_dir), "%s", dir);
	checker_compare_online(dir, res);
	ck_session_free(ses);
	ck_classes_free(cc);
}

static int64_t jint(struct json_object *o, const char *k1, const char *k2,
		    const char *k3)
{
	struct json_object *v = o;
	const char *k[3] = { k1, k2, k3 };

	for (int i = 0; i < 3 && k[i]; i++)
		if (!json_object_object_get_ex(v, k[i], &v))
			fail_msg("no key %s", k[i]);
	return json_object_get_int64(v);
}

static const char *jstr(struct json_object *o, const char *k)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, k, &v))
		fail_msg("no key %s", k);
	return json_object_get_string(v);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 65536);

	assert_non_null(f);
	assert_non_null(buf);
	assert_true(fread(buf, 1, 65535, f) > 0);
	fclose(f);
	return buf;
}

/* Issue 11 §3: online PASS, trace LOST. */
static void test_online_pass_trace_lost(void **state)
{
	char path[256], *txt;
	struct json_object *j, *d;

	(void)state;
	online(0, 0);
	check(SC_ZERO);
	assert_int_equal(res->findings[F_LOST], 1);
	assert_false(res->online_agree);
	assert_true(res->online_differs[F_LOST]);
	assert_false(res->online_differs[F_STALE]);
	assert_int_equal(checker_disagree_count(res), 1);
	assert_int_equal(checker_exit_status(res), EXIT_FINDINGS);

	/* check.json */
	j = checker_result_to_json(res);
	assert_int_equal(jint(j, "findings", CK_DISAGREE, NULL), 1);
	assert_int_equal(jint(j, "disagree", "count", NULL), 1);
	assert_true(json_object_object_get_ex(j, "disagree", &d));
	assert_int_equal(jint(d, "classes", "LOST", "online"), 0);
	assert_int_equal(jint(d, "classes", "LOST", "trace"), 1);
	assert_string_equal(jstr(d, "message"), "LOST: online 0, trace 1");
	json_object_put(j);

	/* report.json, merged */
	snprintf(path, sizeof(path), "%s/report.json", dir);
	assert_int_equal(checker_merge_into_report(path, res), 0);
	j = json_object_from_file(path);
	assert_non_null(j);
	assert_int_equal(jint(j, "findings", CK_DISAGREE, NULL), 1);
	assert_int_equal(jint(j, "findings", "LOST", NULL), 0); /* online's */
	assert_int_equal(jint(j, "disagree", "count", NULL), 1);
	assert_true(json_object_object_get_ex(j, "disagree", &d));
	assert_int_equal(jint(d, "classes", "LOST", "trace"), 1);
	assert_string_equal(jstr(j, "verdict"), "fail");
	assert_int_equal(jint(j, "exit", NULL, NULL), EXIT_FINDINGS);
	json_object_put(j);

	/* merging again reads the online counts, not DISAGREE, back */
	checker_compare_online(dir, res);
	assert_int_equal(checker_disagree_count(res), 1);

	/* check.txt */
	snprintf(path, sizeof(path), "%s/check.txt", dir);
	assert_int_equal(checker_write_text(path, res), 0);
	txt = slurp(path);
	assert_non_null(strstr(txt, " LOST 1 TORN 0 SIZE 0 DISAGREE 1\n"));
	assert_non_null(strstr(txt, "online verdict: DISAGREE: LOST: online "
				    "0, trace 1\n"));
	assert_non_null(strstr(txt, "verdict: fail (DISAGREE:"));
	assert_non_null(strstr(txt, "expected gen 1, saw zeros"));
	free(txt);
	free(res);
}

/*
 * Online LOST 1, the trace oracle passes (the read returned the write's
 * data): every invariant holds, DISAGREE alone fails the run.
 */
static void test_disagree_alone_fails(void **state)
{
	char path[256];
	struct json_object *j;
	unsigned i;

	(void)state;
	online(0, 1);
	check(SC_STAMP);
	for (i = 0; i < CK_NINV; i++)
		assert_int_not_equal(res->inv[i].status, CK_FAIL);
	assert_int_equal(res->findings[F_LOST], 0);
	assert_int_equal(checker_disagree_count(res), 1);
	assert_int_equal(checker_exit_status(res), EXIT_FINDINGS);
	assert_string_equal(checker_verdict_name(res), "fail");
	snprintf(path, sizeof(path), "%s/report.json", dir);
	assert_int_equal(checker_merge_into_report(path, res), 0);
	j = json_object_from_file(path);
	assert_int_equal(jint(j, "findings", CK_DISAGREE, NULL), 1);
	assert_int_equal(jint(j, "disagree", "classes", "LOST"), 0);
	json_object_put(j);
	free(res);
}

/* Agreement: DISAGREE 0 everywhere, exit 0. */
static void test_agree(void **state)
{
	char path[256], *txt;
	struct json_object *j;

	(void)state;
	online(0, 1);
	check(SC_ZERO);
	assert_true(res->online_agree);
	assert_int_equal(checker_disagree_count(res), 0);
	/* the oracle invariant failed: findings, but no DISAGREE */
	assert_int_equal(checker_exit_status(res), EXIT_FINDINGS);
	free(res);

	online(0, 0);
	check(SC_STAMP);
	assert_int_equal(checker_disagree_count(res), 0);
	assert_int_equal(checker_exit_status(res), EXIT_CLEAN);
	snprintf(path, sizeof(path), "%s/report.json", dir);
	assert_int_equal(checker_merge_into_report(path, res), 0);
	j = json_object_from_file(path);
	assert_int_equal(jint(j, "findings", CK_DISAGREE, NULL), 0);
	assert_int_equal(jint(j, "disagree", "count", NULL), 0);
	assert_string_equal(jstr(j, "verdict"), "pass");
	json_object_put(j);
	snprintf(path, sizeof(path), "%s/check.txt", dir);
	assert_int_equal(checker_write_text(path, res), 0);
	txt = slurp(path);
	assert_non_null(strstr(txt, " DISAGREE 0\n"));
	assert_null(strstr(txt, "verdict: pass ("));
	free(txt);
	free(res);
}

/*
 * A crash run: STALE found by the read-back after the remount (no trace
 * event shows those reads: findings_offline) is not the trace oracle's to
 * agree with; a STALE beyond those still is.
 */
static void test_offline_findings_excluded(void **state)
{
	char path[256];
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/report.json", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "{ \"verdict\": \"fail\", \"exit\": 1,\n"
		   "  \"findings\": { \"STALE\": 2, \"LOST\": 0 },\n"
		   "  \"findings_offline\": { \"STALE\": 2 } }\n");
	assert_int_equal(fclose(f), 0);
	check(SC_STAMP);
	assert_true(res->online_agree);
	assert_int_equal(checker_disagree_count(res), 0);
	free(res);

	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "{ \"verdict\": \"fail\", \"exit\": 1,\n"
		   "  \"findings\": { \"STALE\": 3, \"LOST\": 0 },\n"
		   "  \"findings_offline\": { \"STALE\": 2 } }\n");
	assert_int_equal(fclose(f), 0);
	check(SC_STAMP);
	assert_false(res->online_agree);
	assert_int_equal(checker_disagree_count(res), 1);
	free(res);
}

/* An incomplete trace disagrees without deciding: not counted. */
static void test_incomplete_not_counted(void **state)
{
	(void)state;
	online(0, 0);
	check(SC_ZERO);
	res->seq_gaps = 1;
	assert_false(res->online_agree);
	assert_int_equal(checker_disagree_count(res), 0);
	free(res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_online_pass_trace_lost),
		cmocka_unit_test(test_disagree_alone_fails),
		cmocka_unit_test(test_agree),
		cmocka_unit_test(test_offline_findings_excluded),
		cmocka_unit_test(test_incomplete_not_counted),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
