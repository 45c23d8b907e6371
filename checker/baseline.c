// SPDX-License-Identifier: GPL-2.0
/*
 * `iorace baseline` and `iorace compare BASELINE NEW`: the baseline file,
 * its statistics and the noise-aware compare. Format and rules: baseline.h.
 */
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "checker/baseline.h"
#include "checker/checker.h"
#include "checker/html.h"
#include "common/util.h"
#include "injectors/inject.h"
#include "replay/run.h"

static const char *const metric_key[2] = { "p50_ns", "p99_ns" };

/* ---- statistics ---- */

double bl_binom_tail(unsigned m, unsigned M, double p)
{
	double sum = 0;

	if (m == 0)
		return 1.0;
	if (m > M || p <= 0)
		return 0.0;
	if (p >= 1)
		return 1.0;
	for (unsigned i = m; i <= M; i++)
		sum += exp(lgamma(M + 1.0) - lgamma(i + 1.0) -
			   lgamma(M - i + 1.0) + i * log(p) +
			   (M - i) * log1p(-p));
	return sum > 1.0 ? 1.0 : sum;
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double bl_median(const double *v, size_t n)
{
	double *s, m;

	if (!n)
		return NAN;
	s = xmalloc(n * sizeof(*s));
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_dbl);
	m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return m;
}

static void minmax(const double *v, size_t n, double *mn, double *mx)
{
	*mn = INFINITY;
	*mx = -INFINITY;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < *mn)
			*mn = v[i];
		if (v[i] > *mx)
			*mx = v[i];
	}
}

/*
 * Exact upper tail of U (pairs with y > x) under H0: f(i, j, u) orderings
 * of i y's and j x's with U = u; the largest element is a y (beating all j
 * x's) or an x: f(i, j, u) = f(i-1, j, u-j) + f(i, j-1, u).
 */
static double mw_exact(size_t nx, size_t ny, size_t u_obs)
{
	size_t umax = nx * ny, W = umax + 1;
	double *f = xcalloc((nx + 1) * (ny + 1) * W, sizeof(*f));
	double tail = 0, total = 0;

#define F(i, j, u) f[((i) * (nx + 1) + (j)) * W + (u)]
	for (size_t i = 0; i <= ny; i++)
		for (size_t j = 0; j <= nx; j++) {
			if (!i || !j) {
				F(i, j, 0) = 1;
				continue;
			}
			for (size_t u = 0; u <= i * j; u++)
				F(i, j, u) = (u >= j ? F(i - 1, j, u - j) : 0) +
					     F(i, j - 1, u);
		}
	for (size_t u = 0; u <= umax; u++) {
		total += F(ny, nx, u);
		if (u >= u_obs)
			tail += F(ny, nx, u);
	}
#undef F
	free(f);
	return tail / total;
}

double bl_mann_whitney(const double *x, size_t nx, const double *y, size_t ny,
		       bool *exact)
{
	double U = 0, N = (double)(nx + ny), T = 0, var, z, *all;
	bool ties = false;
	size_t n = nx + ny;

	if (exact)
		*exact = false;
	if (!nx || !ny)
		return 1.0;
	for (size_t i = 0; i < nx; i++)
		for (size_t j = 0; j < ny; j++) {
			if (y[j] > x[i])
				U += 1;
			else if (y[j] == x[i])
				U += 0.5;
		}
	all = xmalloc(n * sizeof(*all));
	memcpy(all, x, nx * sizeof(*all));
	memcpy(all + nx, y, ny * sizeof(*all));
	qsort(all, n, sizeof(*all), cmp_dbl);
	for (size_t i = 0; i < n;) {
		size_t j = i;

		while (j < n && all[j] == all[i])
			j++;
		if (j - i > 1) {
			double t = (double)(j - i);

			ties = true;
			T += t * t * t - t;
		}
		i = j;
	}
	free(all);
	if (!ties && nx <= BL_EXACT_MAX && ny <= BL_EXACT_MAX) {
		if (exact)
			*exact = true;
		return mw_exact(nx, ny, (size_t)U);
	}
	var = (double)nx * (double)ny / 12.0 * ((N + 1) - T / (N * (N - 1)));
	if (var <= 0)
		return 1.0;
	z = (U - (double)nx * (double)ny / 2.0 - 0.5) / sqrt(var);
	return 0.5 * erfc(z / sqrt(2.0));
}

bool bl_small_rule(const double *x, size_t nx, const double *y, size_t ny)
{
	double mn, mx, med;

	if (!nx || !ny)
		return false;
	minmax(x, nx, &mn, &mx);
	med = bl_median(x, nx);
	for (size_t i = 0; i < ny; i++)
		if (!(y[i] > mx + (mx - mn) && y[i] >= BL_SMALL_RATIO * med))
			return false;
	return true;
}

bool bl_rate_regression(unsigned k, unsigned N, unsigned m, unsigned M,
			double *p)
{
	*p = NAN;
	if (!M || !N)
		return false;
	if (!k)
		return m > 0;
	*p = bl_binom_tail(m, M, (double)k / N);
	return *p < BL_ALPHA;
}

/* ---- summaries ---- */

static struct bl_count *count_get(struct bl_count **v, size_t *n, size_t *cap,
				  const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i].name, name))
			return &(*v)[i];
	grow_array((void **)v, cap, *n + 1, sizeof(**v));
	memset(&(*v)[*n], 0, sizeof(**v));
	(*v)[*n].name = xstrdup(name);
	return &(*v)[(*n)++];
}

static struct bl_lat *lat_get(struct bl_summary *s, const char *kind)
{
	for (size_t i = 0; i < s->nlat; i++)
		if (!strcmp(s->lat[i].kind, kind))
			return &s->lat[i];
	grow_array((void **)&s->lat, &s->clat, s->nlat + 1, sizeof(*s->lat));
	memset(&s->lat[s->nlat], 0, sizeof(*s->lat));
	s->lat[s->nlat].kind = xstrdup(kind);
	return &s->lat[s->nlat++];
}

static void lat_push(struct bl_lat *l, int m, double v)
{
	grow_array((void **)&l->v[m], &l->cap[m], l->n[m] + 1,
		   sizeof(*l->v[m]));
	l->v[m][l->n[m]++] = v;
}

static struct json_object *obj_key(struct json_object *o, const char *k)
{
	struct json_object *v;

	if (o && json_object_object_get_ex(o, k, &v) &&
	    json_object_is_type(v, json_type_object))
		return v;
	return NULL;
}

static bool num_key(struct json_object *o, const char *k, double *out)
{
	struct json_object *v;

	if (o && json_object_object_get_ex(o, k, &v) &&
	    (json_object_is_type(v, json_type_int) ||
	     json_object_is_type(v, json_type_double))) {
		*out = json_object_get_double(v);
		return true;
	}
	return false;
}

void bl_free(struct bl_summary *s)
{
	for (size_t i = 0; i < s->ncls; i++)
		free(s->cls[i].name);
	for (size_t i = 0; i < s->ninv; i++)
		free(s->inv[i].name);
	for (size_t i = 0; i < s->nlat; i++) {
		free(s->lat[i].kind);
		free(s->lat[i].v[0]);
		free(s->lat[i].v[1]);
	}
	free(s->cls);
	free(s->inv);
	free(s->lat);
	free(s->workload);
	memset(s, 0, sizeof(*s));
}

/* One run from its report.json (rep) and check.json (chk, may be NULL). */
static void add_roots(struct bl_summary *s, struct json_object *rep,
		      struct json_object *chk)
{
	struct json_object *roots[2] = { rep, chk }, *inv = NULL, *lat;
	char **hit = NULL;
	size_t nhit = 0, chit = 0;

	for (int r = 0; r < 2; r++) {
		struct json_object *f = obj_key(roots[r], "findings");

		if (!f)
			continue;
		json_object_object_foreach(f, name, val)
		{
			struct bl_count *c =
				count_get(&s->cls, &s->ncls, &s->ccls, name);
			size_t i;

			if (json_object_get_int64(val) <= 0)
				continue;
			for (i = 0; i < nhit; i++)
				if (!strcmp(hit[i], c->name))
					break;
			if (i < nhit)
				continue; /* in both files: one run */
			grow_array((void **)&hit, &chit, nhit + 1,
				   sizeof(*hit));
			hit[nhit++] = c->name;
			c->failed++;
		}
	}
	free(hit);
	for (int r = 0; r < 2 && !inv; r++)
		inv = obj_key(roots[r], "invariants");
	if (inv) {
		json_object_object_foreach(inv, name, val)
		{
			struct bl_count *c =
				count_get(&s->inv, &s->ninv, &s->cinv, name);
			struct json_object *st;
			const char *sv;

			if (!json_object_object_get_ex(val, "status", &st))
				continue;
			sv = json_object_get_string(st);
			if (sv && !strcmp(sv, "fail"))
				c->failed++;
			else if (sv && !strcmp(sv, "inconclusive"))
				c->inconclusive++;
		}
	}
	lat = obj_key(rep, "latency");
	if (lat) {
		json_object_object_foreach(lat, kind, val)
		{
			struct bl_lat *l = lat_get(s, kind);
			double v;

			for (int m = 0; m < 2; m++)
				if (num_key(val, metric_key[m], &v))
					lat_push(l, m, v);
		}
	}
	s->runs++;
}

int bl_add_run(struct bl_summary *s, const char *run_dir, char *err, size_t len)
{
	char path[4200];
	struct json_object *rep, *chk;

	snprintf(path, sizeof(path), "%s/report.json", run_dir);
	rep = json_object_from_file(path);
	if (!rep || !json_object_is_type(rep, json_type_object)) {
		snprintf(err, len, "%s: no readable report.json", run_dir);
		json_object_put(rep);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/check.json", run_dir);
	chk = json_object_from_file(path);
	if (chk && !json_object_is_type(chk, json_type_object)) {
		json_object_put(chk);
		chk = NULL;
	}
	add_roots(s, rep, chk);
	json_object_put(rep);
	json_object_put(chk);
	return 0;
}

static bool is_baseline_obj(struct json_object *o)
{
	struct json_object *k;

	return o && json_object_is_type(o, json_type_object) &&
	       json_object_object_get_ex(o, "kind", &k) &&
	       json_object_is_type(k, json_type_string) &&
	       !strcmp(json_object_get_string(k), "baseline");
}

bool bl_is_baseline(const char *path)
{
	struct stat sb;
	struct json_object *o;
	bool r;

	/* not regular or over 64 MiB: compare's loader says why */
	if (stat(path, &sb) || !S_ISREG(sb.st_mode) ||
	    sb.st_size > (off_t)64 << 20)
		return false;
	o = json_object_from_file(path);
	r = is_baseline_obj(o);
	json_object_put(o);
	return r;
}

static void parse_counts(struct json_object *o, struct bl_count **v, size_t *n,
			 size_t *cap, bool inv)
{
	if (!o)
		return;
	json_object_object_foreach(o, name, val)
	{
		struct bl_count *c = count_get(v, n, cap, name);
		double d;

		if (!inv) {
			c->failed = (unsigned)json_object_get_int(val);
			continue;
		}
		if (num_key(val, "failed", &d))
			c->failed = (unsigned)d;
		if (num_key(val, "inconclusive", &d))
			c->inconclusive = (unsigned)d;
	}
}

static int parse_baseline(struct bl_summary *s, struct json_object *o,
			  char *err, size_t len)
{
	struct json_object *v, *lat;
	double d;

	if (!num_key(o, "runs", &d) || d < 1) {
		snprintf(err, len, "baseline without \"runs\"");
		return -1;
	}
	s->runs = (unsigned)d;
	if (num_key(o, "scale", &d))
		s->scale = d;
	if (num_key(o, "seed", &d))
		s->seed = (uint64_t)d;
	if (json_object_object_get_ex(o, "workload", &v))
		s->workload = xstrdup(json_object_get_string(v));
	if (json_object_object_get_ex(o, "date", &v))
		snprintf(s->date, sizeof(s->date), "%s",
			 json_object_get_string(v));
	parse_counts(obj_key(o, "findings"), &s->cls, &s->ncls, &s->ccls,
		     false);
	parse_counts(obj_key(o, "invariants"), &s->inv, &s->ninv, &s->cinv,
		     true);
	lat = obj_key(o, "latency");
	if (lat) {
		json_object_object_foreach(lat, kind, val)
		{
			struct bl_lat *l = lat_get(s, kind);

			for (int m = 0; m < 2; m++) {
				struct json_object *a;

				if (!json_object_object_get_ex(
					    val, metric_key[m], &a) ||
				    !json_object_is_type(a, json_type_array))
					continue;
				for (size_t i = 0;
				     i < json_object_array_length(a); i++)
					lat_push(
						l, m,
						json_object_get_double(
							json_object_array_get_idx(
								a, i)));
			}
		}
	}
	return 0;
}

int bl_load(struct bl_summary *s, const char *path, char *err, size_t len)
{
	char p[4200];
	struct stat sb;

	memset(s, 0, sizeof(*s));
	if (stat(path, &sb)) {
		snprintf(err, len, "%s: not found", path);
		return -1;
	}
	if (S_ISDIR(sb.st_mode)) {
		unsigned k;

		snprintf(p, sizeof(p), "%s/report.json", path);
		if (!access(p, R_OK))
			return bl_add_run(s, path, err, len);
		for (k = 0;; k++) {
			snprintf(p, sizeof(p), "%s/run-%u", path, k);
			if (stat(p, &sb))
				break;
			if (bl_add_run(s, p, err, len))
				return -1;
		}
		if (!k) {
			snprintf(err, len,
				 "%s: neither a run dir (report.json) nor a "
				 "repeat dir (run-0/report.json)",
				 path);
			return -1;
		}
		return 0;
	} else {
		struct json_object *o = json_object_from_file(path);
		int r = 0;

		if (!o || !json_object_is_type(o, json_type_object)) {
			snprintf(err, len, "%s: not a JSON object", path);
			r = -1;
		} else if (is_baseline_obj(o)) {
			r = parse_baseline(s, o, err, len);
		} else if (obj_key(o, "latency") || obj_key(o, "findings")) {
			add_roots(s, o, NULL);
		} else {
			snprintf(err, len, "%s: not a report or baseline",
				 path);
			r = -1;
		}
		json_object_put(o);
		return r;
	}
}

static int cmp_count(const void *a, const void *b)
{
	return strcmp(((const struct bl_count *)a)->name,
		      ((const struct bl_count *)b)->name);
}

static int cmp_lat(const void *a, const void *b)
{
	return strcmp(((const struct bl_lat *)a)->kind,
		      ((const struct bl_lat *)b)->kind);
}

static void *sorted_copy(const void *v, size_t n, size_t esz,
			 int (*cmp)(const void *, const void *))
{
	void *c = xmalloc(n * esz + 1);

	if (n) {
		memcpy(c, v, n * esz);
		qsort(c, n, esz, cmp);
	}
	return c;
}

int bl_write(const struct bl_summary *s0, const char *path)
{
	struct bl_summary s = *s0;
	struct json_object *root, *o;
	char buf[64];
	int r;

	/* sorted keys: json-c keeps insertion order */
	s.cls = sorted_copy(s0->cls, s.ncls, sizeof(*s.cls), cmp_count);
	s.inv = sorted_copy(s0->inv, s.ninv, sizeof(*s.inv), cmp_count);
	s.lat = sorted_copy(s0->lat, s.nlat, sizeof(*s.lat), cmp_lat);

	root = json_object_new_object();
	json_object_object_add(root, "date", json_object_new_string(s.date));
	o = json_object_new_object();
	for (size_t i = 0; i < s.ncls; i++)
		json_object_object_add(
			o, s.cls[i].name,
			json_object_new_int((int)s.cls[i].failed));
	json_object_object_add(root, "findings", o);
	o = json_object_new_object();
	for (size_t i = 0; i < s.ninv; i++) {
		struct json_object *c = json_object_new_object();

		json_object_object_add(
			c, "failed", json_object_new_int((int)s.inv[i].failed));
		json_object_object_add(
			c, "inconclusive",
			json_object_new_int((int)s.inv[i].inconclusive));
		json_object_object_add(o, s.inv[i].name, c);
	}
	json_object_object_add(root, "invariants", o);
	json_object_object_add(root, "kind",
			       json_object_new_string("baseline"));
	o = json_object_new_object();
	for (size_t i = 0; i < s.nlat; i++) {
		struct json_object *k = json_object_new_object();

		for (int m = 0; m < 2; m++) {
			struct json_object *a = json_object_new_array();

			for (size_t j = 0; j < s.lat[i].n[m]; j++)
				json_object_array_add(
					a,
					json_object_new_int64((int64_t)llround(
						s.lat[i].v[m][j])));
			json_object_object_add(k, metric_key[m], a);
		}
		json_object_object_add(o, s.lat[i].kind, k);
	}
	json_object_object_add(root, "latency", o);
	json_object_object_add(root, "runs", json_object_new_int((int)s.runs));
	snprintf(buf, sizeof(buf), "%g", s.scale);
	json_object_object_add(root, "scale",
			       json_object_new_double_s(s.scale, buf));
	json_object_object_add(root, "seed",
			       json_object_new_int64((int64_t)s.seed));
	json_object_object_add(root, "tool", json_object_new_string("iorace"));
	json_object_object_add(root, "version", json_object_new_int(1));
	json_object_object_add(
		root, "workload",
		json_object_new_string(s.workload ? s.workload : ""));
	r = json_object_to_file_ext(path, root,
				    JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_SPACED |
					    JSON_C_TO_STRING_NOSLASHESCAPE);
	json_object_put(root);
	free(s.cls);
	free(s.inv);
	free(s.lat);
	return r < 0 ? -1 : 0;
}

/* ---- compare ---- */

static const struct bl_count *count_find(const struct bl_count *v, size_t n,
					 const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return &v[i];
	return NULL;
}

static const struct bl_lat *lat_find(const struct bl_summary *s,
				     const char *kind)
{
	for (size_t i = 0; i < s->nlat; i++)
		if (!strcmp(s->lat[i].kind, kind))
			return &s->lat[i];
	return NULL;
}

#define ROW "%-10s %-22s %-28s %-14s %-7s %-18s %s\n"

static unsigned rate_rows(FILE *out, const char *what,
			  const struct bl_count *bv, size_t bn, unsigned N,
			  const struct bl_count *nv, size_t nn, unsigned M)
{
	unsigned reg = 0;

	/* the baseline's names, then names only NEW has */
	for (size_t pass = 0; pass < 2; pass++) {
		const struct bl_count *v = pass ? nv : bv;
		size_t n = pass ? nn : bn;

		for (size_t i = 0; i < n; i++) {
			const struct bl_count *b, *c;
			char bs[64], ns[64], ps[32];
			unsigned k, m;
			double p;
			bool r;

			if (pass && count_find(bv, bn, v[i].name))
				continue;
			b = count_find(bv, bn, v[i].name);
			c = count_find(nv, nn, v[i].name);
			k = b ? b->failed : 0;
			m = c ? c->failed : 0;
			r = bl_rate_regression(k, N, m, M, &p);
			snprintf(bs, sizeof(bs), "%u/%u failed", k, N);
			if (b && b->inconclusive)
				snprintf(bs + strlen(bs),
					 sizeof(bs) - strlen(bs), " %u inc",
					 b->inconclusive);
			snprintf(ns, sizeof(ns), "%u/%u", m, M);
			if (c && c->inconclusive)
				snprintf(ns + strlen(ns),
					 sizeof(ns) - strlen(ns), " %uinc",
					 c->inconclusive);
			if (k)
				snprintf(ps, sizeof(ps), "binom p=%.3g", p);
			else
				snprintf(ps, sizeof(ps), "0/N: any fails");
			fprintf(r ? stdout : out, ROW, what, v[i].name, bs, ns,
				"-", ps, r ? "REGRESSION" : "ok");
			if (r)
				reg++;
		}
	}
	return reg;
}

/* How many U tests lat_rows() will make (the Bonferroni divisor). */
static unsigned lat_tests(const struct bl_summary *b,
			  const struct bl_summary *n)
{
	unsigned t = 0;

	for (size_t i = 0; i < b->nlat; i++) {
		const struct bl_lat *ln = lat_find(n, b->lat[i].kind);

		for (int m = 0; m < 2; m++)
			t += b->lat[i].n[m] && ln && ln->n[m] >= 3;
	}
	return t;
}

static unsigned lat_rows(FILE *out, const struct bl_summary *b,
			 const struct bl_summary *n, double alpha)
{
	unsigned reg = 0;

	for (size_t i = 0; i < b->nlat; i++) {
		const struct bl_lat *lb = &b->lat[i];
		const struct bl_lat *ln = lat_find(n, lb->kind);

		for (int m = 0; m < 2; m++) {
			size_t nb = lb->n[m], nn = ln ? ln->n[m] : 0;
			char bs[64], ns[32], rs[16], ps[32];
			const char *verdict = "n/a";
			double mn, mx, bmed, nmed, ratio, p;
			bool exact, r = false;

			if (!nb) {
				continue;
			}
			minmax(lb->v[m], nb, &mn, &mx);
			bmed = bl_median(lb->v[m], nb);
			snprintf(bs, sizeof(bs), "%.1f [%.1f-%.1f]us",
				 bmed / 1e3, mn / 1e3, mx / 1e3);
			snprintf(ns, sizeof(ns), "-");
			snprintf(rs, sizeof(rs), "-");
			snprintf(ps, sizeof(ps), "no new values");
			if (nn) {
				nmed = bl_median(ln->v[m], nn);
				ratio = bmed > 0 ? nmed / bmed : NAN;
				snprintf(ns, sizeof(ns), "%.1fus", nmed / 1e3);
				snprintf(rs, sizeof(rs), "%.2f", ratio);
				if (nn >= 3) {
					p = bl_mann_whitney(lb->v[m], nb,
							    ln->v[m], nn,
							    &exact);
					snprintf(ps, sizeof(ps), "U %s p=%.3g",
						 exact ? "exact" : "approx", p);
					r = p < alpha && ratio >= BL_MIN_RATIO;
				} else {
					snprintf(ps, sizeof(ps), "rule M<3");
					r = bl_small_rule(lb->v[m], nb,
							  ln->v[m], nn);
				}
				verdict = r ? "REGRESSION" : "ok";
			}
			fprintf(r ? stdout : out, ROW, lb->kind,
				m ? "p99" : "p50", bs, ns, rs, ps, verdict);
			if (r)
				reg++;
		}
	}
	return reg;
}

int bl_compare(const char *base, const char *new_, bool quiet)
{
	struct bl_summary b, n;
	char err[512];
	unsigned reg = 0, ntests;
	FILE *out;

	if (bl_load(&b, base, err, sizeof(err))) {
		msg("compare: %s", err);
		bl_free(&b);
		return EXIT_USAGE;
	}
	if (bl_load(&n, new_, err, sizeof(err))) {
		msg("compare: %s", err);
		bl_free(&b);
		bl_free(&n);
		return EXIT_USAGE;
	}
	out = quiet ? fopen("/dev/null", "w") : stdout;
	if (!out)
		out = stdout;
	fprintf(out, "baseline %s: %s, %u runs; new: %u runs\n", base,
		b.workload ? b.workload : "?", b.runs, n.runs);
	fprintf(out, ROW, "kind", "metric", "baseline median [min-max]",
		"new median", "ratio", "p or rule", "verdict");
	reg += rate_rows(out, "class", b.cls, b.ncls, b.runs, n.cls, n.ncls,
			 n.runs);
	reg += rate_rows(out, "invariant", b.inv, b.ninv, b.runs, n.inv, n.ninv,
			 n.runs);
	/*
	 * The latency tests of one compare share alpha (Bonferroni): with
	 * ~10 metrics at 0.01 each, a clean run set was flagged in 1 of 4
	 * comparisons under load (fsync p99, p=0.006).
	 */
	ntests = lat_tests(&b, &n);
	reg += lat_rows(out, &b, &n, BL_ALPHA / (ntests ? ntests : 1));
	if (out != stdout)
		fclose(out);
	printf("%s: %u regression(s) (alpha %.2g; latency: %u U tests at "
	       "alpha %.2g/%u each, ratio >= %.2f, or rule M<3)\n",
	       reg ? "REGRESSION" : "no regression", reg, BL_ALPHA, ntests,
	       BL_ALPHA, ntests ? ntests : 1, BL_MIN_RATIO);
	bl_free(&b);
	bl_free(&n);
	return reg ? EXIT_FINDINGS : EXIT_CLEAN;
}

/* ---- iorace baseline ---- */

static void baseline_usage(FILE *f)
{
	fprintf(f,
		"usage: iorace baseline WORKLOAD|FILE --out DIR [options]\n"
		"\n"
		"Runs the workload N times (seeds S, S+1, ...) into DIR/run-K\n"
		"and writes DIR/baseline.json: per finding class and invariant\n"
		"the failing run counts, per op kind the per-run p50/p99. Commit\n"
		"it; `iorace compare DIR/baseline.json NEW` tests NEW against it.\n"
		"\n"
		"  -o, --out DIR        required\n"
		"  -n, --repeat N       runs (default 10)\n"
		"  -s, --seed S         first seed (default 1)\n"
		"  -S, --scale F        (default 1)\n"
		"  -e, --engine E       as for iorace run\n"
		"  -i, --inject KEY=VAL as for iorace run; repeatable\n"
		"      --watchdog DUR, --base-dir DIR, --no-trace, --no-progress\n"
		"  -v, --verbose\n"
		"\n"
		"exit status: 0 baseline written (failing runs are recorded in\n"
		"it), 2 bad usage, else the status of the run that broke.\n");
}

int baseline_main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "from", required_argument, NULL, 'F' },
		{ "repeat", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "scale", required_argument, NULL, 'S' },
		{ "engine", required_argument, NULL, 'e' },
		{ "inject", required_argument, NULL, 'i' },
		{ "watchdog", required_argument, NULL, 'W' },
		{ "base-dir", required_argument, NULL, 'B' },
		{ "no-trace", no_argument, NULL, 'N' },
		{ "no-progress", no_argument, NULL, 'Q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct run_opts o;
	unsigned long repeat = 10;
	struct bl_summary s;
	char err[512], path[4200], why[256], *end, *w;
	const char *base, *from = NULL;
	time_t now;
	int c, st;

	checker_run_opts_init(&o);
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:n:s:S:e:i:vh", lo, NULL)) !=
	       -1) {
		switch (c) {
		case 'o':
			o.out_dir = optarg;
			break;
		case 'F':
			from = optarg;
			break;
		case 'n':
			repeat = strtoul(optarg, &end, 10);
			if (*end || !repeat || repeat > 100000)
				goto bad;
			break;
		case 's':
			o.seed = strtoull(optarg, &end, 0);
			if (*end || !*optarg)
				goto bad;
			break;
		case 'S':
			o.scale = strtod(optarg, &end);
			if (*end || o.scale <= 0)
				goto bad;
			break;
		case 'e':
			o.engine = optarg;
			break;
		case 'i':
			if (inject_cli_add(optarg, why, sizeof(why)) < 0) {
				msg("baseline: --inject %s: %s", optarg, why);
				return EXIT_USAGE;
			}
			break;
		case 'W':
			if (parse_duration(optarg, &o.watchdog_ns) < 0 ||
			    !o.watchdog_ns)
				goto bad;
			break;
		case 'B':
			o.base_dir = optarg;
			break;
		case 'N':
			o.trace = false;
			break;
		case 'Q':
			o.progress = false;
			break;
		case 'v':
			verbose++;
			break;
		case 'h':
			baseline_usage(stdout);
			return EXIT_CLEAN;
		default:
			baseline_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (from && !o.out_dir)
		o.out_dir = from;
	if (optind != argc - 1 || !o.out_dir) {
		msg("baseline: expected one WORKLOAD and --out DIR");
		baseline_usage(stderr);
		return EXIT_USAGE;
	}
	o.workload = argv[optind];
	if (!from) {
		st = run_repeat(&o, (unsigned)repeat);
		if (st != EXIT_CLEAN && st != EXIT_FINDINGS &&
		    st != EXIT_INCONCLUSIVE)
			return st;
	}
	if (bl_load(&s, from ? from : o.out_dir, err, sizeof(err))) {
		msg("baseline: %s", err);
		bl_free(&s);
		return EXIT_USAGE;
	}
	/* a name, never a path: the file is meant to be committed */
	base = strrchr(o.workload, '/');
	s.workload = xstrdup(base ? base + 1 : o.workload);
	w = strstr(s.workload, ".job");
	if (w && !w[4])
		*w = 0;
	s.scale = o.scale;
	s.seed = o.seed;
	now = time(NULL);
	strftime(s.date, sizeof(s.date), "%Y-%m-%d", gmtime(&now));
	snprintf(path, sizeof(path), "%s/baseline.json", o.out_dir);
	if (bl_write(&s, path)) {
		msg("baseline: cannot write %s: %s", path, strerror(errno));
		bl_free(&s);
		return EXIT_USAGE;
	}
	printf("baseline: %s (%u runs)\n", path, s.runs);
	bl_free(&s);
	return EXIT_CLEAN;
bad:
	msg("baseline: bad value for --%s: '%s'",
	    c == 's' ? "seed" :
	    c == 'S' ? "scale" :
	    c == 'n' ? "repeat" :
		       "watchdog",
	    optarg);
	return EXIT_USAGE;
}
