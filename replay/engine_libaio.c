// SPDX-License-Identifier: GPL-2.0
/*
 * libaio engine: one kernel AIO context of depth slots per engine context.
 *
 * Each slot is an iocb whose data pointer carries the io_req. io_submit()
 * may take fewer than asked: the rest go back to the free list and the
 * caller sees a short count. -EAGAIN/-ENOMEM from io_submit with nothing
 * taken is returned as is (the caller reaps and retries). Any other error
 * io_submit reports is an error of the first iocb it could not take (bad
 * fd, bad buffer...): that request is completed right away with res set to
 * the error, counted as accepted, and handed back by the next reap, so
 * every request (also an invalid fd) reaches the caller through reap.
 *
 * Completions: res comes from io_event.res (the kernel stores -errno in
 * that unsigned field, so it is read back as a signed long); t_complete is
 * taken once right after io_getevents() returns, for the events it brought.
 */
#include "replay/engine.h"
#include "common/util.h"

#include <errno.h>
#include <libaio.h>
#include <stdlib.h>
#include <string.h>

struct aio_priv {
	io_context_t ioctx;
	unsigned depth;
	unsigned inflight; /* in the kernel */
	struct iocb *iocbs;
	struct iocb **freel;
	unsigned nfree;
	struct iocb **subq;
	struct io_event *events;
	struct iocb **errq; /* failed at submit, waiting for reap (FIFO) */
	unsigned nerr;
};

static void aio_free(struct aio_priv *p)
{
	free(p->iocbs);
	free(p->freel);
	free(p->subq);
	free(p->events);
	free(p->errq);
	free(p);
}

static int aio_init(struct engine_ctx *ctx, unsigned depth)
{
	struct aio_priv *p;
	int rc;

	if (!depth)
		return -EINVAL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->depth = depth;
	p->iocbs = calloc(depth, sizeof(*p->iocbs));
	p->freel = calloc(depth, sizeof(*p->freel));
	p->subq = calloc(depth, sizeof(*p->subq));
	p->events = calloc(depth, sizeof(*p->events));
	p->errq = calloc(depth, sizeof(*p->errq));
	if (!p->iocbs || !p->freel || !p->subq || !p->events || !p->errq) {
		rc = -ENOMEM;
		goto fail;
	}
	rc = io_setup((int)depth, &p->ioctx);
	if (rc < 0)
		goto fail;
	for (unsigned i = 0; i < depth; i++)
		p->freel[p->nfree++] = &p->iocbs[depth - 1 - i];
	ctx->ops = &engine_libaio;
	ctx->depth = depth;
	ctx->priv = p;
	return 0;
fail:
	aio_free(p);
	return rc;
}

static int aio_submit(struct engine_ctx *ctx, struct io_req **reqs, unsigned n)
{
	struct aio_priv *p = ctx->priv;
	unsigned done = 0;
	int ret = 0;

	if (n > p->nfree)
		n = p->nfree;
	if (!n)
		return -EAGAIN;
	for (unsigned i = 0; i < n; i++) {
		struct iocb *cb = p->freel[--p->nfree];
		struct io_req *q = reqs[i];

		if (q->is_write)
			io_prep_pwrite(cb, q->fd, q->buf, q->len,
				       (long long)q->off);
		else
			io_prep_pread(cb, q->fd, q->buf, q->len,
				      (long long)q->off);
		cb->data = q;
		p->subq[i] = cb;
	}
	while (done < n) {
		ret = io_submit(p->ioctx, (long)(n - done), p->subq + done);
		if (ret > 0) {
			done += (unsigned)ret;
			p->inflight += (unsigned)ret;
			continue;
		}
		if (ret == -EINTR)
			continue;
		if (ret == 0 || ret == -EAGAIN || ret == -ENOMEM)
			break;
		/* the iocb at subq[done] was refused: complete it here */
		{
			struct iocb *cb = p->subq[done++];
			struct io_req *q = cb->data;

			q->res = ret;
			q->t_complete = now_ns();
			p->errq[p->nerr++] = cb;
		}
	}
	for (unsigned i = done; i < n; i++)
		p->freel[p->nfree++] = p->subq[i];
	if (!done)
		return ret < 0 ? ret : -EAGAIN;
	return (int)done;
}

static int aio_reap(struct engine_ctx *ctx, struct io_req **out, unsigned min,
		    unsigned max, uint64_t timeout_ns)
{
	struct aio_priv *p = ctx->priv;
	unsigned cnt = 0, want, room, taken;
	uint64_t deadline, now;
	struct timespec ts;
	int ret;

	/* requests refused at submit time first, in order */
	taken = MIN(p->nerr, max);
	for (unsigned i = 0; i < taken; i++) {
		out[cnt++] = p->errq[i]->data;
		p->freel[p->nfree++] = p->errq[i];
	}
	if (taken) {
		memmove(p->errq, p->errq + taken,
			(p->nerr - taken) * sizeof(*p->errq));
		p->nerr -= taken;
	}
	if (cnt >= max || !p->inflight)
		return (int)cnt;

	room = MIN(max - cnt, p->inflight);
	want = min > cnt ? min - cnt : 0;
	want = MIN(want, p->inflight);
	if (!timeout_ns)
		want = 0;
	deadline =
		timeout_ns == UINT64_MAX ? UINT64_MAX : now_ns() + timeout_ns;
	for (;;) {
		struct timespec *tsp = &ts;

		now = now_ns();
		if (deadline == UINT64_MAX) {
			tsp = NULL;
		} else {
			uint64_t left = deadline > now ? deadline - now : 0;

			ts.tv_sec = (time_t)(left / NSEC_PER_SEC);
			ts.tv_nsec = (long)(left % NSEC_PER_SEC);
		}
		ret = io_getevents(p->ioctx, (long)want, (long)room, p->events,
				   tsp);
		now = now_ns();
		if (ret == -EINTR && now < deadline)
			continue;
		if (ret < 0)
			return cnt ? (int)cnt : ret;
		for (int i = 0; i < ret; i++) {
			struct iocb *cb = p->events[i].obj;
			struct io_req *q = cb->data;

			q->res = (int64_t)(long)p->events[i].res;
			q->t_complete = now;
			out[cnt++] = q;
			p->freel[p->nfree++] = cb;
			p->inflight--;
		}
		break;
	}
	return (int)cnt;
}

static void aio_exit(struct engine_ctx *ctx)
{
	struct aio_priv *p = ctx->priv;

	if (!p)
		return;
	/* io_destroy waits for whatever is still in flight */
	io_destroy(p->ioctx);
	aio_free(p);
	ctx->priv = NULL;
}

const struct engine_ops engine_libaio = {
	.name = "libaio",
	.init = aio_init,
	.submit = aio_submit,
	.reap = aio_reap,
	.exit = aio_exit,
};
