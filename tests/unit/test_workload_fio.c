// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the fio side of replay/workload.c: fio values (suffixes,
 * arithmetic, ${VAR}, comments, valueless flags), [global] defaults, how
 * fio jobs map onto iorace jobs, and all errors of a file at once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "replay/workload.h"

#define MIB (1ull << 20)

static const struct wl_job *job(const struct workload *wl, const char *name)
{
	unsigned i;

	for (i = 0; i < wl->njobs; i++)
		if (!strcmp(wl->jobs[i].name, name))
			return &wl->jobs[i];
	fail_msg("no job [%s]", name);
	return NULL;
}

static void parse_ok(const char *text, struct workload *wl)
{
	char err[4096];

	if (workload_parse_string(text, "t.fio", wl, err, sizeof(err)))
		fail_msg("%s", err);
}

static void test_values(void **state)
{
	static const struct {
		const char *s;
		int rc;
		uint64_t v;
	} c[] = {
		{ "4096", 0, 4096 },	  { "4k", 0, 4096 },
		{ "4K", 0, 4096 },	  { "4kb", 0, 4096 },
		{ "4ki", 0, 4000 }, /* fio, kb_base=1024: IEC names are 1000s */
		{ "4KiB", 0, 4000 },	  { "1m", 0, MIB },
		{ "1mi", 0, 1000000 },	  { "2g", 0, 2ull << 30 },
		{ "1t", 0, 1ull << 40 },  { "1.5k", 0, 1536 },
		{ "0x1000", 0, 4096 },	  { "128*1", 0, 128 },
		{ "4k*2", 0, 8192 },	  { "(1+1)*4k", 0, 8192 },
		{ "64m/2", 0, 32 * MIB }, { "10-2", 0, 8 },
		{ " 3 + 4 * 2 ", 0, 11 }, { "", -1, 0 },
		{ "abc", -1, 0 },	  { "4q", -1, 0 },
		{ "1/0", -1, 0 },	  { "4k 2", -1, 0 },
		{ "0.3", -1, 0 },	  { "(4k", -1, 0 },
		{ "2-3", -1, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		uint64_t v = 12345;
		int rc = workload_value(c[i].s, &v);

		if (rc != c[i].rc || (!rc && v != c[i].v))
			fail_msg("'%s': rc %d v %llu, want rc %d v %llu",
				 c[i].s, rc, (unsigned long long)v, c[i].rc,
				 (unsigned long long)c[i].v);
	}
}

static void test_comments_env_flags(void **state)
{
	struct workload wl;
	const struct wl_job *j;

	(void)state;
	setenv("IORACE_T_BS", "8k", 1);
	parse_ok("; whole-line comment\n"
		 "# another\n"
		 "[global]   ; section comment\n"
		 "ioengine=libaio ; inline comment\n"
		 "bs=${IORACE_T_BS}   # from the environment\n"
		 "size=4m*2\n"
		 "description=a;b stays whole\n"
		 "time_based\n"
		 "runtime=3\n"
		 "[j]\n"
		 "rw=randwrite:8\n"
		 "verify=crc32c\n"
		 "direct\n",
		 &wl);
	unsetenv("IORACE_T_BS");
	assert_string_equal(wl.description, "a;b stays whole");
	j = job(&wl, "j");
	assert_int_equal(j->bs_min, 8192);
	assert_int_equal(j->bs_max, 8192);
	assert_int_equal(j->size, 8 * MIB);
	assert_true(j->direct);
	assert_true(j->time_based);
	assert_int_equal(j->runtime_ns, 3 * NSEC_PER_SEC);
	assert_int_equal(j->rw, RW_RANDWRITE);
	assert_string_equal(j->engine, "libaio");
	assert_int_equal(wl.fio_notes, WL_NOTE_VERIFY);
	workload_free(&wl);
}

static void test_globals(void **state)
{
	struct workload wl;
	const struct wl_job *j;

	(void)state;
	parse_ok("[global]\nbs=8k\nrw=randwrite\nsize=1m\n"
		 "[a]\n"
		 "[global]\nbs=16k\n"
		 "[b]\n"
		 "[c]\nbs=32k\nrw=read\n",
		 &wl);
	j = job(&wl, "a");
	assert_int_equal(j->bs_max, 8192);
	assert_int_equal(j->rw, RW_RANDWRITE);
	assert_int_equal(j->number_ios, MIB / 8192);
	j = job(&wl, "b");
	assert_int_equal(j->bs_max, 16384);    /* the later [global] */
	assert_int_equal(j->rw, RW_RANDWRITE); /* still the first one's */
	j = job(&wl, "c");
	assert_int_equal(j->bs_max, 32768);
	assert_int_equal(j->rw, RW_READ);
	workload_free(&wl);
}

static void test_fio_defaults(void **state)
{
	struct workload wl;
	const struct wl_job *j;

	(void)state;
	parse_ok("[plain]\nsize=1m\n", &wl);
	assert_true(wl.fio);
	j = job(&wl, "plain");
	assert_int_equal(j->type, JOB_IO);
	assert_string_equal(j->engine, "sync"); /* fio's psync */
	assert_false(j->direct);
	assert_int_equal(j->rw, RW_READ);
	assert_int_equal(j->iodepth, 1);
	assert_int_equal(j->number_ios, 256);
	assert_true(wl.fallocate); /* fallocate=native */
	assert_int_equal(wl.filesize, MIB);
	assert_int_equal(wl.nfnames, 1);
	assert_string_equal(wl.fnames[0], "plain.0.0");
	workload_free(&wl);
}

static void test_fio_mapping(void **state)
{
	struct workload wl;
	const struct wl_job *j;

	(void)state;
	parse_ok("[global]\nfilename=shared\nsize=8m\nfallocate=none\n"
		 "[w]\nioengine=psync\nrw=randrw\nrwmixwrite=30\nbs=4k\n"
		 "number_ios=100\nnumjobs=3\n"
		 "[alloc]\nioengine=falloc\nrw=randwrite\nbs=64k\n"
		 "number_ios=5\n"
		 "[keep]\nioengine=falloc\nrw=read\nbs=64k\nio_size=256k\n"
		 "[hole]\nioengine=falloc\nrw=randtrim\nbs=4k\nnumber_ios=7\n"
		 "[trim]\nioengine=libaio\nrw=trim\nbs=8k\nnumber_ios=9\n"
		 "[cut]\nioengine=ftruncate\nrw=write\noffset=1m\nsize=50%\n"
		 "number_ios=4\nstonewall\n"
		 "[own]\nfilename=other\nrw=write\nbs=1m\n"
		 "[later]\nwait_for=cut\nrw=write\nbs=1m\n",
		 &wl);
	assert_false(wl.fallocate);
	assert_int_equal(wl.nfnames, 2);
	assert_int_equal(wl.nrfiles, 2);
	j = job(&wl, "w");
	assert_int_equal(j->type, JOB_IO);
	assert_string_equal(j->engine, "sync");
	assert_int_equal(j->rw, RW_RANDRW);
	assert_int_equal(j->rwmixread, 70);
	assert_int_equal(j->number_ios, 100);
	assert_int_equal(j->file, 0);
	assert_int_equal(job(&wl, "w.1")->file, 0); /* clones share it */
	assert_int_equal(job(&wl, "w.2")->number_ios, 100);
	j = job(&wl, "alloc");
	assert_int_equal(j->type, JOB_FALLOCATE);
	assert_false(j->keep_size);
	assert_int_equal(j->count, 5);
	assert_int_equal(j->len, 65536);
	assert_true(j->offset == WL_RANDOM_OFFSET);
	j = job(&wl, "keep");
	assert_int_equal(j->type, JOB_FALLOCATE);
	assert_true(j->keep_size);
	assert_int_equal(j->count, 4); /* io_size / bs */
	assert_int_equal(job(&wl, "hole")->type, JOB_PUNCH);
	assert_int_equal(job(&wl, "hole")->count, 7);
	assert_int_equal(job(&wl, "trim")->type, JOB_PUNCH);
	assert_int_equal(job(&wl, "trim")->len, 8192);
	j = job(&wl, "cut");
	assert_int_equal(j->type, JOB_TRUNCATE);
	assert_int_equal(j->trunc_size, MIB);
	assert_int_equal(j->grow_back, MIB + 4 * MIB); /* 50% of 8m */
	assert_int_equal(j->count, 4);
	assert_int_equal(j->stage, 1);
	j = job(&wl, "own");
	assert_int_equal(j->file, 1);
	assert_int_equal(j->stage, 1); /* after the stonewall */
	assert_int_equal(j->number_ios, 8);
	assert_int_equal(job(&wl, "later")->stage, 2);
	assert_int_equal(job(&wl, "alloc")->stage, 0);
	workload_free(&wl);
}

static void test_own_files_and_syncs(void **state)
{
	struct workload wl;
	const struct wl_job *j;

	(void)state;
	parse_ok("[global]\nsize=2m\nbs=4k\nrw=randwrite\nioengine=libaio\n"
		 "[a]\nnumjobs=2\nfsync=64\nend_fsync=1\n",
		 &wl);
	assert_int_equal(wl.nrfiles, 2);
	assert_string_equal(wl.fnames[0], "a.0.0");
	assert_string_equal(wl.fnames[1], "a.1.0");
	assert_int_equal(job(&wl, "a")->file, 0);
	assert_int_equal(job(&wl, "a.1")->file, 1);
	j = job(&wl, "a.fsync");
	assert_int_equal(j->type, JOB_FSYNC);
	assert_int_equal(j->count, 512 / 64);
	assert_int_equal(job(&wl, "a.1.fsync")->file, 1);
	assert_int_equal(wl.fio_notes, WL_NOTE_SYNC);
	workload_free(&wl);
}

static void test_all_errors(void **state)
{
	struct workload wl;
	char err[8192], text[4096];
	size_t n = 0;
	unsigned i, lines = 0;
	const char *s;

	(void)state;
	assert_int_equal(workload_parse_string("[global]\n"
					       "ioengine=windowsaio\n"
					       "numjob=2\n"
					       "zonemode=zbd\n"
					       "[j]\n"
					       "bs=3\n"
					       "rw=sideways\n"
					       "random_distribution=zipf\n"
					       "image_size=1g\n",
					       "e.fio", &wl, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "e.fio:2: ioengine: fio engine "
				    "'windowsaio' is not supported"));
	assert_non_null(strstr(err, "e.fio:3: numjob: unknown key 'numjob' "
				    "in [global] (did you mean 'numjobs'?)"));
	assert_non_null(strstr(err, "e.fio:4: zonemode: fio key 'zonemode' "
				    "is not supported by iorace"));
	assert_non_null(strstr(err, "e.fio:6: bs: '3' is not a multiple"));
	assert_non_null(strstr(err, "e.fio:7: rw: bad value 'sideways'"));
	assert_non_null(strstr(err, "e.fio:8: random_distribution: fio key"));
	assert_non_null(strstr(err, "e.fio:9: image_size: key 'image_size' "
				    "is only valid in [global]"));
	for (s = err; (s = strstr(s, "e.fio:")); s++)
		lines++;
	assert_int_equal(lines, 7);
	assert_null(wl.jobs);

	/* fio's ftruncate engine fails reads (rw= defaults to read) */
	assert_int_equal(workload_parse_string("[t]\nioengine=ftruncate\n",
					       "r.fio", &wl, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "r.fio:1: rw: job [t]: ioengine=ftruncate "
				    "needs rw=write"));

	/* fio's nrfiles (files per job) is not iorace's (files in all) */
	assert_int_equal(workload_parse_string("[global]\nnrfiles=2\n[j]\n"
					       "size=1m\n",
					       "n.fio", &wl, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "n.fio:2: nrfiles: 2 files per fio job "
				    "are not supported"));

	/* at most 20, then a count */
	n = snprintf(text, sizeof(text), "[j]\n");
	for (i = 0; i < 25; i++)
		n += snprintf(text + n, sizeof(text) - n, "bogus%u=1\n", i);
	assert_int_equal(
		workload_parse_string(text, "m.fio", &wl, err, sizeof(err)),
		-1);
	for (lines = 0, s = err; (s = strstr(s, "m.fio:")); s++)
		lines++;
	assert_int_equal(lines, 21); /* 20 errors and the count */
	assert_non_null(strstr(err, "m.fio:21: bogus19: unknown key"));
	assert_null(strstr(err, "bogus20"));
	assert_non_null(strstr(err, "m.fio: ... and 5 more errors"));
}

static void test_time_based_scale(void **state)
{
	struct workload wl;
	const struct wl_job *j;

	(void)state;
	parse_ok("[t]\nrw=randwrite\nsize=16m\ntime_based\nruntime=100s\n",
		 &wl);
	j = job(&wl, "t");
	assert_true(j->time_based);
	assert_int_equal(j->number_ios, 65536);
	assert_int_equal(workload_scale(&wl, 0.1, NULL, 0), 0);
	assert_int_equal(j->runtime_ns, 10 * NSEC_PER_SEC);
	assert_int_equal(j->number_ios, 6554);
	workload_free(&wl);
	/* a job with type= keeps iorace's meaning: runtime is a cap */
	parse_ok("[t]\ntype=io\nruntime=100s\n", &wl);
	assert_int_equal(workload_scale(&wl, 0.1, NULL, 0), 0);
	assert_int_equal(wl.jobs[0].runtime_ns, 100 * NSEC_PER_SEC);
	assert_int_equal(wl.jobs[0].number_ios, 100);
	assert_false(wl.fio);
	workload_free(&wl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_comments_env_flags),
		cmocka_unit_test(test_globals),
		cmocka_unit_test(test_fio_defaults),
		cmocka_unit_test(test_fio_mapping),
		cmocka_unit_test(test_own_files_and_syncs),
		cmocka_unit_test(test_all_errors),
		cmocka_unit_test(test_time_based_scale),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
