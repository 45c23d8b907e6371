// SPDX-License-Identifier: GPL-2.0
/*
 * `iorace compare BASE NEW`: side-by-side invariants, finding counts and
 * latency percentiles of two runs; exit 1 on a regression.
 *
 * Input: a run directory (its report.json, completed by its check.json for
 * the keys report.json lacks) or a report.json / check.json file. The JSON
 * read, all keys optional but at least one present:
 *
 *   {
 *     "invariants": { "<name>": { "status": "pass" | "fail" |
 *                                 "inconclusive" | "not-applicable", ... } },
 *     "findings":   { "<CLASS>": <count>, ... },     e.g. "STALE": 0
 *     "latency":    { "<op kind>": { "n": <samples>, "p50_ns": <ns>,
 *                                    "p99_ns": <ns>, "max_ns": <ns> } }
 *   }
 *
 * op kinds are op_kind_name() (write, read, truncate, ...); classes are
 * finding_class_name() (STALE, LOST, ...). Other keys are ignored.
 *
 * BASE a baseline.json ("kind": "baseline", `iorace baseline`): the
 * statistical compare of checker/baseline.h instead, NEW a run dir, a
 * repeat dir or another baseline; --threshold and --min-samples unused.
 *
 * Regressions: an invariant that passed in BASE and fails in NEW; a finding
 * class whose count grew; a p99 latency that grew by more than --threshold
 * percent (default 25) where both sides have at least --min-samples
 * samples (default 100).
 *
 * DISAGREE (the online and trace oracles differ, checker_disagree_count)
 * is a finding class like the others; a side's count is findings.DISAGREE
 * of report.json or check.json, else "disagree": { "count": N }, else 1
 * when trace_check.agrees_with_online or online.agree is false (reports
 * from before DISAGREE was counted), else 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checker/baseline.h"
#include "checker/checker.h"
#include "checker/html.h"
#include "common/util.h"

struct side {
	struct json_object *inv, *find, *lat; /* borrowed from roots */
	struct json_object *root[2];
};

static struct json_object *obj_key(struct json_object *o, const char *k)
{
	struct json_object *v;

	if (o && json_object_object_get_ex(o, k, &v) &&
	    json_object_is_type(v, json_type_object))
		return v;
	return NULL;
}

/* Reports larger than this are not reports: bad input. */
#define COMPARE_MAX_JSON (64u << 20)

/*
 * path's JSON: a regular file of at most COMPARE_MAX_JSON bytes (no device,
 * FIFO or /dev/zero read without end). NULL with *absent when the file does
 * not exist, NULL with err set when it is unusable.
 */
static struct json_object *load_json(const char *path, bool *absent, char *err,
				     size_t len)
{
	struct json_object *o = NULL;
	struct stat sb;
	char *buf;
	size_t got = 0;
	ssize_t n;
	int fd;

	*absent = false;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		*absent = errno == ENOENT;
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		snprintf(err, len, "%s: not a regular file", path);
		close(fd);
		return NULL;
	}
	if (sb.st_size > (off_t)COMPARE_MAX_JSON) {
		snprintf(err, len, "%s: larger than %u MiB", path,
			 COMPARE_MAX_JSON >> 20);
		close(fd);
		return NULL;
	}
	buf = xmalloc((size_t)sb.st_size + 1);
	while (got < (size_t)sb.st_size &&
	       (n = read(fd, buf + got, (size_t)sb.st_size - got)) > 0)
		got += (size_t)n;
	close(fd);
	buf[got] = '\0';
	if (got == (size_t)sb.st_size && !memchr(buf, '\0', got))
		o = json_tokener_parse(buf);
	free(buf);
	if (!o)
		snprintf(err, len, "%s: not a JSON file", path);
	return o;
}

/* A count or nanosecond value: a finite number in [0, 2^62]. */
static bool good_num(struct json_object *v)
{
	double d;

	if (json_object_is_type(v, json_type_int))
		return json_object_get_int64(v) >= 0 &&
		       json_object_get_int64(v) <= (INT64_C(1) << 62);
	if (json_object_is_type(v, json_type_double)) {
		d = json_object_get_double(v);
		return isfinite(d) && d >= 0 && d <= 4611686018427387904.0;
	}
	return true; /* not a number: ignored */
}

/* Every number compare reads from o's values (depth: 1 or 2) is good. */
static const char *bad_num_key(struct json_object *o, int depth)
{
	const char *bad;

	if (!o)
		return NULL;
	json_object_object_foreach(o, key, val)
	{
		if (depth > 1 && json_object_is_type(val, json_type_object)) {
			bad = bad_num_key(val, depth - 1);
			if (bad)
				return bad;
		} else if (!good_num(val)) {
			return key;
		}
	}
	return NULL;
}

static int load_side(const char *arg, struct side *s, char *err, size_t len)
{
	static const char *const sect[] = { "findings", "latency", "disagree" };
	bool absent[2];
	const char *bad;
	size_t k;
	char path[4200];
	struct stat sb;
	int i;

	memset(s, 0, sizeof(*s));
	if (stat(arg, &sb)) {
		snprintf(err, len, "%s: not found", arg);
		return -1;
	}
	if (S_ISDIR(sb.st_mode)) {
		snprintf(path, sizeof(path), "%s/report.json", arg);
		s->root[0] = load_json(path, &absent[0], err, len);
		if (!s->root[0] && !absent[0])
			return -1;
		snprintf(path, sizeof(path), "%s/check.json", arg);
		s->root[1] = load_json(path, &absent[1], err, len);
		if (!s->root[1] && !absent[1])
			return -1;
		if (!s->root[0] && !s->root[1]) {
			snprintf(err, len,
				 "%s: no readable report.json or check.json",
				 arg);
			return -1;
		}
	} else {
		s->root[0] = load_json(arg, &absent[0], err, len);
		if (!s->root[0])
			return -1;
	}
	for (i = 0; i < 2; i++) {
		if (s->root[i] &&
		    !json_object_is_type(s->root[i], json_type_object)) {
			snprintf(err, len, "%s: JSON is not an object", arg);
			return -1;
		}
		for (k = 0; s->root[i] && k < ARRAY_SIZE(sect); k++) {
			bad = bad_num_key(obj_key(s->root[i], sect[k]),
					  k == 1 ? 2 : 1);
			if (bad) {
				snprintf(err, len,
					 "%s: %s: \"%s\" is not a finite "
					 "number in 0..2^62",
					 arg, sect[k], bad);
				return -1;
			}
		}
		if (!s->inv)
			s->inv = obj_key(s->root[i], "invariants");
		if (!s->find)
			s->find = obj_key(s->root[i], "findings");
		if (!s->lat)
			s->lat = obj_key(s->root[i], "latency");
	}
	if (!s->inv && !s->find && !s->lat) {
		snprintf(err, len,
			 "%s: no \"invariants\", \"findings\" or \"latency\"",
			 arg);
		return -1;
	}
	return 0;
}

static bool bool_key(struct json_object *o, const char *k, bool *val)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, k, &v) ||
	    !json_object_is_type(v, json_type_boolean))
		return false;
	*val = json_object_get_boolean(v);
	return true;
}

static int64_t num(struct json_object *o, const char *k, bool *ok);

/* The side's DISAGREE count (see the top); *known: some key said so. */
static int64_t side_disagree(const struct side *s, bool *known)
{
	static const char *const agree_at[][2] = {
		{ "trace_check", "agrees_with_online" },
		{ "online", "agree" },
	};
	bool ok, agree;
	int64_t v;
	int i;
	size_t k;

	*known = true;
	for (i = 0; i < 2; i++) {
		v = num(obj_key(s->root[i], "findings"), CK_DISAGREE, &ok);
		if (ok)
			return v;
	}
	for (i = 0; i < 2; i++) {
		v = num(obj_key(s->root[i], "disagree"), "count", &ok);
		if (ok)
			return v;
	}
	for (k = 0; k < ARRAY_SIZE(agree_at); k++)
		for (i = 0; i < 2; i++)
			if (bool_key(obj_key(s->root[i], agree_at[k][0]),
				     agree_at[k][1], &agree))
				return agree ? 0 : 1;
	*known = false;
	return 0;
}

static void free_side(struct side *s)
{
	json_object_put(s->root[0]);
	json_object_put(s->root[1]);
}

/*
 * Invariant names as compared: a report from before the rename calls
 * extent_ops_wait_dio truncate_waits_dio.
 */
static const char *inv_key(const char *name)
{
	return strcmp(name, CK_INV_OLD_EXTENT_WAIT) ? name : CK_INV_EXTENT_WAIT;
}

static const char *inv_status(struct json_object *inv, const char *name)
{
	struct json_object *o = obj_key(inv, name), *st;

	if (!o && !strcmp(name, CK_INV_EXTENT_WAIT))
		o = obj_key(inv, CK_INV_OLD_EXTENT_WAIT);

	if (o && json_object_object_get_ex(o, "status", &st) &&
	    json_object_is_type(st, json_type_string))
		return json_object_get_string(st);
	return NULL;
}

static int64_t num(struct json_object *o, const char *k, bool *ok)
{
	struct json_object *v;

	if (o && json_object_object_get_ex(o, k, &v) &&
	    (json_object_is_type(v, json_type_int) ||
	     json_object_is_type(v, json_type_double))) {
		if (ok)
			*ok = true;
		return json_object_get_int64(v);
	}
	if (ok)
		*ok = false;
	return 0;
}

/* Union of the keys of two objects, in first-seen order. */
struct keys {
	const char **v;
	size_t n, cap;
	struct json_object *seen; /* a hash set of v: keys as object keys */
};

static void keys_reset(struct keys *k)
{
	json_object_put(k->seen);
	k->seen = NULL;
	k->n = 0;
}

static void keys_add(struct keys *k, struct json_object *o, bool inv)
{
	if (!o)
		return;
	if (!k->seen)
		k->seen = json_object_new_object();
	json_object_object_foreach(o, key0, val)
	{
		const char *key = inv ? inv_key(key0) : key0;

		(void)val;
		if (json_object_object_get_ex(k->seen, key, NULL))
			continue;
		json_object_object_add(k->seen, key, NULL);
		grow_array((void **)&k->v, &k->cap, k->n + 1, sizeof(*k->v));
		k->v[k->n++] = key;
	}
}

static void compare_usage(FILE *f)
{
	fprintf(f,
		"usage: iorace compare [options] BASE NEW\n"
		"\n"
		"BASE and NEW are run directories or report.json/check.json "
		"files.\n"
		"If BASE is a baseline.json (iorace baseline), NEW may also be a\n"
		"repeat dir or a baseline, and the failure-rate and latency tests\n"
		"of README's \"Baselines\" apply instead of the rules below.\n"
		"Prints invariants, finding counts and latency percentiles side "
		"by\n"
		"side and exits 1 on a regression: an invariant that passed and "
		"now\n"
		"fails, a finding class whose count grew (DISAGREE, the online "
		"and\n"
		"trace oracles differing, included), or a p99 latency growth\n"
		"beyond the threshold where both sides have enough samples.\n"
		"\n"
		"options:\n"
		"  -t, --threshold PCT   p99 growth that counts as a regression\n"
		"                        (default 25)\n"
		"  -s, --min-samples N   samples each side needs for the latency\n"
		"                        rule (default 100)\n"
		"  -q, --quiet           print only the regressions\n"
		"      --html PATH       also write PATH: an HTML page of both\n"
		"                        sides' latency histograms side by side\n"
		"                        (BASE vs NEW), read from their traces\n"
		"                        (run dirs, or a report.json/check.json\n"
		"                        in one); exit 2 when it cannot be made\n"
		"  -h, --help            this text\n"
		"\n"
		"exit status: 0 no regression, 1 regression, 2 bad input.\n");
}

int compare_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "threshold", required_argument, NULL, 't' },
		{ "min-samples", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "html", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	double thr = 25.0;
	long long min_samples = 100;
	struct side b, n;
	struct keys k = { 0 };
	unsigned regress = 0;
	bool quiet = false;
	const char *html = NULL;
	char err[512], *end;
	FILE *out;
	size_t i;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "t:s:qh", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			thr = strtod(optarg, &end);
			if (*end == '%')
				end++;
			if (end == optarg || *end || thr < 0) {
				msg("compare: bad --threshold '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 's':
			min_samples = strtoll(optarg, &end, 10);
			if (end == optarg || *end || min_samples < 0) {
				msg("compare: bad --min-samples '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'q':
			quiet = true;
			break;
		case 'H':
			html = optarg;
			break;
		case 'h':
			compare_usage(stdout);
			return EXIT_CLEAN;
		default:
			compare_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 2) {
		compare_usage(stderr);
		return EXIT_USAGE;
	}
	if (html && bl_is_baseline(argv[optind])) {
		msg("compare: --html needs two runs, not a baseline");
		return EXIT_USAGE;
	}
	if (bl_is_baseline(argv[optind]))
		return bl_compare(argv[optind], argv[optind + 1], quiet);
	if (load_side(argv[optind], &b, err, sizeof(err))) {
		msg("compare: %s", err);
		free_side(&b);
		return EXIT_USAGE;
	}
	if (load_side(argv[optind + 1], &n, err, sizeof(err))) {
		msg("compare: %s", err);
		free_side(&b);
		free_side(&n);
		return EXIT_USAGE;
	}
	out = quiet ? fopen("/dev/null", "w") : stdout;
	if (!out)
		out = stdout;

	fprintf(out, "%-32s %-16s %-16s\n", "invariant", "base", "new");
	keys_add(&k, b.inv, true);
	keys_add(&k, n.inv, true);
	for (i = 0; i < k.n; i++) {
		const char *sb = inv_status(b.inv, k.v[i]);
		const char *sn = inv_status(n.inv, k.v[i]);
		bool reg =
			sb && sn && !strcmp(sb, "pass") && !strcmp(sn, "fail");

		fprintf(out, "%-32s %-16s %-16s%s\n", k.v[i], sb ? sb : "-",
			sn ? sn : "-", reg ? "  REGRESSION" : "");
		if (reg) {
			regress++;
			if (quiet)
				printf("regression: invariant %s: pass -> fail\n",
				       k.v[i]);
		}
	}
	keys_reset(&k);

	fprintf(out, "\n%-32s %16s %16s\n", "findings", "base", "new");
	keys_add(&k, b.find, false);
	keys_add(&k, n.find, false);
	for (i = 0; i <= k.n; i++) {
		bool kb = true, kn = true;
		const char *name = i < k.n ? k.v[i] : CK_DISAGREE;
		int64_t vb, vn;
		bool reg;

		if (i < k.n && !strcmp(name, CK_DISAGREE))
			continue; /* its own row, last */
		if (i < k.n) {
			vb = num(b.find, name, NULL);
			vn = num(n.find, name, NULL);
		} else {
			vb = side_disagree(&b, &kb);
			vn = side_disagree(&n, &kn);
			if (!kb && !kn)
				break;
		}
		reg = vn > vb;

		fprintf(out, "%-32s %16" PRId64 " %16" PRId64 "%s\n", name, vb,
			vn, reg ? "  REGRESSION" : "");
		if (reg) {
			regress++;
			if (quiet)
				printf("regression: findings %s: %" PRId64
				       " -> %" PRId64 "\n",
				       name, vb, vn);
		}
	}
	keys_reset(&k);

	fprintf(out, "\n%-12s %8s %8s %12s %12s %12s %12s %8s\n", "latency",
		"n base", "n new", "p50 base", "p50 new", "p99 base", "p99 new",
		"p99 %");
	keys_add(&k, b.lat, false);
	keys_add(&k, n.lat, false);
	for (i = 0; i < k.n; i++) {
		struct json_object *lb = obj_key(b.lat, k.v[i]);
		struct json_object *ln = obj_key(n.lat, k.v[i]);
		int64_t nb = num(lb, "n", NULL), nn = num(ln, "n", NULL);
		int64_t b99 = num(lb, "p99_ns", NULL);
		int64_t n99 = num(ln, "p99_ns", NULL);
		/* in double: n99 - b99 may not fit an int64_t */
		double growth = b99 > 0 ? 100.0 * ((double)n99 - (double)b99) /
						  (double)b99 :
					  0.0;
		bool enough =
			lb && ln && nb >= min_samples && nn >= min_samples;
		bool reg = enough && b99 > 0 && growth > thr;

		fprintf(out,
			"%-12s %8" PRId64 " %8" PRId64 " %12" PRId64
			" %12" PRId64 " %12" PRId64 " %12" PRId64
			" %+7.1f%s%s\n",
			k.v[i], nb, nn, num(lb, "p50_ns", NULL),
			num(ln, "p50_ns", NULL), b99, n99, growth,
			enough ? "" : "  (too few samples)",
			reg ? "  REGRESSION" : "");
		if (reg) {
			regress++;
			if (quiet)
				printf("regression: %s p99 %" PRId64
				       " -> %" PRId64
				       " ns (%+.1f%% > %.1f%%)\n",
				       k.v[i], b99, n99, growth, thr);
		}
	}
	keys_reset(&k);
	free(k.v);
	fprintf(out,
		"\n%s: %u regression(s) (threshold %.1f%%, min samples "
		"%lld)\n",
		regress ? "REGRESSION" : "no regression", regress, thr,
		min_samples);
	if (out != stdout)
		fclose(out);
	free_side(&b);
	free_side(&n);
	if (html &&
	    checker_write_compare_html(html, argv[optind], argv[optind + 1]))
		return EXIT_USAGE;
	return regress ? EXIT_FINDINGS : EXIT_CLEAN;
}
