// SPDX-License-Identifier: GPL-2.0
/*
 * sync engine: depth worker threads doing pread()/pwrite(), fed through a
 * submission queue and answering through a completion queue (one mutex,
 * two condition variables on CLOCK_MONOTONIC).
 *
 * A request is one pread/pwrite call (retried only on EINTR): a short
 * transfer is the result, as the syscall reports it; -errno on failure.
 * t_complete is taken by the worker right after the call returns.
 * exit() lets the workers finish the call they are in, drops what was
 * never started, and joins them.
 */
#include "replay/engine.h"
#include "common/util.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

struct sync_priv {
	pthread_mutex_t lock;
	pthread_cond_t sq_cv; /* workers wait for work */
	pthread_cond_t cq_cv; /* reaper waits for completions */
	unsigned depth;
	struct io_req **sq, **cq; /* rings of depth entries */
	unsigned sq_head, sq_n, cq_head, cq_n;
	unsigned outstanding; /* accepted, not yet reaped */
	bool stop;
	unsigned nthreads;
	pthread_t *threads;
};

static void ring_push(struct io_req **ring, unsigned depth, unsigned head,
		      unsigned *n, struct io_req *q)
{
	ring[(head + *n) % depth] = q;
	(*n)++;
}

static struct io_req *ring_pop(struct io_req **ring, unsigned depth,
			       unsigned *head, unsigned *n)
{
	struct io_req *q = ring[*head];

	*head = (*head + 1) % depth;
	(*n)--;
	return q;
}

static void sync_do(struct io_req *q)
{
	ssize_t r;

	do {
		if (q->is_write)
			r = pwrite(q->fd, q->buf, q->len, (off_t)q->off);
		else
			r = pread(q->fd, q->buf, q->len, (off_t)q->off);
	} while (r < 0 && errno == EINTR);
	q->t_complete = now_ns();
	q->res = r < 0 ? -errno : r;
}

static void *sync_worker(void *arg)
{
	struct sync_priv *p = arg;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		struct io_req *q;

		while (!p->sq_n && !p->stop)
			pthread_cond_wait(&p->sq_cv, &p->lock);
		if (p->stop)
			break;
		q = ring_pop(p->sq, p->depth, &p->sq_head, &p->sq_n);
		pthread_mutex_unlock(&p->lock);
		sync_do(q);
		pthread_mutex_lock(&p->lock);
		ring_push(p->cq, p->depth, p->cq_head, &p->cq_n, q);
		pthread_cond_signal(&p->cq_cv);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

static void sync_free(struct sync_priv *p)
{
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->sq_cv);
	pthread_cond_destroy(&p->cq_cv);
	free(p->sq);
	free(p->cq);
	free(p->threads);
	free(p);
}

static void sync_exit(struct engine_ctx *ctx)
{
	struct sync_priv *p = ctx->priv;

	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_broadcast(&p->sq_cv);
	pthread_mutex_unlock(&p->lock);
	for (unsigned i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	sync_free(p);
	ctx->priv = NULL;
}

static int sync_init(struct engine_ctx *ctx, unsigned depth)
{
	struct sync_priv *p;
	pthread_condattr_t ca;
	int rc;

	if (!depth)
		return -EINVAL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->depth = depth;
	p->sq = calloc(depth, sizeof(*p->sq));
	p->cq = calloc(depth, sizeof(*p->cq));
	p->threads = calloc(depth, sizeof(*p->threads));
	pthread_mutex_init(&p->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->sq_cv, &ca);
	pthread_cond_init(&p->cq_cv, &ca);
	pthread_condattr_destroy(&ca);
	if (!p->sq || !p->cq || !p->threads) {
		sync_free(p);
		return -ENOMEM;
	}
	ctx->ops = &engine_sync;
	ctx->depth = depth;
	ctx->priv = p;
	for (unsigned i = 0; i < depth; i++) {
		rc = pthread_create(&p->threads[i], NULL, sync_worker, p);
		if (rc) {
			sync_exit(ctx);
			return -rc;
		}
		p->nthreads++;
	}
	return 0;
}

static int sync_submit(struct engine_ctx *ctx, struct io_req **reqs, unsigned n)
{
	struct sync_priv *p = ctx->priv;

	pthread_mutex_lock(&p->lock);
	n = MIN(n, p->depth - p->outstanding);
	for (unsigned i = 0; i < n; i++)
		ring_push(p->sq, p->depth, p->sq_head, &p->sq_n, reqs[i]);
	p->outstanding += n;
	if (n == 1)
		pthread_cond_signal(&p->sq_cv);
	else if (n)
		pthread_cond_broadcast(&p->sq_cv);
	pthread_mutex_unlock(&p->lock);
	return n ? (int)n : -EAGAIN;
}

static int sync_reap(struct engine_ctx *ctx, struct io_req **out, unsigned min,
		     unsigned max, uint64_t timeout_ns)
{
	struct sync_priv *p = ctx->priv;
	struct timespec ts;
	unsigned cnt = 0;

	if (!timeout_ns)
		min = 0;
	if (timeout_ns != UINT64_MAX) {
		uint64_t d = now_ns() + timeout_ns;

		ts.tv_sec = (time_t)(d / NSEC_PER_SEC);
		ts.tv_nsec = (long)(d % NSEC_PER_SEC);
	}
	pthread_mutex_lock(&p->lock);
	min = MIN(min, max);
	min = MIN(min, p->outstanding);
	for (;;) {
		int rc;

		while (p->cq_n && cnt < max) {
			out[cnt++] = ring_pop(p->cq, p->depth, &p->cq_head,
					      &p->cq_n);
			p->outstanding--;
		}
		if (cnt >= min || cnt >= max)
			break;
		if (timeout_ns == UINT64_MAX)
			rc = pthread_cond_wait(&p->cq_cv, &p->lock);
		else
			rc = pthread_cond_timedwait(&p->cq_cv, &p->lock, &ts);
		if (rc == ETIMEDOUT) {
			while (p->cq_n && cnt < max) {
				out[cnt++] = ring_pop(p->cq, p->depth,
						      &p->cq_head, &p->cq_n);
				p->outstanding--;
			}
			break;
		}
	}
	pthread_mutex_unlock(&p->lock);
	return (int)cnt;
}

const struct engine_ops engine_sync = {
	.name = "sync",
	.init = sync_init,
	.submit = sync_submit,
	.reap = sync_reap,
	.exit = sync_exit,
};
