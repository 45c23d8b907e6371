// SPDX-License-Identifier: GPL-2.0
/*
 * Workload files: a small fio-style INI parser (see replay/workload.h for the
 * keys). Rules enforced here, beyond the header:
 *  - only whole-line comments (';' or '#'); "key = value" may carry blanks
 *    around '=' and the value;
 *  - every key may appear once per section; every job section needs type=;
 *    section names are unique; keys before the first section are errors;
 *  - keys are checked against the job type (bs= in a truncate job is an
 *    error, so is offset=random in an io job);
 *  - io jobs: bs (or both ends of a range) a multiple of 512, a range must
 *    contain a multiple of 4 KiB; the region (offset, size) must hold at
 *    least one bs_max block; size=0 means "to the end of the file";
 *  - fallocate/punch/zero_range: len=0 means "from offset to the end of the
 *    file"; file=all is for io jobs only.
 * Every error is "path:line: why".
 */
#include "replay/workload.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util.h"
#include "injectors/inject.h"

#define MIB	     (1ull << 20)
#define KIB4	     4096ull
#define MAX_FILES    1024u
#define MAX_CONTEXTS 1024u
#define MAX_IODEPTH  65536u
#define MAX_BS	     (64u << 20)

/* Job keys, with the job types they are valid for. */
enum jkey {
	K_TYPE,
	K_FILE,
	K_STAGE,
	K_ENGINE,
	K_DIRECT,
	K_DSYNC,
	K_RW,
	K_RWMIXREAD,
	K_BS,
	K_IODEPTH,
	K_CONTEXTS,
	K_NUMBER_IOS,
	K_RUNTIME,
	K_OFFSET,
	K_SIZE,
	K_START_DELAY,
	K_INTERVAL,
	K_COUNT,
	K_GROW_BACK,
	K_LEN,
	K_KEEP_SIZE,
	K_WHEN_INFLIGHT,
	K_NKEYS,
};

#define T(x)	 (1u << (x))
#define T_IO	 T(JOB_IO)
#define T_SHIFT	 (T(JOB_COLLAPSE) | T(JOB_INSERT))
#define T_KEEP	 (T(JOB_FALLOCATE) | T(JOB_PUNCH) | T(JOB_ZERO_RANGE))
#define T_RANGE	 (T_KEEP | T_SHIFT)
#define T_RACING (T(JOB_TRUNCATE) | T_RANGE | T(JOB_FSYNC) | T(JOB_FDATASYNC))
#define T_ALL	 (T_IO | T_RACING)

static const struct {
	const char *name;
	unsigned types;
} jkeys[K_NKEYS] = {
	[K_TYPE] = { "type", T_ALL },
	[K_FILE] = { "file", T_ALL },
	[K_STAGE] = { "stage", T_ALL },
	[K_ENGINE] = { "engine", T_IO },
	[K_DIRECT] = { "direct", T_IO },
	[K_DSYNC] = { "dsync", T_IO },
	[K_RW] = { "rw", T_IO },
	[K_RWMIXREAD] = { "rwmixread", T_IO },
	[K_BS] = { "bs", T_IO },
	[K_IODEPTH] = { "iodepth", T_IO },
	[K_CONTEXTS] = { "contexts", T_IO },
	[K_NUMBER_IOS] = { "number_ios", T_IO },
	[K_RUNTIME] = { "runtime", T_IO },
	[K_OFFSET] = { "offset", T_IO | T_RANGE },
	[K_SIZE] = { "size", T_IO | T(JOB_TRUNCATE) },
	[K_START_DELAY] = { "start_delay", T_RACING },
	[K_INTERVAL] = { "interval", T_RACING },
	[K_COUNT] = { "count", T_RACING },
	[K_GROW_BACK] = { "grow_back", T(JOB_TRUNCATE) },
	[K_LEN] = { "len", T_RANGE },
	[K_KEEP_SIZE] = { "keep_size", T_KEEP },
	[K_WHEN_INFLIGHT] = { "when_inflight", T_RACING },
};

static const char *const type_names[] = {
	[JOB_IO] = "io",
	[JOB_TRUNCATE] = "truncate",
	[JOB_FALLOCATE] = "fallocate",
	[JOB_PUNCH] = "punch",
	[JOB_ZERO_RANGE] = "zero_range",
	[JOB_FSYNC] = "fsync",
	[JOB_FDATASYNC] = "fdatasync",
	[JOB_COLLAPSE] = "collapse_range",
	[JOB_INSERT] = "insert_range",
};

static const char *const rw_names[] = {
	[RW_WRITE] = "write", [RW_RANDWRITE] = "randwrite",
	[RW_READ] = "read",   [RW_RANDREAD] = "randread",
	[RW_RW] = "rw",	      [RW_RANDRW] = "randrw",
};

enum gkey {
	G_DESCRIPTION,
	G_IMAGE_SIZE,
	G_MKFS_OPTS,
	G_MOUNT_OPTS,
	G_NRFILES,
	G_FILESIZE,
	G_FALLOCATE,
	G_POISON,
	G_WATCHDOG,
	G_SWARM,
	G_NKEYS,
};

static const char *const gkeys[G_NKEYS] = {
	[G_DESCRIPTION] = "description", [G_IMAGE_SIZE] = "image_size",
	[G_MKFS_OPTS] = "mkfs_opts",	 [G_MOUNT_OPTS] = "mount_opts",
	[G_NRFILES] = "nrfiles",	 [G_FILESIZE] = "filesize",
	[G_FALLOCATE] = "fallocate",	 [G_POISON] = "poison",
	[G_WATCHDOG] = "watchdog",	 [G_SWARM] = "swarm",
};

/* Parse-time bookkeeping for one job: where each key was set. */
struct job_keys {
	int line[K_NKEYS];
	bool has_type;
};

struct parser {
	const char *path;
	char *err;
	size_t errlen;
	struct workload *wl;
	int lineno;
	enum { SEC_NONE, SEC_GLOBAL, SEC_JOB } sec;
	bool seen_global;
	int gline[G_NKEYS];
	struct job_keys *jk;
	size_t jcap, jkcap;
};

static int perr(struct parser *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int perr(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!p->err || !p->errlen)
		return -1;
	n = snprintf(p->err, p->errlen, "%s:%d: ", p->path, line);
	if (n < 0 || (size_t)n >= p->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int set_str(struct parser *p, char *dst, size_t dstlen, const char *key,
		   const char *val)
{
	if (strlen(val) >= dstlen)
		return perr(p, p->lineno, "value of '%s' too long (max %zu)",
			    key, dstlen - 1);
	strcpy(dst, val);
	return 0;
}

static int bad_value(struct parser *p, const char *key, const char *val,
		     const char *want)
{
	return perr(p, p->lineno, "bad value '%s' for '%s' (want %s)", val, key,
		    want);
}

static int global_key(struct parser *p, const char *key, const char *val)
{
	struct workload *wl = p->wl;
	uint64_t v;
	int k;

	for (k = 0; k < G_NKEYS; k++)
		if (!strcmp(gkeys[k], key))
			break;
	if (k == G_NKEYS) {
		char why[256];
		int rc;

		if (!wl->inj)
			wl->inj = xcalloc(1, sizeof(*wl->inj));
		rc = inject_set(wl->inj, key, val, why, sizeof(why));
		if (rc < 0)
			return perr(p, p->lineno, "%s", why);
		if (rc > 0)
			return 0;
		return perr(p, p->lineno, "unknown key '%s' in [global]", key);
	}
	if (p->gline[k])
		return perr(p, p->lineno,
			    "duplicate key '%s' (first at line %d)", key,
			    p->gline[k]);
	p->gline[k] = p->lineno;

	switch (k) {
	case G_DESCRIPTION:
		return set_str(p, wl->description, sizeof(wl->description), key,
			       val);
	case G_MKFS_OPTS:
		return set_str(p, wl->mkfs_opts, sizeof(wl->mkfs_opts), key,
			       val);
	case G_MOUNT_OPTS:
		return set_str(p, wl->mount_opts, sizeof(wl->mount_opts), key,
			       val);
	case G_IMAGE_SIZE:
		if (parse_size(val, &v) || v < 16 * MIB)
			return bad_value(p, key, val, "a size >= 16m");
		wl->image_size = v;
		return 0;
	case G_NRFILES:
		if (parse_u64(val, MAX_FILES, &v) || !v)
			return bad_value(p, key, val, "1..1024");
		wl->nrfiles = v;
		return 0;
	case G_FILESIZE:
		if (parse_size(val, &v) || v % SECTOR_SIZE || v > (1ull << 44))
			return bad_value(p, key, val,
					 "a size, multiple of 512, <= 16t");
		wl->filesize = v;
		return 0;
	case G_FALLOCATE:
		if (parse_bool(val, &wl->fallocate))
			return bad_value(p, key, val, "0 or 1");
		return 0;
	case G_POISON:
		if (parse_bool(val, &wl->poison))
			return bad_value(p, key, val, "0 or 1");
		return 0;
	case G_WATCHDOG:
		if (parse_duration(val, &v) || !v)
			return bad_value(p, key, val, "a duration > 0");
		wl->watchdog_ns = v;
		return 0;
	case G_SWARM:
		if (parse_bool(val, &wl->swarm))
			return bad_value(p, key, val, "0 or 1");
		return 0;
	}
	return 0;
}

static int parse_bs(struct parser *p, struct wl_job *j, const char *val)
{
	char buf[64], *dash;
	uint64_t lo, hi;

	if (strlen(val) >= sizeof(buf))
		return bad_value(p, "bs", val, "a size or a range like 4k-64k");
	strcpy(buf, val);
	dash = strchr(buf, '-');
	if (dash) {
		*dash = '\0';
		if (parse_size(trim(buf), &lo) ||
		    parse_size(trim(dash + 1), &hi))
			return bad_value(p, "bs", val,
					 "a size or a range like 4k-64k");
	} else {
		if (parse_size(buf, &lo))
			return bad_value(p, "bs", val,
					 "a size or a range like 4k-64k");
		hi = lo;
	}
	if (!lo || !hi || lo > MAX_BS || hi > MAX_BS)
		return perr(p, p->lineno, "bs '%s' out of range (512..64m)",
			    val);
	if (lo % SECTOR_SIZE || hi % SECTOR_SIZE)
		return perr(p, p->lineno, "bs '%s' is not a multiple of 512",
			    val);
	if (lo > hi)
		return perr(p, p->lineno, "bs range '%s' is reversed", val);
	if (lo != hi && (hi / KIB4) * KIB4 < lo)
		return perr(p, p->lineno,
			    "bs range '%s' holds no multiple of 4k", val);
	j->bs_min = lo;
	j->bs_max = hi;
	return 0;
}

static int job_key(struct parser *p, const char *key, const char *val)
{
	struct workload *wl = p->wl;
	struct wl_job *j = &wl->jobs[wl->njobs - 1];
	struct job_keys *jk = &p->jk[wl->njobs - 1];
	uint64_t v;
	bool b;
	int k;

	for (k = 0; k < K_NKEYS; k++)
		if (!strcmp(jkeys[k].name, key))
			break;
	if (k == K_NKEYS)
		return perr(p, p->lineno, "unknown key '%s' in job [%s]", key,
			    j->name);
	if (jk->line[k])
		return perr(p, p->lineno,
			    "duplicate key '%s' (first at line %d)", key,
			    jk->line[k]);
	jk->line[k] = p->lineno;

	switch (k) {
	case K_TYPE:
		for (v = 0; v < ARRAY_SIZE(type_names); v++)
			if (!strcmp(type_names[v], val))
				break;
		if (v == ARRAY_SIZE(type_names))
			return perr(
			    p, p->lineno,
			    "unknown job type '%s' (want io, truncate, "
			    "fallocate, punch, zero_range, fsync, fdatasync, "
			    "collapse_range, insert_range)",
			    val);
		j->type = v;
		jk->has_type = true;
		return 0;
	case K_FILE:
		if (!strcmp(val, "all")) {
			j->file = WL_ALL_FILES;
			return 0;
		}
		if (parse_u64(val, MAX_FILES - 1, &v))
			return bad_value(p, key, val, "a file index or 'all'");
		j->file = v;
		return 0;
	case K_STAGE:
		if (parse_u64(val, 63, &v))
			return bad_value(p, key, val, "0..63");
		j->stage = v;
		return 0;
	case K_ENGINE:
		if (strcmp(val, "libaio") && strcmp(val, "io_uring") &&
		    strcmp(val, "sync"))
			return bad_value(p, key, val,
					 "libaio, io_uring or sync");
		strcpy(j->engine, val);
		return 0;
	case K_DIRECT:
	case K_DSYNC:
	case K_KEEP_SIZE:
		if (parse_bool(val, &b))
			return bad_value(p, key, val, "0 or 1");
		if (k == K_DIRECT)
			j->direct = b;
		else if (k == K_DSYNC)
			j->dsync = b;
		else
			j->keep_size = b;
		return 0;
	case K_RW:
		for (v = 0; v < ARRAY_SIZE(rw_names); v++)
			if (!strcmp(rw_names[v], val))
				break;
		if (v == ARRAY_SIZE(rw_names))
			return bad_value(
			    p, key, val,
			    "write, randwrite, read, randread, rw or randrw");
		j->rw = v;
		return 0;
	case K_RWMIXREAD:
		if (parse_u64(val, 100, &v))
			return bad_value(p, key, val, "0..100");
		j->rwmixread = v;
		return 0;
	case K_BS:
		return parse_bs(p, j, val);
	case K_IODEPTH:
		if (parse_u64(val, MAX_IODEPTH, &v) || !v)
			return bad_value(p, key, val, "1..65536");
		j->iodepth = v;
		return 0;
	case K_CONTEXTS:
		if (parse_u64(val, MAX_CONTEXTS, &v) || !v)
			return bad_value(p, key, val, "1..1024");
		j->contexts = v;
		return 0;
	case K_NUMBER_IOS:
		if (parse_u64(val, 1ull << 32, &v) || !v)
			return bad_value(p, key, val, "1..2^32");
		j->number_ios = v;
		return 0;
	case K_COUNT:
		if (parse_u64(val, 1u << 24, &v) || !v)
			return bad_value(p, key, val, "1..2^24");
		j->count = v;
		return 0;
	case K_WHEN_INFLIGHT:
		if (parse_u64(val, MAX_IODEPTH * 16ull, &v))
			return bad_value(p, key, val, "a count");
		j->when_inflight = v;
		return 0;
	case K_RUNTIME:
	case K_START_DELAY:
	case K_INTERVAL:
		if (parse_duration(val, &v))
			return bad_value(p, key, val, "a duration like 100ms");
		if (k == K_RUNTIME)
			j->runtime_ns = v;
		else if (k == K_START_DELAY)
			j->start_delay_ns = v;
		else
			j->interval_ns = v;
		return 0;
	case K_OFFSET:
		if (!strcmp(val, "random")) {
			j->offset = WL_RANDOM_OFFSET;
			return 0;
		}
		/* fall through */
	case K_SIZE:
	case K_GROW_BACK:
	case K_LEN:
		if (parse_size(val, &v) || v % SECTOR_SIZE || v > (1ull << 44))
			return bad_value(
			    p, key, val,
			    k == K_OFFSET
				? "a size (multiple of 512) or 'random'"
				: "a size, multiple of 512");
		if (k == K_OFFSET)
			j->offset = v;
		else if (k == K_SIZE)
			j->size = v;
		else if (k == K_GROW_BACK)
			j->grow_back = v;
		else
			j->len = v;
		return 0;
	}
	return 0;
}

static void job_defaults(struct wl_job *j)
{
	memset(j, 0, sizeof(*j));
	j->type = JOB_IO;
	j->file = WL_ALL_FILES;
	j->direct = true;
	j->rw = RW_RANDWRITE;
	j->rwmixread = 50;
	j->bs_min = j->bs_max = 4096;
	j->iodepth = 8;
	j->contexts = 1;
	j->number_ios = 1000;
	j->count = 1;
}

static int section(struct parser *p, char *line)
{
	struct workload *wl = p->wl;
	char *end = strchr(line, ']');
	char *name;
	unsigned i;

	if (!end || end[1])
		return perr(p, p->lineno, "malformed section header");
	*end = '\0';
	name = trim(line + 1);
	if (!*name)
		return perr(p, p->lineno, "empty section name");
	if (!strcmp(name, "global")) {
		if (p->seen_global)
			return perr(p, p->lineno, "duplicate section [global]");
		p->seen_global = true;
		p->sec = SEC_GLOBAL;
		return 0;
	}
	if (strlen(name) >= sizeof(wl->jobs[0].name))
		return perr(p, p->lineno, "section name too long (max %zu)",
			    sizeof(wl->jobs[0].name) - 1);
	for (i = 0; i < wl->njobs; i++)
		if (!strcmp(wl->jobs[i].name, name))
			return perr(p, p->lineno,
				    "duplicate section [%s] (first at line %d)",
				    name, wl->jobs[i].line);
	grow_array((void **)&wl->jobs, &p->jcap, wl->njobs + 1,
		   sizeof(*wl->jobs));
	grow_array((void **)&p->jk, &p->jkcap, wl->njobs + 1, sizeof(*p->jk));
	job_defaults(&wl->jobs[wl->njobs]);
	memset(&p->jk[wl->njobs], 0, sizeof(*p->jk));
	strcpy(wl->jobs[wl->njobs].name, name);
	wl->jobs[wl->njobs].line = p->lineno;
	wl->njobs++;
	p->sec = SEC_JOB;
	return 0;
}

static int parse_line(struct parser *p, char *raw)
{
	char *line = trim(raw), *eq, *key, *val;

	if (!*line || *line == ';' || *line == '#')
		return 0;
	if (*line == '[')
		return section(p, line);
	eq = strchr(line, '=');
	if (!eq)
		return perr(p, p->lineno, "expected key=value or [section]");
	*eq = '\0';
	key = trim(line);
	val = trim(eq + 1);
	if (!*key)
		return perr(p, p->lineno, "missing key before '='");
	if (p->sec == SEC_NONE)
		return perr(p, p->lineno, "key '%s' outside a section", key);
	if (p->sec == SEC_GLOBAL)
		return global_key(p, key, val);
	return job_key(p, key, val);
}

static uint64_t region_len(const struct workload *wl, const struct wl_job *j)
{
	if (j->size)
		return j->size;
	return wl->filesize > j->offset ? wl->filesize - j->offset : 0;
}

static bool job_writes(const struct wl_job *j)
{
	return j->rw != RW_READ && j->rw != RW_RANDREAD;
}

/*
 * The largest size each file may reach, summed over files: what the image
 * must hold (twice, for ext4 metadata and slack).
 */
static uint64_t files_extent(const struct workload *wl)
{
	uint64_t total = 0;
	unsigned f, i;

	for (f = 0; f < wl->nrfiles; f++) {
		uint64_t ext = wl->filesize;

		for (i = 0; i < wl->njobs; i++) {
			const struct wl_job *j = &wl->jobs[i];
			uint64_t e = 0;

			if (j->file != WL_ALL_FILES && (unsigned)j->file != f)
				continue;
			if (j->type == JOB_IO && job_writes(j))
				e = j->offset + region_len(wl, j);
			else if (j->type == JOB_TRUNCATE)
				e = MAX(j->trunc_size, j->grow_back);
			else if ((j->type == JOB_FALLOCATE ||
				  j->type == JOB_ZERO_RANGE) &&
				 !j->keep_size && j->offset != WL_RANDOM_OFFSET)
				e = j->offset + j->len;
			else if (j->type == JOB_INSERT) /* each grows it */
				e = wl->filesize + (uint64_t)j->count * j->len;
			ext = MAX(ext, e);
		}
		total += ext;
	}
	return total;
}

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

static int finish(struct parser *p)
{
	struct workload *wl = p->wl;
	unsigned i, k;

	if (wl->swarm) {
		if (wl->njobs)
			return perr(p, wl->jobs[0].line,
				    "swarm=1 workloads have no job sections "
				    "(jobs are drawn from the seed)");
		return 0;
	}
	if (!wl->njobs)
		return perr(p, p->lineno, "no job sections");
	for (i = 0; i < wl->njobs; i++) {
		struct wl_job *j = &wl->jobs[i];
		struct job_keys *jk = &p->jk[i];

		if (!jk->has_type)
			return perr(p, j->line,
				    "job [%s] has no type=", j->name);
		for (k = 0; k < K_NKEYS; k++)
			if (jk->line[k] && !(jkeys[k].types & T(j->type)))
				return perr(p, jk->line[k],
					    "key '%s' is not valid for type=%s",
					    jkeys[k].name, type_names[j->type]);
		if (j->type != JOB_IO && !jk->line[K_FILE])
			j->file = 0;
		if (j->file != WL_ALL_FILES && (unsigned)j->file >= wl->nrfiles)
			return perr(p, jk->line[K_FILE],
				    "file=%d but nrfiles=%u", j->file,
				    wl->nrfiles);
		if (j->type != JOB_IO && j->file == WL_ALL_FILES)
			return perr(p, jk->line[K_FILE],
				    "file=all is only valid for io jobs");
		if (j->type == JOB_TRUNCATE) {
			j->trunc_size = j->size;
			j->size = 0;
		}
		if (j->type == JOB_IO) {
			if (j->offset == WL_RANDOM_OFFSET)
				return perr(
				    p, jk->line[K_OFFSET],
				    "offset=random is not valid for io jobs");
			if (region_len(wl, j) < j->bs_max)
				return perr(
				    p, j->size ? jk->line[K_SIZE] : j->line,
				    "job [%s]: region (offset %llu, size %llu) "
				    "holds no %u-byte block%s",
				    j->name, (unsigned long long)j->offset,
				    (unsigned long long)region_len(wl, j),
				    j->bs_max, j->size ? "" : " (set size=)");
		}
		if ((T(j->type) & T_RANGE) && !j->len &&
		    (j->offset == WL_RANDOM_OFFSET ||
		     j->offset >= wl->filesize || (T(j->type) & T_SHIFT)))
			return perr(p, j->line,
				    "job [%s]: needs len=", j->name);
		if ((T(j->type) & T_SHIFT) &&
		    ((j->offset != WL_RANDOM_OFFSET && j->offset % KIB4) ||
		     j->len % KIB4))
			return perr(p, j->line,
				    "job [%s]: %s offset and len must be "
				    "multiples of 4k",
				    j->name, type_names[j->type]);
	}
	if (!wl->image_size)
		wl->image_size = round_up(2 * files_extent(wl), MIB) + 64 * MIB;
	else if (wl->image_size < files_extent(wl))
		return perr(p, p->gline[G_IMAGE_SIZE],
			    "image_size too small for the files (need >= %llu)",
			    (unsigned long long)files_extent(wl));
	return 0;
}

static void set_name(struct workload *wl, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 4 && !strcmp(base + n - 4, ".job"))
		n -= 4;
	if (n >= sizeof(wl->name))
		n = sizeof(wl->name) - 1;
	memcpy(wl->name, base, n);
	wl->name[n] = '\0';
}

int workload_parse_string(const char *text, const char *name,
			  struct workload *wl, char *err, size_t errlen)
{
	struct parser p = {
		.path = name, .err = err, .errlen = errlen, .wl = wl
	};
	char *buf, *line, *next;
	int ret = 0;

	if (err && errlen)
		err[0] = '\0';
	memset(wl, 0, sizeof(*wl));
	set_name(wl, name);
	snprintf(wl->path, sizeof(wl->path), "%s", name);
	wl->nrfiles = 1;
	wl->filesize = 64 * MIB;
	wl->poison = true;
	wl->watchdog_ns = 60 * NSEC_PER_SEC;

	buf = xstrdup(text);
	for (line = buf; line && !ret; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else if (!*line)
			break; /* nothing after the final newline */
		p.lineno++;
		ret = parse_line(&p, line);
	}
	if (!ret)
		ret = finish(&p);
	free(buf);
	free(p.jk);
	if (ret)
		workload_free(wl);
	return ret;
}

int workload_parse_file(const char *path, struct workload *wl, char *err,
			size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0, cap = 0, n;
	int ret;

	if (!f) {
		memset(wl, 0, sizeof(*wl));
		if (err && errlen)
			snprintf(err, errlen, "%s:0: %s", path,
				 strerror(errno));
		return -1;
	}
	for (;;) {
		grow_array((void **)&text, &cap, len + 4097, 1);
		n = fread(text + len, 1, 4096, f);
		len += n;
		if (n < 4096)
			break;
	}
	text[len] = '\0';
	fclose(f);
	if (memchr(text, '\0', len)) {
		free(text);
		memset(wl, 0, sizeof(*wl));
		if (err && errlen)
			snprintf(err, errlen, "%s:0: binary file", path);
		return -1;
	}
	ret = workload_parse_string(text, path, wl, err, errlen);
	free(text);
	return ret;
}

void workload_free(struct workload *wl)
{
	free(wl->inj);
	wl->inj = NULL;
	free(wl->jobs);
	wl->jobs = NULL;
	wl->njobs = 0;
	free(wl->swarm_text);
	wl->swarm_text = NULL;
}

/* x * f rounded to the nearest multiple of a, at least a when x > 0. */
static uint64_t scale_size(uint64_t x, double f, uint64_t a)
{
	double v = (double)x * f / (double)a;
	uint64_t r;

	if (!x)
		return 0;
	r = (uint64_t)llround(v) * a;
	return r ? r : a;
}

/* x * f rounded down to a multiple of a. */
static uint64_t scale_off(uint64_t x, double f, uint64_t a)
{
	return (uint64_t)((double)x * f / (double)a) * a;
}

static uint64_t scale_count(uint64_t x, double f)
{
	double v = (double)x * f;

	return v < 1.0 ? 1 : (uint64_t)llround(v);
}

void workload_scale(struct workload *wl, double f)
{
	uint64_t old_filesize = wl->filesize;
	uint64_t floor;
	unsigned i;

	if (!(f > 0) || f == 1.0)
		return;
	wl->filesize = scale_size(wl->filesize, f, KIB4);
	for (i = 0; i < wl->njobs; i++) {
		struct wl_job *j = &wl->jobs[i];

		if (j->type == JOB_IO) {
			uint64_t a = j->bs_max;
			bool fit =
			    j->size && j->offset + j->size <= old_filesize;

			j->number_ios = scale_count(j->number_ios, f);
			j->offset = scale_off(j->offset, f, a);
			j->size = scale_size(j->size, f, a);
			if (fit && j->offset + j->size > wl->filesize) {
				if (wl->filesize >= j->offset + a)
					j->size =
					    (wl->filesize - j->offset) / a * a;
				else
					j->offset = 0;
			}
			if (!j->size && region_len(wl, j) < a)
				j->size = a;
			continue;
		}
		j->count = scale_count(j->count, f);
		/* a truncate size's sectors inside its 4 KiB block are kept:
		 * they are what makes a truncate end mid-block */
		j->trunc_size = scale_size(j->trunc_size & ~(KIB4 - 1), f, KIB4) +
				(j->trunc_size & (KIB4 - 1));
		j->grow_back = scale_size(j->grow_back, f, KIB4);
		if (T(j->type) & T_RANGE) {
			bool fit = j->offset != WL_RANDOM_OFFSET &&
				   j->offset + j->len <= old_filesize;

			j->len = scale_size(j->len, f, KIB4);
			if (j->offset != WL_RANDOM_OFFSET)
				j->offset = scale_off(j->offset, f, KIB4);
			if (fit && j->offset + j->len > wl->filesize)
				j->offset =
				    wl->filesize > j->len
					? (wl->filesize - j->len) / KIB4 * KIB4
					: 0;
		}
	}
	wl->image_size = round_up((uint64_t)((double)wl->image_size * f), MIB);
	floor = round_up(2 * files_extent(wl), MIB) + 32 * MIB;
	if (wl->image_size < floor)
		wl->image_size = floor;
}

static bool is_file(const char *p)
{
	struct stat st;

	return !stat(p, &st) && S_ISREG(st.st_mode);
}

static bool is_dir(const char *p)
{
	struct stat st;

	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

/* <dirname(/proc/self/exe)>/../workloads, or "" when unknown. */
static const char *exe_workloads(void)
{
	static char buf[PATH_MAX + 32];
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return "";
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return "";
	*slash = '\0';
	snprintf(buf, sizeof(buf), "%s/../workloads", exe);
	return buf;
}

const char *workload_dir(void)
{
	const char *env = getenv("IORACE_WORKLOADS");
	const char *exe;

	if (env && *env)
		return env;
	exe = exe_workloads();
	if (*exe && is_dir(exe))
		return exe;
	return "workloads";
}

int workload_resolve(const char *arg, char *out, size_t outlen)
{
	const char *dirs[3];
	const char *env = getenv("IORACE_WORKLOADS");
	const char *ext;
	size_t n = strlen(arg);
	unsigned i, nd = 0;
	int len;

	if (!n)
		return -1;
	if (is_file(arg)) {
		len = snprintf(out, outlen, "%s", arg);
		return len < 0 || (size_t)len >= outlen ? -1 : 0;
	}
	if (strchr(arg, '/'))
		return -1;
	if (env && *env)
		dirs[nd++] = env;
	dirs[nd++] = exe_workloads();
	dirs[nd++] = "workloads";
	ext = n > 4 && !strcmp(arg + n - 4, ".job") ? "" : ".job";
	for (i = 0; i < nd; i++) {
		char path[PATH_MAX];

		if (!*dirs[i])
			continue;
		len =
		    snprintf(path, sizeof(path), "%s/%s%s", dirs[i], arg, ext);
		if (len < 0 || (size_t)len >= sizeof(path) || !is_file(path))
			continue;
		len = snprintf(out, outlen, "%s", path);
		return len < 0 || (size_t)len >= outlen ? -1 : 0;
	}
	return -1;
}
