// SPDX-License-Identifier: GPL-2.0
/*
 * The planner: every op of a run, generated from (workload, seed) alone.
 *
 * Order and ids. Ops are generated stage by stage; within a stage job by job
 * in file order; within a job context by context; within a context in
 * execution order. Ids are dense from 1 in that order. Each (job, context)
 * with at least one op is a stream; streams are listed in the same order.
 *
 * Randomness. Each stream draws from its own splitmix64 state derived from
 * (seed, job index, context), so editing one job does not reshuffle the
 * others.
 *
 * I/O jobs (contexts C, number_ios N): context c gets N/C ops, plus one when
 * c < N%C. The region is [offset, offset + (size ? size : filesize -
 * offset)); offsets are aligned to bs (to 4 KiB when bs is a range, in which
 * case each op's length is a random multiple of 4 KiB in the range). rand*
 * patterns pick a uniform aligned offset such that the op fits in the
 * region; write/read/rw go sequentially from region start + c*region/C,
 * wrapping to the region start. rw/randrw pick read with probability
 * rwmixread%. file=all picks a uniform file per op. Flags: OPF_DIRECT when
 * direct=1, OPF_DSYNC on writes when dsync=1. at_ns is 0.
 *
 * Racing-op jobs: one stream (ctx 0) of count ops, op i at start_delay +
 * i*interval from the stage start. truncate: off = target size, len 0,
 * grow = grow_back. fallocate/punch/zero_range: off/len (len 0 = to the end
 * of the file; offset=random: a uniform 4 KiB-aligned offset in [0, filesize
 * - len] per op), OPF_KEEP_SIZE when keep_size=1 (always for punch).
 * collapse_range/insert_range: off/len likewise (len given; a random
 * collapse offset is in [0, filesize - len - 4 KiB] so that it stops short
 * of the initial EOF), never OPF_KEEP_SIZE.
 * fsync/fdatasync: off = len = 0. when_inflight is copied to every op.
 *
 * Op log format (text, one op per line, '#' starts a comment line):
 *
 *   # iorace oplog v1 workload=NAME seed=N
 *   op ID job=J ctx=C stage=S kind=KIND file=F off=BYTES len=BYTES flags=F
 * at=NS [inflight=N] [grow=BYTES]
 *
 * The header must be the first non-blank line. Numbers are decimal. KIND is
 * write, read, truncate, fallocate, punch, zero_range, fsync, fdatasync,
 * collapse_range or insert_range.
 * flags is 0 or a '|' list of direct, dsync, keep_size, verify. inflight and
 * grow are written only when non-zero. Ids are strictly increasing. A
 * recorded log lists the executed ops in id order. Streams are rebuilt from
 * (job, ctx) in order of first appearance; all ops of a stream must share
 * one stage. Errors are reported as "path:line: why".
 */
#include "replay/plan.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

#define KIB4	   4096ull
#define MAX_STAGES 65536u
/* an op log's read or write: at most bs='s limit (replay/workload.c) */
#define OPLOG_MAX_IO (64ull << 20)

static const struct {
	uint32_t bit;
	const char *name;
} flag_names[] = {
	{ OPF_DIRECT, "direct" },
	{ OPF_DSYNC, "dsync" },
	{ OPF_KEEP_SIZE, "keep_size" },
	{ OPF_VERIFY, "verify" },
};

struct builder {
	struct plan *p;
	size_t opcap, scap;
};

static struct plan_op *new_op(struct builder *b)
{
	struct plan *p = b->p;
	struct plan_op *op;

	grow_array((void **)&p->ops, &b->opcap, p->nops + 1, sizeof(*p->ops));
	op = &p->ops[p->nops];
	memset(op, 0, sizeof(*op));
	op->id = p->nops + 1;
	p->nops++;
	return op;
}

/* Close the stream of ops [first, p->nops) if it is not empty. */
static void end_stream(struct builder *b, size_t first, uint32_t job,
		       uint32_t ctx, uint32_t stage)
{
	struct plan *p = b->p;
	struct plan_stream *s;
	size_t i;

	if (p->nops == first)
		return;
	grow_array((void **)&p->streams, &b->scap, p->nstreams + 1,
		   sizeof(*p->streams));
	s = &p->streams[p->nstreams++];
	s->job = job;
	s->ctx = ctx;
	s->stage = stage;
	s->n = p->nops - first;
	s->idx = xcalloc(s->n, sizeof(*s->idx));
	for (i = 0; i < s->n; i++)
		s->idx[i] = first + i;
}

static uint64_t stream_seed(uint64_t seed, uint32_t job, uint32_t ctx)
{
	uint64_t st =
		seed ^ ((uint64_t)job << 32 | ctx) * 0xd1b54a32d192ed03ull;

	splitmix64(&st);
	return st;
}

static uint64_t io_region_len(const struct workload *wl, const struct wl_job *j)
{
	if (j->size)
		return j->size;
	return wl->filesize > j->offset ? wl->filesize - j->offset : 0;
}

static int build_io(struct builder *b, const struct workload *wl,
		    const struct wl_job *j, uint32_t ji)
{
	bool range = j->bs_min != j->bs_max;
	uint64_t a = range ? KIB4 : j->bs_min;
	uint64_t base = (j->offset + a - 1) / a * a;
	uint64_t end = j->offset + io_region_len(wl, j);
	uint64_t lo = (j->bs_min + KIB4 - 1) / KIB4 * KIB4;
	uint64_t hi = j->bs_max / KIB4 * KIB4;
	bool rand = j->rw == RW_RANDWRITE || j->rw == RW_RANDREAD ||
		    j->rw == RW_RANDRW;
	uint32_t c;

	if (range && hi > end - MIN(end, base))
		hi = (end - MIN(end, base)) / KIB4 * KIB4;
	if (end < base + (range ? lo : a) || (range && hi < lo)) {
		warnx_("%s: job [%s]: region too small for bs", wl->name,
		       j->name);
		return -1;
	}
	for (c = 0; c < j->contexts; c++) {
		uint64_t n = j->number_ios / j->contexts +
			     (c < j->number_ios % j->contexts);
		uint64_t st = stream_seed(b->p->seed, ji, c);
		uint64_t span = end - base;
		uint64_t cur = base + (uint64_t)((unsigned __int128)span * c /
						 j->contexts) /
					      a * a;
		size_t first = b->p->nops;
		uint64_t i;

		for (i = 0; i < n; i++) {
			struct plan_op *op = new_op(b);
			uint64_t len = a;

			op->job = ji;
			op->ctx = c;
			op->stage = j->stage;
			if (j->rw == RW_WRITE || j->rw == RW_RANDWRITE)
				op->kind = OP_WRITE;
			else if (j->rw == RW_READ || j->rw == RW_RANDREAD)
				op->kind = OP_READ;
			else
				op->kind = rand_below(&st, 100) < j->rwmixread ?
						   OP_READ :
						   OP_WRITE;
			op->file = j->file == WL_ALL_FILES ?
					   rand_below(&st, wl->nrfiles) :
					   (uint32_t)j->file;
			if (range)
				len = lo +
				      rand_below(&st, (hi - lo) / KIB4 + 1) *
					      KIB4;
			if (rand) {
				op->off =
					base +
					rand_below(&st,
						   (end - base - len) / a + 1) *
						a;
			} else {
				if (cur + len > end)
					cur = base;
				op->off = cur;
				cur += len;
			}
			op->len = len;
			if (j->direct)
				op->flags |= OPF_DIRECT;
			if (j->dsync && op->kind == OP_WRITE)
				op->flags |= OPF_DSYNC;
		}
		end_stream(b, first, ji, c, j->stage);
	}
	return 0;
}

static void build_racing(struct builder *b, const struct workload *wl,
			 const struct wl_job *j, uint32_t ji)
{
	uint64_t st = stream_seed(b->p->seed, ji, 0);
	size_t first = b->p->nops;
	unsigned i;

	for (i = 0; i < j->count; i++) {
		struct plan_op *op = new_op(b);

		op->job = ji;
		op->ctx = 0;
		op->stage = j->stage;
		op->file = j->file;
		op->at_ns = j->start_delay_ns + (uint64_t)i * j->interval_ns;
		op->when_inflight = j->when_inflight;
		switch (j->type) {
		case JOB_TRUNCATE:
			op->kind = OP_TRUNCATE;
			op->off = j->trunc_size;
			op->grow = j->grow_back;
			break;
		case JOB_FSYNC:
			op->kind = OP_FSYNC;
			break;
		case JOB_FDATASYNC:
			op->kind = OP_FDATASYNC;
			break;
		default:
			op->kind = j->type == JOB_FALLOCATE ? OP_FALLOCATE :
				   j->type == JOB_PUNCH	    ? OP_PUNCH :
				   j->type == JOB_COLLAPSE  ? OP_COLLAPSE :
				   j->type == JOB_INSERT    ? OP_INSERT :
							      OP_ZERO_RANGE;
			op->len = j->len;
			if (j->offset == WL_RANDOM_OFFSET) {
				uint64_t need =
					op->len +
					(j->type == JOB_COLLAPSE ? KIB4 : 0);
				uint64_t room = wl->filesize > need ?
							wl->filesize - need :
							0;

				op->off =
					rand_below(&st, room / KIB4 + 1) * KIB4;
			} else {
				op->off = j->offset;
			}
			if (!op->len)
				op->len = wl->filesize > op->off ?
						  wl->filesize - op->off :
						  KIB4;
			if ((j->keep_size || j->type == JOB_PUNCH) &&
			    j->type != JOB_COLLAPSE && j->type != JOB_INSERT)
				op->flags |= OPF_KEEP_SIZE;
			break;
		}
	}
	end_stream(b, first, ji, 0, j->stage);
}

int plan_build(const struct workload *wl, uint64_t seed, struct plan *p)
{
	struct builder b = { .p = p };
	unsigned maxstage = 0, s, i;

	memset(p, 0, sizeof(*p));
	p->seed = seed;
	snprintf(p->workload, sizeof(p->workload), "%s", wl->name);
	for (i = 0; i < wl->njobs; i++)
		maxstage = MAX(maxstage, wl->jobs[i].stage);
	p->nstages = wl->njobs ? maxstage + 1 : 0;
	for (s = 0; s <= maxstage; s++) {
		for (i = 0; i < wl->njobs; i++) {
			const struct wl_job *j = &wl->jobs[i];

			if (j->stage != s)
				continue;
			if (j->type != JOB_IO) {
				build_racing(&b, wl, j, i);
			} else if (build_io(&b, wl, j, i)) {
				plan_free(p);
				return -1;
			}
		}
	}
	return 0;
}

void plan_free(struct plan *p)
{
	size_t i;

	for (i = 0; i < p->nstreams; i++)
		free(p->streams[i].idx);
	free(p->streams);
	free(p->ops);
	for (i = 0; i < p->ninject; i++)
		free(p->inject[i]);
	free(p->inject);
	free(p->inject_line);
	free(p->line);
	p->line = NULL;
	p->inject = NULL;
	p->inject_line = NULL;
	p->ninject = 0;
	p->streams = NULL;
	p->ops = NULL;
	p->nstreams = p->nops = 0;
}

static void format_flags(uint32_t flags, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(flag_names); i++) {
		if (!(flags & flag_names[i].bit))
			continue;
		n += snprintf(buf + n, len - n, "%s%s", n ? "|" : "",
			      flag_names[i].name);
		if (n >= len)
			break;
	}
	if (!n)
		snprintf(buf, len, "0");
}

int plan_write_oplog(const struct plan *p, const unsigned char *executed,
		     FILE *f)
{
	size_t i;

	fprintf(f, "# iorace oplog v1 workload=%s seed=%llu\n",
		p->workload[0] ? p->workload : "-",
		(unsigned long long)p->seed);
	for (i = 0; i < p->nops; i++) {
		const struct plan_op *op = &p->ops[i];
		char flags[64];

		if (executed && !executed[i])
			continue;
		format_flags(op->flags, flags, sizeof(flags));
		fprintf(f,
			"op %llu job=%u ctx=%u stage=%u kind=%s file=%u "
			"off=%llu len=%llu flags=%s at=%llu",
			(unsigned long long)op->id, op->job, op->ctx, op->stage,
			op_kind_name(op->kind), op->file,
			(unsigned long long)op->off,
			(unsigned long long)op->len, flags,
			(unsigned long long)op->at_ns);
		if (op->when_inflight)
			fprintf(f, " inflight=%u", op->when_inflight);
		if (op->grow)
			fprintf(f, " grow=%llu", (unsigned long long)op->grow);
		fputc('\n', f);
	}
	fflush(f);
	return ferror(f) ? -1 : 0;
}

struct reader {
	const char *path;
	int line;
	char *err;
	size_t errlen;
};

static int rerr(struct reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int rerr(struct reader *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!r->err || !r->errlen)
		return -1;
	n = snprintf(r->err, r->errlen, "%s:%d: ", r->path, r->line);
	if (n < 0 || (size_t)n >= r->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(r->err + n, r->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

static int parse_flags(const char *s, uint32_t *out)
{
	char buf[128], *tok, *save;
	size_t i;

	*out = 0;
	if (!strcmp(s, "0"))
		return 0;
	if (strlen(s) >= sizeof(buf) || !*s)
		return -1;
	strcpy(buf, s);
	for (tok = strtok_r(buf, "|", &save); tok;
	     tok = strtok_r(NULL, "|", &save)) {
		for (i = 0; i < ARRAY_SIZE(flag_names); i++)
			if (!strcmp(tok, flag_names[i].name))
				break;
		if (i == ARRAY_SIZE(flag_names) || (*out & flag_names[i].bit))
			return -1;
		*out |= flag_names[i].bit;
	}
	/* Reject empty elements such as "direct||dsync" or a trailing '|'. */
	if (strstr(s, "||") || s[0] == '|' || s[strlen(s) - 1] == '|')
		return -1;
	return 0;
}

static int parse_header(struct reader *r, char *line, struct plan *p)
{
	char *tok, *save;
	bool have_wl = false, have_seed = false;
	uint64_t v;

	if (strncmp(line, "# iorace oplog v1", 17) ||
	    (line[17] && line[17] != ' ' && line[17] != '\t'))
		return rerr(r, "missing '# iorace oplog v1' header");
	for (tok = strtok_r(line + 17, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		if (!strncmp(tok, "workload=", 9) && !have_wl) {
			if (!tok[9] || strlen(tok + 9) >= sizeof(p->workload))
				return rerr(r, "bad workload name '%s'",
					    tok + 9);
			strcpy(p->workload, tok + 9);
			have_wl = true;
		} else if (!strncmp(tok, "seed=", 5) && !have_seed) {
			if (parse_u64(tok + 5, UINT64_MAX, &v))
				return rerr(r, "bad seed '%s'", tok + 5);
			p->seed = v;
			have_seed = true;
		} else {
			return rerr(r, "unexpected '%s' in header", tok);
		}
	}
	if (!have_wl || !have_seed)
		return rerr(r, "header lacks workload= or seed=");
	return 0;
}

enum {
	F_JOB,
	F_CTX,
	F_STAGE,
	F_KIND,
	F_FILE,
	F_OFF,
	F_LEN,
	F_FLAGS,
	F_AT,
	F_INFLIGHT,
	F_GROW,
	F_NFIELDS,
	F_NREQUIRED = F_INFLIGHT,
};

static const char *const field_names[F_NFIELDS] = {
	"job", "ctx",	"stage", "kind",     "file", "off",
	"len", "flags", "at",	 "inflight", "grow",
};

static int parse_op(struct reader *r, char *line, struct plan_op *op)
{
	char *tok, *save, *eq;
	bool seen[F_NFIELDS] = { 0 };
	uint64_t v;
	int k;

	memset(op, 0, sizeof(*op));
	tok = strtok_r(line, " \t", &save);
	if (!tok || strcmp(tok, "op"))
		return rerr(r, "expected 'op ID key=value...'");
	tok = strtok_r(NULL, " \t", &save);
	if (!tok || parse_u64(tok, UINT64_MAX, &op->id) || !op->id)
		return rerr(r, "bad op id '%s'", tok ? tok : "");
	while ((tok = strtok_r(NULL, " \t", &save))) {
		eq = strchr(tok, '=');
		if (!eq)
			return rerr(r, "expected key=value, got '%s'", tok);
		*eq++ = '\0';
		for (k = 0; k < F_NFIELDS; k++)
			if (!strcmp(tok, field_names[k]))
				break;
		if (k == F_NFIELDS)
			return rerr(r, "unknown key '%s'", tok);
		if (seen[k])
			return rerr(r, "duplicate key '%s'", tok);
		seen[k] = true;
		if (k == F_KIND) {
			int kind = op_kind_from_name(eq);

			if (kind < 0)
				return rerr(r, "unknown kind '%s'", eq);
			op->kind = kind;
			continue;
		}
		if (k == F_FLAGS) {
			if (parse_flags(eq, &op->flags))
				return rerr(r, "bad flags '%s'", eq);
			continue;
		}
		if (parse_u64(eq,
			      k == F_OFF || k == F_LEN || k == F_AT ||
					      k == F_GROW ?
				      UINT64_MAX :
			      k == F_STAGE ? MAX_STAGES - 1 :
					     UINT32_MAX,
			      &v))
			return rerr(r, "bad value '%s' for '%s'", eq,
				    field_names[k]);
		switch (k) {
		case F_JOB:
			op->job = v;
			break;
		case F_CTX:
			op->ctx = v;
			break;
		case F_STAGE:
			op->stage = v;
			break;
		case F_FILE:
			op->file = v;
			break;
		case F_OFF:
			op->off = v;
			break;
		case F_LEN:
			op->len = v;
			break;
		case F_AT:
			op->at_ns = v;
			break;
		case F_INFLIGHT:
			op->when_inflight = v;
			break;
		case F_GROW:
			op->grow = v;
			break;
		}
	}
	for (k = 0; k < F_NREQUIRED; k++)
		if (!seen[k])
			return rerr(r, "op %llu lacks '%s='",
				    (unsigned long long)op->id, field_names[k]);
	/* 2^64 - 1 used to pass and fail only at run time */
	if (op->off > WL_MAX_BYTES || op->len > WL_MAX_BYTES ||
	    op->off + op->len > WL_MAX_BYTES || op->grow > WL_MAX_BYTES)
		return rerr(r,
			    "op %llu: off + len or grow beyond %llu bytes "
			    "(16 TiB)",
			    (unsigned long long)op->id,
			    (unsigned long long)WL_MAX_BYTES);
	/* the stage start + at wrapped: the op ran at once */
	if (op->at_ns > WL_MAX_AT_NS)
		return rerr(r, "op %llu: at=%llu beyond %llu ns (7 days)",
			    (unsigned long long)op->id,
			    (unsigned long long)op->at_ns,
			    (unsigned long long)WL_MAX_AT_NS);
	/* the executor allocates a buffer of len and judges whole sectors:
	 * len 2^44 aborted in malloc, off=1 len=3 made a bogus finding */
	if ((op->kind == OP_WRITE || op->kind == OP_READ) &&
	    (!op->len || op->len > OPLOG_MAX_IO ||
	     (op->off | op->len) % SECTOR_SIZE))
		return rerr(r,
			    "op %llu: %s off=%llu len=%llu: off and len "
			    "must be multiples of %u, len %u to %llu",
			    (unsigned long long)op->id, op_kind_name(op->kind),
			    (unsigned long long)op->off,
			    (unsigned long long)op->len, SECTOR_SIZE,
			    SECTOR_SIZE, (unsigned long long)OPLOG_MAX_IO);
	return 0;
}

/* Rebuild streams from (job, ctx), in order of first appearance. */
static int rebuild_streams(struct reader *r, struct plan *p, const int *lines)
{
	size_t scap = 0, i, s, h, hmask = 1;
	size_t *cap = NULL, *hash;
	size_t capn = 0;

	/* (job, ctx) -> stream + 1 in an open-addressing table: linear in
	 * the ops, not ops x streams */
	while (hmask < 2 * p->nops + 2)
		hmask <<= 1;
	hash = xcalloc(hmask, sizeof(*hash));
	hmask--;
	for (i = 0; i < p->nops; i++) {
		const struct plan_op *op = &p->ops[i];
		struct plan_stream *ps;
		uint64_t key = (uint64_t)op->job << 32 | op->ctx;

		for (h = (size_t)((key * 0x9e3779b97f4a7c15ull) >> 20) & hmask;
		     hash[h]; h = (h + 1) & hmask)
			if (p->streams[hash[h] - 1].job == op->job &&
			    p->streams[hash[h] - 1].ctx == op->ctx)
				break;
		s = hash[h] ? hash[h] - 1 : p->nstreams;
		if (s == p->nstreams) {
			hash[h] = s + 1;
			grow_array((void **)&p->streams, &scap, s + 1,
				   sizeof(*p->streams));
			grow_array((void **)&cap, &capn, s + 1, sizeof(*cap));
			memset(&p->streams[s], 0, sizeof(p->streams[s]));
			cap[s] = 0;
			p->streams[s].job = op->job;
			p->streams[s].ctx = op->ctx;
			p->streams[s].stage = op->stage;
			p->nstreams++;
		}
		ps = &p->streams[s];
		if (ps->stage != op->stage) {
			free(cap);
			free(hash);
			r->line = lines[i];
			return rerr(r,
				    "op %llu: stage %u but job %u ctx %u is in "
				    "stage %u",
				    (unsigned long long)op->id, op->stage,
				    op->job, op->ctx, ps->stage);
		}
		grow_array((void **)&ps->idx, &cap[s], ps->n + 1,
			   sizeof(*ps->idx));
		ps->idx[ps->n++] = i;
		p->nstages = MAX(p->nstages, op->stage + 1);
	}
	free(cap);
	free(hash);
	return 0;
}

int plan_read_oplog(const char *path, struct plan *p, char *err, size_t errlen)
{
	struct reader r = { .path = path, .err = err, .errlen = errlen };
	FILE *f;
	char *line = NULL;
	size_t cap = 0, opcap = 0, lcap = 0;
	int *lines = NULL;
	ssize_t n;
	bool header = false;
	int ret = 0;

	memset(p, 0, sizeof(*p));
	if (err && errlen)
		err[0] = '\0';
	f = fopen(path, "r");
	if (!f)
		return rerr(&r, "%s", strerror(errno));
	while (!ret && (n = getline(&line, &cap, f)) >= 0) {
		char *s = line;

		r.line++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			continue;
		if (!header) {
			ret = parse_header(&r, s, p);
			header = true;
			continue;
		}
		if (*s == '#')
			continue;
		if (!strncmp(s, "inject ", 7)) {
			p->inject = xrealloc(p->inject,
					     (p->ninject + 1) * sizeof(char *));
			p->inject_line = xrealloc(
				p->inject_line, (p->ninject + 1) * sizeof(int));
			p->inject_line[p->ninject] = r.line;
			p->inject[p->ninject++] = xstrdup(s + 7);
			continue;
		}
		if (p->nops >= WL_MAX_OPS) {
			ret = rerr(&r, "more than %llu ops",
				   (unsigned long long)WL_MAX_OPS);
			break;
		}
		grow_array((void **)&p->ops, &opcap, p->nops + 1,
			   sizeof(*p->ops));
		ret = parse_op(&r, s, &p->ops[p->nops]);
		if (!ret && p->nops &&
		    p->ops[p->nops].id <= p->ops[p->nops - 1].id)
			ret = rerr(&r, "op id %llu not greater than %llu",
				   (unsigned long long)p->ops[p->nops].id,
				   (unsigned long long)p->ops[p->nops - 1].id);
		if (!ret) {
			grow_array((void **)&lines, &lcap, p->nops + 1,
				   sizeof(*lines));
			lines[p->nops++] = r.line;
		}
	}
	free(line);
	if (!ret && ferror(f))
		ret = rerr(&r, "read error");
	fclose(f);
	if (!ret && !header) {
		r.line = 1;
		ret = rerr(&r, "empty op log (no header)");
	}
	if (!ret)
		ret = rebuild_streams(&r, p, lines);
	if (ret) {
		free(lines);
		plan_free(p);
		return -1;
	}
	p->line = lines;
	p->path = path;
	return 0;
}
