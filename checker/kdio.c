// SPDX-License-Identifier: GPL-2.0
/*
 * DIO writes as the kernel saw them when it has no iomap DIO events (6.1):
 * attribution of the submitting thread's ext4 map events to iorace ops.
 * See struct ck_kwrites in checker/internal.h.
 */
#include <stdlib.h>
#include <string.h>

#include "checker/internal.h"
#include "common/util.h"

struct ck_kwthr {
	int64_t tid;
	size_t *pend; /* record indices, submission order */
	size_t n, cap;
	long cur; /* record being mapped, or -1 */
};

static size_t kw_hash(uint64_t id, size_t cap)
{
	return (size_t)((id * 0x9e3779b97f4a7c15ull) >> 21) & (cap - 1);
}

static void hash_put(struct ck_kwrites *kw, uint64_t id, size_t idx)
{
	size_t i;

	if ((kw->n + 1) * 2 > kw->hcap) {
		size_t oc = kw->hcap, j;
		size_t *old = kw->hash;

		kw->hcap = oc ? oc * 2 : 1024;
		kw->hash = xcalloc(kw->hcap, sizeof(*kw->hash));
		for (j = 0; j < oc; j++) {
			if (!old[j])
				continue;
			i = kw_hash(kw->v[old[j] - 1].id, kw->hcap);
			while (kw->hash[i])
				i = (i + 1) & (kw->hcap - 1);
			kw->hash[i] = old[j];
		}
		free(old);
	}
	i = kw_hash(id, kw->hcap);
	while (kw->hash[i])
		i = (i + 1) & (kw->hcap - 1);
	kw->hash[i] = idx + 1;
}

struct ck_kwrite *ck_kw_find(struct ck_kwrites *kw, uint64_t id)
{
	size_t i;

	if (!kw->hcap)
		return NULL;
	for (i = kw_hash(id, kw->hcap); kw->hash[i];
	     i = (i + 1) & (kw->hcap - 1))
		if (kw->v[kw->hash[i] - 1].id == id)
			return &kw->v[kw->hash[i] - 1];
	return NULL;
}

static struct ck_kwthr *thr_of(struct ck_kwrites *kw, int64_t tid, bool add)
{
	size_t i;

	for (i = 0; i < kw->nthr; i++)
		if (kw->thr[i].tid == tid)
			return &kw->thr[i];
	if (!add)
		return NULL;
	grow_array((void **)&kw->thr, &kw->thrcap, kw->nthr + 1,
		   sizeof(*kw->thr));
	memset(&kw->thr[kw->nthr], 0, sizeof(*kw->thr));
	kw->thr[kw->nthr].tid = tid;
	kw->thr[kw->nthr].cur = -1;
	return &kw->thr[kw->nthr++];
}

static void pend_del(struct ck_kwthr *t, size_t idx)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		if (t->pend[i] != idx)
			continue;
		memmove(&t->pend[i], &t->pend[i + 1],
			(t->n - i - 1) * sizeof(*t->pend));
		t->n--;
		break;
	}
	if (t->cur == (long)idx)
		t->cur = -1;
}

static void set_blocks(struct ck_kwrite *w, uint64_t bs)
{
	w->b0 = w->off / bs;
	w->b1 = (w->off + w->len - 1) / bs;
}

/* The block size may be learnt after the first ops were submitted. */
static void bs_update(struct ck_kwrites *kw, struct ck_ctx *ctx)
{
	size_t i;

	if (kw->bs == ctx->blocksize)
		return;
	kw->bs = ctx->blocksize;
	for (i = 0; i < kw->nlive; i++)
		if (!kw->v[kw->live[i]].t_kbegin)
			set_blocks(&kw->v[kw->live[i]], kw->bs);
}

static void on_submit(struct ck_kwrites *kw, struct ck_ctx *ctx,
		      const struct ck_event *ev)
{
	uint64_t off = ck_u(ev, FK_OFF);
	uint64_t len = ck_u(ev, FK_LEN);
	struct ck_kwrite *w;
	struct ck_kwthr *t;

	if ((int)ck_u(ev, FK_KIND) != OP_WRITE ||
	    !(ck_u(ev, FK_FLAGS) & OPF_DIRECT) || !len ||
	    ck_u(ev, FK_FILE) >= 65536)
		return;
	grow_array((void **)&kw->v, &kw->cap, kw->n + 1, sizeof(*kw->v));
	w = &kw->v[kw->n];
	memset(w, 0, sizeof(*w));
	w->id = ck_u(ev, FK_ID);
	w->tid = ev->tid;
	w->file = (uint32_t)ck_u(ev, FK_FILE);
	w->ino = ck_u(ev, FK_INODE);
	w->off = off;
	w->len = len;
	set_blocks(w, ctx->blocksize);
	w->t_submit = ev->t;
	w->next = w->relook = UINT64_MAX;
	hash_put(kw, w->id, kw->n);
	grow_array((void **)&kw->live, &kw->livecap, kw->nlive + 1,
		   sizeof(*kw->live));
	kw->live[kw->nlive++] = kw->n;
	t = thr_of(kw, ev->tid, true);
	grow_array((void **)&t->pend, &t->cap, t->n + 1, sizeof(*t->pend));
	t->pend[t->n++] = kw->n;
	kw->n++;
}

static void on_complete(struct ck_kwrites *kw, const struct ck_event *ev)
{
	struct ck_kwrite *w = ck_kw_find(kw, ck_u(ev, FK_ID));
	struct ck_kwthr *t;
	size_t idx, i;

	if (!w || w->done)
		return;
	w->done = true;
	idx = (size_t)(w - kw->v);
	t = thr_of(kw, w->tid, false);
	if (t)
		pend_del(t, idx);
	for (i = 0; i < kw->nlive; i++) {
		if (kw->live[i] == idx) {
			kw->live[i] = kw->live[--kw->nlive];
			break;
		}
	}
}

/*
 * The pending op a map enter for blocks [lblk, lblk + len) of inode ino
 * starts, or -1. ext4_iomap_begin() asks for the rest of the DIO, so the
 * enter ends where its op ends: that decides first (two ops of one batch
 * may both contain lblk, one starting there and one mapped part-way in,
 * its head already written). Else an op starting at lblk, else one
 * containing it.
 */
static long pick(struct ck_kwrites *kw, struct ck_kwthr *t, uint64_t ino,
		 uint64_t lblk, uint64_t len)
{
	long exact = -1, inside = -1;
	size_t i;

	for (i = 0; len && i < t->n; i++) {
		const struct ck_kwrite *w = &kw->v[t->pend[i]];

		if (!w->started && w->ino == ino && lblk >= w->b0 &&
		    lblk <= w->b1 && w->b1 == lblk + len - 1)
			return (long)t->pend[i];
	}
	for (i = 0; i < t->n; i++) {
		const struct ck_kwrite *w = &kw->v[t->pend[i]];

		if (w->started || w->ino != ino)
			continue;
		if (w->b0 == lblk) {
			exact = (long)i;
			break;
		}
		if (inside < 0 && lblk >= w->b0 && lblk <= w->b1)
			inside = (long)i;
	}
	if (exact < 0)
		exact = inside;
	if (exact < 0)
		return -1;
	return (long)t->pend[exact];
}

/*
 * One thread's io_submit calls take its iocbs in the order of its
 * op_submit events (a partial submit resubmits the rest, in order), each
 * mapped in the submitter's context. So once the kernel maps op idx, every
 * op submitted before it by that thread and not yet mapped was passed
 * without an allocation (an overwrite of mapped blocks): none of them can
 * own a later map event of the thread.
 */
static void pass_before(struct ck_kwthr *t, size_t idx,
			const struct ck_kwrites *kw)
{
	size_t i, j, n = 0;

	for (i = 0; i < t->n && t->pend[i] != idx; i++)
		if (kw->v[t->pend[i]].started)
			t->pend[n++] = t->pend[i];
	if (i == t->n)
		return;
	for (j = i; j < t->n; j++)
		t->pend[n++] = t->pend[j];
	t->n = n;
}

static void add_ext(struct ck_kwrite *w, const struct ck_event *ev)
{
	uint64_t lblk = ck_u(ev, FK_LBLK), pblk = ck_u(ev, FK_PBLK);
	uint64_t n = MIN(ck_u(ev, FK_LEN), (uint64_t)ck_s(ev, FK_RET));
	bool unw = ck_u(ev, FK_MFLAGS) & K_MAP_UNWRITTEN;
	uint64_t e;

	if (!n || !pblk)
		return;
	/* clip to the op */
	e = lblk + n - 1;
	if (lblk > w->b1 || e < w->b0)
		return;
	if (lblk < w->b0) {
		pblk += w->b0 - lblk;
		lblk = w->b0;
	}
	e = MIN(e, w->b1);
	if (w->next_ext >= CK_KW_EXT) {
		w->ext_full = true;
		return;
	}
	w->ext[w->next_ext].lblk = lblk;
	w->ext[w->next_ext].pblk = pblk;
	w->ext[w->next_ext].len = e - lblk + 1;
	w->ext[w->next_ext].unwritten = unw;
	w->next_ext++;
}

static int ext_of(const struct ck_kwrite *w, uint64_t lblk)
{
	unsigned i;

	/* the latest mapping wins */
	for (i = w->next_ext; i--;)
		if (lblk >= w->ext[i].lblk &&
		    lblk < w->ext[i].lblk + w->ext[i].len)
			return (int)i;
	return -1;
}

bool ck_kw_unwritten(const struct ck_kwrite *w, uint64_t lblk)
{
	int i = ext_of(w, lblk);

	return i >= 0 && w->ext[i].unwritten;
}

bool ck_kw_sectors_overlap(const struct ck_kwrite *w, uint64_t bs,
			   uint64_t sector, uint64_t nr, uint64_t *b0,
			   uint64_t *b1)
{
	uint64_t spb = bs / 512, lo = UINT64_MAX, hi = 0, s0, s1, e;
	unsigned i;

	if (!spb || !nr)
		return false;
	e = sector + nr - 1;
	for (i = 0; i < w->next_ext; i++) {
		s0 = w->ext[i].pblk * spb;
		s1 = (w->ext[i].pblk + w->ext[i].len) * spb - 1;
		if (e < s0 || sector > s1)
			continue;
		lo = MIN(lo, w->ext[i].lblk + (MAX(sector, s0) - s0) / spb);
		hi = MAX(hi, w->ext[i].lblk + (MIN(e, s1) - s0) / spb);
	}
	if (lo > hi)
		return false;
	*b0 = lo;
	*b1 = hi;
	return true;
}

static void mark(struct ck_kwrite *w, uint64_t b0, uint64_t b1, uint8_t bit)
{
	uint64_t b;

	if (!w->done_map)
		return;
	b0 = MAX(b0, w->b0);
	b1 = MIN(b1, w->b1);
	for (b = b0; b <= b1 && b0 <= b1; b++)
		w->done_map[b - w->b0] |= bit;
}

#define FMAP_MAX (1ull << 24)

static bool fmap_has(const struct ck_kwrites *kw, uint64_t ino)
{
	unsigned i;

	for (i = 0; i < kw->nfmap; i++)
		if (kw->fmap[i].ino == ino)
			return true;
	return false;
}

static unsigned fmap_idx(struct ck_kwrites *kw, uint64_t ino)
{
	unsigned i;

	for (i = 0; i < kw->nfmap; i++)
		if (kw->fmap[i].ino == ino)
			return i;
	kw->fmap = xrealloc(kw->fmap, (i + 1) * sizeof(*kw->fmap));
	memset(&kw->fmap[i], 0, sizeof(*kw->fmap));
	kw->fmap[i].ino = ino;
	kw->fmap[i].tail_hole = UINT64_MAX;
	kw->nfmap++;
	return i;
}

static uint64_t fmap_get(const struct ck_kwrites *kw, unsigned fi, uint64_t b)
{
	if (b < kw->fmap[fi].n)
		return kw->fmap[fi].v[b];
	return b >= kw->fmap[fi].tail_hole ? CK_FM_HOLE : 0;
}

static void fmap_grow(struct ck_kwrites *kw, unsigned fi, uint64_t e)
{
	uint64_t n = kw->fmap[fi].n, nn, k;

	if (e <= n)
		return;
	nn = MIN(MAX(e, n * 2), FMAP_MAX);
	kw->fmap[fi].v = xrealloc(kw->fmap[fi].v, nn * sizeof(uint64_t));
	for (k = n; k < nn; k++)
		kw->fmap[fi].v[k] =
			k >= kw->fmap[fi].tail_hole ? CK_FM_HOLE : 0;
	kw->fmap[fi].n = nn;
}

/* Learn lblk -> pblk from a map exit (any inode: a run file may be set
 * up before file_info names it). */
static void fmap_learn(struct ck_kwrites *kw, const struct ck_event *ev)
{
	uint64_t lblk = ck_u(ev, FK_LBLK), pblk = ck_u(ev, FK_PBLK);
	int64_t ret = ck_s(ev, FK_RET);
	uint64_t k, e;
	unsigned fi;

	if (ret <= 0 || !pblk || lblk >= FMAP_MAX ||
	    (kw->nfmap >= 64 && !fmap_has(kw, ck_u(ev, FK_INO))))
		return;
	fi = fmap_idx(kw, ck_u(ev, FK_INO));
	e = MIN(lblk + (uint64_t)ret, FMAP_MAX);
	fmap_grow(kw, fi, e);
	for (k = lblk; k < e; k++)
		kw->fmap[fi].v[k] = pblk + (k - lblk) + 2;
}

/*
 * Blocks [start, end] of ino were removed (truncate, punch): holes. With
 * hole false, what they are is unknown (a trace without the removal).
 */
static void fmap_forget(struct ck_kwrites *kw, uint64_t ino, uint64_t start,
			uint64_t end, bool hole)
{
	unsigned fi = fmap_idx(kw, ino);
	uint64_t k;

	for (k = start; k < kw->fmap[fi].n && k <= end; k++)
		kw->fmap[fi].v[k] = hole ? CK_FM_HOLE : 0;
	if (end >= 0xfffffffeull)
		kw->fmap[fi].tail_hole =
			hole ? MIN(kw->fmap[fi].tail_hole, start) : UINT64_MAX;
}

void ck_kw_forget(struct ck_kwrites *kw, uint64_t ino, uint64_t start)
{
	if (fmap_has(kw, ino))
		fmap_forget(kw, ino, start, UINT64_MAX, false);
}

/* A collapse (insert) passed its DIO wait: its extents move now. */
static void shift_done(struct ck_kwrites *kw, const struct ck_event *ev,
		       bool insert)
{
	unsigned i;

	for (i = 0; i < CK_KW_SHIFT; i++) {
		struct ck_kwshift *sh = &kw->shift[i];

		if (!sh->live || sh->insert != insert || sh->tid != ev->tid ||
		    sh->ino != ck_u(ev, FK_INO))
			continue;
		sh->live = false;
		ck_kw_forget(kw, sh->ino, sh->lblk);
	}
}

static void on_rq(struct ck_kwrites *kw, struct ck_ctx *ctx,
		  const struct ck_event *ev)
{
	uint64_t sector = ck_u(ev, FK_SECTOR), nr = ck_u(ev, FK_NR_SECTOR);
	uint64_t b0, b1;
	size_t i;

	if (ck_id(ev) == EV_BLOCK_RQ_ISSUE) {
		if (kw->nrq >= 4096) { /* never completed: forget the oldest */
			memmove(kw->rq, kw->rq + 1,
				(kw->nrq - 1) * sizeof(*kw->rq));
			kw->nrq--;
		}
		grow_array((void **)&kw->rq, &kw->rqcap, kw->nrq + 1,
			   sizeof(*kw->rq));
		kw->rq_issued++;
		kw->rq[kw->nrq++] = (struct ck_kwrq){
			sector, nr, ev->t,
			ck_has(ev, FK_RWBS) &&
				strchr((const char *)(uintptr_t)ck_u(ev,
								     FK_RWBS),
				       'W')
		};
		return;
	}
	kw->rq_t_issue = 0;
	for (i = 0; i < kw->nrq; i++) {
		if (kw->rq[i].sector != sector)
			continue;
		kw->rq_t_issue = kw->rq[i].t_issue;
		memmove(&kw->rq[i], &kw->rq[i + 1],
			(kw->nrq - i - 1) * sizeof(*kw->rq));
		kw->nrq--;
		break;
	}
	if (!kw->rq_t_issue)
		return;
	for (i = 0; i < kw->nlive; i++) {
		struct ck_kwrite *w = &kw->v[kw->live[i]];

		if (!w->t_kbegin || w->t_kbegin > kw->rq_t_issue ||
		    !ck_kw_sectors_overlap(w, ctx->blocksize, sector, nr, &b0,
					   &b1))
			continue;
		mark(w, b0, b1, CK_KW_RQ);
	}
}

static void on_conv(struct ck_kwrites *kw, const struct ck_xent *x)
{
	size_t i;

	if (!x->len)
		return;
	for (i = 0; i < kw->nlive; i++) {
		struct ck_kwrite *w = &kw->v[kw->live[i]];

		if (!w->started || w->ino != x->ino || w->t_kbegin > x->t ||
		    x->lblk > w->b1 || x->lblk + x->len - 1 < w->b0)
			continue;
		mark(w, x->lblk, x->lblk + x->len - 1, CK_KW_CONV);
	}
}

int ck_kw_fill_from_map(struct ck_kwrites *kw, struct ck_kwrite *w)
{
	unsigned k0, fi = fmap_idx(kw, w->ino);
	int ret = 1;
	uint64_t b;

	if (!w->started)
		w->next_ext = 0;
	k0 = w->next_ext;
	for (b = w->b0; b <= w->b1; b++) {
		uint64_t p = fmap_get(kw, fi, b);
		unsigned k = w->next_ext;

		if (ext_of(w, b) >= 0)
			continue; /* its own mapping */
		if (p < 2) {
			ret = p == CK_FM_HOLE || ret < 0 ? -1 : 0;
			continue;
		}
		p -= 2;
		if (k > k0 && w->ext[k - 1].lblk + w->ext[k - 1].len == b &&
		    w->ext[k - 1].pblk + w->ext[k - 1].len == p) {
			w->ext[k - 1].len++;
			continue;
		}
		if (k == CK_KW_EXT) {
			ret = ret < 0 ? -1 : 0;
			break;
		}
		w->ext[k].lblk = b;
		w->ext[k].pblk = p;
		w->ext[k].len = 1;
		w->ext[k].unwritten = false;
		w->next_ext++;
	}
	if (ret <= 0)
		w->next_ext = k0;
	else if (!w->started)
		w->cached = true;
	return ret;
}

bool ck_kw_idle(const struct ck_kwrites *kw, const struct ck_kwrite *w,
		uint64_t bs)
{
	uint64_t b, b0, b1;
	size_t i;
	int e;

	if (!w->next_ext || w->ext_full)
		return false;
	for (b = w->b0; b <= w->b1; b++) {
		e = ext_of(w, b);
		if (e < 0)
			return false;
		if (w->ext[e].unwritten &&
		    (!w->done_map || !(w->done_map[b - w->b0] & CK_KW_CONV)))
			return false;
		/* written blocks: only requests could show it is over */
		if (!w->ext[e].unwritten && !kw->rq_issued)
			return false;
	}
	for (i = 0; i < kw->nrq; i++)
		if (kw->rq[i].write &&
		    ck_kw_sectors_overlap(w, bs, kw->rq[i].sector, kw->rq[i].nr,
					  &b0, &b1))
			return false;
	return true;
}

struct ck_kwrite *ck_kw_event(struct ck_kwrites *kw, struct ck_ctx *ctx,
			      const struct ck_event *ev, bool *started)
{
	enum ck_evid id = ck_id(ev);
	uint64_t lblk = ck_u(ev, FK_LBLK), ino = ck_u(ev, FK_INO);
	struct ck_kwthr *t;
	struct ck_kwrite *w;
	struct ck_xent x;
	long pi;

	*started = false;
	bs_update(kw, ctx);
	switch (id) {
	case EV_OP_SUBMIT:
		on_submit(kw, ctx, ev);
		return NULL;
	case EV_OP_COMPLETE:
		on_complete(kw, ev);
		return NULL;
	case EV_BLOCK_RQ_ISSUE:
	case EV_BLOCK_RQ_COMPLETE:
		if (ck_kernel_dev_ok(ctx, ev))
			on_rq(kw, ctx, ev);
		return NULL;
	case EV_EXT4_REMOVE_SPACE:
		if (ck_kernel_dev_ok(ctx, ev))
			fmap_forget(kw, ino, ck_u(ev, FK_START),
				    ck_u(ev, FK_END), true);
		shift_done(kw, ev, false);
		return NULL;
	case EV_EXT4_COLLAPSE_RANGE:
	case EV_EXT4_INSERT_RANGE:
		/*
		 * Extents from the offset on will move, after the op's DIO
		 * wait: forget them at its removal (collapse) or extent
		 * cache drop (insert) in the same thread.
		 */
		if (ck_kernel_dev_ok(ctx, ev) && ctx->blocksize) {
			struct ck_kwshift *sh =
				&kw->shift[kw->nshift++ % CK_KW_SHIFT];

			sh->tid = ev->tid;
			sh->ino = ino;
			sh->lblk = ck_u(ev, FK_OFFSET) / ctx->blocksize;
			sh->insert = id == EV_EXT4_INSERT_RANGE;
			sh->live = true;
		}
		return NULL;
	case EV_EXT4_ES_REMOVE_EXTENT:
		shift_done(kw, ev, true);
		return NULL;
	case EV_EXT4_TRUNCATE_EXIT:
	case EV_EXT4_PUNCH_HOLE:
		/* a trace without the removal itself: forget it all */
		if (!ctx->kseen[EV_EXT4_REMOVE_SPACE] &&
		    ck_kernel_dev_ok(ctx, ev) && fmap_has(kw, ino))
			fmap_forget(kw, ino, 0, UINT64_MAX, false);
		return NULL;
	case EV_EXT4_MAP_BLOCKS_ENTER:
	case EV_EXT4_MAP_BLOCKS_EXIT:
	case EV_EXT4_HANDLE_UNWRITTEN:
		break;
	default:
		return NULL;
	}
	if (!ck_kernel_dev_ok(ctx, ev) || ev->tid < 0)
		return NULL;
	if (id == EV_EXT4_MAP_BLOCKS_EXIT)
		fmap_learn(kw, ev);
	if (ck_conversion_attempt(ev, &x))
		on_conv(kw, &x);
	t = thr_of(kw, ev->tid, false);
	if (!t)
		return NULL;
	/* end_io conversions run in workers, never in the submitter */
	if ((uint32_t)ck_u(ev, FK_FLAGS) & K_GB_CONVERT)
		return NULL;
	w = t->cur >= 0 ? &kw->v[t->cur] : NULL;
	if (w && w->ino != ino)
		w = NULL;
	if (id == EV_EXT4_MAP_BLOCKS_ENTER) {
		if (w && (lblk == w->next || lblk == w->relook) &&
		    lblk <= w->b1) {
			w->relook = UINT64_MAX;
			return w;
		}
		/*
		 * Only an allocating map starts a DIO: a lookup may be
		 * ext4_overwrite_io() deciding the lock, before the DIO
		 * waits for i_rwsem. Op blocks need the block size.
		 */
		if (!((uint32_t)ck_u(ev, FK_FLAGS) & K_GB_CREATE))
			return NULL;
		pi = ctx->blocksize_known ?
			     pick(kw, t, ino, lblk, ck_u(ev, FK_LEN)) :
			     -1;
		t->cur = pi;
		if (pi < 0)
			return NULL;
		w = &kw->v[pi];
		pass_before(t, (size_t)pi, kw);
		w->started = true;
		w->t_kbegin = ev->t;
		/* its own mapping replaces a cached guess */
		w->cached = false;
		w->next_ext = 0;
		w->ext_full = false;
		free(w->done_map);
		w->done_map = NULL;
		if (w->b1 - w->b0 < 65536)
			w->done_map = xcalloc(w->b1 - w->b0 + 1, 1);
		w->next = lblk;
		w->relook = UINT64_MAX;
		ck_event_copy(&w->begin, ev);
		kw->started++;
		*started = true;
		return w;
	}
	if (!w || lblk < w->b0 || lblk > w->b1)
		return NULL;
	if (id == EV_EXT4_MAP_BLOCKS_EXIT) {
		add_ext(w, ev);
		if (ck_s(ev, FK_RET) > 0) {
			w->next = lblk + (uint64_t)ck_s(ev, FK_RET);
			if (!((uint32_t)ck_u(ev, FK_FLAGS) & K_GB_CREATE))
				w->relook = lblk;
		}
	}
	if (ck_unwritten_map_extent(ev, &x)) {
		/* cite the first mapping, by its exit (it has the pblk) */
		if (!w->any_unwritten ||
		    (w->umap.evid != EV_EXT4_MAP_BLOCKS_EXIT &&
		     id == EV_EXT4_MAP_BLOCKS_EXIT && w->umap.lblk == x.lblk))
			w->umap = x;
		w->any_unwritten = true;
	}
	return w;
}

void ck_kw_free(struct ck_kwrites *kw)
{
	size_t i;

	for (i = 0; i < kw->nthr; i++)
		free(kw->thr[i].pend);
	for (i = 0; i < kw->n; i++)
		free(kw->v[i].done_map);
	for (i = 0; i < kw->nfmap; i++)
		free(kw->fmap[i].v);
	free(kw->fmap);
	free(kw->rq);
	free(kw->thr);
	free(kw->v);
	free(kw->live);
	free(kw->hash);
	memset(kw, 0, sizeof(*kw));
}

bool ck_conversion_attempt(const struct ck_event *ev, struct ck_xent *x)
{
	uint32_t fl = (uint32_t)ck_u(ev, FK_FLAGS);

	if (ck_conversion_extent(ev, x))
		return true;
	if (ck_id(ev) != EV_EXT4_MAP_BLOCKS_ENTER || !(fl & K_GB_CONVERT))
		return false;
	x->t = ev->t;
	x->ino = ck_u(ev, FK_INO);
	x->lblk = ck_u(ev, FK_LBLK);
	x->len = ck_u(ev, FK_LEN);
	x->flags = fl;
	x->evid = (uint16_t)EV_EXT4_MAP_BLOCKS_ENTER;
	return true;
}
