// SPDX-License-Identifier: GPL-2.0
/*
 * Issue 15: the trace dir walk followed symlinks, so a link to a trace dir
 * or a link loop made `iorace check` read one trace hundreds of times.
 * Symlinks are skipped now: one real trace dir is one trace.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "checker/checker.h"

static int no_event(void *arg, const struct ck_event *ev)
{
	(void)arg;
	(void)ev;
	return 0;
}

static void test_symlinks_not_followed(void **state)
{
	char dir[] = "/tmp/iorace-test-links-XXXXXX", p[256], q[256];
	struct ck_classes *cc = ck_classes_new();
	struct ck_read_stats st;
	char err[512];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/a", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/a/metadata", dir);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs("not CTF\n", f);
	assert_int_equal(fclose(f), 0);
	/* a link to the trace dir, a loop back up, a linked metadata file */
	snprintf(p, sizeof(p), "%s/b", dir);
	assert_int_equal(symlink("a", p), 0);
	snprintf(p, sizeof(p), "%s/a/up", dir);
	assert_int_equal(symlink("..", p), 0);
	snprintf(p, sizeof(p), "%s/c", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/c/metadata", dir);
	snprintf(q, sizeof(q), "%s/a/metadata", dir);
	assert_int_equal(symlink(q, p), 0);

	/* garbage metadata: the read fails, after counting the trace dirs */
	ck_read_trace(dir, cc, no_event, NULL, &st, err, sizeof(err));
	assert_int_equal(st.ntraces, 1);

	ck_classes_free(cc);
	snprintf(p, sizeof(p), "rm -rf '%s'", dir);
	assert_int_equal(system(p), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_symlinks_not_followed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
