// SPDX-License-Identifier: GPL-2.0
/* Unit tests for replay/iolog.c: fio iologs v2/v3, plans and the writer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "replay/iolog.h"

static const char *const v2_log = "fio version 2 iolog\n"
				  "/d/a add\n"
				  "/d/b add\n"
				  "/d/a open\n"
				  "/d/b open\n"
				  "/d/a write 0 4096\n"
				  "/d/b write 8192 512\n"
				  "/d/a wait 1000 0\n"
				  "/d/a read 0 4096\n"
				  "/d/a sync 4096 0\n"
				  "/d/b datasync 0 0\n"
				  "/d/a trim 4096 8192\n"
				  "\n"
				  "/d/b read 8192 1024\n"
				  "/d/a close\n"
				  "/d/b close\n";

static const char *const v3_log = "fio version 3 iolog\n"
				  "19 /t/f add\n"
				  "273 /t/f open\n"
				  "281 /t/f read 61440 4096\n"
				  "384 /t/f write 491520 4096\n"
				  "1057 /t/f sync 368640 0\n"
				  "1715 /t/f write 679936 8192\n"
				  "2896 /t/f close\n";

static void parse_ok(const char *text, struct iolog *l)
{
	char err[512];

	if (iolog_parse_string(text, "t.log", l, err, sizeof(err)))
		fail_msg("%s", err);
}

static void test_v2(void **state)
{
	struct iolog l;

	(void)state;
	parse_ok(v2_log, &l);
	assert_int_equal(l.version, 2);
	assert_int_equal(l.nfiles, 2);
	assert_string_equal(l.names[0], "/d/a");
	assert_string_equal(l.names[1], "/d/b");
	assert_int_equal(l.nops, 7);
	assert_int_equal(l.count[OP_WRITE], 2);
	assert_int_equal(l.count[OP_READ], 2);
	assert_int_equal(l.count[OP_FSYNC], 1);
	assert_int_equal(l.count[OP_FDATASYNC], 1);
	assert_int_equal(l.count[OP_PUNCH], 1);
	assert_int_equal(l.nwait, 1);
	assert_int_equal(l.ops[1].file, 1);
	assert_int_equal(l.ops[1].off, 8192);
	assert_int_equal(l.ops[1].len, 512);
	assert_int_equal(l.ops[1].line, 7);
	assert_int_equal(l.ops[3].kind, OP_FSYNC);
	assert_int_equal(l.ops[3].off, 0); /* fio's offset on sync: dropped */
	assert_int_equal(l.ops[5].kind, OP_PUNCH);
	assert_int_equal(l.end[0], 12288);
	assert_int_equal(l.end[1], 9216);
	iolog_free(&l);
}

static void test_v3(void **state)
{
	struct iolog l;

	(void)state;
	parse_ok(v3_log, &l);
	assert_int_equal(l.version, 3);
	assert_int_equal(l.nfiles, 1);
	assert_string_equal(l.names[0], "/t/f");
	assert_int_equal(l.nops, 4);
	assert_int_equal(l.count[OP_READ], 1);
	assert_int_equal(l.count[OP_WRITE], 2);
	assert_int_equal(l.count[OP_FSYNC], 1);
	assert_int_equal(l.ops[3].off, 679936);
	assert_int_equal(l.ops[3].len, 8192);
	assert_int_equal(l.ops[3].line, 7);
	assert_int_equal(l.end[0], 679936 + 8192);
	iolog_free(&l);
}

static void expect_err(const char *text, const char *want)
{
	struct iolog l;
	char err[512];

	if (!iolog_parse_string(text, "t.log", &l, err, sizeof(err)))
		fail_msg("parsed, expected '%s'", want);
	if (!strstr(err, want))
		fail_msg("error '%s' lacks '%s'", err, want);
}

static void test_errors(void **state)
{
	(void)state;
	expect_err("fio version 1 iolog\n", "t.log:1: not a fio iolog");
	expect_err("fio version 2 iolog\n/a add\n/a read 100 4096\n",
		   "t.log:3: read 100 4096: offset and length must be "
		   "multiples of 512");
	expect_err("fio version 2 iolog\n/a add\n/a write 0 1000\n",
		   "t.log:3: write 0 1000");
	expect_err("fio version 2 iolog\n/a add\n/a trim 512 4096\n",
		   "t.log:3: trim 512 4096: offset and length must be "
		   "multiples of 4096");
	expect_err("fio version 2 iolog\n/a add\n/a read 0\n",
		   "t.log:3: read: expected OFFSET LENGTH");
	expect_err("fio version 2 iolog\n/a add\n/a frob 0 4096\n",
		   "t.log:3: unknown action 'frob'");
	expect_err("fio version 2 iolog\n/a add\n/b read 0 4096\n",
		   "t.log:3: file '/b' used before its 'add'");
	expect_err("fio version 2 iolog\n/a add\n/a read x 4096\n",
		   "t.log:3: offset 'x' is not a decimal number");
	expect_err("fio version 2 iolog\n/a add\n/a read 0 0\n",
		   "t.log:3: read: length 0");
	expect_err("fio version 2 iolog\n/a add\n/a read 17592186044416 "
		   "4096\n",
		   "t.log:3: read: offset + length beyond 16 TiB");
	expect_err("fio version 2 iolog\n/a add\n/a open\n",
		   "t.log:1: no read, write");
	expect_err("fio version 3 iolog\n1 /a add\n2 /a wait 100 0\n",
		   "t.log:3: wait: not allowed in a version 3");
	expect_err("fio version 3 iolog\n1 /a add\n/a read 0 4096\n",
		   "t.log:3: timestamp '/a' is not a decimal number");
	expect_err("fio version 3 iolog\n1 /a add\n2 /a read 0 4096 9\n",
		   "t.log:3: read: expected OFFSET LENGTH");
	expect_err("fio version 2 iolog\n/a add 5 5\n",
		   "t.log:2: add: takes no OFFSET LENGTH");
}

static void test_plan_stages(void **state)
{
	struct iolog l;
	struct plan p;

	(void)state;
	parse_ok(v2_log, &l);
	assert_int_equal(iolog_plan(&l, true, 7, "x", &p), 0);
	assert_int_equal(p.nops, 7);
	/* write write read | sync datasync trim | read */
	assert_int_equal(p.nstages, 3);
	assert_int_equal(p.nstreams, 3);
	assert_int_equal(p.streams[0].n, 3);
	assert_int_equal(p.streams[0].job, 0);
	assert_int_equal(p.streams[1].n, 3);
	assert_int_equal(p.streams[1].job, 1);
	assert_int_equal(p.streams[1].stage, 1);
	assert_int_equal(p.streams[2].n, 1);
	assert_int_equal(p.ops[0].flags, OPF_DIRECT);
	assert_int_equal(p.ops[5].kind, OP_PUNCH);
	assert_int_equal(p.ops[5].flags, OPF_KEEP_SIZE);
	assert_int_equal(p.ops[6].id, 7);
	assert_int_equal(p.ops[6].stage, 2);
	assert_int_equal(p.seed, 7);
	plan_free(&p);
	iolog_free(&l);
}

/* the writer's output parses back to the same ops */
static void test_write_roundtrip(void **state)
{
	struct iolog l, back;
	struct plan p;
	char *buf = NULL;
	size_t len = 0, skipped;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	parse_ok(v2_log, &l);
	assert_int_equal(iolog_plan(&l, true, 1, "x", &p), 0);
	p.ops[2].kind = OP_TRUNCATE; /* no iolog action */
	assert_int_equal(iolog_write(&p, NULL, 2, NULL, "/m", f, &skipped), 0);
	fclose(f);
	assert_int_equal(skipped, 1);
	assert_non_null(strstr(buf, "fio version 2 iolog\n/m/f0 add\n"));
	assert_non_null(strstr(buf, "/m/f0 sync 0 0\n"));
	assert_non_null(strstr(buf, "/m/f0 trim 4096 8192\n"));
	parse_ok(buf, &back);
	assert_int_equal(back.nops, 6);
	assert_int_equal(back.count[OP_READ], 1);
	assert_int_equal(back.count[OP_WRITE], 2);
	assert_int_equal(back.ops[1].file, 1);
	assert_int_equal(back.ops[1].off, 8192);
	free(buf);
	plan_free(&p);
	iolog_free(&l);
	iolog_free(&back);
}

static void test_fit(void **state)
{
	struct iolog l;
	struct workload wl = { .nrfiles = 1, .filesize = 4096 };
	char err[256];

	(void)state;
	parse_ok(v2_log, &l);
	snprintf(wl.name, sizeof(wl.name), "w");
	assert_int_equal(iolog_fit(&l, &wl, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "uses 2 files"));
	wl.nrfiles = 2;
	assert_int_equal(iolog_fit(&l, &wl, err, sizeof(err)), 0);
	assert_int_equal(wl.filesize, 1u << 20);
	assert_true(wl.image_size >= 2 * 2 * (1u << 20));
	iolog_free(&l);
	/* 100 GiB into a file: not grown to by surprise */
	parse_ok("fio version 2 iolog\n/a add\n/a read 107374182400 4096\n",
		 &l);
	wl.filesize = 4096;
	assert_int_equal(iolog_fit(&l, &wl, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "exceed the 16 GiB"));
	/* a workload sized for it is used as it is */
	wl.filesize = 200ull << 30;
	wl.image_size = 500ull << 30;
	assert_int_equal(iolog_fit(&l, &wl, err, sizeof(err)), 0);
	assert_int_equal(wl.filesize, 200ull << 30);
	iolog_free(&l);
}

/* read_iolog=/write_iolog= job keys (replay/workload.c) */
static void test_job_keys(void **state)
{
	struct workload wl;
	char err[1024];

	(void)state;
	assert_int_equal(workload_parse_string("[r]\nread_iolog=x.log\n"
					       "write_iolog=/abs/out.log\n",
					       "dir/t.fio", &wl, err,
					       sizeof(err)),
			 0);
	assert_string_equal(wl.read_iolog, "dir/x.log");
	assert_string_equal(wl.write_iolog, "/abs/out.log");
	workload_free(&wl);
	assert_int_equal(workload_parse_string("[a]\nread_iolog=x.log\n"
					       "[b]\nrw=write\nsize=1m\n",
					       "t.fio", &wl, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "t.fio:3: read_iolog: a job replaying"));
	assert_int_equal(workload_parse_string("[a]\nwrite_iolog=x\n"
					       "[b]\nwrite_iolog=y\n",
					       "t.fio", &wl, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "t.fio:4: write_iolog: only one job"));
	assert_int_equal(workload_parse_string("[a]\nread_iolog=a:b\n", "t.fio",
					       &wl, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "t.fio:2: read_iolog"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v2),
		cmocka_unit_test(test_v3),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_plan_stages),
		cmocka_unit_test(test_write_roundtrip),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_job_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
