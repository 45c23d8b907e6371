// SPDX-License-Identifier: GPL-2.0
/*
 * extent_ops_wait_dio, one kind at a time: truncate, punch, zero_range,
 * collapse_range, insert_range and fallocate. Each history has a DIO
 * overwrite of blocks 2-3 in flight when the extent op's kernel events
 * arrive; it ends before the op (clean: pass, one op checked) or after it
 * (broken: fail citing the op's event). Both paths: with iomap events
 * (the op's own ext4 event is the anchor) and without them (6.1: the
 * anchor is the op thread's first event after its inode_dio_wait()).
 * The ops are kernel events only, so each kind is checked whether or not
 * iorace has an op for it. An op event that never reaches its anchor
 * while a DIO is in flight, and an iorace op kind with no kernel event,
 * are inconclusive.
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
#define TID  7	    /* the submitting thread */
#define OTID 90	    /* the extent op's thread */
#define PBLK 1002   /* device block of lblk 2 */
#define KI_W 393216 /* IOCB_WRITE | IOCB_DIRECT */

#include "tests/unit/ck_history.h"

static void kev(uint64_t t, int64_t tid, const char *name, const char *k1,
		int64_t v1, const char *k2, int64_t v2, const char *k3,
		int64_t v3)
{
	ev(t, name, "tid", I(tid), "dev", I(DEV), "ino", I(INO), k1, v1, k2, v2,
	   k3, v3, NULL);
}

static void rq(uint64_t t, bool issue, uint64_t pblk, uint64_t n)
{
	ev(t, issue ? "block_rq_issue" : "block_rq_complete", "tid",
	   I(issue ? TID : 0), "dev", I(DEV), "sector", I(pblk * 8),
	   "nr_sector", I(n * 8), "error", I(0), "rwbs", "WS", NULL);
}

enum kind { K_TRUNCATE, K_PUNCH, K_ZERO, K_COLLAPSE, K_INSERT, K_FALLOC, K_N };

static const char *const kname[K_N] = {
	"truncate",	  "punch",	  "zero_range",
	"collapse_range", "insert_range", "fallocate",
};

/* The op's first kernel event (before its DIO wait on 6.1). */
static const char *const kevent[K_N] = {
	"ext4_truncate_enter", "ext4_punch_hole",   "ext4_zero_range",
	"ext4_collapse_range", "ext4_insert_range", "ext4_fallocate_enter",
};

/* The op's kernel events at t; anchor: the ones after its DIO wait. */
static void extent_op(uint64_t t, enum kind k, bool anchor)
{
	if (k == K_TRUNCATE)
		kev(t, OTID, kevent[k], "blocks", 8, "pad", 0, "pad2", 0);
	else
		kev(t, OTID, kevent[k], "offset", 8192, "len", 8192, "mode",
		    k == K_PUNCH ? 3 :
		    k == K_ZERO	 ? 16 :
				   0);
	if (!anchor)
		return;
	switch (k) {
	case K_TRUNCATE:
	case K_PUNCH:
	case K_COLLAPSE:
		kev(t + 50, OTID, "ext4_ext_remove_space", "start",
		    k == K_TRUNCATE ? 0 : 2, "end",
		    k == K_TRUNCATE ? 0xfffffffe : 3, "depth", 0);
		break;
	case K_ZERO:
	case K_FALLOC:
		kev(t + 50, OTID, "ext4_ext_map_blocks_enter", "lblk", 2, "len",
		    2, "flags", 0x3);
		break;
	case K_INSERT:
		kev(t + 50, OTID, "ext4_es_remove_extent", "lblk", 2, "len",
		    0xfffffffe, "pad", 0);
		break;
	default:
		break;
	}
	if (k == K_TRUNCATE)
		kev(t + 80, OTID, "ext4_truncate_exit", "blocks", 0, "pad", 0,
		    "pad2", 0);
}

static void begin(bool iomap)
{
	cc = ck_classes_new();
	ses = ck_session_new();
	seq = 0;
	if (!iomap)
		ck_session_ctx(ses)->kmissing[EV_IOMAP_DIO_RW_BEGIN] = true;
	ev(1 * MS, "iorace:run_info", "seed", I(7), "nfiles", I(1), NULL);
	ev(2 * MS, "iorace:file_info", "file", I(0), "inode", I(INO),
	   "initial_size", I(1 << 20), "blocksize", I(4096), NULL);
}

/*
 * 6.1: op 1 fills blocks 2-3 (mapped unwritten, converted); op 2
 * overwrites them (no map event), its request in flight at the op.
 */
static void history_noiomap(enum kind k, bool broken, bool anchor)
{
	uint64_t t = 10 * MS;

	begin(false);
	/*
	 * An earlier truncate past the data: the trace has removals, so a
	 * punch is not read as one whose removal went unrecorded.
	 */
	kev(5 * MS, 89, "ext4_truncate_enter", "blocks", 8, "pad", 0, "pad2",
	    0);
	kev(5 * MS + 50, 89, "ext4_ext_remove_space", "start", 100, "end",
	    0xfffffffe, "depth", 0);
	submit(t, 1, OP_WRITE, 8192, 8192);
	ev(t + 100, "ext4_ext_map_blocks_enter", "tid", I(TID), "dev", I(DEV),
	   "ino", I(INO), "lblk", I(2), "len", I(2), "flags", I(0xb), NULL);
	ev(t + 120, "ext4_ext_map_blocks_exit", "tid", I(TID), "dev", I(DEV),
	   "ino", I(INO), "flags", I(0xb), "pblk", I(PBLK), "lblk", I(2), "len",
	   I(2), "mflags", I(0x830), "ret", I(2), NULL);
	rq(t + 300, true, PBLK, 2);
	rq(t + 400, false, PBLK, 2);
	ev(t + 500, "ext4_ext_handle_unwritten_extents", "tid", I(60), "dev",
	   I(DEV), "ino", I(INO), "flags", I(0x33), "lblk", I(2), "pblk",
	   I(PBLK), "len", I(2), "allocated", I(2), "newblk", I(PBLK), NULL);
	complete(t + MS, 1, OP_WRITE, 8192);

	t = 20 * MS;
	submit(t, 2, OP_WRITE, 8192, 8192);
	rq(t + 100, true, PBLK, 2);
	if (!broken)
		rq(t + 200, false, PBLK, 2);
	extent_op(t + 500, k, anchor);
	if (broken)
		rq(t + 700, false, PBLK, 2);
	complete(t + MS, 2, OP_WRITE, 8192);
}

/* With iomap events: op 2's DIO completes before or after the op. */
static void history_iomap(enum kind k, bool broken)
{
	uint64_t t = 20 * MS;

	begin(true);
	submit(t, 2, OP_WRITE, 8192, 8192);
	kev(t + 100, 100, "iomap_dio_rw_begin", "pos", 8192, "count", 8192,
	    "ki_flags", KI_W);
	if (!broken)
		kev(t + 200, 50, "iomap_dio_complete", "pos", 16384, "ret",
		    8192, "ki_flags", KI_W);
	extent_op(t + 500, k, true);
	if (broken)
		kev(t + 700, 50, "iomap_dio_complete", "pos", 16384, "ret",
		    8192, "ki_flags", KI_W);
	complete(t + MS, 2, OP_WRITE, 8192);
}

static const struct ck_inv_result *result(void)
{
	unsigned i;

	ck_session_finish(ses);
	for (i = 0; i < CK_NINV; i++)
		if (!strcmp(ck_session_result(ses, i)->name,
			    "extent_ops_wait_dio"))
			return ck_session_result(ses, i);
	fail_msg("no invariant extent_ops_wait_dio");
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

static void expect(enum kind k, bool iomap, bool broken)
{
	const struct ck_inv_result *r;

	if (iomap)
		history_iomap(k, broken);
	else
		history_noiomap(k, broken, true);
	r = result();
	if (r->status != (broken ? CK_FAIL : CK_PASS))
		fail_msg("%s %s %s: %s (%s)", kname[k], iomap ? "iomap" : "6.1",
			 broken ? "broken" : "clean", ck_status_name(r->status),
			 r->nev ? r->ev[0].what : r->note);
	/* 6.1: the early truncate is checked too */
	assert_int_equal(r->checked, iomap ? 1 : 2);
	if (broken) {
		assert_int_equal(r->failed, 1);
		if (!cites(r, kevent[k]))
			fail_msg("%s: evidence does not cite %s", kname[k],
				 kevent[k]);
		if (!iomap && !strstr(r->ev[0].what, kname[k]))
			fail_msg("%s: evidence '%s' does not name the kind",
				 kname[k], r->ev[0].what);
	} else if (!strstr(r->note, kname[k])) {
		fail_msg("%s: note '%s' does not name the kind", kname[k],
			 r->note);
	}
	done();
}

static void test_each_kind_iomap(void **state)
{
	int k;

	(void)state;
	for (k = 0; k < K_N; k++) {
		expect(k, true, false);
		expect(k, true, true);
	}
}

static void test_each_kind_noiomap(void **state)
{
	int k;

	(void)state;
	for (k = 0; k < K_N; k++) {
		expect(k, false, false);
		expect(k, false, true);
	}
}

/* 6.1: the op's first event, then nothing after its wait. */
static void test_no_anchor_inconclusive(void **state)
{
	const struct ck_inv_result *r;
	int k;

	(void)state;
	for (k = K_PUNCH; k < K_N; k++) {
		history_noiomap(k, true, false);
		r = result();
		if (r->status != CK_INCONCLUSIVE)
			fail_msg("%s: %s (%s)", kname[k],
				 ck_status_name(r->status), r->note);
		assert_non_null(strstr(r->note, "after their DIO wait"));
		done();
	}
}

/* iorace ran zero_range ops, the trace has no ext4_zero_range. */
static void test_kind_without_event_inconclusive(void **state)
{
	const struct ck_inv_result *r;

	(void)state;
	history_iomap(K_PUNCH, false);
	submit(30 * MS, 3, OP_ZERO_RANGE, 0, 4096);
	complete(31 * MS, 3, OP_ZERO_RANGE, 0);
	r = result();
	if (r->status != CK_INCONCLUSIVE)
		fail_msg("%s (%s)", ck_status_name(r->status), r->note);
	assert_non_null(strstr(r->note, "1 zero_range ops"));
	assert_non_null(strstr(r->note, "ext4_zero_range"));
	done();
}

/* iorace's own collapse_range/insert_range ops count by their kind name. */
static void test_shift_ops_without_event_inconclusive(void **state)
{
	static const struct {
		enum op_kind kind;
		const char *ops, *ev;
	} c[] = {
		{ OP_COLLAPSE, "1 collapse_range ops", "ext4_collapse_range" },
		{ OP_INSERT, "1 insert_range ops", "ext4_insert_range" },
	};
	const struct ck_inv_result *r;

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		history_iomap(K_PUNCH, false);
		submit(30 * MS, 3, c[i].kind, 0, 4096);
		complete(31 * MS, 3, c[i].kind, 0);
		r = result();
		if (r->status != CK_INCONCLUSIVE)
			fail_msg("%s (%s)", ck_status_name(r->status), r->note);
		assert_non_null(strstr(r->note, c[i].ops));
		assert_non_null(strstr(r->note, c[i].ev));
		done();
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_kind_iomap),
		cmocka_unit_test(test_each_kind_noiomap),
		cmocka_unit_test(test_no_anchor_inconclusive),
		cmocka_unit_test(test_kind_without_event_inconclusive),
		cmocka_unit_test(test_shift_ops_without_event_inconclusive),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
