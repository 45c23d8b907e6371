// SPDX-License-Identifier: GPL-2.0
/* Unit tests for replay/workload.c: the .job parser, scaling, resolving. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util.h"
#include "replay/plan.h"
#include "replay/swarm.h"
#include "replay/workload.h"

#define MIB (1ull << 20)
#define GIB (1ull << 30)

/*
 * Find a repo-relative directory: from the current directory, or relative
 * to the test binary (build/tests/ -> ../../).
 */
static const char *repo_dir(const char *rel, char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n;
	struct stat st;
	char *slash;

	if (!stat(rel, &st) && S_ISDIR(st.st_mode)) {
		snprintf(buf, len, "%s", rel);
		return buf;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	assert_true(n > 0);
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	assert_non_null(slash);
	*slash = '\0';
	if (snprintf(buf, len, "%s/../../%s", exe, rel) >= (int)len)
		fail_msg("path too long");
	assert_int_equal(stat(buf, &st), 0);
	return buf;
}

static const struct wl_job *find_job(const struct workload *wl,
				     const char *name)
{
	unsigned i;

	for (i = 0; i < wl->njobs; i++)
		if (!strcmp(wl->jobs[i].name, name))
			return &wl->jobs[i];
	fail_msg("no job [%s]", name);
	return NULL;
}

static void test_defaults(void **state)
{
	struct workload wl;
	char err[512];
	const struct wl_job *j, *t;

	(void)state;
	assert_int_equal(workload_parse_string("[w]\ntype=io\n[t]\n"
					       "type=truncate\n",
					       "mem.job", &wl, err,
					       sizeof(err)),
			 0);
	assert_string_equal(wl.name, "mem");
	assert_string_equal(wl.description, "");
	assert_int_equal(wl.nrfiles, 1);
	assert_int_equal(wl.filesize, 64 * MIB);
	/* 2 * 1 * 64m + 64m */
	assert_int_equal(wl.image_size, 192 * MIB);
	assert_string_equal(wl.mkfs_opts, "");
	assert_string_equal(wl.mount_opts, "");
	assert_false(wl.fallocate);
	assert_true(wl.poison);
	assert_int_equal(wl.watchdog_ns, 60 * NSEC_PER_SEC);
	assert_int_equal(wl.njobs, 2);

	j = find_job(&wl, "w");
	assert_int_equal(j->line, 1);
	assert_int_equal(j->type, JOB_IO);
	assert_string_equal(j->engine, "");
	assert_true(j->direct);
	assert_false(j->dsync);
	assert_int_equal(j->rw, RW_RANDWRITE);
	assert_int_equal(j->rwmixread, 50);
	assert_int_equal(j->bs_min, 4096);
	assert_int_equal(j->bs_max, 4096);
	assert_int_equal(j->iodepth, 8);
	assert_int_equal(j->contexts, 1);
	assert_int_equal(j->number_ios, 1000);
	assert_int_equal(j->file, WL_ALL_FILES);
	assert_int_equal(j->stage, 0);
	assert_int_equal(j->offset, 0);
	assert_int_equal(j->size, 0);
	assert_int_equal(j->runtime_ns, 0);

	t = find_job(&wl, "t");
	assert_int_equal(t->line, 3);
	assert_int_equal(t->type, JOB_TRUNCATE);
	assert_int_equal(t->file, 0);
	assert_int_equal(t->count, 1);
	assert_int_equal(t->interval_ns, 0);
	assert_int_equal(t->start_delay_ns, 0);
	assert_int_equal(t->trunc_size, 0);
	assert_int_equal(t->grow_back, 0);
	workload_free(&wl);
}

static void test_every_key(void **state)
{
	struct workload wl;
	char dir[PATH_MAX], path[PATH_MAX + 32], err[512];
	const struct wl_job *j;

	(void)state;
	snprintf(path, sizeof(path), "%s/good-all-keys.job",
		 repo_dir("tests/unit/data", dir, sizeof(dir)));
	if (workload_parse_file(path, &wl, err, sizeof(err)))
		fail_msg("%s", err);
	assert_string_equal(wl.name, "good-all-keys");
	assert_string_equal(wl.path, path);
	assert_string_equal(wl.description, "all keys fixture");
	assert_int_equal(wl.image_size, 3 * GIB);
	assert_string_equal(wl.mkfs_opts, "-b 4096 -E lazy_itable_init=0");
	assert_string_equal(wl.mount_opts, "dioread_nolock,data=ordered");
	assert_int_equal(wl.nrfiles, 3);
	assert_int_equal(wl.filesize, 256 * MIB);
	assert_true(wl.fallocate);
	assert_false(wl.poison);
	assert_int_equal(wl.watchdog_ns, 90 * NSEC_PER_SEC);
	assert_int_equal(wl.njobs, 7);

	j = find_job(&wl, "io-all");
	assert_int_equal(j->type, JOB_IO);
	assert_int_equal(j->file, WL_ALL_FILES);
	assert_int_equal(j->stage, 1);
	assert_string_equal(j->engine, "io_uring");
	assert_false(j->direct);
	assert_true(j->dsync);
	assert_int_equal(j->rw, RW_RANDRW);
	assert_int_equal(j->rwmixread, 30);
	assert_int_equal(j->bs_min, 4096);
	assert_int_equal(j->bs_max, 65536);
	assert_int_equal(j->iodepth, 16);
	assert_int_equal(j->contexts, 4);
	assert_int_equal(j->number_ios, 12345);
	assert_int_equal(j->runtime_ns, 10 * NSEC_PER_SEC);
	assert_int_equal(j->offset, MIB);
	assert_int_equal(j->size, 100 * MIB);

	j = find_job(&wl, "trunc");
	assert_int_equal(j->type, JOB_TRUNCATE);
	assert_int_equal(j->file, 2);
	assert_int_equal(j->stage, 0);
	assert_int_equal(j->start_delay_ns, 2 * NSEC_PER_SEC);
	assert_int_equal(j->interval_ns, 100 * NSEC_PER_MSEC);
	assert_int_equal(j->count, 10);
	assert_int_equal(j->trunc_size, 4096);
	assert_int_equal(j->size, 0);
	assert_int_equal(j->grow_back, 256 * MIB);
	assert_int_equal(j->when_inflight, 8);

	j = find_job(&wl, "punchy");
	assert_int_equal(j->type, JOB_PUNCH);
	assert_int_equal(j->file, 1);
	assert_true(j->offset == WL_RANDOM_OFFSET);
	assert_int_equal(j->len, 64 * 1024);
	assert_true(j->keep_size);
	assert_int_equal(j->count, 3);

	j = find_job(&wl, "falloc");
	assert_int_equal(j->type, JOB_FALLOCATE);
	assert_int_equal(j->file, 0);
	assert_int_equal(j->offset, 8 * MIB);
	assert_int_equal(j->len, MIB);
	assert_false(j->keep_size);

	j = find_job(&wl, "zr");
	assert_int_equal(j->type, JOB_ZERO_RANGE);
	assert_int_equal(j->len, 512 * 1024);
	assert_true(j->keep_size);

	j = find_job(&wl, "sync");
	assert_int_equal(j->type, JOB_FSYNC);
	assert_int_equal(j->count, 5);
	assert_int_equal(j->interval_ns, 20 * NSEC_PER_MSEC);

	j = find_job(&wl, "dsync");
	assert_int_equal(j->type, JOB_FDATASYNC);
	workload_free(&wl);
}

static const struct {
	const char *file;
	int line;
	const char *why;
} bad_cases[] = {
	{ "bad-unknown-key.job", 5, "frobnicate: unknown key 'frobnicate'" },
	{ "bad-value.job", 3, "iodepth: bad value 'abc'" },
	{ "bad-type.job", 3, "type: unknown job type 'explode'" },
	{ "bad-bs.job", 5, "bs: '1000' is not a multiple of 512" },
	{ "bad-dup-section.job", 5, "duplicate section [a]" },
	{ "bad-outside.job", 2, "outside a section" },
	{ "bad-global-key.job", 3,
	  "iodepht: unknown key 'iodepht' in [global] (did you mean "
	  "'iodepth'?)" },
	{ "bad-key-for-type.job", 4,
	  "bs: key 'bs' is not valid for type=truncate" },
	{ "bad-file-index.job", 5, "file: file=3 but nrfiles=2" },
	{ "bad-dup-key.job", 4, "rw: duplicate key 'rw' (first at line 3)" },
	{ "bad-empty-region.job", 3, "holds no 4096-byte block" },
	{ "bad-no-jobs.job", 2, "no job sections" },
	{ "bad-syntax.job", 3, "expected key=value" },
	{ "bad-bs-range.job", 3, "bs: range '64k-4k' is reversed" },
	{ "bad-random-io.job", 3,
	  "offset: offset=random is not valid for io jobs" },
	{ "bad-all-racing.job", 3, "file: file=all is only valid for io jobs" },
	{ "bad-header.job", 1, "malformed section header" },
};

static void test_bad_files(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX + 64], want[PATH_MAX + 80];
	char err[1024];
	struct workload wl;
	size_t i;

	(void)state;
	repo_dir("tests/unit/data", dir, sizeof(dir));
	for (i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, bad_cases[i].file);
		err[0] = '\0';
		if (!workload_parse_file(path, &wl, err, sizeof(err)))
			fail_msg("%s parsed", bad_cases[i].file);
		snprintf(want, sizeof(want), "%s:%d: ", path,
			 bad_cases[i].line);
		if (strncmp(err, want, strlen(want)) ||
		    !strstr(err, bad_cases[i].why))
			fail_msg("%s: got '%s', want '%s...%s'",
				 bad_cases[i].file, err, want,
				 bad_cases[i].why);
		assert_null(wl.jobs);
	}
}

static void test_bad_strings(void **state)
{
	static const struct {
		const char *text, *want;
	} c[] = {
		{ "[j]\ntype=io\nrwmixread=101\n",
		  "x:3: rwmixread: bad value '101'" },
		{ "[j]\ntype=io\nbs=512-1k\n",
		  "x:3: bs: range '512-1k' holds" },
		{ "[j]\ntype=io\ncontexts=0\n",
		  "x:3: contexts: bad value '0'" },
		{ "[j]\ntype=io\nengine=posix\n",
		  "x:3: engine: bad value 'posix'" },
		{ "[global]\nimage_size=1m\n[j]\ntype=io\n",
		  "x:2: image_size: bad value" },
		{ "[global]\nimage_size=32m\nfilesize=1g\n[j]\ntype=io\n",
		  "x:2: image_size: too small" },
		{ "[p]\ntype=punch\noffset=random\n",
		  "x:1: job [p]: needs len=" },
		{ "[c]\ntype=collapse_range\noffset=0\n",
		  "x:1: job [c]: needs len=" },
		{ "[c]\ntype=insert_range\nlen=6k\n",
		  "x:1: job [c]: insert_range offset and len must be "
		  "multiples of 4k" },
		{ "[c]\ntype=collapse_range\nlen=4k\nkeep_size=1\n",
		  "x:4: keep_size: key 'keep_size' is not valid for "
		  "type=collapse_range" },
		{ "[j]\ntype=io\nstart_delay=1s\n",
		  "x:3: start_delay: key 'start_delay' is not valid for "
		  "type=io" },
		{ "[j]\ntype=io\nruntime=fast\n",
		  "x:3: runtime: bad value 'fast'" },
		{ "[]\n", "x:1: empty section name" },
		{ "[j]\ntype=io\n=4\n", "x:3: missing key" },
		{ "[t]\ntype=truncate\nsize=1000\n",
		  "x:3: size: bad value '1000' (want a size, multiple of "
		  "512)" },
	};
	struct workload wl;
	char err[512];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		err[0] = '\0';
		if (!workload_parse_string(c[i].text, "x", &wl, err,
					   sizeof(err)))
			fail_msg("case %zu parsed", i);
		if (strncmp(err, c[i].want, strlen(c[i].want)))
			fail_msg("case %zu: got '%s', want '%s'", i, err,
				 c[i].want);
	}
}

static void test_missing_file(void **state)
{
	struct workload wl;
	char err[512];

	(void)state;
	assert_int_equal(workload_parse_file("/nonexistent/x.job", &wl, err,
					     sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "/nonexistent/x.job:0: "));
}

static void test_scale(void **state)
{
	struct workload wl;
	char err[512];
	const struct wl_job *io, *tr, *pu, *rd;

	(void)state;
	if (workload_parse_string("[global]\nfilesize=1g\nfallocate=1\n"
				  "[w]\ntype=io\nbs=64k\nsize=100m\n"
				  "number_ios=50000\ncontexts=10\n"
				  "runtime=10s\n"
				  "[r]\ntype=io\nbs=4k-128k\nnumber_ios=3\n"
				  "[t]\ntype=truncate\nsize=100m\n"
				  "grow_back=1g\ncount=50\ninterval=20ms\n"
				  "start_delay=2s\n"
				  "[p]\ntype=punch\noffset=random\nlen=1m\n"
				  "count=7\n",
				  "s", &wl, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(workload_scale(&wl, 0.05, NULL, 0), 0);
	/* 1g * 0.05 = 53687091.2 -> nearest 4k multiple */
	assert_int_equal(wl.filesize, 53686272);
	assert_int_equal(wl.filesize % 4096, 0);
	assert_true(wl.image_size >= 2 * wl.filesize + 32 * MIB);
	assert_int_equal(wl.image_size % MIB, 0);

	io = find_job(&wl, "w");
	assert_int_equal(io->size, 5 * MIB);
	assert_int_equal(io->size % io->bs_max, 0);
	assert_int_equal(io->number_ios, 2500);
	assert_int_equal(io->runtime_ns, 10 * NSEC_PER_SEC);
	rd = find_job(&wl, "r");
	assert_int_equal(rd->number_ios, 1); /* minimum 1 */
	tr = find_job(&wl, "t");
	assert_int_equal(tr->trunc_size % 4096, 0);
	assert_true(tr->trunc_size >= 5 * MIB - 4096 &&
		    tr->trunc_size <= 5 * MIB + 4096);
	assert_int_equal(tr->grow_back, 53686272);
	assert_int_equal(tr->count, 3); /* 2.5 rounds to 3 */
	assert_int_equal(tr->interval_ns, 20 * NSEC_PER_MSEC);
	assert_int_equal(tr->start_delay_ns, 2 * NSEC_PER_SEC);
	pu = find_job(&wl, "p");
	assert_true(pu->offset == WL_RANDOM_OFFSET);
	assert_int_equal(pu->len, 53248); /* 51.2k -> 52k */
	assert_int_equal(pu->count, 1);

	/* Tiny scale: sizes keep a minimum, the image holds the files. */
	assert_int_equal(workload_scale(&wl, 0.0001, NULL, 0), 0);
	assert_true(wl.filesize >= 4096 && wl.filesize % 4096 == 0);
	io = find_job(&wl, "w");
	assert_true(io->size >= io->bs_max);
	assert_int_equal(io->number_ios, 1);
	assert_true(wl.image_size >= 32 * MIB);
	workload_free(&wl);
}

static void test_scale_clamps_region(void **state)
{
	struct workload wl;
	char err[512];
	const struct wl_job *j;

	(void)state;
	/* region ends at EOF; after scaling it must still fit the file */
	if (workload_parse_string("[global]\nfilesize=100m\n"
				  "[w]\ntype=io\nbs=192k\noffset=36m\n"
				  "size=64m\n",
				  "c", &wl, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(workload_scale(&wl, 0.1, NULL, 0), 0);
	j = find_job(&wl, "w");
	assert_int_equal(j->offset % j->bs_max, 0);
	assert_int_equal(j->size % j->bs_max, 0);
	assert_true(j->size >= j->bs_max);
	assert_true(j->offset + j->size <= wl.filesize);
	workload_free(&wl);
}

/* A truncate ending mid-block keeps its sectors inside the block. */
static void test_scale_unaligned_truncate(void **state)
{
	struct workload wl;
	char err[512];
	const struct wl_job *j;

	(void)state;
	if (workload_parse_string("[global]\nfilesize=32m\n"
				  "[t]\ntype=truncate\nsize=8390144\n"
				  "grow_back=32m\n"
				  "[u]\ntype=truncate\nsize=1536\n",
				  "u", &wl, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(workload_scale(&wl, 0.05, NULL, 0), 0);
	j = find_job(&wl, "t");
	/* 8 MiB * 0.05 = 409.6 KiB -> 408 KiB, plus the 1536 bytes */
	assert_int_equal(j->trunc_size, 408 * 1024 + 1536);
	assert_int_equal(j->grow_back % 4096, 0);
	j = find_job(&wl, "u");
	assert_int_equal(j->trunc_size, 1536);
	workload_free(&wl);
}

static void test_named_workloads(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX + 300], err[1024];
	struct dirent *de;
	unsigned n = 0;
	DIR *d;

	(void)state;
	d = opendir(repo_dir("workloads", dir, sizeof(dir)));
	assert_non_null(d);
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		struct workload wl;
		struct plan p;
		unsigned i;

		if (len < 5 || strcmp(de->d_name + len - 4, ".job"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (workload_parse_file(path, &wl, err, sizeof(err)))
			fail_msg("%s", err);
		if (!wl.description[0])
			fail_msg("%s: no description=", de->d_name);
		if (wl.swarm && swarm_expand(&wl, 1, err, sizeof(err)))
			fail_msg("%s: %s", de->d_name, err);
		assert_true(wl.njobs > 0);
		for (i = 0; i < wl.njobs; i++)
			if (wl.jobs[i].file != WL_ALL_FILES)
				assert_true((unsigned)wl.jobs[i].file <
					    wl.nrfiles);
		assert_int_equal(workload_scale(&wl, 0.05, NULL, 0), 0);
		if (plan_build(&wl, 1, &p))
			fail_msg("%s: plan_build failed at scale 0.05",
				 de->d_name);
		assert_true(p.nops > 0);
		for (i = 0; i < p.nops; i++) {
			const struct plan_op *op = &p.ops[i];
			const struct wl_job *j = &wl.jobs[op->job];
			uint64_t end =
				j->offset +
				(j->size ? j->size : wl.filesize - j->offset);

			assert_true(op->file < wl.nrfiles);
			if (j->type != JOB_IO)
				continue;
			assert_int_equal(op->off % 512, 0);
			assert_true(op->len >= j->bs_min &&
				    op->len <= j->bs_max);
			assert_true(op->off >= j->offset &&
				    op->off + op->len <= end);
		}
		plan_free(&p);
		workload_free(&wl);
		n++;
	}
	closedir(d);
	assert_true(n >= 6);
}

static void test_seed_workload(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX + 32], err[512];
	struct workload wl;
	const struct wl_job *w, *r, *t;

	(void)state;
	snprintf(path, sizeof(path), "%s/seed-truncate-dio.job",
		 repo_dir("workloads", dir, sizeof(dir)));
	if (workload_parse_file(path, &wl, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(wl.filesize, GIB);
	assert_true(wl.fallocate);
	assert_true(wl.image_size >= 2 * GIB);
	w = find_job(&wl, "aio-randwrite");
	r = find_job(&wl, "aio-randread");
	t = find_job(&wl, "truncate-0");
	assert_int_equal(w->number_ios + r->number_ios, 100000);
	assert_int_equal(w->contexts, 10);
	assert_int_equal(w->bs_max, 64 * 1024);
	assert_int_equal(w->iodepth, 64);
	assert_int_equal(w->size, 100 * MIB);
	assert_int_equal(w->stage, 0);
	assert_int_equal(r->stage, 1);
	assert_int_equal(r->rw, RW_RANDREAD);
	assert_int_equal(t->type, JOB_TRUNCATE);
	assert_int_equal(t->trunc_size, 0);
	assert_int_equal(t->start_delay_ns, 2 * NSEC_PER_SEC);
	assert_int_equal(t->stage, 0);
	workload_free(&wl);
}

static void test_resolve(void **state)
{
	char tmpl[] = "/tmp/iorace-wl-XXXXXX";
	char path[PATH_MAX], out[PATH_MAX];
	char *old = getenv("IORACE_WORKLOADS");
	char *saved = old ? strdup(old) : NULL;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	snprintf(path, sizeof(path), "%s/zzz-test.job", tmpl);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("[j]\ntype=io\n", f);
	fclose(f);

	setenv("IORACE_WORKLOADS", tmpl, 1);
	assert_string_equal(workload_dir(), tmpl);
	assert_int_equal(workload_resolve("zzz-test", out, sizeof(out)), 0);
	assert_string_equal(out, path);
	assert_int_equal(workload_resolve("zzz-test.job", out, sizeof(out)), 0);
	assert_string_equal(out, path);
	/* an existing path is taken as is */
	assert_int_equal(workload_resolve(path, out, sizeof(out)), 0);
	assert_string_equal(out, path);
	assert_int_equal(workload_resolve("no-such-workload", out, sizeof(out)),
			 -1);
	assert_int_equal(workload_resolve("/no/such.job", out, sizeof(out)),
			 -1);
	/* too small an output buffer fails rather than truncating */
	assert_int_equal(workload_resolve("zzz-test", out, 8), -1);

	unlink(path);
	rmdir(tmpl);
	if (saved) {
		setenv("IORACE_WORKLOADS", saved, 1);
		free(saved);
	} else {
		unsetenv("IORACE_WORKLOADS");
		assert_string_not_equal(workload_dir(), tmpl);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_bad_strings),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_scale),
		cmocka_unit_test(test_scale_clamps_region),
		cmocka_unit_test(test_scale_unaligned_truncate),
		cmocka_unit_test(test_named_workloads),
		cmocka_unit_test(test_seed_workload),
		cmocka_unit_test(test_resolve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
