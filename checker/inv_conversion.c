// SPDX-License-Identifier: GPL-2.0
/*
 * Invariant 2, conversion before completion: a DIO write into a hole or an
 * unwritten range must have its unwritten->written conversion in the
 * kernel, covering the range, before the completion iorace saw.
 *
 * Which blocks need conversion:
 *  - kernel evidence: the kernel mapped them unwritten for this very DIO
 *    (ext4_ext_map_blocks_exit with PRE_IO and the U map flag, or
 *    ext4_ext_handle_unwritten_extents with PRE_IO, in the thread that
 *    issued the DIO's iomap_dio_rw_begin and before its next one). The
 *    kernel DIO is matched to the op by file, pos and count, begun within
 *    the op's lifetime; conversions count from the DIO's begin on;
 *  - the op stream alone: the range lies below the file's initial size
 *    (fallocated or sparse: either way ext4 6.x allocates unwritten for a
 *    DIO write inside i_size), no other op touched its fs blocks before
 *    this write completed and the file was never truncated, collapsed or
 *    inserted into before then
 *    (judged once the block size is known);
 *  - without iomap events (6.1): the ext4 mapping of the thread that
 *    submitted it (struct ck_kwrites), from its first allocating map on;
 *    a missing conversion fails it only when its own block requests had
 *    completed before its completion (otherwise the mapping may be a later
 *    DIO's at the same offset), else it is skipped.
 * Conversion events: ext4_ext_handle_unwritten_extents with CONVERT (the
 * end_io path) and ext4_ext_convert_to_initialized_{enter,fastpath}.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker/internal.h"
#include "common/util.h"

/*
 * Per file: 512-byte sectors any op has touched so far (bitmap; sectors,
 * not fs blocks: without iomap events the block size is learnt only
 * after the first writes were submitted).
 */
struct touched {
	uint8_t *bits;
	uint64_t nbits;
	bool truncated;
};

/* An in-flight write that was the first to touch its range. */
struct first_w {
	uint64_t id;
	uint32_t file;
	uint64_t off, len;
	bool spoiled;
};

/* A DIO write as the kernel saw it (iomap_dio_rw_begin). */
struct kd {
	uint64_t serial;
	uint32_t file;
	int64_t tid;
	uint64_t t_begin, pos, count;
	/*
	 * Block ranges mapped unwritten for it, overlapping or adjacent ones
	 * merged, as many as it took (a 64 KiB write on 1 KiB blocks can map
	 * a dozen extents: a fixed array whose last range absorbed the rest
	 * claimed the written blocks between them, a false FAIL under load).
	 */
	uint64_t (*unw)[2];
	size_t nunw, unwcap;
	struct ck_xent map; /* the mapping event, for evidence */
};

/* Add [b0, b1] to k's unwritten ranges, merging where they touch. */
static void kd_add_range(struct kd *k, uint64_t b0, uint64_t b1)
{
	size_t i;

	for (i = 0; i < k->nunw; i++) {
		if (b0 > k->unw[i][1] + 1 || b1 + 1 < k->unw[i][0])
			continue;
		k->unw[i][0] = MIN(k->unw[i][0], b0);
		k->unw[i][1] = MAX(k->unw[i][1], b1);
		return;
	}
	grow_array((void **)&k->unw, &k->unwcap, k->nunw + 1, sizeof(*k->unw));
	k->unw[k->nunw][0] = b0;
	k->unw[k->nunw++][1] = b1;
}

struct cur {
	int64_t tid;
	uint64_t serial;
};

struct conv_state {
	struct kd *kd;
	size_t nkd, kdcap;
	struct cur *cur;
	size_t ncur, curcap;
	uint64_t serial;
	struct ck_filelists conv;   /* conversion events per file */
	struct ck_filelists walloc; /* blocks allocated written, per file */
	struct touched *tf;
	unsigned ntf;
	struct first_w *fw;
	size_t nfw, fwcap;
	uint64_t blocks_checked;
	struct ck_kwrites kw; /* 6.1: no iomap events */
	uint64_t kw_checked, unmapped, unproven;
	uint64_t not_dio; /* O_DIRECT writes the kernel did not do as DIO */
	struct ck_inv_result *r;
};

#define TOUCH_MAX_SECTORS (64ull << 20)

static void *conv_init(struct ck_ctx *ctx, struct ck_inv_result *r)
{
	struct conv_state *s = xcalloc(1, sizeof(*s));

	(void)ctx;
	s->r = r;
	return s;
}

static struct touched *touched_of(struct conv_state *s, unsigned file)
{
	if (file >= s->ntf) {
		unsigned n = MAX(file + 1, s->ntf * 2);

		s->tf = xrealloc(s->tf, n * sizeof(*s->tf));
		memset(s->tf + s->ntf, 0, (n - s->ntf) * sizeof(*s->tf));
		s->ntf = n;
	}
	return &s->tf[file];
}

/* Whether any of sectors [s0, s1] was touched. */
static bool touched_any(const struct touched *t, uint64_t s0, uint64_t s1)
{
	uint64_t b;

	for (b = s0; b <= s1 && b < t->nbits; b++)
		if (t->bits[b / 8] & (1u << (b % 8)))
			return true;
	return false;
}

/* Mark sectors [s0, s1]. */
static void touch(struct touched *t, uint64_t s0, uint64_t s1)
{
	uint64_t b;

	if (s1 >= TOUCH_MAX_SECTORS) {
		t->truncated = true; /* too big to track: give up */
		return;
	}
	if (s1 >= t->nbits) {
		uint64_t n = MAX(s1 + 1, t->nbits * 2);

		n = (n + 7) & ~7ull;
		t->bits = xrealloc(t->bits, n / 8);
		memset(t->bits + t->nbits / 8, 0, (n - t->nbits) / 8);
		t->nbits = n;
	}
	for (b = s0; b <= s1; b++)
		t->bits[b / 8] |= (uint8_t)(1u << (b % 8));
}

static bool op_modifies(int kind)
{
	return kind == OP_WRITE || kind == OP_TRUNCATE ||
	       kind == OP_FALLOCATE || kind == OP_PUNCH ||
	       kind == OP_ZERO_RANGE || kind == OP_COLLAPSE ||
	       kind == OP_INSERT;
}

/* Ops after which no block of the file is known fresh any more. */
static bool op_whole_file(int kind)
{
	return kind == OP_TRUNCATE || kind == OP_COLLAPSE || kind == OP_INSERT;
}

/* Whether [o0, o0+l0) and [o1, o1+l1) share a block of size b. */
static bool blocks_overlap(uint64_t o0, uint64_t l0, uint64_t o1, uint64_t l1,
			   uint64_t b)
{
	if (!l0 || !l1)
		return false;
	return o0 / b <= (o1 + l1 - 1) / b && o1 / b <= (o0 + l0 - 1) / b;
}

static void on_submit(struct conv_state *s, struct ck_ctx *ctx,
		      const struct ck_op *op)
{
	uint64_t bs = ctx->blocksize, b0, b1;
	/*
	 * Spoiling works on fs blocks: a later sub-block write to another
	 * sector of the block may reach the kernel first and allocate and
	 * convert the block, leaving this one a plain overwrite. Before the
	 * block size is known, a generous 64 KiB (spoiling only skips).
	 */
	uint64_t sb = ctx->blocksize_known && bs ? bs : 65536;
	struct touched *t;
	bool fresh;
	size_t i;

	if (!op_modifies(op->kind) || op->file >= 65536)
		return;
	t = touched_of(s, op->file);
	/*
	 * A later op on the range spoils every in-flight first writer; a
	 * truncate spoils all of the file's (the write may now land past
	 * EOF, where ext4 allocates written blocks), and so does a collapse
	 * or insert (they move every block above their offset).
	 */
	for (i = 0; i < s->nfw; i++) {
		struct first_w *w = &s->fw[i];

		if (w->file == op->file &&
		    (op_whole_file(op->kind) ||
		     blocks_overlap(op->off, op->len, w->off, w->len, sb)))
			w->spoiled = true;
	}
	if (op_whole_file(op->kind)) {
		t->truncated = true;
		return;
	}
	if (!op->len)
		return;
	/* fresh: nothing touched the fs blocks it writes (bs known) */
	b0 = op->off / bs;
	b1 = (op->off + op->len - 1) / bs;
	fresh = ctx->blocksize_known &&
		!touched_any(t, b0 * bs / 512, (b1 + 1) * bs / 512 - 1);
	touch(t, op->off / 512, (op->off + op->len - 1) / 512);
	if (op->kind != OP_WRITE || !(op->flags & OPF_DIRECT) || !fresh ||
	    t->truncated || op->file >= ctx->nfiles ||
	    op->off + op->len > ctx->initial_size[op->file])
		return;
	grow_array((void **)&s->fw, &s->fwcap, s->nfw + 1, sizeof(*s->fw));
	s->fw[s->nfw++] = (struct first_w){
		.id = op->id, .file = op->file, .off = op->off, .len = op->len
	};
}

/* Pops the op's first-writer record; true when it was fresh throughout. */
static bool take_first(struct conv_state *s, uint64_t id)
{
	size_t i;
	bool ok;

	for (i = 0; i < s->nfw; i++) {
		if (s->fw[i].id != id)
			continue;
		ok = !s->fw[i].spoiled;
		s->fw[i] = s->fw[--s->nfw];
		return ok;
	}
	return false;
}

static void set_cur(struct conv_state *s, int64_t tid, uint64_t serial)
{
	size_t i;

	for (i = 0; i < s->ncur; i++)
		if (s->cur[i].tid == tid)
			break;
	if (i == s->ncur) {
		grow_array((void **)&s->cur, &s->curcap, s->ncur + 1,
			   sizeof(*s->cur));
		s->ncur++;
	}
	s->cur[i] = (struct cur){ tid, serial };
}

static struct kd *cur_kd(struct conv_state *s, int64_t tid)
{
	size_t i, j;

	for (i = 0; i < s->ncur; i++) {
		if (s->cur[i].tid != tid)
			continue;
		for (j = s->nkd; j--;)
			if (s->kd[j].serial == s->cur[i].serial)
				return &s->kd[j];
		return NULL;
	}
	return NULL;
}

/* The kernel DIO of op: same file, pos and count, began in its lifetime. */
static bool take_kd(struct conv_state *s, const struct ck_op *op,
		    struct kd *out)
{
	size_t i, best = SIZE_MAX;

	for (i = 0; i < s->nkd; i++) {
		const struct kd *k = &s->kd[i];

		if (k->file != op->file || k->pos != op->off ||
		    k->count != op->len || k->t_begin < op->t_submit ||
		    k->t_begin > op->t_complete)
			continue;
		if (best == SIZE_MAX || k->t_begin < s->kd[best].t_begin)
			best = i;
	}
	if (best == SIZE_MAX)
		return false;
	*out = s->kd[best];
	s->kd[best] = s->kd[--s->nkd];
	return true;
}

/*
 * Did the kernel allocate every block of [b0, b1] of op's inode written
 * (map exit with CREATE, NEW and not UNWRITTEN, any thread) while op was
 * in flight?
 */
static bool alloc_written(struct conv_state *s, const struct ck_op *op,
			  uint64_t b0, uint64_t b1)
{
	uint64_t n = b1 - b0 + 1, i;
	bool *cov = xcalloc(n, sizeof(bool)), all = true;

	ck_xlist_cover(ck_filelist(&s->walloc, op->file), op->inode,
		       op->t_submit, op->t_complete, b0, b1, cov);
	for (i = 0; i < n && all; i++)
		all = cov[i];
	free(cov);
	return all;
}

static void check_write(struct conv_state *s, struct ck_ctx *ctx,
			const struct ck_op *op, struct ck_inv_result *r)
{
	uint64_t bs = ctx->blocksize, b0, b1, n, i, nneed = 0, nmiss = 0;
	unsigned j;
	bool first = take_first(s, op->id);
	bool *need, *conv, have_kd, own_io = true;
	const struct ck_xent *lastc, *lastu = NULL;
	uint64_t t0 = op->t_submit;
	struct ck_xlist *cl;
	struct ck_evidence *e;
	struct kd k;

	if (op->kind != OP_WRITE || !(op->flags & OPF_DIRECT) || op->res <= 0 ||
	    op->file >= 65536)
		return;
	b0 = op->off / bs;
	b1 = (op->off + (uint64_t)op->res - 1) / bs;
	n = b1 - b0 + 1;
	if (n > 65536) {
		r->skipped++;
		return;
	}
	need = xcalloc(n, sizeof(bool));
	conv = xcalloc(n, sizeof(bool));
	cl = ck_filelist(&s->conv, op->file);
	have_kd = take_kd(s, op, &k);
	if (have_kd) {
		t0 = k.t_begin;
		for (j = 0; j < k.nunw; j++)
			for (i = MAX(k.unw[j][0], b0);
			     i <= MIN(k.unw[j][1], b1); i++)
				need[i - b0] = true;
		if (k.nunw)
			lastu = &k.map;
		free(k.unw);
	}
	if (!have_kd) {
		/* no iomap DIO event: the submitting thread's ext4 mapping */
		const struct ck_kwrite *w = ck_kw_find(&s->kw, op->id);

		if (w && w->started && w->any_unwritten) {
			t0 = w->t_kbegin;
			for (j = 0; j < w->next_ext; j++) {
				if (!w->ext[j].unwritten)
					continue;
				for (i = MAX(w->ext[j].lblk, b0);
				     i <=
				     MIN(w->ext[j].lblk + w->ext[j].len - 1,
					 b1);
				     i++) {
					need[i - b0] = true;
					/* its own request ended before */
					if (!w->done_map ||
					    !(w->done_map[i - w->b0] &
					      CK_KW_RQ))
						own_io = false;
				}
			}
			lastu = &w->umap;
			s->kw_checked++;
		} else if (!w || !w->started) {
			s->unmapped++;
		}
	}
	/*
	 * The first-write rule holds for writes the kernel did as DIO: where
	 * iomap traces every DIO and none began for this op, ext4 fell back
	 * to buffered I/O (data=journal, unaligned on some kernels), whose
	 * unwritten blocks convert at writeback, after the write returned.
	 */
	if (first && !have_kd && !ctx->kmissing[EV_IOMAP_DIO_RW_BEGIN]) {
		s->not_dio++;
		first = false;
	}
	/*
	 * Without iomap events the fallback shows in the allocation: a DIO
	 * write inside i_size maps unwritten blocks, the buffered write it
	 * fell back to (data=journal) allocates them written, in the
	 * submitter or, for io_uring, in an io-wq worker. A first write whose
	 * blocks were all allocated written while it was in flight did no
	 * DIO there (seen on 6.1: data-journal-dio and a data=journal swarm
	 * configuration "needed" a conversion that never comes).
	 */
	if (first && !have_kd && !lastu && alloc_written(s, op, b0, b1)) {
		s->not_dio++;
		first = false;
	}
	if (first)
		for (i = 0; i < n; i++)
			need[i] = true;
	lastc = ck_xlist_cover(cl, op->inode, t0, op->t_complete, b0, b1, conv);
	for (i = 0; i < n; i++) {
		if (!need[i])
			continue;
		nneed++;
		if (!conv[i])
			nmiss++;
	}
	if (nneed) {
		r->checked++;
		s->blocks_checked += nneed;
	}
	if (nmiss && !have_kd && lastu && !first && !own_io) {
		/*
		 * The mapping may be a later DIO's at the same offset (this
		 * one overwrote written blocks, which maps nothing): without
		 * its own requests ending first it proves nothing.
		 */
		r->skipped++;
		s->unproven++;
	} else if (nmiss) {
		e = ck_evidence_add(
			r,
			"DIO write %" PRIu64 " (file %u ino %" PRIu64
			" blocks %" PRIu64 "-%" PRIu64
			") completed with %" PRIu64 " of %" PRIu64
			" blocks needing conversion unconverted "
			"(need known from %s)",
			op->id, op->file, op->inode, b0, b1, nmiss, nneed,
			lastu ? "kernel mapping of its DIO" :
				"op stream: first write there");
		ck_op_cite(e, op, false);
		if (lastu)
			ck_xent_cite(e, lastu);
		if (lastc)
			ck_xent_cite(e, lastc);
		ck_op_cite(e, op, true);
	}
	free(need);
	free(conv);
}

static void conv_event(void *st, struct ck_ctx *ctx, const struct ck_event *ev)
{
	struct conv_state *s = st;
	struct ck_xent x;
	struct ck_op *op;
	bool started;
	int f;

	ck_kw_event(&s->kw, ctx, ev, &started);
	switch (ck_id(ev)) {
	case EV_OP_SUBMIT:
		op = ck_op_find(ctx, ck_u(ev, FK_ID));
		if (op)
			on_submit(s, ctx, op);
		return;
	case EV_OP_COMPLETE:
		op = ck_op_find(ctx, ck_u(ev, FK_ID));
		if (op)
			check_write(s, ctx, op, s->r);
		return;
	default:
		break;
	}
	if (ck_id(ev) < EV_FIRST_KERNEL || !ck_kernel_dev_ok(ctx, ev))
		return;
	f = ck_file_of_inode(ctx, ck_u(ev, FK_INO));
	if (f < 0)
		return;
	if (ck_id(ev) == EV_IOMAP_DIO_RW_BEGIN) {
		struct kd *k;

		if (!(ck_u(ev, FK_KI_FLAGS) & K_IOCB_WRITE))
			return;
		grow_array((void **)&s->kd, &s->kdcap, s->nkd + 1,
			   sizeof(*s->kd));
		k = &s->kd[s->nkd++];
		memset(k, 0, sizeof(*k));
		k->serial = ++s->serial;
		k->file = (uint32_t)f;
		k->tid = ev->tid;
		k->t_begin = ev->t;
		k->pos = ck_u(ev, FK_POS);
		k->count = ck_u(ev, FK_COUNT);
		set_cur(s, ev->tid, k->serial);
		return;
	}
	if (ck_id(ev) == EV_EXT4_MAP_BLOCKS_EXIT && ck_s(ev, FK_RET) > 0 &&
	    ((uint32_t)ck_u(ev, FK_FLAGS) & K_GB_CREATE) &&
	    (ck_u(ev, FK_MFLAGS) & K_MAP_NEW) &&
	    !(ck_u(ev, FK_MFLAGS) & K_MAP_UNWRITTEN)) {
		x.t = ev->t;
		x.ino = ck_u(ev, FK_INO);
		x.lblk = ck_u(ev, FK_LBLK);
		x.len = MIN(ck_u(ev, FK_LEN), (uint64_t)ck_s(ev, FK_RET));
		x.flags = (uint32_t)ck_u(ev, FK_FLAGS);
		x.evid = (uint16_t)ck_id(ev);
		ck_xlist_add(ck_filelist(&s->walloc, (unsigned)f), &x);
	}
	if (ck_conversion_extent(ev, &x)) {
		ck_xlist_add(ck_filelist(&s->conv, (unsigned)f), &x);
	} else if (ck_unwritten_map_extent(ev, &x)) {
		/* mapping done in the submitting thread, for its last DIO */
		struct kd *k = cur_kd(s, ev->tid);
		uint64_t bs = ctx->blocksize, b0, b1, xe;

		if (!k || k->file != (uint32_t)f || !k->count || !x.len)
			return;
		/*
		 * ext4_ext_handle_unwritten_extents carries the length asked
		 * for, which may run past the unwritten extent into written
		 * blocks; the map exit that follows it has what was mapped.
		 */
		if (ck_id(ev) == EV_EXT4_HANDLE_UNWRITTEN &&
		    !ctx->kmissing[EV_EXT4_MAP_BLOCKS_EXIT])
			return;
		b0 = k->pos / bs;
		b1 = (k->pos + k->count - 1) / bs;
		xe = x.lblk + x.len - 1;
		if (x.lblk > b1 || xe < b0)
			return;
		b0 = MAX(b0, x.lblk);
		b1 = MIN(b1, xe);
		if (!k->nunw)
			k->map = x;
		kd_add_range(k, b0, b1);
	}
}

static void conv_finish(void *st, struct ck_ctx *ctx, struct ck_inv_result *r)
{
	struct conv_state *s = st;
	bool conv_seen = ctx->kseen[EV_EXT4_HANDLE_UNWRITTEN] ||
			 ctx->kseen[EV_EXT4_CONVERT_INIT_ENTER] ||
			 ctx->kseen[EV_EXT4_CONVERT_INIT_FASTPATH];
	bool conv_missing = ctx->kmissing[EV_EXT4_HANDLE_UNWRITTEN] &&
			    ctx->kmissing[EV_EXT4_CONVERT_INIT_ENTER];

	if (r->checked &&
	    (conv_missing ||
	     (!conv_seen && !ctx->kseen[EV_EXT4_MAP_BLOCKS_EXIT]))) {
		r->status = CK_INCONCLUSIVE;
		snprintf(r->note, sizeof(r->note),
			 "ext4 extent events not recorded; %" PRIu64
			 " writes needed conversion",
			 r->checked);
	} else if (r->failed) {
		r->status = CK_FAIL;
	} else if (!r->checked) {
		r->status = CK_NA;
		snprintf(r->note, sizeof(r->note),
			 "no DIO write needed conversion");
	} else {
		r->status = CK_PASS;
		snprintf(r->note, sizeof(r->note),
			 "%" PRIu64 " blocks of %" PRIu64
			 " writes converted before completion",
			 s->blocks_checked, r->checked);
		if (!ctx->kseen[EV_IOMAP_DIO_RW_BEGIN])
			snprintf(
				r->note + strlen(r->note),
				sizeof(r->note) - strlen(r->note),
				" (no iomap events: %" PRIu64
				" matched by their thread's ext4 mapping, %" PRIu64
				" DIO writes had none, %" PRIu64
				" unconverted without their own I/O ended "
				"skipped)",
				s->kw_checked, s->unmapped, s->unproven);
	}
	if (s->not_dio)
		snprintf(r->note + strlen(r->note),
			 sizeof(r->note) - strlen(r->note),
			 " (%" PRIu64 " O_DIRECT writes done buffered by the "
			 "kernel: no iomap DIO, not judged)",
			 s->not_dio);
}

static void conv_free(void *st)
{
	struct conv_state *s = st;
	unsigned i;

	ck_filelists_free(&s->conv);
	ck_filelists_free(&s->walloc);
	ck_kw_free(&s->kw);
	for (size_t j = 0; j < s->nkd; j++)
		free(s->kd[j].unw);
	free(s->kd);
	free(s->cur);
	for (i = 0; i < s->ntf; i++)
		free(s->tf[i].bits);
	free(s->tf);
	free(s->fw);
	free(s);
}

const struct ck_inv_ops inv_conversion_ops = {
	.name = "conversion_before_completion",
	.description = "a DIO write into a hole or unwritten range has its "
		       "kernel conversion event, covering the range, before "
		       "the completion iorace saw",
	.kernel = true,
	.init = conv_init,
	.event = conv_event,
	.finish = conv_finish,
	.free = conv_free,
};
