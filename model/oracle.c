// SPDX-License-Identifier: GPL-2.0
/*
 * The oracle (rules in oracle.h).
 *
 * Representation
 *  - Every op gets a dense internal index (0 = the initial contents, an op
 *    that wrote zeros everywhere and completed at t=0); a hash map takes op
 *    ids to indexes, so ids need not be dense or bounded.
 *  - Per file, per sector, a short list of the data writes that covered the
 *    sector (struct sect: two inline slots, then a heap array). Sectors are
 *    allocated lazily in chunks of CHUNK_SECTORS.
 *  - Zeroing ops (truncate, punch, zero_range) are kept per file as sector
 *    ranges, not per sector: a truncate to 0 of a 1 GiB file costs one
 *    entry. The initial contents are implicit (live while no other
 *    candidate of the sector definitely completed).
 *
 * Deadness. With K(s, R) = the latest submit time among candidates of s
 * that completed successfully before R was submitted, a candidate C is dead
 * for R exactly when C.complete < K: "C.complete < D.submit for some such
 * D" is the same as "C.complete < max D.submit". The candidate that attains
 * K is reported as the one that overwrote it; it decides the class (a write:
 * LOST, a zeroing op: STALE).
 *
 * Pruning. A write in a sector list is dropped when a later write D of the
 * same sector completed successfully after it started (C.complete <
 * D.submit) and before the horizon: min(submit of every read in flight, the
 * latest time seen) - ORACLE_SLACK_NS. No read judged later can see C as
 * live. The slack absorbs small disorder between threads feeding the oracle
 * online. A pruned write that shows up in a read is found through the hash
 * map; whatever pruned it (or what pruned that) still kills it.
 */
#include "model/oracle.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/util.h"
#include "model/stamp.h"

#define T_INF		UINT64_MAX
#define S_INF		UINT64_MAX
#define OP_INITIAL	OP_NKINDS
#define CHUNK_SHIFT	12
#define CHUNK_SECTORS	(1u << CHUNK_SHIFT)
#define SECT_INLINE	2
#define ORACLE_SLACK_NS (100 * NSEC_PER_MSEC)
#define DEC_BATCH	128

static const char *const kind_names[OP_NKINDS] = {
	[OP_WRITE] = "write",
	[OP_READ] = "read",
	[OP_TRUNCATE] = "truncate",
	[OP_FALLOCATE] = "fallocate",
	[OP_PUNCH] = "punch",
	[OP_ZERO_RANGE] = "zero_range",
	[OP_FSYNC] = "fsync",
	[OP_FDATASYNC] = "fdatasync",
	[OP_COLLAPSE] = "collapse_range",
	[OP_INSERT] = "insert_range",
};

const char *op_kind_name(enum op_kind k)
{
	if ((unsigned)k < OP_NKINDS)
		return kind_names[k];
	if (k == OP_INITIAL)
		return "initial";
	return "?";
}

int op_kind_from_name(const char *s)
{
	if (!s)
		return -1;
	for (int i = 0; i < OP_NKINDS; i++)
		if (!strcasecmp(s, kind_names[i]))
			return i;
	if (!strcasecmp(s, "zero-range"))
		return OP_ZERO_RANGE;
	if (!strcasecmp(s, "collapse"))
		return OP_COLLAPSE;
	if (!strcasecmp(s, "insert"))
		return OP_INSERT;
	return -1;
}

struct orec {
	uint64_t id;
	uint64_t off, len;
	uint64_t ts, tc; /* tc = T_INF while in flight */
	/* size setters (truncate, shift): the size they set, in [tlo, thi] */
	uint64_t tlo, thi;
	int64_t res;
	uint32_t file;
	uint32_t rslot;	 /* reads in flight: slot in o->rd */
	uint32_t extpos; /* extenders: position in the file's ext[] + 1 */
	uint8_t kind;
	uint8_t flags;
	uint8_t done;
	uint8_t nokill; /* overlapped a shift: may be at either place */
};

/*
 * A candidate write of a sector: internal op index, and d: the write put
 * this data at sector s + d (0 unless a shift moved it here).
 */
struct cand {
	uint32_t idx;
	int32_t d;
};

/* Candidate writes of one sector. */
struct sect {
	uint32_t n;
	uint32_t cap; /* 0: inline */
	union {
		struct cand in[SECT_INLINE];
		struct cand *ext;
	};
};

/* A zeroing op's sector range [s0, s1). */
struct zr {
	uint32_t idx;
	uint64_t s0, s1;
};

/*
 * Summary of a block of extenders, so that size bounds skip most of them:
 * the largest end they could produce, the latest submit and completion.
 */
#define EBLK_SHIFT 8
struct eblk {
	uint64_t max_end; /* off + len */
	uint64_t max_ts;
	uint64_t max_done_tc;
	uint32_t inflight;
};

struct ofile {
	uint64_t initial_size;
	struct sect **chunks;
	size_t nchunks;
	struct zr *zr;
	size_t nzr, zrcap, zr_prune_at;
	uint32_t *trunc; /* truncates, for sizes */
	size_t ntrunc, trunccap;
	uint32_t *ext; /* ops that may extend the size, in submit order */
	size_t next, extcap;
	struct eblk *eblk; /* summaries of EBLK_SIZE extenders each */
	size_t neblk, eblkcap;
	uint64_t min_floor; /* min(initial size, every truncate target) */
	uint64_t max_ever;  /* max size any op may have produced */
	/* shifts (collapse/insert): see oracle.h */
	uint32_t shifts_pending; /* submitted, not completed */
	uint32_t shifted;	 /* applied */
	uint32_t *shl;		 /* every shift, in submit order */
	size_t nshl, shlcap;
	bool unsure; /* a shift failed oddly: reads not judged */
};

struct oracle {
	unsigned nfiles;
	uint64_t seed;
	struct ofile *files;
	struct orec *ops;
	size_t nops, opcap;
	/* id -> index + 1 (0: empty), open addressing */
	uint64_t *hkey;
	uint32_t *hval;
	size_t hcap, hn;
	/* reads in flight */
	uint32_t *rd;
	size_t nrd, rdcap;
	uint64_t rd_min;
	bool rd_dirty;
	uint64_t now;
	/* stats */
	uint64_t cand_now, cand_peak, ext_lists, pruned, shift_skipped;
	uint64_t shift_partial;
};

/* ---- id map ---- */

static inline size_t hslot(uint64_t id, size_t cap)
{
	return (size_t)((id * 0x9e3779b97f4a7c15ull) >> 17) & (cap - 1);
}

static void hput_raw(struct oracle *o, uint64_t id, uint32_t v)
{
	size_t i = hslot(id, o->hcap);

	while (o->hval[i] && o->hkey[i] != id)
		i = (i + 1) & (o->hcap - 1);
	if (!o->hval[i])
		o->hn++;
	o->hkey[i] = id;
	o->hval[i] = v;
}

static void hput(struct oracle *o, uint64_t id, uint32_t idx)
{
	if ((o->hn + 1) * 2 > o->hcap) {
		uint64_t *ok = o->hkey;
		uint32_t *ov = o->hval;
		size_t oc = o->hcap;

		o->hcap = oc ? oc * 2 : 1024;
		o->hkey = xcalloc(o->hcap, sizeof(*o->hkey));
		o->hval = xcalloc(o->hcap, sizeof(*o->hval));
		o->hn = 0;
		for (size_t i = 0; i < oc; i++)
			if (ov[i])
				hput_raw(o, ok[i], ov[i]);
		free(ok);
		free(ov);
	}
	hput_raw(o, id, idx + 1);
}

static struct orec *hget(const struct oracle *o, uint64_t id)
{
	size_t i;

	if (!o->hcap)
		return NULL;
	i = hslot(id, o->hcap);
	while (o->hval[i]) {
		if (o->hkey[i] == id)
			return &o->ops[o->hval[i] - 1];
		i = (i + 1) & (o->hcap - 1);
	}
	return NULL;
}

/* ---- sector lists ---- */

static inline struct cand *sect_ids(struct sect *sc)
{
	return sc->cap ? sc->ext : sc->in;
}

static struct sect *sect_get(struct ofile *f, uint64_t s, bool create)
{
	size_t c = (size_t)(s >> CHUNK_SHIFT);

	if (c >= f->nchunks) {
		size_t n;

		if (!create)
			return NULL;
		n = f->nchunks ? f->nchunks : 16;
		while (n <= c)
			n *= 2;
		f->chunks = xrealloc(f->chunks, n * sizeof(*f->chunks));
		memset(f->chunks + f->nchunks, 0,
		       (n - f->nchunks) * sizeof(*f->chunks));
		f->nchunks = n;
	}
	if (!f->chunks[c]) {
		if (!create)
			return NULL;
		f->chunks[c] = xcalloc(CHUNK_SECTORS, sizeof(struct sect));
	}
	return &f->chunks[c][s & (CHUNK_SECTORS - 1)];
}

static void sect_push(struct oracle *o, struct sect *sc, uint32_t idx,
		      int32_t d)
{
	struct cand cd = { .idx = idx, .d = d };

	if (!sc->cap && sc->n < SECT_INLINE) {
		sc->in[sc->n++] = cd;
		return;
	}
	if (!sc->cap) {
		struct cand *e = xmalloc(8 * sizeof(*e));

		memcpy(e, sc->in, sc->n * sizeof(*e));
		sc->ext = e;
		sc->cap = 8;
		o->ext_lists++;
	} else if (sc->n == sc->cap) {
		sc->cap *= 2;
		sc->ext = xrealloc(sc->ext, sc->cap * sizeof(*sc->ext));
	}
	sc->ext[sc->n++] = cd;
}

/* May w kill older candidates (not when it overlapped a shift)? */
static inline bool kills(const struct orec *w)
{
	return !w->nokill;
}

static inline bool write_ok_for(const struct orec *w, uint64_t s)
{
	/* the bytes of sector s were all transferred */
	return w->done && w->res >= 0 &&
	       (s + 1) * SECTOR_SIZE - w->off <= (uint64_t)w->res;
}

static uint64_t horizon(struct oracle *o)
{
	uint64_t h = o->now;

	if (o->nrd) {
		if (o->rd_dirty) {
			o->rd_min = T_INF;
			for (size_t i = 0; i < o->nrd; i++)
				o->rd_min = MIN(o->rd_min, o->ops[o->rd[i]].ts);
			o->rd_dirty = false;
		}
		h = MIN(h, o->rd_min);
	}
	return h > ORACLE_SLACK_NS ? h - ORACLE_SLACK_NS : 0;
}

static void sect_prune(struct oracle *o, struct sect *sc, uint64_t s,
		       uint64_t h)
{
	struct cand *ids = sect_ids(sc);
	uint64_t k = 0;
	uint32_t j = 0;

	for (uint32_t i = 0; i < sc->n; i++) {
		const struct orec *d = &o->ops[ids[i].idx];

		if (d->tc < h && kills(d) &&
		    write_ok_for(d, s + (uint64_t)(int64_t)ids[i].d) &&
		    d->ts > k)
			k = d->ts;
	}
	if (!k)
		return;
	for (uint32_t i = 0; i < sc->n; i++)
		if (o->ops[ids[i].idx].tc >= k)
			ids[j++] = ids[i];
	o->pruned += sc->n - j;
	o->cand_now -= sc->n - j;
	sc->n = j;
	if (sc->cap && j <= SECT_INLINE) {
		struct cand *e = sc->ext;

		memcpy(sc->in, e, j * sizeof(*e));
		free(e);
		sc->cap = 0;
		o->ext_lists--;
	}
}

/* ---- lifecycle ---- */

struct oracle *oracle_new(unsigned nfiles, const uint64_t *initial_size,
			  uint64_t seed)
{
	struct oracle *o = xcalloc(1, sizeof(*o));
	struct orec *z;

	o->nfiles = nfiles;
	o->seed = seed;
	o->files = xcalloc(nfiles ? nfiles : 1, sizeof(*o->files));
	for (unsigned i = 0; i < nfiles; i++) {
		uint64_t sz = initial_size ? initial_size[i] : 0;

		o->files[i].initial_size = sz;
		o->files[i].min_floor = sz;
		o->files[i].max_ever = sz;
	}
	grow_array((void **)&o->ops, &o->opcap, 1, sizeof(*o->ops));
	z = &o->ops[0];
	memset(z, 0, sizeof(*z));
	z->kind = OP_INITIAL;
	z->done = 1;
	o->nops = 1;
	return o;
}

void oracle_free(struct oracle *o)
{
	if (!o)
		return;
	for (unsigned i = 0; i < o->nfiles; i++) {
		struct ofile *f = &o->files[i];

		for (size_t c = 0; c < f->nchunks; c++) {
			if (!f->chunks[c])
				continue;
			for (size_t k = 0; k < CHUNK_SECTORS; k++)
				if (f->chunks[c][k].cap)
					free(f->chunks[c][k].ext);
			free(f->chunks[c]);
		}
		free(f->chunks);
		free(f->zr);
		free(f->trunc);
		free(f->ext);
		free(f->eblk);
		free(f->shl);
	}
	free(o->files);
	free(o->ops);
	free(o->hkey);
	free(o->hval);
	free(o->rd);
	free(o);
}

static void u32_push(uint32_t **v, size_t *n, size_t *cap, uint32_t x)
{
	grow_array((void **)v, cap, *n + 1, sizeof(**v));
	(*v)[(*n)++] = x;
}

static void ext_push(struct ofile *f, struct orec *r, uint32_t idx)
{
	size_t b = f->next >> EBLK_SHIFT;
	struct eblk *e;

	u32_push(&f->ext, &f->next, &f->extcap, idx);
	r->extpos = (uint32_t)f->next;
	if (b >= f->neblk) {
		grow_array((void **)&f->eblk, &f->eblkcap, b + 1,
			   sizeof(*f->eblk));
		memset(&f->eblk[b], 0, sizeof(*f->eblk));
		f->neblk = b + 1;
	}
	e = &f->eblk[b];
	e->max_end = MAX(e->max_end, r->off + r->len);
	e->max_ts = MAX(e->max_ts, r->ts);
	e->inflight++;
	f->max_ever = MAX(f->max_ever, r->off + r->len);
}

static inline bool zr_ok(const struct orec *z)
{
	return z->done && z->res >= 0;
}

/* Drop zeroing ops made irrelevant by a later settled one covering them. */
static void zr_prune(struct oracle *o, struct ofile *f)
{
	uint64_t h = horizon(o);
	size_t j = 0;

	for (size_t i = 0; i < f->nzr; i++) {
		const struct zr *a = &f->zr[i];
		const struct orec *c = &o->ops[a->idx];
		bool dead = false;

		for (size_t k = 0; k < f->nzr && !dead; k++) {
			const struct zr *b = &f->zr[k];
			const struct orec *d = &o->ops[b->idx];

			dead = k != i && zr_ok(d) && kills(d) && d->tc < h &&
			       c->tc < d->ts && b->s0 <= a->s0 &&
			       b->s1 >= a->s1;
		}
		if (!dead)
			f->zr[j++] = *a;
	}
	f->nzr = j;
	j = 0;
	for (size_t i = 0; i < f->ntrunc; i++) {
		const struct orec *c = &o->ops[f->trunc[i]];
		bool dead = false;

		for (size_t k = 0; k < f->ntrunc && !dead; k++) {
			const struct orec *d = &o->ops[f->trunc[k]];

			dead = k != i && zr_ok(d) && d->tc < h && c->tc < d->ts;
		}
		if (!dead)
			f->trunc[j++] = f->trunc[i];
	}
	f->ntrunc = j;
	f->zr_prune_at = 2 * MAX(f->nzr, f->ntrunc) + 16;
}

static void add_zr(struct oracle *o, struct ofile *f, uint32_t idx, uint64_t s0,
		   uint64_t s1)
{
	if (s0 >= s1)
		return;
	if (f->nzr >= f->zr_prune_at || f->ntrunc >= f->zr_prune_at)
		zr_prune(o, f);
	grow_array((void **)&f->zr, &f->zrcap, f->nzr + 1, sizeof(*f->zr));
	f->zr[f->nzr++] = (struct zr){ .idx = idx, .s0 = s0, .s1 = s1 };
}

void oracle_submit(struct oracle *o, const struct oracle_op *op)
{
	struct ofile *f;
	struct orec *r;
	uint32_t idx;

	if (op->file >= o->nfiles || op->kind >= OP_NKINDS || op->id == 0 ||
	    hget(o, op->id))
		return;
	f = &o->files[op->file];
	grow_array((void **)&o->ops, &o->opcap, o->nops + 1, sizeof(*o->ops));
	idx = (uint32_t)o->nops++;
	r = &o->ops[idx];
	memset(r, 0, sizeof(*r));
	r->id = op->id;
	r->kind = (uint8_t)op->kind;
	r->flags = (uint8_t)op->flags;
	r->file = op->file;
	r->off = op->off;
	r->len = op->len;
	r->ts = op->t_submit;
	r->tc = T_INF;
	hput(o, op->id, idx);
	o->now = MAX(o->now, op->t_submit);

	switch (op->kind) {
	case OP_WRITE: {
		uint64_t s0 = op->off >> SECTOR_SHIFT;
		uint64_t n = op->len >> SECTOR_SHIFT;
		uint64_t h = horizon(o);

		for (uint64_t s = s0; s < s0 + n; s++) {
			struct sect *sc = sect_get(f, s, true);

			if (sc->n)
				sect_prune(o, sc, s, h);
			sect_push(o, sc, idx, 0);
			o->cand_now++;
		}
		o->cand_peak = MAX(o->cand_peak, o->cand_now);
		ext_push(f, r, idx);
		break;
	}
	case OP_READ:
		if (!o->nrd) {
			o->rd_min = op->t_submit;
			o->rd_dirty = false;
		}
		r->rslot = (uint32_t)o->nrd;
		u32_push(&o->rd, &o->nrd, &o->rdcap, idx);
		break;
	case OP_TRUNCATE:
		r->tlo = r->thi = op->off;
		u32_push(&f->trunc, &f->ntrunc, &f->trunccap, idx);
		add_zr(o, f, idx, (op->off + SECTOR_SIZE - 1) >> SECTOR_SHIFT,
		       S_INF);
		f->min_floor = MIN(f->min_floor, op->off);
		f->max_ever = MAX(f->max_ever, op->off);
		break;
	case OP_PUNCH:
	case OP_ZERO_RANGE:
		add_zr(o, f, idx, (op->off + SECTOR_SIZE - 1) >> SECTOR_SHIFT,
		       (op->off + op->len) >> SECTOR_SHIFT);
		if (op->kind == OP_PUNCH || (op->flags & OPF_KEEP_SIZE))
			break;
		/* zero_range without keep_size may extend the size */
		__attribute__((fallthrough));
	case OP_FALLOCATE:
		if (op->flags & OPF_KEEP_SIZE)
			break;
		ext_push(f, r, idx);
		break;
	case OP_COLLAPSE:
	case OP_INSERT:
		/* two shifts overlapping in time: their order is unknown */
		if (f->shifts_pending)
			f->unsure = true;
		f->shifts_pending++;
		u32_push(&f->shl, &f->nshl, &f->shlcap, idx);
		if (op->kind == OP_INSERT)
			f->max_ever += op->len;
		break;
	default:
		break;
	}
}

static void apply_shift(struct oracle *o, struct ofile *f, struct orec *sh);

void oracle_complete(struct oracle *o, uint64_t id, int64_t res,
		     uint64_t t_complete)
{
	struct orec *r = hget(o, id);

	if (!r || r->done)
		return;
	r->done = 1;
	r->res = res;
	r->tc = t_complete;
	o->now = MAX(o->now, t_complete);
	if (r->extpos) {
		struct eblk *e =
			&o->files[r->file].eblk[(r->extpos - 1) >> EBLK_SHIFT];

		e->inflight--;
		e->max_done_tc = MAX(e->max_done_tc, t_complete);
	}
	if (r->kind == OP_COLLAPSE || r->kind == OP_INSERT) {
		struct ofile *f = &o->files[r->file];

		if (f->shifts_pending)
			f->shifts_pending--;
		if (res == 0)
			apply_shift(o, f, r);
		else if (res != -EINVAL && res != -EOPNOTSUPP)
			f->unsure = true; /* it may have shifted part */
	}
	if (r->kind == OP_READ && o->nrd) {
		uint32_t slot = r->rslot;
		uint32_t last = o->rd[o->nrd - 1];

		if (slot < o->nrd && o->rd[slot] == (uint32_t)(r - o->ops)) {
			o->rd[slot] = last;
			o->ops[last].rslot = slot;
			o->nrd--;
			if (r->ts <= o->rd_min)
				o->rd_dirty = true;
		}
	}
}

/* ---- string helpers ---- */

struct sbuf {
	char *p;
	size_t cap, len;
};

static void sb_printf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->len + 1 >= b->cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	b->len += (size_t)n;
	if (b->len >= b->cap) {
		b->len = b->cap - 1;
		if (b->cap > 4)
			memcpy(b->p + b->cap - 4, "...", 4);
	}
}

/* ---- read checking ---- */

/* Everything known about one sector of one read. */
struct sctx {
	struct oracle *o;
	struct ofile *f;
	const struct orec *rd;
	uint64_t rs, rc;
	const struct zr *zr; /* zeroing ops overlapping the read */
	size_t nzr;
	/* per sector */
	uint64_t s;
	struct cand *ids;
	uint32_t nids;
	uint64_t k; /* latest submit among killers, 0: none */
	const struct orec *killer;
};

static void sctx_sector(struct sctx *c, uint64_t s)
{
	struct sect *sc = sect_get(c->f, s, false);

	c->s = s;
	c->ids = sc ? sect_ids(sc) : NULL;
	c->nids = sc ? sc->n : 0;
	c->k = 0;
	c->killer = NULL;
	for (uint32_t i = 0; i < c->nids; i++) {
		const struct orec *d = &c->o->ops[c->ids[i].idx];

		if (d->tc < c->rs && kills(d) &&
		    write_ok_for(d, s + (uint64_t)(int64_t)c->ids[i].d) &&
		    (!c->killer || d->ts > c->k)) {
			c->k = d->ts;
			c->killer = d;
		}
	}
	for (size_t i = 0; i < c->nzr; i++) {
		const struct zr *z = &c->zr[i];
		const struct orec *d = &c->o->ops[z->idx];

		if (s >= z->s0 && s < z->s1 && d->tc < c->rs && zr_ok(d) &&
		    kills(d) && (!c->killer || d->ts > c->k)) {
			c->k = d->ts;
			c->killer = d;
		}
	}
}

static inline bool live(const struct sctx *c, const struct orec *x)
{
	return !c->killer || x->tc >= c->k;
}

static bool zeros_live(const struct sctx *c)
{
	if (!c->killer)
		return true; /* the initial contents */
	for (size_t i = 0; i < c->nzr; i++) {
		const struct zr *z = &c->zr[i];
		const struct orec *d = &c->o->ops[z->idx];

		if (c->s >= z->s0 && c->s < z->s1 && d->ts <= c->rc &&
		    live(c, d))
			return true;
	}
	return false;
}

static void expected_str(const struct sctx *c, char *out, size_t cap)
{
	struct sbuf b = { out, cap, 0 };
	uint64_t infl[8];
	unsigned ninfl = 0, nw = 0;
	bool zeros = false;

	out[0] = '\0';
	for (uint32_t i = 0; i < c->nids; i++) {
		const struct orec *w = &c->o->ops[c->ids[i].idx];

		if (w->ts > c->rc || !live(c, w))
			continue;
		sb_printf(&b, nw++ ? " or %" PRIu64 : "gen %" PRIu64, w->id);
		if (w->tc > c->rc && ninfl < ARRAY_SIZE(infl))
			infl[ninfl++] = w->id;
	}
	if (!c->killer)
		zeros = true;
	for (size_t i = 0; i < c->nzr; i++) {
		const struct zr *z = &c->zr[i];
		const struct orec *d = &c->o->ops[z->idx];

		if (c->s < z->s0 || c->s >= z->s1 || d->ts > c->rc ||
		    !live(c, d))
			continue;
		zeros = true;
		if (d->tc > c->rc && ninfl < ARRAY_SIZE(infl))
			infl[ninfl++] = d->id;
	}
	if (zeros)
		sb_printf(&b, nw ? " or zeros" : "zeros");
	if (!nw && !zeros)
		sb_printf(&b, "nothing live");
	for (unsigned i = 0; i < ninfl; i++)
		sb_printf(&b, "%s%" PRIu64 "%s",
			  i ? ", " : (ninfl > 1 ? " (ops " : " (op "), infl[i],
			  i + 1 == ninfl ? " in flight)" : "");
}

static void killer_str(const struct sctx *c, struct sbuf *b)
{
	const struct orec *d = c->killer;

	if (!d)
		return;
	if (d->kind == OP_WRITE)
		sb_printf(b,
			  " (overwritten by op %" PRIu64 " at t=%" PRIu64 ")",
			  d->id, d->tc);
	else
		sb_printf(b, " (zeroed by %s op %" PRIu64 " at t=%" PRIu64 ")",
			  op_kind_name(d->kind), d->id, d->tc);
}

/*
 * Judge one decoded sector. Returns -1 when legal, else the finding class;
 * seen gets a description when illegal.
 */
static int judge(struct sctx *c, const struct stamp_info *si, char *seen,
		 size_t seencap)
{
	struct sbuf b = { seen, seencap, 0 };
	const struct orec *w = NULL;
	bool found;

	switch (si->cls) {
	case SC_ZERO:
		if (zeros_live(c))
			return -1;
		sb_printf(&b, "zeros");
		return F_LOST;
	case SC_TORN:
		for (uint32_t i = 0; i < c->nids; i++) {
			const struct orec *x = &c->o->ops[c->ids[i].idx];

			if (x->kind == OP_WRITE && x->ts < c->rc &&
			    (!x->done || x->tc > c->rs))
				return -1; /* a racing write: a mix is legal */
		}
		sb_printf(&b,
			  "torn stamp (file %u sector %" PRIu64 " gen %" PRIu64
			  ")",
			  si->file_id, si->sector, si->gen);
		return F_TORN;
	case SC_POISON:
		sb_printf(&b, "poison");
		return F_STALE;
	case SC_GARBAGE:
		sb_printf(&b, "garbage");
		return F_STALE;
	case SC_STAMP:
		break;
	}
	if (si->seed != c->o->seed || si->file_id != c->rd->file ||
	    (si->sector != c->s && !c->f->shifted)) {
		sb_printf(&b, "file %u sector %" PRIu64 " gen %" PRIu64,
			  si->file_id, si->sector, si->gen);
		if (si->seed != c->o->seed)
			sb_printf(&b, " seed %#" PRIx64, si->seed);
		return F_STALE;
	}
	for (uint32_t i = 0; i < c->nids; i++) {
		const struct orec *x = &c->o->ops[c->ids[i].idx];

		if (x->id == si->gen &&
		    c->s + (uint64_t)(int64_t)c->ids[i].d == si->sector) {
			w = x;
			break;
		}
	}
	found = w != NULL;
	if (!w && si->sector != c->s) {
		/* shifted file: no candidate moved that sector here */
		sb_printf(&b,
			  "file %u sector %" PRIu64 " gen %" PRIu64
			  " (not here after the shifts)",
			  si->file_id, si->sector, si->gen);
		return F_STALE;
	}
	if (!w) {
		/* pruned (so dead), or not a write of this sector at all */
		w = si->gen ? hget(c->o, si->gen) : NULL;
		if (!w || w->kind != OP_WRITE || w->file != c->rd->file ||
		    (c->s << SECTOR_SHIFT) < w->off ||
		    ((c->s + 1) << SECTOR_SHIFT) > w->off + w->len) {
			sb_printf(&b, "gen %" PRIu64 " (no such write)",
				  si->gen);
			return F_STALE;
		}
	}
	if (w->ts > c->rc) {
		sb_printf(&b, "gen %" PRIu64 " (submitted after the read)",
			  si->gen);
		return F_STALE;
	}
	if (live(c, w)) {
		if (found || !c->f->shifted)
			return -1;
		/* a shift moved it away (only pruned, dead ones go) */
		sb_printf(&b, "gen %" PRIu64 " (moved away by a shift)",
			  si->gen);
		return F_STALE;
	}
	sb_printf(&b, "gen %" PRIu64, si->gen);
	killer_str(c, &b);
	return c->killer->kind == OP_WRITE ? F_LOST : F_STALE;
}

/*
 * Bounds on the file size while a read [rs, rc] ran (or at a point in time
 * when rs == rc and everything completed).
 *
 * A truncate Z (the initial size counts as one at t=0) is a candidate for
 * "the last size-setting op" unless a successful truncate submitted after Z
 * completed completed before rs. For a candidate Z:
 *  - lo(Z) = max(Z's target if Z succeeded, ends of successful extenders
 *    (writes: off + res; fallocate/zero_range without keep_size: off + len)
 *    submitted after Z completed and completed before rs);
 *  - hi(Z) = max(Z's target, ends (off + len) of extenders submitted by rc
 *    and not completed before Z was submitted).
 * lo = min over candidates of lo(Z), hi = max of hi(Z).
 */
static inline uint64_t ext_done_end(const struct orec *x)
{
	return x->kind == OP_WRITE ? x->off + (uint64_t)x->res :
				     x->off + x->len;
}

static void size_bounds(struct oracle *o, uint32_t file, uint64_t rs,
			uint64_t rc, bool want_lo, uint64_t *lo, uint64_t *hi)
{
	struct ofile *f = &o->files[file];
	uint64_t kt = 0;
	bool any = false;
	uint64_t l = UINT64_MAX, h = 0;

	for (size_t i = 0; i < f->ntrunc; i++) {
		const struct orec *d = &o->ops[f->trunc[i]];

		if (zr_ok(d) && d->tc < rs && (!any || d->ts > kt)) {
			kt = d->ts;
			any = true;
		}
	}
	for (size_t i = 0; i <= f->ntrunc; i++) {
		const struct orec *z;
		uint64_t zl, bar;
		bool zok;

		if (i == f->ntrunc) {
			if (any)
				break;
			z = &o->ops[0];
			zl = f->initial_size;
			h = MAX(h, f->initial_size);
			zok = true;
		} else {
			z = &o->ops[f->trunc[i]];
			if (z->ts > rc || (any && z->tc < kt))
				continue;
			zok = zr_ok(z);
			zl = zok ? z->tlo : 0;
			h = MAX(h, z->thi);
		}
		/* hi: extenders not completed before z was submitted */
		bar = h;
		for (size_t b = 0; b < f->neblk; b++) {
			const struct eblk *e = &f->eblk[b];
			size_t k0 = b << EBLK_SHIFT;
			size_t k1 = MIN(f->next, k0 + (1u << EBLK_SHIFT));

			if (e->max_end <= bar ||
			    (!e->inflight && e->max_done_tc < z->ts))
				continue;
			for (size_t k = k0; k < k1; k++) {
				const struct orec *x = &o->ops[f->ext[k]];

				if (x->ts <= rc && x->tc >= z->ts)
					bar = MAX(bar, x->off + x->len);
			}
		}
		h = bar;
		if (!want_lo)
			continue;
		/* lo: successful extenders definitely after z, before rs */
		for (size_t b = 0; zok && b < f->neblk; b++) {
			const struct eblk *e = &f->eblk[b];
			size_t k0 = b << EBLK_SHIFT;
			size_t k1 = MIN(f->next, k0 + (1u << EBLK_SHIFT));

			if (e->max_end <= zl || e->max_ts <= z->tc)
				continue;
			for (size_t k = k0; k < k1; k++) {
				const struct orec *x = &o->ops[f->ext[k]];

				if (x->ts > z->tc && x->tc < rs && x->res > 0)
					zl = MAX(zl, ext_done_end(x));
				else if (x->ts > z->tc && x->tc < rs &&
					 x->res == 0 && x->kind != OP_WRITE)
					zl = MAX(zl, ext_done_end(x));
			}
		}
		l = MIN(l, zl);
	}
	*lo = l == UINT64_MAX ? 0 : l;
	*hi = h;
}

static void add_finding(struct findings *fl, int cls, const struct orec *rd,
			uint64_t off, uint64_t len, const char *exp,
			const char *seen)
{
	struct finding f = {
		.cls = (enum finding_class)cls,
		.op_id = rd->id,
		.file = rd->file,
		.off = off,
		.len = len,
		.t_submit = rd->ts,
		.t_complete = rd->tc,
	};

	snprintf(f.expected, sizeof(f.expected), "%s", exp);
	snprintf(f.seen, sizeof(f.seen), "%s", seen);
	if (fl)
		findings_add(fl, &f);
}

static size_t check_read_size(struct oracle *o, const struct orec *rd,
			      uint64_t rs, uint64_t rc, struct findings *fl)
{
	struct ofile *f = &o->files[rd->file];
	uint64_t got = (uint64_t)rd->res;
	uint64_t end = rd->off + got;
	uint64_t lo, hi, want;
	char exp[160], seen[160];

	if (got >= rd->len && end <= f->min_floor)
		return 0;
	size_bounds(o, rd->file, rs, rc, got < rd->len, &lo, &hi);
	want = lo > rd->off ? MIN(rd->len, lo - rd->off) : 0;
	if (got < want) {
		snprintf(exp, sizeof(exp),
			 "%" PRIu64 " bytes (file size >= %" PRIu64 ")", want,
			 lo);
		snprintf(seen, sizeof(seen),
			 "%" PRIu64 " bytes (short read, EOF at %" PRIu64 ")",
			 got, end);
		add_finding(fl, F_SIZE, rd, end, want - got, exp, seen);
		return 1;
	}
	if (got && end > hi) {
		snprintf(exp, sizeof(exp),
			 "at most %" PRIu64 " bytes (file size <= %" PRIu64 ")",
			 hi > rd->off ? hi - rd->off : 0, hi);
		snprintf(seen, sizeof(seen),
			 "%" PRIu64 " bytes (data up to %" PRIu64 ")", got,
			 end);
		add_finding(fl, F_SIZE, rd, MAX(hi, rd->off),
			    end - MAX(hi, rd->off), exp, seen);
		return 1;
	}
	return 0;
}

/*
 * A read overlapping shifts in time is judged only below the lowest of
 * their offsets (the data there moves with neither outcome): that sector,
 * S_INF when it overlaps none, 0 when the file is not judged at all.
 */
static uint64_t shift_floor(const struct oracle *o, const struct ofile *f,
			    const struct orec *rd)
{
	uint64_t fl = S_INF;

	if (f->unsure)
		return 0;
	/* shifts of a file that is not unsure never overlap each other */
	for (size_t i = f->nshl; i-- > 0;) {
		const struct orec *sh = &o->ops[f->shl[i]];

		if (sh->done && sh->tc < rd->ts)
			break;
		fl = MIN(fl, sh->off >> SECTOR_SHIFT);
	}
	return fl;
}

size_t oracle_check_read(struct oracle *o, uint64_t read_id, const void *buf,
			 struct findings *fl, uint64_t *verified)
{
	struct orec *rd = hget(o, read_id);
	struct zr zlocal[32];
	struct stamp_info dec[DEC_BATCH];
	struct sctx c;
	uint64_t first, last, got, s;
	const unsigned char *p;
	size_t bad = 0, zcap = ARRAY_SIZE(zlocal);
	int run_cls = -1;
	uint64_t run_s = 0, run_n = 0, floor;
	char run_exp[160], run_seen[160], seen[160];

	if (verified)
		*verified = 0;
	if (!rd || rd->kind != OP_READ || rd->res < 0 || !buf)
		return 0;
	floor = shift_floor(o, &o->files[rd->file], rd);
	if (floor <= (rd->off + SECTOR_SIZE - 1) >> SECTOR_SHIFT) {
		/* it may have seen either side of a shift (oracle.h) */
		o->shift_skipped++;
		return 0;
	}
	memset(&c, 0, sizeof(c));
	c.o = o;
	c.f = &o->files[rd->file];
	c.rd = rd;
	c.rs = rd->ts;
	c.rc = rd->done ? rd->tc : o->now;
	got = MIN((uint64_t)rd->res, rd->len);
	first = (rd->off + SECTOR_SIZE - 1) >> SECTOR_SHIFT;
	last = MIN((rd->off + got) >> SECTOR_SHIFT, floor);
	if (last > first) {
		/* zeroing ops overlapping the returned sectors */
		c.zr = zlocal;
		for (size_t i = 0; i < c.f->nzr; i++) {
			const struct zr *z = &c.f->zr[i];

			if (z->s1 <= first || z->s0 >= last ||
			    o->ops[z->idx].ts > c.rc)
				continue;
			if (c.nzr == zcap) {
				struct zr *nz = xmalloc(2 * zcap * sizeof(*nz));

				memcpy(nz, c.zr, c.nzr * sizeof(*nz));
				if (c.zr != zlocal)
					free((void *)c.zr);
				c.zr = nz;
				zcap *= 2;
			}
			((struct zr *)c.zr)[c.nzr++] = *z;
		}
	}
	p = (const unsigned char *)buf + ((first << SECTOR_SHIFT) - rd->off);
	for (s = first; s < last; s++, p += SECTOR_SIZE) {
		const struct stamp_info *si = &dec[(s - first) % DEC_BATCH];
		int cls;

		if ((s - first) % DEC_BATCH == 0)
			stamp_decode_many(
				p, (uint32_t)MIN((uint64_t)DEC_BATCH, last - s),
				dec);
		sctx_sector(&c, s);
		cls = judge(&c, si, seen, sizeof(seen));
		if (cls >= 0)
			bad++;
		if (cls == run_cls && cls >= 0) {
			run_n++;
			continue;
		}
		if (run_cls >= 0)
			add_finding(fl, run_cls, rd, run_s << SECTOR_SHIFT,
				    run_n << SECTOR_SHIFT, run_exp, run_seen);
		run_cls = cls;
		if (cls >= 0) {
			run_s = s;
			run_n = 1;
			expected_str(&c, run_exp, sizeof(run_exp));
			memcpy(run_seen, seen, sizeof(seen));
		}
	}
	if (run_cls >= 0)
		add_finding(fl, run_cls, rd, run_s << SECTOR_SHIFT,
			    run_n << SECTOR_SHIFT, run_exp, run_seen);
	if (c.zr != zlocal)
		free((void *)c.zr);
	if (verified)
		*verified = last > first ? last - first : 0;
	if (floor == S_INF)
		bad += check_read_size(o, rd, c.rs, c.rc, fl);
	else
		o->shift_partial++;
	return bad;
}

/*
 * Final size. Every op has completed. The size is set by the last truncate
 * in some order consistent with real time (Z is a candidate unless a
 * successful truncate started after Z completed; the initial size counts
 * as a truncate at t=0 and is a candidate only when no truncate
 * succeeded), then grown by the extenders placed after it:
 *  - extenders that started after Z completed are definitely after it: the
 *    size is at least req(Z) = max(target, their ends);
 *  - extenders overlapping Z in time may land on either side: each may add
 *    its end (any subset: the size is req(Z) or one of their ends above it);
 *  - a failed (res < 0) write or extender may have extended the file
 *    partially: any size in [req(Z), off + len] is allowed.
 * A failed truncate is a candidate (it may have done its work) but never
 * rules out another truncate.
 */
int oracle_check_size(struct oracle *o, uint32_t file, uint64_t size,
		      uint64_t t, struct findings *fl)
{
	struct ofile *f;
	uint64_t kt = 0;
	bool any = false, ok = false;
	char exp[160];
	struct sbuf b = { exp, sizeof(exp), 0 };
	unsigned nshown = 0;

	if (file >= o->nfiles)
		return 0;
	f = &o->files[file];
	o->now = MAX(o->now, t);
	if (f->unsure)
		return 0;
	for (size_t i = 0; i < f->ntrunc; i++) {
		const struct orec *d = &o->ops[f->trunc[i]];

		if (zr_ok(d) && d->tc <= t && (!any || d->ts > kt)) {
			kt = d->ts;
			any = true;
		}
	}
	exp[0] = '\0';
	for (size_t i = 0; i <= f->ntrunc && !ok; i++) {
		const struct orec *z;
		uint64_t req;

		if (i == f->ntrunc) {
			if (any)
				break;
			z = &o->ops[0];
			req = f->initial_size;
		} else {
			z = &o->ops[f->trunc[i]];
			if (z->ts > t || (any && z->tc < kt))
				continue;
			req = z->tlo;
		}
		/* definitely-after extenders set the floor */
		for (size_t k = 0; k < f->next; k++) {
			const struct orec *x = &o->ops[f->ext[k]];

			if (x->ts <= z->tc || x->ts > t || x->res < 0)
				continue;
			req = MAX(req, x->kind == OP_WRITE ?
					       x->off + (uint64_t)x->res :
					       x->off + x->len);
		}
		if (size == req ||
		    (i < f->ntrunc && size >= req && size <= z->thi))
			ok = true; /* a shift's target is a range */
		for (size_t k = 0; k < f->next && !ok; k++) {
			const struct orec *x = &o->ops[f->ext[k]];
			uint64_t end;

			if (x->ts > t || x->tc < z->ts)
				continue; /* definitely before z: cut */
			if (x->res < 0 || !x->done) {
				ok = size >= req && size <= x->off + x->len;
				continue;
			}
			if (x->ts > z->tc)
				continue; /* already in req */
			end = x->kind == OP_WRITE ? x->off + (uint64_t)x->res :
						    x->off + x->len;
			ok = size == end && end > req;
		}
		if (nshown < 6)
			sb_printf(&b, "%s%" PRIu64, nshown ? " or " : "size ",
				  req);
		else if (nshown == 6)
			sb_printf(&b, " or ...");
		nshown++;
	}
	if (ok)
		return 0;
	if (fl) {
		struct finding fd = {
			.cls = F_SIZE,
			.file = file,
			.off = MIN(size, oracle_max_size(o, file)),
			.t_submit = t,
			.t_complete = t,
		};
		uint64_t mx = oracle_max_size(o, file);

		fd.len = size > mx ? size - mx : 0;
		snprintf(fd.expected, sizeof(fd.expected),
			 "%.130s (max %" PRIu64 ")", exp, mx);
		snprintf(fd.seen, sizeof(fd.seen), "st_size %" PRIu64, size);
		findings_add(fl, &fd);
	}
	return 1;
}

/* ---- shifts (rules in oracle.h) ---- */

/* Might x have run on either side of shift sh? */
static bool overlaps_shift(const struct orec *x, const struct orec *sh)
{
	return x->ts <= sh->tc && (!x->done || x->tc >= sh->ts);
}

/*
 * Submitted after sh completed (online, sh's completion time is taken
 * before the run lock, so such an op may be registered first): it landed
 * after the shift, at its own offset.
 */
static bool after_shift(const struct orec *x, const struct orec *sh)
{
	return x->ts > sh->tc;
}

struct cvec {
	struct cand *v;
	size_t n, cap;
};

static void cvec_push(struct cvec *v, struct cand c)
{
	grow_array((void **)&v->v, &v->cap, v->n + 1, sizeof(*v->v));
	v->v[v->n++] = c;
}

/*
 * Sector s of the new layout: the candidates of src (the old sector whose
 * data moves here; NULL: none) with d += dd, plus those of the old sector s
 * that overlapped the shift (they may have landed after it).
 */
static void shift_sector(struct oracle *o, struct ofile *f,
			 const struct orec *sh, uint64_t s,
			 const struct sect *src, int32_t dd, struct cvec *tmp)
{
	struct sect *dst = sect_get(f, s, false);
	uint64_t before = dst ? dst->n : 0;

	tmp->n = 0;
	if (src) {
		const struct cand *v = src->cap ? src->ext : src->in;

		for (uint32_t i = 0; i < src->n; i++) {
			struct orec *x = &o->ops[v[i].idx];

			if (after_shift(x, sh))
				continue;
			if ((int64_t)v[i].d + dd > INT32_MAX ||
			    (int64_t)v[i].d + dd < INT32_MIN) {
				f->unsure = true; /* moved too far to track */
				continue;
			}
			x->nokill |= overlaps_shift(x, sh);
			cvec_push(tmp, (struct cand){ v[i].idx, v[i].d + dd });
		}
	}
	if (dst) {
		struct cand *v = sect_ids(dst);

		for (uint32_t i = 0; i < dst->n; i++) {
			struct orec *x = &o->ops[v[i].idx];

			if (after_shift(x, sh)) {
				cvec_push(tmp, v[i]);
			} else if (overlaps_shift(x, sh)) {
				x->nokill = 1;
				cvec_push(tmp, v[i]);
			}
		}
	}
	if (!dst && !tmp->n)
		return;
	if (!dst)
		dst = sect_get(f, s, true);
	if (dst->cap) {
		free(dst->ext);
		dst->cap = 0;
		o->ext_lists--;
	}
	dst->n = 0;
	for (size_t i = 0; i < tmp->n; i++)
		sect_push(o, dst, tmp->v[i].idx, tmp->v[i].d);
	o->cand_now = o->cand_now - before + tmp->n;
	o->cand_peak = MAX(o->cand_peak, o->cand_now);
}

static void zr_push(struct zr **v, size_t *n, size_t *cap, struct zr z)
{
	if (z.s0 >= z.s1)
		return;
	grow_array((void **)v, cap, *n + 1, sizeof(**v));
	(*v)[(*n)++] = z;
}

static inline uint64_t s_add(uint64_t s, uint64_t n, bool up)
{
	if (s == S_INF)
		return S_INF;
	return up ? s + n : s - n;
}

/* Zeroing ranges: cut at the shift and move the part above it. */
static void shift_zr(struct oracle *o, struct ofile *f, struct orec *sh,
		     uint64_t a, uint64_t n, bool ins)
{
	struct zr *nv = NULL;
	size_t nn = 0, ncap = 0;

	for (size_t i = 0; i < f->nzr; i++) {
		struct zr z = f->zr[i];
		struct orec *d = &o->ops[z.idx];
		bool ov = overlaps_shift(d, sh);
		uint64_t hs0 = ins ? MAX(z.s0, a) : MAX(z.s0, a + n);

		if (after_shift(d, sh)) {
			zr_push(&nv, &nn, &ncap, z);
			continue;
		}
		if (ov) {
			d->nokill = 1;
			zr_push(&nv, &nn, &ncap, z);
		} else {
			zr_push(&nv, &nn, &ncap,
				(struct zr){ z.idx, z.s0, MIN(z.s1, a) });
		}
		if (hs0 < z.s1)
			zr_push(&nv, &nn, &ncap,
				(struct zr){ z.idx, s_add(hs0, n, ins),
					     s_add(z.s1, n, ins) });
	}
	if (ins)
		zr_push(&nv, &nn, &ncap,
			(struct zr){ (uint32_t)(sh - o->ops), a, a + n });
	free(f->zr);
	f->zr = nv;
	f->nzr = nn;
	f->zrcap = ncap;
	f->zr_prune_at = MAX(f->zr_prune_at, 2 * nn + 16);
}

/* A shift completed successfully: move the file's state (oracle.h). */
static void apply_shift(struct oracle *o, struct ofile *f, struct orec *sh)
{
	bool ins = sh->kind == OP_INSERT;
	uint64_t a = sh->off >> SECTOR_SHIFT, n = sh->len >> SECTOR_SHIFT;
	uint64_t smax = (uint64_t)f->nchunks << CHUNK_SHIFT;
	uint64_t lo, hi;
	struct cvec tmp = { 0 };

	if (!n || n > (1u << 28) || (sh->off | sh->len) & (SECTOR_SIZE - 1)) {
		f->unsure = true;
		return;
	}
	/* the size before it is in [lo, hi]; after it, moved by len */
	size_bounds(o, sh->file, sh->ts, sh->tc, true, &lo, &hi);
	if (ins) {
		sh->tlo = lo + sh->len;
		sh->thi = hi + sh->len;
	} else {
		sh->tlo = MAX(lo, sh->off + sh->len) - sh->len;
		sh->thi = MAX(hi, sh->off + sh->len) - sh->len;
	}
	u32_push(&f->trunc, &f->ntrunc, &f->trunccap, (uint32_t)(sh - o->ops));
	f->min_floor = MIN(f->min_floor, sh->tlo);
	f->max_ever = MAX(f->max_ever, sh->thi);

	if (ins) {
		for (uint64_t s = smax + n; s-- > a;)
			shift_sector(o, f, sh, s,
				     s >= a + n ? sect_get(f, s - n, false) :
						  NULL,
				     -(int32_t)n, &tmp);
	} else {
		for (uint64_t s = a; s < smax; s++)
			shift_sector(o, f, sh, s,
				     s + n < smax ? sect_get(f, s + n, false) :
						    NULL,
				     (int32_t)n, &tmp);
	}
	free(tmp.v);
	shift_zr(o, f, sh, a, n, ins);
	f->shifted++;
}

uint64_t oracle_max_size(const struct oracle *o, uint32_t file)
{
	uint64_t lo, hi;

	if (file >= o->nfiles)
		return 0;
	size_bounds((struct oracle *)o, file, o->now + 1, o->now + 1, false,
		    &lo, &hi);
	return hi;
}

void oracle_stats(const struct oracle *o, struct oracle_stats *st)
{
	size_t bytes = sizeof(*o) + o->opcap * sizeof(*o->ops) +
		       o->hcap * (sizeof(*o->hkey) + sizeof(*o->hval));

	memset(st, 0, sizeof(*st));
	for (unsigned i = 0; i < o->nfiles; i++) {
		const struct ofile *f = &o->files[i];

		for (size_t c = 0; c < f->nchunks; c++)
			if (f->chunks[c])
				bytes += CHUNK_SECTORS * sizeof(struct sect);
		bytes += f->zrcap * sizeof(*f->zr) +
			 f->trunccap * sizeof(*f->trunc) +
			 f->extcap * sizeof(*f->ext);
		st->zero_ranges += f->nzr;
	}
	st->ops = o->nops - 1;
	st->candidates = o->cand_now;
	st->candidates_peak = o->cand_peak;
	st->overflow_lists = o->ext_lists;
	st->pruned = o->pruned;
	st->reads_inflight = o->nrd;
	st->shift_skipped = o->shift_skipped;
	st->shift_partial = o->shift_partial;
	st->bytes = bytes;
}
