// SPDX-License-Identifier: GPL-2.0
/*
 * report.html (see checker/html.h): one more pass over the run's trace
 * collects every op (thread, trace times, latency, bytes) and the kernel
 * events inside the timeline windows, which come from the evidence of the
 * checker's failed invariants; then the page is written with checker/svg.c.
 */
#include <inttypes.h>
#include <json-c/json.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "checker/html.h"
#include "checker/svg.h"
#include "common/util.h"

#define WIN_PAD_NS (2 * NSEC_PER_MSEC)
#define MAX_WIN	   24
#define WIN_WHAT   6   /* evidence lines listed per window */
#define WIN_HL	   16  /* cited op ids highlighted per window */
#define WIN_KEV	   400 /* kernel events kept per window */
#define WIN_OPS	   600 /* ops drawn per window */
#define TP_BUCKETS 100

struct hop {
	uint64_t id;
	int64_t tid;
	uint64_t ts, tc; /* trace times; tc 0 = never completed */
	uint64_t t_sub;	 /* the op's own t field */
	uint64_t lat;
	uint64_t off, len;
	int64_t res;
	uint64_t inode;
	uint32_t file, flags;
	int kind;
	bool done;
};

struct hkev {
	uint64_t t;
	int64_t tid;
	unsigned evid;
	char text[200];
};

struct hwin {
	char label[64];	 /* the invariant, or "online CLASS" */
	uint64_t t0, t1; /* shown range */
	uint64_t c0, c1; /* cited range */
	char what[WIN_WHAT][256];
	unsigned nwhat;
	uint64_t more; /* evidence lines not listed */
	uint64_t hl[WIN_HL];
	unsigned nhl;
	struct hkev *kev;
	/*
	 * Ring of at most WIN_KEV events in time order from kev_head: when
	 * full, the one farthest from the cited range goes (the oldest, or
	 * the new one once past the range).
	 */
	size_t nkev, kev_head;
	uint64_t kev_dropped;
};

struct hrun {
	struct hop *ops;
	size_t nops, cap;
	size_t *hash; /* id -> index + 1 */
	size_t hcap;
	struct hwin win[MAX_WIN];
	unsigned nwin;
	uint64_t win_dropped;
	struct lhist lat[CK_NKINDS];
	/*
	 * For fsync, fdatasync and truncate: how many writes to other
	 * inodes overlapped each op in time (p50 and max over the ops).
	 */
	struct {
		uint64_t p50, max;
		bool known;
	} load[CK_NKINDS];
	uint64_t t_first, t_last; /* workload ops, trace times */
	struct ck_read_stats rs;
};

/* fsync and truncate latency first: what the maintainers watch */
static const int kind_order[] = { OP_FSYNC, OP_FDATASYNC,  OP_TRUNCATE,
				  OP_WRITE, OP_READ,	   OP_FALLOCATE,
				  OP_PUNCH, OP_ZERO_RANGE, OP_COLLAPSE,
				  OP_INSERT };
_Static_assert(ARRAY_SIZE(kind_order) == OP_NKINDS, "every op kind listed");

static const char *const kind_colour[OP_NKINDS] = {
	[OP_WRITE] = "#1f77b4",	   [OP_READ] = "#2ca02c",
	[OP_TRUNCATE] = "#d62728", [OP_FALLOCATE] = "#9467bd",
	[OP_PUNCH] = "#8c564b",	   [OP_ZERO_RANGE] = "#e377c2",
	[OP_FSYNC] = "#ff7f0e",	   [OP_FDATASYNC] = "#bcbd22",
	[OP_COLLAPSE] = "#17becf", [OP_INSERT] = "#7f7f7f",
};

static size_t id_hash(uint64_t id, size_t cap)
{
	return (size_t)((id * 0x9e3779b97f4a7c15ull) >> 20) & (cap - 1);
}

static struct hop *op_get(struct hrun *r, uint64_t id)
{
	size_t i;

	if (!r->hcap)
		return NULL;
	for (i = id_hash(id, r->hcap); r->hash[i]; i = (i + 1) & (r->hcap - 1))
		if (r->ops[r->hash[i] - 1].id == id)
			return &r->ops[r->hash[i] - 1];
	return NULL;
}

static void hash_put(size_t *h, size_t cap, uint64_t id, size_t idx)
{
	size_t i;

	for (i = id_hash(id, cap); h[i]; i = (i + 1) & (cap - 1))
		;
	h[i] = idx + 1;
}

static struct hop *op_new(struct hrun *r, uint64_t id)
{
	struct hop *op = op_get(r, id);

	if (op)
		return op; /* a resubmitted id: the last one counts */
	if ((r->nops + 1) * 2 > r->hcap) {
		size_t cap = r->hcap ? r->hcap * 2 : 1024;

		free(r->hash);
		r->hash = xcalloc(cap, sizeof(*r->hash));
		r->hcap = cap;
		for (size_t j = 0; j < r->nops; j++)
			hash_put(r->hash, cap, r->ops[j].id, j);
	}
	grow_array((void **)&r->ops, &r->cap, r->nops + 1, sizeof(*r->ops));
	op = &r->ops[r->nops];
	memset(op, 0, sizeof(*op));
	op->id = id;
	hash_put(r->hash, r->hcap, id, r->nops++);
	return op;
}

/* How far t is from w's cited range. */
static uint64_t dist(const struct hwin *w, uint64_t t)
{
	return t < w->c0 ? w->c0 - t : t > w->c1 ? t - w->c1 : 0;
}

static int collect(void *arg, const struct ck_event *ev)
{
	struct hrun *r = arg;
	enum ck_evid id = ck_id(ev);
	struct hop *op;

	if (id == EV_OP_SUBMIT) {
		op = op_new(r, ck_u(ev, FK_ID));
		op->tid = ev->tid;
		op->ts = ev->t;
		op->t_sub = ck_has(ev, FK_T) ? ck_u(ev, FK_T) : ev->t;
		op->kind = (int)ck_u(ev, FK_KIND);
		op->file = (uint32_t)ck_u(ev, FK_FILE);
		op->inode = ck_u(ev, FK_INODE);
		op->off = ck_u(ev, FK_OFF);
		op->len = ck_u(ev, FK_LEN);
		op->flags = (uint32_t)ck_u(ev, FK_FLAGS);
		op->done = false;
		op->tc = 0;
		return 0;
	}
	if (id == EV_OP_COMPLETE) {
		uint64_t t;

		op = op_get(r, ck_u(ev, FK_ID));
		if (!op || op->done)
			return 0; /* unknown, or completed twice: counted once
				   */
		t = ck_has(ev, FK_T) ? ck_u(ev, FK_T) : ev->t;
		op->tc = ev->t ? ev->t : 1;
		op->res = ck_s(ev, FK_RES);
		op->done = true;
		if (op->kind < 0 || op->kind >= OP_NKINDS ||
		    (op->flags & OPF_VERIFY) || t < op->t_sub)
			return 0;
		op->lat = t - op->t_sub;
		lh_add(&r->lat[op->kind], op->lat);
		if (!r->t_first || op->ts < r->t_first)
			r->t_first = op->ts;
		if (op->tc > r->t_last)
			r->t_last = op->tc;
		return 0;
	}
	if (id < EV_FIRST_KERNEL || id >= EV_KERNEL_STATS)
		return 0;
	for (unsigned i = 0; i < r->nwin; i++) {
		struct hwin *w = &r->win[i];
		struct hkev *k;

		if (ev->t < w->t0 || ev->t > w->t1)
			continue;
		if (!w->kev)
			w->kev = xcalloc(WIN_KEV, sizeof(*w->kev));
		if (w->nkev < WIN_KEV) {
			k = &w->kev[(w->kev_head + w->nkev++) % WIN_KEV];
		} else {
			w->kev_dropped++;
			if (dist(w, w->kev[w->kev_head].t) <= dist(w, ev->t))
				continue;
			k = &w->kev[w->kev_head];
			w->kev_head = (w->kev_head + 1) % WIN_KEV;
		}
		k->t = ev->t;
		k->tid = ev->tid;
		k->evid = id;
		ck_event_format(ev, k->text, sizeof(k->text));
	}
	return 0;
}

/* A cite "iorace:op_... {id=N, ...}": N, else 0. */
static uint64_t cite_op_id(const char *text)
{
	const char *p;

	if (strncmp(text, "iorace:op_", 10))
		return 0;
	p = strstr(text, "{id=");
	return p ? strtoull(p + 4, NULL, 10) : 0;
}

/* The window of label over cited range [c0, c1], shared or new. */
static struct hwin *win_get(struct hrun *r, const char *label, uint64_t c0,
			    uint64_t c1)
{
	struct hwin *w;

	for (unsigned i = 0; i < r->nwin; i++)
		if (!strcmp(r->win[i].label, label) && r->win[i].c0 == c0 &&
		    r->win[i].c1 == c1)
			return &r->win[i];
	if (r->nwin >= MAX_WIN) {
		r->win_dropped++;
		return NULL;
	}
	w = &r->win[r->nwin++];
	snprintf(w->label, sizeof(w->label), "%s", label);
	w->c0 = c0;
	w->c1 = c1;
	w->t0 = c0 > WIN_PAD_NS ? c0 - WIN_PAD_NS : 0;
	w->t1 = c1 + WIN_PAD_NS;
	return w;
}

static void win_what(struct hwin *w, const char *what)
{
	if (w->nwhat < WIN_WHAT)
		snprintf(w->what[w->nwhat++], sizeof(w->what[0]), "%s", what);
	else
		w->more++;
}

static bool win_hl(const struct hwin *w, uint64_t id)
{
	for (unsigned k = 0; k < w->nhl; k++)
		if (w->hl[k] == id)
			return true;
	return false;
}

static void win_add_hl(struct hwin *w, uint64_t id)
{
	if (id && !win_hl(w, id) && w->nhl < WIN_HL)
		w->hl[w->nhl++] = id;
}

static void win_add_ev(struct hrun *r, const struct ck_inv_result *inv,
		       const struct ck_evidence *e)
{
	uint64_t c0 = UINT64_MAX, c1 = 0;
	struct hwin *w;

	for (unsigned j = 0; j < e->ncite; j++) {
		if (!e->cite[j].t)
			continue;
		c0 = MIN(c0, e->cite[j].t);
		c1 = MAX(c1, e->cite[j].t);
	}
	if (!c1)
		return;
	/* evidence citing the same events shares a timeline */
	w = win_get(r, inv->name, c0, c1);
	if (!w)
		return;
	win_what(w, e->what);
	for (unsigned j = 0; j < e->ncite; j++)
		win_add_hl(w, cite_op_id(e->cite[j].text));
}

static uint64_t jnum(struct json_object *o, const char *k)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, k, &v))
		return 0;
	return (uint64_t)json_object_get_int64(v);
}

static const char *jstring(struct json_object *o, const char *k)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, k, &v))
		return "";
	return json_object_get_string(v);
}

/*
 * The online findings of report.json's finding_details with an op and a
 * time (ERROR, HANG, SIZE, ... and the oracle's, when the trace oracle
 * did not cite the same op already): a timeline around the op's times.
 */
static void windows_online(struct hrun *r, const char *run_dir)
{
	struct json_object *root, *d;
	char path[4200], label[64], what[256];
	size_t n;

	snprintf(path, sizeof(path), "%s/report.json", run_dir);
	root = json_object_from_file(path);
	if (!root || !json_object_object_get_ex(root, "finding_details", &d) ||
	    !json_object_is_type(d, json_type_array)) {
		json_object_put(root);
		return;
	}
	n = json_object_array_length(d);
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(d, i);
		uint64_t op = jnum(o, "op"), t0 = jnum(o, "t_submit_ns");
		uint64_t t1 = jnum(o, "t_complete_ns");
		bool cited = false;
		struct hwin *w;

		if (!json_object_is_type(o, json_type_object) || !t0)
			continue;
		for (unsigned k = 0; k < r->nwin; k++)
			cited |= op && win_hl(&r->win[k], op) &&
				 strncmp(r->win[k].label, "online", 6);
		if (cited)
			continue;
		snprintf(label, sizeof(label), "online %.40s",
			 jstring(o, "class"));
		w = win_get(r, label, t0, t1 > t0 ? t1 : t0);
		if (!w)
			break;
		snprintf(what, sizeof(what),
			 "%.20s: op %" PRIu64 " file %" PRIu64 " bytes %" PRIu64
			 "+%" PRIu64 ": expected %.80s, saw %.80s",
			 jstring(o, "class"), op, jnum(o, "file"),
			 jnum(o, "offset"), jnum(o, "length"),
			 jstring(o, "expected"), jstring(o, "seen"));
		win_what(w, what);
		win_add_hl(w, op);
	}
	json_object_put(root);
}

static void windows_from(struct hrun *r, const struct checker_result *res)
{
	for (unsigned i = 0; i < CK_NINV; i++) {
		const struct ck_inv_result *inv = &res->inv[i];

		if (inv->status != CK_FAIL)
			continue;
		for (unsigned j = 0; j < inv->nev; j++)
			win_add_ev(r, inv, &inv->ev[j]);
	}
	windows_online(r, res->run_dir);
}

/* The trace directory of a run dir, or of the run dir holding a file. */
static void trace_dir_of(const char *arg, char *out, size_t len)
{
	char dir[4096], tmp[4096];
	struct stat sb;

	snprintf(dir, sizeof(dir), "%s", arg);
	if (!stat(arg, &sb) && !S_ISDIR(sb.st_mode)) {
		snprintf(tmp, sizeof(tmp), "%s", arg);
		snprintf(dir, sizeof(dir), "%s", dirname(tmp));
	}
	snprintf(out, len, "%s/trace", dir);
	if (stat(out, &sb) || !S_ISDIR(sb.st_mode))
		snprintf(out, len, "%s", dir);
}

static bool load_kind(int kind)
{
	return kind == OP_FSYNC || kind == OP_FDATASYNC || kind == OP_TRUNCATE;
}

/* Comparisons load_stats may spend before it gives up. */
#define LOAD_BUDGET 50000000ull

/* r->load: writes to other inodes in flight during each sync/truncate. */
static void load_stats(struct hrun *r)
{
	struct lhist cnt[CK_NKINDS] = { 0 };
	uint64_t budget = LOAD_BUDGET, nw = 0, ns = 0;

	for (size_t i = 0; i < r->nops; i++) {
		nw += r->ops[i].kind == OP_WRITE;
		ns += load_kind(r->ops[i].kind);
	}
	if (!ns || (nw && ns > budget / nw))
		return;
	for (size_t i = 0; i < r->nops; i++) {
		const struct hop *op = &r->ops[i];
		uint64_t n = 0;

		if (!load_kind(op->kind) || !op->done ||
		    (op->flags & OPF_VERIFY))
			continue;
		for (size_t j = 0; j < r->nops; j++) {
			const struct hop *w = &r->ops[j];

			if (w->kind == OP_WRITE && w->inode != op->inode &&
			    w->ts <= op->tc && (!w->tc || w->tc >= op->ts))
				n++;
		}
		/* counts, not ns: the histogram's percentiles serve */
		lh_add(&cnt[op->kind], n);
	}
	for (unsigned k = 0; k < CK_NKINDS; k++) {
		if (!cnt[k].n)
			continue;
		r->load[k].p50 = lh_pct(&cnt[k], 50);
		r->load[k].max = lh_max(&cnt[k]);
		r->load[k].known = true;
		lh_free(&cnt[k]);
	}
}

static int hrun_read(struct hrun *r, const char *run, char *err, size_t len)
{
	struct ck_classes *cc = ck_classes_new();
	char tdir[4200];
	int ret;

	trace_dir_of(run, tdir, sizeof(tdir));
	ret = ck_read_trace(tdir, cc, collect, r, &r->rs, err, len);
	ck_classes_free(cc);
	for (unsigned k = 0; k < CK_NKINDS; k++)
		lh_finish(&r->lat[k]);
	if (!ret)
		load_stats(r);
	return ret;
}

static void hrun_free(struct hrun *r)
{
	free(r->ops);
	free(r->hash);
	for (unsigned i = 0; i < MAX_WIN; i++)
		free(r->win[i].kev);
	for (unsigned k = 0; k < CK_NKINDS; k++)
		lh_free(&r->lat[k]);
}

static void page_head(FILE *f, const char *title)
{
	fputs("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" "
	      "lang=\"en\"><head><meta "
	      "charset=\"utf-8\"/>\n<title>",
	      f);
	svg_esc(f, title);
	fputs("</title>\n<style>\n"
	      "body{font:13px/1.4 sans-serif;margin:16px;color:#222;"
	      "background:#fff}\n"
	      "h1{font-size:18px}h2{font-size:15px;margin-top:24px}\n"
	      "table{border-collapse:collapse}td,th{border:1px solid #ccc;"
	      "padding:2px 6px;text-align:right;white-space:nowrap}"
	      "th{background:#f3f3f3}.row svg{flex:none}\n"
	      "td.l,th.l{text-align:left}.fail{color:#c00;font-weight:bold}\n"
	      ".row{display:flex;align-items:center;gap:12px;margin:4px 0}\n"
	      "svg text{font:11px sans-serif;fill:#222}svg text.t{font-weight:"
	      "bold}\nsvg text.xl{text-anchor:middle}svg text.yl{text-anchor:"
	      "end}\npre{background:#f7f7f7;padding:6px;overflow-x:auto;"
	      "font-size:11px}\n"
	      "</style></head><body>\n",
	      f);
}

static void stats_table(FILE *f, struct hrun *r, int kind)
{
	struct lhist *h = &r->lat[kind];
	char a[32], b[32], c[32];

	svg_fmt_ns(a, sizeof(a), lh_pct(h, 50));
	svg_fmt_ns(b, sizeof(b), lh_pct(h, 99));
	svg_fmt_ns(c, sizeof(c), lh_max(h));
	fprintf(f,
		"<table class=\"stats\"><tr><th>count</th><td>%zu</td></tr>"
		"<tr><th>p50</th><td>%s</td></tr><tr><th>p99</th><td>%s"
		"</td></tr><tr><th>max</th><td>%s</td></tr>",
		h->n, a, b, c);
	if (r->load[kind].known)
		fprintf(f,
			"<tr><th title=\"writes to other inodes overlapping "
			"each op in time\">writes to other inodes during it, "
			"p50 / max</th><td>%" PRIu64 " / %" PRIu64 "</td></tr>",
			r->load[kind].p50, r->load[kind].max);
	fputs("</table>\n", f);
}

static uint64_t hist_ymax(const struct lhist *h)
{
	uint64_t m = 0;

	for (unsigned b = 0; b < LH_NBUCKETS; b++)
		m = MAX(m, h->count[b]);
	return m;
}

static const struct svg_box hist_box = { 560, 150, 48, 24, 22, 22 };

/* One histogram row per op kind seen; nside 1 (a run) or 2 (compare). */
static void histograms(FILE *f, struct hrun **side, const char *const *names,
		       unsigned nside)
{
	static const char *const side_colour[] = { "#1f77b4", "#ff7f0e" };
	struct lhist *all[2 * CK_NKINDS];
	unsigned lo = 0, hi = 0, n = 0;

	for (unsigned s = 0; s < nside; s++)
		for (unsigned k = 0; k < CK_NKINDS; k++)
			all[n++] = &side[s]->lat[k];
	fputs("<h2 id=\"latency\">Latency per op kind</h2>\n"
	      "<p>Log-scale buckets, four per decade; hover a bar for its "
	      "range and count.</p>\n",
	      f);
	if (!lh_range(all, n, &lo, &hi)) {
		fputs("<p>No completed ops in the trace.</p>\n", f);
		return;
	}
	/* whole decades, at least two: labels at both ends */
	lo -= lo % 4;
	hi += 3 - hi % 4;
	if (hi - lo < 7)
		hi = lo + 7;
	if (hi >= LH_NBUCKETS)
		hi = LH_NBUCKETS - 1;
	for (unsigned i = 0; i < ARRAY_SIZE(kind_order); i++) {
		int k = kind_order[i];
		bool seen = false;

		for (unsigned s = 0; s < nside; s++)
			seen |= side[s]->lat[k].n > 0;
		if (!seen)
			continue;
		fprintf(f, "<div class=\"row hist\" id=\"hist-%s\">\n",
			op_kind_name(k));
		for (unsigned s = 0; s < nside; s++) {
			struct lhist *h = &side[s]->lat[k];
			char title[160];

			snprintf(title, sizeof(title), "%s%s%s latency",
				 names ? names[s] : "", names ? ": " : "",
				 op_kind_name(k));
			svg_hist(f, &hist_box, h, lo, hi, hist_ymax(h),
				 nside > 1 ? side_colour[s] : kind_colour[k],
				 title);
			stats_table(f, side[s], k);
		}
		fputs("</div>\n", f);
	}
}

static void throughput(FILE *f, struct hrun *r)
{
	static const struct svg_box box = { 1100, 220, 60, 40, 28, 22 };
	static const char *const names[] = { "written MiB/s", "read MiB/s" };
	static const char *const colours[] = { "#1f77b4", "#2ca02c" };
	double wr[TP_BUCKETS] = { 0 }, rd[TP_BUCKETS] = { 0 };
	const double *ser[] = { wr, rd };
	uint64_t span = r->t_last > r->t_first ? r->t_last - r->t_first : 0;
	double dt;

	fputs("<h2 id=\"throughput\">Throughput</h2>\n", f);
	if (!span) {
		fputs("<p>No completed workload ops in the trace.</p>\n", f);
		return;
	}
	dt = (double)span / TP_BUCKETS;
	for (size_t i = 0; i < r->nops; i++) {
		const struct hop *op = &r->ops[i];
		size_t b;

		if (!op->done || op->res <= 0 || (op->flags & OPF_VERIFY) ||
		    (op->kind != OP_WRITE && op->kind != OP_READ) ||
		    op->tc < r->t_first)
			continue;
		b = (size_t)((double)(op->tc - r->t_first) / dt);
		if (b >= TP_BUCKETS)
			b = TP_BUCKETS - 1;
		(op->kind == OP_WRITE ? wr : rd)[b] += (double)op->res;
	}
	for (size_t b = 0; b < TP_BUCKETS; b++) {
		wr[b] = wr[b] / (1024.0 * 1024.0) / (dt / 1e9);
		rd[b] = rd[b] / (1024.0 * 1024.0) / (dt / 1e9);
	}
	fprintf(f,
		"<p>Bytes of completed workload writes and reads per %.3g ms "
		"bucket (by completion time; the read-back verification is "
		"not counted).</p>\n<div id=\"throughput-plot\">\n",
		dt / 1e6);
	svg_lines(f, &box, ser, 2, TP_BUCKETS, dt / 1e9, names, colours,
		  "MiB/s", NULL);
	fputs("</div>\n", f);
}

static int cmp_tid(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static const char *kev_colour(unsigned evid)
{
	static const char *const c[] = { "#6a3d9a", "#b15928", "#33a02c",
					 "#e31a1c", "#1f78b4", "#ff7f00" };

	return c[evid % ARRAY_SIZE(c)];
}

static void op_title(FILE *f, const struct hop *op)
{
	char lat[32];

	svg_fmt_ns(lat, sizeof(lat), op->lat);
	fprintf(f,
		"<title>op %" PRIu64 " %s file %u off %" PRIu64 " len %" PRIu64
		" flags 0x%x tid %" PRId64,
		op->id, op_kind_name(op->kind), op->file, op->off, op->len,
		op->flags, op->tid);
	if (op->done)
		fprintf(f, " res %" PRId64 " latency %s", op->res, lat);
	else
		fputs(" never completed", f);
	fputs("</title>", f);
}

static void timeline(FILE *f, struct hrun *r, struct hwin *w, unsigned idx)
{
	const unsigned W = 1100, ml = 110, mr = 40, lane = 18, top = 8;
	double span = (double)(w->t1 - w->t0), pw = W - ml - mr;
	int64_t tids[64];
	unsigned ntid = 0, h, klane;
	size_t drawn = 0, over = 0;
	char buf[32];

#define X(t)                                          \
	(ml + pw *                                    \
		      ((double)((t) < w->t0 ? w->t0 : \
				(t) > w->t1 ? w->t1 : \
					      (t)) -  \
		       (double)w->t0) /               \
		      span)
	for (size_t i = 0; i < r->nops; i++) {
		const struct hop *op = &r->ops[i];
		bool have = false;

		if (op->ts > w->t1 || (op->tc && op->tc < w->t0))
			continue;
		for (unsigned k = 0; k < ntid; k++)
			have |= tids[k] == op->tid;
		if (!have && ntid < ARRAY_SIZE(tids))
			tids[ntid++] = op->tid;
	}
	qsort(tids, ntid, sizeof(tids[0]), cmp_tid);
	klane = ntid;
	h = top + lane * (ntid + 1) + 30;
	fprintf(f, "<div class=\"timeline\" id=\"tl-%u\">\n<h3>", idx);
	svg_esc(f, w->label);
	fputs("</h3>\n<ul>\n", f);
	for (unsigned i = 0; i < w->nwhat; i++) {
		fputs("<li class=\"fail\">", f);
		svg_esc(f, w->what[i]);
		fputs("</li>\n", f);
	}
	if (w->more)
		fprintf(f, "<li>(%" PRIu64 " more)</li>\n", w->more);
	fputs("</ul>\n", f);
	fprintf(f,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" "
		"height=\"%u\" viewBox=\"0 0 %u %u\">\n<rect width=\"%u\" "
		"height=\"%u\" fill=\"#fff\"/>\n",
		W, h, W, h, W, h);
	for (unsigned l = 0; l <= klane; l++) {
		unsigned y = top + lane * l;

		fprintf(f,
			"<rect x=\"%u\" y=\"%u\" width=\"%.0f\" height=\"%u\" "
			"fill=\"%s\"/>\n<text x=\"4\" y=\"%u\">",
			ml, y, pw, lane, l % 2 ? "#fafafa" : "#f0f0f0", y + 13);
		if (l == klane)
			fputs("kernel", f);
		else
			fprintf(f, "tid %" PRId64, tids[l]);
		fputs("</text>\n", f);
	}
	for (size_t i = 0; i < r->nops; i++) {
		const struct hop *op = &r->ops[i];
		unsigned l;
		bool hl = false;
		double x0, x1;

		if (op->ts > w->t1 || (op->tc && op->tc < w->t0))
			continue;
		for (l = 0; l < ntid && tids[l] != op->tid; l++)
			;
		if (l == ntid)
			continue;
		if (drawn >= WIN_OPS) {
			over++;
			continue;
		}
		drawn++;
		for (unsigned k = 0; k < w->nhl; k++)
			hl |= w->hl[k] == op->id;
		x0 = X(op->ts);
		x1 = op->tc ? X(op->tc) : ml + pw;
		if (x1 - x0 < 1)
			x1 = x0 + 1;
		fprintf(f,
			"<rect x=\"%.1f\" y=\"%u\" width=\"%.1f\" height=\"%u\" "
			"fill=\"%s\" fill-opacity=\"0.75\"%s>",
			x0, top + lane * l + 3, x1 - x0, lane - 6,
			op->kind >= 0 && op->kind < OP_NKINDS ?
				kind_colour[op->kind] :
				"#999",
			hl ? " stroke=\"#c00\" stroke-width=\"2\"" : "");
		op_title(f, op);
		fputs("</rect>\n", f);
	}
	for (size_t i = 0; i < w->nkev; i++) {
		const struct hkev *k = &w->kev[(w->kev_head + i) % WIN_KEV];
		double x = X(k->t);

		fprintf(f,
			"<rect x=\"%.1f\" y=\"%u\" width=\"2\" height=\"%u\" "
			"fill=\"%s\"><title>",
			x - 1, top + lane * klane + 2, lane - 4,
			kev_colour(k->evid));
		svg_esc(f, k->text);
		fprintf(f, " (tid %" PRId64 ")</title></rect>\n", k->tid);
	}
	/* the cited range */
	fprintf(f,
		"<path d=\"M%.1f %u V%u M%.1f %u V%u\" stroke=\"#c00\" "
		"stroke-dasharray=\"4 3\"/>\n",
		X(w->c0), top, top + lane * (klane + 1), X(w->c1), top,
		top + lane * (klane + 1));
	for (unsigned k = 0; k <= 4; k++) {
		double t = (double)w->t0 + span * k / 4;
		double rel = (t - (double)w->c0) / 1e6;

		fprintf(f,
			"<text x=\"%.1f\" y=\"%u\" class=\"xl\">%+.2f ms"
			"</text>\n",
			ml + pw * k / 4, top + lane * (klane + 1) + 16, rel);
	}
	fputs("</svg>\n", f);
#undef X
	svg_fmt_ns(buf, sizeof(buf), w->c1 - w->c0);
	fprintf(f,
		"<p>Window: the cited events (dashed, %s apart) +- 2 ms; t=0 "
		"at the first cited event (trace time %" PRIu64
		"). Cited ops outlined in red; hover for details.",
		buf, w->c0);
	if (over)
		fprintf(f, " %zu more ops not drawn.", over);
	if (ntid == ARRAY_SIZE(tids))
		fputs(" Threads beyond 64 not drawn.", f);
	fputs("</p>\n", f);
	fprintf(f, "<details><summary>kernel events (%zu", w->nkev);
	if (w->kev_dropped)
		fprintf(f, ", %" PRIu64 " farther from the cited ones not kept",
			w->kev_dropped);
	fputs(")</summary><pre>", f);
	for (size_t i = 0; i < w->nkev; i++) {
		const struct hkev *k = &w->kev[(w->kev_head + i) % WIN_KEV];

		fprintf(f, "%+.3f ms tid %" PRId64 " ",
			((double)k->t - (double)w->c0) / 1e6, k->tid);
		svg_esc(f, k->text);
		fputc('\n', f);
	}
	fputs("</pre></details>\n</div>\n", f);
}

static void summary(FILE *f, const struct checker_result *res)
{
	struct json_object *root, *v;
	char path[4200];

	snprintf(path, sizeof(path), "%s/report.json", res->run_dir);
	root = json_object_from_file(path);
	fputs("<table class=\"summary\">\n", f);
	if (root && json_object_object_get_ex(root, "workload", &v)) {
		fputs("<tr><th class=\"l\">workload</th><td class=\"l\">", f);
		svg_esc(f, json_object_get_string(v));
		fputs("</td></tr>\n", f);
	}
	if (root && json_object_object_get_ex(root, "seed", &v))
		fprintf(f,
			"<tr><th class=\"l\">seed</th><td class=\"l\">%s"
			"</td></tr>\n",
			json_object_get_string(v));
	json_object_put(root);
	fprintf(f,
		"<tr><th class=\"l\">trace verdict</th><td class=\"l%s\">%s"
		"</td></tr>\n",
		checker_exit_status(res) == EXIT_CLEAN ? "" : " fail",
		checker_verdict_name(res));
	fprintf(f,
		"<tr><th class=\"l\">trace</th><td class=\"l\">%" PRIu64
		" events (%" PRIu64 " iorace, %" PRIu64 " kernel)</td></tr>\n",
		res->rs.events, res->rs.ust_events, res->rs.kernel_events);
	fputs("<tr><th class=\"l\">findings (trace oracle)</th>"
	      "<td class=\"l\">",
	      f);
	for (unsigned i = 0; i < F_NCLASSES; i++)
		if (res->oracle_classes[i])
			fprintf(f, "<span%s>%s %" PRIu64 "</span> ",
				res->findings[i] ? " class=\"fail\"" : "",
				finding_class_name(i), res->findings[i]);
	if (res->online_present) {
		fputs("</td></tr>\n<tr><th class=\"l\">findings (online)</th>"
		      "<td class=\"l\">",
		      f);
		for (unsigned i = 0; i < F_NCLASSES; i++)
			if (res->online[i])
				fprintf(f,
					"<span class=\"fail\">%s %" PRIu64
					"</span> ",
					finding_class_name(i), res->online[i]);
		svg_esc(f, res->online_msg);
	}
	fputs("</td></tr>\n</table>\n", f);
	fputs("<h2 id=\"invariants\">Invariants</h2>\n<table><tr><th "
	      "class=\"l\">invariant</th><th>status</th><th>checked</th>"
	      "<th>failed</th><th class=\"l\">note</th></tr>\n",
	      f);
	for (unsigned i = 0; i < CK_NINV; i++) {
		const struct ck_inv_result *r = &res->inv[i];

		fprintf(f,
			"<tr><td class=\"l\">%s</td><td%s>%s</td><td>%" PRIu64
			"</td><td>%" PRIu64 "</td><td class=\"l\">",
			r->name, r->status == CK_FAIL ? " class=\"fail\"" : "",
			ck_status_name(r->status), r->checked, r->failed);
		svg_esc(f, r->note);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

static int finish_file(FILE *f, const char *path)
{
	fputs("</body></html>\n", f);
	if (fclose(f)) {
		msg("html: cannot write %s", path);
		return -1;
	}
	return 0;
}

int checker_write_html(const char *path, const struct checker_result *res)
{
	struct hrun *r = xcalloc(1, sizeof(*r));
	char err[512], title[4200];
	FILE *f;

	windows_from(r, res);
	if (hrun_read(r, res->run_dir, err, sizeof(err))) {
		msg("html: %s", err);
		hrun_free(r);
		free(r);
		return -1;
	}
	f = fopen(path, "w");
	if (!f) {
		msg("html: cannot create %s", path);
		hrun_free(r);
		free(r);
		return -1;
	}
	snprintf(title, sizeof(title), "iorace run %s", res->run_dir);
	page_head(f, title);
	fputs("<h1>", f);
	svg_esc(f, title);
	fputs("</h1>\n", f);
	summary(f, res);
	histograms(f, &r, NULL, 1);
	throughput(f, r);
	fputs("<h2 id=\"timelines\">Findings and failed invariants</h2>\n", f);
	if (!r->nwin)
		fputs("<p>None: no invariant failed.</p>\n", f);
	for (unsigned i = 0; i < r->nwin; i++)
		timeline(f, r, &r->win[i], i);
	if (r->win_dropped)
		fprintf(f,
			"<p>%" PRIu64 " more evidence timelines not drawn "
			"(see check.txt).</p>\n",
			r->win_dropped);
	hrun_free(r);
	free(r);
	return finish_file(f, path);
}

/* report.json's verdict and findings, for a run without a trace. */
static void summary_json(FILE *f, const char *run_dir)
{
	static const char *const keys[] = { "workload", "seed", "scale",
					    "verdict" };
	struct json_object *root, *v, *fo;
	char path[4200];

	snprintf(path, sizeof(path), "%s/report.json", run_dir);
	root = json_object_from_file(path);
	fputs("<table class=\"summary\">\n", f);
	for (unsigned i = 0; root && i < ARRAY_SIZE(keys); i++) {
		if (!json_object_object_get_ex(root, keys[i], &v))
			continue;
		fprintf(f, "<tr><th class=\"l\">%s</th><td class=\"l\">",
			keys[i]);
		svg_esc(f, json_object_get_string(v));
		fputs("</td></tr>\n", f);
	}
	if (root && json_object_object_get_ex(root, "findings", &fo) &&
	    json_object_is_type(fo, json_type_object)) {
		fputs("<tr><th class=\"l\">findings</th><td class=\"l\">", f);
		json_object_object_foreach(fo, k, val)
		{
			int64_t n = json_object_get_int64(val);

			fprintf(f, "<span%s>", n ? " class=\"fail\"" : "");
			svg_esc(f, k);
			fprintf(f, " %" PRId64 "</span> ", n);
		}
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
	json_object_put(root);
}

int checker_write_html_samples(const char *path, const char *run_dir,
			       const uint64_t *const *v, const size_t *n)
{
	struct hrun *r = xcalloc(1, sizeof(*r));
	char title[4200];
	FILE *f = fopen(path, "w");

	if (!f) {
		msg("html: cannot create %s", path);
		free(r);
		return -1;
	}
	for (unsigned k = 0; k < CK_NKINDS; k++)
		for (size_t i = 0; v[k] && i < n[k]; i++)
			lh_add(&r->lat[k], v[k][i]);
	snprintf(title, sizeof(title), "iorace run %s", run_dir);
	page_head(f, title);
	fputs("<h1>", f);
	svg_esc(f, title);
	fputs("</h1>\n", f);
	summary_json(f, run_dir);
	histograms(f, &r, NULL, 1);
	fputs("<p>A run without a trace: the latencies are the runner's own "
	      "(percentiles by nearest rank); no throughput plot and no "
	      "timelines (they need the trace).</p>\n",
	      f);
	hrun_free(r);
	free(r);
	return finish_file(f, path);
}

int checker_write_compare_html(const char *path, const char *base,
			       const char *new_side)
{
	const char *names[] = { "BASE", "NEW" }, *args[] = { base, new_side };
	struct hrun *r[2] = { xcalloc(1, sizeof(*r[0])),
			      xcalloc(1, sizeof(*r[1])) };
	char err[512];
	int ret = -1;
	FILE *f;

	for (unsigned s = 0; s < 2; s++)
		if (hrun_read(r[s], args[s], err, sizeof(err))) {
			msg("compare: --html: %s: %s", args[s], err);
			goto out;
		}
	f = fopen(path, "w");
	if (!f) {
		msg("compare: cannot create %s", path);
		goto out;
	}
	page_head(f, "iorace compare");
	fputs("<h1>iorace compare</h1>\n<table>", f);
	for (unsigned s = 0; s < 2; s++) {
		fprintf(f, "<tr><th class=\"l\">%s</th><td class=\"l\">",
			names[s]);
		svg_esc(f, args[s]);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
	histograms(f, r, names, 2);
	ret = finish_file(f, path);
out:
	for (unsigned s = 0; s < 2; s++) {
		hrun_free(r[s]);
		free(r[s]);
	}
	return ret;
}
