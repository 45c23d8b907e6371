// SPDX-License-Identifier: GPL-2.0
/*
 * The checker session: keeps the run facts and the op table every
 * invariant shares, dispatches each event (in time order) to every
 * invariant, and at the end applies completeness to the statuses: an
 * incomplete trace can never pass.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker/checker.h"
#include "common/util.h"

#define CK_INV_PTR(n) &inv_##n##_ops,
const struct ck_inv_ops *const ck_invariants[CK_NINV + 1] = {
	CK_INVARIANTS(CK_INV_PTR) NULL,
};
#undef CK_INV_PTR
_Static_assert(ARRAY_SIZE(ck_invariants) == CK_NINV + 1,
	       "CK_NINV is the invariant table's length");

struct ck_ctx *ck_ctx_new(void)
{
	struct ck_ctx *ctx = xcalloc(1, sizeof(*ctx));

	ctx->blocksize = 4096;
	ctx->ust_complete = ctx->kernel_complete = true;
	findings_init(&ctx->findings);
	return ctx;
}

void ck_ctx_free(struct ck_ctx *ctx)
{
	if (!ctx)
		return;
	free(ctx->initial_size);
	free(ctx->inode);
	free(ctx->ops);
	findings_free(&ctx->findings);
	free(ctx);
}

static size_t op_hash(uint64_t id, size_t cap)
{
	return (size_t)((id * 0x9e3779b97f4a7c15ull) >> 17) & (cap - 1);
}

struct ck_op *ck_op_find(struct ck_ctx *ctx, uint64_t id)
{
	size_t i;

	if (!ctx->ops_cap)
		return NULL;
	for (i = op_hash(id, ctx->ops_cap);; i = (i + 1) & (ctx->ops_cap - 1)) {
		if (!ctx->ops[i].used)
			return NULL;
		if (ctx->ops[i].id == id)
			return &ctx->ops[i];
	}
}

static struct ck_op *op_insert(struct ck_ctx *ctx, uint64_t id)
{
	struct ck_op *op;
	size_t i;

	if ((ctx->nops + 1) * 2 > ctx->ops_cap) {
		struct ck_op *old = ctx->ops;
		size_t oldcap = ctx->ops_cap, j;

		ctx->ops_cap = oldcap ? oldcap * 2 : 1024;
		ctx->ops = xcalloc(ctx->ops_cap, sizeof(*ctx->ops));
		for (j = 0; j < oldcap; j++) {
			if (!old[j].used)
				continue;
			for (i = op_hash(old[j].id, ctx->ops_cap);
			     ctx->ops[i].used; i = (i + 1) & (ctx->ops_cap - 1))
				;
			ctx->ops[i] = old[j];
		}
		free(old);
	}
	op = ck_op_find(ctx, id);
	if (op)
		return op;
	for (i = op_hash(id, ctx->ops_cap); ctx->ops[i].used;
	     i = (i + 1) & (ctx->ops_cap - 1))
		;
	op = &ctx->ops[i];
	op->id = id;
	op->used = true;
	ctx->nops++;
	return op;
}

int ck_file_of_inode(const struct ck_ctx *ctx, uint64_t ino)
{
	unsigned i;

	for (i = 0; i < ctx->nfiles; i++)
		if (ctx->inode[i] == ino && ino)
			return (int)i;
	return -1;
}

bool ck_kernel_dev_ok(const struct ck_ctx *ctx, const struct ck_event *ev)
{
	if (!ctx->dev || !ck_has(ev, FK_DEV))
		return true;
	return ck_u(ev, FK_DEV) == ctx->dev;
}

void ck_op_cite(struct ck_evidence *e, const struct ck_op *op, bool complete)
{
	struct ck_cite *c;

	if (!e || e->ncite >= CK_CITE_MAX)
		return;
	c = &e->cite[e->ncite++];
	if (complete) {
		c->t = op->ev_t_complete;
		snprintf(c->text, sizeof(c->text),
			 "iorace:op_complete {id=%" PRIu64
			 ", kind=%s, res=%" PRId64 ", t=%" PRIu64 "}",
			 op->id, op_kind_name(op->kind), op->res,
			 op->t_complete);
	} else {
		c->t = op->ev_t_submit;
		snprintf(c->text, sizeof(c->text),
			 "iorace:op_submit {id=%" PRIu64
			 ", kind=%s, file=%u, inode=%" PRIu64 ", off=%" PRIu64
			 ", len=%" PRIu64 ", flags=0x%x, t=%" PRIu64 "}",
			 op->id, op_kind_name(op->kind), op->file, op->inode,
			 op->off, op->len, op->flags, op->t_submit);
	}
}

static void ctx_set_nfiles(struct ck_ctx *ctx, unsigned n)
{
	unsigned i;

	if (n <= ctx->nfiles)
		return;
	ctx->initial_size = xrealloc(ctx->initial_size, n * sizeof(uint64_t));
	ctx->inode = xrealloc(ctx->inode, n * sizeof(uint64_t));
	for (i = ctx->nfiles; i < n; i++)
		ctx->initial_size[i] = ctx->inode[i] = 0;
	ctx->nfiles = n;
}

/* Per-thread sequence tracking: order-independent (min, max, count). */
struct seqtrack {
	int64_t key;
	uint64_t min, max, count;
	bool used;
};

struct ck_session {
	struct ck_ctx *ctx;
	void *st[CK_NINV];
	struct ck_inv_result res[CK_NINV];
	struct seqtrack *seq;
	size_t nseq, seqcap; /* seqcap: power of two */
	uint64_t devcount[8], devval[8];
	int64_t dio_tid; /* last iomap_dio_rw_begin: thread and pos */
	uint64_t dio_pos;
	/* recent DIO write submissions, for the block size without iomap */
	struct {
		int64_t tid;
		uint64_t ino, off, len;
	} sub[2048];
	unsigned nsub;
	bool finished;
};

struct ck_session *ck_session_new(void)
{
	struct ck_session *s = xcalloc(1, sizeof(*s));
	unsigned i;

	s->ctx = ck_ctx_new();
	s->dio_tid = -2;
	for (i = 0; i < CK_NINV; i++) {
		s->res[i].name = ck_invariants[i]->name;
		s->res[i].description = ck_invariants[i]->description;
		s->res[i].status = CK_NA;
		s->st[i] = ck_invariants[i]->init(s->ctx, &s->res[i]);
	}
	return s;
}

struct ck_ctx *ck_session_ctx(struct ck_session *s)
{
	return s->ctx;
}

static void seq_note(struct ck_session *s, int64_t key, uint64_t seq)
{
	struct seqtrack *t;
	size_t i;

	if ((s->nseq + 1) * 2 > s->seqcap) {
		struct seqtrack *old = s->seq;
		size_t oc = s->seqcap, j;

		s->seqcap = oc ? oc * 2 : 64;
		s->seq = xcalloc(s->seqcap, sizeof(*s->seq));
		for (j = 0; j < oc; j++) {
			if (!old[j].used)
				continue;
			i = op_hash((uint64_t)old[j].key, s->seqcap);
			while (s->seq[i].used)
				i = (i + 1) & (s->seqcap - 1);
			s->seq[i] = old[j];
		}
		free(old);
	}
	i = op_hash((uint64_t)key, s->seqcap);
	while (s->seq[i].used && s->seq[i].key != key)
		i = (i + 1) & (s->seqcap - 1);
	t = &s->seq[i];
	if (!t->used) {
		t->used = true;
		t->key = key;
		t->min = t->max = seq;
		s->nseq++;
	}
	t->min = MIN(t->min, seq);
	t->max = MAX(t->max, seq);
	t->count++;
}

/* Learn the scratch fs's dev from ext4 events on the run's inodes. */
static void dev_note(struct ck_session *s, const struct ck_event *ev)
{
	uint64_t dev = ck_u(ev, FK_DEV);
	unsigned i;

	if (s->ctx->dev || ck_file_of_inode(s->ctx, ck_u(ev, FK_INO)) < 0)
		return;
	for (i = 0; i < ARRAY_SIZE(s->devval); i++) {
		if (!s->devcount[i])
			s->devval[i] = dev;
		if (s->devval[i] != dev)
			continue;
		/* a few hits on our inodes settle it */
		if (++s->devcount[i] >= 4)
			s->ctx->dev = dev;
		return;
	}
}

static void blocksize_note(struct ck_session *s, const struct ck_event *ev)
{
	struct ck_ctx *ctx = s->ctx;
	uint64_t lblk, bs;

	if (ck_id(ev) == EV_IOMAP_DIO_RW_BEGIN) {
		s->dio_tid = ev->tid;
		s->dio_pos = ck_u(ev, FK_POS);
		return;
	}
	lblk = ck_u(ev, FK_LBLK);
	if (ev->tid != s->dio_tid || !lblk || s->dio_pos % lblk)
		return;
	bs = s->dio_pos / lblk;
	if (bs >= 512 && bs <= 65536 && !(bs & (bs - 1))) {
		ctx->blocksize = (uint32_t)bs;
		ctx->blocksize_known = true;
	}
	s->dio_tid = -2;
}

/*
 * Without iomap events (6.1): a DIO write's first ext4 map in the thread
 * that submitted it asks for lblk = off / bs, len = bytes / bs.
 */
static void blocksize_from_map(struct ck_session *s, const struct ck_event *ev)
{
	uint64_t lblk = ck_u(ev, FK_LBLK), n = ck_u(ev, FK_LEN), bs;
	unsigned i, nfound = 0;
	uint64_t found = 0;

	if (!lblk || !n || !((uint32_t)ck_u(ev, FK_FLAGS) & 0x1u))
		return;
	for (i = 0; i < MIN(s->nsub, ARRAY_SIZE(s->sub)); i++) {
		if (s->sub[i].tid != ev->tid ||
		    s->sub[i].ino != ck_u(ev, FK_INO))
			continue;
		for (bs = 512; bs <= 65536; bs *= 2) {
			if (s->sub[i].off != lblk * bs ||
			    s->sub[i].len != n * bs || found == bs)
				continue;
			found = bs;
			nfound++;
		}
	}
	if (nfound == 1) {
		s->ctx->blocksize = (uint32_t)found;
		s->ctx->blocksize_known = true;
	}
}

int ck_session_event(void *session, const struct ck_event *ev)
{
	struct ck_session *s = session;
	struct ck_ctx *ctx = s->ctx;
	enum ck_evid id = ck_id(ev);
	struct ck_op *op;
	unsigned i;

	if (id >= EV_FIRST_KERNEL) {
		ctx->kseen[id] = true;
		ctx->kernel_trace = true;
		if (ck_has(ev, FK_DEV) && ck_has(ev, FK_INO) &&
		    !strncmp(ck_evid_name(id), "ext4_", 5))
			dev_note(s, ev);
		if (!ctx->blocksize_known &&
		    (id == EV_IOMAP_DIO_RW_BEGIN ||
		     id == EV_EXT4_MAP_BLOCKS_ENTER) &&
		    ck_kernel_dev_ok(ctx, ev))
			blocksize_note(s, ev);
		if (!ctx->blocksize_known && id == EV_EXT4_MAP_BLOCKS_ENTER &&
		    ck_kernel_dev_ok(ctx, ev))
			blocksize_from_map(s, ev);
	} else if (id != EV_UNKNOWN && ck_has(ev, FK_SEQ)) {
		if (ck_has(ev, FK_BLOCKSIZE) && ck_u(ev, FK_BLOCKSIZE)) {
			ctx->blocksize = (uint32_t)ck_u(ev, FK_BLOCKSIZE);
			ctx->blocksize_known = true;
		}
		seq_note(s, ev->tid >= 0 ? ev->tid : -1 - (int64_t)ev->stream,
			 ck_u(ev, FK_SEQ));
	}

	switch (id) {
	case EV_KERNEL_STATS:
		ctx->kernel_lost += ck_u(ev, FK_LOST);
		break;
	case EV_RUN_INFO:
		ctx->have_run_info = true;
		ctx->seed = ck_u(ev, FK_SEED);
		ctx_set_nfiles(ctx, (unsigned)ck_u(ev, FK_NFILES));
		if (ck_has(ev, FK_DEV) && ck_u(ev, FK_DEV))
			ctx->dev = ck_u(ev, FK_DEV);
		break;
	case EV_FILE_INFO:
		i = (unsigned)ck_u(ev, FK_FILE);
		if (i < 65536) {
			ctx_set_nfiles(ctx, i + 1);
			ctx->inode[i] = ck_u(ev, FK_INODE);
			ctx->initial_size[i] = ck_u(ev, FK_INITIAL_SIZE);
		}
		break;
	case EV_OP_SUBMIT:
		op = op_insert(ctx, ck_u(ev, FK_ID));
		op->kind = (int)ck_u(ev, FK_KIND);
		op->file = (uint32_t)ck_u(ev, FK_FILE);
		op->inode = ck_u(ev, FK_INODE);
		op->off = ck_u(ev, FK_OFF);
		op->len = ck_u(ev, FK_LEN);
		op->flags = (uint32_t)ck_u(ev, FK_FLAGS);
		op->t_submit = ck_has(ev, FK_T) ? ck_u(ev, FK_T) : ev->t;
		op->ev_t_submit = ev->t ? ev->t : 1;
		if (op->kind == OP_WRITE && (op->flags & OPF_DIRECT) &&
		    !ctx->blocksize_known) {
			i = s->nsub++ % ARRAY_SIZE(s->sub);
			s->sub[i].tid = ev->tid;
			s->sub[i].ino = op->inode;
			s->sub[i].off = op->off;
			s->sub[i].len = op->len;
		}
		break;
	case EV_OP_COMPLETE:
		op = ck_op_find(ctx, ck_u(ev, FK_ID));
		if (!op)
			break;
		op->res = ck_s(ev, FK_RES);
		op->t_complete = ck_has(ev, FK_T) ? ck_u(ev, FK_T) : ev->t;
		op->ev_t_complete = ev->t;
		op->completed = true;
		break;
	default:
		break;
	}
	for (i = 0; i < CK_NINV; i++)
		if (ck_invariants[i]->event)
			ck_invariants[i]->event(s->st[i], ctx, ev);
	return 0;
}

static uint64_t seq_gaps(const struct ck_session *s)
{
	uint64_t gaps = 0;
	size_t i;

	for (i = 0; i < s->seqcap; i++) {
		const struct seqtrack *t = &s->seq[i];

		if (!t->used)
			continue;
		/* seq runs 0, 1, 2, ... per thread: count what is missing */
		if (t->max + 1 > t->count)
			gaps += t->max + 1 - t->count;
	}
	return gaps;
}

static int inv_index(const struct ck_inv_ops *ops)
{
	int i;

	for (i = 0; i < CK_NINV; i++)
		if (ck_invariants[i] == ops)
			return i;
	return -1;
}

void ck_session_finish(struct ck_session *s)
{
	struct ck_ctx *ctx = s->ctx;
	int ci = inv_index(&inv_completeness_ops);
	unsigned i;

	if (s->finished)
		return;
	s->finished = true;
	ctx->seq_gaps = seq_gaps(s);
	ctx->ust_complete = !ctx->seq_gaps && !ctx->rs.discarded_msgs &&
			    !ctx->rs.discarded_events &&
			    !ctx->rs.discarded_packets;
	ctx->kernel_complete = ctx->ust_complete && !ctx->kernel_lost;

	/* completeness first: the others depend on it */
	for (i = 0; i < CK_NINV + 1; i++) {
		unsigned k = i == 0 ? (unsigned)ci : i - 1;
		struct ck_inv_result *r = &s->res[k];
		const struct ck_inv_ops *ops = ck_invariants[k];

		if (i > 0 && (int)k == ci)
			continue;
		ops->finish(s->st[k], ctx, r);
		if ((int)k == ci)
			continue;
		if (ops->kernel && !ctx->kernel_trace) {
			r->status = CK_NA;
			snprintf(r->note, sizeof(r->note),
				 "no kernel events in the trace");
			continue;
		}
		if (!ctx->ust_complete ||
		    (ops->kernel && !ctx->kernel_complete)) {
			if (r->status == CK_PASS || r->status == CK_FAIL) {
				char old[sizeof(r->note)];

				snprintf(old, sizeof(old), "%s", r->note);
				snprintf(
					r->note, sizeof(r->note),
					"trace incomplete (would be %s%s%.180s)",
					ck_status_name(r->status),
					old[0] ? ": " : "", old);
				r->status = CK_INCONCLUSIVE;
			}
		}
	}
}

const struct ck_inv_result *ck_session_result(const struct ck_session *s,
					      unsigned i)
{
	return i < CK_NINV ? &s->res[i] : NULL;
}

void ck_session_free(struct ck_session *s)
{
	unsigned i;

	if (!s)
		return;
	for (i = 0; i < CK_NINV; i++)
		if (ck_invariants[i]->free)
			ck_invariants[i]->free(s->st[i]);
	free(s->seq);
	ck_ctx_free(s->ctx);
	free(s);
}
