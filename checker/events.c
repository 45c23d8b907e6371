// SPDX-License-Identifier: GPL-2.0
/* Event classes, well-known names and fields, formatting. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker/checker.h"
#include "common/util.h"

static const char *const evid_names[EV_NKNOWN] = {
	[EV_UNKNOWN] = "?",
	[EV_RUN_INFO] = "run_info",
	[EV_FILE_INFO] = "file_info",
	[EV_PHASE] = "phase",
	[EV_OP_SUBMIT] = "op_submit",
	[EV_OP_COMPLETE] = "op_complete",
	[EV_READ_RUN] = "read_run",
	[EV_INJECT] = "inject",
	[EV_WATCHDOG] = "watchdog",
// clang-format off
	/* not clang-formatted: the X-macro expands to initialisers */
#define CK_KEV_NAME(sys, name, id) [EV_##id] = #name,
	TR_KEVENTS(CK_KEV_NAME)
#undef CK_KEV_NAME
	[EV_KERNEL_STATS] = "iorace_kernel_stats",
	// clang-format on
};

static const char *const fkey_names[FK_NKEYS] = {
	[FK_ID] = "id",
	[FK_KIND] = "kind",
	[FK_FILE] = "file",
	[FK_INODE] = "inode",
	[FK_OFF] = "off",
	[FK_LEN] = "len",
	[FK_FLAGS] = "flags",
	[FK_T] = "t",
	[FK_RES] = "res",
	[FK_SECTOR] = "sector",
	[FK_NSECT] = "nsect",
	[FK_CLS] = "cls",
	[FK_FILE_SEEN] = "file_seen",
	[FK_GEN] = "gen",
	[FK_SECTOR_SEEN] = "sector_seen",
	[FK_SEQ] = "seq",
	[FK_SEED] = "seed",
	[FK_NFILES] = "nfiles",
	[FK_INITIAL_SIZE] = "initial_size",
	[FK_PHASE] = "phase",
	[FK_BEGIN] = "begin",
	[FK_TID] = "tid",
	[FK_DEV] = "dev",
	[FK_INO] = "ino",
	[FK_LBLK] = "lblk",
	[FK_PBLK] = "pblk",
	[FK_M_LBLK] = "m_lblk",
	[FK_M_LEN] = "m_len",
	[FK_U_LBLK] = "u_lblk",
	[FK_U_LEN] = "u_len",
	[FK_MFLAGS] = "mflags",
	[FK_OFFSET] = "offset",
	[FK_MODE] = "mode",
	[FK_POS] = "pos",
	[FK_COUNT] = "count",
	[FK_RET] = "ret",
	[FK_ERROR] = "error",
	[FK_KI_FLAGS] = "ki_flags",
	[FK_TRANSACTION] = "transaction",
	[FK_NR_SECTOR] = "nr_sector",
	[FK_LOST] = "lost",
	[FK_BLOCKSIZE] = "blocksize",
	[FK_START] = "start",
	[FK_END] = "end",
	[FK_RWBS] = "rwbs",
};

const char *ck_evid_name(enum ck_evid id)
{
	return id < EV_NKNOWN ? evid_names[id] : "?";
}

const char *ck_fkey_name(enum ck_fkey k)
{
	return k < FK_NKEYS ? fkey_names[k] : "?";
}

/*
 * "iorace:op_submit" -> EV_OP_SUBMIT; kernel events match with or without
 * a "subsys:" prefix. iorace events need the provider prefix so a kernel
 * event can never pass for one.
 */
enum ck_evid ck_evid_from_name(const char *name)
{
	const char *base = strrchr(name, ':');
	bool iorace = !strncmp(name, "iorace:", 7);
	int i;

	base = base ? base + 1 : name;
	for (i = 1; i < EV_NKNOWN; i++) {
		if (strcmp(base, evid_names[i]))
			continue;
		if ((i < EV_FIRST_KERNEL) != iorace)
			continue;
		return i;
	}
	return EV_UNKNOWN;
}

struct ck_classes {
	struct ck_class **v;
	size_t n, cap;
};

struct ck_classes *ck_classes_new(void)
{
	return xcalloc(1, sizeof(struct ck_classes));
}

void ck_classes_free(struct ck_classes *cc)
{
	size_t i;
	unsigned f;

	if (!cc)
		return;
	for (i = 0; i < cc->n; i++) {
		for (f = 0; f < cc->v[i]->nfields; f++)
			free(cc->v[i]->fname[f]);
		free(cc->v[i]->name);
		free(cc->v[i]);
	}
	free(cc->v);
	free(cc);
}

static bool class_same(const struct ck_class *c, const char *name, unsigned nf,
		       const char *const *fn, const uint8_t *ft)
{
	unsigned i;

	if (c->nfields != nf || strcmp(c->name, name))
		return false;
	for (i = 0; i < nf; i++)
		if (strcmp(c->fname[i], fn[i]) ||
		    c->ftype[i] != (ft ? ft[i] : CKF_U64))
			return false;
	return true;
}

const struct ck_class *ck_class_intern(struct ck_classes *cc, const char *name,
				       unsigned nfields,
				       const char *const *fnames,
				       const uint8_t *ftypes)
{
	struct ck_class *c;
	unsigned i, k;
	size_t j;

	if (nfields > CK_MAX_FIELDS)
		nfields = CK_MAX_FIELDS;
	for (j = 0; j < cc->n; j++)
		if (class_same(cc->v[j], name, nfields, fnames, ftypes))
			return cc->v[j];
	c = xcalloc(1, sizeof(*c));
	c->name = xstrdup(name);
	c->id = ck_evid_from_name(name);
	c->nfields = nfields;
	memset(c->slot, -1, sizeof(c->slot));
	for (i = 0; i < nfields; i++) {
		c->fname[i] = xstrdup(fnames[i]);
		c->ftype[i] = ftypes ? ftypes[i] : CKF_U64;
		for (k = 0; k < FK_NKEYS; k++)
			if (c->slot[k] < 0 && !strcmp(fnames[i], fkey_names[k]))
				c->slot[k] = (int8_t)i;
		/* aliases */
		if (!strcmp(fnames[i], "vtid") && c->slot[FK_TID] < 0)
			c->slot[FK_TID] = (int8_t)i;
	}
	grow_array((void **)&cc->v, &cc->cap, cc->n + 1, sizeof(cc->v[0]));
	cc->v[cc->n++] = c;
	return c;
}

void ck_event_format(const struct ck_event *ev, char *buf, size_t len)
{
	const struct ck_class *c = ev->cls;
	size_t o;
	unsigned i;
	int n;

	n = snprintf(buf, len, "%s {", c->name);
	o = n > 0 ? (size_t)n : 0;
	for (i = 0; i < c->nfields && o < len; i++) {
		const char *sep = i ? ", " : "";

		switch (c->ftype[i]) {
		case CKF_S64:
			n = snprintf(buf + o, len - o, "%s%s=%" PRId64, sep,
				     c->fname[i], (int64_t)ev->v[i]);
			break;
		case CKF_STR:
			n = snprintf(buf + o, len - o, "%s%s=\"%s\"", sep,
				     c->fname[i],
				     ev->v[i] ?
					     (const char *)(uintptr_t)ev->v[i] :
					     "?");
			break;
		case CKF_OTHER:
			n = 0;
			break;
		default:
			n = snprintf(buf + o, len - o, "%s%s=%" PRIu64, sep,
				     c->fname[i], ev->v[i]);
		}
		o += n > 0 ? (size_t)n : 0;
	}
	if (o < len)
		snprintf(buf + o, len - o, "}");
}

void ck_event_copy(struct ck_event *dst, const struct ck_event *src)
{
	unsigned i;

	*dst = *src;
	for (i = 0; i < src->cls->nfields; i++)
		if (src->cls->ftype[i] == CKF_STR)
			dst->v[i] = 0;
}

static const char *const status_names[] = {
	[CK_PASS] = "pass",
	[CK_FAIL] = "fail",
	[CK_INCONCLUSIVE] = "inconclusive",
	[CK_NA] = "not-applicable",
};

const char *ck_status_name(enum ck_status s)
{
	return s <= CK_NA ? status_names[s] : "?";
}

int ck_status_from_name(const char *s)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(status_names); i++)
		if (!strcmp(s, status_names[i]))
			return (int)i;
	return -1;
}

struct ck_evidence *ck_evidence_add(struct ck_inv_result *r, const char *fmt,
				    ...)
{
	struct ck_evidence *e;
	va_list ap;

	r->failed++;
	if (r->nev >= CK_MAX_EVIDENCE)
		return NULL;
	e = &r->ev[r->nev++];
	memset(e, 0, sizeof(*e));
	va_start(ap, fmt);
	vsnprintf(e->what, sizeof(e->what), fmt, ap);
	va_end(ap);
	return e;
}

void ck_evidence_cite(struct ck_evidence *e, const struct ck_event *ev)
{
	struct ck_cite *c;

	if (!e || !ev || !ev->cls || e->ncite >= CK_CITE_MAX)
		return;
	c = &e->cite[e->ncite++];
	c->t = ev->t;
	ck_event_format(ev, c->text, sizeof(c->text));
}

uint64_t ck_percentile(const uint64_t *sorted, size_t n, double pct)
{
	size_t i;

	if (!n)
		return 0;
	/* nearest rank */
	i = (size_t)(pct / 100.0 * (double)n + 0.999999);
	if (i < 1)
		i = 1;
	if (i > n)
		i = n;
	return sorted[i - 1];
}
