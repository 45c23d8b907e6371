// SPDX-License-Identifier: GPL-2.0
/*
 * iorace run --dry-run: parse, scale and plan a workload without root,
 * devices or a scratch fs, and print what a run would do: the image, the
 * files (with their fio names), every job (with how a fio job was mapped),
 * and the planned op counts per kind. Exit 0, or 2 on a bad workload.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "replay/iolog.h"
#include "replay/plan.h"
#include "replay/run.h"
#include "replay/swarm.h"
#include "replay/workload.h"

static void print_job(const struct workload *wl, const struct wl_job *j,
		      const struct run_opts *o, const uint64_t *per_job)
{
	char file[32];

	if (j->file == WL_ALL_FILES)
		snprintf(file, sizeof(file), "all");
	else
		snprintf(file, sizeof(file), "f%d", j->file);
	printf("  [%s] stage %u type=%s file=%s ops=%llu", j->name, j->stage,
	       job_type_name(j->type), file, (unsigned long long)*per_job);
	if (j->type == JOB_IO)
		printf(" engine=%s bs=%u-%u iodepth=%u contexts=%u%s%s",
		       o->engine  ? o->engine :
		       *j->engine ? j->engine :
				    "libaio",
		       j->bs_min, j->bs_max, j->iodepth, j->contexts,
		       j->direct ? " direct" : " buffered",
		       j->dsync ? " dsync" : "");
	if (j->runtime_ns)
		printf(" runtime=%.3gs%s", (double)j->runtime_ns / 1e9,
		       j->time_based ? " (time_based)" : "");
	printf("\n");
	if (j->fio[0])
		printf("      fio: %s\n", j->fio);
	(void)wl;
}

int run_dry(const struct run_opts *o)
{
	uint64_t kinds[OP_NKINDS] = { 0 }, *per_job;
	char path[4096], err[16384];
	struct workload wl;
	struct plan plan;
	unsigned i, k;

	struct iolog il = { 0 };
	const char *ilp = o->iolog;

	if (ilp && iolog_parse(ilp, &il, err, sizeof(err)) < 0) {
		msg("%s", err);
		return EXIT_USAGE;
	}
	if (!o->workload) {
		char *text = iolog_workload_text(&il, ilp);
		int rc = workload_parse_string(text, "iolog", &wl, err,
					       sizeof(err));

		free(text);
		if (rc < 0) {
			msg("%s", err);
			iolog_free(&il);
			return EXIT_USAGE;
		}
	} else if (workload_resolve(o->workload, path, sizeof(path)) < 0) {
		msg("no workload '%s' (try `iorace list`)", o->workload);
		return EXIT_USAGE;
	} else if (workload_parse_file(path, &wl, err, sizeof(err)) < 0) {
		msg("%s", err);
		return EXIT_USAGE;
	}
	if (!ilp && wl.read_iolog[0]) {
		ilp = wl.read_iolog;
		if (iolog_parse(ilp, &il, err, sizeof(err)) < 0) {
			msg("%s", err);
			workload_free(&wl);
			return EXIT_USAGE;
		}
	}
	if (ilp) {
		int rc = iolog_fit(&il, &wl, err, sizeof(err));

		if (!rc)
			rc = iolog_plan(&il, true, o->seed, wl.name, &plan);
		if (!rc)
			iolog_print_mapping(&il, ilp, stdout);
		iolog_free(&il);
		if (rc) {
			msg("%s: %s", ilp, err);
			workload_free(&wl);
			return EXIT_USAGE;
		}
		goto planned;
	}
	if (wl.swarm && swarm_expand(&wl, o->seed, err, sizeof(err)) < 0) {
		msg("swarm: %s", err);
		workload_free(&wl);
		return EXIT_USAGE;
	}
	if (workload_scale(&wl, o->scale, err, sizeof(err)) < 0) {
		msg("%s", err);
		workload_free(&wl);
		return EXIT_USAGE;
	}
	if (plan_build(&wl, o->seed, &plan) < 0) {
		msg("cannot plan workload %s", wl.name);
		workload_free(&wl);
		return EXIT_USAGE;
	}
planned:
	per_job = xcalloc(wl.njobs + 1, sizeof(*per_job));
	for (size_t n = 0; n < plan.nops; n++) {
		kinds[plan.ops[n].kind]++;
		if (plan.ops[n].job < wl.njobs)
			per_job[plan.ops[n].job]++;
	}
	printf("workload %s (%s)%s\n", wl.name, wl.path,
	       wl.fio ? " [fio job file]" : "");
	if (wl.description[0])
		printf("  %s\n", wl.description);
	printf("seed %llu, scale %g\n", (unsigned long long)o->seed, o->scale);
	printf("image %llu MiB, mkfs '%s', mount '%s'\n",
	       (unsigned long long)(wl.image_size >> 20), wl.mkfs_opts,
	       wl.mount_opts);
	printf("files: %u of %llu bytes%s on the scratch ext4\n", wl.nrfiles,
	       (unsigned long long)wl.filesize,
	       wl.fallocate ? ", fallocated" : "");
	for (i = 0; i < wl.nfnames; i++)
		printf("  f%u <- fio file '%s'\n", i, wl.fnames[i]);
	printf("jobs: %u in %u stage(s)\n", wl.njobs, plan.nstages);
	for (i = 0; i < wl.njobs; i++)
		print_job(&wl, &wl.jobs[i], o, &per_job[i]);
	printf("ops: %zu\n", plan.nops);
	for (k = 0; k < OP_NKINDS; k++)
		if (kinds[k])
			printf("  %-14s %llu\n", op_kind_name(k),
			       (unsigned long long)kinds[k]);
	workload_print_notes(&wl, stdout);
	free(per_job);
	plan_free(&plan);
	workload_free(&wl);
	return 0;
}
