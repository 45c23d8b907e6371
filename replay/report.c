// SPDX-License-Identifier: GPL-2.0
/*
 * report.json (json-c) and report.txt. The JSON shape is shared with
 * `iorace check` and `iorace compare`:
 *   { "tool": "iorace", "version": 1, "workload", "seed", "scale",
 *     "swarm": { "config", "job" } (swarm runs only),
 *     "verdict": "pass"|"fail", "exit": N,
 *     "findings": { CLASS: count, ... },         every class, zeros too
 *     "findings_offline": { CLASS: count, ... }, the part of findings from
 *                          checks no trace shows (read-back after a crash
 *                          or a dm-log-writes replay); nonzero classes only
 *     "finding_details": [ { class, op, file, offset, length, t_submit_ns,
 *                            t_complete_ns, expected, seen }, ... ],
 *     "latency": { KIND: { "n", "p50_ns", "p99_ns", "max_ns" }, ... },
 *     "counts": { ops, ops_planned, bytes_written, bytes_read,
 *                 sectors_verified, poison_bytes, reads_shift_skipped
 *                 (reads overlapping a collapse/insert, not judged),
 *                 reads_shift_partial (judged below its offset only) },
 *     "fsck": { "status", "clean" }, "kernel_log_matches": N,
 *     "files": [ { file, inode, final_size, extents, unwritten_extents } ],
 *     "timing": { total_ns, workload_ns }, "hang": "..." }
 */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "replay/run_internal.h"

void lat_add(struct lat *l, uint64_t ns)
{
	grow_array((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = ns;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t pct(const struct lat *l, double p)
{
	size_t i;

	if (!l->n)
		return 0;
	i = (size_t)(p * (double)(l->n - 1) + 0.5);
	return l->v[MIN(i, l->n - 1)];
}

static json_object *jstr(const char *s)
{
	return json_object_new_string(s ? s : "");
}

static json_object *ju64(uint64_t v)
{
	return json_object_new_int64((int64_t)v);
}

int report_write(struct run *r)
{
	json_object *root = json_object_new_object();
	json_object *jf = json_object_new_object();
	json_object *jd = json_object_new_array();
	json_object *jl = json_object_new_object();
	json_object *jc = json_object_new_object();
	json_object *jk = json_object_new_object();
	json_object *jfiles = json_object_new_array();
	json_object *jt = json_object_new_object();
	char path[4200];
	FILE *txt;
	uint64_t total = findings_total(&r->findings);
	int rc;

	json_object_object_add(root, "tool", jstr("iorace"));
	json_object_object_add(root, "version", json_object_new_int(1));
	json_object_object_add(root, "workload", jstr(r->workload_name));
	json_object_object_add(root, "seed", ju64(r->plan.seed));
	json_object_object_add(root, "scale",
			       json_object_new_double(r->opts->scale));
	if (r->wl.swarm_text) {
		json_object *js = json_object_new_object();
		FILE *sf;

		json_object_object_add(js, "config", jstr(r->wl.swarm_conf));
		json_object_object_add(js, "job", jstr("swarm.job"));
		json_object_object_add(root, "swarm", js);
		snprintf(path, sizeof(path), "%s/swarm.job", r->run_dir);
		sf = fopen(path, "w");
		if (!sf || fputs(r->wl.swarm_text, sf) < 0)
			msg("cannot write %s", path);
		if (sf)
			fclose(sf);
	}
	json_object_object_add(root, "tamper",
			       json_object_new_int((int)r->opts->tamper));
	json_object_object_add(
		root, "engine",
		jstr(r->opts->engine ? r->opts->engine : "per-job"));
	json_object_object_add(
		root, "verdict",
		jstr(r->exit_status == EXIT_CLEAN ? "pass" : "fail"));
	json_object_object_add(root, "exit",
			       json_object_new_int(r->exit_status));
	for (int c = 0; c < F_NCLASSES; c++)
		json_object_object_add(jf, finding_class_name(c),
				       ju64(r->findings.count[c]));
	json_object_object_add(root, "findings", jf);
	jf = json_object_new_object();
	for (int c = 0; c < F_NCLASSES; c++)
		if (r->offline_count[c])
			json_object_object_add(jf, finding_class_name(c),
					       ju64(r->offline_count[c]));
	json_object_object_add(root, "findings_offline", jf);
	for (size_t i = 0; i < r->findings.n; i++) {
		const struct finding *f = &r->findings.v[i];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "class",
				       jstr(finding_class_name(f->cls)));
		json_object_object_add(o, "op", ju64(f->op_id));
		json_object_object_add(o, "file", ju64(f->file));
		json_object_object_add(o, "offset", ju64(f->off));
		json_object_object_add(o, "length", ju64(f->len));
		json_object_object_add(o, "t_submit_ns", ju64(f->t_submit));
		json_object_object_add(o, "t_complete_ns", ju64(f->t_complete));
		json_object_object_add(o, "expected", jstr(f->expected));
		json_object_object_add(o, "seen", jstr(f->seen));
		json_object_array_add(jd, o);
	}
	json_object_object_add(root, "finding_details", jd);
	for (int k = 0; k < OP_NKINDS; k++) {
		struct lat *l = &r->lat[k];
		json_object *o;

		if (!l->n)
			continue;
		qsort(l->v, l->n, sizeof(*l->v), cmp_u64);
		o = json_object_new_object();
		json_object_object_add(o, "n", ju64(l->n));
		json_object_object_add(o, "p50_ns", ju64(pct(l, 0.50)));
		json_object_object_add(o, "p99_ns", ju64(pct(l, 0.99)));
		json_object_object_add(o, "max_ns", ju64(l->v[l->n - 1]));
		json_object_object_add(jl, op_kind_name(k), o);
	}
	json_object_object_add(root, "latency", jl);
	json_object_object_add(jc, "ops", ju64(atomic_load(&r->ops_done)));
	json_object_object_add(jc, "ops_planned", ju64(r->plan.nops));
	json_object_object_add(jc, "bytes_written",
			       ju64(atomic_load(&r->bytes_written)));
	json_object_object_add(jc, "bytes_read",
			       ju64(atomic_load(&r->bytes_read)));
	json_object_object_add(jc, "sectors_verified",
			       ju64(atomic_load(&r->sectors_verified)));
	json_object_object_add(jc, "poison_bytes", ju64(r->poison_bytes));
	if (r->oracle) {
		struct oracle_stats st;

		oracle_stats(r->oracle, &st);
		json_object_object_add(jc, "reads_shift_skipped",
				       ju64(st.shift_skipped));
		json_object_object_add(jc, "reads_shift_partial",
				       ju64(st.shift_partial));
	}
	json_object_object_add(root, "counts", jc);
	json_object_object_add(jk, "status",
			       json_object_new_int(r->fsck_status));
	json_object_object_add(jk, "clean",
			       json_object_new_boolean(r->fsck_status == 0));
	json_object_object_add(root, "fsck", jk);
	json_object_object_add(root, "kernel_log_matches",
			       json_object_new_int((int)r->kmsg_matches));
	for (unsigned i = 0; i < r->nfiles; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "file", ju64(i));
		json_object_object_add(o, "inode", ju64(r->files[i].inode));
		json_object_object_add(o, "final_size",
				       ju64(r->files[i].final_size));
		json_object_object_add(o, "extents", ju64(r->files[i].extents));
		json_object_object_add(o, "unwritten_extents",
				       ju64(r->files[i].unwritten));
		json_object_array_add(jfiles, o);
	}
	json_object_object_add(root, "files", jfiles);
	json_object_object_add(jt, "total_ns", ju64(r->t_end - r->t_start));
	json_object_object_add(jt, "workload_ns",
			       ju64(r->t_workload_end - r->t_workload_start));
	json_object_object_add(root, "timing", jt);
	if (r->hang_note[0])
		json_object_object_add(root, "hang", jstr(r->hang_note));

	snprintf(path, sizeof(path), "%s/report.json", r->run_dir);
	rc = json_object_to_file_ext(path, root,
				     JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_NOSLASHESCAPE);
	if (rc < 0)
		msg("cannot write %s", path);
	json_object_put(root);

	snprintf(path, sizeof(path), "%s/report.txt", r->run_dir);
	txt = fopen(path, "w");
	if (!txt)
		return -1;
	fprintf(txt, "iorace run: workload %s seed %llu scale %g\n",
		r->workload_name, (unsigned long long)r->plan.seed,
		r->opts->scale);
	if (r->wl.swarm_text)
		fprintf(txt, "swarm config: %s (%s/swarm.job)\n",
			r->wl.swarm_conf, r->run_dir);
	fprintf(txt, "verdict: %s (%llu findings)\n",
		r->exit_status == EXIT_CLEAN ? "PASS" : "FAIL",
		(unsigned long long)total);
	fprintf(txt,
		"ops %llu/%zu, written %llu B, read %llu B, "
		"sectors verified %llu, poison %llu B\n",
		(unsigned long long)atomic_load(&r->ops_done), r->plan.nops,
		(unsigned long long)atomic_load(&r->bytes_written),
		(unsigned long long)atomic_load(&r->bytes_read),
		(unsigned long long)atomic_load(&r->sectors_verified),
		(unsigned long long)r->poison_bytes);
	fprintf(txt, "fsck: %s (status %d); kernel log matches: %u\n",
		r->fsck_status ? "NOT CLEAN" : "clean", r->fsck_status,
		r->kmsg_matches);
	fprintf(txt, "\n%-12s %10s %12s %12s %12s\n", "latency", "n", "p50 us",
		"p99 us", "max us");
	for (int k = 0; k < OP_NKINDS; k++) {
		const struct lat *l = &r->lat[k];

		if (!l->n)
			continue;
		fprintf(txt, "%-12s %10zu %12.1f %12.1f %12.1f\n",
			op_kind_name(k), l->n, pct(l, 0.5) / 1e3,
			pct(l, 0.99) / 1e3, l->v[l->n - 1] / 1e3);
	}
	fprintf(txt, "\nfiles:\n");
	for (unsigned i = 0; i < r->nfiles; i++)
		fprintf(txt,
			"  f%u inode %llu size %llu extents %u (unwritten %u)\n",
			i, (unsigned long long)r->files[i].inode,
			(unsigned long long)r->files[i].final_size,
			r->files[i].extents, r->files[i].unwritten);
	fprintf(txt, "\nfindings by class:");
	for (int c = 0; c < F_NCLASSES; c++)
		if (r->findings.count[c])
			fprintf(txt, " %s=%llu", finding_class_name(c),
				(unsigned long long)r->findings.count[c]);
	fprintf(txt, "%s\n", total ? "" : " none");
	for (size_t i = 0; i < r->findings.n && i < 50; i++) {
		const struct finding *f = &r->findings.v[i];

		fprintf(txt,
			"  %s op %llu file %u bytes %llu+%llu: expected %s; "
			"seen %s\n",
			finding_class_name(f->cls),
			(unsigned long long)f->op_id, f->file,
			(unsigned long long)f->off, (unsigned long long)f->len,
			f->expected, f->seen);
	}
	if (r->hang_note[0])
		fprintf(txt, "hang: %s\n", r->hang_note);
	fclose(txt);
	return rc < 0 ? -1 : 0;
}

int report_set_verdict(const char *run_dir, int status)
{
	char path[8192];
	json_object *root;
	int rc;

	snprintf(path, sizeof(path), "%s/report.json", run_dir);
	root = json_object_from_file(path);
	if (!root)
		return -1;
	json_object_object_add(root, "verdict",
			       jstr(status == EXIT_CLEAN ? "pass" :
				    status == EXIT_INCONCLUSIVE ?
							   "inconclusive" :
							   "fail"));
	json_object_object_add(root, "exit", json_object_new_int(status));
	rc = json_object_to_file_ext(path, root,
				     JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_NOSLASHESCAPE);
	json_object_put(root);
	return rc;
}
