// SPDX-License-Identifier: GPL-2.0
/*
 * The online oracle's judging of reads across streams (replay/exec.c):
 * a completion reaped by one stream binds a read another stream submitted
 * after the reap, even when the reaping stream registers it with the
 * oracle only after the read completed (issue 11 §3: online PASS, trace
 * LOST on hole-fill-read under a late-conversion kernel).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/util.h"
#include "replay/engine.h"
#include "replay/run_internal.h"
#include "model/stamp.h"

#define SEED 0x5eedull
#define BS   4096u

static struct run *r;
static struct run_opts ropts;
static struct plan_op pop_w, pop_r;
static struct io_req qw, qr;

static int setup(void **state)
{
	uint64_t size = 1 << 20;

	(void)state;
	r = xcalloc(1, sizeof(*r));
	memset(&ropts, 0, sizeof(ropts));
	r->opts = &ropts;
	pthread_mutex_init(&r->lock, NULL);
	r->oracle = oracle_new(1, &size, SEED);
	findings_init(&r->findings);
	r->files = xcalloc(1, sizeof(*r->files));
	r->nfiles = 1;
	r->files[0].initial_size = size;
	r->streams = xcalloc(2, sizeof(*r->streams));
	r->nstreams = 2;
	for (unsigned i = 0; i < 2; i++)
		r->streams[i].r = r;
	pop_w = (struct plan_op){ .id = 1090,
				  .kind = OP_WRITE,
				  .off = 0,
				  .len = BS,
				  .flags = OPF_DIRECT };
	pop_r = (struct plan_op){ .id = 1579,
				  .kind = OP_READ,
				  .off = 0,
				  .len = BS,
				  .flags = OPF_DIRECT };
	qw = (struct io_req){
		.op_id = pop_w.id, .is_write = true, .len = BS, .priv = &pop_w
	};
	qr = (struct io_req){ .op_id = pop_r.id, .len = BS, .priv = &pop_r };
	qw.buf = xcalloc(1, BS);
	qr.buf = xcalloc(1, BS); /* the read returns zeros */
	stamp_fill(qw.buf, 0, 0, BS / SECTOR_SIZE, pop_w.id, SEED);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pthread_mutex_lock(&r->lock);
	run_judge_held(r, true);
	pthread_mutex_unlock(&r->lock);
	oracle_free(r->oracle);
	findings_free(&r->findings);
	for (unsigned k = 0; k < OP_NKINDS; k++)
		free(r->lat[k].v);
	free(r->files);
	free(r->streams);
	free(qw.buf);
	free(qr.buf);
	pthread_mutex_destroy(&r->lock);
	free(r);
	return 0;
}

static uint64_t after(uint64_t t)
{
	uint64_t n;

	while ((n = now_ns()) <= t)
		;
	return n;
}

static void submit(struct io_req *q, struct plan_op *op, uint64_t ts)
{
	struct oracle_op oo = { .id = op->id,
				.kind = op->kind,
				.file = 0,
				.flags = op->flags,
				.off = op->off,
				.len = op->len,
				.t_submit = ts };

	q->t_submit = ts;
	pthread_mutex_lock(&r->lock);
	if (op->kind == OP_WRITE)
		atomic_fetch_add(&r->files[0].writes_inflight, 1);
	run_op_submitted(r, &oo, op->kind);
	pthread_mutex_unlock(&r->lock);
}

/*
 * Stream A reaps write W; stream B then submits read R, which completes
 * with zeros (the late-conversion kernel), and B registers R before A
 * registers W. W's completion was reported before R was submitted: LOST.
 * The old code judged R at B's registration, not knowing W completed: 0
 * findings, while the trace checker (same timestamps, sorted) said LOST.
 */
static void test_reaped_write_binds_later_read(void **state)
{
	struct stream_state *a = &r->streams[0], *b = &r->streams[1];
	uint64_t ta;

	(void)state;
	submit(&qw, &pop_w, now_ns());
	ta = run_completions_reaped(a);
	qw.t_complete = ta;
	qw.res = BS;

	submit(&qr, &pop_r, after(ta));
	qr.t_complete = run_completions_reaped(b);
	qr.res = BS;
	run_io_complete(r, &qr);
	run_completions_registered(b);
	/* not judged yet: A holds a completion from before R's submission */
	assert_int_equal(r->nheld, 1);
	assert_int_equal(findings_total(&r->findings), 0);

	run_io_complete(r, &qw);
	run_completions_registered(a);
	assert_int_equal(r->nheld, 0);
	assert_int_equal(findings_total(&r->findings), 1);
	assert_int_equal(r->findings.v[0].cls, F_LOST);
	assert_int_equal(r->findings.v[0].op_id, pop_r.id);
	assert_int_equal(r->findings.v[0].off, 0);
	assert_int_equal(r->findings.v[0].len, BS);
	assert_non_null(strstr(r->findings.v[0].expected, "gen 1090"));
	assert_string_equal(r->findings.v[0].seen, "zeros");
}

/* The same read returning W's data is legal, also when held. */
static void test_held_read_with_data_passes(void **state)
{
	struct stream_state *a = &r->streams[0], *b = &r->streams[1];
	uint64_t ta;

	(void)state;
	submit(&qw, &pop_w, now_ns());
	ta = run_completions_reaped(a);
	qw.t_complete = ta;
	qw.res = BS;
	memcpy(qr.buf, qw.buf, BS);
	submit(&qr, &pop_r, after(ta));
	qr.t_complete = run_completions_reaped(b);
	qr.res = BS;
	run_io_complete(r, &qr);
	run_completions_registered(b);
	assert_int_equal(r->nheld, 1);
	run_io_complete(r, &qw);
	run_completions_registered(a);
	assert_int_equal(r->nheld, 0);
	assert_int_equal(findings_total(&r->findings), 0);
	assert_true(atomic_load(&r->sectors_verified) == BS / SECTOR_SIZE);
}

/*
 * R submitted before A reaped W: W was in flight for R, zeros are legal,
 * and R is judged at once (nothing reaped before its submission waits).
 */
static void test_read_before_reap_zeros_legal(void **state)
{
	struct stream_state *a = &r->streams[0], *b = &r->streams[1];
	uint64_t ts;

	(void)state;
	submit(&qw, &pop_w, now_ns());
	ts = after(qw.t_submit);
	submit(&qr, &pop_r, ts);
	qw.t_complete = run_completions_reaped(a);
	qw.res = BS;
	assert_true(qw.t_complete > ts);
	qr.t_complete = run_completions_reaped(b);
	qr.res = BS;
	run_io_complete(r, &qr);
	run_completions_registered(b);
	assert_int_equal(r->nheld, 0);
	assert_int_equal(findings_total(&r->findings), 0);
	run_io_complete(r, &qw);
	run_completions_registered(a);
	assert_int_equal(findings_total(&r->findings), 0);
}

/* A read held at the end of a stage is judged by the final flush. */
static void test_flush_judges_held(void **state)
{
	struct stream_state *a = &r->streams[0], *b = &r->streams[1];
	uint64_t ta;

	(void)state;
	submit(&qw, &pop_w, now_ns());
	ta = run_completions_reaped(a);
	qw.t_complete = ta;
	qw.res = BS;
	submit(&qr, &pop_r, after(ta));
	qr.t_complete = run_completions_reaped(b);
	qr.res = BS;
	run_io_complete(r, &qr);
	run_completions_registered(b);
	run_io_complete(r, &qw);
	/* A registered W but never said so: the flush still judges R */
	assert_int_equal(r->nheld, 1);
	pthread_mutex_lock(&r->lock);
	run_judge_held(r, true);
	pthread_mutex_unlock(&r->lock);
	assert_int_equal(r->nheld, 0);
	assert_int_equal(findings_total(&r->findings), 1);
	assert_int_equal(r->findings.v[0].cls, F_LOST);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_reaped_write_binds_later_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_held_read_with_data_passes,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_read_before_reap_zeros_legal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flush_judges_held, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
