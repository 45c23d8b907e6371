// SPDX-License-Identifier: GPL-2.0
/*
 * replay/watchdog: an op in flight too long is a HANG; a stream with no op
 * in flight is a HANG only once it has done nothing for the limit past its
 * last op or past the planned time it was waiting for (startdelay and
 * rate-limited streams sleep legitimately; sleeping past the planned time,
 * like the racing stream that once slept for centuries, is not).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "replay/watchdog.h"

#define S     1000000000ull
#define LIMIT (60 * S)

static void test_inflight(void **state)
{
	struct wd_stream s = { .active = true,
			       .oldest_submit = 100 * S,
			       .last_progress = 100 * S };
	uint64_t age = 0;

	(void)state;
	assert_int_equal(wd_judge(&s, 150 * S, LIMIT, &age), WD_OK);
	assert_int_equal(wd_judge(&s, 160 * S, LIMIT, &age), WD_OK);
	assert_int_equal(wd_judge(&s, 161 * S, LIMIT, &age), WD_INFLIGHT);
	assert_int_equal(age, 61 * S);
	/* an op in flight is never a no-progress HANG, however old */
	s.last_progress = 1;
	assert_int_equal(wd_judge(&s, 120 * S, LIMIT, &age), WD_OK);
	/* a stream that is done is still watched for its op in flight */
	s.active = false;
	assert_int_equal(wd_judge(&s, 200 * S, LIMIT, &age), WD_INFLIGHT);
}

static void test_idle_after_op(void **state)
{
	struct wd_stream s = { .active = true, .last_progress = 10 * S };
	uint64_t age = 0;

	(void)state;
	assert_int_equal(wd_judge(&s, 70 * S, LIMIT, &age), WD_OK);
	assert_int_equal(wd_judge(&s, 71 * S, LIMIT, &age), WD_NOPROGRESS);
	assert_int_equal(age, 61 * S);
	/* done, or not started: not judged */
	s.active = false;
	assert_int_equal(wd_judge(&s, 1000 * S, LIMIT, &age), WD_OK);
	s.active = true;
	s.last_progress = 0;
	assert_int_equal(wd_judge(&s, 1000 * S, LIMIT, &age), WD_OK);
}

static void test_planned_wait(void **state)
{
	/* startdelay / a racing op planned 500 s into the stage */
	struct wd_stream s = { .active = true,
			       .last_progress = 10 * S,
			       .wait_until = 510 * S };
	uint64_t age = 0;

	(void)state;
	assert_int_equal(wd_judge(&s, 100 * S, LIMIT, &age), WD_OK);
	assert_int_equal(wd_judge(&s, 509 * S, LIMIT, &age), WD_OK);
	assert_int_equal(wd_judge(&s, 570 * S, LIMIT, &age), WD_OK);
	/* still asleep the limit after its planned time: stuck */
	assert_int_equal(wd_judge(&s, 571 * S, LIMIT, &age), WD_NOPROGRESS);
	assert_int_equal(age, 61 * S);
	/* a planned time in the past does not hide later activity */
	s.wait_until = 5 * S;
	s.last_progress = 600 * S;
	assert_int_equal(wd_judge(&s, 650 * S, LIMIT, &age), WD_OK);
	assert_int_equal(wd_judge(&s, 661 * S, LIMIT, &age), WD_NOPROGRESS);
}

static void test_clock_behind(void **state)
{
	/* now before the marks (read on another CPU): never a HANG */
	struct wd_stream s = { .active = true,
			       .oldest_submit = 100 * S,
			       .last_progress = 100 * S };
	uint64_t age = 0;

	(void)state;
	assert_int_equal(wd_judge(&s, 99 * S, LIMIT, &age), WD_OK);
	s.oldest_submit = 0;
	assert_int_equal(wd_judge(&s, 99 * S, LIMIT, &age), WD_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inflight),
		cmocka_unit_test(test_idle_after_op),
		cmocka_unit_test(test_planned_wait),
		cmocka_unit_test(test_clock_behind),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
