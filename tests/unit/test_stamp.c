// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/util.h"
#include "model/stamp.h"

void stamp_crc_force_sw(int sw);
void stamp_filler_force_scalar(int scalar);

static void test_crc_check_value(void **state)
{
	const char *s = "123456789";
	unsigned char big[4099];
	uint32_t hw, sw, chained;

	(void)state;
	assert_int_equal(crc32c(0, s, 9), 0xe3069283u);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (unsigned char)(i * 7 + 3);
	/* unaligned start, odd length, both paths agree */
	hw = crc32c(0, big + 1, sizeof(big) - 1);
	chained = crc32c(crc32c(0, big + 1, 1000), big + 1001,
			 sizeof(big) - 1001);
	assert_int_equal(hw, chained);
	stamp_crc_force_sw(1);
	assert_int_equal(crc32c(0, s, 9), 0xe3069283u);
	sw = crc32c(0, big + 1, sizeof(big) - 1);
	stamp_crc_force_sw(0);
	assert_int_equal(hw, sw);
	assert_int_equal(crc32c(0, "", 0), 0);
}

static void *sectors(unsigned n)
{
	void *p = NULL;

	assert_int_equal(posix_memalign(&p, 4096, (size_t)n * SECTOR_SIZE), 0);
	return p;
}

static void test_roundtrip(void **state)
{
	unsigned char *b = sectors(16);
	struct stamp_info si;

	(void)state;
	stamp_fill(b, 3, 100, 16, 42, 0xabcdef);
	for (unsigned i = 0; i < 16; i++) {
		stamp_decode(b + i * SECTOR_SIZE, &si);
		assert_int_equal(si.cls, SC_STAMP);
		assert_int_equal(si.file_id, 3);
		assert_int_equal(si.sector, 100 + i);
		assert_int_equal(si.gen, 42);
		assert_int_equal(si.seed, 0xabcdef);
	}
	/* different sectors differ in their filler */
	assert_memory_not_equal(b + 40, b + SECTOR_SIZE + 40, 472);
	free(b);
}

static void test_deterministic(void **state)
{
	unsigned char *a = sectors(4), *b = sectors(4);

	(void)state;
	stamp_fill(a, 1, 8, 4, 7, 99);
	stamp_fill(b, 1, 8, 4, 7, 99);
	assert_memory_equal(a, b, 4 * SECTOR_SIZE);
	stamp_fill(b, 1, 8, 4, 8, 99);
	assert_memory_not_equal(a + 40, b + 40, 472);
	free(a);
	free(b);
}

static void test_zero_garbage(void **state)
{
	unsigned char *b = sectors(1);
	struct stamp_info si;

	(void)state;
	memset(b, 0, SECTOR_SIZE);
	stamp_decode(b, &si);
	assert_int_equal(si.cls, SC_ZERO);
	b[511] = 1;
	stamp_decode(b, &si);
	assert_int_equal(si.cls, SC_GARBAGE);
	memset(b, 0xa5, SECTOR_SIZE);
	stamp_decode(b, &si);
	assert_int_equal(si.cls, SC_GARBAGE);
	assert_string_equal(stamp_class_name(SC_GARBAGE), "garbage");
	free(b);
}

static void test_poison(void **state)
{
	unsigned char *b = sectors(2);
	struct stamp_info si;

	(void)state;
	poison_fill(b, 1000, 2, 5);
	stamp_decode(b + SECTOR_SIZE, &si);
	assert_int_equal(si.cls, SC_POISON);
	assert_int_equal(si.sector, 1001);
	assert_int_equal(si.gen, 0);
	assert_int_equal(si.seed, 5);
	/* poison differs from data of the same numbers */
	stamp_fill(b, 0, 1000, 1, 0, 5);
	stamp_decode(b, &si);
	assert_int_equal(si.cls, SC_STAMP);
	free(b);
}

static void test_torn(void **state)
{
	unsigned char *b = sectors(2);
	struct stamp_info si;

	(void)state;
	/* flipping any single byte but the magic makes it torn */
	for (unsigned pos = 4; pos < SECTOR_SIZE; pos += 37) {
		stamp_fill(b, 0, 0, 1, 1, 1);
		b[pos] ^= 0x10;
		stamp_decode(b, &si);
		assert_int_equal(si.cls, SC_TORN);
	}
	/* half of one write, half of another */
	stamp_fill(b, 0, 9, 1, 1, 1);
	stamp_fill(b + SECTOR_SIZE, 0, 9, 1, 2, 1);
	memcpy(b + 256, b + SECTOR_SIZE + 256, 256);
	stamp_decode(b, &si);
	assert_int_equal(si.cls, SC_TORN);
	assert_int_equal(si.gen, 1);
	/* poison torn too */
	poison_fill(b, 0, 1, 1);
	b[300] ^= 1;
	stamp_decode(b, &si);
	assert_int_equal(si.cls, SC_TORN);
	/* broken magic: garbage */
	stamp_fill(b, 0, 0, 1, 1, 1);
	b[0] ^= 1;
	stamp_decode(b, &si);
	assert_int_equal(si.cls, SC_GARBAGE);
	free(b);
}

static void test_foreign_seed(void **state)
{
	unsigned char *b = sectors(1);
	struct stamp_info si;

	(void)state;
	stamp_fill(b, 0, 5, 1, 9, 1234);
	stamp_decode(b, &si);
	assert_int_equal(si.cls, SC_STAMP);
	assert_int_equal(si.seed, 1234);
	assert_int_not_equal(si.seed, 1235);
	free(b);
}

/* A mixed buffer decodes the same one by one, in batches, with either crc */
static void test_decode_many(void **state)
{
	unsigned char *b = sectors(23), *c = sectors(23);
	struct stamp_info one, many[23];
	const int want[23] = { SC_STAMP, SC_STAMP,  SC_ZERO,	SC_TORN,
			       SC_STAMP, SC_POISON, SC_GARBAGE, SC_STAMP,
			       SC_TORN,	 SC_STAMP,  SC_STAMP,	SC_ZERO,
			       SC_STAMP, SC_STAMP,  SC_POISON,	SC_STAMP,
			       SC_STAMP, SC_STAMP,  SC_STAMP,	SC_TORN,
			       SC_STAMP, SC_STAMP,  SC_STAMP };

	(void)state;
	for (int sw = 0; sw < 2; sw++) {
		stamp_crc_force_sw(sw);
		stamp_fill(b, 2, 40, 23, 6, 11);
		stamp_crc_force_sw(!sw);
		stamp_fill(c, 2, 40, 23, 6, 11);
		assert_memory_equal(b, c, 23 * SECTOR_SIZE);
		stamp_crc_force_sw(sw);
		memset(b + 2 * SECTOR_SIZE, 0, SECTOR_SIZE);
		memset(b + 11 * SECTOR_SIZE, 0, SECTOR_SIZE);
		b[3 * SECTOR_SIZE + 33] ^= 4; /* inside csum */
		b[8 * SECTOR_SIZE + 511] ^= 4;
		b[19 * SECTOR_SIZE + 40] ^= 4;
		poison_fill(b + 5 * SECTOR_SIZE, 9, 1, 11);
		poison_fill(b + 14 * SECTOR_SIZE, 9, 1, 11);
		memset(b + 6 * SECTOR_SIZE, 0xee, SECTOR_SIZE);
		for (unsigned n = 1; n <= 23; n += 11) {
			stamp_decode_many(b, n, many);
			for (unsigned i = 0; i < n; i++) {
				stamp_decode(b + i * SECTOR_SIZE, &one);
				assert_int_equal(one.cls, want[i]);
				assert_int_equal(many[i].cls, want[i]);
				assert_int_equal(many[i].gen, one.gen);
				assert_int_equal(many[i].sector, one.sector);
			}
		}
		stamp_decode_many(b, 23, many);
		assert_int_equal(many[22].sector, 62);
		assert_int_equal(many[22].file_id, 2);
	}
	stamp_crc_force_sw(0);
	free(b);
	free(c);
}

/*
 * The stamp bytes are a format: the checker rebuilds them from a trace, so
 * a trace recorded by one build re-checks on another. Pin them (crc32c of
 * whole filled buffers, as first written), on the scalar filler and on the
 * fast one where the CPU has it.
 */
static void test_format_pinned(void **state)
{
	unsigned char *b = sectors(16), *c = sectors(16);

	(void)state;
	for (int scalar = 0; scalar < 2; scalar++) {
		stamp_filler_force_scalar(scalar);
		stamp_fill(b, 3, 100, 16, 42, 0xabcdef);
		assert_int_equal(crc32c(0, b, 16 * SECTOR_SIZE), 0xd579957eu);
		poison_fill(b, 7, 16, 99);
		assert_int_equal(crc32c(0, b, 16 * SECTOR_SIZE), 0xdd3adca4u);
	}
	/* both fillers agree on every key, not only the pinned ones */
	for (uint64_t gen = 1; gen < 200; gen++) {
		stamp_filler_force_scalar(1);
		stamp_fill(b, (uint32_t)gen % 5, gen * 977, 16, gen, gen * 31);
		stamp_filler_force_scalar(0);
		stamp_fill(c, (uint32_t)gen % 5, gen * 977, 16, gen, gen * 31);
		assert_memory_equal(b, c, 16 * SECTOR_SIZE);
	}
	free(b);
	free(c);
}

static void test_speed(void **state)
{
	unsigned char *b = sectors(128);
	struct stamp_info si;
	uint64_t t0, t1, bytes = 0;
	unsigned n = 0;

	(void)state;
	t0 = now_ns();
	do {
		for (int i = 0; i < 64; i++, n++)
			stamp_fill(b, 0, n * 128ull, 128, n, 1);
		bytes += 64ull * 128 * SECTOR_SIZE;
		t1 = now_ns();
	} while (t1 - t0 < 200 * NSEC_PER_MSEC);
	print_message("stamp_fill: %.2f GB/s\n", (double)bytes / (t1 - t0));
	t0 = now_ns();
	bytes = 0;
	do {
		for (int i = 0; i < 64; i++)
			for (unsigned k = 0; k < 128; k++)
				stamp_decode(b + k * SECTOR_SIZE, &si);
		bytes += 64ull * 128 * SECTOR_SIZE;
		t1 = now_ns();
	} while (t1 - t0 < 200 * NSEC_PER_MSEC);
	print_message("stamp_decode: %.2f GB/s\n", (double)bytes / (t1 - t0));
	assert_int_equal(si.cls, SC_STAMP);
	{
		struct stamp_info many[128];

		t0 = now_ns();
		bytes = 0;
		do {
			for (int i = 0; i < 64; i++)
				stamp_decode_many(b, 128, many);
			bytes += 64ull * 128 * SECTOR_SIZE;
			t1 = now_ns();
		} while (t1 - t0 < 200 * NSEC_PER_MSEC);
		print_message("stamp_decode_many: %.2f GB/s\n",
			      (double)bytes / (t1 - t0));
		assert_int_equal(many[127].cls, SC_STAMP);
	}
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc_check_value),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_zero_garbage),
		cmocka_unit_test(test_poison),
		cmocka_unit_test(test_torn),
		cmocka_unit_test(test_foreign_seed),
		cmocka_unit_test(test_decode_many),
		cmocka_unit_test(test_format_pinned),
		cmocka_unit_test(test_speed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
