// SPDX-License-Identifier: GPL-2.0
/*
 * Workload files: a fio job file parser (see replay/workload.h for the
 * keys). Rules enforced here, beyond the header:
 *  - comments: whole lines starting with ';' or '#', and from a ';' or '#'
 *    that starts a value or follows a blank; "key = value" may carry blanks
 *    around '=' and the value; a line with no '=' is a flag (key=1);
 *  - every key may appear once per section (a [global] default may be
 *    overridden by a job); section names are unique; keys before the first
 *    section are errors;
 *  - jobs with type=: keys are checked against the type (bs= in a truncate
 *    job is an error, so is offset=random in an io job); keys inherited
 *    from [global] are never type-checked (fio ignores what does not
 *    apply);
 *  - jobs without type= are fio jobs, resolved in fio_resolve();
 *  - io jobs: bs (or both ends of a range) a multiple of 512, a range must
 *    contain a multiple of 4 KiB; the region (offset, size) must hold at
 *    least one bs_max block; size=0 means "to the end of the file";
 *  - fallocate/punch/zero_range: len=0 means "from offset to the end of the
 *    file"; file=all is for io jobs only.
 * Every error is "path:line: key: why"; parsing goes on after an error so
 * that a file's errors are all reported (up to MAX_ERRORS).
 */
#include "replay/workload.h"

#include <ctype.h>
#include <json-c/json.h>
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

/* Job keys: iorace's own (type-checked when type= is given) and fio's. */
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
	/* fio keys (never type-checked: fio ignores what does not apply) */
	K_IOENGINE,
	K_BSRANGE,
	K_BLOCKALIGN,
	K_NUMJOBS,
	K_FILENAME,
	K_DIRECTORY,
	K_IO_SIZE,
	K_TIME_BASED,
	K_STARTDELAY,
	K_STONEWALL,
	K_WAIT_FOR,
	K_BUFFERED,
	K_SYNC,
	K_FSYNC,
	K_FDATASYNC,
	K_END_FSYNC,
	K_RWMIXWRITE,
	K_NAME,
	K_READ_IOLOG,
	K_WRITE_IOLOG,
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
	[K_IOENGINE] = { "ioengine", T_ALL },
	[K_BSRANGE] = { "bsrange", T_ALL },
	[K_BLOCKALIGN] = { "blockalign", T_ALL },
	[K_NUMJOBS] = { "numjobs", T_ALL },
	[K_FILENAME] = { "filename", T_ALL },
	[K_DIRECTORY] = { "directory", T_ALL },
	[K_IO_SIZE] = { "io_size", T_ALL },
	[K_TIME_BASED] = { "time_based", T_ALL },
	[K_STARTDELAY] = { "startdelay", T_ALL },
	[K_STONEWALL] = { "stonewall", T_ALL },
	[K_WAIT_FOR] = { "wait_for", T_ALL },
	[K_BUFFERED] = { "buffered", T_ALL },
	[K_SYNC] = { "sync", T_ALL },
	[K_FSYNC] = { "fsync", T_ALL },
	[K_FDATASYNC] = { "fdatasync", T_ALL },
	[K_END_FSYNC] = { "end_fsync", T_ALL },
	[K_RWMIXWRITE] = { "rwmixwrite", T_ALL },
	[K_NAME] = { "name", T_ALL },
	[K_READ_IOLOG] = { "read_iolog", T_ALL },
	[K_WRITE_IOLOG] = { "write_iolog", T_ALL },
};

/* fio keys accepted with no effect on the plan (see workload.h). */
static const char *const fio_accepted[] = {
	"iodepth_batch",
	"iodepth_batch_submit",
	"iodepth_batch_complete",
	"iodepth_batch_complete_min",
	"iodepth_batch_complete_max",
	"iodepth_low",
	"ramp_time",
	"create_on_open",
	"unlink",
	"norandommap",
	"randrepeat",
	"randseed",
	"continue_on_error",
	"ignore_error",
	"group_reporting",
	"exitall",
	"error_dump",
	"thread",
	"invalidate",
	"overwrite",
	"refill_buffers",
	"scramble_buffers",
	"random_generator",
};

/* fio keys iorace knows of and does not support (yet). */
static const char *const fio_unsupported[] = {
	"zonemode",
	"zonesize",
	"zonerange",
	"zoneskip",
	"bssplit",
	"iolog",
	"rate",
	"rate_iops",
	"rate_min",
	"thinktime",
	"file_service_type",
	"filename_format",
	"opendir",
	"lockfile",
	"mem",
	"iomem",
	"cpus_allowed",
	"cpumask",
	"nice",
	"prio",
	"exec_prerun",
	"exec_postrun",
	"loops",
	"percentage_random",
	"random_distribution",
	"fill_device",
	"fill_fs",
	"trim_percentage",
	"trim_backlog",
	"do_verify",
	"write_bw_log",
	"write_lat_log",
	"write_iops_log",
	"log_avg_msec",
	"kb_base",
	"unit_base",
	"offset_increment",
	"size_increment",
	"pre_read",
	"fadvise_hint",
	"fsync_on_close",
	"sync_file_range",
	"rw_sequencer",
	"serialize_overlap",
	"atomic",
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

const char *job_type_name(enum job_type t)
{
	return (unsigned)t < ARRAY_SIZE(type_names) && type_names[t] ?
		       type_names[t] :
		       "?";
}

/* fio's rw= values; the first six are enum io_pattern. */
enum { RWX_TRIM = RW_RANDRW + 1, RWX_RANDTRIM, RWX_TRIMWRITE, RWX_N };

static const struct {
	const char *name;
	int rw;
} rw_names[] = {
	{ "write", RW_WRITE },
	{ "randwrite", RW_RANDWRITE },
	{ "read", RW_READ },
	{ "randread", RW_RANDREAD },
	{ "rw", RW_RW },
	{ "readwrite", RW_RW },
	{ "randrw", RW_RANDRW },
	{ "trim", RWX_TRIM },
	{ "randtrim", RWX_RANDTRIM },
	{ "trimwrite", RWX_TRIMWRITE },
};

static const char *const rw_show[] = {
	[RW_WRITE] = "write",
	[RW_RANDWRITE] = "randwrite",
	[RW_READ] = "read",
	[RW_RANDREAD] = "randread",
	[RW_RW] = "rw",
	[RW_RANDRW] = "randrw",
	[RWX_TRIM] = "trim",
	[RWX_RANDTRIM] = "randtrim",
	[RWX_TRIMWRITE] = "trimwrite",
};

enum { ENG_DEFAULT, ENG_IO, ENG_FALLOC, ENG_FTRUNCATE };

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

/* The fio side of a job, kept while parsing and resolved in finish(). */
struct fio_job {
	int engine; /* ENG_* */
	int rw;	    /* -1 unset, else enum io_pattern or RWX_* */
	char filename[128];
	uint64_t io_size, filesize;
	unsigned size_pct; /* size=N%: of the file size; 0 = not given */
	unsigned numjobs;
	unsigned fsync_n, fdatasync_n;
	bool time_based, end_fsync, stonewall;
	char wait_for[64];
};

/* Parse-time bookkeeping for one job: where each key was set. */
struct job_keys {
	int line[K_NKEYS]; /* set in the job's own section */
	bool inh[K_NKEYS]; /* set by a [global] above it */
	bool has_type;
	struct fio_job f;
};

#define MAX_ERRORS    20
#define MAX_GLOBAL_KV 128

struct global_kv {
	char key[32];
	char *val;
	int line;
};

struct parser {
	struct json_object *secs; /* section name -> job index (a hash) */
	const char *path;
	char *err;
	size_t errlen, errused;
	unsigned nerr, nerr_dropped;
	struct workload *wl;
	int lineno;
	enum { SEC_NONE, SEC_GLOBAL, SEC_JOB } sec;
	bool replaying; /* applying [global] defaults to a new job */
	int gline[G_NKEYS];
	int fio_line[G_NKEYS]; /* fio-side workload keys seen in jobs */
	struct job_keys *jk;
	size_t jcap, jkcap;
	struct global_kv gkv[MAX_GLOBAL_KV]; /* job keys of [global]s */
	unsigned ngkv;
	int sec_key_line[K_NKEYS];  /* current [global]'s keys, for dups */
	struct job_keys scratch_jk; /* [global] values are checked on it */
	struct wl_job scratch;
	bool any_fio;
};

/*
 * Append "path:line: msg" to the error list (one per line, at most
 * MAX_ERRORS; the rest are counted). Always returns -1.
 */
static int perr(struct parser *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int perr(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;
	char buf[768];
	int n;

	if (p->replaying)
		return -1;
	if (p->nerr >= MAX_ERRORS) {
		p->nerr_dropped++;
		return -1;
	}
	p->nerr++;
	if (!p->err || !p->errlen)
		return -1;
	n = snprintf(buf, sizeof(buf), "%s:%d: ", p->path, line);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return -1;
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	n = snprintf(p->err + p->errused, p->errlen - p->errused, "%s%s",
		     p->errused ? "\n" : "", buf);
	if (n > 0)
		p->errused = MIN(p->errlen - 1, p->errused + (size_t)n);
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
		return perr(p, p->lineno, "%s: value too long (max %zu)", key,
			    dstlen - 1);
	strcpy(dst, val);
	return 0;
}

static int bad_value(struct parser *p, const char *key, const char *val,
		     const char *want)
{
	return perr(p, p->lineno, "%s: bad value '%s' (want %s)", key, val,
		    want);
}

/* ---- values: fio's sizes, arithmetic, percentages ---- */

struct expr {
	const char *s;
	bool bad;
};

static void expr_blank(struct expr *e)
{
	while (*e->s == ' ' || *e->s == '\t')
		e->s++;
}

static double expr_sum(struct expr *e);

/*
 * A number with fio's suffixes (kb_base=1024, fio's default): k/m/g/t/p
 * and kb/mb/... are powers of 1024; ki/kib/mi/mib/... are powers of 1000
 * (fio reads the IEC names backwards unless kb_base=1000).
 */
static double expr_atom(struct expr *e)
{
	static const char units[] = "kmgtp";
	const char *u;
	char *end;
	double v;

	expr_blank(e);
	if (*e->s == '(') {
		e->s++;
		v = expr_sum(e);
		expr_blank(e);
		if (*e->s != ')')
			e->bad = true;
		else
			e->s++;
		return v;
	}
	if (!isdigit((unsigned char)*e->s)) {
		e->bad = true;
		return 0;
	}
	errno = 0;
	if (e->s[0] == '0' && (e->s[1] == 'x' || e->s[1] == 'X'))
		v = (double)strtoull(e->s, &end, 16);
	else
		v = strtod(e->s, &end);
	if (errno || end == e->s) {
		e->bad = true;
		return 0;
	}
	e->s = end;
	u = *e->s ? strchr(units, tolower((unsigned char)*e->s)) : NULL;
	if (u) {
		unsigned pow = (unsigned)(u - units) + 1, i;
		double base = 1024;

		e->s++;
		if (tolower((unsigned char)*e->s) == 'i') {
			base = 1000;
			e->s++;
		}
		if (tolower((unsigned char)*e->s) == 'b')
			e->s++;
		for (i = 0; i < pow; i++)
			v *= base;
	} else if (tolower((unsigned char)*e->s) == 'b' &&
		   !isalnum((unsigned char)e->s[1])) {
		e->s++;
	}
	return v;
}

static double expr_prod(struct expr *e)
{
	double v = expr_atom(e), r;

	for (;;) {
		expr_blank(e);
		if (*e->s != '*' && *e->s != '/')
			return v;
		if (*e->s++ == '*') {
			v *= expr_atom(e);
		} else {
			r = expr_atom(e);
			if (r == 0)
				e->bad = true;
			else
				v /= r;
		}
	}
}

static double expr_sum(struct expr *e)
{
	double v = expr_prod(e);

	for (;;) {
		expr_blank(e);
		if (*e->s == '+') {
			e->s++;
			v += expr_prod(e);
		} else if (*e->s == '-' && e->s[1] != '\0' &&
			   (isdigit((unsigned char)e->s[1]) || e->s[1] == '(' ||
			    e->s[1] == ' ')) {
			e->s++;
			v -= expr_prod(e);
		} else {
			return v;
		}
	}
}

int workload_value(const char *s, uint64_t *out)
{
	struct expr e = { .s = s };
	double v;

	if (!s || !*s)
		return -1;
	v = expr_sum(&e);
	expr_blank(&e);
	if (e.bad || *e.s || v < 0 || v > 1.8e19 || v != floor(v))
		return -1;
	*out = (uint64_t)v;
	return 0;
}

/* A size or count value: fio's syntax, whole bytes. */
static int value_u64(const char *s, uint64_t *out)
{
	return workload_value(s, out);
}

/*
 * Durations: iorace's ns/us/ms/s/m, fio's bare seconds and h/d; an
 * arithmetic expression of plain numbers is seconds.
 */
static int value_duration(const char *s, uint64_t *ns)
{
	size_t n = strlen(s);
	uint64_t v;

	if (n > 1 && (s[n - 1] == 'h' || s[n - 1] == 'd') &&
	    isdigit((unsigned char)s[n - 2])) {
		char buf[64];

		if (n >= sizeof(buf))
			return -1;
		memcpy(buf, s, n - 1);
		buf[n - 1] = '\0';
		/* 1048576d was 9e19 ns, wrapped */
		if (parse_u64(buf,
			      UINT64_MAX / NSEC_PER_SEC /
				      (s[n - 1] == 'h' ? 3600 : 86400),
			      &v))
			return -1;
		*ns = v * (s[n - 1] == 'h' ? 3600 : 86400) * NSEC_PER_SEC;
		return 0;
	}
	if (!parse_duration(s, ns))
		return 0;
	if (!strchr(s, 'm') && !strchr(s, 's') && !workload_value(s, &v) &&
	    v < (1ull << 32)) {
		*ns = v * NSEC_PER_SEC;
		return 0;
	}
	return -1;
}

static int value_bool(const char *s, bool *b)
{
	uint64_t v;

	if (!parse_bool(s, b))
		return 0;
	if (!workload_value(s, &v) && v <= 1) {
		*b = v;
		return 0;
	}
	return -1;
}

/* ---- "did you mean" ---- */

static unsigned edit_distance(const char *a, const char *b)
{
	unsigned d[40], i, j, prev, tmp;
	size_t la = strlen(a), lb = strlen(b);

	if (la >= ARRAY_SIZE(d) || lb >= ARRAY_SIZE(d))
		return 99;
	for (j = 0; j <= lb; j++)
		d[j] = j;
	for (i = 1; i <= la; i++) {
		prev = d[0];
		d[0] = i;
		for (j = 1; j <= lb; j++) {
			unsigned best = prev + (a[i - 1] != b[j - 1]);

			tmp = d[j];
			best = MIN(best, d[j] + 1);
			best = MIN(best, d[j - 1] + 1);
			d[j] = best;
			prev = tmp;
		}
	}
	return d[lb];
}

static void consider(const char *key, const char *cand, const char **best,
		     unsigned *bestd)
{
	unsigned d = edit_distance(key, cand);

	if (d < *bestd) {
		*bestd = d;
		*best = cand;
	}
}

/* The known key nearest to key, or NULL when none is close. */
static const char *near_key(const char *key)
{
	const char *best = NULL;
	unsigned bestd = 99, i;

	for (i = 0; i < K_NKEYS; i++)
		consider(key, jkeys[i].name, &best, &bestd);
	for (i = 0; i < G_NKEYS; i++)
		consider(key, gkeys[i], &best, &bestd);
	for (i = 0; i < ARRAY_SIZE(fio_accepted); i++)
		consider(key, fio_accepted[i], &best, &bestd);
	if (bestd > 2 || bestd * 3 > strlen(key))
		return NULL;
	return best;
}

static bool in_list(const char *key, const char *const *l, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(l[i], key))
			return true;
	return false;
}

static bool is_accepted(const char *key)
{
	return in_list(key, fio_accepted, ARRAY_SIZE(fio_accepted)) ||
	       !strncmp(key, "verify", 6);
}

/* An accepted fio key; remember the ones a run should mention. */
static int accepted(struct parser *p, const char *key)
{
	if (!strncmp(key, "verify", 6))
		p->wl->fio_notes |= WL_NOTE_VERIFY;
	return 0;
}

static int unknown_key(struct parser *p, const char *key, const char *where)
{
	const char *near;

	if (in_list(key, fio_unsupported, ARRAY_SIZE(fio_unsupported)))
		return perr(p, p->lineno,
			    "%s: fio key '%s' is not supported by iorace", key,
			    key);
	near = near_key(key);
	if (near)
		return perr(p, p->lineno,
			    "%s: unknown key '%s' in %s (did you mean '%s'?)",
			    key, key, where, near);
	return perr(p, p->lineno, "%s: unknown key '%s' in %s", key, key,
		    where);
}

/* ---- workload ([global]) keys ---- */

static int gkey_index(const char *key)
{
	int k;

	for (k = 0; k < G_NKEYS; k++)
		if (!strcmp(gkeys[k], key))
			return k;
	return -1;
}

static int fallocate_value(const char *val, bool *b)
{
	if (!strcmp(val, "none") || !strcmp(val, "0")) {
		*b = false;
		return 0;
	}
	if (!strcmp(val, "native") || !strcmp(val, "posix") ||
	    !strcmp(val, "keep") || !strcmp(val, "1")) {
		*b = true;
		return 0;
	}
	return -1;
}

static int global_key(struct parser *p, int k, const char *key, const char *val)
{
	struct workload *wl = p->wl;
	uint64_t v;

	if (p->gline[k])
		return perr(p, p->lineno,
			    "%s: duplicate key '%s' (first at line %d)", key,
			    key, p->gline[k]);
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
		if (value_u64(val, &v) || v < 16 * MIB)
			return bad_value(p, key, val, "a size >= 16m");
		wl->image_size = v;
		return 0;
	case G_NRFILES:
		if (value_u64(val, &v) || !v || v > MAX_FILES)
			return bad_value(p, key, val, "1..1024");
		wl->nrfiles = v;
		return 0;
	case G_FILESIZE:
		if (value_u64(val, &v) || v % SECTOR_SIZE || v > (1ull << 44))
			return bad_value(p, key, val,
					 "a size, multiple of 512, <= 16t");
		wl->filesize = v;
		return 0;
	case G_FALLOCATE:
		if (fallocate_value(val, &wl->fallocate))
			return bad_value(p, key, val,
					 "0, 1, none, native, posix or keep");
		return 0;
	case G_POISON:
		if (value_bool(val, &wl->poison))
			return bad_value(p, key, val, "0 or 1");
		return 0;
	case G_WATCHDOG:
		if (value_duration(val, &v) || !v)
			return bad_value(p, key, val, "a duration > 0");
		wl->watchdog_ns = v;
		return 0;
	case G_SWARM:
		if (value_bool(val, &wl->swarm))
			return bad_value(p, key, val, "0 or 1");
		return 0;
	}
	return 0;
}

/* ---- job keys ---- */

static int parse_bs(struct parser *p, struct wl_job *j, const char *key,
		    const char *val)
{
	char buf[64], *dash, *comma;
	uint64_t lo, hi;

	if (strlen(val) >= sizeof(buf))
		return bad_value(p, key, val, "a size or a range like 4k-64k");
	strcpy(buf, val);
	/* fio's "read,write" form: the first (read) value stands for both */
	comma = strchr(buf, ',');
	if (comma)
		*comma = '\0';
	dash = strchr(buf, '-');
	if (!dash)
		dash = strchr(buf, ':');
	if (dash) {
		*dash = '\0';
		if (value_u64(trim(buf), &lo) || value_u64(trim(dash + 1), &hi))
			return bad_value(p, key, val,
					 "a size or a range like 4k-64k");
	} else {
		if (value_u64(trim(buf), &lo))
			return bad_value(p, key, val,
					 "a size or a range like 4k-64k");
		hi = lo;
	}
	if (!lo || !hi || lo > MAX_BS || hi > MAX_BS)
		return perr(p, p->lineno, "%s: '%s' out of range (512..64m)",
			    key, val);
	if (lo % SECTOR_SIZE || hi % SECTOR_SIZE)
		return perr(p, p->lineno, "%s: '%s' is not a multiple of 512",
			    key, val);
	if (lo > hi)
		return perr(p, p->lineno, "%s: range '%s' is reversed", key,
			    val);
	if (lo != hi && (hi / KIB4) * KIB4 < lo)
		return perr(p, p->lineno,
			    "%s: range '%s' holds no multiple of 4k", key, val);
	j->bs_min = lo;
	j->bs_max = hi;
	return 0;
}

static int ioengine_value(struct parser *p, struct wl_job *j, struct fio_job *f,
			  const char *val)
{
	static const char *const syncs[] = { "sync", "psync", "vsync", "pvsync",
					     "pvsync2" };

	if (!strcmp(val, "libaio") || !strcmp(val, "io_uring")) {
		f->engine = ENG_IO;
		strcpy(j->engine, val);
	} else if (in_list(val, syncs, ARRAY_SIZE(syncs))) {
		f->engine = ENG_IO;
		strcpy(j->engine, "sync");
	} else if (!strcmp(val, "falloc")) {
		f->engine = ENG_FALLOC;
	} else if (!strcmp(val, "ftruncate")) {
		f->engine = ENG_FTRUNCATE;
	} else {
		return perr(p, p->lineno,
			    "ioengine: fio engine '%s' is not supported by "
			    "iorace (want libaio, io_uring, sync, psync, "
			    "vsync, pvsync, pvsync2, falloc or ftruncate)",
			    val);
	}
	return 0;
}

static int rw_value(struct parser *p, struct wl_job *j, struct fio_job *f,
		    const char *val)
{
	char buf[32], *colon;
	uint64_t v;
	size_t i;

	if (strlen(val) >= sizeof(buf))
		return bad_value(p, "rw", val, "a fio rw= pattern");
	strcpy(buf, val);
	/* fio's rw=randread:8 (offset skip): accepted, the skip is not kept */
	colon = strchr(buf, ':');
	if (colon) {
		*colon = '\0';
		if (value_u64(colon + 1, &v))
			return bad_value(p, "rw", val, "PATTERN or PATTERN:N");
	}
	for (i = 0; i < ARRAY_SIZE(rw_names); i++)
		if (!strcmp(rw_names[i].name, buf))
			break;
	if (i == ARRAY_SIZE(rw_names))
		return bad_value(p, "rw", val,
				 "write, randwrite, read, randread, rw, "
				 "readwrite, randrw, trim, randtrim or "
				 "trimwrite");
	f->rw = rw_names[i].rw;
	if (f->rw < RWX_TRIM)
		j->rw = f->rw;
	return 0;
}

/*
 * read_iolog=/write_iolog=: one per workload, a path relative to the job
 * file's directory (replay/iolog.h).
 */
static int iolog_key(struct parser *p, char *dst, const char *key,
		     const char *val)
{
	char path[sizeof(p->wl->read_iolog)];
	const char *slash = strrchr(p->path, '/');

	if (!*val || strchr(val, ':'))
		return bad_value(p, key, val, "one iolog path");
	if (val[0] != '/' && slash)
		snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - p->path),
			 p->path, val);
	else
		snprintf(path, sizeof(path), "%s", val);
	if (dst[0] && strcmp(dst, path))
		return perr(p, p->lineno,
			    "%s: only one job of a workload may have an iolog "
			    "(already %s)",
			    key, dst);
	return set_str(p, dst, sizeof(p->wl->read_iolog), key, path);
}

static int job_key_set(struct parser *p, struct wl_job *j, struct job_keys *jk,
		       int k, const char *key, const char *val)
{
	struct fio_job *f = &jk->f;
	uint64_t v;
	bool b;

	switch (k) {
	case K_TYPE:
		for (v = 0; v < ARRAY_SIZE(type_names); v++)
			if (!strcmp(type_names[v], val))
				break;
		if (v == ARRAY_SIZE(type_names))
			return perr(
				p, p->lineno,
				"type: unknown job type '%s' (want io, truncate, "
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
	case K_IOENGINE:
		return ioengine_value(p, j, f, val);
	case K_DIRECT:
	case K_DSYNC:
	case K_KEEP_SIZE:
	case K_BUFFERED:
	case K_SYNC:
	case K_TIME_BASED:
	case K_STONEWALL:
	case K_END_FSYNC:
		if (value_bool(val, &b)) {
			/* fio's sync=sync|dsync|none */
			if (k == K_SYNC &&
			    (!strcmp(val, "sync") || !strcmp(val, "dsync"))) {
				j->dsync = true;
				return 0;
			}
			if (k == K_SYNC && !strcmp(val, "none")) {
				j->dsync = false;
				return 0;
			}
			return bad_value(p, key, val, "0 or 1");
		}
		if (k == K_DIRECT)
			j->direct = b;
		else if (k == K_BUFFERED)
			j->direct = !b;
		else if (k == K_DSYNC || k == K_SYNC)
			j->dsync = b;
		else if (k == K_KEEP_SIZE)
			j->keep_size = b;
		else if (k == K_TIME_BASED)
			f->time_based = b;
		else if (k == K_STONEWALL)
			f->stonewall = b;
		else
			f->end_fsync = b;
		return 0;
	case K_RW:
		return rw_value(p, j, f, val);
	case K_RWMIXREAD:
	case K_RWMIXWRITE:
		if (value_u64(val, &v) || v > 100)
			return bad_value(p, key, val, "0..100");
		j->rwmixread = k == K_RWMIXREAD ? v : 100 - v;
		return 0;
	case K_BS:
	case K_BSRANGE:
		return parse_bs(p, j, key, val);
	case K_BLOCKALIGN:
		if (value_u64(val, &v) || !v || v % SECTOR_SIZE)
			return bad_value(p, key, val, "a multiple of 512");
		return 0;
	case K_IODEPTH:
		if (value_u64(val, &v) || !v || v > MAX_IODEPTH)
			return bad_value(p, key, val, "1..65536");
		j->iodepth = v;
		return 0;
	case K_CONTEXTS:
		if (value_u64(val, &v) || !v || v > MAX_CONTEXTS)
			return bad_value(p, key, val, "1..1024");
		j->contexts = v;
		return 0;
	case K_NUMJOBS:
		if (value_u64(val, &v) || !v || v > 64)
			return bad_value(p, key, val, "1..64");
		f->numjobs = v;
		return 0;
	case K_NUMBER_IOS:
		if (value_u64(val, &v) || !v || v > (1ull << 32))
			return bad_value(p, key, val, "1..2^32");
		j->number_ios = v;
		return 0;
	case K_COUNT:
		if (value_u64(val, &v) || !v || v > (1u << 24))
			return bad_value(p, key, val, "1..2^24");
		j->count = v;
		return 0;
	case K_FSYNC:
	case K_FDATASYNC:
		if (value_u64(val, &v) || v > (1u << 24))
			return bad_value(p, key, val, "a count of writes");
		if (k == K_FSYNC)
			f->fsync_n = v;
		else
			f->fdatasync_n = v;
		return 0;
	case K_WHEN_INFLIGHT:
		if (value_u64(val, &v) || v > MAX_IODEPTH * 16ull)
			return bad_value(p, key, val, "a count");
		j->when_inflight = v;
		return 0;
	case K_RUNTIME:
	case K_START_DELAY:
	case K_STARTDELAY:
	case K_INTERVAL:
		if (value_duration(val, &v))
			return bad_value(p, key, val, "a duration like 100ms");
		if (k == K_RUNTIME)
			j->runtime_ns = v;
		else if (k == K_INTERVAL)
			j->interval_ns = v;
		else
			j->start_delay_ns = v;
		return 0;
	case K_FILENAME:
		if (strchr(val, ':'))
			return perr(p, p->lineno,
				    "filename: several files ('%s') are not "
				    "supported by iorace (one name per job)",
				    val);
		if (strchr(val, '$'))
			return perr(p, p->lineno,
				    "filename: fio's $jobname/$jobnum/"
				    "$filenum names are not supported");
		return set_str(p, f->filename, sizeof(f->filename), key, val);
	case K_DIRECTORY:
	case K_NAME:
		return 0; /* paths live on iorace's scratch fs */
	case K_READ_IOLOG:
	case K_WRITE_IOLOG:
		return iolog_key(p,
				 k == K_READ_IOLOG ? p->wl->read_iolog :
						     p->wl->write_iolog,
				 key, val);
	case K_WAIT_FOR:
		return set_str(p, f->wait_for, sizeof(f->wait_for), key, val);
	case K_SIZE:
		if (val[0] && val[strlen(val) - 1] == '%') {
			char buf[32];

			if (strlen(val) >= sizeof(buf))
				return bad_value(p, key, val, "N%");
			strcpy(buf, val);
			buf[strlen(buf) - 1] = '\0';
			if (parse_u64(buf, 100, &v) || !v)
				return bad_value(p, key, val, "1%..100%");
			f->size_pct = v;
			j->size = 0;
			return 0;
		}
		f->size_pct = 0;
		/* fall through */
	case K_OFFSET:
		if (k == K_OFFSET && !strcmp(val, "random")) {
			j->offset = WL_RANDOM_OFFSET;
			return 0;
		}
		/* fall through */
	case K_GROW_BACK:
	case K_LEN:
	case K_IO_SIZE:
		if (value_u64(val, &v) || v % SECTOR_SIZE || v > (1ull << 44))
			return bad_value(
				p, key, val,
				k == K_OFFSET ?
					"a size (multiple of 512) or 'random'" :
					"a size, multiple of 512");
		if (k == K_OFFSET)
			j->offset = v;
		else if (k == K_SIZE)
			j->size = v;
		else if (k == K_GROW_BACK)
			j->grow_back = v;
		else if (k == K_IO_SIZE)
			f->io_size = v;
		else
			j->len = v;
		return 0;
	}
	return 0;
}

static int jkey_index(const char *key)
{
	int k;

	for (k = 0; k < K_NKEYS; k++)
		if (!strcmp(jkeys[k].name, key))
			return k;
	/* fio's aliases */
	if (!strcmp(key, "readwrite"))
		return K_RW;
	if (!strcmp(key, "blocksize"))
		return K_BS;
	if (!strcmp(key, "blocksize_range"))
		return K_BSRANGE;
	if (!strcmp(key, "start_delay") || !strcmp(key, "startdelay"))
		return !strcmp(key, "startdelay") ? K_STARTDELAY :
						    K_START_DELAY;
	if (!strcmp(key, "timeout"))
		return K_RUNTIME;
	if (!strcmp(key, "ioengine"))
		return K_IOENGINE;
	return -1;
}

/* A fio job key in a job section; a workload key where fio has it too. */
static int job_key(struct parser *p, const char *key, const char *val)
{
	struct workload *wl = p->wl;
	struct wl_job *j = &wl->jobs[wl->njobs - 1];
	struct job_keys *jk = &p->jk[wl->njobs - 1];
	int k = jkey_index(key), g;
	uint64_t v;

	if (k < 0) {
		g = gkey_index(key);
		if (g == G_DESCRIPTION)
			return 0;
		if (g == G_FILESIZE) {
			if (value_u64(val, &v) || v % SECTOR_SIZE ||
			    v > (1ull << 44))
				return bad_value(p, key, val,
						 "a size, multiple of 512");
			jk->f.filesize = v;
			return 0;
		}
		if (g == G_FALLOCATE) {
			bool b;

			if (fallocate_value(val, &b))
				return bad_value(
					p, key, val,
					"0, 1, none, native, posix or keep");
			if (!p->replaying) {
				wl->fallocate = b;
				p->fio_line[g] = p->lineno;
			}
			return 0;
		}
		if (g == G_NRFILES) {
			if (value_u64(val, &v) || v != 1)
				return perr(p, p->lineno,
					    "nrfiles: %s files per job are not "
					    "supported (use filename= per job)",
					    val);
			return 0;
		}
		if (is_accepted(key))
			return accepted(p, key);
		if (g >= 0)
			return perr(p, p->lineno,
				    "%s: key '%s' is only valid in [global]",
				    key, key);
		return unknown_key(p, key, "a job section");
	}
	if (!p->replaying) {
		if (jk->line[k])
			return perr(p, p->lineno,
				    "%s: duplicate key '%s' (first at line %d)",
				    key, key, jk->line[k]);
		jk->line[k] = p->lineno;
	} else {
		jk->inh[k] = true;
	}
	return job_key_set(p, j, jk, k, key, val);
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

static void fio_defaults(struct fio_job *f)
{
	memset(f, 0, sizeof(*f));
	f->rw = -1;
	f->numjobs = 1;
}

/*
 * A key in [global]: a workload key, or a job key kept as a default for
 * every job below (checked now on a scratch job so that errors are
 * reported once, at this line).
 */
static int global_line(struct parser *p, const char *key, const char *val)
{
	int g = gkey_index(key), k = jkey_index(key);
	unsigned i;
	int rc;

	if (g >= 0 && (g != G_FALLOCATE || k < 0))
		return global_key(p, g, key, val);
	if (k >= 0) {
		if (p->sec_key_line[k])
			return perr(p, p->lineno,
				    "%s: duplicate key '%s' (first at line %d)",
				    key, key, p->sec_key_line[k]);
		p->sec_key_line[k] = p->lineno;
		job_defaults(&p->scratch);
		fio_defaults(&p->scratch_jk.f);
		if (job_key_set(p, &p->scratch, &p->scratch_jk, k, key, val))
			return -1;
		if (k == K_TYPE || k == K_FILE || k == K_STAGE)
			return perr(p, p->lineno,
				    "%s: iorace key '%s' belongs in a job "
				    "section",
				    key, key);
		for (i = 0; i < p->ngkv; i++)
			if (!strcmp(p->gkv[i].key, key))
				break;
		if (i == p->ngkv) {
			if (p->ngkv == MAX_GLOBAL_KV)
				return perr(p, p->lineno,
					    "too many [global] keys");
			p->ngkv++;
			snprintf(p->gkv[i].key, sizeof(p->gkv[i].key), "%s",
				 key);
		} else {
			free(p->gkv[i].val);
		}
		p->gkv[i].val = xstrdup(val);
		p->gkv[i].line = p->lineno;
		return 0;
	}
	if (is_accepted(key))
		return accepted(p, key);
	if (!p->wl->inj)
		p->wl->inj = xcalloc(1, sizeof(*p->wl->inj));
	{
		char why[256];

		rc = inject_set(p->wl->inj, key, val, why, sizeof(why));
		if (rc < 0)
			return perr(p, p->lineno, "%s: %s", key, why);
		if (rc > 0)
			return 0;
	}
	return unknown_key(p, key, "[global]");
}

static int section(struct parser *p, char *line)
{
	struct workload *wl = p->wl;
	char *end = strchr(line, ']');
	struct json_object *first;
	char *name;
	unsigned i;
	int rc = 0;

	if (!end || *trim(end + 1))
		return perr(p, p->lineno, "malformed section header");
	*end = '\0';
	name = trim(line + 1);
	if (!*name)
		return perr(p, p->lineno, "empty section name");
	if (!strcmp(name, "global")) {
		p->sec = SEC_GLOBAL;
		memset(p->sec_key_line, 0, sizeof(p->sec_key_line));
		return 0;
	}
	p->sec = SEC_JOB;
	if (strlen(name) >= sizeof(wl->jobs[0].name) - 4) {
		perr(p, p->lineno, "section name too long (max %zu)",
		     sizeof(wl->jobs[0].name) - 5);
		name[sizeof(wl->jobs[0].name) - 5] = '\0';
		rc = -1;
	}
	/* a hash lookup: a scan of all jobs per section was quadratic */
	if (!p->secs)
		p->secs = json_object_new_object();
	if (json_object_object_get_ex(p->secs, name, &first)) {
		i = (unsigned)json_object_get_int(first);
		rc = perr(p, p->lineno,
			  "duplicate section [%s] (first at line %d)", name,
			  wl->jobs[i].line);
	} else {
		json_object_object_add(p->secs, name,
				       json_object_new_int((int)wl->njobs));
	}
	grow_array((void **)&wl->jobs, &p->jcap, wl->njobs + 1,
		   sizeof(*wl->jobs));
	grow_array((void **)&p->jk, &p->jkcap, wl->njobs + 1, sizeof(*p->jk));
	job_defaults(&wl->jobs[wl->njobs]);
	memset(&p->jk[wl->njobs], 0, sizeof(*p->jk));
	fio_defaults(&p->jk[wl->njobs].f);
	strcpy(wl->jobs[wl->njobs].name, name);
	wl->jobs[wl->njobs].line = p->lineno;
	wl->njobs++;
	/* the [global] defaults above this job, in their order */
	p->replaying = true;
	for (i = 0; i < p->ngkv; i++)
		job_key(p, p->gkv[i].key, p->gkv[i].val);
	p->replaying = false;
	return rc;
}

/*
 * Cut an inline comment: ';' or '#' at the start of the value or after a
 * blank (fio's rule, so "a;b" in a description stays).
 */
static void cut_comment(char *val)
{
	char *s;

	for (s = val; *s; s++)
		if ((*s == ';' || *s == '#') &&
		    (s == val || s[-1] == ' ' || s[-1] == '\t')) {
			*s = '\0';
			return;
		}
}

/* ${VAR} from the environment; -1 with the variable named in why. */
static int expand_env(struct parser *p, const char *key, const char *in,
		      char *out, size_t outlen)
{
	size_t o = 0;

	while (*in) {
		if (in[0] == '$' && in[1] == '{') {
			const char *close = strchr(in, '}');
			char var[128];
			const char *v;
			size_t n;

			if (!close || (size_t)(close - in - 2) >= sizeof(var))
				return perr(p, p->lineno,
					    "%s: malformed ${VAR} in '%s'", key,
					    in);
			n = close - in - 2;
			memcpy(var, in + 2, n);
			var[n] = '\0';
			v = getenv(var);
			if (!v)
				return perr(p, p->lineno,
					    "%s: environment variable '%s' is "
					    "not set",
					    key, var);
			n = strlen(v);
			if (o + n >= outlen)
				return perr(p, p->lineno, "%s: value too long",
					    key);
			memcpy(out + o, v, n);
			o += n;
			in = close + 1;
			continue;
		}
		if (o + 1 >= outlen)
			return perr(p, p->lineno, "%s: value too long", key);
		out[o++] = *in++;
	}
	out[o] = '\0';
	return 0;
}

static int parse_line(struct parser *p, char *raw)
{
	char *line = trim(raw), *eq, *key, *val;
	char expanded[1024];

	if (!*line || *line == ';' || *line == '#')
		return 0;
	if (*line == '[') {
		cut_comment(line);
		return section(p, trim(line));
	}
	eq = strchr(line, '=');
	if (eq) {
		*eq = '\0';
		val = eq + 1;
		cut_comment(val);
		val = trim(val);
	} else {
		/* fio's valueless flags: "time_based" means time_based=1 */
		cut_comment(line);
		val = "1";
		if (strchr(trim(line), ' ') || strchr(line, '\t'))
			return perr(p, p->lineno,
				    "expected key=value, a flag or [section]");
	}
	key = trim(line);
	if (!*key)
		return perr(p, p->lineno, "missing key before '='");
	if (p->sec == SEC_NONE)
		return perr(p, p->lineno, "%s: key '%s' outside a section", key,
			    key);
	if (expand_env(p, key, val, expanded, sizeof(expanded)))
		return -1;
	if (p->sec == SEC_GLOBAL)
		return global_line(p, key, expanded);
	return job_key(p, key, expanded);
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

/* ---- fio jobs (no type=): resolved into iorace jobs ---- */

#define TIME_BASED_IOS 65536u

static bool key_set(const struct job_keys *jk, int k)
{
	return jk->line[k] || jk->inh[k];
}

static int file_index(struct workload *wl, const char *name)
{
	unsigned i;

	for (i = 0; i < wl->nfnames; i++)
		if (!strcmp(wl->fnames[i], name))
			return i;
	wl->fnames =
		xrealloc(wl->fnames, (wl->nfnames + 1) * sizeof(*wl->fnames));
	snprintf(wl->fnames[wl->nfnames], sizeof(*wl->fnames), "%s", name);
	return wl->nfnames++;
}

/* Append a job (a clone or a generated one); returns its index. */
static unsigned add_job(struct parser *p, const struct wl_job *j,
			const struct job_keys *jk)
{
	struct workload *wl = p->wl;

	grow_array((void **)&wl->jobs, &p->jcap, wl->njobs + 1,
		   sizeof(*wl->jobs));
	grow_array((void **)&p->jk, &p->jkcap, wl->njobs + 1, sizeof(*p->jk));
	wl->jobs[wl->njobs] = *j;
	if (jk)
		p->jk[wl->njobs] = *jk;
	else
		memset(&p->jk[wl->njobs], 0, sizeof(*p->jk));
	return wl->njobs++;
}

/* A racing fsync/fdatasync job standing for fio's fsync=N / end_fsync. */
static void add_sync_job(struct parser *p, const struct wl_job *src,
			 enum job_type t, unsigned count, uint64_t delay,
			 const char *why)
{
	struct wl_job s;

	job_defaults(&s);
	s.type = t;
	s.file = src->file;
	s.stage = src->stage;
	s.count = count ? count : 1;
	s.start_delay_ns = delay;
	s.line = src->line;
	snprintf(s.name, sizeof(s.name), "%.40s.%s", src->name,
		 t == JOB_FSYNC ? "fsync" : "fdsync");
	snprintf(s.fio, sizeof(s.fio), "%s", why);
	add_job(p, &s, NULL);
}

static uint64_t fio_region(const struct workload *wl, const struct wl_job *j)
{
	return region_len(wl, j);
}

/* The type, counts and defaults of one fio job. */
static int fio_job_shape(struct parser *p, struct wl_job *j,
			 struct job_keys *jk)
{
	struct workload *wl = p->wl;
	struct fio_job *f = &jk->f;
	uint64_t bytes, nios, avg;
	int rw = f->rw < 0 ? RW_READ : f->rw;

	if (!key_set(jk, K_DIRECT) && !key_set(jk, K_BUFFERED))
		j->direct = false; /* fio's default: buffered */
	if (f->rw < 0)
		j->rw = RW_READ; /* fio's default */
	if (!key_set(jk, K_IODEPTH))
		j->iodepth = 1;
	if (f->engine == ENG_DEFAULT && !key_set(jk, K_ENGINE))
		strcpy(j->engine, "sync"); /* fio's default: psync */
	if (f->size_pct) {
		uint64_t sz = wl->filesize * f->size_pct / 100;

		j->size = MAX(sz / j->bs_max * j->bs_max, j->bs_max);
	}
	bytes = f->io_size ? f->io_size : fio_region(wl, j);
	avg = ((uint64_t)j->bs_min + j->bs_max) / 2;
	nios = MAX(bytes / avg, (uint64_t)1);
	if (key_set(jk, K_NUMBER_IOS))
		nios = MIN(nios, j->number_ios);
	if (f->time_based) {
		if (!j->runtime_ns)
			return perr(
				p,
				jk->line[K_TIME_BASED] ?
					jk->line[K_TIME_BASED] :
					j->line,
				"time_based: job [%s] needs runtime=", j->name);
		nios = key_set(jk, K_NUMBER_IOS) ? j->number_ios :
						   TIME_BASED_IOS;
		j->time_based = true;
	}
	nios = MIN(nios, 1ull << 32);

	if (f->engine == ENG_FALLOC) {
		bool trim = rw == RWX_TRIM || rw == RWX_RANDTRIM;

		j->type = trim ? JOB_PUNCH : JOB_FALLOCATE;
		j->keep_size = rw == RW_READ || rw == RW_RANDREAD;
		j->count = MIN(nios, 1u << 24);
		j->len = j->bs_max;
		j->offset = WL_RANDOM_OFFSET;
		j->size = 0;
		snprintf(j->fio, sizeof(j->fio),
			 "ioengine=falloc rw=%s -> %s%s, %u ops of %u bytes",
			 rw_show[rw], type_names[j->type],
			 j->keep_size ? " keep_size" : "", j->count,
			 (unsigned)j->len);
		return 0;
	}
	if (f->engine == ENG_FTRUNCATE) {
		/* fio's ftruncate engine truncates on writes, fails reads */
		if (rw != RW_WRITE && rw != RW_RANDWRITE)
			return perr(p,
				    jk->line[K_RW] ? jk->line[K_RW] : j->line,
				    "rw: job [%s]: ioengine=ftruncate needs "
				    "rw=write or randwrite (fio fails %s with "
				    "EINVAL)",
				    j->name, rw_show[rw]);
		j->type = JOB_TRUNCATE;
		j->count = MIN(nios, 1u << 24);
		j->trunc_size = j->offset;
		j->grow_back = j->offset + fio_region(wl, j);
		j->offset = 0;
		j->size = 0;
		snprintf(j->fio, sizeof(j->fio),
			 "ioengine=ftruncate -> truncate to %llu and back to "
			 "%llu, %u times",
			 (unsigned long long)j->trunc_size,
			 (unsigned long long)j->grow_back, j->count);
		return 0;
	}
	if (rw == RWX_TRIM || rw == RWX_RANDTRIM) {
		j->type = JOB_PUNCH;
		j->count = MIN(nios, 1u << 24);
		j->len = j->bs_max;
		j->offset = WL_RANDOM_OFFSET;
		j->size = 0;
		snprintf(j->fio, sizeof(j->fio),
			 "rw=%s -> punch, %u ops of %u bytes", rw_show[rw],
			 j->count, (unsigned)j->len);
		return 0;
	}
	j->type = JOB_IO;
	if (rw == RWX_TRIMWRITE)
		j->rw = RW_WRITE;
	j->number_ios = nios;
	snprintf(j->fio, sizeof(j->fio), "%s rw=%s -> io %s %s%s, %llu ios%s",
		 j->engine, rw_show[rw], rw_show[j->rw],
		 j->direct ? "direct" : "buffered", j->dsync ? " dsync" : "",
		 (unsigned long long)nios,
		 j->time_based ? " (time_based cap)" : "");
	return 0;
}

static int fio_stage(struct parser *p, unsigned n0, unsigned i, unsigned *cur,
		     unsigned *maxst)
{
	struct wl_job *j = &p->wl->jobs[i];
	struct job_keys *jk = &p->jk[i];
	unsigned w;

	if (jk->f.wait_for[0]) {
		for (w = 0; w < i && w < n0; w++)
			if (!strcmp(p->wl->jobs[w].name, jk->f.wait_for))
				break;
		if (w == i || w >= n0)
			return perr(p,
				    jk->line[K_WAIT_FOR] ?
					    jk->line[K_WAIT_FOR] :
					    j->line,
				    "wait_for: no job [%s] before [%s]",
				    jk->f.wait_for, j->name);
		*cur = p->wl->jobs[w].stage + 1;
	} else if (jk->f.stonewall && i > 0) {
		*cur = *maxst + 1;
	}
	if (*cur > 63)
		return perr(p, j->line, "job [%s]: more than 64 stages",
			    j->name);
	j->stage = *cur;
	*maxst = MAX(*maxst, *cur);
	return 0;
}

static int fio_resolve(struct parser *p)
{
	struct workload *wl = p->wl;
	unsigned n0 = wl->njobs, i, c, cur = 0, maxst = 0;
	uint64_t need = 0;
	int ret = 0;

	for (i = 0; i < n0; i++) {
		struct job_keys *jk = &p->jk[i];

		if (jk->has_type) {
			if (jk->f.engine == ENG_FALLOC ||
			    jk->f.engine == ENG_FTRUNCATE)
				ret = perr(p,
					   jk->line[K_IOENGINE] ?
						   jk->line[K_IOENGINE] :
						   wl->jobs[i].line,
					   "ioengine: falloc/ftruncate jobs "
					   "take no type=");
			if (jk->f.rw >= RWX_TRIM)
				ret = perr(p,
					   jk->line[K_RW] ? jk->line[K_RW] :
							    wl->jobs[i].line,
					   "rw: trim patterns need a job "
					   "without type= (or type=punch)");
			maxst = MAX(maxst, wl->jobs[i].stage);
			continue;
		}
		p->any_fio = true;
		if (jk->f.filesize)
			need = MAX(need, jk->f.filesize);
		else if (wl->jobs[i].size)
			need = MAX(need, wl->jobs[i].offset + wl->jobs[i].size);
	}
	for (i = 0; i < n0; i++)
		if (p->jk[i].f.filename[0])
			p->any_fio = true;
	if (!p->any_fio)
		return ret;
	wl->fio = true;
	if (p->gline[G_NRFILES] && wl->nrfiles > 1)
		ret = perr(p, p->gline[G_NRFILES],
			   "nrfiles: %u files per fio job are not supported "
			   "(use filename= per job)",
			   wl->nrfiles);
	if (need && !p->gline[G_FILESIZE])
		wl->filesize = round_up(need, KIB4);
	else if (need)
		wl->filesize = MAX(wl->filesize, round_up(need, KIB4));
	if (!p->gline[G_FALLOCATE] && !p->fio_line[G_FALLOCATE])
		wl->fallocate = true; /* fio's default fallocate=native */

	for (i = 0; i < n0; i++) {
		struct wl_job *j = &wl->jobs[i];
		struct job_keys *jk = &p->jk[i];
		char fname[160];

		if (!jk->has_type) {
			if (fio_job_shape(p, j, jk)) {
				ret = -1;
				continue;
			}
			if (fio_stage(p, n0, i, &cur, &maxst))
				ret = -1;
		}
		if (jk->f.filename[0])
			j->file = file_index(wl, jk->f.filename);
		else if (!jk->has_type && !jk->line[K_FILE]) {
			snprintf(fname, sizeof(fname), "%s.0.0", j->name);
			j->file = file_index(wl, fname);
		}
	}
	/* numjobs: clones; each its own file unless filename= is shared */
	for (i = 0; i < n0; i++) {
		struct job_keys jk = p->jk[i];

		for (c = 1; c < jk.f.numjobs; c++) {
			struct wl_job cl = wl->jobs[i];
			char fname[160];

			snprintf(cl.name, sizeof(cl.name), "%.58s.%u",
				 wl->jobs[i].name, c % 100);
			if (!jk.f.filename[0] && !jk.has_type &&
			    !jk.line[K_FILE]) {
				snprintf(fname, sizeof(fname), "%s.%u.0",
					 wl->jobs[i].name, c);
				cl.file = file_index(wl, fname);
			}
			add_job(p, &cl, &jk);
		}
	}
	/* fsync=N / fdatasync=N / end_fsync: racing syncs on the same file */
	for (i = 0; i < wl->njobs; i++) {
		struct wl_job j = wl->jobs[i];
		struct fio_job f = p->jk[i].f;

		if (p->jk[i].has_type || !f.numjobs || j.type != JOB_IO ||
		    !job_writes(&j))
			continue;
		if (f.fsync_n || f.fdatasync_n || f.end_fsync)
			wl->fio_notes |= WL_NOTE_SYNC;
		if (f.fsync_n)
			add_sync_job(p, &j, JOB_FSYNC,
				     MIN(j.number_ios / f.fsync_n, 1u << 24), 0,
				     "fsync=N -> racing fsync ops");
		if (f.fdatasync_n)
			add_sync_job(
				p, &j, JOB_FDATASYNC,
				MIN(j.number_ios / f.fdatasync_n, 1u << 24), 0,
				"fdatasync=N -> racing fdatasync ops");
		if (f.end_fsync)
			add_sync_job(p, &j, JOB_FSYNC, 1, j.runtime_ns,
				     "end_fsync -> one racing fsync");
		if (f.rw == RWX_TRIMWRITE) {
			struct wl_job t = j;

			t.type = JOB_PUNCH;
			t.count = MIN(j.number_ios, 1u << 24);
			t.len = j.bs_max;
			t.offset = WL_RANDOM_OFFSET;
			t.size = 0;
			snprintf(t.name, sizeof(t.name), "%.40s.trim", j.name);
			snprintf(t.fio, sizeof(t.fio),
				 "rw=trimwrite -> racing punch ops");
			add_job(p, &t, NULL);
		}
	}
	if (wl->nfnames > wl->nrfiles)
		wl->nrfiles = wl->nfnames;
	if (wl->nrfiles > MAX_FILES)
		return perr(p, p->lineno, "more than %u files", MAX_FILES);
	return ret;
}

static int check_job(struct parser *p, struct wl_job *j, struct job_keys *jk)
{
	struct workload *wl = p->wl;
	unsigned k;

	if (jk->has_type)
		for (k = 0; k < K_NKEYS; k++)
			if (jk->line[k] && !(jkeys[k].types & T(j->type)))
				return perr(p, jk->line[k],
					    "%s: key '%s' is not valid for "
					    "type=%s",
					    jkeys[k].name, jkeys[k].name,
					    type_names[j->type]);
	if (j->file != WL_ALL_FILES && (unsigned)j->file >= wl->nrfiles)
		return perr(p, jk->line[K_FILE], "file: file=%d but nrfiles=%u",
			    j->file, wl->nrfiles);
	if (j->type != JOB_IO && j->file == WL_ALL_FILES)
		return perr(p, jk->line[K_FILE],
			    "file: file=all is only valid for io jobs");
	if (j->type == JOB_IO) {
		if (j->offset == WL_RANDOM_OFFSET)
			return perr(p, jk->line[K_OFFSET],
				    "offset: offset=random is not valid for "
				    "io jobs");
		if (region_len(wl, j) < j->bs_max)
			return perr(p, j->size ? jk->line[K_SIZE] : j->line,
				    "job [%s]: region (offset %llu, size %llu) "
				    "holds no %u-byte block%s",
				    j->name, (unsigned long long)j->offset,
				    (unsigned long long)region_len(wl, j),
				    j->bs_max, j->size ? "" : " (set size=)");
	}
	if ((T(j->type) & T_RANGE) && !j->len &&
	    (j->offset == WL_RANDOM_OFFSET || j->offset >= wl->filesize ||
	     (T(j->type) & T_SHIFT)))
		return perr(p, j->line, "job [%s]: needs len=", j->name);
	if ((T(j->type) & T_SHIFT) &&
	    ((j->offset != WL_RANDOM_OFFSET && j->offset % KIB4) ||
	     j->len % KIB4))
		return perr(p, j->line,
			    "job [%s]: %s offset and len must be "
			    "multiples of 4k",
			    j->name, type_names[j->type]);
	return 0;
}

static int finish(struct parser *p)
{
	char lim[512];
	struct workload *wl = p->wl;
	int ret = 0;
	unsigned i;

	if (wl->swarm) {
		if (wl->njobs)
			return perr(p, wl->jobs[0].line,
				    "swarm=1 workloads have no job sections "
				    "(jobs are drawn from the seed)");
		return 0;
	}
	if (!wl->njobs)
		return perr(p, p->lineno, "no job sections");
	if (wl->read_iolog[0] && wl->njobs > 1)
		return perr(p, wl->jobs[1].line,
			    "read_iolog: a job replaying an iolog must be the "
			    "workload's only job (its ops come from the log)");
	if (fio_resolve(p))
		ret = -1;
	for (i = 0; i < wl->njobs; i++) {
		struct wl_job *j = &wl->jobs[i];
		struct job_keys *jk = &p->jk[i];

		if (!jk->has_type && !jk->f.numjobs)
			continue; /* generated by fio_resolve, checked there */
		if (j->type != JOB_IO && !jk->line[K_FILE] && jk->has_type)
			j->file = 0;
		if (j->type == JOB_TRUNCATE && jk->has_type) {
			j->trunc_size = j->size;
			j->size = 0;
		}
		if (check_job(p, j, jk))
			ret = -1;
	}
	if (ret)
		return ret;
	if (!wl->image_size)
		wl->image_size = round_up(2 * files_extent(wl), MIB) + 64 * MIB;
	if (workload_check_limits(wl, lim, sizeof(lim)))
		return perr(p, p->lineno, "%s", lim);
	else if (wl->image_size < files_extent(wl))
		return perr(p, p->gline[G_IMAGE_SIZE],
			    "image_size: too small for the files (need >= "
			    "%llu)",
			    (unsigned long long)files_extent(wl));
	return 0;
}

static void set_name(struct workload *wl, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 4 &&
	    (!strcmp(base + n - 4, ".job") || !strcmp(base + n - 4, ".fio")))
		n -= 4;
	if (n >= sizeof(wl->name))
		n = sizeof(wl->name) - 1;
	memcpy(wl->name, base, n);
	wl->name[n] = '\0';
}

int workload_parse_string(const char *text, const char *name,
			  struct workload *wl, char *err, size_t errlen)
{
	struct parser *p = xcalloc(1, sizeof(*p));
	char *buf, *line, *next;
	int ret = 0;
	unsigned i;

	p->path = name;
	p->err = err;
	p->errlen = errlen;
	p->wl = wl;
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
	for (line = buf; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else if (!*line)
			break; /* nothing after the final newline */
		p->lineno++;
		if (parse_line(p, line))
			ret = -1;
	}
	if (finish(p))
		ret = -1;
	if (p->nerr_dropped && err && errlen) {
		size_t n = strlen(err);

		snprintf(err + n, errlen - n, "\n%s: ... and %u more errors",
			 name, p->nerr_dropped);
	}
	free(buf);
	for (i = 0; i < p->ngkv; i++)
		free(p->gkv[i].val);
	free(p->jk);
	json_object_put(p->secs);
	free(p);
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
	free(wl->fnames);
	wl->fnames = NULL;
	wl->nfnames = 0;
	wl->njobs = 0;
	free(wl->swarm_text);
	wl->swarm_text = NULL;
}

void workload_print_notes(const struct workload *wl, FILE *f)
{
	if (wl->fio_notes & WL_NOTE_VERIFY)
		fprintf(f, "note: fio verify* keys are accepted and not used: "
			   "iorace verifies every sector anyway\n");
	if (wl->fio_notes & WL_NOTE_SYNC)
		fprintf(f, "note: fio fsync=N/fdatasync=N/end_fsync are "
			   "approximated by racing sync jobs on the same file "
			   "(not after every N writes)\n");
}

/* x * f rounded to the nearest multiple of a, at least a when x > 0. */
static uint64_t scale_size(uint64_t x, double f, uint64_t a, bool *ovf)
{
	double v = (double)x * f / (double)a;
	uint64_t r;

	if (!x)
		return 0;
	if (!(v * (double)a <= (double)WL_MAX_BYTES)) {
		*ovf = true;
		return a;
	}
	r = (uint64_t)llround(v) * a;
	return r ? r : a;
}

/* x * f rounded down to a multiple of a. */
static uint64_t scale_off(uint64_t x, double f, uint64_t a, bool *ovf)
{
	if (!((double)x * f <= (double)WL_MAX_BYTES)) {
		*ovf = true;
		return 0;
	}
	return (uint64_t)((double)x * f / (double)a) * a;
}

static uint64_t scale_count(uint64_t x, double f, bool *ovf)
{
	double v = (double)x * f;

	if (!(v <= (double)WL_MAX_OPS)) {
		*ovf = true;
		return 1;
	}
	return v < 1.0 ? 1 : (uint64_t)llround(v);
}

int workload_check_limits(const struct workload *wl, char *err, size_t errlen)
{
	uint64_t total = 0, n;
	unsigned i;

	for (i = 0; i < wl->njobs; i++) {
		const struct wl_job *j = &wl->jobs[i];
		bool io = j->type == JOB_IO;

		n = io ? j->number_ios : j->count;
		if (!io && n) {
			uint64_t last;

			if (__builtin_mul_overflow(n - 1, j->interval_ns,
						   &last) ||
			    __builtin_add_overflow(last, j->start_delay_ns,
						   &last) ||
			    last > WL_MAX_AT_NS) {
				snprintf(err, errlen,
					 "%s: job [%s]: start_delay + (count - "
					 "1) * interval beyond %llu s",
					 wl->name, j->name,
					 (unsigned long long)(WL_MAX_AT_NS /
							      NSEC_PER_SEC));
				return -1;
			}
		}
		total += n;
		if (n > WL_MAX_OPS || total > WL_MAX_OPS) {
			snprintf(err, errlen,
				 "%s: job [%s]: %s: %llu ops, %llu in all "
				 "jobs so far: more than the limit of %llu "
				 "planned ops",
				 wl->name, j->name, io ? "number_ios" : "count",
				 (unsigned long long)n,
				 (unsigned long long)total,
				 (unsigned long long)WL_MAX_OPS);
			return -1;
		}
	}
	if (wl->filesize > WL_MAX_BYTES || wl->image_size > WL_MAX_BYTES ||
	    files_extent(wl) > WL_MAX_BYTES) {
		snprintf(err, errlen,
			 "%s: filesize %llu / image_size %llu: files or "
			 "image larger than %llu bytes",
			 wl->name, (unsigned long long)wl->filesize,
			 (unsigned long long)wl->image_size,
			 (unsigned long long)WL_MAX_BYTES);
		return -1;
	}
	return 0;
}

int workload_scale(struct workload *wl, double f, char *err, size_t errlen)
{
	uint64_t old_filesize = wl->filesize;
	uint64_t floor;
	bool ovf = false;
	unsigned i;

	if (!isfinite(f) || !(f > 0) || f > WL_MAX_SCALE) {
		snprintf(err, errlen, "%s: scale %g: not in (0, %g]", wl->name,
			 f, WL_MAX_SCALE);
		return -1;
	}
	if (f == 1.0)
		return workload_check_limits(wl, err, errlen);
	wl->filesize = scale_size(wl->filesize, f, KIB4, &ovf);
	for (i = 0; i < wl->njobs; i++) {
		struct wl_job *j = &wl->jobs[i];

		if (j->type == JOB_IO) {
			uint64_t a = j->bs_max;
			bool fit =
				j->size && j->offset + j->size <= old_filesize;

			j->number_ios = scale_count(j->number_ios, f, &ovf);
			if (j->time_based)
				j->runtime_ns = MAX(
					(uint64_t)MIN((double)j->runtime_ns * f,
						      1e18),
					(uint64_t)500 * NSEC_PER_MSEC);
			j->offset = scale_off(j->offset, f, a, &ovf);
			j->size = scale_size(j->size, f, a, &ovf);
			if (fit && j->offset + j->size > wl->filesize) {
				if (wl->filesize >= j->offset + a)
					j->size = (wl->filesize - j->offset) /
						  a * a;
				else
					j->offset = 0;
			}
			if (!j->size && region_len(wl, j) < a)
				j->size = a;
			continue;
		}
		j->count = scale_count(j->count, f, &ovf);
		/* a truncate size's sectors inside its 4 KiB block are kept:
		 * they are what makes a truncate end mid-block */
		j->trunc_size =
			scale_size(j->trunc_size & ~(KIB4 - 1), f, KIB4, &ovf) +
			(j->trunc_size & (KIB4 - 1));
		j->grow_back = scale_size(j->grow_back, f, KIB4, &ovf);
		if (T(j->type) & T_RANGE) {
			bool fit = j->offset != WL_RANDOM_OFFSET &&
				   j->offset + j->len <= old_filesize;

			j->len = scale_size(j->len, f, KIB4, &ovf);
			if (j->offset != WL_RANDOM_OFFSET)
				j->offset = scale_off(j->offset, f, KIB4, &ovf);
			if (fit && j->offset + j->len > wl->filesize)
				j->offset = wl->filesize > j->len ?
						    (wl->filesize - j->len) /
							    KIB4 * KIB4 :
						    0;
		}
	}
	if (!ovf && !((double)wl->image_size * f <= (double)WL_MAX_BYTES))
		ovf = true;
	if (ovf) {
		snprintf(err, errlen,
			 "%s: scale %g: a size or count overflows (sizes "
			 "<= %llu bytes, <= %llu ops)",
			 wl->name, f, (unsigned long long)WL_MAX_BYTES,
			 (unsigned long long)WL_MAX_OPS);
		return -1;
	}
	wl->image_size = round_up((uint64_t)((double)wl->image_size * f), MIB);
	floor = round_up(2 * files_extent(wl), MIB) + 32 * MIB;
	if (wl->image_size < floor)
		wl->image_size = floor;
	return workload_check_limits(wl, err, errlen);
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
		len = snprintf(path, sizeof(path), "%s/%s%s", dirs[i], arg,
			       ext);
		if (len < 0 || (size_t)len >= sizeof(path) || !is_file(path))
			continue;
		len = snprintf(out, outlen, "%s", path);
		return len < 0 || (size_t)len >= outlen ? -1 : 0;
	}
	return -1;
}
