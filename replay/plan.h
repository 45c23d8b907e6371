/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The plan: every op a workload will execute, generated from (workload,
 * seed) alone, so the same seed gives the same plan. Ops are grouped in
 * streams: one per (job, context); a stream executes its ops in order.
 *
 * Op log (--record / --replay): text, one op per line, '#' comments.
 *   # iorace oplog v1 workload=NAME seed=N
 *   op ID job=J ctx=C stage=S kind=KIND file=F off=BYTES len=BYTES flags=F
 * at=NS [inflight=N] [grow=BYTES] `at` is the start time (ns from the stage
 * start) for racing ops, 0 for I/O ops; flags is a '|' list of
 * direct,dsync,keep_size or 0; off + len and grow are at most 16 TiB, a
 * read's or write's off and len multiples of 512, len 512 to 64 MiB (bs='s
 * range), at at most WL_MAX_AT_NS (7 days). A recorded log lists the ops
 * that were executed, in id order. `inject KEY=VALUE` lines
 * (injectors/inject.h) carry the run's injections (delay points), so a
 * replay re-applies them; they are kept in inject[].
 */
#ifndef IORACE_PLAN_H
#define IORACE_PLAN_H

#include <stdint.h>
#include <stdio.h>

#include "model/oracle.h"
#include "replay/workload.h"

struct plan_op {
	uint64_t id; /* >= 1; 0 is reserved for "initial contents" */
	uint32_t job, ctx, stage;
	enum op_kind kind;
	uint32_t file;
	uint32_t flags;
	uint64_t off, len;
	uint64_t at_ns;
	uint32_t when_inflight; /* racing ops: wait for >= N writes in flight */
	uint64_t grow; /* truncate: grow back to this size afterwards */
};

struct plan_stream {
	uint32_t job, ctx, stage;
	size_t *idx; /* indexes into plan.ops, in execution order */
	size_t n;
};

struct plan {
	struct plan_op *ops;
	size_t nops;
	struct plan_stream *streams;
	size_t nstreams;
	unsigned nstages;
	uint64_t seed;
	char workload[64];
	char **inject; /* op log `inject` lines (KEY=VALUE), NULL when none */
	int *inject_line; /* op log line of inject[i] */
	int *line;	  /* op log line of ops[i]; NULL for a built plan */
	const char *path; /* op log path (borrowed), NULL for a built plan */
	size_t ninject;
};

int plan_build(const struct workload *wl, uint64_t seed, struct plan *p);
void plan_free(struct plan *p);

/* Write ops whose executed[i] is set (all when executed is NULL). */
int plan_write_oplog(const struct plan *p, const unsigned char *executed,
		     FILE *f);
/* Read an op log; streams are rebuilt from job/ctx. err gets "path:line: why".
 */
int plan_read_oplog(const char *path, struct plan *p, char *err, size_t errlen);

#endif
