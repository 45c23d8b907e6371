// SPDX-License-Identifier: GPL-2.0
/*
 * Checker on a 6.1-style trace: no iomap DIO events, only ext4 map /
 * conversion / truncate / remove_space events and block requests. DIO
 * writes are matched through their submitting thread's ext4 mapping. A
 * clean history passes conversion_before_completion and extent_ops_wait_dio
 * with something checked; a completion before its conversion fails the
 * first, a request of an in-flight DIO completing inside a truncate fails
 * the second, and a DIO in flight whose kernel end the trace cannot show
 * (blocks never known, or no block request traced) makes it inconclusive.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checker/checker.h"

#define INO  12
#define DEV  7340032
#define MS   1000000ull
#define TID  7	  /* the submitting thread, in UST and kernel events */
#define PBLK 1002 /* device block of lblk 2 (4 KiB blocks) */

#include "tests/unit/ck_history.h"

static bool no_rq; /* drop block requests */

/* ext4 maps lblk..+n unwritten at pblk for the DIO in thread TID. */
static void map_unwritten(uint64_t t, uint64_t lblk, uint64_t n, uint64_t pblk)
{
	ev(t, "ext4_ext_map_blocks_enter", "tid", I(TID), "dev", I(DEV), "ino",
	   I(INO), "lblk", I(lblk), "len", I(n), "flags", I(0xb), NULL);
	ev(t + 10, "ext4_ext_handle_unwritten_extents", "tid", I(TID), "dev",
	   I(DEV), "ino", I(INO), "flags", I(0x2b), "lblk", I(lblk), "pblk",
	   I(pblk), "len", I(n), "allocated", I(n), "newblk", I(pblk), NULL);
	ev(t + 20, "ext4_ext_map_blocks_exit", "tid", I(TID), "dev", I(DEV),
	   "ino", I(INO), "flags", I(0xb), "pblk", I(pblk), "lblk", I(lblk),
	   "len", I(n), "mflags", I(0x830), "ret", I(n), NULL);
}

/* The end_io conversion in a worker. */
static void convert(uint64_t t, uint64_t lblk, uint64_t n, uint64_t pblk)
{
	ev(t, "ext4_ext_map_blocks_enter", "tid", I(60), "dev", I(DEV), "ino",
	   I(INO), "lblk", I(lblk), "len", I(n), "flags", I(0x13), NULL);
	ev(t + 10, "ext4_ext_handle_unwritten_extents", "tid", I(60), "dev",
	   I(DEV), "ino", I(INO), "flags", I(0x33), "lblk", I(lblk), "pblk",
	   I(pblk), "len", I(n), "allocated", I(n), "newblk", I(pblk), NULL);
	ev(t + 20, "ext4_ext_map_blocks_exit", "tid", I(60), "dev", I(DEV),
	   "ino", I(INO), "flags", I(0x13), "pblk", I(pblk), "lblk", I(lblk),
	   "len", I(n), "mflags", I(0x10), "ret", I(n), NULL);
}

static void rq(uint64_t t, bool issue, int64_t tid, uint64_t pblk, uint64_t n)
{
	if (no_rq)
		return;
	if (issue)
		ev(t, "block_rq_issue", "tid", I(tid), "dev", I(DEV), "sector",
		   I(pblk * 8), "nr_sector", I(n * 8), "bytes", I(n * 4096),
		   "rwbs", "WS", NULL);
	else
		ev(t, "block_rq_complete", "tid", I(tid), "dev", I(DEV),
		   "sector", I(pblk * 8), "nr_sector", I(n * 8), "error", I(0),
		   "rwbs", "WS", NULL);
}

struct broken {
	bool late_convert;   /* op 1 completes before its conversion */
	bool rq_in_truncate; /* op 2's request ends inside the truncate */
	bool unknown_dio;    /* op 5: in flight, blocks never known */
	bool no_rq;	     /* no block request traced (bio-based dm) */
};

static void history(const struct broken *b)
{
	uint64_t t;

	cc = ck_classes_new();
	ses = ck_session_new();
	seq = 0;
	no_rq = b->no_rq;
	ev(1 * MS, "iorace:run_info", "seed", I(7), "nfiles", I(1), NULL);
	ev(2 * MS, "iorace:file_info", "file", I(0), "inode", I(INO),
	   "initial_size", I(1 << 20), NULL);

	/* op 1: DIO write of blocks 2-3 into the fallocated range */
	t = 10 * MS;
	submit(t, 1, OP_WRITE, 8192, 8192);
	map_unwritten(t + 100, 2, 2, PBLK);
	rq(t + 300, true, TID, PBLK, 2);
	rq(t + 400, false, 0, PBLK, 2);
	if (!b->late_convert)
		convert(t + 500, 2, 2, PBLK);
	complete(t + MS, 1, OP_WRITE, 8192);
	if (b->late_convert)
		convert(t + 2 * MS, 2, 2, PBLK);

	/* op 2 overwrites them (no map event), reaped after a truncate */
	t = 20 * MS;
	submit(t, 2, OP_WRITE, 8192, 8192);
	rq(t + 100, true, TID, PBLK, 2);
	if (!b->rq_in_truncate)
		rq(t + 200, false, 0, PBLK, 2);
	/* op 4: submitted now, enters the kernel after the truncate */
	submit(t + MS / 2, 4, OP_WRITE, 16384, 4096);
	if (b->unknown_dio) /* op 5: never seen by the kernel trace */
		submit(t + MS / 2 + 1000, 5, OP_WRITE, 65536, 4096);

	/* op 3: truncate */
	t = 21 * MS;
	submit(t, 3, OP_TRUNCATE, 0, 0);
	ev(t + 100, "ext4_truncate_enter", "tid", I(90), "dev", I(DEV), "ino",
	   I(INO), "blocks", I(8), NULL);
	ev(t + 150, "ext4_ext_remove_space", "tid", I(90), "dev", I(DEV), "ino",
	   I(INO), "start", I(0), "end", I(0xfffffffe), "depth", I(0), NULL);
	if (b->rq_in_truncate)
		rq(t + 170, false, 0, PBLK, 2);
	ev(t + 180, "ext4_ext_remove_space_done", "tid", I(90), "dev", I(DEV),
	   "ino", I(INO), "start", I(0), "end", I(0xfffffffe), "depth", I(0),
	   NULL);
	ev(t + 200, "ext4_truncate_exit", "tid", I(90), "dev", I(DEV), "ino",
	   I(INO), "blocks", I(4), NULL);
	complete(t + MS, 3, OP_TRUNCATE, 0);
	complete(t + MS + 1000, 2, OP_WRITE, 8192);

	/* op 4 now maps block 4 (a hole), converted, completed */
	t = 23 * MS;
	map_unwritten(t, 4, 1, 2000);
	rq(t + 100, true, TID, 2000, 1);
	rq(t + 200, false, 0, 2000, 1);
	convert(t + 300, 4, 1, 2000);
	complete(t + MS, 4, OP_WRITE, 4096);
	if (b->unknown_dio)
		complete(t + MS + 1000, 5, OP_WRITE, 4096);
}

static const struct ck_inv_result *result(const char *name)
{
	unsigned i;

	ck_session_finish(ses);
	for (i = 0; i < CK_NINV; i++)
		if (!strcmp(ck_session_result(ses, i)->name, name))
			return ck_session_result(ses, i);
	fail_msg("no invariant %s", name);
	return NULL;
}

static void done(void)
{
	ck_session_free(ses);
	ck_classes_free(cc);
}

static bool cites(const struct ck_inv_result *r, const char *s)
{
	unsigned i, j;

	for (i = 0; i < r->nev; i++)
		for (j = 0; j < r->ev[i].ncite; j++)
			if (strstr(r->ev[i].cite[j].text, s))
				return true;
	return false;
}

static void test_clean_61_passes(void **state)
{
	struct broken b = { 0 };
	const struct ck_inv_result *r;

	(void)state;
	history(&b);
	r = result("conversion_before_completion");
	if (r->status != CK_PASS)
		fail_msg("conversion: %s (%s)", ck_status_name(r->status),
			 r->note);
	/* ops 1 and 4 needed conversion, found through their thread */
	assert_int_equal(r->checked, 2);
	assert_int_equal(ck_session_ctx(ses)->blocksize, 4096);
	r = result("extent_ops_wait_dio");
	if (r->status != CK_PASS)
		fail_msg("truncate: %s (%s)", ck_status_name(r->status),
			 r->note);
	assert_int_equal(r->checked, 1);
	assert_int_equal(r->failed, 0);
	/* op 2 had nothing left in the kernel, op 4 entered after */
	assert_non_null(strstr(r->note, "2 DIO writes in flight"));
	assert_non_null(strstr(r->note, "1 entered after"));
	done();
}

/*
 * The fs block size comes from iorace's file_info event when it carries
 * one: the 6.1 map heuristic matched an AIO thread's other in-flight
 * write and took 512 for 4096 (a false conversion_before_completion on
 * sub-block writes, seen on the built-in kernel).
 */
static void test_blocksize_from_file_info(void **state)
{
	(void)state;
	cc = ck_classes_new();
	ses = ck_session_new();
	seq = 0;
	ev(1 * MS, "iorace:run_info", "seed", I(7), "nfiles", I(1), NULL);
	ev(2 * MS, "iorace:file_info", "file", I(0), "inode", I(INO),
	   "initial_size", I(1 << 20), "blocksize", I(1024), NULL);
	assert_true(ck_session_ctx(ses)->blocksize_known);
	assert_int_equal(ck_session_ctx(ses)->blocksize, 1024);
	ck_session_free(ses);
	ck_classes_free(cc);
}

static void test_completion_before_conversion_fails(void **state)
{
	struct broken b = { .late_convert = true };
	const struct ck_inv_result *r;

	(void)state;
	history(&b);
	r = result("conversion_before_completion");
	assert_int_equal(r->status, CK_FAIL);
	assert_int_equal(r->failed, 1);
	assert_true(cites(r, "iorace:op_submit {id=1"));
	assert_true(cites(r, "ext4_ext_map_blocks_exit"));
	assert_true(cites(r, "iorace:op_complete {id=1"));
	assert_int_equal(result("extent_ops_wait_dio")->status, CK_PASS);
	done();
}

static void test_rq_inside_truncate_fails(void **state)
{
	struct broken b = { .rq_in_truncate = true };
	const struct ck_inv_result *r;

	(void)state;
	history(&b);
	r = result("extent_ops_wait_dio");
	assert_int_equal(r->status, CK_FAIL);
	assert_int_equal(r->failed, 1);
	assert_non_null(strstr(r->ev[0].what, "DIO write 2"));
	assert_true(cites(r, "iorace:op_submit {id=2"));
	assert_true(cites(r, "ext4_ext_remove_space"));
	assert_true(cites(r, "block_rq_complete"));
	assert_int_equal(result("conversion_before_completion")->status,
			 CK_PASS);
	done();
}

static void test_unknown_dio_inconclusive(void **state)
{
	struct broken b = { .unknown_dio = true };
	const struct ck_inv_result *r;

	(void)state;
	history(&b);
	r = result("extent_ops_wait_dio");
	if (r->status != CK_INCONCLUSIVE)
		fail_msg("truncate: %s (%s)", ck_status_name(r->status),
			 r->note);
	assert_int_equal(r->skipped, 1);
	assert_non_null(strstr(r->note, "1 of 3 DIO writes"));
	done();
}

static void test_no_requests_inconclusive(void **state)
{
	struct broken b = { .no_rq = true };
	const struct ck_inv_result *r;

	(void)state;
	history(&b);
	/* op 2 overwrote written blocks: only requests could show its end */
	r = result("extent_ops_wait_dio");
	if (r->status != CK_INCONCLUSIVE)
		fail_msg("truncate: %s (%s)", ck_status_name(r->status),
			 r->note);
	assert_int_equal(r->skipped, 1);
	assert_non_null(strstr(r->note, "no block request"));
	done();
}

/*
 * Attribution inside one io_submit batch. The kernel takes a thread's
 * iocbs in order, mapping in the submitter; an op whose blocks are
 * already written maps nothing. Two histories from false failures seen on
 * a clean 6.1 kernel (truncate-vs-dio, 1 KiB blocks there, 4 KiB here):
 *
 * end: op 20 (blocks 4-7, 4-5 written) maps 6+2, op 21 (blocks 6-15)
 *      starts at the same block; a truncate frees them, op 21 maps 6+10.
 *      The enter that ends at 7 is op 20's, the one ending at 15 op 21's.
 * order: op 30 (blocks 4-9) overwrites without a map event, op 31 maps
 *      20+2, a truncate frees 4-9, op 32 (blocks 2-9, 2-3 written) maps
 *      4+6: that starts where op 30 does but is op 32's, since the kernel
 *      passed op 30 before op 31.
 * Either way the earlier op's late reap precedes the later conversion,
 * which is no fault of the earlier op.
 */
static void batch_history(bool order)
{
	uint64_t t = 10 * MS;

	cc = ck_classes_new();
	ses = ck_session_new();
	seq = 0;
	no_rq = false;
	ev(1 * MS, "iorace:run_info", "seed", I(7), "nfiles", I(1), NULL);
	ev(2 * MS, "iorace:file_info", "file", I(0), "inode", I(INO),
	   "initial_size", I(1 << 20), NULL);
	/* op 1 writes blocks 2-9: mapped, converted, done */
	submit(t, 1, OP_WRITE, 2 * 4096, 8 * 4096);
	map_unwritten(t + 100, 2, 8, 3000);
	rq(t + 200, true, TID, 3000, 8);
	rq(t + 300, false, 0, 3000, 8);
	convert(t + 400, 2, 8, 3000);
	complete(t + 500, 1, OP_WRITE, 8 * 4096);

	t = 20 * MS;
	if (!order) {
		submit(t, 20, OP_WRITE, 4 * 4096, 4 * 4096);
		submit(t + 10, 21, OP_WRITE, 6 * 4096, 10 * 4096);
		/* a punch makes 6-7 a hole; op 20 then finds 4-5
		 * written and allocates 6-7 */
		ev(t + 50, "ext4_punch_hole", "tid", I(91), "dev", I(DEV),
		   "ino", I(INO), "offset", I(6 * 4096), "len", I(2 * 4096),
		   "mode", I(3), NULL);
		ev(t + 60, "ext4_ext_remove_space", "tid", I(91), "dev", I(DEV),
		   "ino", I(INO), "start", I(6), "end", I(7), "depth", I(0),
		   NULL);
		map_unwritten(t + 100, 6, 2, 4000);
		rq(t + 200, true, TID, 3002, 2);
		rq(t + 210, true, TID, 4000, 2);
		rq(t + 300, false, 0, 3002, 2);
		rq(t + 310, false, 0, 4000, 2);
		convert(t + 400, 6, 2, 4000);
		ev(t + MS, "ext4_ext_remove_space", "tid", I(90), "dev", I(DEV),
		   "ino", I(INO), "start", I(2), "end", I(0xfffffffe), "depth",
		   I(0), NULL);
		map_unwritten(t + 2 * MS, 6, 10, 5000);
		rq(t + 2 * MS + 100, true, TID, 5000, 10);
		rq(t + 2 * MS + 200, false, 0, 5000, 10);
		complete(t + 2 * MS + 300, 20, OP_WRITE, 4 * 4096);
		convert(t + 2 * MS + 400, 6, 10, 5000);
		complete(t + 3 * MS, 21, OP_WRITE, 10 * 4096);
		return;
	}
	submit(t, 30, OP_WRITE, 4 * 4096, 6 * 4096);
	submit(t + 10, 31, OP_WRITE, 20 * 4096, 2 * 4096);
	submit(t + 20, 32, OP_WRITE, 2 * 4096, 8 * 4096);
	/* op 30 overwrites 4-9: requests only */
	rq(t + 100, true, TID, 3002, 6);
	rq(t + 200, false, 0, 3002, 6);
	map_unwritten(t + 300, 20, 2, 6000);
	rq(t + 400, true, TID, 6000, 2);
	rq(t + 500, false, 0, 6000, 2);
	convert(t + 600, 20, 2, 6000);
	ev(t + MS, "ext4_ext_remove_space", "tid", I(90), "dev", I(DEV), "ino",
	   I(INO), "start", I(4), "end", I(0xfffffffe), "depth", I(0), NULL);
	/* op 32: 2-3 still written, 4-9 a hole again */
	map_unwritten(t + 2 * MS, 4, 6, 7000);
	rq(t + 2 * MS + 100, true, TID, 3000, 2);
	rq(t + 2 * MS + 110, true, TID, 7000, 6);
	rq(t + 2 * MS + 200, false, 0, 3000, 2);
	rq(t + 2 * MS + 210, false, 0, 7000, 6);
	complete(t + 2 * MS + 300, 30, OP_WRITE, 6 * 4096);
	complete(t + 2 * MS + 310, 31, OP_WRITE, 2 * 4096);
	convert(t + 2 * MS + 400, 4, 6, 7000);
	complete(t + 3 * MS, 32, OP_WRITE, 8 * 4096);
}

static void batch_passes(bool order)
{
	const struct ck_inv_result *r;

	batch_history(order);
	r = result("conversion_before_completion");
	if (r->status != CK_PASS)
		fail_msg("%s: %s, %u failed (%s)", order ? "order" : "end",
			 ck_status_name(r->status), (unsigned)r->failed,
			 r->nev ? r->ev[0].what : r->note);
	done();
}

static void test_batch_enter_end_picks_op(void **state)
{
	(void)state;
	batch_passes(false);
}

static void test_batch_order_passes_overwrite(void **state)
{
	(void)state;
	batch_passes(true);
}

/*
 * data=journal: ext4 does no DIO there (ext4_dio_supported() is false),
 * the O_DIRECT write falls back to a buffered one that allocates its
 * blocks written in the submitting thread, and no conversion ever comes.
 * The first write into the sparse file must not "need" one (a false FAIL
 * seen on the built-in 6.1 kernel, data-journal-dio, when the first
 * writes completed before the first truncate), whether the submitter
 * or an io-wq worker (io_uring's punted write) allocates them. With the
 * same blocks mapped unwritten and never converted it still fails.
 */
static void fallback_history(bool unwritten, int64_t maptid)
{
	uint64_t t = 10 * MS;

	cc = ck_classes_new();
	ses = ck_session_new();
	/* as on 6.1: no iomap DIO events (trace/kernel-missing.txt) */
	ck_session_ctx(ses)->kmissing[EV_IOMAP_DIO_RW_BEGIN] = true;
	ck_session_ctx(ses)->kmissing[EV_IOMAP_DIO_COMPLETE] = true;
	seq = 0;
	no_rq = false;
	ev(1 * MS, "iorace:run_info", "seed", I(7), "nfiles", I(1), NULL);
	ev(2 * MS, "iorace:file_info", "file", I(0), "inode", I(INO),
	   "initial_size", I(1 << 20), "blocksize", I(4096), NULL);
	submit(t, 1, OP_WRITE, 8192, 8192);
	if (unwritten) {
		map_unwritten(t + 100, 2, 2, PBLK);
	} else {
		ev(t + 100, "ext4_ext_map_blocks_enter", "tid", I(maptid),
		   "dev", I(DEV), "ino", I(INO), "lblk", I(2), "len", I(2),
		   "flags", I(0x1), NULL);
		ev(t + 120, "ext4_ext_map_blocks_exit", "tid", I(maptid), "dev",
		   I(DEV), "ino", I(INO), "flags", I(0x1), "pblk", I(PBLK),
		   "lblk", I(2), "len", I(2), "mflags", I(0x30), "ret", I(2),
		   NULL);
	}
	rq(t + 300, true, TID, PBLK, 2);
	rq(t + 400, false, 0, PBLK, 2);
	complete(t + MS, 1, OP_WRITE, 8192);
}

static void test_buffered_fallback_needs_no_conversion(void **state)
{
	const int64_t maptid[] = { TID, 61 };
	const struct ck_inv_result *r;

	(void)state;
	for (unsigned i = 0; i < 2; i++) {
		fallback_history(false, maptid[i]);
		r = result("conversion_before_completion");
		if (r->status == CK_FAIL)
			fail_msg("tid %d: conversion: %s (%s)", (int)maptid[i],
				 ck_status_name(r->status),
				 r->nev ? r->ev[0].what : r->note);
		assert_int_equal(r->failed, 0);
		done();
	}
	fallback_history(true, TID);
	r = result("conversion_before_completion");
	assert_int_equal(r->status, CK_FAIL);
	assert_int_equal(r->failed, 1);
	done();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_61_passes),
		cmocka_unit_test(test_blocksize_from_file_info),
		cmocka_unit_test(test_completion_before_conversion_fails),
		cmocka_unit_test(test_rq_inside_truncate_fails),
		cmocka_unit_test(test_unknown_dio_inconclusive),
		cmocka_unit_test(test_no_requests_inconclusive),
		cmocka_unit_test(test_batch_enter_end_picks_op),
		cmocka_unit_test(test_batch_order_passes_overwrite),
		cmocka_unit_test(test_buffered_fallback_needs_no_conversion),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
