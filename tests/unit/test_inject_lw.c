// SPDX-License-Identifier: GPL-2.0
/* dm-log-writes log reader: a hand-built log replayed to each mark. */
#include <endian.h>
#include <fcntl.h>
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

#include "common/util.h"
#include "injectors/lw_format.h"

#define SS 4096u

static char logp[64], imgp[64];
static unsigned char logbuf[64 * SS];
static size_t nblk;
static uint64_t nent;

static void entry(uint64_t sector, uint64_t nr, uint64_t flags,
		  const char *mark, int fill)
{
	uint64_t v[4] = { htole64(sector), htole64(nr), htole64(flags),
			  htole64(mark ? strlen(mark) : 0) };
	unsigned char *b = logbuf + (1 + nblk) * SS;

	memcpy(b, v, sizeof(v));
	if (mark)
		memcpy(b + sizeof(v), mark, strlen(mark));
	nblk++;
	nent++;
	if (!(flags & (LW_DISCARD | LW_MARK)) && nr) {
		memset(logbuf + (1 + nblk) * SS, fill, nr * SS);
		nblk += nr;
	}
}

static int setup(void **state)
{
	struct lw_super sb = { 0 };
	int fd;

	(void)state;
	snprintf(logp, sizeof(logp), "/tmp/iorace-lw-test-%d.log", getpid());
	snprintf(imgp, sizeof(imgp), "/tmp/iorace-lw-test-%d.img", getpid());
	memset(logbuf, 0, sizeof(logbuf));
	nblk = nent = 0;
	entry(0, 2, 0, NULL, 0xa1); /* blocks 0-1 = a1 */
	entry(0, 0, LW_FLUSH, NULL, 0);
	entry(0, 0, LW_MARK, "m1", 0);
	entry(1, 1, LW_DISCARD, NULL, 0); /* block 1 discarded */
	entry(5, 1, LW_FUA, NULL, 0xb2);  /* block 5 = b2 */
	entry(0, 0, LW_MARK, "m2", 0);
	entry(0, 1, 0, NULL, 0xc3); /* block 0 = c3, after m2 */
	sb.magic = htole64(LW_MAGIC);
	sb.version = htole64(LW_VERSION);
	sb.nr_entries = htole64(nent);
	sb.sectorsize = htole32(SS);
	memcpy(logbuf, &sb, sizeof(sb));
	fd = open(logp, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, logbuf, (1 + nblk) * SS),
			 (ssize_t)((1 + nblk) * SS));
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(logp);
	unlink(imgp);
	return 0;
}

static void fresh_image(void)
{
	int fd = open(imgp, O_RDWR | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 8 * SS), 0);
	close(fd);
}

static unsigned char block_byte(unsigned blk)
{
	unsigned char b[SS];
	int fd = open(imgp, O_RDONLY);

	assert_int_equal(pread(fd, b, SS, (off_t)blk * SS), SS);
	close(fd);
	for (unsigned i = 1; i < SS; i++)
		assert_int_equal(b[i], b[0]);
	return b[0];
}

static void test_replay_to_marks(void **state)
{
	struct lw_replay_stats st;
	char why[256] = "";

	(void)state;
	fresh_image();
	assert_int_equal(lw_replay(logp, "m1", imgp, &st, why, sizeof(why)), 0);
	assert_true(st.found);
	assert_int_equal(st.sectorsize, SS);
	assert_int_equal(st.nr_entries, 7);
	assert_int_equal(st.writes, 1);
	assert_int_equal(st.flushes, 1);
	assert_int_equal(block_byte(0), 0xa1);
	assert_int_equal(block_byte(1), 0xa1);
	assert_int_equal(block_byte(5), 0);

	fresh_image();
	assert_int_equal(lw_replay(logp, "m2", imgp, &st, why, sizeof(why)), 0);
	assert_int_equal(st.writes, 2);
	assert_int_equal(st.discards, 1);
	assert_int_equal(st.marks, 2);
	assert_int_equal(block_byte(0), 0xa1);
	assert_int_equal(block_byte(1), 0); /* discarded */
	assert_int_equal(block_byte(5), 0xb2);

	fresh_image();
	assert_int_equal(lw_replay(logp, NULL, imgp, &st, why, sizeof(why)), 0);
	assert_int_equal(st.entries, 7);
	assert_int_equal(block_byte(0), 0xc3);
	assert_int_equal(block_byte(5), 0xb2);
}

static void test_bad_logs(void **state)
{
	struct lw_replay_stats st;
	char why[256] = "";
	uint64_t bad = htole64(LW_MAGIC + 1);
	int fd;

	(void)state;
	fresh_image();
	assert_int_equal(lw_replay(logp, "m9", imgp, &st, why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "no mark 'm9'"));
	fd = open(logp, O_RDWR);
	assert_int_equal(pwrite(fd, &bad, 8, 0), 8);
	close(fd);
	assert_int_equal(lw_replay(logp, "m1", imgp, &st, why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "not a dm-log-writes log"));
	/* a log claiming more entries than it holds */
	setup(NULL);
	fd = open(logp, O_RDWR);
	assert_int_equal(ftruncate(fd, 4 * SS), 0);
	close(fd);
	assert_int_equal(lw_replay(logp, NULL, imgp, &st, why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "truncated"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_replay_to_marks, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_logs, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
