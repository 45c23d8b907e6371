/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The oracle: what each sector of a read may legally contain, given the
 * history of operations with their submit and completion times.
 *
 * It is fed a stream of events in non-decreasing time order (online by the
 * engine under a lock, offline by the trace checker): op submitted, op
 * completed, read completed with its data. A read is judged at its
 * completion against every op that was submitted before the read completed.
 *
 * Legality, per sector s of a read R (submitted Rs, completed Rc):
 *  - every op that writes a value to s (a data write -> its stamp; truncate
 *    below s, punch, zero_range, and the file's initial state -> zeros) is a
 *    candidate if it was submitted before Rc;
 *  - a candidate C is dead if some other candidate D that completed
 *    successfully has C.complete < D.submit and D.complete < Rs (D definitely
 *    overwrote C before R started);
 *  - the sector may hold the value of any live candidate. A failed write's
 *    value is legal while it is live but it never kills anything.
 *
 * Classification of an illegal sector:
 *  STALE  poison; another file's or another sector's stamp; a stamp from
 *         another run (seed); unknown non-zero data; the stamp of a write
 *         that a truncate/punch/zero_range definitely overwrote
 *         (non-zero past a truncate point).
 *  LOST   an older generation (definitely overwritten by a newer write),
 *         or zeros where no zero value is live (a completed write vanished).
 *  TORN   a stamp whose checksum does not match (magic intact), unless a
 *         write of s was in flight during R (submitted before Rc, not
 *         completed before Rs): a read racing a write of the same sector
 *         may see a mix of the two (page-cache copies — buffered I/O, the
 *         data=journal DIO fallback, a loop device's backing file — are not
 *         atomic per sector), and nothing is promised about it.
 * Sizes: SIZE when a read's returned length, or a final st_size, is not
 * consistent with any ordering of completed and in-flight size-changing ops.
 *
 * Shifts (collapse_range, insert_range). A collapse of [off, off+len) moves
 * the data at >= off+len down by len and shrinks the size by len; an insert
 * at off moves the data at >= off up by len, leaves a hole (zeros) of len at
 * off and grows the size by len. The kernel orders a shift S against every
 * DIO of the file (S holds i_rwsem exclusive and waits inode_dio_wait), so
 * each write or read lands wholly before or wholly after S; the oracle only
 * knows submit/complete times, and applies this rule, which never flags a
 * legal outcome:
 *  - Two shifts of one file overlapping in time leave the file unknown
 *    (they do not commute and either may have run first); iorace runs its
 *    shifts one at a time (replay/exec.c).
 *  - S is applied when it completes successfully (a failed S with EINVAL or
 *    EOPNOTSUPP changed nothing; any other error leaves the file unknown:
 *    its reads are no longer judged). Every candidate of a sector moves
 *    with the data, remembering the sector it was written to (a stamp must
 *    name that sector).
 *  - A write or zeroing op overlapping S in time (submitted by S's
 *    completion and not completed before S's submission) may have landed
 *    before S (moved) or after (not moved): it is kept at both places and
 *    never kills another candidate (it is legal at either place while live,
 *    but its absence is no longer a LOST).
 *  - An op submitted after S completed stays where it was registered, even
 *    when it reached the oracle before S's completion did.
 *  - A read overlapping S in time (submitted by S's completion, while S was
 *    known) may have seen either layout: only its sectors below S's offset
 *    (where neither outcome moves data) are judged, and not its length
 *    (stats.shift_partial; stats.shift_skipped when none was below).
 *  - The size after S is the range of sizes before S (the read size bounds
 *    over S's interval) moved by len; S then counts as a size-setting op
 *    like a truncate, with that range as its target.
 */
#ifndef IORACE_ORACLE_H
#define IORACE_ORACLE_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

#include "model/findings.h"

enum op_kind {
	OP_WRITE,
	OP_READ,
	OP_TRUNCATE,   /* off = new size, len = 0 */
	OP_FALLOCATE,  /* off, len; flags & OPF_KEEP_SIZE */
	OP_PUNCH,      /* off, len (keeps size) */
	OP_ZERO_RANGE, /* off, len; flags & OPF_KEEP_SIZE */
	OP_FSYNC,
	OP_FDATASYNC,
	OP_COLLAPSE, /* off, len: FALLOC_FL_COLLAPSE_RANGE (block aligned) */
	OP_INSERT,   /* off, len: FALLOC_FL_INSERT_RANGE (block aligned) */
	OP_NKINDS,
};

#define OPF_DIRECT    0x1u
#define OPF_DSYNC     0x2u
#define OPF_KEEP_SIZE 0x4u
#define OPF_VERIFY    0x8u /* the post-workload read-back */

const char *op_kind_name(enum op_kind k);
int op_kind_from_name(const char *s); /* -1 when unknown */

struct oracle_op {
	uint64_t id; /* unique in the run; a write's stamp generation */
	enum op_kind kind;
	uint32_t file;
	uint32_t flags;
	uint64_t off;	   /* bytes */
	uint64_t len;	   /* bytes */
	uint64_t t_submit; /* CLOCK_MONOTONIC ns */
};

struct oracle;

/*
 * nfiles files, each with an initial size in bytes (the region below it
 * reads as zeros: fallocated or sparse). seed identifies this run's stamps.
 */
struct oracle *oracle_new(unsigned nfiles, const uint64_t *initial_size,
			  uint64_t seed);
void oracle_free(struct oracle *o);

/* Register an op at submission. */
void oracle_submit(struct oracle *o, const struct oracle_op *op);
/*
 * Register its completion: res is bytes transferred for reads/writes (may be
 * short), 0 for other ops, or -errno.
 */
void oracle_complete(struct oracle *o, uint64_t id, int64_t res,
		     uint64_t t_complete);

/*
 * Judge a completed read (already registered with oracle_complete) whose
 * buffer holds res bytes starting at the read's offset. Findings are added
 * to fl (coalesced: one finding per run of sectors of one class). Returns
 * the number of sectors found illegal; *verified gets sectors judged.
 */
size_t oracle_check_read(struct oracle *o, uint64_t read_id, const void *buf,
			 struct findings *fl, uint64_t *verified);

/*
 * Judge a final st_size observed at time t after every op completed.
 * Returns 1 and adds a SIZE finding when illegal.
 */
int oracle_check_size(struct oracle *o, uint32_t file, uint64_t size,
		      uint64_t t, struct findings *fl);

/* Bytes the file may hold at most right now (for planning read-back). */
uint64_t oracle_max_size(const struct oracle *o, uint32_t file);

/* Bookkeeping, for tests and the report. */
struct oracle_stats {
	uint64_t ops;	     /* registered, excluding the initial contents */
	uint64_t candidates; /* write references held in sector lists */
	uint64_t candidates_peak;
	uint64_t overflow_lists; /* sectors whose list left the inline slots */
	uint64_t pruned;	 /* references dropped */
	uint64_t zero_ranges;	 /* truncate/punch/zero_range ranges held */
	uint64_t reads_inflight;
	uint64_t shift_skipped; /* reads overlapping a shift, not judged */
	uint64_t shift_partial; /* ... judged below the shift's offset only */
	uint64_t bytes;		/* approximate memory held */
};
void oracle_stats(const struct oracle *o, struct oracle_stats *st);

#endif
