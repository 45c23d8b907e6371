// SPDX-License-Identifier: GPL-2.0
/*
 * One kernel event list: every kernel event the checker has an id for is
 * one the recorder enables (tracefs table and the lttng-modules list), once,
 * and the checker names it exactly as the recorder does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "checker/checker.h"
#include "trace/kevents.h"

static bool recorded(const char *name)
{
	size_t i, n = 0;

	for (i = 0; i < tr_nkevents; i++)
		n += !strcmp(tr_kevents[i].name, name);
	return n == 1;
}

static bool in_lttng_list(const char *name)
{
	const char *l = tr_kevent_list(), *p = l;
	size_t n = strlen(name);

	while ((p = strstr(p, name))) {
		if ((p == l || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return true;
		p += n;
	}
	return false;
}

static void test_checker_events_are_recorded(void **state)
{
	int id;

	(void)state;
	for (id = EV_FIRST_KERNEL; id < EV_KERNEL_STATS; id++) {
		const char *n = ck_evid_name(id);

		if (!recorded(n))
			fail_msg("checker event %s is not recorded once", n);
		if (!in_lttng_list(n))
			fail_msg("checker event %s not in the lttng list", n);
		assert_int_equal(ck_evid_from_name(n), id);
	}
	/* the events the extent-op invariant anchors on */
	assert_true(recorded("ext4_ext_remove_space"));
	assert_true(recorded("ext4_ext_remove_space_done"));
	assert_true(recorded("ext4_collapse_range"));
	assert_true(recorded("ext4_insert_range"));
	assert_true(recorded("ext4_es_remove_extent"));
}

static void test_recorded_events_are_known(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < tr_nkevents; i++) {
		enum ck_evid id = ck_evid_from_name(tr_kevents[i].name);

		if (id < EV_FIRST_KERNEL || id >= EV_KERNEL_STATS)
			fail_msg("recorded %s has no checker id",
				 tr_kevents[i].name);
	}
	assert_int_equal(tr_nkevents, EV_KERNEL_STATS - EV_FIRST_KERNEL);
	/* no trailing separator */
	assert_true(tr_kevent_list()[strlen(tr_kevent_list()) - 1] != ',');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checker_events_are_recorded),
		cmocka_unit_test(test_recorded_events_are_known),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
