// SPDX-License-Identifier: GPL-2.0
/*
 * Invariant 1, the oracle, re-run from the trace alone: op_submit and
 * op_complete are fed to model/oracle in the order of their t fields, and
 * each completed read is rebuilt from its read_run records (stamps are
 * deterministic, so a run of (class, file, sector, generation) is enough to
 * regenerate the exact bytes) and judged with oracle_check_read.
 *
 * Rebuilding per stamp class: SC_STAMP -> stamp_fill(file_seen,
 * sector_seen.., gen, run seed); SC_POISON -> poison_fill(sector_seen..);
 * SC_ZERO -> zeros; SC_TORN -> a stamp with one filler byte flipped;
 * SC_GARBAGE -> a non-zero pattern without a magic.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker/internal.h"
#include "common/util.h"
#include "model/stamp.h"

struct rrun {
	uint64_t id;
	uint64_t sector;
	uint32_t nsect;
	uint32_t cls;
	uint32_t file_seen;
	uint64_t gen, sector_seen;
};

struct or_state {
	struct rrun *runs;
	size_t nruns, rcap;
	uint64_t reads, reads_skipped, nread_runs;
	struct ck_inv_result *r;
};

static void *or_init(struct ck_ctx *ctx, struct ck_inv_result *r)
{
	struct or_state *s = xcalloc(1, sizeof(*s));

	(void)ctx;
	s->r = r;
	return s;
}

static void or_event(void *st, struct ck_ctx *ctx, const struct ck_event *ev)
{
	struct or_state *s = st;
	struct rrun *x;

	(void)ctx;
	if (ck_id(ev) != EV_READ_RUN)
		return;
	grow_array((void **)&s->runs, &s->rcap, s->nruns + 1, sizeof(*s->runs));
	x = &s->runs[s->nruns++];
	x->id = ck_u(ev, FK_ID);
	x->sector = ck_u(ev, FK_SECTOR);
	x->nsect = (uint32_t)ck_u(ev, FK_NSECT);
	x->cls = (uint32_t)ck_u(ev, FK_CLS);
	x->file_seen = (uint32_t)ck_u(ev, FK_FILE_SEEN);
	x->gen = ck_u(ev, FK_GEN);
	x->sector_seen = ck_u(ev, FK_SECTOR_SEEN);
}

struct tev {
	uint64_t t;
	uint32_t complete; /* 0 submit, 1 complete */
	const struct ck_op *op;
};

static int tev_cmp(const void *a, const void *b)
{
	const struct tev *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->complete != y->complete)
		return x->complete < y->complete ? -1 : 1;
	if (x->op->id != y->op->id)
		return x->op->id < y->op->id ? -1 : 1;
	return 0;
}

static int run_cmp(const void *a, const void *b)
{
	const struct rrun *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	if (x->sector != y->sector)
		return x->sector < y->sector ? -1 : 1;
	return 0;
}

/*
 * Rebuild the read's buffer from its runs (runs[0..n) sorted by sector).
 * Returns false when the runs do not cover the returned bytes exactly.
 */
static bool rebuild(uint8_t *buf, uint64_t bytes, uint64_t first,
		    const struct rrun *runs, size_t n, uint64_t seed)
{
	uint64_t nsect = bytes / SECTOR_SIZE, next = first;
	size_t i;
	uint32_t k;

	if (bytes % SECTOR_SIZE)
		return false;
	for (i = 0; i < n; i++) {
		const struct rrun *r = &runs[i];
		uint8_t *p = buf + (r->sector - first) * SECTOR_SIZE;

		if (r->sector != next || r->sector + r->nsect > first + nsect ||
		    !r->nsect)
			return false;
		next = r->sector + r->nsect;
		switch (r->cls) {
		case SC_ZERO:
			memset(p, 0, (size_t)r->nsect * SECTOR_SIZE);
			break;
		case SC_STAMP:
			stamp_fill(p, r->file_seen, r->sector_seen, r->nsect,
				   r->gen, seed);
			break;
		case SC_POISON:
			poison_fill(p, r->sector_seen, r->nsect, seed);
			break;
		case SC_TORN:
			stamp_fill(p, r->file_seen, r->sector_seen, r->nsect,
				   r->gen, seed);
			for (k = 0; k < r->nsect; k++)
				p[(size_t)k * SECTOR_SIZE + 100] ^= 0xff;
			break;
		default:
			memset(p, 0xa5, (size_t)r->nsect * SECTOR_SIZE);
			break;
		}
	}
	return next == first + nsect;
}

static void judge_read(struct or_state *s, struct ck_ctx *ctx, struct oracle *o,
		       const struct ck_op *op, const struct rrun *runs,
		       size_t n)
{
	uint64_t bytes = (uint64_t)op->res, verified = 0;
	size_t before = ctx->findings.n, bad, i;
	struct ck_evidence *e;
	uint8_t *buf;

	if (op->off % SECTOR_SIZE || bytes > (1ull << 30)) {
		s->reads_skipped++;
		return;
	}
	buf = xmalloc(bytes ? bytes : 1);
	if (!rebuild(buf, bytes, op->off / SECTOR_SIZE, runs, n, ctx->seed)) {
		s->reads_skipped++;
		free(buf);
		return;
	}
	s->reads++;
	s->r->checked++;
	bad = oracle_check_read(o, op->id, buf, &ctx->findings, &verified);
	ctx->sectors_verified += verified;
	free(buf);
	if (!bad)
		return;
	for (i = before; i < ctx->findings.n; i++) {
		const struct finding *f = &ctx->findings.v[i];

		e = ck_evidence_add(s->r,
				    "%s: read %" PRIu64
				    " file %u bytes %" PRIu64 "+%" PRIu64
				    ": expected %s, saw %s",
				    finding_class_name(f->cls), op->id, f->file,
				    f->off, f->len, f->expected, f->seen);
		ck_op_cite(e, op, false);
		ck_op_cite(e, op, true);
	}
	if (ctx->findings.n == before)
		ck_evidence_add(s->r, "read %" PRIu64 ": %zu illegal sectors",
				op->id, bad);
}

static void or_finish(void *st, struct ck_ctx *ctx, struct ck_inv_result *r)
{
	struct or_state *s = st;
	struct tev *tv;
	size_t n = 0, i, ri = 0;
	struct oracle *o;
	uint64_t *isz, shift_skipped = 0, shift_partial = 0;

	if (!ctx->have_run_info || !ctx->nfiles) {
		r->status = CK_INCONCLUSIVE;
		snprintf(r->note, sizeof(r->note),
			 "no run_info/file_info events: cannot replay");
		return;
	}
	tv = xmalloc((ctx->nops * 2 + 1) * sizeof(*tv));
	for (i = 0; i < ctx->ops_cap; i++) {
		const struct ck_op *op = &ctx->ops[i];

		if (!op->used || !op->t_submit)
			continue;
		tv[n++] = (struct tev){ op->t_submit, 0, op };
		if (op->completed)
			tv[n++] = (struct tev){ op->t_complete, 1, op };
	}
	qsort(tv, n, sizeof(*tv), tev_cmp);
	if (s->nruns)
		qsort(s->runs, s->nruns, sizeof(*s->runs), run_cmp);

	isz = xcalloc(ctx->nfiles, sizeof(*isz));
	memcpy(isz, ctx->initial_size, ctx->nfiles * sizeof(*isz));
	o = oracle_new(ctx->nfiles, isz, ctx->seed);
	for (i = 0; i < n; i++) {
		const struct ck_op *op = tv[i].op;
		struct oracle_op oo;
		size_t lo, hi;

		if (!tv[i].complete) {
			oo = (struct oracle_op){ .id = op->id,
						 .kind = op->kind,
						 .file = op->file,
						 .flags = op->flags,
						 .off = op->off,
						 .len = op->len,
						 .t_submit = op->t_submit };
			oracle_submit(o, &oo);
			continue;
		}
		oracle_complete(o, op->id, op->res, op->t_complete);
		if (op->kind != OP_READ || op->res <= 0)
			continue;
		/* runs of this read: binary search by id */
		lo = 0;
		hi = s->nruns;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (s->runs[mid].id < op->id)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (ri = lo; ri < s->nruns && s->runs[ri].id == op->id; ri++)
			;
		judge_read(s, ctx, o, op, s->runs + lo, ri - lo);
	}
	{
		struct oracle_stats st;

		oracle_stats(o, &st);
		shift_skipped = st.shift_skipped;
		shift_partial = st.shift_partial;
	}
	oracle_free(o);
	free(isz);
	free(tv);

	r->skipped = s->reads_skipped;
	ctx->reads_checked = s->reads;
	if (findings_total(&ctx->findings)) {
		r->status = CK_FAIL;
		snprintf(r->note, sizeof(r->note),
			 "%" PRIu64 " findings in %" PRIu64 " reads",
			 findings_total(&ctx->findings), s->reads);
	} else if (!s->reads) {
		r->status = s->reads_skipped ? CK_INCONCLUSIVE : CK_NA;
		snprintf(r->note, sizeof(r->note),
			 "no read could be rebuilt (%" PRIu64 " without "
			 "complete read_run records)",
			 s->reads_skipped);
	} else if (s->reads_skipped) {
		r->status = CK_INCONCLUSIVE;
		snprintf(r->note, sizeof(r->note),
			 "%" PRIu64 " reads judged, %" PRIu64
			 " lacked complete read_run records",
			 s->reads, s->reads_skipped);
	} else {
		r->status = CK_PASS;
		snprintf(r->note, sizeof(r->note),
			 "%" PRIu64 " reads, %" PRIu64 " sectors verified",
			 s->reads, ctx->sectors_verified);
		if (shift_skipped || shift_partial)
			snprintf(
				r->note + strlen(r->note),
				sizeof(r->note) - strlen(r->note),
				"; of reads overlapping a collapse/insert, %" PRIu64
				" not judged, %" PRIu64
				" judged below its offset only",
				shift_skipped, shift_partial);
	}
}

static void or_free(void *st)
{
	struct or_state *s = st;

	free(s->runs);
	free(s);
}

const struct ck_inv_ops inv_oracle_ops = {
	.name = "oracle",
	.description = "no stale data, read-after-completion: the oracle "
		       "replayed from the trace",
	.init = or_init,
	.event = or_event,
	.finish = or_finish,
	.free = or_free,
};
