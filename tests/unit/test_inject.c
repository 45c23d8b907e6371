// SPDX-License-Identifier: GPL-2.0
/* Injection syntax (good and bad), trigger evaluation, injector keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/util.h"
#include "injectors/inject.h"
#include "model/oracle.h"
#include "replay/workload.h"

static void test_delay_good(void **state)
{
	struct inj_delay d;
	char why[256] = "";

	(void)state;
	assert_int_equal(
		inject_parse_delay("before:truncate,5ms", &d, why, sizeof(why)),
		0);
	assert_int_equal(d.point, INJ_BEFORE);
	assert_int_equal(d.site, IS_TRUNCATE);
	assert_int_equal(d.file, -1);
	assert_int_equal(d.dmin_ns, 5 * NSEC_PER_MSEC);
	assert_int_equal(d.dmax_ns, 5 * NSEC_PER_MSEC);
	assert_int_equal(d.when, IW_ALWAYS);

	assert_int_equal(inject_parse_delay("after:submit:f3,100us-2ms,p=0.25,"
					    "when=inflight>=8,count=7",
					    &d, why, sizeof(why)),
			 0);
	assert_int_equal(d.point, INJ_AFTER);
	assert_int_equal(d.site, IS_SUBMIT);
	assert_int_equal(d.file, 3);
	assert_int_equal(d.dmin_ns, 100000);
	assert_int_equal(d.dmax_ns, 2 * NSEC_PER_MSEC);
	assert_true(d.p > 0.249 && d.p < 0.251);
	assert_int_equal(d.when, IW_INFLIGHT);
	assert_int_equal(d.when_arg, 8);
	assert_int_equal(d.count, 7);
	assert_string_equal(d.text, "after:submit:f3,100us-2ms,p=0.25,"
				    "when=inflight>=8,count=7");

	assert_int_equal(inject_parse_delay("before:reap,1s,every=3,"
					    "when=after_completions=100",
					    &d, why, sizeof(why)),
			 0);
	assert_int_equal(d.site, IS_REAP);
	assert_int_equal(d.every, 3);
	assert_int_equal(d.when, IW_AFTER_COMPLETIONS);
	assert_int_equal(d.when_arg, 100);

	assert_int_equal(
		inject_parse_delay("after:zero_range,0,when=truncating", &d,
				   why, sizeof(why)),
		0);
	assert_int_equal(d.site, IS_ZERO_RANGE);
	assert_int_equal(d.when, IW_TRUNCATING);
	assert_int_equal(d.dmin_ns, 0);
	assert_int_equal(inject_parse_delay("before:idle:f0,60s,count=1", &d,
					    why, sizeof(why)),
			 0);
	assert_int_equal(d.site, IS_IDLE);
	assert_int_equal(d.dmin_ns, 60 * NSEC_PER_SEC);
	assert_int_equal(d.count, 1);
	for (int s = 0; s < IS_NSITES; s++) {
		char spec[64];

		snprintf(spec, sizeof(spec), "before:%s,1ms", inj_site_name(s));
		assert_int_equal(inject_parse_delay(spec, &d, why, sizeof(why)),
				 0);
		assert_int_equal(d.site, s);
	}
}

static void bad(const char *spec, const char *want)
{
	struct inj_delay d;
	char why[256] = "";

	if (inject_parse_delay(spec, &d, why, sizeof(why)) != -1)
		fail_msg("'%s' was accepted", spec);
	if (!strstr(why, want))
		fail_msg("'%s': message '%s' lacks '%s'", spec, why, want);
}

static void test_delay_bad(void **state)
{
	(void)state;
	bad("", "expected POINT:SITE");
	bad("after:idle,1ms", "only before:idle");
	bad("before:truncate", "expected POINT:SITE");
	bad("truncate,5ms", "expected POINT:SITE");
	bad("during:truncate,5ms", "point 'during'");
	bad("before:open,5ms", "site 'open'");
	bad("before:submit:x1,5ms", "filter 'x1'");
	bad("before:submit:f,5ms", "filter 'f'");
	bad("before:submit,5parsecs", "bad duration");
	bad("before:submit,5ms-1ms", "is empty");
	bad("before:submit,61s", "longer than 60s");
	bad("before:submit,1ms,p=0", "0 < P <= 1");
	bad("before:submit,1ms,p=1.5", "0 < P <= 1");
	bad("before:submit,1ms,p=x", "0 < P <= 1");
	bad("before:submit,1ms,p=0.5,every=2", "only one of");
	bad("before:submit,1ms,every=0", "N >= 1");
	bad("before:submit,1ms,when=inflight>=0", "N >= 1");
	bad("before:submit,1ms,when=inflight>8", "expected inflight>=N");
	bad("before:submit,1ms,when=soon", "expected inflight>=N");
	bad("before:submit,1ms,when=truncating,when=truncating",
	    "duplicate when=");
	bad("before:submit,1ms,count=0", "N >= 1");
	bad("before:submit,1ms,bogus=1", "unknown 'bogus=1'");
}

static void test_trigger(void **state)
{
	struct inj_delay d;
	struct inj_state st = { .file = 0 };
	uint64_t dur = 0;
	unsigned fired = 0;

	(void)state;
	/* when=inflight>=8 only fires at >= 8, on the filtered file */
	assert_int_equal(inject_parse_delay("before:truncate:f1,3ms,"
					    "when=inflight>=8",
					    &d, NULL, 0),
			 0);
	st.file = 1;
	st.inflight = 7;
	assert_false(inject_trigger(&d, &st, 1, 0, &dur));
	st.inflight = 8;
	assert_true(inject_trigger(&d, &st, 1, 0, &dur));
	assert_int_equal(dur, 3 * NSEC_PER_MSEC);
	st.file = 0;
	st.inflight = 100;
	assert_false(inject_trigger(&d, &st, 1, 0, &dur));

	/* every=3: hits 3, 6, 9 */
	assert_int_equal(
		inject_parse_delay("before:reap,1ms,every=3", &d, NULL, 0), 0);
	for (int i = 1; i <= 9; i++) {
		bool f = inject_trigger(&d, &st, 1, 0, &dur);

		assert_int_equal(f, i % 3 == 0);
	}

	/* count=2 caps firings */
	assert_int_equal(
		inject_parse_delay("after:fsync,1ms,count=2", &d, NULL, 0), 0);
	for (int i = 0; i < 10; i++)
		fired += inject_trigger(&d, &st, 1, 0, &dur);
	assert_int_equal(fired, 2);

	/* after_completions and truncating */
	assert_int_equal(inject_parse_delay("before:submit,1ms,"
					    "when=after_completions=50",
					    &d, NULL, 0),
			 0);
	st.completions = 49;
	assert_false(inject_trigger(&d, &st, 1, 0, &dur));
	st.completions = 50;
	assert_true(inject_trigger(&d, &st, 1, 0, &dur));
	assert_int_equal(inject_parse_delay("before:reap,1ms,when=truncating",
					    &d, NULL, 0),
			 0);
	st.truncating = false;
	assert_false(inject_trigger(&d, &st, 1, 0, &dur));
	st.truncating = true;
	assert_true(inject_trigger(&d, &st, 1, 0, &dur));
}

static void test_probability_and_range(void **state)
{
	struct inj_delay d, d2;
	struct inj_state st = { 0 };
	uint64_t dur, dur2, lo = UINT64_MAX, hi = 0;
	unsigned fired = 0;

	(void)state;
	assert_int_equal(
		inject_parse_delay("before:submit,1ms-2ms,p=0.1", &d, NULL, 0),
		0);
	assert_int_equal(
		inject_parse_delay("before:submit,1ms-2ms,p=0.1", &d2, NULL, 0),
		0);
	for (int i = 0; i < 10000; i++) {
		bool a = inject_trigger(&d, &st, 42, 0, &dur);
		bool b = inject_trigger(&d2, &st, 42, 0, &dur2);

		/* same seed, same hit number: same decision and duration */
		assert_int_equal(a, b);
		if (a) {
			assert_int_equal(dur, dur2);
			fired++;
			lo = MIN(lo, dur);
			hi = MAX(hi, dur);
		}
	}
	assert_in_range(fired, 800, 1200);
	assert_in_range(lo, NSEC_PER_MSEC, 2 * NSEC_PER_MSEC);
	assert_in_range(hi, NSEC_PER_MSEC, 2 * NSEC_PER_MSEC);
	assert_true(hi - lo > NSEC_PER_MSEC / 2);
}

static void test_keys(void **state)
{
	struct inject_conf c;
	char why[256];

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(
		inject_set_kv(&c, "dm_delay=10,20,30", why, sizeof(why)), 0);
	assert_int_equal(c.dm, DMK_DELAY);
	assert_int_equal(c.delay_ms[0], 10);
	assert_int_equal(c.delay_ms[1], 20);
	assert_int_equal(c.delay_ms[2], 30);
	assert_true(c.have_flush_delay);
	assert_int_equal(inject_set_kv(&c, "dm=flakey", why, sizeof(why)), 0);
	assert_int_equal(c.dm, DMK_FLAKEY);
	assert_int_equal(inject_set_kv(&c,
				       "dm_flakey=1,2,error_writes,"
				       "corrupt_bio_byte:32:w:1:0",
				       why, sizeof(why)),
			 0);
	assert_int_equal(c.flakey_up, 1);
	assert_int_equal(c.flakey_down, 2);
	assert_string_equal(c.flakey_features,
			    "6 error_writes corrupt_bio_byte 32 w 1 0");
	assert_int_equal(inject_set_kv(&c, "crash=after_dsync:3,wait=2s", why,
				       sizeof(why)),
			 0);
	assert_int_equal(c.crash, CRASH_AFTER_DSYNC);
	assert_int_equal(c.crash_arg, 3);
	assert_int_equal(c.crash_wait_ns, 2 * NSEC_PER_SEC);
	assert_int_equal(inject_set_kv(&c, "crash=end", why, sizeof(why)), 0);
	assert_int_equal(c.crash, CRASH_END);
	assert_int_equal(inject_set_kv(&c, "dm_start=after_completions:100",
				       why, sizeof(why)),
			 0);
	assert_int_equal(c.dm_start, DMS_AFTER_COMPLETIONS);
	assert_int_equal(c.dm_start_arg, 100);
	assert_int_equal(
		inject_set_kv(&c, "dm_start=time:2s", why, sizeof(why)), 0);
	assert_int_equal(c.dm_start, DMS_TIME);
	assert_int_equal(c.dm_start_arg, 2 * NSEC_PER_SEC);
	assert_int_equal(
		inject_set_kv(&c, "dm_start=after_fsync:0", why, sizeof(why)),
		-1);
	assert_non_null(strstr(why, "after_fsync:N"));
	assert_int_equal(inject_set_kv(&c, "dm_start=start", why, sizeof(why)),
			 0);
	assert_int_equal(c.dm_start, DMS_START);
	assert_int_equal(inject_set_kv(&c, "crash=none", why, sizeof(why)), 0);
	assert_int_equal(c.crash, CRASH_NONE);
	assert_int_equal(
		inject_set_kv(&c, "crash=time:1500ms", why, sizeof(why)), 0);
	assert_int_equal(c.crash, CRASH_TIME);
	assert_int_equal(c.crash_arg, 1500 * NSEC_PER_MSEC);
	assert_int_equal(
		inject_set_kv(&c, "fail_request=10,1,-1", why, sizeof(why)), 0);
	assert_true(c.fail_request);
	assert_int_equal(c.fr_times, -1);

	assert_int_equal(inject_set_kv(&c, "dm=raid", why, sizeof(why)), -1);
	assert_non_null(strstr(why, "dm=raid"));
	assert_int_equal(inject_set_kv(&c, "dm_delay=10", why, sizeof(why)),
			 -1);
	assert_int_equal(inject_set_kv(&c, "dm_flakey=0,0", why, sizeof(why)),
			 -1);
	assert_int_equal(
		inject_set_kv(&c, "dm_flakey=1,1,melt", why, sizeof(why)), -1);
	assert_non_null(strstr(why, "melt"));
	assert_int_equal(
		inject_set_kv(&c, "crash=after_fsync:0", why, sizeof(why)), -1);
	assert_int_equal(inject_set_kv(&c, "crash=soon", why, sizeof(why)), -1);
	assert_int_equal(
		inject_set_kv(&c, "fail_request=101,1,1", why, sizeof(why)),
		-1);
	assert_int_equal(inject_set_kv(&c, "volume=11", why, sizeof(why)), -1);
	assert_non_null(strstr(why, "unknown injector key 'volume'"));
	assert_int_equal(inject_set_kv(&c, "delay", why, sizeof(why)), -1);
}

/*
 * Issue 15: %u took "-1" (as 4294967295) and dm_flakey's feature text was
 * cut at 200 bytes while the word count in front was not.
 */
static void test_hostile_values(void **state)
{
	struct inject_conf c;
	char why[256], kv[300];
	size_t n;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(
		inject_set_kv(&c, "fail_request=1,-1,1", why, sizeof(why)), -1);
	assert_non_null(strstr(why, "INTERVAL"));
	assert_int_equal(
		inject_set_kv(&c, "fail_request=-1,1,1", why, sizeof(why)), -1);
	assert_int_equal(
		inject_set_kv(&c, "fail_request=1,+1,1", why, sizeof(why)), -1);
	assert_int_equal(
		inject_set_kv(&c, "fail_request=1,1,-2", why, sizeof(why)), -1);
	assert_int_equal(inject_set_kv(&c, "fail_request=1,4294967297,1", why,
				       sizeof(why)),
			 -1);
	assert_int_equal(
		inject_set_kv(&c, "fail_request=1,1,1,", why, sizeof(why)), -1);
	assert_int_equal(
		inject_set_kv(&c, "fail_request=7,3,2", why, sizeof(why)), 0);
	assert_int_equal(c.fr_probability, 7);
	assert_int_equal(c.fr_interval, 3);
	assert_int_equal(c.fr_times, 2);

	assert_int_equal(inject_set_kv(&c,
				       "dm_flakey=1,1,corrupt_bio_byte:-1:w:"
				       "1:1",
				       why, sizeof(why)),
			 -1);
	assert_int_equal(inject_set_kv(&c,
				       "dm_flakey=1,1,corrupt_bio_byte:1:w:"
				       "1:-1",
				       why, sizeof(why)),
			 -1);
	assert_int_equal(inject_set_kv(&c,
				       "dm_flakey=1,1,corrupt_bio_byte:1:w:"
				       "256:0",
				       why, sizeof(why)),
			 -1);
	/* 9 x 25 bytes of features: more than the table text holds */
	n = (size_t)snprintf(kv, sizeof(kv), "dm_flakey=1,1");
	while (n + 25 < sizeof(kv) - 1 && n < 240)
		n += (size_t)snprintf(kv + n, sizeof(kv) - n,
				      ",corrupt_bio_byte:1:w:1:1");
	assert_int_equal(inject_set_kv(&c, kv, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "longer than"));
}

static void test_workload_keys(void **state)
{
	struct workload wl;
	char err[512];
	const char *good = "[global]\n"
			   "delay=before:truncate,5ms,when=inflight>=8\n"
			   "delay=after:reap,1ms\n"
			   "dm_delay=1,2\n"
			   "[w]\ntype=io\nrw=write\nnumber_ios=4\n";
	const char *badv = "[global]\n"
			   "delay=before:truncate,5ms,when=inflight>=0\n"
			   "[w]\ntype=io\nrw=write\nnumber_ios=4\n";

	(void)state;
	assert_int_equal(
		workload_parse_string(good, "good.job", &wl, err, sizeof(err)),
		0);
	assert_non_null(wl.inj);
	assert_int_equal(wl.inj->ndelays, 2);
	assert_int_equal(wl.inj->delays[0].when_arg, 8);
	assert_int_equal(wl.inj->delays[1].point, INJ_AFTER);
	assert_int_equal(wl.inj->dm, DMK_DELAY);
	workload_free(&wl);
	assert_int_equal(
		workload_parse_string(badv, "bad.job", &wl, err, sizeof(err)),
		-1);
	assert_non_null(strstr(err, "bad.job:2:"));
	assert_non_null(strstr(err, "N >= 1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delay_good),
		cmocka_unit_test(test_delay_bad),
		cmocka_unit_test(test_trigger),
		cmocka_unit_test(test_probability_and_range),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_workload_keys),
		cmocka_unit_test(test_hostile_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
