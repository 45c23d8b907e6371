// SPDX-License-Identifier: GPL-2.0
/* Kernel event interpretation and extent lists for the invariants. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker/internal.h"
#include "common/util.h"

void ck_xlist_add(struct ck_xlist *l, const struct ck_xent *x)
{
	grow_array((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = *x;
}

void ck_xlist_free(struct ck_xlist *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

size_t ck_xlist_lower(const struct ck_xlist *l, uint64_t t)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->v[mid].t < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void ck_xent_cite(struct ck_evidence *e, const struct ck_xent *x)
{
	struct ck_cite *c;

	if (!e || !x || e->ncite >= CK_CITE_MAX)
		return;
	c = &e->cite[e->ncite++];
	c->t = x->t;
	snprintf(c->text, sizeof(c->text),
		 "%s {ino=%" PRIu64 ", lblk=%" PRIu64 ", len=%" PRIu64
		 ", flags=0x%x}",
		 ck_evid_name(x->evid), x->ino, x->lblk, x->len, x->flags);
}

static void xent_init(struct ck_xent *x, const struct ck_event *ev,
		      uint64_t lblk, uint64_t len, uint32_t flags)
{
	x->t = ev->t;
	x->ino = ck_u(ev, FK_INO);
	x->lblk = lblk;
	x->len = len;
	x->flags = flags;
	x->evid = (uint16_t)ck_id(ev);
}

bool ck_conversion_extent(const struct ck_event *ev, struct ck_xent *x)
{
	uint32_t fl = (uint32_t)ck_u(ev, FK_FLAGS);

	switch (ck_id(ev)) {
	case EV_EXT4_HANDLE_UNWRITTEN:
		if (!(fl & K_GB_CONVERT))
			return false;
		xent_init(x, ev, ck_u(ev, FK_LBLK), ck_u(ev, FK_LEN), fl);
		return true;
	case EV_EXT4_CONVERT_INIT_ENTER:
	case EV_EXT4_CONVERT_INIT_FASTPATH:
		xent_init(x, ev, ck_u(ev, FK_M_LBLK), ck_u(ev, FK_M_LEN), 0);
		return true;
	default:
		return false;
	}
}

bool ck_unwritten_map_extent(const struct ck_event *ev, struct ck_xent *x)
{
	uint32_t fl = (uint32_t)ck_u(ev, FK_FLAGS);

	switch (ck_id(ev)) {
	case EV_EXT4_MAP_BLOCKS_EXIT:
		if (!(fl & K_GB_PRE_IO) || (fl & K_GB_CONVERT) ||
		    !(ck_u(ev, FK_MFLAGS) & K_MAP_UNWRITTEN) ||
		    ck_s(ev, FK_RET) <= 0)
			return false;
		xent_init(x, ev, ck_u(ev, FK_LBLK),
			  MIN(ck_u(ev, FK_LEN), (uint64_t)ck_s(ev, FK_RET)),
			  fl);
		return true;
	case EV_EXT4_HANDLE_UNWRITTEN:
		if (!(fl & K_GB_PRE_IO) || (fl & K_GB_CONVERT))
			return false;
		xent_init(x, ev, ck_u(ev, FK_LBLK), ck_u(ev, FK_LEN), fl);
		return true;
	default:
		return false;
	}
}

bool ck_metadata_change(const struct ck_event *ev, struct ck_xent *x)
{
	uint32_t fl = (uint32_t)ck_u(ev, FK_FLAGS);

	if (ck_conversion_extent(ev, x))
		return true;
	switch (ck_id(ev)) {
	case EV_EXT4_MAP_BLOCKS_EXIT:
		if (!(fl & K_GB_CREATE) || !(ck_u(ev, FK_MFLAGS) & K_MAP_NEW) ||
		    ck_s(ev, FK_RET) <= 0)
			return false;
		xent_init(x, ev, ck_u(ev, FK_LBLK), (uint64_t)ck_s(ev, FK_RET),
			  fl);
		return true;
	case EV_EXT4_TRUNCATE_EXIT:
	case EV_EXT4_PUNCH_HOLE:
	case EV_EXT4_ZERO_RANGE:
	case EV_EXT4_FALLOCATE_EXIT:
		/* whole-file granularity is enough for commit tracking */
		xent_init(x, ev, 0, UINT64_MAX, 0);
		return true;
	default:
		return false;
	}
}

const struct ck_xent *ck_xlist_cover(const struct ck_xlist *l, uint64_t ino,
				     uint64_t t0, uint64_t t1, uint64_t b0,
				     uint64_t b1, bool *cov)
{
	const struct ck_xent *last = NULL;
	size_t i;

	for (i = ck_xlist_lower(l, t0); i < l->n && l->v[i].t <= t1; i++) {
		const struct ck_xent *x = &l->v[i];
		uint64_t s, e, xe;

		if (x->ino != ino || !x->len)
			continue;
		xe = x->len > UINT64_MAX - x->lblk ? UINT64_MAX :
						     x->lblk + x->len - 1;
		s = MAX(x->lblk, b0);
		e = MIN(xe, b1);
		if (s > e)
			continue;
		for (; s <= e; s++)
			cov[s - b0] = true;
		last = x;
	}
	return last;
}

struct ck_xlist *ck_filelist(struct ck_filelists *fl, unsigned file)
{
	if (file >= fl->n) {
		unsigned n = MAX(file + 1, fl->n * 2);

		fl->f = xrealloc(fl->f, n * sizeof(*fl->f));
		memset(fl->f + fl->n, 0, (n - fl->n) * sizeof(*fl->f));
		fl->n = n;
	}
	return &fl->f[file];
}

void ck_filelists_free(struct ck_filelists *fl)
{
	unsigned i;

	for (i = 0; i < fl->n; i++)
		ck_xlist_free(&fl->f[i]);
	free(fl->f);
	memset(fl, 0, sizeof(*fl));
}
