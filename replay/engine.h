/* SPDX-License-Identifier: GPL-2.0 */
/*
 * I/O engines as ops tables (one file each: engine_libaio.c,
 * engine_io_uring.c, engine_sync.c). An engine context belongs to one
 * submitter thread and keeps up to depth requests in flight.
 */
#ifndef IORACE_ENGINE_H
#define IORACE_ENGINE_H

#include <stdint.h>
#include <stddef.h>

struct io_req {
	uint64_t op_id;
	int fd;
	int is_write;
	void *buf; /* aligned to 4096 */
	uint64_t off;
	uint32_t len;
	int64_t res;		       /* bytes or -errno, set on completion */
	uint64_t t_submit, t_complete; /* set by the caller / the reaper */
	void *priv;		       /* for the caller */
};

struct engine_ctx {
	const struct engine_ops *ops;
	unsigned depth;
	void *priv; /* engine-private */
};

struct engine_ops {
	const char *name;
	/* Returns 0 or -errno. */
	int (*init)(struct engine_ctx *ctx, unsigned depth);
	/*
	 * Queue and submit n requests (n <= free slots). Returns how many were
	 * accepted (>= 0) or -errno; the caller sets t_submit just before.
	 */
	int (*submit)(struct engine_ctx *ctx, struct io_req **reqs, unsigned n);
	/*
	 * Reap between min and max completions, waiting at most timeout_ns
	 * (0 = do not wait). Completed requests get res and t_complete and are
	 * stored in done[]. Returns the count or -errno.
	 */
	int (*reap)(struct engine_ctx *ctx, struct io_req **done, unsigned min,
		    unsigned max, uint64_t timeout_ns);
	void (*exit)(struct engine_ctx *ctx);
};

extern const struct engine_ops engine_libaio;
extern const struct engine_ops engine_io_uring;
extern const struct engine_ops engine_sync;

const struct engine_ops *engine_find(const char *name);

#endif
