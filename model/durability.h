/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The durability oracle: what each sector may hold after a crash at time T.
 *
 * It is fed the same op stream as the oracle (submit, complete, with
 * CLOCK_MONOTONIC times). An op that puts a value in a sector (a write ->
 * its stamp; truncate below it, punch, zero_range -> zeros; the file's
 * initial size -> zeros, durable from the start) is DURABLE at T when it
 * succeeded and
 *  - it is an O_DSYNC write that completed at or before T, or
 *  - an fsync/fdatasync of its file was submitted after it completed and
 *    itself completed successfully at or before T.
 * Per sector s, let D be the durable op on s that completed last (none if
 * s was never durably written). After the crash s may hold the value of D
 * or of any op on s that did not complete before D was submitted (newer or
 * racing, acknowledged or not, failed or not); with no D, zeros or any op
 * on s. Anything else is a finding:
 *  STALE          poison, another file's or another offset's stamp, a
 *                 stamp of another run, unknown data, a generation that
 *                 never wrote s;
 *  LOST-DURABLE   zeros or an older generation where D's value must be;
 *                 a file shorter than a durable write's end (when no
 *                 truncate ran on it);
 *  TORN           a stamp whose checksum fails.
 * A file that saw a collapse_range or insert_range is not judged (its data
 * moved; this model does not follow shifts).
 */
#ifndef IORACE_DURABILITY_H
#define IORACE_DURABILITY_H

#include <stddef.h>
#include <stdint.h>

#include "model/findings.h"
#include "model/oracle.h"

struct durability;

struct durability *dur_new(unsigned nfiles, const uint64_t *initial_size,
			   uint64_t seed);
void dur_free(struct durability *d);
void dur_submit(struct durability *d, const struct oracle_op *op);
void dur_complete(struct durability *d, uint64_t id, int64_t res,
		  uint64_t t_complete);

/*
 * Judge a file's contents after a crash at t_crash: buf holds size bytes
 * (the whole file as read back, size = its st_size). Adds findings to fl,
 * returns the number of illegal sectors; *verified gets sectors judged.
 */
size_t dur_check_file(struct durability *d, uint32_t file, const void *buf,
		      uint64_t size, uint64_t t_crash, struct findings *fl,
		      uint64_t *verified);

/* The flags of a registered op (0 when unknown). */
uint32_t dur_op_flags(const struct durability *d, uint64_t id);
/* Ops acknowledged as durable at t (for the report). */
uint64_t dur_count_durable(struct durability *d, uint64_t t);

#endif
