// SPDX-License-Identifier: GPL-2.0
/*
 * Invariant 3, truncate and punch wait for DIO: every DIO write on an inode
 * that entered the kernel (iomap_dio_rw_begin) before ext4_truncate_enter /
 * ext4_punch_hole must have completed in the kernel before it, and none
 * may begin between ext4_truncate_enter and ext4_truncate_exit.
 *
 * "Completed in the kernel": iomap_dio_complete is traced after
 * inode_dio_end(), so on its own it may legally trail the truncate by a
 * hair. A DIO whose unwritten conversion (ext4 end_io, which runs before
 * inode_dio_end) was traced before the truncate counts as completed; one
 * with neither before the truncate and whose iomap_dio_complete comes
 * after it is a violation. A DIO whose completion is never traced is
 * counted as skipped, never as a failure.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker/internal.h"
#include "common/util.h"

struct kdio {
	uint64_t pos, count;
	uint64_t t_conv; /* 0: no conversion seen */
	long trunc; /* index into truncs of the truncate it raced, or -1 */
	struct ck_event begin;
};

struct fstate {
	struct kdio *d;
	size_t n, cap;
	long active; /* truncate window open: index into truncs, or -1 */
};

struct tw_state {
	struct fstate *f;
	unsigned nf;
	struct ck_event *truncs;
	size_t ntr, trcap;
	uint64_t dio_begins, unmatched, iorace_truncs;
	struct ck_inv_result *r;
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
			fs->d[hit].pos, fs->d[hit].count,
			ck_u(ev, FK_INO), ck_evid_name(ck_id(tr)),
			ev->t - tr->t);
		ck_evidence_cite(e, &fs->d[hit].begin);
		ck_evidence_cite(e, tr);
		ck_evidence_cite(e, ev);
	}
	/* keep order: the oldest in-flight DIOs stay first */
	memmove(&fs->d[hit], &fs->d[hit + 1],
		(fs->n - hit - 1) * sizeof(*fs->d));
	fs->n--;
}

static void tw_event(void *st, struct ck_ctx *ctx, const struct ck_event *ev)
{
	struct tw_state *s = st;
	struct ck_evidence *e;
	struct fstate *fs;
	struct ck_xent x;
	enum ck_evid id = ck_id(ev);
	size_t i;
	int f;

	if (id == EV_OP_SUBMIT) {
		int k = (int)ck_u(ev, FK_KIND);

		if (k == OP_TRUNCATE || k == OP_PUNCH)
			s->iorace_truncs++;
		return;
	}
	if (id < EV_FIRST_KERNEL || !ck_kernel_dev_ok(ctx, ev))
		return;
	f = ck_file_of_inode(ctx, ck_u(ev, FK_INO));
	if (f < 0)
		return;
	fs = fs_of(s, (unsigned)f);

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
		s->r->checked++;
		grow_array((void **)&s->truncs, &s->trcap, s->ntr + 1,
			   sizeof(*s->truncs));
		ck_event_copy(&s->truncs[s->ntr], ev);
		for (i = 0; i < fs->n; i++)
			if (!fs->d[i].t_conv && fs->d[i].trunc < 0)
				fs->d[i].trunc = (long)s->ntr;
		if (id == EV_EXT4_TRUNCATE_ENTER)
			fs->active = (long)s->ntr;
		s->ntr++;
		return;
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
			uint64_t b1 = (d->pos + MAX(d->count, 1) - 1) / bs;

			if (x.lblk <= b1 && b0 < x.lblk + x.len && !d->t_conv)
				d->t_conv = x.t;
		}
	}
}

static void tw_finish(void *st, struct ck_ctx *ctx, struct ck_inv_result *r)
{
	struct tw_state *s = st;
	unsigned f;
	size_t i;

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
		bool missing = ctx->kmissing[EV_EXT4_TRUNCATE_ENTER] ||
			       ctx->kmissing[EV_EXT4_PUNCH_HOLE] ||
			       (!ctx->kseen[EV_EXT4_TRUNCATE_ENTER] &&
				!ctx->kseen[EV_EXT4_PUNCH_HOLE]);

		if (s->iorace_truncs && missing) {
			r->status = CK_INCONCLUSIVE;
			snprintf(r->note, sizeof(r->note),
				 "%" PRIu64 " truncate/punch ops but no kernel "
				 "truncate/punch events",
				 s->iorace_truncs);
		} else {
			r->status = CK_NA;
			snprintf(r->note, sizeof(r->note),
				 "no truncate or punch on the run's files");
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
	r->status = CK_PASS;
	snprintf(r->note, sizeof(r->note),
		 "%" PRIu64 " truncate/punch events, %" PRIu64
		 " DIO writes tracked, %" PRIu64 " never completed in trace",
		 r->checked, s->dio_begins, s->unmatched);
}

static void tw_free(void *st)
{
	struct tw_state *s = st;
	unsigned f;

	for (f = 0; f < s->nf; f++)
		free(s->f[f].d);
	free(s->f);
	free(s->truncs);
	free(s);
}

const struct ck_inv_ops inv_truncate_wait_ops = {
	.name = "truncate_waits_dio",
	.description = "every DIO on the inode that began before ext4_truncate "
		       "/ ext4_punch_hole completes in the kernel before it, "
		       "and none begins inside a truncate",
	.kernel = true,
	.init = tw_init,
	.event = tw_event,
	.finish = tw_finish,
	.free = tw_free,
};
