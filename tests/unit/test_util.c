// SPDX-License-Identifier: GPL-2.0
/*
 * common/util: MIN/MAX evaluate each argument once (a racing stream once
 * slept for centuries on MIN(at - now_ns(), step) reading the clock twice),
 * and sleep_until_ns reaches its time, returns at once for a past one and
 * stops early when asked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "common/util.h"

static unsigned calls;

/* A clock that moves past `at` between two reads. */
static uint64_t ticking(void)
{
	return 100 + 10 * calls++;
}

static void test_min_max_once(void **state)
{
	uint64_t at = 105, d;
	int n = 0;

	(void)state;
	calls = 0;
	/* one read (100): 5 left; a second read (110) would wrap */
	d = MIN(at - ticking(), 1000ull);
	assert_int_equal(calls, 1);
	assert_int_equal(d, 5);
	assert_int_equal(MAX(n++, 7), 7);
	assert_int_equal(n, 1);
	assert_int_equal(MIN(-3, 2), -3);
	assert_int_equal(MAX(4u, 9u), 9u);
}

static void test_sleep_until(void **state)
{
	atomic_bool stop = false;
	uint64_t t0 = now_ns(), t1;

	(void)state;
	assert_true(sleep_until_ns(t0 + 30 * NSEC_PER_MSEC, 10 * NSEC_PER_MSEC,
				   &stop));
	t1 = now_ns();
	assert_true(t1 - t0 >= 30 * NSEC_PER_MSEC);
	assert_true(t1 - t0 < NSEC_PER_SEC);
	/* a time already past: no sleep at all */
	t0 = now_ns();
	assert_true(sleep_until_ns(t0 - NSEC_PER_MSEC, NSEC_PER_SEC, NULL));
	assert_true(now_ns() - t0 < 5 * NSEC_PER_MSEC);
	/* stopped: false, without waiting for the time */
	atomic_store(&stop, true);
	t0 = now_ns();
	assert_false(
		sleep_until_ns(t0 + 60 * NSEC_PER_SEC, NSEC_PER_MSEC, &stop));
	assert_true(now_ns() - t0 < 5 * NSEC_PER_MSEC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_min_max_once),
		cmocka_unit_test(test_sleep_until),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
