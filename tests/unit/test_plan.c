// SPDX-License-Identifier: GPL-2.0
/* Unit tests for replay/plan.c: plan generation and the op log. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/util.h"
#include "replay/plan.h"
#include "replay/workload.h"

#define MIB (1ull << 20)

static const char *const mixed_wl =
	"[global]\nnrfiles=3\nfilesize=16m\n"
	"[rand]\ntype=io\nfile=all\nrw=randrw\nrwmixread=25\n"
	"bs=4k-64k\ncontexts=3\nnumber_ios=3001\noffset=1m\nsize=8m\n"
	"[seq]\ntype=io\nfile=1\nrw=write\nbs=16k\ncontexts=4\n"
	"number_ios=400\noffset=64k\nsize=1m\ndsync=1\n"
	"[trunc]\ntype=truncate\nfile=2\nsize=4k\ngrow_back=16m\n"
	"start_delay=2s\ninterval=50ms\ncount=7\nwhen_inflight=4\n"
	"[punch]\ntype=punch\nfile=0\noffset=random\nlen=256k\ncount=50\n"
	"interval=10ms\n"
	"[zr]\ntype=zero_range\nfile=0\noffset=1m\nlen=64k\nkeep_size=1\n"
	"[falloc]\ntype=fallocate\nfile=0\noffset=2m\n"
	"[fs]\ntype=fsync\nfile=1\ncount=2\n"
	"[reader]\ntype=io\nstage=2\nfile=0\nrw=read\nbs=8k\ndirect=0\n"
	"number_ios=10\n";

static void parse(const char *text, struct workload *wl)
{
	char err[512];

	if (workload_parse_string(text, "t", wl, err, sizeof(err)))
		fail_msg("%s", err);
}

static void assert_ops_equal(const struct plan_op *a, const struct plan_op *b)
{
	assert_int_equal(a->id, b->id);
	assert_int_equal(a->job, b->job);
	assert_int_equal(a->ctx, b->ctx);
	assert_int_equal(a->stage, b->stage);
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->file, b->file);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->off, b->off);
	assert_int_equal(a->len, b->len);
	assert_int_equal(a->at_ns, b->at_ns);
	assert_int_equal(a->when_inflight, b->when_inflight);
	assert_int_equal(a->grow, b->grow);
}

static void assert_plans_equal(const struct plan *a, const struct plan *b)
{
	size_t i, k;

	assert_int_equal(a->nops, b->nops);
	assert_int_equal(a->nstreams, b->nstreams);
	assert_int_equal(a->nstages, b->nstages);
	assert_int_equal(a->seed, b->seed);
	assert_string_equal(a->workload, b->workload);
	for (i = 0; i < a->nops; i++)
		assert_ops_equal(&a->ops[i], &b->ops[i]);
	for (i = 0; i < a->nstreams; i++) {
		assert_int_equal(a->streams[i].job, b->streams[i].job);
		assert_int_equal(a->streams[i].ctx, b->streams[i].ctx);
		assert_int_equal(a->streams[i].stage, b->streams[i].stage);
		assert_int_equal(a->streams[i].n, b->streams[i].n);
		for (k = 0; k < a->streams[i].n; k++)
			assert_int_equal(a->streams[i].idx[k],
					 b->streams[i].idx[k]);
	}
}

static void test_determinism(void **state)
{
	struct workload wl;
	struct plan a, b, c;
	size_t i, same = 0;

	(void)state;
	parse(mixed_wl, &wl);
	assert_int_equal(plan_build(&wl, 42, &a), 0);
	assert_int_equal(plan_build(&wl, 42, &b), 0);
	assert_plans_equal(&a, &b);
	assert_string_equal(a.workload, "t");
	assert_int_equal(a.seed, 42);

	assert_int_equal(plan_build(&wl, 43, &c), 0);
	assert_int_equal(c.nops, a.nops);
	for (i = 0; i < a.nops; i++)
		same += a.ops[i].off == c.ops[i].off &&
			a.ops[i].file == c.ops[i].file &&
			a.ops[i].kind == c.ops[i].kind &&
			a.ops[i].len == c.ops[i].len;
	/* sequential / fixed ops repeat; the random ones must differ */
	assert_true(same < a.nops / 2);
	plan_free(&a);
	plan_free(&b);
	plan_free(&c);
	workload_free(&wl);
}

static void test_ids_and_order(void **state)
{
	struct workload wl;
	struct plan p;
	size_t i;

	(void)state;
	parse(mixed_wl, &wl);
	assert_int_equal(plan_build(&wl, 7, &p), 0);
	/* 3001 + 400 + 7 + 50 + 1 + 1 + 2 + 10 */
	assert_int_equal(p.nops, 3472);
	assert_int_equal(p.nstages, 3);
	for (i = 0; i < p.nops; i++) {
		const struct plan_op *op = &p.ops[i];

		assert_int_equal(op->id, i + 1);
		assert_int_equal(op->stage, wl.jobs[op->job].stage);
		if (i) {
			const struct plan_op *pr = &p.ops[i - 1];

			/* (stage, job, ctx) never goes backwards */
			assert_true(
				pr->stage < op->stage ||
				(pr->stage == op->stage &&
				 (pr->job < op->job ||
				  (pr->job == op->job && pr->ctx <= op->ctx))));
		}
	}
	/* the stage-2 reader comes last even though it is declared last */
	assert_int_equal(p.ops[p.nops - 1].job, 7);
	assert_int_equal(p.ops[p.nops - 1].stage, 2);
	plan_free(&p);
	workload_free(&wl);
}

static void test_streams(void **state)
{
	struct workload wl;
	struct plan p;
	unsigned char *seen;
	size_t i, k;
	size_t per_rand[3] = { 0 }, per_seq[4] = { 0 };

	(void)state;
	parse(mixed_wl, &wl);
	assert_int_equal(plan_build(&wl, 7, &p), 0);
	/* rand: 3 ctx, seq: 4 ctx, 5 racing jobs, reader: 1 */
	assert_int_equal(p.nstreams, 3 + 4 + 5 + 1);
	seen = calloc(p.nops, 1);
	for (i = 0; i < p.nstreams; i++) {
		const struct plan_stream *s = &p.streams[i];

		assert_true(s->n > 0);
		for (k = 0; k < s->n; k++) {
			const struct plan_op *op = &p.ops[s->idx[k]];

			assert_true(s->idx[k] < p.nops);
			assert_int_equal(op->job, s->job);
			assert_int_equal(op->ctx, s->ctx);
			assert_int_equal(op->stage, s->stage);
			if (k)
				assert_true(s->idx[k] > s->idx[k - 1]);
			assert_int_equal(seen[s->idx[k]], 0);
			seen[s->idx[k]] = 1;
		}
		if (s->job == 0)
			per_rand[s->ctx] = s->n;
		if (s->job == 1)
			per_seq[s->ctx] = s->n;
	}
	for (i = 0; i < p.nops; i++)
		assert_int_equal(seen[i], 1);
	free(seen);
	/* 3001 over 3 contexts: 1001, 1000, 1000 */
	assert_int_equal(per_rand[0], 1001);
	assert_int_equal(per_rand[1], 1000);
	assert_int_equal(per_rand[2], 1000);
	for (i = 0; i < 4; i++)
		assert_int_equal(per_seq[i], 100);
	plan_free(&p);
	workload_free(&wl);
}

static void test_io_bounds(void **state)
{
	struct workload wl;
	struct plan p;
	size_t i, reads = 0, nrand = 0;
	unsigned files_used = 0;
	uint64_t seq_next[4] = { 0 };
	bool seq_started[4] = { 0 };

	(void)state;
	parse(mixed_wl, &wl);
	assert_int_equal(plan_build(&wl, 99, &p), 0);
	for (i = 0; i < p.nops; i++) {
		const struct plan_op *op = &p.ops[i];

		assert_true(op->file < wl.nrfiles);
		if (op->job == 0) { /* randrw, bs 4k-64k, [1m, 9m), all */
			nrand++;
			files_used |= 1u << op->file;
			reads += op->kind == OP_READ;
			assert_true(op->kind == OP_READ ||
				    op->kind == OP_WRITE);
			assert_int_equal(op->off % 4096, 0);
			assert_int_equal(op->len % 4096, 0);
			assert_in_range(op->len, 4096, 65536);
			assert_true(op->off >= MIB);
			assert_true(op->off + op->len <= 9 * MIB);
			assert_int_equal(op->flags, OPF_DIRECT);
			assert_int_equal(op->at_ns, 0);
		} else if (op->job == 1) { /* write, 16k, [64k, 64k+1m) */
			assert_int_equal(op->kind, OP_WRITE);
			assert_int_equal(op->file, 1);
			assert_int_equal(op->len, 16384);
			assert_int_equal(op->off % 16384, 0);
			assert_true(op->off >= 65536);
			assert_true(op->off + op->len <= 65536 + MIB);
			assert_int_equal(op->flags, OPF_DIRECT | OPF_DSYNC);
			/* ctx c starts at region start + c * region / 4 */
			if (!seq_started[op->ctx]) {
				assert_int_equal(op->off,
						 65536 + op->ctx * (MIB / 4));
				seq_started[op->ctx] = true;
			} else if (seq_next[op->ctx] + op->len <= 65536 + MIB) {
				assert_int_equal(op->off, seq_next[op->ctx]);
			} else {
				assert_int_equal(op->off, 65536); /* wrap */
			}
			seq_next[op->ctx] = op->off + op->len;
		} else if (op->job == 7) { /* buffered sequential read */
			assert_int_equal(op->kind, OP_READ);
			assert_int_equal(op->flags, 0);
			assert_int_equal(op->len, 8192);
			assert_int_equal(op->off,
					 (op->id - p.ops[p.nops - 10].id) *
						 8192);
		}
	}
	assert_int_equal(nrand, 3001);
	assert_int_equal(files_used, 7); /* file=all reaches every file */
	/* rwmixread=25: expect ~750 reads */
	assert_in_range(reads, 600, 900);
	plan_free(&p);
	workload_free(&wl);
}

static void test_rwmix_extremes(void **state)
{
	struct workload wl;
	struct plan p;
	size_t i;

	(void)state;
	parse("[w]\ntype=io\nrw=randrw\nrwmixread=0\nnumber_ios=500\n"
	      "[r]\ntype=io\nrw=rw\nrwmixread=100\nnumber_ios=500\n",
	      &wl);
	assert_int_equal(plan_build(&wl, 1, &p), 0);
	for (i = 0; i < p.nops; i++)
		assert_int_equal(p.ops[i].kind,
				 p.ops[i].job == 0 ? OP_WRITE : OP_READ);
	plan_free(&p);
	workload_free(&wl);
}

static void test_racing_ops(void **state)
{
	struct workload wl;
	struct plan p;
	size_t i;
	unsigned ntrunc = 0, npunch = 0, distinct = 0;
	uint64_t last_punch = UINT64_MAX;

	(void)state;
	parse(mixed_wl, &wl);
	assert_int_equal(plan_build(&wl, 5, &p), 0);
	for (i = 0; i < p.nops; i++) {
		const struct plan_op *op = &p.ops[i];

		switch (op->job) {
		case 2:
			assert_int_equal(op->kind, OP_TRUNCATE);
			assert_int_equal(op->file, 2);
			assert_int_equal(op->off, 4096);
			assert_int_equal(op->len, 0);
			assert_int_equal(op->grow, 16 * MIB);
			assert_int_equal(op->when_inflight, 4);
			assert_int_equal(op->at_ns,
					 2 * NSEC_PER_SEC +
						 ntrunc * 50 * NSEC_PER_MSEC);
			assert_int_equal(op->ctx, 0);
			ntrunc++;
			break;
		case 3:
			assert_int_equal(op->kind, OP_PUNCH);
			assert_int_equal(op->file, 0);
			assert_int_equal(op->len, 256 * 1024);
			assert_int_equal(op->off % 4096, 0);
			assert_true(op->off + op->len <= 16 * MIB);
			assert_true(op->flags & OPF_KEEP_SIZE);
			assert_int_equal(op->at_ns,
					 npunch * 10 * NSEC_PER_MSEC);
			distinct += op->off != last_punch;
			last_punch = op->off;
			npunch++;
			break;
		case 4:
			assert_int_equal(op->kind, OP_ZERO_RANGE);
			assert_int_equal(op->off, MIB);
			assert_int_equal(op->len, 65536);
			assert_int_equal(op->flags, OPF_KEEP_SIZE);
			break;
		case 5: /* len 0: to the end of the file */
			assert_int_equal(op->kind, OP_FALLOCATE);
			assert_int_equal(op->off, 2 * MIB);
			assert_int_equal(op->len, 14 * MIB);
			assert_int_equal(op->flags, 0);
			break;
		case 6:
			assert_int_equal(op->kind, OP_FSYNC);
			assert_int_equal(op->file, 1);
			assert_int_equal(op->off, 0);
			assert_int_equal(op->len, 0);
			break;
		}
	}
	assert_int_equal(ntrunc, 7);
	assert_int_equal(npunch, 50);
	assert_true(distinct > 40);
	plan_free(&p);
	workload_free(&wl);
}

/* collapse_range/insert_range: kinds, 4k-aligned ranges, no keep_size. */
static void test_shift_ops(void **state)
{
	struct workload wl;
	struct plan p;
	unsigned nc = 0, ni = 0;

	(void)state;
	parse("[global]\nfilesize=4m\n"
	      "[c]\ntype=collapse_range\noffset=random\nlen=1m\ncount=40\n"
	      "[i]\ntype=insert_range\noffset=64k\nlen=128k\ncount=3\n",
	      &wl);
	assert_int_equal(wl.jobs[0].type, JOB_COLLAPSE);
	assert_int_equal(wl.jobs[1].type, JOB_INSERT);
	/* the image holds the inserts' growth */
	assert_true(wl.image_size >= 2 * (4 * MIB + 3 * 128 * 1024));
	assert_int_equal(plan_build(&wl, 3, &p), 0);
	for (size_t i = 0; i < p.nops; i++) {
		const struct plan_op *op = &p.ops[i];

		assert_int_equal(op->flags & OPF_KEEP_SIZE, 0);
		if (op->kind == OP_COLLAPSE) {
			assert_int_equal(op->len, MIB);
			assert_int_equal(op->off % 4096, 0);
			/* short of the initial EOF */
			assert_true(op->off + op->len < 4 * MIB);
			nc++;
		} else {
			assert_int_equal(op->kind, OP_INSERT);
			assert_int_equal(op->off, 64 * 1024);
			assert_int_equal(op->len, 128 * 1024);
			ni++;
		}
	}
	assert_int_equal(nc, 40);
	assert_int_equal(ni, 3);
	assert_string_equal(op_kind_name(OP_COLLAPSE), "collapse_range");
	assert_int_equal(op_kind_from_name("insert_range"), OP_INSERT);
	plan_free(&p);
	workload_free(&wl);
}

static void test_named_seed_plan(void **state)
{
	struct workload wl;
	struct plan p;
	char path[4096], err[512];
	size_t i, nw = 0, nr = 0, nt = 0;

	(void)state;
	if (workload_resolve("seed-truncate-dio", path, sizeof(path))) {
		/* not run from the repo root: build/tests/../../workloads */
		char exe[2048], *slash;
		ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

		assert_true(n > 0);
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		assert_non_null(slash);
		*slash = '\0';
		if (snprintf(path, sizeof(path),
			     "%s/../../workloads/seed-truncate-dio.job",
			     exe) >= (int)sizeof(path))
			fail_msg("path too long");
	}
	if (workload_parse_file(path, &wl, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(workload_scale(&wl, 0.05, NULL, 0), 0);
	assert_int_equal(plan_build(&wl, 1, &p), 0);
	assert_int_equal(p.nstages, 2);
	for (i = 0; i < p.nops; i++) {
		nw += p.ops[i].kind == OP_WRITE;
		nr += p.ops[i].kind == OP_READ;
		nt += p.ops[i].kind == OP_TRUNCATE;
		if (p.ops[i].kind == OP_WRITE || p.ops[i].kind == OP_READ) {
			assert_int_equal(p.ops[i].len, 65536);
			assert_true(p.ops[i].off + p.ops[i].len <= 5 * MIB);
		}
	}
	assert_int_equal(nw, 2500);
	assert_int_equal(nr, 2500);
	assert_int_equal(nt, 2);
	assert_int_equal(p.nstreams, 22);
	plan_free(&p);
	workload_free(&wl);
}

static char *tmpfile_with(const char *text)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/iorace-oplog-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void test_oplog_roundtrip(void **state)
{
	struct workload wl;
	struct plan a, b;
	char path[] = "/tmp/iorace-oplog-XXXXXX";
	char err[512];
	int fd, rc;
	FILE *f;

	(void)state;
	parse(mixed_wl, &wl);
	assert_int_equal(plan_build(&wl, 0xfedcba9876543210ull, &a), 0);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	assert_int_equal(plan_write_oplog(&a, NULL, f), 0);
	fclose(f);
	rc = plan_read_oplog(path, &b, err, sizeof(err));
	unlink(path);
	if (rc)
		fail_msg("%s", err);
	assert_plans_equal(&a, &b);
	plan_free(&b);
	plan_free(&a);
	workload_free(&wl);
}

static void test_oplog_executed(void **state)
{
	struct workload wl;
	struct plan a, b;
	char path[] = "/tmp/iorace-oplog-XXXXXX";
	char err[512];
	unsigned char *ex;
	size_t i, k = 0;
	int fd, rc;
	FILE *f;

	(void)state;
	parse(mixed_wl, &wl);
	assert_int_equal(plan_build(&wl, 3, &a), 0);
	ex = calloc(a.nops, 1);
	for (i = 0; i < a.nops; i++)
		ex[i] = i % 3 == 0;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_int_equal(plan_write_oplog(&a, ex, f), 0);
	fclose(f);
	rc = plan_read_oplog(path, &b, err, sizeof(err));
	unlink(path);
	if (rc)
		fail_msg("%s", err);
	assert_int_equal(b.nops, (a.nops + 2) / 3);
	for (i = 0; i < a.nops; i++)
		if (ex[i])
			assert_ops_equal(&a.ops[i], &b.ops[k++]);
	assert_int_equal(b.nstages, 3);
	plan_free(&b);
	free(ex);
	plan_free(&a);
	workload_free(&wl);
}

static void test_oplog_format(void **state)
{
	struct plan p = { 0 };
	struct plan_op op = {
		.id = 9,
		.job = 2,
		.ctx = 0,
		.stage = 1,
		.kind = OP_TRUNCATE,
		.file = 3,
		.flags = OPF_DIRECT | OPF_KEEP_SIZE,
		.off = 4096,
		.len = 0,
		.at_ns = 150000000,
		.when_inflight = 4,
		.grow = 1048576,
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	p.ops = &op;
	p.nops = 1;
	p.seed = 77;
	strcpy(p.workload, "demo");
	assert_int_equal(plan_write_oplog(&p, NULL, f), 0);
	fclose(f);
	assert_string_equal(buf,
			    "# iorace oplog v1 workload=demo seed=77\n"
			    "op 9 job=2 ctx=0 stage=1 kind=truncate file=3 "
			    "off=4096 len=0 flags=direct|keep_size "
			    "at=150000000 inflight=4 grow=1048576\n");
	free(buf);
}

static void test_oplog_bad(void **state)
{
	static const char hdr[] = "# iorace oplog v1 workload=w seed=1\n";
	static const char good[] = "op 1 job=0 ctx=0 stage=0 kind=write "
				   "file=0 off=0 len=4096 flags=direct at=0\n";
	static const struct {
		const char *body;
		int line;
		const char *why;
	} c[] = {
		{ "op 1 job=0\n", 2, "lacks 'ctx='" },
		{ "op 1 job=0 ctx=0 stage=0 kind=scribble file=0 off=0 "
		  "len=0 flags=0 at=0\n",
		  2, "unknown kind 'scribble'" },
		{ "op 0 job=0 ctx=0 stage=0 kind=write file=0 off=0 len=0 "
		  "flags=0 at=0\n",
		  2, "bad op id '0'" },
		{ "op 1 job=0 ctx=0 stage=0 kind=write file=0 off=-1 len=0 "
		  "flags=0 at=0\n",
		  2, "bad value '-1' for 'off'" },
		{ "op 1 job=0 ctx=0 stage=0 kind=write file=0 off=0 len=0 "
		  "flags=direct|bogus at=0\n",
		  2, "bad flags" },
		{ "op 1 job=0 ctx=0 stage=0 kind=write file=0 off=0 len=0 "
		  "flags=direct| at=0\n",
		  2, "bad flags" },
		{ "op 1 job=0 ctx=0 stage=0 kind=write file=0 off=0 len=0 "
		  "flags=0 at=0 colour=red\n",
		  2, "unknown key 'colour'" },
		{ "op 1 job=0 job=1 ctx=0 stage=0 kind=write file=0 off=0 "
		  "len=0 flags=0 at=0\n",
		  2, "duplicate key 'job'" },
		{ "frob 1\n", 2, "expected 'op ID" },
		/* issue 15: 2^64 - 1 passed and failed only at run time */
		{ "op 1 job=0 ctx=0 stage=0 kind=write file=0 "
		  "off=18446744073709551615 len=4096 flags=0 at=0\n",
		  2, "off + len or grow beyond" },
		{ "op 1 job=0 ctx=0 stage=0 kind=write file=0 off=0 "
		  "len=18446744073709551615 flags=0 at=0\n",
		  2, "off + len or grow beyond" },
		{ "op 1 job=0 ctx=0 stage=0 kind=write file=0 "
		  "off=17592186044416 len=4096 flags=0 at=0\n",
		  2, "off + len or grow beyond" },
		{ "op 1 job=0 ctx=0 stage=0 kind=truncate file=0 off=0 len=0 "
		  "flags=0 at=0 grow=18446744073709551615\n",
		  2, "off + len or grow beyond" },
		{ "op 1 job=0 ctx=0 stage=0 kind=write file=0 off=0 len=0 "
		  "flags=0 at=0 junk\n",
		  2, "expected key=value" },
		/* issue 15: len 2^44 aborted in malloc, off=1 len=3 was a
		 * finding, len=0 a no-op */
		{ "op 1 job=0 ctx=0 stage=0 kind=write file=0 off=0 "
		  "len=17592186044416 flags=0 at=0\n",
		  2, "off and len must be multiples of 512, len 512 to" },
		{ "op 1 job=0 ctx=0 stage=0 kind=read file=0 off=0 "
		  "len=67109376 flags=0 at=0\n",
		  2, "off and len must be multiples of 512" },
		{ "op 1 job=0 ctx=0 stage=0 kind=write file=0 off=1 len=3 "
		  "flags=direct at=0\n",
		  2, "write off=1 len=3: off and len must be multiples" },
		{ "op 1 job=0 ctx=0 stage=0 kind=read file=0 off=0 len=0 "
		  "flags=0 at=0\n",
		  2, "read off=0 len=0: off and len" },
	};
	static const struct {
		const char *text;
		int line;
		const char *why;
	} whole[] = {
		{ "", 1, "empty op log" },
		{ "\n\nop 1 job=0\n", 3, "missing '# iorace oplog v1' header" },
		{ "# iorace oplog v1 workload=w\n", 1,
		  "lacks workload= or seed=" },
		{ "# iorace oplog v1 workload=w seed=x\n", 1, "bad seed 'x'" },
		/* ids must increase */
		{ "# iorace oplog v1 workload=w seed=1\n"
		  "op 2 job=0 ctx=0 stage=0 kind=write file=0 off=0 len=512 "
		  "flags=0 at=0\n"
		  "# a comment\n"
		  "op 2 job=0 ctx=0 stage=0 kind=write file=0 off=0 len=512 "
		  "flags=0 at=0\n",
		  4, "op id 2 not greater than 2" },
		/* one stream, two stages */
		{ "# iorace oplog v1 workload=w seed=1\n"
		  "op 1 job=0 ctx=1 stage=0 kind=write file=0 off=0 len=512 "
		  "flags=0 at=0\n"
		  "op 2 job=0 ctx=1 stage=1 kind=write file=0 off=0 len=512 "
		  "flags=0 at=0\n",
		  3, "op 2: stage 1 but job 0 ctx 1 is in stage 0" },
	};
	char text[1024], want[128], err[512];
	struct plan p;
	size_t i;
	char *path;
	int rc;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(c) + ARRAY_SIZE(whole); i++) {
		const char *why;
		int line;

		if (i < ARRAY_SIZE(c)) {
			snprintf(text, sizeof(text), "%s%s%s", hdr, c[i].body,
				 good);
			why = c[i].why;
			line = c[i].line;
		} else {
			snprintf(text, sizeof(text), "%s",
				 whole[i - ARRAY_SIZE(c)].text);
			why = whole[i - ARRAY_SIZE(c)].why;
			line = whole[i - ARRAY_SIZE(c)].line;
		}
		path = tmpfile_with(text);
		err[0] = '\0';
		rc = plan_read_oplog(path, &p, err, sizeof(err));
		unlink(path);
		if (!rc)
			fail_msg("case %zu was accepted", i);
		snprintf(want, sizeof(want), "%s:%d: ", path, line);
		if (strncmp(err, want, strlen(want)) || !strstr(err, why))
			fail_msg("case %zu: got '%s', want '%s...%s'", i, err,
				 want, why);
		assert_null(p.ops);
		assert_null(p.streams);
	}
	/* the good line alone parses */
	snprintf(text, sizeof(text), "%s%s", hdr, good);
	path = tmpfile_with(text);
	rc = plan_read_oplog(path, &p, err, sizeof(err));
	unlink(path);
	if (rc)
		fail_msg("%s", err);
	assert_int_equal(p.nops, 1);
	assert_int_equal(p.ops[0].len, 4096);
	assert_int_equal(p.ops[0].flags, OPF_DIRECT);
	assert_int_equal(p.nstreams, 1);
	assert_int_equal(p.nstages, 1);
	assert_string_equal(p.workload, "w");
	/* each op's line, for run's path:line errors */
	assert_non_null(p.line);
	assert_int_equal(p.line[0], 2);
	plan_free(&p);
	assert_int_equal(
		plan_read_oplog("/nonexistent/oplog", &p, err, sizeof(err)),
		-1);
	assert_non_null(strstr(err, "/nonexistent/oplog:0: "));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_ids_and_order),
		cmocka_unit_test(test_streams),
		cmocka_unit_test(test_io_bounds),
		cmocka_unit_test(test_rwmix_extremes),
		cmocka_unit_test(test_racing_ops),
		cmocka_unit_test(test_shift_ops),
		cmocka_unit_test(test_named_seed_plan),
		cmocka_unit_test(test_oplog_roundtrip),
		cmocka_unit_test(test_oplog_executed),
		cmocka_unit_test(test_oplog_format),
		cmocka_unit_test(test_oplog_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
