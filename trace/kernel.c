// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel events through a private tracefs instance (instances/iorace-<pid>,
 * trace_clock mono, no overwrite), converted after the run to CTF in
 * RUN/trace/kernel so babeltrace2 shows them on the UST trace's timeline.
 *
 * Kernel CTF contract (what the checker reads):
 *  - event names are the tracefs names without the system
 *    (ext4_ext_map_blocks_exit, iomap_dio_complete, jbd2_end_commit, ...);
 *  - fields: tid (common_pid), then every field of the tracefs format in
 *    order (a format field named tid, jbd2_run_stats' transaction id, is
 *    called transaction as in the other jbd2 events); integers as int64
 * (unsigned 64-bit values keep their bits, so sector = -1 is ~0), char arrays
 * and __data_loc strings as strings, other arrays as hex strings; dev is the
 * kernel's (major << 20 | minor);
 *  - one stream per CPU, the packet context cpu_id says which;
 *  - lost events: packet events_discarded (babeltrace2 reports them as
 *    discarded events) and, per CPU at the stop time, an event
 *    iorace_kernel_stats { cpu, entries, overrun, dropped, missed, read,
 *    lost } where lost = max(overrun + dropped + commit overrun, missed)
 *    and any lost > 0 means the kernel trace is incomplete;
 *  - RUN/trace/kernel-missing.txt lists wanted events this kernel lacks,
 *    RUN/trace/kernel-stats.txt repeats the per-CPU counts.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <tracefs.h>

#include "common/util.h"
#include "trace/ctf_writer.h"
#include "trace/kevents.h"
#include "trace/trace_internal.h"

#define TRACEFS_DIR	"/sys/kernel/tracing"
#define KBUF_KB_PER_CPU (32 * 1024)

static const char *const ksystems[] = { "ext4", "iomap", "jbd2", "block",
					NULL };

static struct {
	struct tracefs_instance *inst;
	bool mounted;
	uint64_t t_stop;
} ks;

/* Per tep event id: its CTF class and field list. */
struct kclass {
	int id; /* tep event id, -1 = unused slot */
	int cls;
	unsigned nf;
	struct tep_format_field **f;
	enum ctfw_type *types;
};

struct kcpu {
	uint64_t entries, overrun, dropped, commit_overrun;
	uint64_t missed, read, reported;
};

struct kctx {
	struct ctfw *w;
	struct kclass *kc;
	size_t nkc, kc_cap;
	struct kcpu *cpu;
	int ncpu;
	struct ctfw_val *vals;
	size_t vals_cap;
	char **strs;
	size_t strs_cap;
	bool failed;
};

static bool path_exists(const char *p)
{
	struct stat s;

	return !stat(p, &s);
}

static int ensure_tracefs(void)
{
	if (path_exists(TRACEFS_DIR "/instances"))
		return 0;
	if (mount("nodev", TRACEFS_DIR, "tracefs", 0, NULL)) {
		msg("mount tracefs on %s: %s", TRACEFS_DIR, strerror(errno));
		return -1;
	}
	ks.mounted = true;
	return 0;
}

static int inst_write(const char *file, const char *val)
{
	if (tracefs_instance_file_write(ks.inst, file, val) < 0) {
		msg("tracefs %s/%s <- %s: %s",
		    tracefs_instance_get_name(ks.inst), file, val,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static bool event_has_field(const char *sys, const char *ev, const char *field)
{
	char path[PATH_MAX], key[64], *fmt;
	bool has;

	snprintf(path, sizeof(path), TRACEFS_DIR "/events/%s/%s/format", sys,
		 ev);
	FILE *f = fopen(path, "r");

	if (!f)
		return false;
	fmt = xmalloc(65536);
	size_t n = fread(fmt, 1, 65535, f);

	fclose(f);
	fmt[n] = 0;
	snprintf(key, sizeof(key), " %s;", field);
	has = strstr(fmt, key) != NULL;
	free(fmt);
	return has;
}

void ktrace_abort(void)
{
	if (ks.inst) {
		tracefs_instance_file_write(ks.inst, "tracing_on", "0");
		tracefs_instance_destroy(ks.inst);
		tracefs_instance_free(ks.inst);
		ks.inst = NULL;
	}
	if (ks.mounted) {
		umount(TRACEFS_DIR);
		ks.mounted = false;
	}
}

int ktrace_start(const char *trace_dir, const char *dev)
{
	char name[64], buf[64], path[PATH_MAX];
	char filter[64] = "";
	struct stat sb;
	FILE *miss = NULL;
	unsigned nmiss = 0, nok = 0;

	if (ks.inst) {
		msg("kernel tracing already active");
		return -1;
	}
	if (ensure_tracefs())
		return -1;
	if (dev && *dev) {
		if (!stat(dev, &sb) && S_ISBLK(sb.st_mode))
			snprintf(filter, sizeof(filter), "dev == %llu",
				 ((unsigned long long)major(sb.st_rdev) << 20) |
					 minor(sb.st_rdev));
		else
			warnx_("%s is not a block device: kernel events are "
			       "not filtered by device",
			       dev);
	}
	snprintf(name, sizeof(name), "iorace-%d", (int)getpid());
	ks.inst = tracefs_instance_create(name);
	if (!ks.inst) {
		msg("cannot create tracefs instance %s: %s", name,
		    strerror(errno));
		ktrace_abort();
		return -1;
	}
	snprintf(buf, sizeof(buf), "%d", KBUF_KB_PER_CPU);
	if (inst_write("tracing_on", "0") ||
	    inst_write("trace_clock", "mono") ||
	    inst_write("buffer_size_kb", buf) ||
	    inst_write("options/overwrite", "0")) {
		ktrace_abort();
		return -1;
	}
	/* Empty the buffers (a reused instance could hold old events). */
	tracefs_instance_file_write(ks.inst, "trace", "");
	for (size_t i = 0; i < tr_nkevents; i++) {
		const char *sys = tr_kevents[i].sys, *ev = tr_kevents[i].name;

		snprintf(path, sizeof(path), TRACEFS_DIR "/events/%s/%s", sys,
			 ev);
		if (!path_exists(path)) {
			if (!miss) {
				snprintf(path, sizeof(path),
					 "%s/kernel-missing.txt", trace_dir);
				miss = fopen(path, "w");
			}
			if (miss)
				fprintf(miss, "%s:%s\n", sys, ev);
			nmiss++;
			continue;
		}
		if (filter[0] && event_has_field(sys, ev, "dev") &&
		    tracefs_event_file_write(ks.inst, sys, ev, "filter",
					     filter) < 0)
			warnx_("cannot filter %s:%s on %s", sys, ev, filter);
		if (tracefs_event_enable(ks.inst, sys, ev)) {
			warnx_("cannot enable %s:%s", sys, ev);
			continue;
		}
		nok++;
	}
	if (miss) {
		fclose(miss);
		msg("%u kernel event(s) absent on this kernel, listed in "
		    "%s/kernel-missing.txt",
		    nmiss, trace_dir);
	}
	if (!nok) {
		msg("no kernel event could be enabled");
		ktrace_abort();
		return -1;
	}
	if (inst_write("tracing_on", "1")) {
		ktrace_abort();
		return -1;
	}
	dbg("kernel tracing: instance %s, %u events, filter '%s'", name, nok,
	    filter);
	return 0;
}

static uint64_t stat_val(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

static void read_stats(struct kctx *c)
{
	for (int cpu = 0; cpu < c->ncpu; cpu++) {
		char file[64];
		char *t;

		snprintf(file, sizeof(file), "per_cpu/cpu%d/stats", cpu);
		t = tracefs_instance_file_read(ks.inst, file, NULL);
		if (!t)
			continue;
		c->cpu[cpu].entries = stat_val(t, "entries: ");
		c->cpu[cpu].overrun = stat_val(t, "\noverrun: ");
		c->cpu[cpu].commit_overrun = stat_val(t, "commit overrun: ");
		c->cpu[cpu].dropped = stat_val(t, "dropped events: ");
		free(t);
	}
}

static struct kclass *get_class(struct kctx *c, struct tep_event *ev)
{
	struct kclass *k;
	struct tep_format_field *f;
	const char **names;
	unsigned n = 1;

	for (size_t i = 0; i < c->nkc; i++)
		if (c->kc[i].id == ev->id)
			return &c->kc[i];
	for (f = ev->format.fields; f; f = f->next)
		n++;
	grow_array((void **)&c->kc, &c->kc_cap, c->nkc + 1, sizeof(*k));
	k = &c->kc[c->nkc];
	k->id = ev->id;
	k->nf = n;
	k->f = xcalloc(n, sizeof(*k->f));
	k->types = xcalloc(n, sizeof(*k->types));
	names = xcalloc(n, sizeof(*names));
	names[0] = "tid";
	k->types[0] = CTFW_INT;
	n = 1;
	for (f = ev->format.fields; f; f = f->next, n++) {
		k->f[n] = f;
		/* jbd2_run_stats' own tid is its transaction: the name the
		 * other jbd2 events give it, not the thread's */
		names[n] = strcmp(f->name, "tid") ? f->name : "transaction";
		k->types[n] =
			(f->flags & (TEP_FIELD_IS_STRING | TEP_FIELD_IS_ARRAY |
				     TEP_FIELD_IS_DYNAMIC)) ?
				CTFW_STR :
				CTFW_INT;
	}
	k->cls = ctfw_class(c->w, ev->name, k->nf, names, k->types);
	free(names);
	if (k->cls < 0) {
		msg("kernel event %s: conflicting field lists", ev->name);
		free(k->f);
		free(k->types);
		return NULL;
	}
	c->nkc++;
	return k;
}

/* Decode one field as a string into *dst (reallocated). */
static void field_str(struct tep_format_field *f, struct tep_event *ev,
		      struct tep_record *r, char **dst)
{
	int len = 0;
	const unsigned char *p =
		tep_get_field_raw(NULL, ev, f->name, r, &len, 0);
	char *s;

	if (!p || len < 0)
		len = 0;
	s = xrealloc(*dst, (size_t)len * 2 + 1);
	*dst = s;
	if (f->flags & TEP_FIELD_IS_STRING) {
		size_t n = strnlen((const char *)p, (size_t)len);

		if (n)
			memcpy(s, p, n);
		s[n] = 0;
		return;
	}
	for (int i = 0; i < len; i++)
		sprintf(s + 2 * i, "%02x", p[i]);
	s[2 * len] = 0;
}

static int on_event(struct tep_event *ev, struct tep_record *r, int cpu,
		    void *arg)
{
	struct kctx *c = arg;
	struct kclass *k = get_class(c, ev);
	unsigned long long v;

	if (!k || cpu < 0 || cpu >= c->ncpu)
		return 0;
	grow_array((void **)&c->vals, &c->vals_cap, k->nf, sizeof(*c->vals));
	if (c->strs_cap < k->nf) {
		size_t old = c->strs_cap;

		grow_array((void **)&c->strs, &c->strs_cap, k->nf,
			   sizeof(*c->strs));
		memset(c->strs + old, 0, (c->strs_cap - old) * sizeof(char *));
	}
	c->vals[0].i = tep_data_pid(ev->tep, r);
	c->vals[0].s = NULL;
	for (unsigned i = 1; i < k->nf; i++) {
		struct tep_format_field *f = k->f[i];

		c->vals[i].s = NULL;
		c->vals[i].i = 0;
		if (k->types[i] == CTFW_STR) {
			field_str(f, ev, r, &c->strs[i]);
			c->vals[i].s = c->strs[i];
			continue;
		}
		if (tep_read_number_field(f, r->data, &v))
			continue;
		if ((f->flags & TEP_FIELD_IS_SIGNED) && f->size < 8 &&
		    f->size > 0) {
			unsigned sh = 64 - 8 * (unsigned)f->size;

			c->vals[i].i = (int64_t)(v << sh) >> sh;
		} else {
			c->vals[i].i = (int64_t)v;
		}
	}
	if (r->missed_events > 0) {
		c->cpu[cpu].missed += (uint64_t)r->missed_events;
		ctfw_discarded(c->w, (uint32_t)cpu, (uint64_t)r->missed_events,
			       r->ts);
		c->cpu[cpu].reported += (uint64_t)r->missed_events;
	}
	if (ctfw_event(c->w, (uint32_t)cpu, k->cls, r->ts, c->vals))
		c->failed = true;
	c->cpu[cpu].read++;
	return 0;
}

static void write_stats(struct kctx *c, const char *trace_dir)
{
	static const char *const names[] = { "cpu",	"entries", "overrun",
					     "dropped", "missed",  "read",
					     "lost" };
	static const enum ctfw_type types[] = { CTFW_INT, CTFW_INT, CTFW_INT,
						CTFW_INT, CTFW_INT, CTFW_INT,
						CTFW_INT };
	char path[PATH_MAX];
	int cls = ctfw_class(c->w, "iorace_kernel_stats", ARRAY_SIZE(names),
			     names, types);
	FILE *f;
	uint64_t total = 0;

	snprintf(path, sizeof(path), "%s/kernel-stats.txt", trace_dir);
	f = fopen(path, "w");
	for (int cpu = 0; cpu < c->ncpu; cpu++) {
		struct kcpu *k = &c->cpu[cpu];
		uint64_t lost = k->overrun + k->dropped + k->commit_overrun;
		struct ctfw_val v[7];

		if (k->missed > lost)
			lost = k->missed;
		if (lost > k->reported)
			ctfw_discarded(c->w, (uint32_t)cpu, lost - k->reported,
				       ks.t_stop);
		v[0].i = cpu;
		v[1].i = (int64_t)k->entries;
		v[2].i = (int64_t)k->overrun;
		v[3].i = (int64_t)k->dropped;
		v[4].i = (int64_t)k->missed;
		v[5].i = (int64_t)k->read;
		v[6].i = (int64_t)lost;
		for (int i = 0; i < 7; i++)
			v[i].s = NULL;
		if (cls >= 0)
			ctfw_event(c->w, (uint32_t)cpu, cls, ks.t_stop, v);
		if (f)
			fprintf(f,
				"cpu %d entries %llu overrun %llu dropped %llu "
				"missed %llu read %llu lost %llu\n",
				cpu, (unsigned long long)k->entries,
				(unsigned long long)k->overrun,
				(unsigned long long)k->dropped,
				(unsigned long long)k->missed,
				(unsigned long long)k->read,
				(unsigned long long)lost);
		total += lost;
	}
	if (f)
		fclose(f);
	if (total)
		msg("kernel trace lost %llu event(s), see %s",
		    (unsigned long long)total, path);
}

int ktrace_stop(const char *trace_dir)
{
	char kdir[PATH_MAX];
	struct kctx c = { 0 };
	struct tep_handle *tep;
	char *clock;
	int ret = 0;

	if (!ks.inst)
		return 0;
	tracefs_instance_file_write(ks.inst, "tracing_on", "0");
	ks.t_stop = now_ns();
	c.ncpu = (int)sysconf(_SC_NPROCESSORS_CONF);
	if (c.ncpu < 1)
		c.ncpu = 1;
	c.cpu = xcalloc((size_t)c.ncpu, sizeof(*c.cpu));
	read_stats(&c);
	snprintf(kdir, sizeof(kdir), "%s/kernel", trace_dir);
	clock = ctf_find_clock_block(trace_dir, kdir);
	c.w = ctfw_open(kdir, clock, "kernel");
	free(clock);
	tep = tracefs_local_events_system(NULL, ksystems);
	if (!c.w || !tep) {
		msg("cannot convert the kernel trace");
		ret = -1;
		goto out;
	}
	if (tracefs_iterate_raw_events(tep, ks.inst, NULL, 0, on_event, &c) <
	    0) {
		msg("reading the kernel trace buffers failed");
		ret = -1;
	}
	write_stats(&c, trace_dir);
	dbg("kernel trace: %llu events", (unsigned long long)ctfw_count(c.w));
out:
	if (c.w && ctfw_close(c.w))
		ret = -1;
	if (c.failed)
		ret = -1;
	if (tep)
		tep_free(tep);
	for (size_t i = 0; i < c.nkc; i++) {
		free(c.kc[i].f);
		free(c.kc[i].types);
	}
	for (size_t i = 0; i < c.strs_cap; i++)
		free(c.strs[i]);
	free(c.strs);
	free(c.kc);
	free(c.vals);
	free(c.cpu);
	ktrace_abort();
	return ret;
}
