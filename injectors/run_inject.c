// SPDX-License-Identifier: GPL-2.0
/*
 * The runner side of the injectors: the per-run state hung off struct run,
 * the delay-point hook the engine calls, the firing log (inject.log, op
 * log, trace), and the checks that turn a missing kernel feature into
 * exit 77.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "injectors/inject_internal.h"
#include "trace/trace.h"

#define MAX_CLI 64

static char *cli_specs[MAX_CLI];
static unsigned ncli_specs;

int inject_cli_add(const char *kv, char *why, size_t len)
{
	struct inject_conf tmp = { 0 };

	if (inject_set_kv(&tmp, kv, why, len) < 0)
		return -1;
	if (ncli_specs == MAX_CLI) {
		snprintf(why, len, "more than %d --inject options", MAX_CLI);
		return -1;
	}
	cli_specs[ncli_specs++] = xstrdup(kv);
	return 0;
}

static const struct injector_ops *const all_ops[] = {
	&inj_delay_ops,		&inj_dm_delay_ops,     &inj_dm_flakey_ops,
	&inj_dm_log_writes_ops, &inj_fail_request_ops,
};

static void fire_add(struct inject_run *ir, const char *what, uint64_t op_id,
		     uint32_t file, unsigned inflight, uint64_t arg)
{
	struct inj_fire *f;

	pthread_mutex_lock(&ir->lock);
	grow_array((void **)&ir->fires, &ir->fcap, ir->nfires + 1,
		   sizeof(*ir->fires));
	f = &ir->fires[ir->nfires++];
	f->t = now_ns();
	snprintf(f->what, sizeof(f->what), "%s", what);
	f->op_id = op_id;
	f->file = file;
	f->inflight = inflight;
	f->arg = arg;
	pthread_mutex_unlock(&ir->lock);
}

int inject_run_init(struct run *r)
{
	struct inject_run *ir = xcalloc(1, sizeof(*ir));
	char why[256];
	bool any = false;

	pthread_mutex_init(&ir->lock, NULL);
	ir->r = r;
	r->inj = ir;
	if (r->wl.inj)
		ir->conf = *r->wl.inj;
	for (unsigned i = 0; i < ncli_specs; i++) {
		if (inject_set_kv(&ir->conf, cli_specs[i], why, sizeof(why))) {
			msg("--inject %s: %s", cli_specs[i], why);
			return EXIT_USAGE;
		}
	}
	if (r->opts->replay) {
		/* the op log's delay points replace the workload's */
		ir->conf.ndelays = 0;
		for (size_t i = 0; i < r->plan.ninject; i++) {
			if (strncmp(r->plan.inject[i], "delay=", 6))
				continue;
			if (inject_set_kv(&ir->conf, r->plan.inject[i], why,
					  sizeof(why))) {
				msg("%s:%d: inject %s: %s", r->opts->replay,
				    r->plan.inject_line[i], r->plan.inject[i],
				    why);
				return EXIT_USAGE;
			}
		}
	}
	for (unsigned i = 0; i < ir->conf.ndelays; i++) {
		atomic_store(&ir->conf.delays[i].hits, 0);
		atomic_store(&ir->conf.delays[i].fired, 0);
	}
	if (ir->conf.dm_start != DMS_START && ir->conf.dm != DMK_DELAY &&
	    ir->conf.dm != DMK_FLAKEY) {
		msg("dm_start= needs dm=delay or dm=flakey");
		return EXIT_USAGE;
	}
	if (ir->conf.crash && ir->conf.dm != DMK_FLAKEY) {
		msg("crash= needs dm=flakey");
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < ARRAY_SIZE(all_ops); i++) {
		const struct injector_ops *op = all_ops[i];

		if (!op->wanted(&ir->conf))
			continue;
		any = true;
		if (op->check && op->check(&ir->conf, why, sizeof(why)) < 0) {
			msg("cannot inject %s here: %s", op->name, why);
			return EXIT_CANNOT_RUN;
		}
	}
	ir->active = any || ir->conf.crash;
	if (ir->conf.dm != DMK_NONE && dm_stack_install(r) < 0)
		return EXIT_CANNOT_RUN;
	return 0;
}

/* dm tables loaded on a dm_start= trigger rather than at workload start */
static bool deferred(const struct inject_run *ir, const struct injector_ops *op)
{
	return ir->conf.dm_start != DMS_START &&
	       (op == &inj_dm_delay_ops || op == &inj_dm_flakey_ops);
}

int inject_start_deferred(struct run *r)
{
	struct inject_run *ir = r->inj;
	int rc = 0;

	for (size_t i = 0; i < ARRAY_SIZE(all_ops); i++) {
		const struct injector_ops *op = all_ops[i];

		if (!op->wanted(&ir->conf) || !op->start || !deferred(ir, op) ||
		    ir->started[i])
			continue;
		if (op->start(r) < 0) {
			msg("injector %s failed to start", op->name);
			rc = -1;
			continue;
		}
		ir->started[i] = true;
		inject_note(r, "dm_start", 0, 0, atomic_load(&r->ops_done));
		tr_inject(op->name, "start", atomic_load(&r->ops_done));
	}
	return rc;
}

int inject_workload_start(struct run *r)
{
	struct inject_run *ir = r->inj;

	if (!ir)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(all_ops); i++) {
		const struct injector_ops *op = all_ops[i];

		if (!op->wanted(&ir->conf) || !op->start || deferred(ir, op))
			continue;
		if (op->start(r) < 0) {
			msg("injector %s failed to start", op->name);
			return EXIT_CANNOT_RUN;
		}
		ir->started[i] = true;
	}
	if ((ir->conf.crash || ir->conf.dm == DMK_LOG_WRITES ||
	     ir->conf.dm_start != DMS_START) &&
	    crash_start(r) < 0)
		return EXIT_CANNOT_RUN;
	return 0;
}

void inject_workload_end(struct run *r)
{
	struct inject_run *ir = r->inj;

	if (!ir)
		return;
	crash_join(r);
	for (size_t i = ARRAY_SIZE(all_ops); i-- > 0;) {
		if (ir->started[i] && all_ops[i]->stop)
			all_ops[i]->stop(r);
		ir->started[i] = false;
	}
}

void inject_point(struct run *r, enum inj_point pt, enum inj_site site,
		  uint32_t file, uint64_t op_id)
{
	struct inject_run *ir = r->inj;
	struct inj_state st;
	bool have_st = false;

	if (!ir || !ir->conf.ndelays)
		return;
	for (unsigned i = 0; i < ir->conf.ndelays; i++) {
		struct inj_delay *d = &ir->conf.delays[i];
		uint64_t dur;
		char what[64];

		if (d->point != pt || d->site != site)
			continue;
		if (!have_st) {
			st.file = file;
			st.inflight =
				file < r->nfiles ?
					atomic_load(&r->files[file]
							     .writes_inflight) :
					0;
			st.completions = atomic_load(&r->ops_done);
			st.truncating = file < r->nfiles &&
					atomic_load(&r->files[file].truncating);
			have_st = true;
		}
		if (!inject_trigger(d, &st, r->plan.seed, i, &dur))
			continue;
		snprintf(what, sizeof(what), "%s:%s",
			 pt == INJ_BEFORE ? "before" : "after",
			 inj_site_name(site));
		tr_inject("delay", what, dur);
		fire_add(ir, what, op_id, file, st.inflight, dur);
		/* a long delay still ends when the run is stopped */
		if (dur)
			sleep_until_ns(now_ns() + dur, 100 * NSEC_PER_MSEC,
				       &r->stop);
	}
}

void inject_note(struct run *r, const char *what, uint64_t op_id, uint32_t file,
		 uint64_t arg)
{
	if (!r->inj)
		return;
	fire_add(r->inj, what, op_id, file,
		 file < r->nfiles ?
			 atomic_load(&r->files[file].writes_inflight) :
			 0,
		 arg);
}

bool inject_error_expected(struct run *r, int64_t res)
{
	if (!r->inj || !r->inj->conf.expect_write_errors || res != -EIO)
		return false;
	atomic_fetch_add(&r->inj->expected_errors, 1);
	return true;
}

void inject_write_log(struct run *r)
{
	struct inject_run *ir = r->inj;
	char path[8192];
	FILE *f;

	if (!ir || (!ir->active && !ir->nfires) || !r->run_dir[0])
		return;
	snprintf(path, sizeof(path), "%s/inject.log", r->run_dir);
	f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f, "# iorace inject log: t_ms (from workload start) what "
		   "op file inflight arg\n");
	for (unsigned i = 0; i < ir->conf.ndelays; i++)
		fprintf(f, "# delay=%s hits=%llu fired=%llu\n",
			ir->conf.delays[i].text,
			(unsigned long long)atomic_load(
				&ir->conf.delays[i].hits),
			(unsigned long long)atomic_load(
				&ir->conf.delays[i].fired));
	if (ir->conf.expect_write_errors)
		fprintf(f, "# expected write errors: %llu\n",
			(unsigned long long)atomic_load(&ir->expected_errors));
	pthread_mutex_lock(&ir->lock);
	for (size_t i = 0; i < ir->nfires; i++) {
		const struct inj_fire *e = &ir->fires[i];
		double t = e->t > r->t_workload_start ?
				   (e->t - r->t_workload_start) / 1e6 :
				   0;

		fprintf(f, "%.3f %s op=%llu file=%u inflight=%u arg=%llu\n", t,
			e->what, (unsigned long long)e->op_id, e->file,
			e->inflight, (unsigned long long)e->arg);
	}
	pthread_mutex_unlock(&ir->lock);
	fclose(f);
}

void inject_write_oplog(struct run *r, FILE *f)
{
	struct inject_run *ir = r->inj;

	if (!ir)
		return;
	for (unsigned i = 0; i < ir->conf.ndelays; i++)
		fprintf(f, "inject delay=%s\n", ir->conf.delays[i].text);
	pthread_mutex_lock(&ir->lock);
	for (size_t i = 0; i < ir->nfires; i++)
		fprintf(f, "# fired %s op=%llu file=%u inflight=%u arg=%llu\n",
			ir->fires[i].what,
			(unsigned long long)ir->fires[i].op_id,
			ir->fires[i].file, ir->fires[i].inflight,
			(unsigned long long)ir->fires[i].arg);
	pthread_mutex_unlock(&ir->lock);
}

void inject_run_free(struct run *r)
{
	struct inject_run *ir = r->inj;

	if (!ir)
		return;
	dm_stack_uninstall(r);
	crash_free(r);
	free(ir->fires);
	pthread_mutex_destroy(&ir->lock);
	free(ir);
	r->inj = NULL;
}
