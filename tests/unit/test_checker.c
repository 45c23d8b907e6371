// SPDX-License-Identifier: GPL-2.0
/*
 * Checker invariants over in-memory events: a clean history passes every
 * invariant; each invariant fails on a history that breaks it, with
 * evidence naming the events; a sequence gap makes the others
 * inconclusive; no kernel events makes the kernel invariants
 * not-applicable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checker/checker.h"
#include "common/util.h"
#include "model/stamp.h"

#define INO 12
#define DEV 7340032
#define MS  1000000ull

static struct ck_classes *cc;
static struct ck_session *ses;
static uint64_t seqs[4];

/* ev(t, name, "field", value, ..., NULL) */
static void ev(uint64_t t, const char *name, ...)
{
	const char *names[CK_MAX_FIELDS];
	uint8_t types[CK_MAX_FIELDS];
	struct ck_event e = { 0 };
	unsigned n = 0;
	bool ust = !strncmp(name, "iorace:", 7);
	const char *k;
	va_list ap;

	if (ust) {
		names[n] = "seq";
		types[n] = CKF_U64;
		e.v[n++] = seqs[0]++;
	}
	va_start(ap, name);
	while ((k = va_arg(ap, const char *))) {
		int64_t v = va_arg(ap, int64_t);

		if (!strcmp(k, "seq")) { /* override: simulate a jump */
			e.v[0] = (uint64_t)v;
			seqs[0] = (uint64_t)v + 1;
			continue;
		}
		names[n] = k;
		types[n] = ust ? CKF_U64 : CKF_S64;
		e.v[n++] = (uint64_t)v;
	}
	va_end(ap);
	if (ust) {
		names[n] = "tid";
		types[n] = CKF_U64;
		e.v[n++] = 1;
	}
	e.cls = ck_class_intern(cc, name, n, names, types);
	e.t = t;
	e.tid = ck_has(&e, FK_TID) ? (int64_t)ck_u(&e, FK_TID) : -1;
	ck_session_event(ses, &e);
}

#define I(x) ((int64_t)(x))

static void header(void)
{
	ev(1 * MS, "iorace:run_info", "seed", I(7), "nfiles", I(1), NULL);
	ev(2 * MS, "iorace:file_info", "file", I(0), "inode", I(INO),
	   "initial_size", I(1 << 20), NULL);
}

/* A DIO write of block 0 (op 1) into the fallocated file. */
static void dio_write(uint64_t t0, bool convert_late)
{
	ev(t0, "iorace:op_submit", "id", I(1), "kind", I(OP_WRITE), "file",
	   I(0), "inode", I(INO), "off", I(0), "len", I(4096), "flags",
	   I(OPF_DIRECT), "t", I(t0), NULL);
	ev(t0 + 100, "iomap_dio_rw_begin", "tid", I(100), "dev", I(DEV), "ino",
	   I(INO), "pos", I(0), "count", I(4096), "ki_flags",
	   I((1 << 17) | (1 << 18)), NULL);
	ev(t0 + 200, "ext4_ext_map_blocks_exit", "tid", I(100), "dev", I(DEV),
	   "ino", I(INO), "flags", I(0xb), "lblk", I(0), "len", I(1), "mflags",
	   I(0x830), "ret", I(1), NULL);
	if (!convert_late)
		ev(t0 + 300, "ext4_ext_handle_unwritten_extents", "tid", I(50),
		   "dev", I(DEV), "ino", I(INO), "flags", I(0x433), "lblk",
		   I(0), "len", I(1), NULL);
	ev(t0 + 400, "iomap_dio_complete", "tid", I(50), "dev", I(DEV), "ino",
	   I(INO), "pos", I(4096), "ret", I(4096), "ki_flags",
	   I((1 << 17) | (1 << 18)), NULL);
	ev(t0 + MS, "iorace:op_complete", "id", I(1), "kind", I(OP_WRITE),
	   "res", I(4096), "t", I(t0 + MS), NULL);
	if (convert_late)
		ev(t0 + 2 * MS, "ext4_ext_handle_unwritten_extents", "tid",
		   I(50), "dev", I(DEV), "ino", I(INO), "flags", I(0x433),
		   "lblk", I(0), "len", I(1), NULL);
}

/* Read op 2 of sector 0..7; cls/gen describe what it returned. */
static void read_back(uint64_t t0, int cls, uint64_t gen)
{
	ev(t0, "iorace:op_submit", "id", I(2), "kind", I(OP_READ), "file", I(0),
	   "inode", I(INO), "off", I(0), "len", I(4096), "flags", I(OPF_DIRECT),
	   "t", I(t0), NULL);
	ev(t0 + MS, "iorace:op_complete", "id", I(2), "kind", I(OP_READ), "res",
	   I(4096), "t", I(t0 + MS), NULL);
	ev(t0 + MS + 10, "iorace:read_run", "id", I(2), "sector", I(0), "nsect",
	   I(8), "cls", I(cls), "file_seen", I(0), "gen", I(gen), "sector_seen",
	   I(0), NULL);
}

/* Truncate (op 3) of the file; with a DIO (pos 8192) racing it or not. */
static void truncate_op(uint64_t t0, bool racing_dio)
{
	if (racing_dio)
		ev(t0 - 500, "iomap_dio_rw_begin", "tid", I(101), "dev", I(DEV),
		   "ino", I(INO), "pos", I(8192), "count", I(4096), "ki_flags",
		   I((1 << 17) | (1 << 18)), NULL);
	ev(t0, "iorace:op_submit", "id", I(3), "kind", I(OP_TRUNCATE), "file",
	   I(0), "inode", I(INO), "off", I(0), "len", I(0), "flags", I(0), "t",
	   I(t0), NULL);
	ev(t0 + 100, "ext4_truncate_enter", "tid", I(102), "dev", I(DEV), "ino",
	   I(INO), "blocks", I(8), NULL);
	if (racing_dio)
		ev(t0 + 150, "iomap_dio_complete", "tid", I(50), "dev", I(DEV),
		   "ino", I(INO), "pos", I(12288), "ret", I(4096), "ki_flags",
		   I((1 << 17) | (1 << 18)), NULL);
	ev(t0 + 200, "ext4_truncate_exit", "tid", I(102), "dev", I(DEV), "ino",
	   I(INO), "blocks", I(0), NULL);
	ev(t0 + MS, "iorace:op_complete", "id", I(3), "kind", I(OP_TRUNCATE),
	   "res", I(0), "t", I(t0 + MS), NULL);
}

/*
 * fsync (op 4) after a metadata change; commit inside it or not. With
 * run_stats, the commit's jbd2_run_stats comes inside the fsync and its
 * jbd2_end_commit only after the fsync returned (the jbd2 thread was
 * preempted between the two while the fsync saw the commit done).
 */
static void fsync_op_stats(uint64_t t0, bool commit, bool run_stats)
{
	ev(t0, "ext4_ext_handle_unwritten_extents", "tid", I(50), "dev", I(DEV),
	   "ino", I(INO), "flags", I(0x433), "lblk", I(100), "len", I(1), NULL);
	ev(t0 + MS, "iorace:op_submit", "id", I(4), "kind", I(OP_FSYNC), "file",
	   I(0), "inode", I(INO), "off", I(0), "len", I(0), "flags", I(0), "t",
	   I(t0 + MS), NULL);
	ev(t0 + MS + 100, "ext4_sync_file_enter", "tid", I(103), "dev", I(DEV),
	   "ino", I(INO), NULL);
	ev(t0 + MS + 200, "jbd2_start_commit", "tid", I(104), "dev", I(DEV),
	   "transaction", I(9), NULL);
	if (run_stats)
		ev(t0 + MS + 250, "jbd2_run_stats", "tid", I(104), "dev",
		   I(DEV), "transaction", I(9), NULL);
	if (commit)
		ev(t0 + MS + 300, "jbd2_end_commit", "tid", I(104), "dev",
		   I(DEV), "transaction", I(9), NULL);
	ev(t0 + MS + 400, "ext4_sync_file_exit", "tid", I(103), "dev", I(DEV),
	   "ino", I(INO), "ret", I(0), NULL);
	ev(t0 + 2 * MS, "iorace:op_complete", "id", I(4), "kind", I(OP_FSYNC),
	   "res", I(0), "t", I(t0 + 2 * MS), NULL);
	if (!commit)
		ev(t0 + 3 * MS, "jbd2_end_commit", "tid", I(104), "dev", I(DEV),
		   "transaction", I(9), NULL);
}

static void fsync_op(uint64_t t0, bool commit)
{
	fsync_op_stats(t0, commit, false);
}

struct broken {
	bool late_convert, stale, racing_trunc, no_commit, gap, no_kernel;
	bool stats_only; /* the commit's end is its jbd2_run_stats */
};

static void history(const struct broken *b)
{
	cc = ck_classes_new();
	ses = ck_session_new();
	memset(seqs, 0, sizeof(seqs));
	header();
	if (b->no_kernel) {
		ev(10 * MS, "iorace:op_submit", "id", I(1), "kind", I(OP_WRITE),
		   "file", I(0), "inode", I(INO), "off", I(0), "len", I(4096),
		   "flags", I(OPF_DIRECT), "t", I(10 * MS), NULL);
		ev(11 * MS, "iorace:op_complete", "id", I(1), "kind",
		   I(OP_WRITE), "res", I(4096), "t", I(11 * MS), NULL);
	} else {
		dio_write(10 * MS, b->late_convert);
	}
	if (b->gap)
		ev(19 * MS, "iorace:phase", "phase", I(3), "begin", I(1), "seq",
		   I(seqs[0] + 3), NULL);
	read_back(20 * MS, b->stale ? SC_POISON : SC_STAMP, 1);
	if (b->no_kernel)
		return;
	truncate_op(30 * MS, b->racing_trunc);
	if (b->stats_only)
		fsync_op_stats(40 * MS, false, true);
	else
		fsync_op(40 * MS, !b->no_commit);
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

/* Some evidence of r cites an event whose text contains s. */
static bool cites(const struct ck_inv_result *r, const char *s)
{
	unsigned i, j;

	for (i = 0; i < r->nev; i++)
		for (j = 0; j < r->ev[i].ncite; j++)
			if (strstr(r->ev[i].cite[j].text, s))
				return true;
	return false;
}

static void test_clean_passes(void **state)
{
	struct broken b = { 0 };
	unsigned i;

	(void)state;
	history(&b);
	ck_session_finish(ses);
	for (i = 0; i < CK_NINV; i++) {
		const struct ck_inv_result *r = ck_session_result(ses, i);

		if (r->status != CK_PASS)
			fail_msg("%s: %s (%s)", r->name,
				 ck_status_name(r->status), r->note);
		assert_true(r->checked > 0);
		assert_int_equal(r->failed, 0);
	}
	done();
}

static void test_oracle_fails(void **state)
{
	struct broken b = { .stale = true };
	const struct ck_inv_result *r;

	(void)state;
	history(&b);
	r = result("oracle");
	assert_int_equal(r->status, CK_FAIL);
	assert_true(r->nev > 0);
	assert_non_null(strstr(r->ev[0].what, "STALE"));
	assert_true(cites(r, "iorace:op_complete {id=2"));
	assert_int_equal(result("conversion_before_completion")->status,
			 CK_PASS);
	done();
}

static void test_conversion_fails(void **state)
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
	assert_int_equal(result("oracle")->status, CK_PASS);
	done();
}

static void test_truncate_wait_fails(void **state)
{
	struct broken b = { .racing_trunc = true };
	const struct ck_inv_result *r;

	(void)state;
	history(&b);
	r = result("extent_ops_wait_dio");
	assert_int_equal(r->status, CK_FAIL);
	assert_int_equal(r->failed, 1);
	assert_true(cites(r, "iomap_dio_rw_begin"));
	assert_true(cites(r, "ext4_truncate_enter"));
	assert_true(cites(r, "iomap_dio_complete"));
	assert_int_equal(result("sync_commit")->status, CK_PASS);
	done();
}

static void test_sync_commit_fails(void **state)
{
	struct broken b = { .no_commit = true };
	const struct ck_inv_result *r;

	(void)state;
	history(&b);
	r = result("sync_commit");
	assert_int_equal(r->status, CK_FAIL);
	assert_true(cites(r, "iorace:op_submit {id=4"));
	assert_true(cites(r, "ext4_ext_handle_unwritten_extents"));
	assert_true(cites(r, "iorace:op_complete {id=4"));
	done();
}

/* A fsync that returns between jbd2_run_stats and jbd2_end_commit passes. */
static void test_sync_commit_run_stats(void **state)
{
	struct broken b = { .stats_only = true };

	(void)state;
	history(&b);
	assert_int_equal(result("sync_commit")->status, CK_PASS);
	done();
}

/*
 * An fsync while a DIO write is in flight, after only that write's
 * unwritten allocation, returns with no commit (seen on a 6.18 host):
 * nothing completed depends on the allocation, so no commit was needed.
 */
static void test_fsync_after_unwritten_alloc(void **state)
{
	const struct ck_inv_result *r;

	(void)state;
	cc = ck_classes_new();
	ses = ck_session_new();
	memset(seqs, 0, sizeof(seqs));
	header();
	ev(10 * MS, "iorace:op_submit", "id", I(1), "kind", I(OP_WRITE), "file",
	   I(0), "inode", I(INO), "off", I(0), "len", I(4096), "flags",
	   I(OPF_DIRECT), "t", I(10 * MS), NULL);
	ev(10 * MS + 200, "ext4_ext_map_blocks_exit", "tid", I(100), "dev",
	   I(DEV), "ino", I(INO), "flags", I(0xb), "lblk", I(0), "len", I(1),
	   "mflags", I(0x830), "ret", I(1), NULL);
	ev(11 * MS, "iorace:op_submit", "id", I(4), "kind", I(OP_FSYNC), "file",
	   I(0), "inode", I(INO), "off", I(0), "len", I(0), "flags", I(0), "t",
	   I(11 * MS), NULL);
	ev(11 * MS + 100, "ext4_sync_file_enter", "tid", I(103), "dev", I(DEV),
	   "ino", I(INO), NULL);
	ev(11 * MS + 300, "iorace:op_complete", "id", I(4), "kind", I(OP_FSYNC),
	   "res", I(0), "t", I(11 * MS + 300), NULL);
	ev(12 * MS, "jbd2_end_commit", "tid", I(104), "dev", I(DEV),
	   "transaction", I(9), NULL);
	ev(13 * MS, "ext4_ext_handle_unwritten_extents", "tid", I(50), "dev",
	   I(DEV), "ino", I(INO), "flags", I(0x433), "lblk", I(0), "len", I(1),
	   NULL);
	ev(14 * MS, "iorace:op_complete", "id", I(1), "kind", I(OP_WRITE),
	   "res", I(4096), "t", I(14 * MS), NULL);
	r = result("sync_commit");
	assert_int_equal(r->failed, 0);
	assert_int_equal(r->status, CK_NA);
	done();
}

static void test_seq_gap_inconclusive(void **state)
{
	struct broken b = { .gap = true };
	const struct ck_inv_result *r;
	unsigned i;

	(void)state;
	history(&b);
	r = result("completeness");
	/* lost events are the tracer's failure: inconclusive, not FAIL */
	assert_int_equal(r->status, CK_INCONCLUSIVE);
	assert_non_null(strstr(r->note, "trace lost events"));
	assert_true(cites(r, "iorace:phase"));
	assert_non_null(strstr(r->ev[0].what, "jumps"));
	for (i = 0; i < CK_NINV; i++) {
		r = ck_session_result(ses, i);
		if (strcmp(r->name, "completeness"))
			assert_int_equal(r->status, CK_INCONCLUSIVE);
	}
	done();
}

static void test_gap_hides_failure(void **state)
{
	struct broken b = { .gap = true, .late_convert = true };

	(void)state;
	history(&b);
	/* a failure seen in an incomplete trace is not a verdict */
	assert_int_equal(result("conversion_before_completion")->status,
			 CK_INCONCLUSIVE);
	{
		struct checker_result *res = calloc(1, sizeof(*res));

		checker_result_from_session(ses, res);
		assert_int_equal(checker_exit_status(res), EXIT_INCONCLUSIVE);
		assert_string_equal(checker_verdict_name(res), "inconclusive");
		/* nor is a disagreement with the online verdict */
		res->online_present = true;
		res->online_agree = false;
		assert_int_equal(checker_exit_status(res), EXIT_INCONCLUSIVE);
		free(res);
	}
	done();
}

static void test_no_kernel_not_applicable(void **state)
{
	struct broken b = { .no_kernel = true };

	(void)state;
	history(&b);
	assert_int_equal(result("oracle")->status, CK_PASS);
	assert_int_equal(result("conversion_before_completion")->status, CK_NA);
	assert_int_equal(result("extent_ops_wait_dio")->status, CK_NA);
	assert_int_equal(result("sync_commit")->status, CK_NA);
	done();
}

static void test_kernel_lost_inconclusive(void **state)
{
	struct broken b = { 0 };

	(void)state;
	history(&b);
	ev(90 * MS, "iorace_kernel_stats", "cpu", I(0), "lost", I(5), NULL);
	assert_int_equal(result("completeness")->status, CK_INCONCLUSIVE);
	assert_int_equal(result("extent_ops_wait_dio")->status,
			 CK_INCONCLUSIVE);
	/* the oracle does not depend on kernel events */
	assert_int_equal(result("oracle")->status, CK_PASS);
	done();
}

/*
 * A DIO write whose range the kernel maps as ten unwritten extents with
 * written blocks between them (measured: a 60 KiB write on 1 KiB blocks
 * under load), each converted before the completion: the written blocks
 * between the extents need no conversion. A fixed table of eight ranges
 * whose last one absorbed the rest claimed them, a false FAIL.
 */
static void dio_many_extents(uint64_t t0, uint64_t id, bool convert_all)
{
	const int64_t len = 40 * 4096;
	unsigned k;

	ev(t0, "iorace:op_submit", "id", I(id), "kind", I(OP_WRITE), "file",
	   I(0), "inode", I(INO), "off", I(0), "len", I(len), "flags",
	   I(OPF_DIRECT), "t", I(t0), NULL);
	ev(t0 + 100, "iomap_dio_rw_begin", "tid", I(100), "dev", I(DEV), "ino",
	   I(INO), "pos", I(0), "count", I(len), "ki_flags",
	   I((1 << 17) | (1 << 18)), NULL);
	for (k = 0; k < 10; k++)
		ev(t0 + 200 + k, "ext4_ext_map_blocks_exit", "tid", I(100),
		   "dev", I(DEV), "ino", I(INO), "flags", I(0xb), "lblk",
		   I(4 * k), "len", I(2), "mflags", I(0x830), "ret", I(2),
		   NULL);
	for (k = 0; k < 10; k++)
		if (convert_all || k != 9)
			ev(t0 + 300 + k, "ext4_ext_handle_unwritten_extents",
			   "tid", I(50), "dev", I(DEV), "ino", I(INO), "flags",
			   I(0x433), "lblk", I(4 * k), "len", I(2), NULL);
	ev(t0 + 400, "iomap_dio_complete", "tid", I(50), "dev", I(DEV), "ino",
	   I(INO), "pos", I(len), "ret", I(len), "ki_flags",
	   I((1 << 17) | (1 << 18)), NULL);
	ev(t0 + MS, "iorace:op_complete", "id", I(id), "kind", I(OP_WRITE),
	   "res", I(len), "t", I(t0 + MS), NULL);
}

static void test_many_extents(void **state)
{
	(void)state;
	cc = ck_classes_new();
	ses = ck_session_new();
	memset(seqs, 0, sizeof(seqs));
	header();
	/* op 1 writes block 0 first (dio_write), then op 5 overwrites */
	dio_write(10 * MS, false);
	dio_many_extents(20 * MS, 5, true);
	assert_int_equal(result("conversion_before_completion")->status,
			 CK_PASS);
	done();
	/* the same with the last extent left unconverted: caught */
	cc = ck_classes_new();
	ses = ck_session_new();
	memset(seqs, 0, sizeof(seqs));
	header();
	dio_write(10 * MS, false);
	dio_many_extents(20 * MS, 5, false);
	assert_int_equal(result("conversion_before_completion")->status,
			 CK_FAIL);
	done();
}

static void test_latency_and_json(void **state)
{
	struct checker_result *res = calloc(1, sizeof(*res));
	struct broken b = { 0 };

	(void)state;
	history(&b);
	checker_result_from_session(ses, res);
	assert_int_equal(res->lat[OP_WRITE].n, 1);
	assert_int_equal(res->lat[OP_WRITE].p99, MS);
	assert_int_equal(res->lat[OP_FSYNC].max, MS);
	assert_int_equal(checker_exit_status(res), 0);
	res->inv[1].status = CK_FAIL;
	assert_int_equal(checker_exit_status(res), 1);
	free(res);
	done();
}

static void test_percentile(void **state)
{
	uint64_t v[100];
	unsigned i;

	(void)state;
	for (i = 0; i < 100; i++)
		v[i] = i + 1;
	assert_int_equal(ck_percentile(v, 100, 50), 50);
	assert_int_equal(ck_percentile(v, 100, 99), 99);
	assert_int_equal(ck_percentile(v, 100, 100), 100);
	assert_int_equal(ck_percentile(v, 1, 99), 1);
	assert_int_equal(ck_percentile(v, 0, 99), 0);
}

static void test_event_names(void **state)
{
	(void)state;
	assert_int_equal(ck_evid_from_name("iorace:op_submit"), EV_OP_SUBMIT);
	assert_int_equal(ck_evid_from_name("op_submit"), EV_UNKNOWN);
	assert_int_equal(ck_evid_from_name("ext4:ext4_truncate_enter"),
			 EV_EXT4_TRUNCATE_ENTER);
	assert_int_equal(ck_evid_from_name("jbd2_end_commit"),
			 EV_JBD2_END_COMMIT);
	assert_int_equal(ck_evid_from_name("iorace:jbd2_end_commit"),
			 EV_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_passes),
		cmocka_unit_test(test_oracle_fails),
		cmocka_unit_test(test_conversion_fails),
		cmocka_unit_test(test_truncate_wait_fails),
		cmocka_unit_test(test_sync_commit_fails),
		cmocka_unit_test(test_sync_commit_run_stats),
		cmocka_unit_test(test_fsync_after_unwritten_alloc),
		cmocka_unit_test(test_seq_gap_inconclusive),
		cmocka_unit_test(test_gap_hides_failure),
		cmocka_unit_test(test_no_kernel_not_applicable),
		cmocka_unit_test(test_kernel_lost_inconclusive),
		cmocka_unit_test(test_many_extents),
		cmocka_unit_test(test_latency_and_json),
		cmocka_unit_test(test_percentile),
		cmocka_unit_test(test_event_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
