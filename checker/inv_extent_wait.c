// SPDX-License-Identifier: GPL-2.0
/*
 * Invariant 3, extent-changing operations wait for DIO (extent_ops_wait_dio,
 * called truncate_waits_dio before it covered more than truncate and
 * punch): truncate, punch, zero_range, collapse_range, insert_range and
 * fallocate each call inode_dio_wait() under i_rwsem before touching
 * extents. Every DIO write on the inode that entered the kernel
 * (iomap_dio_rw_begin) before the op's kernel event (ext4_truncate_enter,
 * ext4_punch_hole, ext4_zero_range, ext4_collapse_range, ext4_insert_range,
 * ext4_fallocate_enter) must have completed in the kernel before it, and
 * none may begin between ext4_truncate_enter and ext4_truncate_exit (the
 * only op whose enter and exit events are both inside i_rwsem). The op
 * events are the kernel's, so a kind is checked whether or not iorace's
 * own ops include it (another program's collapse on a run file counts).
 *
 * "Completed in the kernel": iomap_dio_complete is traced after
 * inode_dio_end(), so on its own it may legally trail the op by a hair. A
 * DIO whose unwritten conversion (ext4 end_io, which runs before
 * inode_dio_end) was traced before the op counts as completed; one with
 * neither before the op and whose iomap_dio_complete comes after it is a
 * violation. A DIO whose completion is never traced is counted as
 * skipped, never as a failure.
 *
 * Without iomap events (6.1), whose ext4_punch_hole, ext4_zero_range,
 * ext4_collapse_range, ext4_insert_range and ext4_fallocate_enter all fire
 * before the op's inode_lock() and inode_dio_wait(), the anchor is the
 * first event of the op's thread that comes after the wait:
 *  - truncate, punch, collapse_range: ext4_ext_remove_space [start, end];
 *  - zero_range, fallocate: the first allocating ext4_ext_map_blocks_enter
 *    of the op's thread on the inode (ext4_alloc_file_blocks), over the
 *    op's blocks;
 *  - insert_range: the op thread's ext4_es_remove_extent on the inode
 *    (just before the shift), over the op's offset to EOF.
 * An op event that never gets its anchor while DIO writes of the run were
 * in flight on the file (e.g. a fallocate of blocks already allocated,
 * which maps nothing) is counted and makes the result inconclusive. At
 * the anchor the DIOs of the op stream in flight on the anchor's blocks
 * are seen through struct ck_kwrites. Each one either has nothing left in
 * the kernel (its unwritten blocks converted, no write request on its
 * sectors in flight), or is not in the kernel yet (its blocks a hole, or
 * it maps them later), or stays open: a write request on its sectors
 * issued before the anchor and completing after it, or a conversion of
 * its unwritten blocks after it (with no DIO mapping them again in
 * between), is a failure; an open one reaped without either is counted,
 * and makes the result inconclusive.
 *
 * Old reports and baselines name this invariant truncate_waits_dio:
 * compare.c reads that name as this one (CK_INV_OLD_EXTENT_WAIT).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker/internal.h"
#include "common/util.h"

enum ew_kind {
	EK_TRUNCATE,
	EK_PUNCH,
	EK_ZERO,
	EK_COLLAPSE,
	EK_INSERT,
	EK_FALLOC,
	EK_N
};

static const char *const ek_name[EK_N] = {
	[EK_TRUNCATE] = "truncate",   [EK_PUNCH] = "punch",
	[EK_ZERO] = "zero_range",     [EK_COLLAPSE] = "collapse_range",
	[EK_INSERT] = "insert_range", [EK_FALLOC] = "fallocate",
};

/* The kernel event of each kind, or -1 for an event that is none. */
static int ek_of_event(enum ck_evid id)
{
	switch (id) {
	case EV_EXT4_TRUNCATE_ENTER:
		return EK_TRUNCATE;
	case EV_EXT4_PUNCH_HOLE:
		return EK_PUNCH;
	case EV_EXT4_ZERO_RANGE:
		return EK_ZERO;
	case EV_EXT4_COLLAPSE_RANGE:
		return EK_COLLAPSE;
	case EV_EXT4_INSERT_RANGE:
		return EK_INSERT;
	case EV_EXT4_FALLOCATE_ENTER:
		return EK_FALLOC;
	default:
		return -1;
	}
}

static const enum ck_evid ek_event[EK_N] = {
	[EK_TRUNCATE] = EV_EXT4_TRUNCATE_ENTER,
	[EK_PUNCH] = EV_EXT4_PUNCH_HOLE,
	[EK_ZERO] = EV_EXT4_ZERO_RANGE,
	[EK_COLLAPSE] = EV_EXT4_COLLAPSE_RANGE,
	[EK_INSERT] = EV_EXT4_INSERT_RANGE,
	[EK_FALLOC] = EV_EXT4_FALLOCATE_ENTER,
};

/*
 * An iorace op kind that changes extents, by name (kinds another layer
 * adds, e.g. collapse_range, count without this file naming their enum).
 */
static int ek_of_op(int kind)
{
	const char *n = kind >= 0 && kind < OP_NKINDS ?
				op_kind_name((enum op_kind)kind) :
				NULL;
	int k;

	for (k = 0; n && k < EK_N; k++)
		if (!strcmp(n, ek_name[k]))
			return k;
	return -1;
}

/* 6.1: an op event waiting for the anchor after its inode_dio_wait(). */
struct pend_noiomap {
	int64_t tid;
	uint64_t ino;
	int kind;
	int file;
	uint64_t b0, b1;
	uint64_t inflight; /* DIO writes of the run in flight on the file */
	struct ck_event ev;
};

struct kdio {
	uint64_t pos, count;
	uint64_t t_conv; /* 0: no conversion seen */
	long trunc;	 /* index into truncs of the truncate it raced, or -1 */
	struct ck_event begin;
};

struct fstate {
	struct kdio *d;
	size_t n, cap;
	long active; /* truncate window open: index into truncs, or -1 */
};

/*
 * Without iomap events (6.1): a DIO write of the op stream in flight at a
 * truncate/punch (submitted before it, completion not yet reaped), whose
 * kernel side (struct ck_kwrite) has not visibly ended.
 */
struct pair_noiomap {
	size_t w;      /* index into kw.v */
	size_t anchor; /* index into truncs */
	bool started;  /* in the kernel before the anchor */
	bool spoiled;  /* a DIO mapped its blocks again since */
};

struct tw_state {
	struct fstate *f;
	unsigned nf;
	struct ck_event *truncs; /* anchors */
	int *trkind;		 /* enum ew_kind of each anchor */
	struct ck_event *trop;	 /* 6.1: the op's own event, if any */
	size_t ntr, trcap, tkcap, tocap;
	uint64_t kops[EK_N];  /* iorace ops submitted, per kind */
	uint64_t kanch[EK_N]; /* op events checked (iomap path), per kind */
	/* anchors checked (the path without iomap events, 6.1), per kind */
	uint64_t kanch_noiomap[EK_N];
	struct pend_noiomap *pend;
	size_t npend, pendcap;
	/* op events with DIO in flight, no anchor */
	uint64_t unanchored_noiomap;
	uint64_t dio_begins, unmatched, iorace_truncs;
	struct ck_inv_result *r;
	/*
	 * The path without iomap events (6.1), the *_noiomap names: results
	 * kept apart, used when no iomap event was seen
	 */
	struct ck_kwrites kw;
	struct ck_inv_result r_noiomap;
	struct pair_noiomap *pr;
	size_t npr, prcap;
	uint64_t seen_started;
	uint64_t unres_nomap;
	uint64_t anchors_noiomap, inflight_noiomap, done_noiomap, later_noiomap,
		unres_noiomap;
	bool *buffered; /* per file: a buffered write was seen */
	unsigned nbuffered;
};

static void *tw_init(struct ck_ctx *ctx, struct ck_inv_result *r)
{
	struct tw_state *s = xcalloc(1, sizeof(*s));

	(void)ctx;
	s->r = r;
	return s;
}

static struct fstate *fs_of(struct tw_state *s, unsigned f)
{
	unsigned i;

	if (f >= s->nf) {
		unsigned n = MAX(f + 1, s->nf * 2);

		s->f = xrealloc(s->f, n * sizeof(*s->f));
		memset(s->f + s->nf, 0, (n - s->nf) * sizeof(*s->f));
		for (i = s->nf; i < n; i++)
			s->f[i].active = -1;
		s->nf = n;
	}
	return &s->f[f];
}

static void dio_complete(struct tw_state *s, struct fstate *fs,
			 const struct ck_event *ev)
{
	int64_t ret = ck_s(ev, FK_RET);
	uint64_t pos = ck_u(ev, FK_POS);
	uint64_t start = ret > 0 ? pos - (uint64_t)ret : pos;
	struct ck_evidence *e;
	size_t i, hit = SIZE_MAX;

	for (i = 0; i < fs->n; i++) {
		if (fs->d[i].pos == start) {
			hit = i;
			break;
		}
		if (hit == SIZE_MAX && start >= fs->d[i].pos &&
		    start < fs->d[i].pos + fs->d[i].count)
			hit = i;
	}
	if (hit == SIZE_MAX)
		return;
	if (fs->d[hit].trunc >= 0) {
		const struct ck_event *tr = &s->truncs[fs->d[hit].trunc];

		e = ck_evidence_add(
			s->r,
			"DIO write at %" PRIu64 "+%" PRIu64 " on ino %" PRIu64
			" was in flight in the kernel when %s began and "
			"completed %" PRIu64 " ns after it",
			fs->d[hit].pos, fs->d[hit].count, ck_u(ev, FK_INO),
			ck_evid_name(ck_id(tr)), ev->t - tr->t);
		ck_evidence_cite(e, &fs->d[hit].begin);
		ck_evidence_cite(e, tr);
		ck_evidence_cite(e, ev);
	}
	/* keep order: the oldest in-flight DIOs stay first */
	memmove(&fs->d[hit], &fs->d[hit + 1],
		(fs->n - hit - 1) * sizeof(*fs->d));
	fs->n--;
}

static void grow_buffered(struct tw_state *s, unsigned f)
{
	unsigned n;

	if (f < s->nbuffered)
		return;
	n = MAX(f + 1, s->nbuffered * 2);
	s->buffered = xrealloc(s->buffered, n * sizeof(bool));
	memset(s->buffered + s->nbuffered, 0,
	       (n - s->nbuffered) * sizeof(bool));
	s->nbuffered = n;
}

static void pair_del(struct tw_state *s, size_t i)
{
	s->pr[i] = s->pr[--s->npr];
}

/* Record anchor ev of kind k (op: the op's own event, or NULL). */
static size_t add_anchor(struct tw_state *s, const struct ck_event *ev, int k,
			 const struct ck_event *op)
{
	grow_array((void **)&s->truncs, &s->trcap, s->ntr + 1,
		   sizeof(*s->truncs));
	grow_array((void **)&s->trkind, &s->tkcap, s->ntr + 1,
		   sizeof(*s->trkind));
	grow_array((void **)&s->trop, &s->tocap, s->ntr + 1, sizeof(*s->trop));
	ck_event_copy(&s->truncs[s->ntr], ev);
	s->trkind[s->ntr] = k;
	if (op)
		ck_event_copy(&s->trop[s->ntr], op);
	else
		memset(&s->trop[s->ntr], 0, sizeof(*s->trop));
	return s->ntr++;
}

static void fail_noiomap(struct tw_state *s, struct ck_ctx *ctx, size_t pi,
			 const struct ck_event *ev, const char *what)
{
	struct pair_noiomap *p = &s->pr[pi];
	const struct ck_kwrite *w = &s->kw.v[p->w];
	const struct ck_event *tr = &s->truncs[p->anchor];
	struct ck_evidence *e;
	struct ck_op *op = ck_op_find(ctx, w->id);

	const struct ck_event *kop = &s->trop[p->anchor];

	e = ck_evidence_add(
		&s->r_noiomap,
		"DIO write %" PRIu64 " (ino %" PRIu64 " blocks %" PRIu64
		"-%" PRIu64 ") was in the kernel when %s passed its DIO wait "
		"(%s); %s %" PRIu64 " ns after it",
		w->id, w->ino, w->b0, w->b1, ek_name[s->trkind[p->anchor]],
		ck_evid_name(ck_id(tr)), what, ev->t - tr->t);
	if (op)
		ck_op_cite(e, op, false);
	ck_evidence_cite(e, &w->begin);
	if (kop->cls)
		ck_evidence_cite(e, kop);
	ck_evidence_cite(e, tr);
	ck_evidence_cite(e, ev);
	pair_del(s, pi);
}

/*
 * A truncate/punch is removing blocks [start, end] of file f
 * (ext4_ext_remove_space, after inode_dio_wait() when it waits): pair the
 * DIOs in flight on them. Only those: a truncate to the same size removes
 * blocks past EOF without waiting for DIO (ext4_setattr, 6.1).
 */
static void anchor_noiomap(struct tw_state *s, struct ck_ctx *ctx,
			   const struct ck_event *ev, int f, uint64_t start,
			   uint64_t end, int kind, const struct ck_event *op)
{
	uint64_t bs = ctx->blocksize;
	bool started;
	size_t i;
	int fill;

	add_anchor(s, ev, kind, op);
	s->kanch_noiomap[kind]++;
	s->anchors_noiomap++;
	for (i = 0; i < s->kw.nlive; i++) {
		size_t wi = s->kw.live[i];
		const struct ck_kwrite *w = &s->kw.v[wi];

		if (w->file != (uint32_t)f || w->t_submit >= ev->t || w->done ||
		    w->b1 < start || w->b0 > end)
			continue;
		s->inflight_noiomap++;
		fill = w->ext_full ? 0 :
				     ck_kw_fill_from_map(&s->kw, &s->kw.v[wi]);
		if (!w->started && fill < 0) {
			/* a hole: no DIO was writing there, it comes later */
			s->later_noiomap++;
			continue;
		}
		if (!w->started && !fill) {
			/* its blocks unknown: it must map them when it runs */
			started = false;
		} else if (fill > 0 && ck_kw_idle(&s->kw, w, bs)) {
			s->done_noiomap++;
			continue;
		} else {
			started = true;
		}
		grow_array((void **)&s->pr, &s->prcap, s->npr + 1,
			   sizeof(*s->pr));
		s->pr[s->npr++] = (struct pair_noiomap){ .w = wi,
							 .anchor = s->ntr - 1,
							 .started = started };
	}
}

/* Before the tracker sees ev: look for the end of paired DIOs. */
static void event_noiomap(struct tw_state *s, struct ck_ctx *ctx,
			  const struct ck_event *ev)
{
	enum ck_evid id = ck_id(ev);
	struct ck_xent x;
	uint64_t b0, b1, b;
	size_t i;

	if (id == EV_OP_COMPLETE) {
		for (i = s->npr; i--;) {
			if (s->kw.v[s->pr[i].w].id != ck_u(ev, FK_ID))
				continue;
			s->unres_noiomap++;
			if (!s->pr[i].started)
				s->unres_nomap++;
			pair_del(s, i);
		}
		return;
	}
	if (!s->npr || id < EV_FIRST_KERNEL || !ck_kernel_dev_ok(ctx, ev))
		return;
	if (id == EV_BLOCK_RQ_COMPLETE) {
		uint64_t sector = ck_u(ev, FK_SECTOR);
		uint64_t nr = ck_u(ev, FK_NR_SECTOR), t_issue = 0;
		const char *rwbs =
			ck_has(ev, FK_RWBS) ?
				(const char *)(uintptr_t)ck_u(ev, FK_RWBS) :
				NULL;

		if (!rwbs || !strchr(rwbs, 'W'))
			return;
		for (i = 0; i < s->kw.nrq; i++) {
			if (s->kw.rq[i].sector == sector) {
				t_issue = s->kw.rq[i].t_issue;
				break;
			}
		}
		for (i = s->npr; i--;) {
			const struct ck_kwrite *w = &s->kw.v[s->pr[i].w];
			uint64_t t_a = s->truncs[s->pr[i].anchor].t;

			if (!s->pr[i].started || !t_issue || t_issue >= t_a ||
			    (w->file < s->nbuffered && s->buffered[w->file]) ||
			    !ck_kw_sectors_overlap(w, ctx->blocksize, sector,
						   nr, &b0, &b1))
				continue;
			fail_noiomap(s, ctx, i, ev,
				     "a request on its blocks issued before "
				     "completed");
		}
		return;
	}
	if (id == EV_EXT4_MAP_BLOCKS_ENTER &&
	    ((uint32_t)ck_u(ev, FK_FLAGS) & K_GB_PRE_IO) &&
	    !((uint32_t)ck_u(ev, FK_FLAGS) & K_GB_CONVERT)) {
		b0 = ck_u(ev, FK_LBLK);
		b1 = b0 + MAX(ck_u(ev, FK_LEN), (uint64_t)1) - 1;
		for (i = 0; i < s->npr; i++) {
			const struct ck_kwrite *w = &s->kw.v[s->pr[i].w];

			if (w->ino == ck_u(ev, FK_INO) && b0 <= w->b1 &&
			    b1 >= w->b0)
				s->pr[i].spoiled = true;
		}
		return;
	}
	if (!ck_conversion_attempt(ev, &x) || !x.len)
		return;
	for (i = s->npr; i--;) {
		const struct ck_kwrite *w = &s->kw.v[s->pr[i].w];
		bool hit = false;

		if (!s->pr[i].started || s->pr[i].spoiled || w->ino != x.ino ||
		    !w->done_map)
			continue;
		b0 = MAX(x.lblk, w->b0);
		b1 = MIN(x.lblk + x.len - 1, w->b1);
		for (b = b0; b <= b1 && b0 <= b1; b++)
			if (ck_kw_unwritten(w, b) &&
			    !(w->done_map[b - w->b0] & CK_KW_CONV))
				hit = true;
		if (hit)
			fail_noiomap(s, ctx, i, ev,
				     "the conversion of its blocks ran");
	}
}

/* After the tracker saw ev: DIOs paired before their start. */
static void started_noiomap(struct tw_state *s)
{
	size_t i;

	if (s->kw.started == s->seen_started)
		return;
	s->seen_started = s->kw.started;
	for (i = s->npr; i--;) {
		if (s->pr[i].started || !s->kw.v[s->pr[i].w].started)
			continue;
		s->later_noiomap++; /* entered the kernel after the truncate */
		pair_del(s, i);
	}
}

/* DIO writes of the run on file f submitted before t and not reaped. */
static uint64_t inflight_on(const struct tw_state *s, int f, uint64_t t)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < s->kw.nlive; i++) {
		const struct ck_kwrite *w = &s->kw.v[s->kw.live[i]];

		n += w->file == (uint32_t)f && !w->done && w->t_submit < t;
	}
	return n;
}

static long pend_find(const struct tw_state *s, int64_t tid, uint64_t ino)
{
	size_t i;

	for (i = 0; i < s->npend; i++)
		if (s->pend[i].tid == tid && s->pend[i].ino == ino)
			return (long)i;
	return -1;
}

/* Drop a pending op event; anchored false: it never passed its wait. */
static void pend_drop(struct tw_state *s, size_t i, bool anchored)
{
	if (!anchored && s->pend[i].inflight)
		s->unanchored_noiomap++;
	s->pend[i] = s->pend[--s->npend];
}

/* 6.1: an op event, before its wait; its anchor comes later. */
static void pend_add(struct tw_state *s, struct ck_ctx *ctx,
		     const struct ck_event *ev, int k, int f)
{
	uint64_t bs = ctx->blocksize, off = ck_u(ev, FK_OFFSET);
	uint64_t len = ck_u(ev, FK_LEN);
	struct pend_noiomap *p;
	long i = pend_find(s, ev->tid, ck_u(ev, FK_INO));

	if (i >= 0)
		pend_drop(s, (size_t)i, false);
	grow_array((void **)&s->pend, &s->pendcap, s->npend + 1,
		   sizeof(*s->pend));
	p = &s->pend[s->npend++];
	memset(p, 0, sizeof(*p));
	p->tid = ev->tid;
	p->ino = ck_u(ev, FK_INO);
	p->kind = k;
	p->file = f;
	p->b0 = k == EK_TRUNCATE ? 0 : off / bs;
	p->b1 = k == EK_TRUNCATE || k == EK_INSERT || !len ?
			0xfffffffeull :
			(off + len - 1) / bs;
	p->inflight = inflight_on(s, f, ev->t);
	ck_event_copy(&p->ev, ev);
}

/*
 * 6.1, before the tracker sees ev: an event after an op's DIO wait
 * anchors it (see the top of this file).
 */
static void anchor_event_noiomap(struct tw_state *s, struct ck_ctx *ctx,
				 const struct ck_event *ev)
{
	enum ck_evid id = ck_id(ev);
	uint64_t ino = ck_u(ev, FK_INO);
	struct pend_noiomap p;
	long pi;
	int f, k;

	if (id < EV_FIRST_KERNEL || !ck_kernel_dev_ok(ctx, ev))
		return;
	f = ck_file_of_inode(ctx, ino);
	if (f < 0)
		return;
	k = ek_of_event(id);
	if (k >= 0) {
		pend_add(s, ctx, ev, k, f);
		return;
	}
	pi = pend_find(s, ev->tid, ino);
	if (id == EV_EXT4_REMOVE_SPACE) {
		k = pi >= 0 ? s->pend[pi].kind : EK_TRUNCATE;
		if (k != EK_TRUNCATE && k != EK_PUNCH && k != EK_COLLAPSE) {
			/* not this op's anchor: a truncate of its own */
			k = EK_TRUNCATE;
			pi = -1;
		}
		anchor_noiomap(s, ctx, ev, f, ck_u(ev, FK_START),
			       ck_u(ev, FK_END), k,
			       pi >= 0 ? &s->pend[pi].ev : NULL);
		if (pi >= 0)
			pend_drop(s, (size_t)pi, true);
		return;
	}
	if (pi < 0)
		return;
	p = s->pend[pi];
	if ((id == EV_EXT4_MAP_BLOCKS_ENTER &&
	     ((uint32_t)ck_u(ev, FK_FLAGS) & K_GB_CREATE) &&
	     (p.kind == EK_ZERO || p.kind == EK_FALLOC)) ||
	    (id == EV_EXT4_ES_REMOVE_EXTENT && p.kind == EK_INSERT)) {
		anchor_noiomap(s, ctx, ev, f, p.b0, p.b1, p.kind, &p.ev);
		pend_drop(s, (size_t)pi, true);
	}
}

static void tw_event(void *st, struct ck_ctx *ctx, const struct ck_event *ev)
{
	struct tw_state *s = st;
	struct ck_evidence *e;
	struct fstate *fs;
	struct ck_xent x;
	enum ck_evid id = ck_id(ev);
	struct ck_kwrite *w;
	bool started;
	size_t i;
	int f;

	event_noiomap(s, ctx, ev);
	/* before the tracker forgets the removed blocks */
	anchor_event_noiomap(s, ctx, ev);
	w = ck_kw_event(&s->kw, ctx, ev, &started);
	(void)w;
	started_noiomap(s);
	if (id == EV_OP_SUBMIT) {
		int k = (int)ck_u(ev, FK_KIND);
		uint64_t file = ck_u(ev, FK_FILE);

		if (ek_of_op(k) >= 0) {
			s->iorace_truncs++;
			s->kops[ek_of_op(k)]++;
		}
		if (k == OP_WRITE && !(ck_u(ev, FK_FLAGS) & OPF_DIRECT) &&
		    file < 65536) {
			grow_buffered(s, (unsigned)file);
			s->buffered[file] = true;
		}
		return;
	}
	if (id < EV_FIRST_KERNEL || !ck_kernel_dev_ok(ctx, ev))
		return;
	f = ck_file_of_inode(ctx, ck_u(ev, FK_INO));
	if (f < 0)
		return;
	fs = fs_of(s, (unsigned)f);
	grow_buffered(s, (unsigned)f);

	switch (id) {
	case EV_IOMAP_DIO_RW_BEGIN:
		if (!(ck_u(ev, FK_KI_FLAGS) & K_IOCB_WRITE))
			return;
		s->dio_begins++;
		if (fs->active >= 0) {
			e = ck_evidence_add(s->r,
					    "DIO write began on ino %" PRIu64
					    " inside a truncate",
					    ck_u(ev, FK_INO));
			ck_evidence_cite(e, &s->truncs[fs->active]);
			ck_evidence_cite(e, ev);
		}
		grow_array((void **)&fs->d, &fs->cap, fs->n + 1,
			   sizeof(*fs->d));
		fs->d[fs->n] = (struct kdio){ .pos = ck_u(ev, FK_POS),
					      .count = ck_u(ev, FK_COUNT),
					      .trunc = -1 };
		ck_event_copy(&fs->d[fs->n].begin, ev);
		fs->n++;
		return;
	case EV_IOMAP_DIO_COMPLETE:
		dio_complete(s, fs, ev);
		return;
	case EV_EXT4_TRUNCATE_ENTER:
	case EV_EXT4_PUNCH_HOLE:
	case EV_EXT4_ZERO_RANGE:
	case EV_EXT4_COLLAPSE_RANGE:
	case EV_EXT4_INSERT_RANGE:
	case EV_EXT4_FALLOCATE_ENTER: {
		int k = ek_of_event(id);
		size_t a = add_anchor(s, ev, k, NULL);

		s->r->checked++;
		s->kanch[k]++;
		for (i = 0; i < fs->n; i++)
			if (!fs->d[i].t_conv && fs->d[i].trunc < 0)
				fs->d[i].trunc = (long)a;
		if (id == EV_EXT4_TRUNCATE_ENTER)
			fs->active = (long)a;
		return;
	}
	case EV_EXT4_TRUNCATE_EXIT:
		fs->active = -1;
		return;
	default:
		break;
	}
	if (ck_conversion_extent(ev, &x)) {
		uint64_t bs = ctx->blocksize;

		for (i = 0; i < fs->n; i++) {
			struct kdio *d = &fs->d[i];
			uint64_t b0 = d->pos / bs;
			uint64_t b1 =
				(d->pos + MAX(d->count, (uint64_t)1) - 1) / bs;

			if (x.lblk <= b1 && b0 < x.lblk + x.len && !d->t_conv)
				d->t_conv = x.t;
		}
	}
}

/*
 * A kind iorace ran whose kernel anchor never showed: "N zero_range ops,
 * no ext4_zero_range seen" into buf; false when every kind had one.
 */
static bool kind_gap(const struct tw_state *s, const uint64_t *anch, char *buf,
		     size_t len)
{
	int k;

	for (k = 0; k < EK_N; k++) {
		if (!s->kops[k] || anch[k])
			continue;
		snprintf(buf, len,
			 "%" PRIu64 " %s ops but none checked: no %s "
			 "(or, without iomap events, no event after its "
			 "DIO wait) on the run's files",
			 s->kops[k], ek_name[k], ck_evid_name(ek_event[k]));
		return true;
	}
	return false;
}

/* "truncate 2, punch 1" of the kinds checked. */
static void kinds_note(const uint64_t *anch, char *buf, size_t len)
{
	size_t o = 0;
	int k, n;

	buf[0] = '\0';
	for (k = 0; k < EK_N && o < len; k++) {
		if (!anch[k])
			continue;
		n = snprintf(buf + o, len - o, "%s%s %" PRIu64, o ? ", " : "",
			     ek_name[k], anch[k]);
		o += n > 0 ? (size_t)n : 0;
	}
}

/* No iomap events: judge from the 6.1 path. */
static void finish_noiomap(struct tw_state *s, struct ck_ctx *ctx,
			   struct ck_inv_result *r)
{
	uint64_t open = 0;
	char kn[96];
	size_t i;

	while (s->npend)
		pend_drop(s, s->npend - 1, false);
	kinds_note(s->kanch_noiomap, kn, sizeof(kn));
	for (i = 0; i < s->npr; i++) {
		open++;
		if (!s->pr[i].started)
			s->unres_nomap++;
	}
	r->checked = s->anchors_noiomap;
	r->failed = s->r_noiomap.failed;
	r->nev = s->r_noiomap.nev;
	memcpy(r->ev, s->r_noiomap.ev, sizeof(r->ev));
	r->skipped = s->unres_noiomap + open;
	if (r->failed) {
		r->status = CK_FAIL;
		return;
	}
	if (s->kops[EK_TRUNCATE] + s->kops[EK_PUNCH] + s->kops[EK_COLLAPSE] &&
	    !ctx->kseen[EV_EXT4_REMOVE_SPACE]) {
		r->status = CK_INCONCLUSIVE;
		snprintf(r->note, sizeof(r->note),
			 "no iomap events and no ext4_ext_remove_space: which "
			 "blocks %" PRIu64 " truncate/punch/collapse ops "
			 "removed, and when, is unknown",
			 s->kops[EK_TRUNCATE] + s->kops[EK_PUNCH] +
				 s->kops[EK_COLLAPSE]);
		return;
	}
	if (!r->checked && !s->unanchored_noiomap) {
		r->status = CK_NA;
		snprintf(r->note, sizeof(r->note),
			 "no extent-changing op on the run's files");
		return;
	}
	if (s->unanchored_noiomap) {
		r->status = CK_INCONCLUSIVE;
		snprintf(r->note, sizeof(r->note),
			 "no iomap events: %" PRIu64 " extent ops with DIO "
			 "writes in flight show no event after their DIO wait "
			 "(checked: %s)",
			 s->unanchored_noiomap, kn[0] ? kn : "none");
		return;
	}
	if (kind_gap(s, s->kanch_noiomap, r->note, sizeof(r->note))) {
		r->status = CK_INCONCLUSIVE;
		return;
	}
	if (r->skipped) {
		r->status = CK_INCONCLUSIVE;
		snprintf(r->note, sizeof(r->note),
			 "no iomap events: %" PRIu64 " of %" PRIu64
			 " DIO writes in flight at %" PRIu64
			 " extent ops have no kernel end in the trace "
			 "(%" PRIu64 " of them no known blocks either)%s",
			 r->skipped, s->inflight_noiomap, r->checked,
			 s->unres_nomap,
			 s->kw.rq_issued ? "" :
					   "; no block request of the fs's "
					   "device traced");
		return;
	}
	r->status = CK_PASS;
	snprintf(r->note, sizeof(r->note),
		 "no iomap events: %" PRIu64 " ops past their DIO wait (%s), "
		 "%" PRIu64 " DIO writes in flight: %" PRIu64
		 " had nothing left in the kernel, %" PRIu64 " entered after",
		 r->checked, kn, s->inflight_noiomap, s->done_noiomap,
		 s->later_noiomap);
}

static void tw_finish(void *st, struct ck_ctx *ctx, struct ck_inv_result *r)
{
	struct tw_state *s = st;
	char kn[96];
	unsigned f;
	size_t i;

	if (!ctx->kseen[EV_IOMAP_DIO_RW_BEGIN] &&
	    (ctx->kmissing[EV_IOMAP_DIO_RW_BEGIN] || s->anchors_noiomap)) {
		finish_noiomap(s, ctx, r);
		return;
	}

	for (f = 0; f < s->nf; f++)
		for (i = 0; i < s->f[f].n; i++)
			if (s->f[f].d[i].trunc >= 0)
				s->unmatched++;
	r->skipped = s->unmatched;
	if (r->failed) {
		r->status = CK_FAIL;
		return;
	}
	if (!r->checked) {
		if (s->iorace_truncs) {
			r->status = CK_INCONCLUSIVE;
			snprintf(r->note, sizeof(r->note),
				 "%" PRIu64
				 " extent-changing ops but no kernel "
				 "event of any (truncate, punch, zero_range, "
				 "collapse_range, insert_range, fallocate)",
				 s->iorace_truncs);
		} else {
			r->status = CK_NA;
			snprintf(r->note, sizeof(r->note),
				 "no extent-changing op on the run's files");
		}
		return;
	}
	if (ctx->kmissing[EV_IOMAP_DIO_RW_BEGIN] ||
	    ctx->kmissing[EV_IOMAP_DIO_COMPLETE] ||
	    !ctx->kseen[EV_IOMAP_DIO_RW_BEGIN]) {
		r->status = CK_INCONCLUSIVE;
		snprintf(r->note, sizeof(r->note),
			 "iomap DIO events not recorded");
		return;
	}
	if (kind_gap(s, s->kanch, r->note, sizeof(r->note))) {
		r->status = CK_INCONCLUSIVE;
		return;
	}
	kinds_note(s->kanch, kn, sizeof(kn));
	r->status = CK_PASS;
	snprintf(r->note, sizeof(r->note),
		 "%" PRIu64 " extent ops (%s), %" PRIu64
		 " DIO writes tracked, %" PRIu64 " never completed in trace",
		 r->checked, kn, s->dio_begins, s->unmatched);
}

static void tw_free(void *st)
{
	struct tw_state *s = st;
	unsigned f;

	for (f = 0; f < s->nf; f++)
		free(s->f[f].d);
	free(s->f);
	free(s->truncs);
	free(s->trkind);
	free(s->trop);
	free(s->pend);
	ck_kw_free(&s->kw);
	free(s->pr);
	free(s->buffered);
	free(s);
}

const struct ck_inv_ops inv_extent_wait_ops = {
	.name = CK_INV_EXTENT_WAIT,
	.description = "every DIO write on the inode that began before a "
		       "truncate, punch, zero_range, collapse_range, "
		       "insert_range or fallocate passed its DIO wait "
		       "completes in the kernel before it, and none begins "
		       "inside a truncate",
	.kernel = true,
	.init = tw_init,
	.event = tw_event,
	.finish = tw_finish,
	.free = tw_free,
};
