// SPDX-License-Identifier: GPL-2.0
/* The durability oracle on hand-built histories. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/util.h"
#include "model/durability.h"
#include "model/findings.h"
#include "model/stamp.h"

#define SEED  0xd00dull
#define KiB   1024ull
#define FSIZE (64 * KiB)

static struct durability *d;
static struct findings fl;
static unsigned char *img; /* what each file "reads back" as */
static uint64_t now;

static int setup(void **state)
{
	uint64_t sizes[2] = { FSIZE, 0 };

	(void)state;
	d = dur_new(2, sizes, SEED);
	findings_init(&fl);
	img = calloc(1, FSIZE);
	now = 1000;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	dur_free(d);
	findings_free(&fl);
	free(img);
	return 0;
}

/* An op that runs from now to now+10; returns its completion time. */
static uint64_t op(uint64_t id, enum op_kind k, uint32_t file, uint32_t flags,
		   uint64_t off, uint64_t len, int64_t res)
{
	struct oracle_op o = { .id = id,
			       .kind = k,
			       .file = file,
			       .flags = flags,
			       .off = off,
			       .len = len,
			       .t_submit = now };

	dur_submit(d, &o);
	now += 10;
	dur_complete(d, id, res, now);
	now += 10;
	return now - 10;
}

static uint64_t wr(uint64_t id, uint64_t off, uint64_t len, uint32_t flags)
{
	return op(id, OP_WRITE, 0, flags, off, len, (int64_t)len);
}

static void put(uint64_t id, uint64_t off, uint64_t len)
{
	stamp_fill(img + off, 0, off / SECTOR_SIZE,
		   (uint32_t)(len / SECTOR_SIZE), id, SEED);
}

static size_t check(uint64_t t)
{
	uint64_t verified = 0;
	size_t bad = dur_check_file(d, 0, img, FSIZE, t, &fl, &verified);

	assert_int_equal(verified, FSIZE / SECTOR_SIZE);
	return bad;
}

static void test_fsync_makes_durable(void **state)
{
	uint64_t t;

	(void)state;
	wr(1, 0, 4 * KiB, OPF_DIRECT);
	t = op(2, OP_FSYNC, 0, 0, 0, 0, 0);
	/* data present: clean */
	put(1, 0, 4 * KiB);
	assert_int_equal(check(t), 0);
	/* data gone (zeros) after the fsync acked: LOST-DURABLE */
	memset(img, 0, 4 * KiB);
	assert_int_equal(check(t), 8);
	assert_int_equal(fl.count[F_LOST_DURABLE], 1);
	assert_int_equal(fl.v[0].off, 0);
	assert_int_equal(fl.v[0].len, 4 * KiB);
	assert_non_null(strstr(fl.v[0].expected, "op 1"));
	/* a crash before the fsync completed: zeros are fine */
	assert_int_equal(check(t - 5), 0);
	assert_int_equal(fl.count[F_LOST_DURABLE], 1);
}

static void test_fsync_of_other_file_does_not_count(void **state)
{
	uint64_t t;

	(void)state;
	wr(1, 0, 4 * KiB, 0);
	t = op(2, OP_FSYNC, 1, 0, 0, 0, 0);
	assert_int_equal(check(t), 0); /* zeros: write not durable */
	/* an fsync submitted before the write completed does not count */
	{
		struct oracle_op s = {
			.id = 3, .kind = OP_FSYNC, .file = 0, .t_submit = now
		};
		struct oracle_op w = { .id = 4,
				       .kind = OP_WRITE,
				       .file = 0,
				       .off = 8 * KiB,
				       .len = 4 * KiB,
				       .t_submit = now + 1 };

		dur_submit(d, &s);
		dur_submit(d, &w);
		dur_complete(d, 4, 4 * KiB, now + 5);
		dur_complete(d, 3, 0, now + 6);
		now += 20;
	}
	/* ...but fsync 3 does make write 1 durable */
	assert_int_equal(check(now), 8);
	put(1, 0, 4 * KiB);
	assert_int_equal(fl.count[F_LOST_DURABLE], 1);
}

static void test_dsync_write_durable_on_completion(void **state)
{
	uint64_t t;

	(void)state;
	t = wr(1, 4 * KiB, 4 * KiB, OPF_DIRECT | OPF_DSYNC);
	assert_int_equal(check(t), 8);
	assert_int_equal(fl.count[F_LOST_DURABLE], 1);
	put(1, 4 * KiB, 4 * KiB);
	assert_int_equal(check(t), 0);
	/* a failed O_DSYNC write is not durable */
	t = op(2, OP_WRITE, 0, OPF_DSYNC, 16 * KiB, 4 * KiB, -5);
	assert_int_equal(check(t), 0);
}

static void test_older_generation_and_newer(void **state)
{
	uint64_t t;

	(void)state;
	wr(1, 0, 4 * KiB, 0);
	t = op(2, OP_FSYNC, 0, 0, 0, 0, 0);
	wr(3, 0, 4 * KiB, 0); /* newer, not durable */
	/* old durable value or the newer one: both fine */
	put(1, 0, 4 * KiB);
	assert_int_equal(check(now), 0);
	put(3, 0, 4 * KiB);
	assert_int_equal(check(now), 0);
	/* a durable write 4 over write 1: generation 1 is LOST-DURABLE */
	wr(4, 0, 4 * KiB, OPF_DSYNC);
	put(1, 0, 4 * KiB);
	assert_int_equal(check(now), 8);
	assert_int_equal(fl.count[F_LOST_DURABLE], 1);
	assert_non_null(strstr(fl.v[0].seen, "generation 1 (older)"));
	(void)t;
}

static void test_stale(void **state)
{
	(void)state;
	/* poison where nothing was written */
	poison_fill(img + 32 * KiB, 7, 2, SEED);
	assert_int_equal(check(now), 2);
	assert_int_equal(fl.count[F_STALE], 1);
	assert_non_null(strstr(fl.v[0].seen, "poison"));
	/* another offset's stamp */
	memset(img, 0, FSIZE);
	wr(1, 0, 8 * KiB, 0);
	stamp_fill(img, 0, 8, 1, 1, SEED); /* sector 0 holds sector 8's */
	assert_int_equal(check(now), 1);
	assert_int_equal(fl.count[F_STALE], 2);
	/* another file's and another run's stamps */
	memset(img, 0, FSIZE);
	stamp_fill(img, 1, 0, 1, 1, SEED);
	stamp_fill(img + 512, 0, 1, 1, 1, SEED + 1);
	assert_int_equal(check(now), 2);
	assert_int_equal(fl.count[F_STALE], 3); /* coalesced */
	/* a generation that never wrote here */
	memset(img, 0, FSIZE);
	stamp_fill(img, 0, 0, 1, 99, SEED);
	assert_int_equal(check(now), 1);
	assert_int_equal(fl.count[F_STALE], 4);
	assert_non_null(strstr(fl.v[3].seen, "never here"));
	/* torn */
	memset(img, 0, FSIZE);
	stamp_fill(img, 0, 0, 1, 1, SEED);
	img[100] ^= 1;
	assert_int_equal(check(now), 1);
	assert_int_equal(fl.count[F_TORN], 1);
}

static void test_zeroing_ops(void **state)
{
	(void)state;
	wr(1, 0, 8 * KiB, OPF_DSYNC);
	put(1, 0, 8 * KiB);
	assert_int_equal(check(now), 0);
	/* punch after the durable write: zeros become legal */
	op(2, OP_PUNCH, 0, OPF_KEEP_SIZE, 0, 4 * KiB, 0);
	memset(img, 0, 4 * KiB);
	assert_int_equal(check(now), 0);
	/* durable punch then: the old data may not come back */
	op(3, OP_FSYNC, 0, 0, 0, 0, 0);
	put(1, 0, 4 * KiB);
	assert_int_equal(check(now), 8);
	assert_int_equal(fl.count[F_LOST_DURABLE], 1);
}

static void test_size_shrunk(void **state)
{
	uint64_t verified;
	size_t bad;

	(void)state;
	wr(1, 0, 8 * KiB, OPF_DSYNC);
	put(1, 0, 8 * KiB);
	bad = dur_check_file(d, 0, img, 4 * KiB, now, &fl, &verified);
	assert_int_equal(bad, 1);
	assert_int_equal(verified, 8);
	assert_int_equal(fl.count[F_LOST_DURABLE], 1);
	assert_non_null(strstr(fl.v[0].expected, "st_size >= 8192"));
	/* file 1 never written: empty is fine */
	bad = dur_check_file(d, 1, img, 0, now, &fl, &verified);
	assert_int_equal(bad, 0);
}

static void test_count_durable(void **state)
{
	(void)state;
	wr(1, 0, 4 * KiB, 0);
	wr(2, 4 * KiB, 4 * KiB, OPF_DSYNC);
	assert_int_equal(dur_count_durable(d, now), 1);
	op(3, OP_FDATASYNC, 0, 0, 0, 0, 0);
	assert_int_equal(dur_count_durable(d, now), 2);
	assert_int_equal(dur_op_flags(d, 2), OPF_DSYNC);
	assert_int_equal(dur_op_flags(d, 77), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fsync_makes_durable, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_fsync_of_other_file_does_not_count, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_dsync_write_durable_on_completion, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_older_generation_and_newer,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zeroing_ops, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_size_shrunk, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_count_durable, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
