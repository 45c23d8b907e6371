// SPDX-License-Identifier: GPL-2.0
/* Unit tests for replay/aiostress.c: aio-stress's command line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "replay/aiostress.h"
#include "replay/workload.h"

#define MIB (1ull << 20)

static int parse(const char *line, struct workload *wl, char *err)
{
	char *dup = strdup(line), *sv = NULL, *argv[64], notes[1024];
	int argc = 0;
	char *text;

	argv[argc++] = "aio-stress";
	for (char *t = strtok_r(dup, " ", &sv); t; t = strtok_r(NULL, " ", &sv))
		argv[argc++] = t;
	text = aiostress_text(argc, argv, notes, sizeof(notes), err, 512);
	free(dup);
	if (!text)
		return -1;
	assert_int_equal(
		workload_parse_string(text, "aio-stress", wl, err, 512), 0);
	free(text);
	return 0;
}

static void test_seed_line(void **state)
{
	struct workload wl;
	char err[512];
	uint64_t per_stage = 0;

	(void)state;
	assert_int_equal(parse("-I 100000 -O -s 100m -n -t 1 -c 10 -o 2 -o 3 "
			       "FILE",
			       &wl, err),
			 0);
	assert_int_equal(wl.nrfiles, 1);
	assert_int_equal(wl.njobs, 20); /* 10 contexts x 2 stages, no fsync */
	for (unsigned i = 0; i < wl.njobs; i++) {
		const struct wl_job *j = &wl.jobs[i];

		assert_int_equal(j->type, JOB_IO);
		assert_true(j->direct);
		assert_int_equal(j->bs_min, 65536);
		assert_int_equal(j->iodepth, 64);
		assert_int_equal(j->stage, i / 10);
		assert_int_equal(j->rw, i < 10 ? RW_RANDWRITE : RW_RANDREAD);
		assert_int_equal(j->offset, (i % 10) * 2 * MIB);
		assert_int_equal(j->size, 100 * MIB - (i % 10) * 4 * MIB);
		if (i < 10)
			per_stage += j->number_ios;
	}
	assert_int_equal(per_stage, 13120);
	workload_free(&wl);
}

static void test_defaults(void **state)
{
	struct workload wl;
	char err[512];

	(void)state;
	assert_int_equal(parse("f", &wl, err), 0);
	/* write, fsync, read, fsync, randwrite, fsync, randread, fsync */
	assert_int_equal(wl.njobs, 8);
	assert_int_equal(wl.jobs[0].rw, RW_WRITE);
	assert_int_equal(wl.jobs[1].type, JOB_FSYNC);
	assert_int_equal(wl.jobs[2].rw, RW_READ);
	assert_int_equal(wl.jobs[4].rw, RW_RANDWRITE);
	assert_int_equal(wl.jobs[6].rw, RW_RANDREAD);
	assert_int_equal(wl.jobs[0].size, 1024 * MIB);
	assert_int_equal(wl.jobs[0].number_ios, 1024 * MIB / 65536);
	assert_false(wl.jobs[0].direct);
	workload_free(&wl);
}

static void test_stage_order_and_cap(void **state)
{
	struct workload wl;
	char err[512];

	(void)state;
	/* aio-stress runs stages in its fixed order, whatever -o order */
	assert_int_equal(parse("-n -s 8m -r 4k -o 3 -o 0 f", &wl, err), 0);
	assert_int_equal(wl.njobs, 2);
	assert_int_equal(wl.jobs[0].rw, RW_WRITE);
	assert_int_equal(wl.jobs[1].rw, RW_RANDREAD);
	workload_free(&wl);
	/* -I 10 rounds of -i 8: 80 ios, and the stage cap ends the run */
	assert_int_equal(parse("-n -s 8m -r 4k -I 10 f", &wl, err), 0);
	assert_int_equal(wl.njobs, 1);
	assert_int_equal(wl.jobs[0].number_ios, 80);
	workload_free(&wl);
}

static void test_errors(void **state)
{
	struct workload wl;
	char err[512];

	(void)state;
	assert_int_equal(parse("-m shm f", &wl, err), -1);
	assert_non_null(strstr(err, "-m"));
	assert_int_equal(parse("-t 2 -c 2 f", &wl, err), -1);
	assert_non_null(strstr(err, "-x"));
	assert_int_equal(parse("-o 4 f", &wl, err), -1);
	assert_int_equal(parse("-q f", &wl, err), -1);
	assert_non_null(strstr(err, "-q"));
	/* an explicit -C keeps aio-stress's refusal; the default -C shrinks */
	assert_int_equal(parse("-s 16m -c 10 -C 2m f", &wl, err), -1);
	assert_non_null(strstr(err, "too small"));
	assert_int_equal(parse("-s 16m -c 10 f", &wl, err), 0);
	assert_int_equal(wl.jobs[9].offset, 9 * 896 * 1024);
	assert_int_equal(wl.jobs[9].size, 16 * MIB - 2 * 9 * 896 * 1024);
	workload_free(&wl);
	assert_int_equal(parse("-s 1m -r 1m -c 10 f", &wl, err), -1);
	assert_int_equal(parse("-O", &wl, err), -1);
	assert_non_null(strstr(err, "FILE"));
}

static void test_iorace_additions(void **state)
{
	struct workload wl;
	char err[512];

	(void)state;
	assert_int_equal(parse("-n -S -s 8m -o 2 --fallocate 1g "
			       "--truncate-after 2s "
			       "--racing type=punch,len=1m,count=3 f",
			       &wl, err),
			 0);
	assert_true(wl.fallocate);
	assert_int_equal(wl.filesize, 1024 * MIB);
	assert_int_equal(wl.njobs, 3);
	assert_true(wl.jobs[0].dsync);
	assert_int_equal(wl.jobs[1].type, JOB_TRUNCATE);
	assert_int_equal(wl.jobs[1].start_delay_ns, 2000000000ull);
	assert_int_equal(wl.jobs[1].trunc_size, 0);
	assert_int_equal(wl.jobs[2].type, JOB_PUNCH);
	assert_int_equal(wl.jobs[2].count, 3);
	workload_free(&wl);
	assert_int_equal(parse("--racing nokey f", &wl, err), -1);
	/* -C falls through into -b: -C 4 caps io_submit at 4, -i drops to 4 */
	assert_int_equal(parse("-n -s 8m -r 4k -C 4 -I 10 f", &wl, err), 0);
	assert_int_equal(wl.jobs[0].number_ios, 40);
	workload_free(&wl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_line),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_stage_order_and_cap),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_iorace_additions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
