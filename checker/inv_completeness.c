// SPDX-License-Identifier: GPL-2.0
/*
 * Invariant 5, completeness: every thread's iorace events carry a sequence
 * number with no gaps, no discarded events or packets were reported, and
 * the kernel side lost nothing. When this fails, the session turns every
 * other invariant's pass or fail into inconclusive.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker/internal.h"
#include "common/util.h"

struct thr {
	int64_t key;
	uint64_t last;
	struct ck_event ev;
	bool used;
};

struct comp_state {
	struct thr *t;
	size_t n, cap;
	uint64_t seq_events;
	struct ck_inv_result *r;
};

static void *comp_init(struct ck_ctx *ctx, struct ck_inv_result *r)
{
	struct comp_state *s = xcalloc(1, sizeof(*s));

	(void)ctx;
	s->r = r;
	return s;
}

static struct thr *thr_get(struct comp_state *s, int64_t key)
{
	size_t i;

	if ((s->n + 1) * 2 > s->cap) {
		struct thr *old = s->t;
		size_t oc = s->cap, j;

		s->cap = oc ? oc * 2 : 64;
		s->t = xcalloc(s->cap, sizeof(*s->t));
		for (j = 0; j < oc; j++) {
			if (!old[j].used)
				continue;
			i = (size_t)((uint64_t)old[j].key *
					     0x9e3779b97f4a7c15ull >>
				     20) &
			    (s->cap - 1);
			while (s->t[i].used)
				i = (i + 1) & (s->cap - 1);
			s->t[i] = old[j];
		}
		free(old);
	}
	i = (size_t)((uint64_t)key * 0x9e3779b97f4a7c15ull >> 20) &
	    (s->cap - 1);
	while (s->t[i].used && s->t[i].key != key)
		i = (i + 1) & (s->cap - 1);
	return &s->t[i];
}

static void comp_event(void *st, struct ck_ctx *ctx, const struct ck_event *ev)
{
	struct comp_state *s = st;
	struct ck_evidence *e;
	struct thr *t;
	uint64_t seq;

	(void)ctx;
	if (ck_id(ev) == EV_UNKNOWN || ck_id(ev) >= EV_FIRST_KERNEL ||
	    !ck_has(ev, FK_SEQ))
		return;
	s->seq_events++;
	seq = ck_u(ev, FK_SEQ);
	t = thr_get(s, ev->tid >= 0 ? ev->tid : -1 - (int64_t)ev->stream);
	if (!t->used) {
		t->used = true;
		t->key = ev->tid >= 0 ? ev->tid : -1 - (int64_t)ev->stream;
		s->n++;
		if (seq) {
			e = ck_evidence_add(
				s->r,
				"thread %" PRId64
				": first event has sequence %" PRIu64
				", not 0 (events lost)",
				t->key, seq);
			ck_evidence_cite(e, ev);
		}
	} else if (seq != t->last + 1) {
		e = ck_evidence_add(
			s->r,
			"thread %" PRId64 ": sequence jumps from %" PRIu64
			" to %" PRIu64 " (%s)",
			t->key, t->last, seq,
			seq > t->last ? "events lost" : "reordered");
		ck_evidence_cite(e, &t->ev);
		ck_evidence_cite(e, ev);
	}
	t->last = seq;
	ck_event_copy(&t->ev, ev);
}

static void comp_finish(void *st, struct ck_ctx *ctx, struct ck_inv_result *r)
{
	struct comp_state *s = st;
	const struct ck_read_stats *rs = &ctx->rs;
	struct ck_evidence *e;
	char why[200] = "";
	size_t o = 0;

	r->checked = s->seq_events;
	if (ctx->seq_gaps)
		o += (size_t)snprintf(why + o, sizeof(why) - o,
				      "%" PRIu64 " sequence numbers missing; ",
				      ctx->seq_gaps);
	if (rs->discarded_msgs || rs->discarded_events ||
	    rs->discarded_packets) {
		e = ck_evidence_add(r,
				    "tracer reported %" PRIu64
				    " discarded-events messages (%" PRIu64
				    " events) and %" PRIu64
				    " discarded packets",
				    rs->discarded_msgs, rs->discarded_events,
				    rs->discarded_packets);
		(void)e;
		o += (size_t)snprintf(why + o, sizeof(why) - o,
				      "discarded events/packets; ");
	}
	if (ctx->kernel_lost) {
		ck_evidence_add(r, "kernel ring buffer lost %" PRIu64 " events",
				ctx->kernel_lost);
		o += (size_t)snprintf(why + o, sizeof(why) - o,
				      "%" PRIu64 " kernel events lost; ",
				      ctx->kernel_lost);
	}
	if (o) {
		/*
		 * Lost events are the tracer's failure, not the kernel's: the
		 * trace verdict is inconclusive (checker_exit_status), and so
		 * is every invariant that would have needed them.
		 */
		r->status = CK_INCONCLUSIVE;
		snprintf(r->note, sizeof(r->note), "trace lost events: %s",
			 why);
		r->failed = 0;
	} else if (!s->seq_events) {
		r->failed = r->nev = 0;
		r->status = CK_INCONCLUSIVE;
		snprintf(r->note, sizeof(r->note),
			 "no sequence-numbered iorace events in the trace");
	} else {
		/* only reorderings on timestamp ties: nothing lost */
		r->failed = r->nev = 0;
		r->status = CK_PASS;
		snprintf(r->note, sizeof(r->note),
			 "%zu threads, %" PRIu64 " events, no gaps%s", s->n,
			 s->seq_events,
			 ctx->kernel_trace ? "" : " (no kernel trace)");
	}
}

static void comp_free(void *st)
{
	struct comp_state *s = st;

	free(s->t);
	free(s);
}

const struct ck_inv_ops inv_completeness_ops = {
	.name = "completeness",
	.description = "no sequence gaps, no discarded events or packets, no "
		       "kernel events lost",
	.init = comp_init,
	.event = comp_event,
	.finish = comp_finish,
	.free = comp_free,
};
