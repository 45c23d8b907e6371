// SPDX-License-Identifier: GPL-2.0
/*
 * Executing a stage: one thread per stream. I/O streams keep iodepth
 * requests in flight through their engine; racing-op streams fire
 * truncate/fallocate/punch/zero_range/collapse_range/insert_range/fsync at
 * their planned times (and,
 * with when_inflight, only once enough writes are in flight on the file).
 * Every op is registered with the oracle before it is submitted and after
 * it completes, under the run lock.
 *
 * Judging reads online. The rule (the trace checker's too): a completion
 * reaped at t_complete binds every read submitted after t_complete. A
 * stream that reaped a batch registers it only after its after:reap
 * injection point and one lock round per request, and meanwhile another
 * stream can submit, complete and judge a read: judged then, the read did
 * not know of the reaped write and zeros (or older data) passed, while the
 * trace, ordered by the same timestamps, called them LOST (issue 11 §3).
 * So a stream publishes that it holds unregistered completions
 * (stream_state.unreg_since) before it timestamps them, and a read is
 * judged only when no stream holds completions older than the read's
 * submission; until then it is held (a copy of its data, still in flight
 * for the oracle's pruning) and judged by the stream that registers the
 * last such completion, or at the end of the stage.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/util.h"
#include "injectors/inject.h"
#include "replay/engine.h"
#include "replay/run_internal.h"
#include "model/stamp.h"
#include "trace/trace.h"

#define REAP_TIMEOUT_NS	     (100 * NSEC_PER_MSEC)
#define INFLIGHT_WAIT_MAX_NS (10 * NSEC_PER_SEC)

uint64_t run_new_id(struct run *r)
{
	return atomic_fetch_add(&r->next_extra_id, 1);
}

static pid_t gettid_(void)
{
	return (pid_t)syscall(SYS_gettid);
}

/* Caller holds r->lock. */
void run_op_submitted(struct run *r, const struct oracle_op *op, int kind)
{
	if (!r->opts->bare)
		oracle_submit(r->oracle, op);
	if (r->inj)
		inject_op_submitted(r, op);
	tr_op_submit(op->id, kind, op->file,
		     op->file < r->nfiles ? r->files[op->file].inode : 0,
		     op->off, op->len, op->flags, op->t_submit);
}

static void op_completed(struct run *r, uint64_t id, int kind, int64_t res,
			 uint64_t t_submit, uint64_t t_complete, bool oracle)
{
	if (oracle && !r->opts->bare)
		oracle_complete(r->oracle, id, res, t_complete);
	if (r->inj)
		inject_op_completed(r, id, kind, res, t_complete);
	tr_op_complete(id, kind, res, t_complete);
	if (kind >= 0 && kind < OP_NKINDS)
		lat_add(&r->lat[kind], t_complete - t_submit);
	atomic_fetch_add(&r->ops_done, 1);
}

/* Caller holds r->lock. */
void run_op_completed(struct run *r, uint64_t id, int kind, int64_t res,
		      uint64_t t_submit, uint64_t t_complete)
{
	op_completed(r, id, kind, res, t_submit, t_complete, true);
}

/*
 * The stream got completions back: publish that, then take their
 * t_complete (after the publication, so a read judged while unreg_since
 * is 0 was submitted before any completion the stream has not registered).
 */
uint64_t run_completions_reaped(struct stream_state *ss)
{
	uint64_t t;

	atomic_store(&ss->unreg_since, 1);
	t = now_ns();
	atomic_store(&ss->unreg_since, t);
	return t;
}

/*
 * Caller holds r->lock. True when every completion before ts is
 * registered: no stream holds one reaped before ts.
 */
static bool completions_known(struct run *r, uint64_t ts)
{
	for (size_t i = 0; i < r->nstreams; i++) {
		uint64_t u = atomic_load(&r->streams[i].unreg_since);

		if (u && u < ts)
			return false;
	}
	return true;
}

/* Caller holds r->lock; the read is not yet complete for the oracle. */
static void judge_read(struct run *r, uint64_t id, int64_t res, uint64_t tc,
		       const void *buf)
{
	uint64_t verified = 0;

	oracle_complete(r->oracle, id, res, tc);
	oracle_check_read(r->oracle, id, buf, &r->findings, &verified);
	atomic_fetch_add(&r->sectors_verified, verified);
}

/* Caller holds r->lock. Judge the held reads now decidable (all: every). */
void run_judge_held(struct run *r, bool all)
{
	size_t j = 0;

	for (size_t i = 0; i < r->nheld; i++) {
		struct held_read *h = &r->held[i];

		if (!all && !completions_known(r, h->ts)) {
			r->held[j++] = *h;
			continue;
		}
		judge_read(r, h->id, h->res, h->tc, h->buf);
		free(h->buf);
	}
	r->nheld = j;
	if (!j) {
		free(r->held);
		r->held = NULL;
		r->heldcap = 0;
	}
}

/* Everything the stream reaped is registered: judge what waited for it. */
void run_completions_registered(struct stream_state *ss)
{
	struct run *r = ss->r;

	pthread_mutex_lock(&r->lock);
	atomic_store(&ss->unreg_since, 0);
	if (r->nheld)
		run_judge_held(r, false);
	pthread_mutex_unlock(&r->lock);
}

void run_add_error(struct run *r, uint64_t id, uint32_t file, uint64_t off,
		   uint64_t len, uint64_t ts, uint64_t tc, const char *what,
		   int64_t res)
{
	struct finding f = { .cls = F_ERROR,
			     .op_id = id,
			     .file = file,
			     .off = off,
			     .len = len,
			     .t_submit = ts,
			     .t_complete = tc };

	snprintf(f.expected, sizeof(f.expected), "%s to succeed", what);
	if (res < 0)
		snprintf(f.seen, sizeof(f.seen), "%s", strerror((int)-res));
	else
		snprintf(f.seen, sizeof(f.seen), "%lld bytes of %llu",
			 (long long)res, (unsigned long long)len);
	findings_add(&r->findings, &f);
}

/*
 * Judge a read and trace what it returned as runs of sectors.
 * Caller holds r->lock.
 */
static void trace_read(struct run *r, uint64_t id, uint64_t off,
		       const void *buf, int64_t res)
{
	if (res > 0)
		atomic_fetch_add(&r->bytes_read, (uint64_t)res);
	if (res > 0 && r->opts->trace) {
		const unsigned char *p = buf;
		uint32_t n = (uint32_t)(res >> SECTOR_SHIFT), i = 0;

		while (i < n) {
			struct stamp_info a, b;
			uint32_t j = i + 1;

			stamp_decode(p + (size_t)i * SECTOR_SIZE, &a);
			for (; j < n; j++) {
				stamp_decode(p + (size_t)j * SECTOR_SIZE, &b);
				if (b.cls != a.cls)
					break;
				/* only stamps carry an identity to follow */
				if ((a.cls == SC_STAMP || a.cls == SC_POISON) &&
				    (b.file_id != a.file_id || b.gen != a.gen ||
				     b.sector != a.sector + (j - i)))
					break;
			}
			tr_read_run(id, (off >> SECTOR_SHIFT) + i, j - i, a.cls,
				    a.file_id, a.gen, a.sector);
			i = j;
		}
	}
}

size_t run_check_read(struct run *r, uint64_t id, uint32_t file, uint64_t off,
		      const void *buf, int64_t res)
{
	uint64_t verified = 0;
	size_t bad;

	bad = oracle_check_read(r->oracle, id, buf, &r->findings, &verified);
	atomic_fetch_add(&r->sectors_verified, verified);
	trace_read(r, id, off, buf, res);
	(void)file;
	return bad;
}

static const struct engine_ops *stream_engine(struct run *r,
					      const struct wl_job *job)
{
	if (r->engine_override)
		return r->engine_override;
	if (job && job->engine[0])
		return engine_find(job->engine);
	return &engine_libaio;
}

static int op_fd(struct run *r, const struct plan_op *op)
{
	struct run_file *f = &r->files[op->file];

	if (!(op->flags & OPF_DIRECT))
		return f->fd_buffered;
	return (op->flags & OPF_DSYNC) ? f->fd_dsync : f->fd_direct;
}

static void update_oldest(struct stream_state *ss, struct io_req *reqs,
			  const unsigned char *busy, unsigned depth)
{
	uint64_t oldest = 0, oid = 0;

	for (unsigned i = 0; i < depth; i++) {
		if (busy[i] && (!oldest || reqs[i].t_submit < oldest)) {
			oldest = reqs[i].t_submit;
			oid = reqs[i].op_id;
		}
	}
	atomic_store(&ss->oldest_id, oid);
	atomic_store(&ss->oldest_submit, oldest);
	atomic_store(&ss->last_progress, now_ns());
}

/*
 * One reaped request (its stream published it: run_completions_reaped).
 * A read is judged now if every completion before its submission is
 * registered, else held.
 */
void run_io_complete(struct run *r, struct io_req *q)
{
	const struct plan_op *op = q->priv;
	int kind = q->is_write ? OP_WRITE : OP_READ;
	bool judge = !q->is_write && !r->opts->bare;
	bool now;

	pthread_mutex_lock(&r->lock);
	now = !judge || completions_known(r, q->t_submit);
	op_completed(r, q->op_id, kind, q->res, q->t_submit, q->t_complete,
		     now);
	if (judge && now) {
		judge_read(r, q->op_id, q->res, q->t_complete, q->buf);
	} else if (judge) {
		struct held_read *h;
		size_t n = q->res > 0 ? (size_t)q->res : 1;

		grow_array((void **)&r->held, &r->heldcap, r->nheld + 1,
			   sizeof(*r->held));
		h = &r->held[r->nheld++];
		*h = (struct held_read){ .id = q->op_id,
					 .ts = q->t_submit,
					 .tc = q->t_complete,
					 .res = q->res,
					 .buf = xmalloc(n) };
		if (q->res > 0)
			memcpy(h->buf, q->buf, n);
	}
	if (judge)
		trace_read(r, q->op_id, q->off, q->buf, q->res);
	pthread_mutex_unlock(&r->lock);

	if (q->is_write) {
		atomic_fetch_sub(&r->files[op->file].writes_inflight, 1);
		if (q->res > 0)
			atomic_fetch_add(&r->bytes_written, (uint64_t)q->res);
	}
	if ((q->res < 0 || (q->is_write && (uint64_t)q->res != q->len)) &&
	    !(q->is_write && inject_error_expected(r, q->res)))
		run_add_error(r, q->op_id, op->file, q->off, q->len,
			      q->t_submit, q->t_complete,
			      q->is_write ? "write" : "read", q->res);
}

/*
 * The engine handed back got requests: publish them as unregistered and
 * give them one t_complete taken after that (run_completions_reaped).
 */
static void reaped(struct stream_state *ss, struct io_req **q, int got)
{
	uint64_t t = run_completions_reaped(ss);

	for (int k = 0; k < got; k++)
		q[k]->t_complete = t;
}

/* The file a stream's reap is for (its first op's), for delay filters. */
static uint32_t reap_file(struct run *r, const struct plan_stream *ps)
{
	return ps->n ? r->plan.ops[ps->idx[0]].file : 0;
}

static int io_stream(struct stream_state *ss)
{
	struct run *r = ss->r;
	const struct plan_stream *ps = ss->ps;
	const struct wl_job *job =
		ps->job < r->wl.njobs ? &r->wl.jobs[ps->job] : NULL;
	const struct engine_ops *eng = stream_engine(r, job);
	unsigned depth = job && job->iodepth ? job->iodepth : 8;
	struct engine_ctx ctx = { 0 };
	struct io_req *reqs, **batch, **done;
	unsigned char *busy;
	unsigned *freel, nfree = 0, inflight = 0;
	uint64_t maxlen = SECTOR_SIZE, deadline = 0;
	size_t next = 0;
	int rc, ret = 0;

	if (!eng) {
		msg("stream %u/%u: unknown engine", ps->job, ps->ctx);
		return -EINVAL;
	}
	for (size_t i = 0; i < ps->n; i++)
		maxlen = MAX(maxlen, r->plan.ops[ps->idx[i]].len);
	rc = eng->init(&ctx, depth);
	if (rc < 0) {
		msg("engine %s: init depth %u: %s", eng->name, depth,
		    strerror(-rc));
		return rc;
	}
	reqs = xcalloc(depth, sizeof(*reqs));
	batch = xcalloc(depth, sizeof(*batch));
	done = xcalloc(depth, sizeof(*done));
	busy = xcalloc(depth, 1);
	freel = xcalloc(depth, sizeof(*freel));
	for (unsigned i = 0; i < depth; i++) {
		if (posix_memalign(&reqs[i].buf, 4096, maxlen))
			abort();
		freel[nfree++] = depth - 1 - i;
	}
	if (job && job->runtime_ns)
		deadline = r->t_stage_start + job->runtime_ns;

	while (inflight || (next < ps->n && !atomic_load(&r->stop) &&
			    !(deadline && now_ns() > deadline))) {
		unsigned n = 0;

		if (!inflight && next < ps->n)
			inject_point(r, INJ_BEFORE, IS_IDLE,
				     r->plan.ops[ps->idx[next]].file,
				     r->plan.ops[ps->idx[next]].id);
		while (nfree && next < ps->n && !atomic_load(&r->stop) &&
		       !(deadline && now_ns() > deadline)) {
			size_t oi = ps->idx[next++];
			const struct plan_op *op = &r->plan.ops[oi];
			unsigned slot = freel[--nfree];
			struct io_req *q = &reqs[slot];

			q->op_id = op->id;
			q->fd = op_fd(r, op);
			q->is_write = op->kind == OP_WRITE;
			q->off = op->off;
			q->len = (uint32_t)op->len;
			q->priv = (void *)op;
			q->res = 0;
			if (q->is_write && !r->opts->bare)
				stamp_fill(q->buf, op->file,
					   op->off >> SECTOR_SHIFT,
					   (uint32_t)(op->len >> SECTOR_SHIFT),
					   op->id, r->plan.seed);
			busy[slot] = 1;
			batch[n++] = q;
			r->executed[oi] = 1;
		}
		if (n) {
			pthread_mutex_lock(&r->lock);
			for (unsigned i = 0; i < n; i++) {
				const struct plan_op *op = batch[i]->priv;
				struct oracle_op oo = {
					.id = op->id,
					.kind = op->kind,
					.file = op->file,
					.flags = op->flags,
					.off = op->off,
					.len = op->len,
				};

				if (op->kind == OP_WRITE)
					atomic_fetch_add(
						&r->files[op->file]
							 .writes_inflight,
						1);
				oo.t_submit = batch[i]->t_submit = now_ns();
				run_op_submitted(r, &oo, op->kind);
			}
			pthread_mutex_unlock(&r->lock);
			update_oldest(ss, reqs, busy, depth);
			inject_point(
				r, INJ_BEFORE, IS_SUBMIT,
				((const struct plan_op *)batch[0]->priv)->file,
				batch[0]->op_id);
			for (unsigned off = 0; off < n;) {
				rc = eng->submit(&ctx, batch + off, n - off);
				if (rc > 0) {
					inject_point(r, INJ_AFTER, IS_SUBMIT,
						     ((const struct plan_op *)
							      batch[off]
								      ->priv)
							     ->file,
						     batch[off]->op_id);
					off += rc;
					inflight += rc;
					continue;
				}
				if (rc == -EAGAIN || rc == 0) {
					if (!inflight) {
						sleep_ns(NSEC_PER_MSEC);
						continue;
					}
					/* make room by reaping one */
					int got =
						eng->reap(&ctx, done, 1, depth,
							  REAP_TIMEOUT_NS);
					if (got > 0)
						reaped(ss, done, got);
					for (int k = 0; k < got; k++) {
						run_io_complete(r, done[k]);
						unsigned slot = done[k] - reqs;

						busy[slot] = 0;
						freel[nfree++] = slot;
						inflight--;
					}
					if (got > 0)
						run_completions_registered(ss);
					continue;
				}
				/* hard submit error: fail the rest */
				reaped(ss, batch + off, (int)(n - off));
				for (; off < n; off++) {
					struct io_req *q = batch[off];

					q->res = rc;
					run_io_complete(r, q);
					busy[q - reqs] = 0;
					freel[nfree++] = q - reqs;
				}
				run_completions_registered(ss);
			}
		}
		if (!inflight)
			continue;
		{
			bool more =
				nfree && next < ps->n && !atomic_load(&r->stop);
			int got;

			inject_point(r, INJ_BEFORE, IS_REAP, reap_file(r, ps),
				     0);
			got = eng->reap(&ctx, done, more ? 0 : 1, depth,
					more ? 0 : REAP_TIMEOUT_NS);
			if (got > 0)
				reaped(ss, done, got);
			if (got > 0)
				inject_point(
					r, INJ_AFTER, IS_REAP,
					((const struct plan_op *)done[0]->priv)
						->file,
					done[0]->op_id);

			if (got < 0 && got != -EINTR && got != -EAGAIN &&
			    got != -ETIME) {
				msg("engine %s: reap: %s", eng->name,
				    strerror(-got));
				ret = got;
				break;
			}
			for (int k = 0; k < got; k++) {
				unsigned slot = done[k] - reqs;

				run_io_complete(r, done[k]);
				busy[slot] = 0;
				freel[nfree++] = slot;
				inflight--;
			}
			if (got > 0) {
				run_completions_registered(ss);
				update_oldest(ss, reqs, busy, depth);
			}
		}
	}
	atomic_store(&ss->oldest_submit, 0);
	eng->exit(&ctx);
	for (unsigned i = 0; i < depth; i++)
		free(reqs[i].buf);
	free(reqs);
	free(batch);
	free(done);
	free(busy);
	free(freel);
	return ret;
}

static bool io_streams_done(struct run *r)
{
	for (size_t i = 0; i < r->nstreams; i++) {
		const struct plan_stream *ps = r->streams[i].ps;
		const struct plan_op *first =
			ps->n ? &r->plan.ops[ps->idx[0]] : NULL;

		if (first &&
		    (first->kind == OP_WRITE || first->kind == OP_READ) &&
		    !atomic_load(&r->streams[i].done))
			return false;
	}
	return true;
}

static int64_t do_racing_syscall(struct run *r, const struct plan_op *op,
				 uint64_t size_or_off)
{
	struct run_file *f = &r->files[op->file];
	int fd = f->fd_buffered, mode = 0, rc = 0;

	switch (op->kind) {
	case OP_TRUNCATE:
		rc = ftruncate(fd, (off_t)size_or_off);
		break;
	case OP_FALLOCATE:
		mode = (op->flags & OPF_KEEP_SIZE) ? FALLOC_FL_KEEP_SIZE : 0;
		rc = fallocate(fd, mode, (off_t)op->off, (off_t)op->len);
		break;
	case OP_PUNCH:
		mode = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
		rc = fallocate(fd, mode, (off_t)op->off, (off_t)op->len);
		break;
	case OP_ZERO_RANGE:
		mode = FALLOC_FL_ZERO_RANGE;
		if (op->flags & OPF_KEEP_SIZE)
			mode |= FALLOC_FL_KEEP_SIZE;
		rc = fallocate(fd, mode, (off_t)op->off, (off_t)op->len);
		break;
	case OP_COLLAPSE:
		rc = fallocate(fd, FALLOC_FL_COLLAPSE_RANGE, (off_t)op->off,
			       (off_t)op->len);
		break;
	case OP_INSERT:
		rc = fallocate(fd, FALLOC_FL_INSERT_RANGE, (off_t)op->off,
			       (off_t)op->len);
		break;
	case OP_FSYNC:
		rc = fsync(fd);
		break;
	case OP_FDATASYNC:
		rc = fdatasync(fd);
		break;
	default:
		errno = EINVAL;
		rc = -1;
	}
	return rc < 0 ? -errno : 0;
}

/*
 * collapse_range needs a block-aligned range short of EOF, insert_range one
 * starting below EOF. Racing writes and shifts move the size, so an EINVAL
 * when the range was invalid for the size just before or just after the
 * call is expected (the oracle sees a failed op: nothing moved), not an
 * ERROR.
 */
static bool shift_range_bad(const struct plan_op *op, int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		return false;
	if (st.st_blksize && (op->off | op->len) % (uint64_t)st.st_blksize)
		return true;
	if (op->kind == OP_COLLAPSE)
		return op->off + op->len >= (uint64_t)st.st_size;
	return op->off >= (uint64_t)st.st_size;
}

/* Run one racing op (with its own id), registering it with the oracle. */
static void racing_one(struct stream_state *ss, const struct plan_op *op,
		       uint64_t id, uint64_t size)
{
	struct run *r = ss->r;
	struct oracle_op oo = { .id = id,
				.kind = op->kind,
				.file = op->file,
				.flags = op->flags,
				.off = op->off,
				.len = op->len };
	uint64_t ts, tc;
	int64_t res;
	bool shrinks = op->kind == OP_TRUNCATE || op->kind == OP_PUNCH ||
		       op->kind == OP_ZERO_RANGE || op->kind == OP_COLLAPSE;
	bool shift = op->kind == OP_COLLAPSE || op->kind == OP_INSERT;
	bool bad_range = false;

	if (op->kind == OP_TRUNCATE) {
		oo.off = size;
		oo.len = 0;
	}
	if (shift)
		pthread_mutex_lock(&r->shift_lock);
	if (shrinks)
		atomic_fetch_add(&r->files[op->file].truncating, 1);
	pthread_mutex_lock(&r->lock);
	oo.t_submit = ts = now_ns();
	run_op_submitted(r, &oo, op->kind);
	pthread_mutex_unlock(&r->lock);
	atomic_store(&ss->oldest_id, id);
	atomic_store(&ss->oldest_submit, ts);
	atomic_store(&ss->last_progress, ts);

	if (inj_site_of_kind(op->kind) >= 0)
		inject_point(r, INJ_BEFORE, inj_site_of_kind(op->kind),
			     op->file, id);
	if (op->kind == OP_FSYNC || op->kind == OP_FDATASYNC)
		inject_before_sync(r, id);
	if (shift)
		bad_range = shift_range_bad(op, r->files[op->file].fd_buffered);
	res = do_racing_syscall(r, op, size);
	if (shift && res == -EINVAL && !bad_range)
		bad_range = shift_range_bad(op, r->files[op->file].fd_buffered);
	if (inj_site_of_kind(op->kind) >= 0)
		inject_point(r, INJ_AFTER, inj_site_of_kind(op->kind), op->file,
			     id);

	tc = run_completions_reaped(ss);
	atomic_store(&ss->last_progress, tc);
	atomic_store(&ss->oldest_submit, 0);
	pthread_mutex_lock(&r->lock);
	run_op_completed(r, id, op->kind, res, ts, tc);
	pthread_mutex_unlock(&r->lock);
	run_completions_registered(ss);
	if (shift)
		pthread_mutex_unlock(&r->shift_lock);
	if (shrinks)
		atomic_fetch_sub(&r->files[op->file].truncating, 1);
	if (res < 0 && !(shift && res == -EINVAL && bad_range))
		run_add_error(r, id, op->file, oo.off, oo.len, ts, tc,
			      op_kind_name(op->kind), res);
}

static void racing_stream(struct stream_state *ss)
{
	struct run *r = ss->r;
	const struct plan_stream *ps = ss->ps;

	for (size_t i = 0; i < ps->n && !atomic_load(&r->stop); i++) {
		size_t oi = ps->idx[i];
		const struct plan_op *op = &r->plan.ops[oi];
		uint64_t at = r->t_stage_start + op->at_ns;

		/* waiting for a planned time is progress until it comes */
		atomic_store(&ss->wait_until, at);
		if (!sleep_until_ns(at, 10 * NSEC_PER_MSEC, &r->stop))
			break;
		if (op->when_inflight) {
			uint64_t t0 = now_ns();
			unsigned seen = 0;

			atomic_store(&ss->wait_until,
				     t0 + INFLIGHT_WAIT_MAX_NS);

			while (!atomic_load(&r->stop) &&
			       now_ns() - t0 < INFLIGHT_WAIT_MAX_NS) {
				seen = atomic_load(
					&r->files[op->file].writes_inflight);
				if (seen >= op->when_inflight ||
				    io_streams_done(r))
					break;
				sleep_ns(20000);
			}
			tr_inject("delay", "when_inflight", seen);
			inject_note(r, "when_inflight", op->id, op->file, seen);
			dbg("op %llu fires with %u writes in flight",
			    (unsigned long long)op->id, seen);
		}
		/* the planned time has come: no op in flight from here on */
		inject_point(r, INJ_BEFORE, IS_IDLE, op->file, op->id);
		r->executed[oi] = 1;
		racing_one(ss, op, op->id, op->off);
		if (op->kind == OP_TRUNCATE && op->grow)
			racing_one(ss, op, run_new_id(r), op->grow);
	}
}

static void *stream_main(void *arg)
{
	struct stream_state *ss = arg;
	const struct plan_stream *ps = ss->ps;
	const struct plan_op *first =
		ps->n ? &ss->r->plan.ops[ps->idx[0]] : NULL;

	ss->tid = gettid_();
	if (first && (first->kind == OP_WRITE || first->kind == OP_READ))
		ss->error = io_stream(ss);
	else if (first)
		racing_stream(ss);
	atomic_store(&ss->done, true);
	return NULL;
}

int exec_stage(struct run *r, unsigned stage)
{
	size_t n = 0;
	int err = 0;

	r->stage = stage;
	for (size_t i = 0; i < r->plan.nstreams; i++) {
		if (r->plan.streams[i].stage != stage)
			continue;
		r->streams[n] =
			(struct stream_state){ .r = r,
					       .ps = &r->plan.streams[i] };
		n++;
	}
	r->nstreams = n;
	r->t_stage_start = now_ns();
	/* judged by the no-progress watchdog from here (0: not started) */
	for (size_t i = 0; i < n; i++)
		atomic_store(&r->streams[i].last_progress, r->t_stage_start);
	for (size_t i = 0; i < n; i++) {
		err = pthread_create(&r->streams[i].thread, NULL, stream_main,
				     &r->streams[i]);
		if (err) {
			msg("cannot start stream thread: %s", strerror(err));
			atomic_store(&r->stop, true);
			n = i;
			break;
		}
	}
	for (size_t i = 0; i < n; i++) {
		pthread_join(r->streams[i].thread, NULL);
		if (r->streams[i].error && !err)
			err = r->streams[i].error;
	}
	/* every completion is registered: judge what is still held */
	pthread_mutex_lock(&r->lock);
	run_judge_held(r, true);
	pthread_mutex_unlock(&r->lock);
	r->nstreams = 0;
	return err ? -1 : 0;
}
