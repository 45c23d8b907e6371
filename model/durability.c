// SPDX-License-Identifier: GPL-2.0
/*
 * The durability oracle (see durability.h). Ops are kept in a table
 * indexed by id; at check time each file's sectors get buckets of the ops
 * that put a value in them, and every sector is judged against the last
 * durable op in its bucket.
 */
#include "model/durability.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "model/stamp.h"

struct dop {
	uint64_t id;
	enum op_kind kind;
	uint32_t file, flags;
	uint64_t off, len;
	uint64_t ts, tc; /* tc 0: never completed */
	int64_t res;
	bool known;
};

struct dsync {
	uint64_t ts, tc;
	bool ok;
};

struct dfile {
	uint64_t initial_size;
	struct dsync *syncs;
	size_t nsyncs, scap;
};

struct durability {
	unsigned nfiles;
	struct dfile *files;
	uint64_t seed;
	struct dop *ops; /* indexed by id */
	size_t cap;
};

struct durability *dur_new(unsigned nfiles, const uint64_t *initial_size,
			   uint64_t seed)
{
	struct durability *d = xcalloc(1, sizeof(*d));

	d->nfiles = nfiles;
	d->seed = seed;
	d->files = xcalloc(nfiles ? nfiles : 1, sizeof(*d->files));
	for (unsigned i = 0; i < nfiles; i++)
		d->files[i].initial_size = initial_size ? initial_size[i] : 0;
	return d;
}

void dur_free(struct durability *d)
{
	if (!d)
		return;
	for (unsigned i = 0; i < d->nfiles; i++)
		free(d->files[i].syncs);
	free(d->files);
	free(d->ops);
	free(d);
}

static bool is_sync(enum op_kind k)
{
	return k == OP_FSYNC || k == OP_FDATASYNC;
}

void dur_submit(struct durability *d, const struct oracle_op *op)
{
	struct dop *o;

	if (!op->id || op->file >= d->nfiles || op->kind == OP_READ)
		return;
	if (op->id >= d->cap) {
		size_t ncap = d->cap ? d->cap : 1024;

		while (ncap <= op->id)
			ncap *= 2;
		d->ops = xrealloc(d->ops, ncap * sizeof(*d->ops));
		memset(d->ops + d->cap, 0, (ncap - d->cap) * sizeof(*d->ops));
		d->cap = ncap;
	}
	o = &d->ops[op->id];
	o->id = op->id;
	o->kind = op->kind;
	o->file = op->file;
	o->flags = op->flags;
	o->off = op->off;
	o->len = op->len;
	o->ts = op->t_submit;
	o->tc = 0;
	o->res = 0;
	o->known = true;
}

void dur_complete(struct durability *d, uint64_t id, int64_t res,
		  uint64_t t_complete)
{
	struct dop *o;

	if (id >= d->cap || !d->ops[id].known)
		return;
	o = &d->ops[id];
	o->tc = t_complete;
	o->res = res;
	if (is_sync(o->kind)) {
		struct dfile *f = &d->files[o->file];

		grow_array((void **)&f->syncs, &f->scap, f->nsyncs + 1,
			   sizeof(*f->syncs));
		f->syncs[f->nsyncs++] = (struct dsync){ .ts = o->ts,
							.tc = t_complete,
							.ok = res >= 0 };
	}
}

static bool op_ok(const struct dop *o)
{
	if (!o->tc || o->res < 0)
		return false;
	if (o->kind == OP_WRITE)
		return (uint64_t)o->res == o->len;
	return true;
}

/* When did o become durable (0: not by t)? */
static uint64_t durable_at(const struct durability *d, const struct dop *o,
			   uint64_t t)
{
	const struct dfile *f = &d->files[o->file];
	uint64_t best = 0;

	if (!op_ok(o) || o->tc > t)
		return 0;
	if (o->kind == OP_WRITE && (o->flags & OPF_DSYNC))
		return o->tc;
	for (size_t i = 0; i < f->nsyncs; i++) {
		const struct dsync *s = &f->syncs[i];

		if (s->ok && s->ts >= o->tc && s->tc <= t &&
		    (!best || s->tc < best))
			best = s->tc;
	}
	return best;
}

uint32_t dur_op_flags(const struct durability *d, uint64_t id)
{
	return id < d->cap && d->ops[id].known ? d->ops[id].flags : 0;
}

uint64_t dur_count_durable(struct durability *d, uint64_t t)
{
	uint64_t n = 0;

	for (size_t i = 0; i < d->cap; i++)
		if (d->ops[i].known && !is_sync(d->ops[i].kind) &&
		    d->ops[i].kind != OP_FALLOCATE &&
		    durable_at(d, &d->ops[i], t))
			n++;
	return n;
}

/* Does o put a value into sector s (bytes [s*512, s*512+512))? */
static bool covers(const struct dop *o, uint64_t s)
{
	uint64_t b = s << SECTOR_SHIFT;

	switch (o->kind) {
	case OP_WRITE:
	case OP_PUNCH:
	case OP_ZERO_RANGE:
		return b >= o->off && b < o->off + o->len;
	case OP_TRUNCATE:
		return b + SECTOR_SIZE > o->off;
	default:
		return false;
	}
}

struct bucket {
	uint64_t *ids;
	uint32_t n, cap;
};

static void bucket_add(struct bucket *b, uint64_t id)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 4;
		b->ids = xrealloc(b->ids, b->cap * sizeof(*b->ids));
	}
	b->ids[b->n++] = id;
}

/* A run of sectors of one class, being coalesced into one finding. */
struct frun {
	int cls; /* -1: none */
	uint64_t first, n;
	char expected[160], seen[160];
};

static void frun_flush(struct frun *fr, uint32_t file, struct findings *fl)
{
	struct finding f = { 0 };

	if (fr->cls < 0)
		return;
	f.cls = fr->cls;
	f.file = file;
	f.off = fr->first << SECTOR_SHIFT;
	f.len = fr->n << SECTOR_SHIFT;
	snprintf(f.expected, sizeof(f.expected), "%s", fr->expected);
	snprintf(f.seen, sizeof(f.seen), "%.130s (%llu sectors)", fr->seen,
		 (unsigned long long)fr->n);
	findings_add(fl, &f);
	fr->cls = -1;
}

static void frun_add(struct frun *fr, uint32_t file, struct findings *fl,
		     int cls, uint64_t s, const char *exp, const char *seen)
{
	if (fr->cls == cls && fr->first + fr->n == s) {
		fr->n++;
		return;
	}
	frun_flush(fr, file, fl);
	fr->cls = cls;
	fr->first = s;
	fr->n = 1;
	snprintf(fr->expected, sizeof(fr->expected), "%s", exp);
	snprintf(fr->seen, sizeof(fr->seen), "%s", seen);
}

static const char *zero_name(const struct dop *o)
{
	return o ? op_kind_name(o->kind) : "initial contents";
}

size_t dur_check_file(struct durability *d, uint32_t file, const void *buf,
		      uint64_t size, uint64_t t_crash, struct findings *fl,
		      uint64_t *verified)
{
	const unsigned char *p = buf;
	uint64_t nsect = size >> SECTOR_SHIFT, init_sect, durable_end = 0;
	struct bucket *bk;
	struct frun fr = { .cls = -1 };
	bool truncated = false;
	size_t bad = 0;

	if (verified)
		*verified = 0;
	if (file >= d->nfiles)
		return 0;
	/* collapse/insert move data: not modelled here, not judged */
	for (size_t i = 0; i < d->cap; i++)
		if (d->ops[i].known && d->ops[i].file == file &&
		    (d->ops[i].kind == OP_COLLAPSE ||
		     d->ops[i].kind == OP_INSERT))
			return 0;
	init_sect = d->files[file].initial_size >> SECTOR_SHIFT;
	bk = xcalloc(nsect ? nsect : 1, sizeof(*bk));
	for (size_t i = 0; i < d->cap; i++) {
		const struct dop *o = &d->ops[i];
		uint64_t first, last;

		if (!o->known || o->file != file)
			continue;
		if (o->kind == OP_TRUNCATE)
			truncated = true;
		if (o->kind == OP_WRITE && durable_at(d, o, t_crash))
			durable_end = MAX(durable_end, o->off + o->len);
		if (o->kind != OP_WRITE && o->kind != OP_PUNCH &&
		    o->kind != OP_ZERO_RANGE && o->kind != OP_TRUNCATE)
			continue;
		first = o->kind == OP_TRUNCATE ? o->off >> SECTOR_SHIFT :
						 o->off >> SECTOR_SHIFT;
		last = o->kind == OP_TRUNCATE ?
			       nsect :
			       (o->off + o->len + SECTOR_SIZE - 1) >>
				       SECTOR_SHIFT;
		for (uint64_t s = first; s < MIN(last, nsect); s++)
			if (covers(o, s))
				bucket_add(&bk[s], o->id);
	}

	for (uint64_t s = 0; s < nsect; s++) {
		const struct bucket *b = &bk[s];
		const struct dop *dd =
			NULL; /* last durable op, NULL: initial */
		uint64_t dts = 0, dtc = 0;
		bool have_d = s < init_sect, zero_ok, gen_ok = false;
		struct stamp_info si;
		char exp[160], seen[160];

		for (uint32_t k = 0; k < b->n; k++) {
			const struct dop *o = &d->ops[b->ids[k]];

			if (durable_at(d, o, t_crash) &&
			    (!have_d || o->tc >= dtc)) {
				dd = o;
				have_d = true;
				dts = o->ts;
				dtc = o->tc;
			}
		}
		zero_ok = !have_d || !dd || dd->kind != OP_WRITE;
		stamp_decode(p + s * SECTOR_SIZE, &si);
		for (uint32_t k = 0; k < b->n; k++) {
			const struct dop *o = &d->ops[b->ids[k]];
			bool live =
				!have_d || o == dd || !(o->tc && o->tc < dts);

			if (!live)
				continue;
			if (o->kind != OP_WRITE)
				zero_ok = true;
			else if (si.cls == SC_STAMP && si.gen == o->id)
				gen_ok = true;
		}
		if (verified)
			(*verified)++;
		if (have_d && dd)
			snprintf(exp, sizeof(exp),
				 "durable %s op %llu (acked %.3f ms before the "
				 "crash) or newer",
				 dd->kind == OP_WRITE ? "write" : zero_name(dd),
				 (unsigned long long)dd->id,
				 (t_crash - dd->tc) / 1e6);
		else if (have_d)
			snprintf(exp, sizeof(exp),
				 "zeros (durable initial contents) or newer");
		else
			snprintf(exp, sizeof(exp),
				 "zeros or any write to this sector");

		switch (si.cls) {
		case SC_ZERO:
			if (zero_ok)
				continue;
			frun_add(&fr, file, fl, F_LOST_DURABLE, s, exp,
				 "zeros");
			break;
		case SC_STAMP:
			if (si.seed == d->seed && si.file_id == file &&
			    si.sector == s) {
				bool wrote_s = false;

				if (gen_ok)
					continue;
				for (uint32_t k = 0; k < b->n; k++)
					if (b->ids[k] == si.gen)
						wrote_s = true;
				snprintf(
					seen, sizeof(seen), "generation %llu%s",
					(unsigned long long)si.gen,
					wrote_s ? " (older)" : " (never here)");
				frun_add(&fr, file, fl,
					 wrote_s ? F_LOST_DURABLE : F_STALE, s,
					 exp, seen);
				break;
			}
			snprintf(seen, sizeof(seen),
				 "stamp of file %u sector %llu gen %llu%s",
				 si.file_id, (unsigned long long)si.sector,
				 (unsigned long long)si.gen,
				 si.seed != d->seed ? " (other run)" : "");
			frun_add(&fr, file, fl, F_STALE, s, exp, seen);
			break;
		case SC_POISON:
			frun_add(&fr, file, fl, F_STALE, s, exp,
				 "free-space poison");
			break;
		case SC_TORN:
			frun_add(&fr, file, fl, F_TORN, s, exp,
				 "torn stamp (checksum)");
			break;
		default:
			frun_add(&fr, file, fl, F_STALE, s, exp,
				 "unknown non-zero data");
			break;
		}
		bad++;
	}
	frun_flush(&fr, file, fl);
	if (!truncated && durable_end > size) {
		struct finding f = { .cls = F_LOST_DURABLE,
				     .file = file,
				     .off = size,
				     .len = durable_end - size };

		snprintf(f.expected, sizeof(f.expected),
			 "st_size >= %llu (end of a durable write)",
			 (unsigned long long)durable_end);
		snprintf(f.seen, sizeof(f.seen), "st_size %llu",
			 (unsigned long long)size);
		findings_add(fl, &f);
		bad++;
	}
	for (uint64_t s = 0; s < nsect; s++)
		free(bk[s].ids);
	free(bk);
	return bad;
}
