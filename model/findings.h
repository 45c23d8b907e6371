/* SPDX-License-Identifier: GPL-2.0 */
/* Findings: what iorace reports as wrong, by class, with evidence. */
#ifndef IORACE_FINDINGS_H
#define IORACE_FINDINGS_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

enum finding_class {
	F_STALE,
	F_LOST,
	F_TORN,
	F_SIZE,
	F_ERROR,
	F_FSCK,
	F_KERNEL, /* BUG/WARNING/EXT4-fs error/hung task in the kernel log */
	F_HANG,
	F_LOST_DURABLE,
	F_NCLASSES,
};

const char *finding_class_name(enum finding_class c);
int finding_class_from_name(const char *s);

struct finding {
	enum finding_class cls;
	uint64_t op_id; /* the read (or op) that showed it; 0 if none */
	uint32_t file;
	uint64_t off; /* bytes */
	uint64_t len; /* bytes */
	uint64_t t_submit, t_complete;
	char expected[160];
	char seen[160];
};

/* Detailed findings are kept up to FINDINGS_KEEP; all are counted. */
#define FINDINGS_KEEP 1000

struct findings {
	pthread_mutex_t lock;
	struct finding *v;
	size_t n, cap;
	uint64_t count[F_NCLASSES];
};

void findings_init(struct findings *fl);
void findings_free(struct findings *fl);
/* Thread-safe. */
void findings_add(struct findings *fl, const struct finding *f);
uint64_t findings_total(const struct findings *fl);

#endif
