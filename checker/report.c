// SPDX-License-Identifier: GPL-2.0
/*
 * Checking a run directory and writing what was found: check.json (the
 * shape compare.c reads), junit.xml, check.txt, and merging invariants and
 * latency into the runner's report.json.
 */
#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "checker/checker.h"
#include "checker/svg.h"
#include "common/util.h"

/* Finding classes the trace oracle can judge (and compares with online). */
static const enum finding_class oracle_cls[] = { F_STALE, F_LOST, F_TORN,
						 F_SIZE };

static void read_missing(const char *trace_dir, struct ck_ctx *ctx)
{
	char path[4400], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/kernel-missing.txt", trace_dir);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		int id;

		line[strcspn(line, "\r\n \t")] = 0;
		id = ck_evid_from_name(line);
		if (id >= EV_FIRST_KERNEL)
			ctx->kmissing[id] = true;
	}
	fclose(f);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void checker_result_from_session(struct ck_session *s,
				 struct checker_result *res)
{
	struct ck_ctx *ctx = ck_session_ctx(s);
	uint64_t *lat[CK_NKINDS] = { 0 };
	size_t nlat[CK_NKINDS] = { 0 }, cap[CK_NKINDS] = { 0 };
	unsigned i, k;
	size_t j;

	ck_session_finish(s);
	res->rs = ctx->rs;
	res->seq_gaps = ctx->seq_gaps;
	res->kernel_lost = ctx->kernel_lost;
	res->any_fail = false;
	for (i = 0; i < CK_NINV; i++) {
		res->inv[i] = *ck_session_result(s, i);
		if (res->inv[i].status == CK_FAIL)
			res->any_fail = true;
	}
	memset(res->findings, 0, sizeof(res->findings));
	memset(res->oracle_classes, 0, sizeof(res->oracle_classes));
	for (i = 0; i < ARRAY_SIZE(oracle_cls); i++) {
		res->oracle_classes[oracle_cls[i]] = true;
		res->findings[oracle_cls[i]] =
			ctx->findings.count[oracle_cls[i]];
	}
	for (j = 0; j < ctx->ops_cap; j++) {
		const struct ck_op *op = &ctx->ops[j];

		if (!op->used || !op->completed || op->kind < 0 ||
		    op->kind >= CK_NKINDS || (op->flags & OPF_VERIFY) ||
		    op->t_complete < op->t_submit)
			continue;
		k = (unsigned)op->kind;
		grow_array((void **)&lat[k], &cap[k], nlat[k] + 1,
			   sizeof(uint64_t));
		lat[k][nlat[k]++] = op->t_complete - op->t_submit;
	}
	for (k = 0; k < CK_NKINDS; k++) {
		struct ck_latency *l = &res->lat[k];

		if (nlat[k])
			qsort(lat[k], nlat[k], sizeof(uint64_t), cmp_u64);
		l->n = nlat[k];
		l->p50 = ck_percentile(lat[k], nlat[k], 50);
		l->p99 = ck_percentile(lat[k], nlat[k], 99);
		l->max = nlat[k] ? lat[k][nlat[k] - 1] : 0;
		free(lat[k]);
	}
}

int checker_check_run(const char *run_dir, struct checker_result *res,
		      char *err, size_t errlen)
{
	struct ck_session *s;
	struct ck_classes *cc;
	struct ck_ctx *ctx;
	char tdir[4200];
	struct stat sb;
	int ret;

	memset(res, 0, sizeof(*res));
	snprintf(res->run_dir, sizeof(res->run_dir), "%s", run_dir);
	snprintf(tdir, sizeof(tdir), "%s/trace", run_dir);
	if (stat(tdir, &sb) || !S_ISDIR(sb.st_mode)) {
		if (stat(run_dir, &sb) || !S_ISDIR(sb.st_mode)) {
			snprintf(err, errlen, "%s: not a run directory",
				 run_dir);
			return -1;
		}
		snprintf(tdir, sizeof(tdir), "%s", run_dir);
	}
	s = ck_session_new();
	cc = ck_classes_new();
	ctx = ck_session_ctx(s);
	read_missing(tdir, ctx);
	ret = ck_read_trace(tdir, cc, ck_session_event, s, &ctx->rs, err,
			    errlen);
	if (!ret) {
		if (ctx->rs.has_kernel)
			ctx->kernel_trace = true;
		checker_result_from_session(s, res);
		checker_compare_online(run_dir, res);
	}
	ck_session_free(s);
	ck_classes_free(cc);
	return ret;
}

void checker_compare_online(const char *run_dir, struct checker_result *res)
{
	struct json_object *root, *fo, *v;
	char path[4200];
	size_t o = 0;
	unsigned i;

	res->online_present = false;
	res->online_agree = true;
	res->online_msg[0] = 0;
	memset(res->online_differs, 0, sizeof(res->online_differs));
	snprintf(path, sizeof(path), "%s/report.json", run_dir);
	root = json_object_from_file(path);
	if (!root)
		return;
	if (!json_object_object_get_ex(root, "findings", &fo) ||
	    !json_object_is_type(fo, json_type_object)) {
		json_object_put(root);
		return;
	}
	res->online_present = true;
	for (i = 0; i < F_NCLASSES; i++) {
		res->online[i] = 0;
		if (json_object_object_get_ex(fo, finding_class_name(i), &v))
			res->online[i] = (uint64_t)json_object_get_int64(v);
	}
	/* findings of the read-back after a crash (or a log-writes replay)
	 * come from reads no trace holds: not the trace oracle's to agree */
	if (json_object_object_get_ex(root, "findings_offline", &fo) &&
	    json_object_is_type(fo, json_type_object))
		for (i = 0; i < F_NCLASSES; i++) {
			uint64_t n;

			if (!json_object_object_get_ex(
				    fo, finding_class_name(i), &v))
				continue;
			n = (uint64_t)json_object_get_int64(v);
			res->online[i] -= MIN(n, res->online[i]);
		}
	for (i = 0; i < ARRAY_SIZE(oracle_cls); i++) {
		enum finding_class c = oracle_cls[i];

		/* SIZE online also covers final st_size checks: skip it */
		if (c == F_SIZE)
			continue;
		if (res->online[c] == res->findings[c])
			continue;
		res->online_agree = false;
		res->online_differs[c] = true;
		if (o < sizeof(res->online_msg))
			o += (size_t)snprintf(
				res->online_msg + o,
				sizeof(res->online_msg) - o,
				"%s%s: online %" PRIu64 ", trace %" PRIu64,
				o ? "; " : "", finding_class_name(c),
				res->online[c], res->findings[c]);
	}
	if (res->online_agree)
		snprintf(res->online_msg, sizeof(res->online_msg),
			 "trace oracle agrees with the online verdict");
	json_object_put(root);
}

uint64_t checker_disagree_count(const struct checker_result *res)
{
	uint64_t n = 0;
	unsigned i;

	if (!res->online_present || res->online_agree ||
	    !checker_trace_complete(res))
		return 0;
	for (i = 0; i < F_NCLASSES; i++)
		n += res->online_differs[i];
	return n ? n : 1;
}

/*
 * "disagree": { "count": N (checker_disagree_count), "agree": bool,
 *   "trace_complete": bool, "message": "...",
 *   "classes": { CLASS: { "online": n, "trace": n }, ... } }
 * classes lists the classes that differ. NULL without an online verdict.
 */
static struct json_object *disagree_json(const struct checker_result *res)
{
	struct json_object *d, *cl;
	unsigned i;

	if (!res->online_present)
		return NULL;
	d = json_object_new_object();
	json_object_object_add(
		d, "count",
		json_object_new_int64((int64_t)checker_disagree_count(res)));
	json_object_object_add(d, "agree",
			       json_object_new_boolean(res->online_agree));
	json_object_object_add(
		d, "trace_complete",
		json_object_new_boolean(checker_trace_complete(res)));
	json_object_object_add(d, "message",
			       json_object_new_string(res->online_msg));
	cl = json_object_new_object();
	for (i = 0; i < F_NCLASSES; i++) {
		struct json_object *c;

		if (!res->online_differs[i])
			continue;
		c = json_object_new_object();
		json_object_object_add(
			c, "online",
			json_object_new_int64((int64_t)res->online[i]));
		json_object_object_add(
			c, "trace",
			json_object_new_int64((int64_t)res->findings[i]));
		json_object_object_add(cl, finding_class_name(i), c);
	}
	json_object_object_add(d, "classes", cl);
	return d;
}

static struct json_object *inv_json(const struct ck_inv_result *r)
{
	struct json_object *o = json_object_new_object(), *evs;
	unsigned i, j;

	json_object_object_add(
		o, "status", json_object_new_string(ck_status_name(r->status)));
	json_object_object_add(o, "description",
			       json_object_new_string(r->description));
	json_object_object_add(o, "checked",
			       json_object_new_int64((int64_t)r->checked));
	json_object_object_add(o, "failed",
			       json_object_new_int64((int64_t)r->failed));
	json_object_object_add(o, "skipped",
			       json_object_new_int64((int64_t)r->skipped));
	json_object_object_add(o, "note", json_object_new_string(r->note));
	evs = json_object_new_array();
	for (i = 0; i < r->nev; i++) {
		const struct ck_evidence *e = &r->ev[i];
		struct json_object *eo = json_object_new_object();
		struct json_object *ca = json_object_new_array();

		json_object_object_add(eo, "what",
				       json_object_new_string(e->what));
		for (j = 0; j < e->ncite; j++) {
			struct json_object *c = json_object_new_object();

			json_object_object_add(
				c, "t",
				json_object_new_int64((int64_t)e->cite[j].t));
			json_object_object_add(
				c, "event",
				json_object_new_string(e->cite[j].text));
			json_object_array_add(ca, c);
		}
		json_object_object_add(eo, "events", ca);
		json_object_array_add(evs, eo);
	}
	json_object_object_add(o, "evidence", evs);
	return o;
}

static struct json_object *latency_json(const struct checker_result *res)
{
	struct json_object *lo = json_object_new_object();
	unsigned k;

	for (k = 0; k < CK_NKINDS; k++) {
		const struct ck_latency *l = &res->lat[k];
		struct json_object *o;

		if (!l->n)
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "n",
				       json_object_new_int64((int64_t)l->n));
		json_object_object_add(o, "p50_ns",
				       json_object_new_int64((int64_t)l->p50));
		json_object_object_add(o, "p99_ns",
				       json_object_new_int64((int64_t)l->p99));
		json_object_object_add(o, "max_ns",
				       json_object_new_int64((int64_t)l->max));
		json_object_object_add(lo, op_kind_name(k), o);
	}
	return lo;
}

static struct json_object *invariants_json(const struct checker_result *res)
{
	struct json_object *io = json_object_new_object();
	unsigned i;

	for (i = 0; i < CK_NINV; i++)
		json_object_object_add(io, res->inv[i].name,
				       inv_json(&res->inv[i]));
	return io;
}

static struct json_object *trace_json(const struct checker_result *res)
{
	struct json_object *t = json_object_new_object();
	const struct ck_read_stats *rs = &res->rs;

#define ADD(k, v) \
	json_object_object_add(t, k, json_object_new_int64((int64_t)(v)))
	ADD("events", rs->events);
	ADD("ust_events", rs->ust_events);
	ADD("kernel_events", rs->kernel_events);
	ADD("traces", rs->ntraces);
	ADD("discarded_events", rs->discarded_events);
	ADD("discarded_event_messages", rs->discarded_msgs);
	ADD("discarded_packets", rs->discarded_packets);
	ADD("seq_gaps", res->seq_gaps);
	ADD("kernel_lost", res->kernel_lost);
#undef ADD
	return t;
}

struct json_object *checker_result_to_json(const struct checker_result *res)
{
	struct json_object *root = json_object_new_object(), *fo, *on;
	unsigned i;

	json_object_object_add(root, "run",
			       json_object_new_string(res->run_dir));
	json_object_object_add(
		root, "verdict",
		json_object_new_string(checker_verdict_name(res)));
	json_object_object_add(root, "trace", trace_json(res));
	json_object_object_add(root, "invariants", invariants_json(res));
	fo = json_object_new_object();
	for (i = 0; i < F_NCLASSES; i++)
		if (res->oracle_classes[i])
			json_object_object_add(
				fo, finding_class_name(i),
				json_object_new_int64(
					(int64_t)res->findings[i]));
	if (res->online_present) {
		json_object_object_add(
			fo, CK_DISAGREE,
			json_object_new_int64(
				(int64_t)checker_disagree_count(res)));
		json_object_object_add(root, "disagree", disagree_json(res));
	}
	json_object_object_add(root, "findings", fo);
	json_object_object_add(root, "latency", latency_json(res));
	on = json_object_new_object();
	json_object_object_add(on, "present",
			       json_object_new_boolean(res->online_present));
	if (res->online_present) {
		json_object_object_add(
			on, "agree",
			json_object_new_boolean(res->online_agree));
		json_object_object_add(on, "message",
				       json_object_new_string(res->online_msg));
	}
	json_object_object_add(root, "online", on);
	return root;
}

int checker_merge_into_report(const char *report_path,
			      const struct checker_result *res)
{
	struct json_object *root = json_object_from_file(report_path), *tc, *fo;
	uint64_t nd = checker_disagree_count(res);
	int ret;

	if (!root || !json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		root = json_object_new_object();
	}
	if (res->online_present) {
		if (!json_object_object_get_ex(root, "findings", &fo) ||
		    !json_object_is_type(fo, json_type_object)) {
			fo = json_object_new_object();
			json_object_object_add(root, "findings", fo);
		}
		json_object_object_add(fo, CK_DISAGREE,
				       json_object_new_int64((int64_t)nd));
		json_object_object_add(root, "disagree", disagree_json(res));
	}
	if (nd) {
		json_object_object_add(root, "verdict",
				       json_object_new_string("fail"));
		json_object_object_add(root, "exit",
				       json_object_new_int(EXIT_FINDINGS));
	}
	json_object_object_add(root, "invariants", invariants_json(res));
	json_object_object_add(root, "latency", latency_json(res));
	tc = trace_json(res);
	json_object_object_add(
		tc, "verdict",
		json_object_new_string(res->any_fail ? "fail" : "pass"));
	if (res->online_present)
		json_object_object_add(
			tc, "agrees_with_online",
			json_object_new_boolean(res->online_agree));
	json_object_object_add(root, "trace_check", tc);
	ret = json_object_to_file_ext(report_path, root,
				      JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	json_object_put(root);
	return ret ? -1 : 0;
}

static void evidence_text(FILE *f, const struct ck_inv_result *r, bool xml)
{
	unsigned i, j;

	for (i = 0; i < r->nev; i++) {
		const struct ck_evidence *e = &r->ev[i];

		if (xml) {
			svg_esc(f, e->what);
			fputc('\n', f);
		} else {
			fprintf(f, "    - %s\n", e->what);
		}
		for (j = 0; j < e->ncite; j++) {
			if (xml) {
				fprintf(f, "  [%" PRIu64 "] ", e->cite[j].t);
				svg_esc(f, e->cite[j].text);
				fputc('\n', f);
			} else {
				fprintf(f, "        [%" PRIu64 "] %s\n",
					e->cite[j].t, e->cite[j].text);
			}
		}
	}
	if (r->failed > r->nev)
		fprintf(f, "%s(%" PRIu64 " more not shown)\n",
			xml ? "" : "    ", r->failed - r->nev);
}

int checker_write_junit(const char *path, const struct checker_result *res)
{
	unsigned i, ntests = CK_NINV, nfail = 0, nskip = 0;
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	for (i = 0; i < F_NCLASSES; i++)
		if (res->oracle_classes[i]) {
			ntests++;
			nfail += res->findings[i] > 0;
		}
	for (i = 0; i < CK_NINV; i++) {
		nfail += res->inv[i].status == CK_FAIL;
		nskip += res->inv[i].status == CK_NA ||
			 res->inv[i].status == CK_INCONCLUSIVE;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f,
		"<testsuites name=\"iorace\" tests=\"%u\" failures=\"%u\" "
		"skipped=\"%u\">\n",
		ntests, nfail, nskip);
	fprintf(f,
		"  <testsuite name=\"iorace.check\" tests=\"%u\" "
		"failures=\"%u\" skipped=\"%u\">\n",
		ntests, nfail, nskip);
	for (i = 0; i < CK_NINV; i++) {
		const struct ck_inv_result *r = &res->inv[i];

		fprintf(f,
			"    <testcase classname=\"iorace.invariant\" "
			"name=\"%s\">\n",
			r->name);
		if (r->status == CK_FAIL) {
			fprintf(f, "      <failure message=\"");
			svg_esc(f, r->note[0] ? r->note : "invariant failed");
			fprintf(f, "\" type=\"fail\">");
			evidence_text(f, r, true);
			fprintf(f, "</failure>\n");
		} else if (r->status != CK_PASS) {
			fprintf(f, "      <skipped message=\"%s: ",
				ck_status_name(r->status));
			svg_esc(f, r->note);
			fprintf(f, "\"/>\n");
		} else {
			fprintf(f, "      <system-out>");
			svg_esc(f, r->note);
			fprintf(f, "</system-out>\n");
		}
		fprintf(f, "    </testcase>\n");
	}
	for (i = 0; i < F_NCLASSES; i++) {
		if (!res->oracle_classes[i])
			continue;
		fprintf(f,
			"    <testcase classname=\"iorace.findings\" "
			"name=\"%s\">\n",
			finding_class_name(i));
		if (res->findings[i])
			fprintf(f,
				"      <failure message=\"%" PRIu64
				" %s findings\" type=\"%s\"/>\n",
				res->findings[i], finding_class_name(i),
				finding_class_name(i));
		fprintf(f, "    </testcase>\n");
	}
	fprintf(f, "  </testsuite>\n</testsuites>\n");
	return fclose(f) ? -1 : 0;
}

static void write_text(FILE *f, const struct checker_result *res)
{
	unsigned i;

	fprintf(f, "iorace check %s\n", res->run_dir);
	fprintf(f,
		"trace: %" PRIu64 " events (%" PRIu64 " iorace, %" PRIu64
		" kernel) from %u trace(s); discarded %" PRIu64
		" events, %" PRIu64 " packets; seq gaps %" PRIu64
		"; kernel lost %" PRIu64 "\n\n",
		res->rs.events, res->rs.ust_events, res->rs.kernel_events,
		res->rs.ntraces, res->rs.discarded_events,
		res->rs.discarded_packets, res->seq_gaps, res->kernel_lost);
	fprintf(f, "%-30s %-14s %9s %9s  %s\n", "invariant", "status",
		"checked", "failed", "note");
	for (i = 0; i < CK_NINV; i++) {
		const struct ck_inv_result *r = &res->inv[i];

		fprintf(f, "%-30s %-14s %9" PRIu64 " %9" PRIu64 "  %s\n",
			r->name, ck_status_name(r->status), r->checked,
			r->failed, r->note);
	}
	for (i = 0; i < CK_NINV; i++) {
		const struct ck_inv_result *r = &res->inv[i];

		if (!r->nev)
			continue;
		fprintf(f, "\n%s (%s):\n", r->name, ck_status_name(r->status));
		evidence_text(f, r, false);
	}
	fprintf(f, "\nfindings (trace oracle):");
	for (i = 0; i < F_NCLASSES; i++)
		if (res->oracle_classes[i])
			fprintf(f, " %s %" PRIu64, finding_class_name(i),
				res->findings[i]);
	if (res->online_present)
		fprintf(f, " %s %" PRIu64, CK_DISAGREE,
			checker_disagree_count(res));
	fprintf(f, "\n\n%-12s %10s %12s %12s %12s\n", "latency", "n", "p50_ns",
		"p99_ns", "max_ns");
	for (i = 0; i < CK_NKINDS; i++) {
		const struct ck_latency *l = &res->lat[i];

		if (l->n)
			fprintf(f,
				"%-12s %10" PRIu64 " %12" PRIu64 " %12" PRIu64
				" %12" PRIu64 "\n",
				op_kind_name(i), l->n, l->p50, l->p99, l->max);
	}
	if (res->online_present)
		fprintf(f, "\nonline verdict: %s: %s\n",
			res->online_agree ? "agree" : "DISAGREE",
			res->online_msg);
	fprintf(f, "\nverdict: %s", checker_verdict_name(res));
	if (checker_disagree_count(res))
		fprintf(f, " (DISAGREE: the online and trace oracles differ, "
			   "one of them is wrong)");
	else if (res->online_present && !res->online_agree)
		fprintf(f, " (online and trace oracles differ, not counted: "
			   "the trace is incomplete)");
	fputc('\n', f);
}

int checker_write_text(const char *path, const struct checker_result *res)
{
	FILE *f = path ? fopen(path, "w") : stdout;

	if (!f)
		return -1;
	write_text(f, res);
	if (f == stdout)
		return fflush(f) ? -1 : 0;
	return fclose(f) ? -1 : 0;
}

bool checker_trace_complete(const struct checker_result *res)
{
	return !res->seq_gaps && !res->kernel_lost && !res->rs.discarded_msgs &&
	       !res->rs.discarded_events && !res->rs.discarded_packets;
}

int checker_exit_status(const struct checker_result *res)
{
	unsigned i;

	for (i = 0; i < CK_NINV; i++)
		if (res->inv[i].status == CK_FAIL)
			return EXIT_FINDINGS;
	if (!checker_trace_complete(res))
		return EXIT_INCONCLUSIVE;
	if (checker_disagree_count(res))
		return EXIT_FINDINGS;
	return EXIT_CLEAN;
}

const char *checker_verdict_name(const struct checker_result *res)
{
	switch (checker_exit_status(res)) {
	case EXIT_CLEAN:
		return "pass";
	case EXIT_INCONCLUSIVE:
		return "inconclusive";
	default:
		return "fail";
	}
}
