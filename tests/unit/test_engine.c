// SPDX-License-Identifier: GPL-2.0
/*
 * Engine tests: every engine writes stamped buffers with O_DIRECT to a temp
 * file on a real disk filesystem (/var/tmp), reads them back through itself,
 * and reports EOF and bad-fd results through reap.
 *
 * Bad fd: all three engines hand the -EBADF back through reap() (libaio's
 * io_submit refusal is turned into a completion by the engine; io_uring
 * posts a CQE; sync gets it from pread/pwrite).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/util.h"
#include "replay/engine.h"

#define TEST_DIR "/var/tmp"
#define NREQ	 8
#define DEPTH	 8
#define WAIT_NS	 (10 * NSEC_PER_SEC)

static const uint32_t sizes[NREQ] = { 4096,  8192,  12288, 16384,
				      24576, 32768, 49152, 65536 };

static int open_direct_tmp(char *path, size_t len)
{
	int fd;

	snprintf(path, len, TEST_DIR "/iorace-test-engine-XXXXXX");
	fd = mkostemp(path, O_DIRECT);
	if (fd < 0)
		fail_msg("cannot create an O_DIRECT temp file in " TEST_DIR
			 ": %s (engine tests need a disk filesystem that "
			 "accepts O_DIRECT)",
			 strerror(errno));
	unlink(path); /* nothing left behind, even if an assertion fails */
	/* the kernel must really honour O_DIRECT: check an unaligned write */
	{
		char c = 'x';
		ssize_t r = pwrite(fd, &c, 1, 0);

		if (r >= 0) {
			close(fd);
			fail_msg(TEST_DIR
				 " accepted an unaligned O_DIRECT "
				 "write: O_DIRECT is not in effect there");
		}
		assert_int_equal(errno, EINVAL);
	}
	return fd;
}

/* Stamp each 512-byte sector with (tag, offset, index) and a filler. */
static void fill(void *buf, uint32_t len, uint64_t off, uint32_t tag)
{
	unsigned char *b = buf;

	for (uint32_t s = 0; s < len; s += 512) {
		uint64_t st = (uint64_t)tag << 32 ^ (off + s);

		memcpy(b + s, &tag, 4);
		memcpy(b + s + 4, &off, 8);
		memcpy(b + s + 12, &s, 4);
		for (uint32_t i = 16; i < 512; i++)
			b[s + i] = (unsigned char)(splitmix64(&st) >> 7);
	}
}

static void *abuf(size_t len)
{
	void *p = NULL;

	assert_int_equal(posix_memalign(&p, 4096, len), 0);
	memset(p, 0xa5, len);
	return p;
}

/* Submit all n (retrying short submits after reaping) and reap all n. */
static void run_all(struct engine_ctx *ctx, struct io_req *reqs, unsigned n)
{
	struct io_req *ptrs[64], *done[64];
	unsigned sub = 0, got = 0;
	int rc;

	assert_true(n <= 64);
	for (unsigned i = 0; i < n; i++) {
		ptrs[i] = &reqs[i];
		reqs[i].res = 0x7777;
		reqs[i].t_complete = 0;
	}
	while (got < n) {
		if (sub < n) {
			for (unsigned i = sub; i < n; i++)
				reqs[i].t_submit = now_ns();
			rc = ctx->ops->submit(ctx, ptrs + sub, n - sub);
			if (rc != -EAGAIN) {
				assert_true(rc > 0);
				sub += (unsigned)rc;
			}
		}
		rc = ctx->ops->reap(ctx, done, 1, 64, WAIT_NS);
		assert_true(rc > 0);
		for (int i = 0; i < rc; i++) {
			assert_true(done[i] >= reqs && done[i] < reqs + n);
			assert_true(done[i]->t_complete >= done[i]->t_submit);
		}
		got += (unsigned)rc;
		assert_true(got <= sub);
	}
}

static void test_write_read(void **state)
{
	const struct engine_ops *ops = *state;
	struct engine_ctx ctx = { 0 };
	struct io_req w[NREQ], r[NREQ];
	char path[256];
	uint64_t off = 0;
	int fd;

	fd = open_direct_tmp(path, sizeof(path));
	assert_int_equal(ops->init(&ctx, DEPTH), 0);
	assert_ptr_equal(ctx.ops, ops);
	memset(w, 0, sizeof(w));
	memset(r, 0, sizeof(r));
	for (unsigned i = 0; i < NREQ; i++) {
		w[i].op_id = i;
		w[i].fd = fd;
		w[i].is_write = 1;
		w[i].off = off;
		w[i].len = sizes[i];
		w[i].buf = abuf(sizes[i]);
		fill(w[i].buf, sizes[i], off, 0x1000 + i);
		r[i] = w[i];
		r[i].is_write = 0;
		r[i].buf = abuf(sizes[i]);
		off += sizes[i] + 4096; /* leave holes between them */
	}
	run_all(&ctx, w, NREQ);
	for (unsigned i = 0; i < NREQ; i++)
		assert_int_equal(w[i].res, sizes[i]);
	run_all(&ctx, r, NREQ);
	for (unsigned i = 0; i < NREQ; i++) {
		assert_int_equal(r[i].res, sizes[i]);
		assert_memory_equal(r[i].buf, w[i].buf, sizes[i]);
	}

	/* reads past EOF: whole request beyond is 0, straddling is short */
	{
		struct io_req e[2];

		memset(e, 0, sizeof(e));
		e[0].fd = e[1].fd = fd;
		e[0].off = off + (1 << 20);
		e[0].len = 4096;
		e[0].buf = abuf(4096);
		e[1].off = off - 4096 - 4096; /* last 4k of the last write */
		e[1].len = 16384;
		e[1].buf = abuf(16384);
		run_all(&ctx, e, 2);
		assert_int_equal(e[0].res, 0);
		assert_int_equal(e[1].res, 4096);
		assert_memory_equal(
			e[1].buf,
			(char *)w[NREQ - 1].buf + sizes[NREQ - 1] - 4096, 4096);
		free(e[0].buf);
		free(e[1].buf);
	}
	ops->exit(&ctx);
	assert_null(ctx.priv);
	for (unsigned i = 0; i < NREQ; i++) {
		free(w[i].buf);
		free(r[i].buf);
	}
	close(fd);
}

static void test_bad_fd(void **state)
{
	const struct engine_ops *ops = *state;
	struct engine_ctx ctx = { 0 };
	struct io_req q[3];
	char path[256];
	int fd, badfd;

	fd = open_direct_tmp(path, sizeof(path));
	assert_int_equal(ops->init(&ctx, DEPTH), 0);
	/* a closed descriptor (after init, so the engine does not reuse it) */
	badfd = dup(fd);
	assert_true(badfd >= 0);
	close(badfd);
	memset(q, 0, sizeof(q));
	/* a bad one between two good ones: each gets its own result */
	for (unsigned i = 0; i < 3; i++) {
		q[i].fd = i == 1 ? badfd : fd;
		q[i].is_write = 1;
		q[i].off = i * 4096;
		q[i].len = 4096;
		q[i].buf = abuf(4096);
		fill(q[i].buf, 4096, q[i].off, 7);
	}
	run_all(&ctx, q, 3);
	assert_int_equal(q[0].res, 4096);
	assert_int_equal(q[1].res, -EBADF);
	assert_int_equal(q[2].res, 4096);
	/* and a read on a bad fd */
	q[1].is_write = 0;
	run_all(&ctx, &q[1], 1);
	assert_int_equal(q[1].res, -EBADF);
	ops->exit(&ctx);
	for (unsigned i = 0; i < 3; i++)
		free(q[i].buf);
	close(fd);
}

/* Reap semantics: timeout 0 never waits, an idle reap times out, depth caps
 * what submit accepts, min/max are honoured. */
static void test_reap_limits(void **state)
{
	const struct engine_ops *ops = *state;
	struct engine_ctx ctx = { 0 };
	struct io_req q[12], *ptrs[12], *done[12];
	char path[256];
	uint64_t t0;
	int fd, rc, got = 0;

	fd = open_direct_tmp(path, sizeof(path));
	assert_int_equal(ops->init(&ctx, DEPTH), 0);
	assert_int_equal(ops->reap(&ctx, done, 0, 12, 0), 0);
	t0 = now_ns();
	assert_int_equal(ops->reap(&ctx, done, 1, 12, 20 * NSEC_PER_MSEC), 0);
	/* nothing in flight: must not sit out a long timeout */
	assert_true(now_ns() - t0 < 5 * NSEC_PER_SEC);

	memset(q, 0, sizeof(q));
	for (unsigned i = 0; i < 12; i++) {
		q[i].fd = fd;
		q[i].is_write = 1;
		q[i].off = i * 8192;
		q[i].len = 8192;
		q[i].buf = abuf(8192);
		fill(q[i].buf, 8192, q[i].off, 9);
		ptrs[i] = &q[i];
		q[i].t_submit = now_ns();
	}
	rc = ops->submit(&ctx, ptrs, 12);
	assert_int_equal(rc, DEPTH);
	/* full: nothing more is accepted */
	assert_int_equal(ops->submit(&ctx, ptrs + DEPTH, 4), -EAGAIN);
	rc = ops->reap(&ctx, done, 3, 3, WAIT_NS);
	assert_int_equal(rc, 3);
	got += rc;
	while (got < DEPTH) {
		rc = ops->reap(&ctx, done, 1, 12, WAIT_NS);
		assert_true(rc > 0);
		got += rc;
	}
	assert_int_equal(got, DEPTH);
	assert_int_equal(ops->reap(&ctx, done, 0, 12, 0), 0);
	for (unsigned i = 0; i < DEPTH; i++)
		assert_int_equal(q[i].res, 8192);
	ops->exit(&ctx);
	for (unsigned i = 0; i < 12; i++)
		free(q[i].buf);
	close(fd);
}

static void test_find(void **state)
{
	(void)state;
	assert_ptr_equal(engine_find("libaio"), &engine_libaio);
	assert_ptr_equal(engine_find("io_uring"), &engine_io_uring);
	assert_ptr_equal(engine_find("sync"), &engine_sync);
	assert_null(engine_find("posixaio"));
	assert_null(engine_find(NULL));
	assert_string_equal(engine_libaio.name, "libaio");
	assert_string_equal(engine_io_uring.name, "io_uring");
	assert_string_equal(engine_sync.name, "sync");
}

/* Each test once per engine, named test/engine. */
/* clang-format off */
#define T(fn, e) { #fn "/" #e, fn, NULL, NULL, (void *)&(e) }
#define ENGINE_TESTS(e) \
	T(test_write_read, e), T(test_bad_fd, e), T(test_reap_limits, e)
/* clang-format on */

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		ENGINE_TESTS(engine_libaio),
		ENGINE_TESTS(engine_io_uring),
		ENGINE_TESTS(engine_sync),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
