// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "replay/shrink.h"

#define N 40

struct pred {
	int kind;
	unsigned calls;
	size_t prev_size; /* size of the set the last accepted call had */
	bool bigger_seen; /* a candidate not smaller than the current set */
};

static size_t count(const bool *k, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += k[i];
	return c;
}

/* kind 0: fails iff 3 and 17 kept (monotone) */
/* kind 1: fails iff exactly one of 5, 6 kept and 30 kept (non-monotone) */
/* kind 2: fails iff an odd number of ops in [10, 20) and 2 kept */
/* kind 3: never fails */
/* kind 4: always fails */
static int pred(const bool *k, size_t n, void *arg)
{
	struct pred *p = arg;
	int r = 0;

	p->calls++;
	if (count(k, n) >= p->prev_size)
		p->bigger_seen = true;
	switch (p->kind) {
	case 0:
		r = k[3] && k[17];
		break;
	case 1:
		r = (k[5] != k[6]) && k[30];
		break;
	case 2:
		r = (count(k + 10, 10) & 1) && k[2];
		break;
	case 4:
		r = 1;
		break;
	}
	if (r)
		p->prev_size = count(k, n);
	return r;
}

static void all(bool *k)
{
	for (size_t i = 0; i < N; i++)
		k[i] = true;
}

static void test_two_ops(void **state)
{
	struct pred p = { .kind = 0, .prev_size = N };
	bool k[N];
	unsigned tries = 0;

	(void)state;
	all(k);
	assert_int_equal(shrink_ddmin(k, N, pred, &p, 0, &tries), 0);
	assert_int_equal(count(k, N), 2);
	assert_true(k[3]);
	assert_true(k[17]);
	assert_int_equal(tries, p.calls);
	assert_false(p.bigger_seen);
	/* ddmin needs far fewer tries than 2^40; a bound it stays well in */
	assert_true(tries < 120);
}

static void test_non_monotone(void **state)
{
	struct pred p = { .kind = 1, .prev_size = N };
	bool k[N];

	(void)state;
	all(k); /* 5 and 6 both kept: the full set does not fail */
	k[6] = false;
	p.prev_size = N - 1;
	assert_int_equal(shrink_ddmin(k, N, pred, &p, 0, NULL), 0);
	assert_int_equal(count(k, N), 2);
	assert_true(k[5]);
	assert_true(k[30]);
	assert_false(p.bigger_seen);
}

static void test_one_minimal(void **state)
{
	struct pred p = { .kind = 2, .prev_size = N };
	bool k[N], c[N];

	(void)state;
	all(k);
	k[10] = false; /* 9 ops kept in [10, 20): odd */
	p.prev_size = N - 1;
	assert_int_equal(shrink_ddmin(k, N, pred, &p, 0, NULL), 0);
	/* 1-minimal: the result fails, no single removal does */
	assert_int_equal(pred(k, N, &p), 1);
	for (size_t i = 0; i < N; i++) {
		if (!k[i])
			continue;
		memcpy(c, k, sizeof(c));
		c[i] = false;
		assert_int_equal(pred(c, N, &p), 0);
	}
	assert_int_equal(count(k, N), 2);
	assert_true(k[2]);
}

static void test_max_tries(void **state)
{
	struct pred p = { .kind = 0, .prev_size = N };
	bool k[N];
	unsigned tries = 0;

	(void)state;
	all(k);
	assert_int_equal(shrink_ddmin(k, N, pred, &p, 3, &tries), 1);
	assert_int_equal(tries, 3);
	assert_int_equal(p.calls, 3);
	/* the best so far still fails */
	assert_true(k[3] && k[17]);
	assert_true(count(k, N) < N);
}

static void test_never_and_always(void **state)
{
	struct pred p = { .kind = 3, .prev_size = N };
	bool k[N];

	(void)state;
	all(k);
	assert_int_equal(shrink_ddmin(k, N, pred, &p, 0, NULL), 0);
	assert_int_equal(count(k, N), N); /* nothing else fails: unchanged */
	p = (struct pred){ .kind = 4, .prev_size = N };
	assert_int_equal(shrink_ddmin(k, N, pred, &p, 0, NULL), 0);
	assert_int_equal(count(k, N), 0);
}

static int stop_pred(const bool *k, size_t n, void *arg)
{
	(void)k;
	(void)n;
	return ++*(unsigned *)arg == 2 ? -1 : 0;
}

static void test_stop(void **state)
{
	unsigned calls = 0;
	bool k[N];

	(void)state;
	all(k);
	assert_int_equal(shrink_ddmin(k, N, stop_pred, &calls, 0, NULL), -1);
	assert_int_equal(calls, 2);
	assert_int_equal(count(k, N), N);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_ops),
		cmocka_unit_test(test_non_monotone),
		cmocka_unit_test(test_one_minimal),
		cmocka_unit_test(test_max_tries),
		cmocka_unit_test(test_never_and_always),
		cmocka_unit_test(test_stop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
