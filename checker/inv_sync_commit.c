// SPDX-License-Identifier: GPL-2.0
/*
 * Invariant 4, O_DSYNC and fsync: when an op needed a journal commit, a
 * jbd2 commit ended after the metadata change and before the op returned.
 *
 *  - O_DSYNC write: needs a commit when the kernel converted or allocated
 *    blocks of its range during its lifetime; M = the last such event.
 *  - fsync/fdatasync: needs a commit when any extent/size change on the
 *    inode happened before the sync started (ext4_sync_file_enter, else the
 *    op's submission); M = the last such change. Allocations of unwritten
 *    blocks do not count (see unwritten_alloc()).
 *
 * A commit qualifies when its end (jbd2_run_stats, traced just before
 * j_commit_sequence moves, else jbd2_end_commit) on the scratch fs comes after
 * M and before the op's completion, for a transaction no older than the last
 * one that started committing before M (M's handle may belong to that one: its
 * start_commit is traced before it waits for handles).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker/internal.h"
#include "common/util.h"

struct commit {
	uint64_t t;
	uint64_t tid;
	uint64_t dev;
	struct ck_event ev;
};

struct sc_state {
	struct ck_filelists meta;  /* metadata changes per file */
	struct ck_filelists syncs; /* ext4_sync_file_enter per file */
	struct commit *starts, *ends;
	size_t nstarts, scap, nends, ecap;
	uint64_t fsyncs, dsyncs;
	struct ck_inv_result *r;
};

static void *sc_init(struct ck_ctx *ctx, struct ck_inv_result *r)
{
	struct sc_state *s = xcalloc(1, sizeof(*s));

	(void)ctx;
	s->r = r;
	return s;
}

static bool dev_ok(const struct ck_ctx *ctx, const struct commit *c)
{
	return !ctx->dev || c->dev == ctx->dev;
}

/* Last start_commit before t on the scratch fs (its tid), or 0. */
static uint64_t tid_before(struct sc_state *s, struct ck_ctx *ctx, uint64_t t)
{
	size_t i = s->nstarts;

	while (i--)
		if (s->starts[i].t < t && dev_ok(ctx, &s->starts[i]))
			return s->starts[i].tid;
	return 0;
}

static const struct commit *find_commit(struct sc_state *s, struct ck_ctx *ctx,
					uint64_t after, uint64_t before,
					uint64_t min_tid)
{
	size_t lo = 0, hi = s->nends;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->ends[mid].t <= after)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < s->nends && s->ends[lo].t < before; lo++)
		if (dev_ok(ctx, &s->ends[lo]) && s->ends[lo].tid >= min_tid)
			return &s->ends[lo];
	return NULL;
}

/* Nearest commit end after t (for evidence), any tid. */
static const struct commit *next_commit(struct sc_state *s, struct ck_ctx *ctx,
					uint64_t t)
{
	size_t i;

	for (i = 0; i < s->nends; i++)
		if (s->ends[i].t > t && dev_ok(ctx, &s->ends[i]))
			return &s->ends[i];
	return NULL;
}

/*
 * An allocation of unwritten blocks needs no commit from a sync: unwritten
 * blocks read as zeros whether the allocation is on disk or not, and a
 * write into them that completed before the sync began was converted
 * before it completed (a conversion event of its own, which does count;
 * conversion_before_completion checks that order). What such an allocation
 * serves is a write still in flight, which no sync promises. 6.1's
 * ext4_ext_map_blocks records it for fsync (ext4_update_inode_fsync_trans(
 * ..., 0) when EXT4_GET_BLOCKS_UNWRIT_EXT), but a 6.18 host was seen
 * returning an fsync in 0.2 ms, with no commit, right after the
 * unwritten allocation of a DIO write still in flight: requiring one was
 * a false FAIL.
 */
static bool unwritten_alloc(const struct ck_xent *x)
{
	return x->evid == EV_EXT4_MAP_BLOCKS_EXIT && (x->flags & K_GB_UNWRIT) &&
	       !(x->flags & K_GB_CONVERT);
}

static void check_op(struct sc_state *s, struct ck_ctx *ctx,
		     const struct ck_op *op)
{
	struct ck_xlist *ml, *sl;
	const struct ck_xent *m = NULL;
	const struct commit *c;
	struct ck_evidence *e;
	uint64_t t_sync = op->t_submit;
	size_t i;

	if (op->file >= 65536 || op->res < 0)
		return;
	ml = ck_filelist(&s->meta, op->file);
	if (op->kind == OP_WRITE && (op->flags & OPF_DSYNC)) {
		uint64_t bs = ctx->blocksize, b0, b1, n;
		bool *cov;

		if (op->res <= 0)
			return;
		s->dsyncs++;
		b0 = op->off / bs;
		b1 = (op->off + (uint64_t)op->res - 1) / bs;
		n = b1 - b0 + 1;
		if (n > 65536)
			return;
		cov = xcalloc(n, sizeof(bool));
		m = ck_xlist_cover(ml, op->inode, op->t_submit, op->t_complete,
				   b0, b1, cov);
		free(cov);
	} else if (op->kind == OP_FSYNC || op->kind == OP_FDATASYNC) {
		s->fsyncs++;
		sl = ck_filelist(&s->syncs, op->file);
		i = ck_xlist_lower(sl, op->t_submit);
		if (i < sl->n && sl->v[i].t < op->t_complete)
			t_sync = sl->v[i].t;
		i = ck_xlist_lower(ml, t_sync);
		while (i--) {
			if (ml->v[i].ino == op->inode &&
			    !unwritten_alloc(&ml->v[i])) {
				m = &ml->v[i];
				break;
			}
		}
	} else {
		return;
	}
	if (!m)
		return;
	s->r->checked++;
	c = find_commit(s, ctx, m->t, op->t_complete, tid_before(s, ctx, m->t));
	if (c)
		return;
	e = ck_evidence_add(s->r,
			    "%s %" PRIu64 " on ino %" PRIu64
			    " returned without a jbd2 commit after the "
			    "metadata change it depends on",
			    op->kind == OP_WRITE ? "O_DSYNC write" :
						   op_kind_name(op->kind),
			    op->id, op->inode);
	ck_op_cite(e, op, false);
	ck_xent_cite(e, m);
	ck_op_cite(e, op, true);
	c = next_commit(s, ctx, m->t);
	if (c)
		ck_evidence_cite(e, &c->ev);
}

static void add_commit(struct commit **v, size_t *n, size_t *cap,
		       const struct ck_event *ev)
{
	struct commit *c;

	grow_array((void **)v, cap, *n + 1, sizeof(**v));
	c = &(*v)[(*n)++];
	c->t = ev->t;
	c->tid = ck_u(ev, FK_TRANSACTION);
	c->dev = ck_u(ev, FK_DEV);
	ck_event_copy(&c->ev, ev);
}

static void sc_event(void *st, struct ck_ctx *ctx, const struct ck_event *ev)
{
	struct sc_state *s = st;
	enum ck_evid id = ck_id(ev);
	struct ck_xent x;
	struct ck_op *op;
	int f;

	switch (id) {
	case EV_OP_COMPLETE:
		op = ck_op_find(ctx, ck_u(ev, FK_ID));
		if (op)
			check_op(s, ctx, op);
		return;
	case EV_JBD2_START_COMMIT:
		add_commit(&s->starts, &s->nstarts, &s->scap, ev);
		return;
	case EV_JBD2_RUN_STATS:
	case EV_JBD2_END_COMMIT:
		/*
		 * jbd2_run_stats is traced before j_commit_sequence is set
		 * and jbd2_end_commit after the state lock is dropped again:
		 * a fsync on another CPU may see the transaction committed
		 * and return in between (measured under load). Either event
		 * ends the commit; the earlier one counts.
		 */
		add_commit(&s->ends, &s->nends, &s->ecap, ev);
		return;
	default:
		break;
	}
	if (id < EV_FIRST_KERNEL || !ck_kernel_dev_ok(ctx, ev))
		return;
	f = ck_file_of_inode(ctx, ck_u(ev, FK_INO));
	if (f < 0)
		return;
	if (id == EV_EXT4_SYNC_FILE_ENTER) {
		memset(&x, 0, sizeof(x));
		x.t = ev->t;
		x.ino = ck_u(ev, FK_INO);
		x.evid = (uint16_t)id;
		ck_xlist_add(ck_filelist(&s->syncs, (unsigned)f), &x);
	} else if (ck_metadata_change(ev, &x)) {
		ck_xlist_add(ck_filelist(&s->meta, (unsigned)f), &x);
	}
}

static void sc_finish(void *st, struct ck_ctx *ctx, struct ck_inv_result *r)
{
	struct sc_state *s = st;

	if (r->checked && (ctx->kmissing[EV_JBD2_END_COMMIT] ||
			   !ctx->kseen[EV_JBD2_END_COMMIT])) {
		r->status = CK_INCONCLUSIVE;
		snprintf(r->note, sizeof(r->note),
			 "jbd2 commit events not recorded");
	} else if (r->failed) {
		r->status = CK_FAIL;
	} else if (!r->checked) {
		r->status = CK_NA;
		snprintf(r->note, sizeof(r->note),
			 "%" PRIu64 " fsync/fdatasync, %" PRIu64
			 " O_DSYNC writes; none needed a commit",
			 s->fsyncs, s->dsyncs);
	} else {
		r->status = CK_PASS;
		snprintf(r->note, sizeof(r->note),
			 "%" PRIu64 " of %" PRIu64
			 " syncing ops needed a commit "
			 "and got one",
			 r->checked, s->fsyncs + s->dsyncs);
	}
}

static void sc_free(void *st)
{
	struct sc_state *s = st;

	ck_filelists_free(&s->meta);
	ck_filelists_free(&s->syncs);
	free(s->starts);
	free(s->ends);
	free(s);
}

const struct ck_inv_ops inv_sync_commit_ops = {
	.name = "sync_commit",
	.description = "an O_DSYNC write or fsync that needed a journal commit "
		       "returns only after a jbd2 commit that follows the "
		       "conversion/metadata change",
	.kernel = true,
	.init = sc_init,
	.event = sc_event,
	.finish = sc_finish,
	.free = sc_free,
};
