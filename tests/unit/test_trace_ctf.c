// SPDX-License-Identifier: GPL-2.0
/*
 * CTF writer: write small kernel-event traces, read them back with
 * babeltrace2 and check names, fields, order, clock and discarded events.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/util.h"
#include "trace/ctf_writer.h"

static char *run_cmd(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	char *out = NULL;
	size_t cap = 0, n = 0;

	if (!p)
		return NULL;
	for (;;) {
		grow_array((void **)&out, &cap, n + 4097, 1);
		size_t r = fread(out + n, 1, 4096, p);

		n += r;
		if (!r)
			break;
	}
	out[n] = 0;
	pclose(p);
	return out;
}

/* The line of out showing event name at cycle count ts, or NULL. */
static const char *find_event(const char *out, uint64_t ts, const char *name)
{
	char key[64];
	const char *p, *eol;

	snprintf(key, sizeof(key), "[%020llu]", (unsigned long long)ts);
	p = strstr(out, key);
	if (!p)
		return NULL;
	eol = strchr(p, '\n');
	if (!eol)
		eol = p + strlen(p);
	snprintf(key, sizeof(key), " %s: ", name);
	const char *q = strstr(p, key);

	return q && q < eol ? p : NULL;
}

static char tmpdir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/iorace-ctf-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *const map_names[] = { "tid", "dev", "ino", "lblk", "len" };
static const enum ctfw_type map_types[] = { CTFW_INT, CTFW_INT, CTFW_INT,
					    CTFW_INT, CTFW_INT };
static const char *const rq_names[] = { "dev", "sector", "rwbs" };
static const enum ctfw_type rq_types[] = { CTFW_INT, CTFW_INT, CTFW_STR };

static void test_roundtrip(void **state)
{
	char dir[128], cmd[256];
	struct ctfw *w;
	int map, rq;
	struct ctfw_val v[5];
	char *out;
	const char *a, *b, *c;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/trace/kernel", tmpdir);
	w = ctfw_open(dir, NULL, "kernel");
	assert_non_null(w);
	map = ctfw_class(w, "ext4_ext_map_blocks_exit", 5, map_names,
			 map_types);
	rq = ctfw_class(w, "block_rq_issue", 3, rq_names, rq_types);
	assert_int_equal(map, 0);
	assert_int_equal(rq, 1);
	/* same name, same fields: same id; different fields: error */
	assert_int_equal(ctfw_class(w, "block_rq_issue", 3, rq_names, rq_types),
			 1);
	assert_int_equal(ctfw_class(w, "block_rq_issue", 2, rq_names, rq_types),
			 -1);

	v[0].i = 42;
	v[1].i = 7340032;
	v[2].i = 12;
	v[3].i = -5;
	v[4].i = 8;
	assert_int_equal(ctfw_event(w, 0, map, 1000000000ull, v), 0);
	v[0].i = 7340032;
	v[1].i = -1;
	v[2].s = "WS";
	assert_int_equal(ctfw_event(w, 1, rq, 1000000500ull, v), 0);
	v[0].i = 43;
	v[1].i = 7340032;
	v[2].i = 13;
	v[3].i = 0;
	v[4].i = 1;
	assert_int_equal(ctfw_event(w, 0, map, 1000001000ull, v), 0);
	assert_int_equal(ctfw_discarded(w, 1, 3, 1000002000ull), 0);
	assert_int_equal(ctfw_count(w), 3);
	assert_int_equal(ctfw_close(w), 0);

	snprintf(cmd, sizeof(cmd), "babeltrace2 --clock-cycles %s/trace 2>&1",
		 tmpdir);
	out = run_cmd(cmd);
	assert_non_null(out);
	a = find_event(out, 1000000000ull, "ext4_ext_map_blocks_exit");
	b = find_event(out, 1000000500ull, "block_rq_issue");
	c = find_event(out, 1000001000ull, "ext4_ext_map_blocks_exit");
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_true(a < b && b < c);
	assert_non_null(strstr(out, "{ tid = 42, dev = 7340032, ino = 12, "
				    "lblk = -5, len = 8 }"));
	assert_non_null(strstr(out, "{ dev = 7340032, sector = -1, "
				    "rwbs = \"WS\" }"));
	assert_non_null(strstr(out, "cpu_id = 1"));
	/* the lost events surface as babeltrace2's discarded-events report */
	assert_non_null(strstr(out, "Tracer discarded 3 events"));
	free(out);
}

/* The clock block of another trace is reused verbatim (muxable). */
static void test_clock_copy(void **state)
{
	const char *tsdl =
		"/* CTF 1.8 */\ntypealias integer { size = 64; map = "
		"clock.monotonic.value; } := x;\n"
		"clock {\n\tname = \"monotonic\";\n\tuuid = "
		"\"8c2a4d4e-5f5d-4a3e-9a0b-2b6b9f0c3d11\";\n"
		"\tfreq = 1000000000;\n\toffset = 1700000000000000000;\n};\n"
		"stream { };\n";
	char *blk = ctf_clock_block_from_tsdl(tsdl);
	char dir[128], cmd[256], *out;
	struct ctfw *w;
	const char *n[] = { "x" };
	enum ctfw_type t[] = { CTFW_INT };
	struct ctfw_val v = { .i = 1 };

	(void)state;
	assert_non_null(blk);
	assert_non_null(strstr(blk, "offset = 1700000000000000000;"));
	assert_null(strstr(blk, "stream"));
	snprintf(dir, sizeof(dir), "%s/k2", tmpdir);
	w = ctfw_open(dir, blk, "kernel");
	assert_non_null(w);
	assert_int_equal(ctfw_class(w, "ev", 1, n, t), 0);
	assert_int_equal(ctfw_event(w, 0, 0, 5, &v), 0);
	assert_int_equal(ctfw_close(w), 0);
	free(blk);
	blk = ctf_find_clock_block(tmpdir, NULL);
	assert_non_null(blk);
	assert_non_null(strstr(blk, "8c2a4d4e-5f5d-4a3e-9a0b-2b6b9f0c3d11"));
	free(blk);
	/* offset 1.7e18 ns + 5 cycles: 2023-11-14 22:13:20.000000005 UTC */
	snprintf(cmd, sizeof(cmd),
		 "TZ=UTC babeltrace2 --clock-gmt --clock-date %s 2>&1", dir);
	out = run_cmd(cmd);
	assert_non_null(strstr(out, "2023-11-14 22:13:20.000000005"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roundtrip, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_clock_copy, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
