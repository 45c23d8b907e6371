// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring engine (liburing), one ring of depth SQ entries per engine
 * context, no SQPOLL.
 *
 * submit() prepares one SQE per request and calls io_uring_submit(). A
 * request whose SQE is in the ring counts as accepted even if the kernel
 * did not consume it yet (-EAGAIN/-EBUSY from io_uring_enter): reap()
 * pushes whatever is still pending before it looks for completions. Errors
 * of a single request (bad fd, ...) arrive as a CQE with res = -errno, so
 * they reach the caller through reap like any completion.
 *
 * reap() takes what is in the CQ ring without a syscall, then, if fewer
 * than min came back and the caller allows waiting, waits for the rest
 * with io_uring_wait_cqes() and a timeout. t_complete is taken right after
 * the CQEs are seen.
 */
#include "replay/engine.h"
#include "common/util.h"

#include <errno.h>
#include <liburing.h>
#include <stdlib.h>
#include <string.h>

struct uring_priv {
	struct io_uring ring;
	unsigned depth;
	unsigned outstanding; /* accepted and not yet reaped */
	struct io_uring_cqe **cqes;
};

static int uring_init(struct engine_ctx *ctx, unsigned depth)
{
	struct uring_priv *p;
	int rc;

	if (!depth)
		return -EINVAL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->cqes = calloc(depth, sizeof(*p->cqes));
	if (!p->cqes) {
		free(p);
		return -ENOMEM;
	}
	rc = io_uring_queue_init(depth, &p->ring, 0);
	if (rc < 0) {
		free(p->cqes);
		free(p);
		return rc;
	}
	p->depth = depth;
	ctx->ops = &engine_io_uring;
	ctx->depth = depth;
	ctx->priv = p;
	return 0;
}

/* Push SQEs the kernel has not consumed yet. */
static int uring_flush(struct uring_priv *p)
{
	int ret;

	while (io_uring_sq_ready(&p->ring)) {
		ret = io_uring_submit(&p->ring);
		if (ret == -EINTR)
			continue;
		if (ret < 0)
			return ret;
		if (ret == 0)
			break;
	}
	return 0;
}

static int uring_submit(struct engine_ctx *ctx, struct io_req **reqs,
			unsigned n)
{
	struct uring_priv *p = ctx->priv;
	unsigned prepared = 0;

	if (n > p->depth - p->outstanding)
		n = p->depth - p->outstanding;
	for (; prepared < n; prepared++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&p->ring);
		struct io_req *q = reqs[prepared];

		if (!sqe)
			break;
		if (q->is_write)
			io_uring_prep_write(sqe, q->fd, q->buf, q->len, q->off);
		else
			io_uring_prep_read(sqe, q->fd, q->buf, q->len, q->off);
		io_uring_sqe_set_data(sqe, q);
	}
	if (!prepared)
		return -EAGAIN;
	p->outstanding += prepared;
	/*
	 * The SQEs are in the ring now: even if io_uring_enter fails, they
	 * stay accepted and the next reap pushes them (or reports why not).
	 */
	uring_flush(p);
	return (int)prepared;
}

static unsigned uring_take(struct uring_priv *p, struct io_req **out,
			   unsigned room)
{
	unsigned got;
	uint64_t t;

	got = io_uring_peek_batch_cqe(&p->ring, p->cqes, MIN(room, p->depth));
	if (!got)
		return 0;
	t = now_ns();
	for (unsigned i = 0; i < got; i++) {
		struct io_req *q = io_uring_cqe_get_data(p->cqes[i]);

		q->res = p->cqes[i]->res;
		q->t_complete = t;
		out[i] = q;
	}
	io_uring_cq_advance(&p->ring, got);
	p->outstanding -= got;
	return got;
}

static int uring_reap(struct engine_ctx *ctx, struct io_req **out, unsigned min,
		      unsigned max, uint64_t timeout_ns)
{
	struct uring_priv *p = ctx->priv;
	unsigned cnt = 0;
	uint64_t deadline;
	int ret;

	ret = uring_flush(p);
	if (ret < 0 && ret != -EAGAIN && ret != -EBUSY)
		return ret;
	if (!timeout_ns)
		min = 0;
	min = MIN(min, max);
	min = MIN(min, p->outstanding);
	deadline =
		timeout_ns == UINT64_MAX ? UINT64_MAX : now_ns() + timeout_ns;
	for (;;) {
		struct __kernel_timespec ts, *tsp = &ts;
		struct io_uring_cqe *cqe;
		uint64_t now;

		cnt += uring_take(p, out + cnt, max - cnt);
		if (cnt >= min || cnt >= max)
			break;
		now = now_ns();
		if (deadline != UINT64_MAX && now >= deadline)
			break;
		if (deadline == UINT64_MAX) {
			tsp = NULL;
		} else {
			ts.tv_sec =
				(long long)((deadline - now) / NSEC_PER_SEC);
			ts.tv_nsec =
				(long long)((deadline - now) % NSEC_PER_SEC);
		}
		ret = io_uring_wait_cqes(&p->ring, &cqe, min - cnt, tsp, NULL);
		if (ret == -ETIME) {
			cnt += uring_take(p, out + cnt, max - cnt);
			break;
		}
		if (ret < 0 && ret != -EINTR && ret != -EAGAIN)
			return cnt ? (int)cnt : ret;
	}
	return (int)cnt;
}

static void uring_exit(struct engine_ctx *ctx)
{
	struct uring_priv *p = ctx->priv;
	struct io_req *sink[64];
	uint64_t give_up = now_ns() + 30 * NSEC_PER_SEC;

	if (!p)
		return;
	/*
	 * Do not let the ring go with requests in flight: their buffers belong
	 * to the caller, who frees them once we return.
	 */
	while (p->outstanding && now_ns() < give_up)
		uring_reap(ctx, sink, 1, ARRAY_SIZE(sink), 100 * NSEC_PER_MSEC);
	io_uring_queue_exit(&p->ring);
	free(p->cqes);
	free(p);
	ctx->priv = NULL;
}

const struct engine_ops engine_io_uring = {
	.name = "io_uring",
	.init = uring_init,
	.submit = uring_submit,
	.reap = uring_reap,
	.exit = uring_exit,
};
