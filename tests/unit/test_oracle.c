// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/util.h"
#include "model/findings.h"
#include "model/oracle.h"
#include "model/stamp.h"

#define SEED 0x5eedull
#define KiB  1024ull
#define MiB  (1024 * KiB)

static struct oracle *o;
static struct findings fl;
static unsigned char *rbuf;

static int setup(void **state)
{
	uint64_t sizes[2] = { 1 * MiB, 1 * MiB };

	(void)state;
	o = oracle_new(2, sizes, SEED);
	findings_init(&fl);
	rbuf = aligned_alloc(4096, 4 * MiB);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	oracle_free(o);
	findings_free(&fl);
	free(rbuf);
	return 0;
}

static void sub(uint64_t id, enum op_kind k, uint32_t file, uint64_t off,
		uint64_t len, uint32_t flags, uint64_t ts)
{
	struct oracle_op op = { .id = id,
				.kind = k,
				.file = file,
				.flags = flags,
				.off = off,
				.len = len,
				.t_submit = ts };

	oracle_submit(o, &op);
}

static void cpl(uint64_t id, int64_t res, uint64_t tc)
{
	oracle_complete(o, id, res, tc);
}

/* a write of [off, off+len) on file 0 from ts to tc, fully successful */
static void wr(uint64_t id, uint64_t off, uint64_t len, uint64_t ts,
	       uint64_t tc)
{
	sub(id, OP_WRITE, 0, off, len, OPF_DIRECT, ts);
	if (tc)
		cpl(id, (int64_t)len, tc);
}

/* read-buffer builders: sector i of rbuf (relative to read offset) */
static void b_stamp(unsigned i, uint32_t file, uint64_t sector, uint64_t gen)
{
	stamp_fill(rbuf + i * SECTOR_SIZE, file, sector, 1, gen, SEED);
}

static void b_zero(unsigned i)
{
	memset(rbuf + i * SECTOR_SIZE, 0, SECTOR_SIZE);
}

/* file 0 sectors [first, first+n) stamped with gen */
static void b_gen(unsigned i, uint64_t first, unsigned n, uint64_t gen)
{
	stamp_fill(rbuf + i * SECTOR_SIZE, 0, first, n, gen, SEED);
}

static size_t rd_file(uint64_t id, uint32_t file, uint64_t off, uint64_t len,
		      uint64_t ts, uint64_t tc, int64_t res)
{
	uint64_t v = 0;
	size_t bad;

	sub(id, OP_READ, file, off, len, OPF_DIRECT, ts);
	cpl(id, res, tc);
	bad = oracle_check_read(o, id, rbuf, &fl, &v);
	if (res > 0)
		assert_int_equal(v, (uint64_t)res / SECTOR_SIZE);
	return bad;
}

static size_t rd(uint64_t id, uint64_t off, uint64_t len, uint64_t ts,
		 uint64_t tc)
{
	return rd_file(id, 0, off, len, ts, tc, (int64_t)len);
}

static const struct finding *last_finding(void)
{
	assert_true(fl.n > 0);
	return &fl.v[fl.n - 1];
}

/* ---- legal histories ---- */

static void test_inflight_old_or_new(void **state)
{
	(void)state;
	wr(1, 0, 4 * KiB, 10, 0); /* in flight */
	b_gen(0, 0, 8, 1);
	assert_int_equal(rd(2, 0, 4 * KiB, 11, 12), 0);
	memset(rbuf, 0, 4 * KiB);
	assert_int_equal(rd(3, 0, 4 * KiB, 13, 14), 0);
	/* mixed per sector is fine too */
	b_gen(0, 0, 4, 1);
	assert_int_equal(rd(4, 0, 4 * KiB, 15, 16), 0);
	cpl(1, 4 * KiB, 20);
	/* read overlapping the completion: still either */
	assert_int_equal(rd(5, 0, 4 * KiB, 19, 21), 0);
	assert_int_equal(findings_total(&fl), 0);
}

static void test_completed_new_only(void **state)
{
	const struct finding *f;

	(void)state;
	wr(1, 8 * KiB, 8 * KiB, 10, 20);
	b_gen(0, 16, 16, 1);
	assert_int_equal(rd(2, 8 * KiB, 8 * KiB, 30, 31), 0);
	/* zeros after a completed write: LOST */
	memset(rbuf, 0, 8 * KiB);
	assert_int_equal(rd(3, 8 * KiB, 8 * KiB, 32, 33), 16);
	assert_int_equal(fl.count[F_LOST], 1);
	f = last_finding();
	assert_int_equal(f->cls, F_LOST);
	assert_int_equal(f->off, 8 * KiB);
	assert_int_equal(f->len, 8 * KiB);
	assert_int_equal(f->op_id, 3);
	assert_string_equal(f->expected, "gen 1");
	assert_string_equal(f->seen, "zeros");
}

static void test_older_gen_lost(void **state)
{
	const struct finding *f;

	(void)state;
	wr(1, 0, 4 * KiB, 10, 20);
	wr(2, 0, 4 * KiB, 30, 40);
	b_gen(0, 0, 8, 1);
	assert_int_equal(rd(3, 0, 4 * KiB, 50, 51), 8);
	f = last_finding();
	assert_int_equal(f->cls, F_LOST);
	assert_int_equal(f->len, 4 * KiB);
	assert_string_equal(f->expected, "gen 2");
	assert_non_null(strstr(f->seen, "gen 1 (overwritten by op 2"));
	/* overlapping writes: either may win */
	wr(4, 0, 4 * KiB, 60, 70);
	wr(5, 0, 4 * KiB, 65, 75);
	b_gen(0, 0, 8, 4);
	assert_int_equal(rd(6, 0, 4 * KiB, 80, 81), 0);
	b_gen(0, 0, 8, 5);
	assert_int_equal(rd(7, 0, 4 * KiB, 82, 83), 0);
	b_gen(0, 0, 8, 2);
	assert_int_equal(rd(8, 0, 4 * KiB, 84, 85), 8);
	assert_int_equal(fl.count[F_LOST], 2);
	assert_int_equal(findings_total(&fl), 2);
}

static void test_truncate(void **state)
{
	const struct finding *f;

	(void)state;
	wr(1, 0, 8 * KiB, 10, 20);
	sub(2, OP_TRUNCATE, 0, 0, 0, 0, 30);
	/* truncate in flight: data or zeros */
	b_gen(0, 0, 16, 1);
	assert_int_equal(rd(3, 0, 8 * KiB, 31, 32), 0);
	cpl(2, 0, 40);
	sub(4, OP_TRUNCATE, 0, 1 * MiB, 0, 0, 41);
	cpl(4, 0, 42);
	memset(rbuf, 0, 8 * KiB);
	assert_int_equal(rd(5, 0, 8 * KiB, 50, 51), 0);
	/* data past a completed truncate: STALE */
	b_gen(0, 0, 16, 1);
	b_zero(3);
	assert_int_equal(rd(6, 0, 8 * KiB, 52, 53), 15);
	assert_int_equal(fl.count[F_STALE], 2);
	assert_int_equal(fl.n, 2);
	assert_int_equal(fl.v[0].off, 0);
	assert_int_equal(fl.v[0].len, 3 * SECTOR_SIZE);
	f = last_finding();
	assert_int_equal(f->off, 4 * SECTOR_SIZE);
	assert_int_equal(f->len, 12 * SECTOR_SIZE);
	assert_string_equal(f->expected, "zeros");
	assert_non_null(strstr(f->seen, "zeroed by truncate op 2"));
	/* a new write after the truncate is legal again */
	wr(7, 0, 4 * KiB, 60, 70);
	b_gen(0, 0, 8, 7);
	memset(rbuf + 4 * KiB, 0, 4 * KiB);
	assert_int_equal(rd(8, 0, 8 * KiB, 80, 81), 0);
	assert_int_equal(findings_total(&fl), 2);
}

static void test_punch_zero_range(void **state)
{
	(void)state;
	wr(1, 0, 16 * KiB, 10, 20);
	sub(2, OP_PUNCH, 0, 0, 4 * KiB, OPF_KEEP_SIZE, 30);
	cpl(2, 0, 40);
	sub(3, OP_ZERO_RANGE, 0, 8 * KiB, 4 * KiB, 0, 30);
	cpl(3, 0, 40);
	memset(rbuf, 0, 16 * KiB);
	b_gen(8, 8, 8, 1);
	b_gen(24, 24, 8, 1);
	assert_int_equal(rd(4, 0, 16 * KiB, 50, 51), 0);
	/* stale data in the punched and in the zeroed range */
	b_gen(0, 0, 32, 1);
	assert_int_equal(rd(5, 0, 16 * KiB, 52, 53), 16);
	assert_int_equal(fl.count[F_STALE], 2);
	assert_int_equal(fl.v[0].off, 0);
	assert_int_equal(fl.v[1].off, 8 * KiB);
	assert_int_equal(fl.v[1].len, 4 * KiB);
	/* zeros where the write survived: LOST */
	memset(rbuf, 0, 16 * KiB);
	assert_int_equal(rd(6, 0, 16 * KiB, 54, 55), 16);
	assert_int_equal(fl.count[F_LOST], 2);
	assert_int_equal(fl.v[2].off, 4 * KiB);
	assert_int_equal(fl.v[3].off, 12 * KiB);
}

static void test_hole_fallocate(void **state)
{
	(void)state;
	/* never written, inside the initial size: zeros */
	memset(rbuf, 0, 64 * KiB);
	assert_int_equal(rd(1, 256 * KiB, 64 * KiB, 10, 11), 0);
	/* fallocate beyond EOF, then read (size grew) */
	sub(2, OP_FALLOCATE, 0, 1 * MiB, 1 * MiB, 0, 20);
	cpl(2, 0, 30);
	assert_int_equal(rd(3, 1 * MiB, 64 * KiB, 40, 41), 0);
	assert_int_equal(oracle_max_size(o, 0), 2 * MiB);
	/* keep_size fallocate does not change the size */
	sub(4, OP_FALLOCATE, 1, 1 * MiB, 1 * MiB, OPF_KEEP_SIZE, 50);
	cpl(4, 0, 60);
	assert_int_equal(oracle_max_size(o, 1), 1 * MiB);
	assert_int_equal(findings_total(&fl), 0);
}

static void test_failed_and_short_write(void **state)
{
	(void)state;
	wr(1, 0, 4 * KiB, 10, 20);
	sub(2, OP_WRITE, 0, 0, 4 * KiB, 0, 30);
	cpl(2, -5, 40);
	/* failed write: old or new, and it killed nothing */
	b_gen(0, 0, 8, 1);
	assert_int_equal(rd(3, 0, 4 * KiB, 50, 51), 0);
	b_gen(0, 0, 8, 2);
	assert_int_equal(rd(4, 0, 4 * KiB, 52, 53), 0);
	memset(rbuf, 0, 4 * KiB);
	assert_int_equal(rd(5, 0, 4 * KiB, 54, 55), 8);
	assert_int_equal(fl.count[F_LOST], 1);
	/* short write: first 4k done, rest failed */
	sub(6, OP_WRITE, 0, 64 * KiB, 8 * KiB, 0, 60);
	cpl(6, 4 * KiB, 70);
	memset(rbuf, 0, 8 * KiB);
	b_gen(0, 128, 8, 6);
	assert_int_equal(rd(7, 64 * KiB, 8 * KiB, 80, 81), 0);
	b_gen(0, 128, 16, 6);
	assert_int_equal(rd(8, 64 * KiB, 8 * KiB, 82, 83), 0);
	memset(rbuf, 0, 8 * KiB);
	assert_int_equal(rd(9, 64 * KiB, 8 * KiB, 84, 85), 8);
	assert_int_equal(fl.count[F_LOST], 2);
	assert_int_equal(last_finding()->off, 64 * KiB);
	assert_int_equal(last_finding()->len, 4 * KiB);
	assert_int_equal(findings_total(&fl), 2);
}

/* ---- illegal: STALE and TORN ---- */

static void test_stale_kinds(void **state)
{
	const struct finding *f;

	(void)state;
	wr(1, 0, 8 * KiB, 10, 20);
	b_gen(0, 0, 16, 1);
	poison_fill(rbuf, 5000, 2, SEED); /* sectors 0-1 */
	b_stamp(3, 1, 3, 1);		  /* other file */
	b_stamp(5, 0, 99, 1);		  /* other sector */
	stamp_fill(rbuf + 7 * SECTOR_SIZE, 0, 7, 1, 1, SEED + 1); /* seed */
	memset(rbuf + 9 * SECTOR_SIZE, 0x5a, SECTOR_SIZE);	  /* garbage */
	b_gen(11, 11, 1, 77); /* no such write */
	assert_int_equal(rd(2, 0, 8 * KiB, 30, 31), 7);
	assert_int_equal(fl.count[F_STALE], 6);
	assert_int_equal(fl.n, 6);
	assert_string_equal(fl.v[0].seen, "poison");
	assert_int_equal(fl.v[0].len, 2 * SECTOR_SIZE);
	assert_string_equal(fl.v[1].seen, "file 1 sector 3 gen 1");
	assert_int_equal(fl.v[1].off, 3 * SECTOR_SIZE);
	assert_string_equal(fl.v[2].seen, "file 0 sector 99 gen 1");
	assert_non_null(strstr(fl.v[3].seen, "seed"));
	assert_string_equal(fl.v[4].seen, "garbage");
	assert_non_null(strstr(fl.v[5].seen, "gen 77"));
	f = &fl.v[5];
	assert_int_equal(f->off, 11 * SECTOR_SIZE);
	assert_string_equal(f->expected, "gen 1");
	/* stamp from the other file read in the other file is fine */
	b_stamp(0, 1, 0, 0);
	memset(rbuf, 0, SECTOR_SIZE);
	assert_int_equal(rd_file(3, 1, 0, SECTOR_SIZE, 40, 41, SECTOR_SIZE), 0);
}

static void test_torn(void **state)
{
	(void)state;
	wr(1, 0, 4 * KiB, 10, 20);
	b_gen(0, 0, 8, 1);
	rbuf[2 * SECTOR_SIZE + 100] ^= 1;
	rbuf[3 * SECTOR_SIZE + 200] ^= 1;
	assert_int_equal(rd(2, 0, 4 * KiB, 30, 31), 2);
	assert_int_equal(fl.count[F_TORN], 1);
	assert_int_equal(fl.v[0].off, 2 * SECTOR_SIZE);
	assert_int_equal(fl.v[0].len, 2 * SECTOR_SIZE);
	assert_non_null(strstr(fl.v[0].seen, "torn"));
	assert_int_equal(findings_total(&fl), 1);
}

/*
 * A read racing a write of the same sectors may see a mix of old and new
 * bytes (page-cache copies are not atomic per sector): not TORN. Seen on
 * data=journal (O_DIRECT falls back to buffered): "expected gen 76 or 165
 * or 86 (op 86 in flight)", seen a torn stamp of gen 165.
 */
static void test_torn_racing_write(void **state)
{
	(void)state;
	wr(1, 0, 4 * KiB, 10, 20);
	wr(2, 0, 4 * KiB, 30, 0); /* in flight */
	b_gen(0, 0, 8, 1);
	rbuf[2 * SECTOR_SIZE + 100] ^= 1;
	assert_int_equal(rd(3, 0, 4 * KiB, 31, 32), 0);
	cpl(2, 4 * KiB, 40);
	/* overlapping the completion: still racing */
	b_gen(0, 0, 8, 2);
	rbuf[SECTOR_SIZE + 7] ^= 1;
	assert_int_equal(rd(4, 0, 4 * KiB, 39, 41), 0);
	assert_int_equal(findings_total(&fl), 0);
	/* after the completion: nothing races it, a torn sector is TORN */
	assert_int_equal(rd(5, 0, 4 * KiB, 42, 43), 1);
	assert_int_equal(fl.count[F_TORN], 1);
	assert_int_equal(fl.v[0].off, SECTOR_SIZE);
}

/* ---- sizes ---- */

static void test_size_reads(void **state)
{
	(void)state;
	memset(rbuf, 0, 64 * KiB);
	/* file certainly 1 MiB: short read is SIZE */
	assert_int_equal(rd_file(1, 0, 0, 64 * KiB, 10, 11, 4 * KiB), 1);
	assert_int_equal(fl.count[F_SIZE], 1);
	assert_int_equal(last_finding()->off, 4 * KiB);
	assert_int_equal(last_finding()->len, 60 * KiB);
	/* at EOF: short read fine */
	assert_int_equal(
		rd_file(2, 0, 1 * MiB - 4 * KiB, 64 * KiB, 12, 13, 4 * KiB), 0);
	/* racing a truncate: fine */
	sub(3, OP_TRUNCATE, 0, 0, 0, 0, 20);
	assert_int_equal(rd_file(4, 0, 0, 64 * KiB, 21, 22, 0), 0);
	assert_int_equal(rd_file(5, 0, 0, 64 * KiB, 23, 24, 64 * KiB), 0);
	cpl(3, 0, 30);
	/* after the truncate, data past EOF is SIZE (and stale zeros ok) */
	assert_int_equal(rd_file(6, 0, 0, 64 * KiB, 40, 41, 0), 0);
	assert_int_equal(rd_file(7, 0, 0, 64 * KiB, 42, 43, 64 * KiB), 1);
	assert_int_equal(fl.count[F_SIZE], 2);
	/* a write extends it again; short read after it completed: SIZE */
	wr(8, 0, 32 * KiB, 50, 60);
	b_gen(0, 0, 64, 8);
	assert_int_equal(rd_file(9, 0, 0, 64 * KiB, 70, 71, 32 * KiB), 0);
	assert_int_equal(rd_file(10, 0, 0, 64 * KiB, 72, 73, 16 * KiB), 1);
	assert_int_equal(fl.count[F_SIZE], 3);
	assert_int_equal(findings_total(&fl), 3);
}

/*
 * An AIO DIO write that extended the file has i_size covering it once its
 * completion is reported: a read submitted after that completion and
 * returning short is SIZE; one racing the write may return short.
 */
static void test_size_extending_write(void **state)
{
	(void)state;
	wr(1, 1 * MiB, 64 * KiB, 10, 20); /* extends 1M -> 1M+64k */
	memset(rbuf, 0, 64 * KiB);
	/* submitted before the completion: EOF at 1M is fine */
	assert_int_equal(rd_file(2, 0, 1 * MiB, 64 * KiB, 15, 16, 0), 0);
	/* after it: short is SIZE */
	assert_int_equal(rd_file(3, 0, 1 * MiB, 64 * KiB, 25, 26, 0), 1);
	assert_int_equal(fl.count[F_SIZE], 1);
	assert_int_equal(last_finding()->off, 1 * MiB);
	assert_int_equal(last_finding()->len, 64 * KiB);
	assert_non_null(strstr(last_finding()->expected, "1114112"));
	b_gen(0, 2048, 128, 1);
	assert_int_equal(rd_file(4, 0, 1 * MiB, 32 * KiB, 27, 28, 16 * KiB), 1);
	assert_int_equal(fl.count[F_SIZE], 2);
	assert_int_equal(rd_file(5, 0, 1 * MiB, 64 * KiB, 29, 30, 64 * KiB), 0);
	/* a second extending write in flight: either size */
	wr(6, 1 * MiB + 64 * KiB, 64 * KiB, 40, 0);
	b_gen(0, 2048, 128, 1);
	assert_int_equal(rd_file(7, 0, 1 * MiB, 128 * KiB, 41, 42, 64 * KiB),
			 0);
	cpl(6, 64 * KiB, 50);
	assert_int_equal(rd_file(8, 0, 1 * MiB, 128 * KiB, 55, 56, 64 * KiB),
			 1);
	assert_int_equal(fl.count[F_SIZE], 3);
	assert_int_equal(findings_total(&fl), 3);
}

static void test_final_size(void **state)
{
	(void)state;
	/* file 1: no size ops */
	assert_int_equal(oracle_check_size(o, 1, 1 * MiB, 5, &fl), 0);
	assert_int_equal(oracle_check_size(o, 1, 0, 5, &fl), 1);
	assert_int_equal(fl.count[F_SIZE], 1);
	/* file 0: write beyond EOF, then truncate, racing another write */
	wr(1, 1 * MiB, 64 * KiB, 10, 20); /* size 1M+64k */
	sub(2, OP_TRUNCATE, 0, 512 * KiB, 0, 0, 30);
	wr(3, 2 * MiB, 4 * KiB, 35, 0); /* overlaps the truncate */
	cpl(2, 0, 40);
	cpl(3, 4 * KiB, 45);
	assert_int_equal(oracle_check_size(o, 0, 2 * MiB + 4 * KiB, 50, &fl),
			 0);
	/* write 3 may have landed before the truncate */
	assert_int_equal(oracle_check_size(o, 0, 512 * KiB, 50, &fl), 0);
	assert_int_equal(oracle_check_size(o, 0, 1 * MiB, 50, &fl), 1);
	assert_int_equal(oracle_check_size(o, 0, 1 * MiB + 64 * KiB, 50, &fl),
			 1);
	/* a write definitely after the truncate */
	wr(4, 600 * KiB, 4 * KiB, 60, 70);
	sub(5, OP_TRUNCATE, 0, 256 * KiB, 0, 0, 65); /* overlaps write 4 */
	cpl(5, 0, 68);
	assert_int_equal(oracle_check_size(o, 0, 256 * KiB, 80, &fl), 0);
	assert_int_equal(oracle_check_size(o, 0, 604 * KiB, 80, &fl), 0);
	assert_int_equal(oracle_check_size(o, 0, 2 * MiB + 4 * KiB, 80, &fl),
			 1);
	assert_int_equal(fl.count[F_SIZE], 4);
	assert_non_null(strstr(fl.v[3].expected, "262144"));
	assert_string_equal(fl.v[3].seen, "st_size 2101248");
	assert_int_equal(oracle_max_size(o, 0), 604 * KiB);
}

/* ---- shifts: collapse_range, insert_range ---- */

/* judge a read of file 0 that may be skipped; returns illegal sectors */
static size_t rd_v(uint64_t id, uint64_t off, uint64_t len, uint64_t ts,
		   uint64_t tc, uint64_t *verified)
{
	sub(id, OP_READ, 0, off, len, OPF_DIRECT, ts);
	cpl(id, (int64_t)len, tc);
	return oracle_check_read(o, id, rbuf, &fl, verified);
}

static void test_collapse(void **state)
{
	(void)state;
	wr(1, 0, 64 * KiB, 10, 20);	   /* sectors 0..127 */
	wr(2, 64 * KiB, 64 * KiB, 10, 20); /* sectors 128..255 */
	sub(3, OP_COLLAPSE, 0, 0, 64 * KiB, 0, 30);
	cpl(3, 0, 40);
	/* write 2's data now at offset 0, still naming sectors 128.. */
	b_gen(0, 128, 128, 2);
	assert_int_equal(rd(4, 0, 64 * KiB, 50, 51), 0);
	/* the collapsed-away write 1 is stale there */
	b_gen(0, 0, 128, 1);
	assert_int_equal(rd(5, 0, 64 * KiB, 52, 53), 128);
	assert_int_equal(fl.count[F_STALE], 1);
	/* write 2 stamped for its new offset: not what it wrote */
	b_gen(0, 0, 128, 2);
	assert_int_equal(rd(6, 0, 64 * KiB, 54, 55), 128);
	assert_int_equal(fl.count[F_STALE], 2);
	/* zeros there: write 2 vanished */
	memset(rbuf, 0, 64 * KiB);
	assert_int_equal(rd(7, 0, 64 * KiB, 56, 57), 128);
	assert_int_equal(fl.count[F_LOST], 1);
	/* old offset 64K now holds old 128K: zeros (initial) */
	assert_int_equal(rd(8, 64 * KiB, 64 * KiB, 58, 59), 0);
	/* write 2 still at its old offset: stale */
	b_gen(0, 128, 128, 2);
	assert_int_equal(rd(9, 64 * KiB, 64 * KiB, 60, 61), 128);
	assert_int_equal(fl.count[F_STALE], 3);
	/* the size shrank by len */
	assert_int_equal(oracle_check_size(o, 0, 1 * MiB - 64 * KiB, 70, &fl),
			 0);
	assert_int_equal(oracle_check_size(o, 0, 1 * MiB, 70, &fl), 1);
	memset(rbuf, 0, 64 * KiB);
	assert_int_equal(
		rd_file(10, 0, 1 * MiB - 64 * KiB, 64 * KiB, 72, 73, 64 * KiB),
		1);
	assert_int_equal(fl.count[F_SIZE], 2);
	assert_int_equal(
		rd_file(11, 0, 1 * MiB - 64 * KiB, 64 * KiB, 74, 75, 0), 0);
	/* a write after the collapse kills the moved data */
	wr(12, 0, 4 * KiB, 80, 90);
	b_gen(0, 128, 8, 2);
	assert_int_equal(rd(13, 0, 4 * KiB, 95, 96), 8);
	assert_int_equal(fl.count[F_LOST], 2);
	b_gen(0, 0, 8, 12);
	assert_int_equal(rd(14, 0, 4 * KiB, 97, 98), 0);
	assert_int_equal(findings_total(&fl), 7);
}

static void test_insert(void **state)
{
	(void)state;
	wr(1, 0, 64 * KiB, 10, 20);
	sub(2, OP_INSERT, 0, 0, 64 * KiB, 0, 30);
	cpl(2, 0, 40);
	/* the hole reads as zeros; the old data there is stale */
	memset(rbuf, 0, 64 * KiB);
	assert_int_equal(rd(3, 0, 64 * KiB, 50, 51), 0);
	b_gen(0, 0, 128, 1);
	assert_int_equal(rd(4, 0, 64 * KiB, 52, 53), 128);
	assert_int_equal(fl.count[F_STALE], 1);
	assert_non_null(strstr(last_finding()->expected, "zeros"));
	/* write 1 moved up by len */
	assert_int_equal(rd(5, 64 * KiB, 64 * KiB, 54, 55), 0);
	memset(rbuf, 0, 64 * KiB);
	assert_int_equal(rd(6, 64 * KiB, 64 * KiB, 56, 57), 128);
	assert_int_equal(fl.count[F_LOST], 1);
	/* the size grew by len */
	assert_int_equal(oracle_check_size(o, 0, 1 * MiB + 64 * KiB, 60, &fl),
			 0);
	assert_int_equal(oracle_check_size(o, 0, 1 * MiB, 60, &fl), 1);
	assert_int_equal(rd_file(7, 0, 1 * MiB, 64 * KiB, 62, 63, 0), 1);
	assert_int_equal(fl.count[F_SIZE], 2);
	/* a write into the hole afterwards */
	wr(8, 0, 4 * KiB, 70, 80);
	b_gen(0, 0, 8, 8);
	assert_int_equal(rd(9, 0, 4 * KiB, 85, 86), 0);
	memset(rbuf, 0, 4 * KiB);
	assert_int_equal(rd(10, 0, 4 * KiB, 87, 88), 8);
	assert_int_equal(fl.count[F_LOST], 2);
	assert_int_equal(findings_total(&fl), 5);
}

/* Writes and reads overlapping a shift in time: either side. */
static void test_shift_inflight(void **state)
{
	uint64_t v = 1;

	(void)state;
	wr(1, 128 * KiB, 4 * KiB, 10, 20); /* sectors 256..263 */
	wr(2, 128 * KiB, 4 * KiB, 25, 0);  /* in flight across the collapse */
	wr(3, 192 * KiB, 4 * KiB, 33, 0);  /* submitted while it runs */
	sub(4, OP_COLLAPSE, 0, 64 * KiB, 64 * KiB, 0, 30);
	cpl(2, 4 * KiB, 35);
	/* a read while the collapse runs is not judged */
	memset(rbuf, 0xab, 4 * KiB);
	assert_int_equal(rd_v(5, 64 * KiB, 4 * KiB, 36, 37, &v), 0);
	assert_int_equal(v, 0);
	cpl(4, 0, 40);
	cpl(3, 4 * KiB, 45);
	/* nor one submitted before it completed */
	assert_int_equal(rd_v(6, 64 * KiB, 4 * KiB, 38, 50, &v), 0);
	assert_int_equal(v, 0);
	/* 128K moved to 64K: write 2 (before), or write 1 (2 went after) */
	b_gen(0, 256, 8, 2);
	assert_int_equal(rd(7, 64 * KiB, 4 * KiB, 60, 61), 0);
	b_gen(0, 256, 8, 1);
	assert_int_equal(rd(8, 64 * KiB, 4 * KiB, 62, 63), 0);
	/* but never zeros: write 1 completed before the collapse */
	memset(rbuf, 0, 4 * KiB);
	assert_int_equal(rd(9, 64 * KiB, 4 * KiB, 64, 65), 8);
	assert_int_equal(fl.count[F_LOST], 1);
	/* at 128K (old 192K, never written): write 2 if it went after */
	b_gen(0, 256, 8, 2);
	assert_int_equal(rd(10, 128 * KiB, 4 * KiB, 66, 67), 0);
	memset(rbuf, 0, 4 * KiB);
	assert_int_equal(rd(11, 128 * KiB, 4 * KiB, 68, 69), 0);
	/* write 1 did not: it completed before the collapse started */
	b_gen(0, 256, 8, 1);
	assert_int_equal(rd(12, 128 * KiB, 4 * KiB, 70, 71), 8);
	assert_int_equal(fl.count[F_STALE], 1);
	/* write 3 (192K): at 192K if after, at 128K if before */
	b_gen(0, 384, 8, 3);
	assert_int_equal(rd(13, 192 * KiB, 4 * KiB, 72, 73), 0);
	assert_int_equal(rd(14, 128 * KiB, 4 * KiB, 74, 75), 0);
	assert_int_equal(rd(15, 256 * KiB, 4 * KiB, 76, 77), 8);
	assert_int_equal(fl.count[F_STALE], 2);
	/* a later write kills both places' candidates */
	wr(16, 64 * KiB, 4 * KiB, 80, 90);
	b_gen(0, 256, 8, 2);
	assert_int_equal(rd(17, 64 * KiB, 4 * KiB, 95, 96), 8);
	assert_int_equal(fl.count[F_LOST], 2);
	/* registered before the collapse's completion but submitted after
	 * it (online, a completion time is taken before the run lock) */
	sub(30, OP_COLLAPSE, 0, 512 * KiB, 64 * KiB, 0, 200);
	wr(31, 768 * KiB, 4 * KiB, 215, 0);
	cpl(30, 0, 210);
	cpl(31, 4 * KiB, 220);
	b_gen(0, 1536, 8, 31);
	assert_int_equal(rd(32, 768 * KiB, 4 * KiB, 230, 231), 0);
	assert_int_equal(rd(33, 704 * KiB, 4 * KiB, 232, 233), 8);
	assert_int_equal(fl.count[F_STALE], 3);
	assert_int_equal(findings_total(&fl), 5);
}

/* A failed shift (EINVAL) moves nothing; an insert hole in flight. */
static void test_shift_failed(void **state)
{
	uint64_t v = 0;

	(void)state;
	wr(1, 0, 4 * KiB, 10, 20);
	sub(2, OP_COLLAPSE, 0, 0, 1 * MiB, 0, 30);
	cpl(2, -EINVAL, 31);
	b_gen(0, 0, 8, 1);
	assert_int_equal(rd(3, 0, 4 * KiB, 40, 41), 0);
	assert_int_equal(oracle_check_size(o, 0, 1 * MiB, 50, &fl), 0);
	/* insert racing a read of the hole: not judged; after: zeros */
	sub(4, OP_INSERT, 0, 0, 4 * KiB, 0, 60);
	assert_int_equal(rd_v(5, 0, 4 * KiB, 61, 62, &v), 0);
	assert_int_equal(v, 0);
	cpl(4, 0, 70);
	memset(rbuf, 0, 4 * KiB);
	assert_int_equal(rd(6, 0, 4 * KiB, 80, 81), 0);
	b_gen(0, 0, 8, 1);
	assert_int_equal(rd(7, 4 * KiB, 4 * KiB, 82, 83), 0);
	assert_int_equal(findings_total(&fl), 0);
	/* two shifts overlapping in time: order unknown, not judged */
	sub(20, OP_INSERT, 1, 0, 4 * KiB, 0, 100);
	sub(21, OP_COLLAPSE, 1, 8 * KiB, 4 * KiB, 0, 101);
	cpl(21, 0, 102);
	cpl(20, 0, 103);
	memset(rbuf, 0xab, 4 * KiB);
	sub(22, OP_READ, 1, 0, 4 * KiB, OPF_DIRECT, 110);
	cpl(22, 4 * KiB, 111);
	assert_int_equal(oracle_check_read(o, 22, rbuf, &fl, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(findings_total(&fl), 0);
	/* any other error: the file is no longer judged */
	sub(8, OP_INSERT, 0, 0, 4 * KiB, 0, 90);
	cpl(8, -EIO, 91);
	memset(rbuf, 0xab, 4 * KiB);
	assert_int_equal(rd_v(9, 0, 4 * KiB, 95, 96, &v), 0);
	assert_int_equal(v, 0);
}

/* A read racing a shift is judged below the shift's offset only. */
static void test_shift_partial_read(void **state)
{
	uint64_t v = 0;

	(void)state;
	wr(1, 0, 8 * KiB, 10, 20); /* sectors 0..15 */
	sub(2, OP_COLLAPSE, 0, 4 * KiB, 4 * KiB, 0, 30);
	/* below 4K: write 1 (either way); above: anything, not judged */
	b_gen(0, 0, 8, 1);
	memset(rbuf + 4 * KiB, 0xab, 4 * KiB);
	assert_int_equal(rd_v(3, 0, 8 * KiB, 31, 32, &v), 0);
	assert_int_equal(v, 8);
	memset(rbuf, 0, 4 * KiB);
	assert_int_equal(rd_v(4, 0, 8 * KiB, 33, 34, &v), 8);
	assert_int_equal(v, 8);
	assert_int_equal(fl.count[F_LOST], 1);
	cpl(2, 0, 40);
	/* its length is not judged either (the size moved) */
	b_gen(0, 0, 8, 1);
	sub(5, OP_READ, 0, 0, 64 * KiB, OPF_DIRECT, 35);
	cpl(5, 4 * KiB, 45);
	assert_int_equal(oracle_check_read(o, 5, rbuf, &fl, &v), 0);
	assert_int_equal(v, 8);
	/* after it: 4K..8K of write 1 is gone, old 8K (zeros) is at 4K */
	b_gen(0, 0, 8, 1);
	memset(rbuf + 4 * KiB, 0, 4 * KiB);
	assert_int_equal(rd_v(6, 0, 8 * KiB, 50, 51, &v), 0);
	assert_int_equal(v, 16);
	b_gen(8, 8, 8, 1);
	assert_int_equal(rd_v(7, 0, 8 * KiB, 52, 53, &v), 8);
	assert_int_equal(fl.count[F_STALE], 1);
	assert_int_equal(oracle_check_size(o, 0, 1 * MiB - 4 * KiB, 60, &fl),
			 0);
	assert_int_equal(findings_total(&fl), 2);
}

/* ---- pruning ---- */

static void test_pruning(void **state)
{
	const uint64_t fsize = 64 * MiB, nsect = fsize / SECTOR_SIZE;
	uint64_t *truth = calloc(nsect, sizeof(*truth));
	struct {
		uint64_t id, off, len;
		uint64_t tc;
	} infl[4] = { { 0 } };
	uint64_t rng = 1, t = 1000, id = 0, reads = 0, bad = 0;
	struct oracle_stats st;
	uint64_t sizes[1] = { fsize };
	unsigned char *rb = aligned_alloc(4096, 64 * KiB);

	(void)state;
	oracle_free(o);
	o = oracle_new(1, sizes, SEED);
	for (unsigned n = 0; n < 100000; n++) {
		unsigned slot = n % 4;

		t += NSEC_PER_MSEC;
		/* complete the write in this slot, apply it to the truth */
		if (infl[slot].id) {
			oracle_complete(o, infl[slot].id,
					(int64_t)infl[slot].len, t);
			for (uint64_t s = infl[slot].off / SECTOR_SIZE;
			     s <
			     (infl[slot].off + infl[slot].len) / SECTOR_SIZE;
			     s++)
				truth[s] = infl[slot].id;
			infl[slot].id = 0;
		}
		t += NSEC_PER_MSEC;
		if (n % 3 == 2) {
			/* read the truth: always legal */
			uint64_t len = (1 + rand_below(&rng, 16)) * 4 * KiB;
			uint64_t off =
				rand_below(&rng, (fsize - len) / (4 * KiB)) *
				4 * KiB;
			struct oracle_op op = { .id = ++id,
						.kind = OP_READ,
						.off = off,
						.len = len,
						.t_submit = t };
			unsigned i = 0;

			oracle_submit(o, &op);
			oracle_complete(o, id, (int64_t)len, t + 1);
			for (uint64_t s = off / SECTOR_SIZE;
			     i < len / SECTOR_SIZE; s++, i++) {
				if (truth[s])
					stamp_fill(rb + i * SECTOR_SIZE, 0, s,
						   1, truth[s], SEED);
				else
					memset(rb + i * SECTOR_SIZE, 0,
					       SECTOR_SIZE);
			}
			/* every 50th read sees an old generation somewhere */
			if (reads % 50 == 0) {
				uint64_t s = off / SECTOR_SIZE;

				if (truth[s])
					memset(rb, 0, SECTOR_SIZE);
				else
					poison_fill(rb, s, 1, SEED);
				bad++;
			}
			reads++;
			oracle_check_read(o, id, rb, &fl, NULL);
			continue;
		}
		infl[slot].len = (1 + rand_below(&rng, 16)) * 4 * KiB;
		infl[slot].off =
			rand_below(&rng, (fsize - infl[slot].len) / (4 * KiB)) *
			4 * KiB;
		infl[slot].id = ++id;
		{
			struct oracle_op op = { .id = id,
						.kind = OP_WRITE,
						.off = infl[slot].off,
						.len = infl[slot].len,
						.t_submit = t };

			oracle_submit(o, &op);
		}
	}
	oracle_stats(o, &st);
	print_message("ops %llu candidates %llu peak %llu pruned %llu "
		      "overflow %llu bytes %llu\n",
		      (unsigned long long)st.ops,
		      (unsigned long long)st.candidates,
		      (unsigned long long)st.candidates_peak,
		      (unsigned long long)st.pruned,
		      (unsigned long long)st.overflow_lists,
		      (unsigned long long)st.bytes);
	/*
	 * Bounded: a sector keeps its last settled write plus whatever came
	 * after it (pruning runs when the sector is written again).
	 */
	assert_true(st.candidates_peak < 3 * nsect);
	assert_true(st.pruned > 0);
	assert_true(st.bytes < 64 * MiB);
	/* zeros where a write completed, or a never-written gen: flagged */
	assert_int_equal(findings_total(&fl), bad);
	assert_int_equal(fl.count[F_SIZE], 0);
	assert_int_equal(fl.count[F_TORN], 0);
	free(truth);
	free(rb);
}

/*
 * Cost of judging a 64 KiB read online: 1 GiB file, 8 writes in flight,
 * a truncate-and-grow-back every 1000 ops.
 */
static void test_speed(void **state)
{
	const uint64_t fsize = 1024 * MiB;
	uint64_t sizes[1] = { fsize };
	uint64_t rng = 7, t = 1000, id = 0, tcheck = 0, nreads = 0;
	uint64_t inflight[8] = { 0 }, ioff[8] = { 0 };
	uint64_t *truth = calloc(fsize / (64 * KiB), sizeof(*truth));
	uint64_t bad = 0;
	unsigned char *rb = aligned_alloc(4096, 64 * KiB);
	struct oracle_stats st;

	(void)state;
	oracle_free(o);
	o = oracle_new(1, sizes, SEED);
	memset(rb, 0, 64 * KiB);
	for (unsigned n = 0; n < 100000; n++) {
		struct oracle_op op = { .len = 64 * KiB, .t_submit = t };
		unsigned slot = n % 8;
		uint64_t t0;

		t += 10000;
		op.off = rand_below(&rng, fsize / (64 * KiB)) * 64 * KiB;
		op.t_submit = t;
		op.id = ++id;
		if (n % 1000 == 999) {
			op.kind = OP_TRUNCATE;
			op.off = n % 2000 == 999 ? 0 : fsize;
			if (!op.off)
				memset(truth, 0,
				       fsize / (64 * KiB) * sizeof(*truth));
			oracle_submit(o, &op);
			oracle_complete(o, id, 0, t + 1);
			/* grow back */
			op.id = ++id;
			op.off = fsize;
			op.t_submit = t + 2;
			oracle_submit(o, &op);
			oracle_complete(o, id, 0, t + 3);
			continue;
		}
		if (n % 2) {
			op.kind = OP_WRITE;
			if (inflight[slot]) {
				oracle_complete(o, inflight[slot], 64 * KiB, t);
				truth[ioff[slot] / (64 * KiB)] = inflight[slot];
			}
			oracle_submit(o, &op);
			inflight[slot] = id;
			ioff[slot] = op.off;
			continue;
		}
		op.kind = OP_READ;
		if (truth[op.off / (64 * KiB)])
			stamp_fill(rb, 0, op.off / SECTOR_SIZE, 128,
				   truth[op.off / (64 * KiB)], SEED);
		else
			memset(rb, 0, 64 * KiB);
		t0 = now_ns();
		oracle_submit(o, &op);
		oracle_complete(o, id, 64 * KiB, t + 1);
		bad += oracle_check_read(o, id, rb, NULL, NULL);
		tcheck += now_ns() - t0;
		nreads++;
	}
	oracle_stats(o, &st);
	print_message("64 KiB read check: %.2f us (%llu reads), oracle %llu "
		      "KiB\n",
		      (double)tcheck / nreads / 1000,
		      (unsigned long long)nreads,
		      (unsigned long long)st.bytes / 1024);
	assert_true(tcheck / nreads < 1000 * 1000);
	assert_int_equal(bad, 0);
	free(truth);
	free(rb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(x) cmocka_unit_test_setup_teardown(x, setup, teardown)
		T(test_inflight_old_or_new),
		T(test_completed_new_only),
		T(test_older_gen_lost),
		T(test_truncate),
		T(test_punch_zero_range),
		T(test_hole_fallocate),
		T(test_failed_and_short_write),
		T(test_stale_kinds),
		T(test_torn),
		T(test_torn_racing_write),
		T(test_size_reads),
		T(test_size_extending_write),
		T(test_final_size),
		T(test_collapse),
		T(test_insert),
		T(test_shift_inflight),
		T(test_shift_failed),
		T(test_shift_partial_read),
		T(test_pruning),
		T(test_speed),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
