/* SPDX-License-Identifier: GPL-2.0 */
/*
 * LTTng-UST tracepoint provider "iorace" (lttng-ust 2.13 API).
 *
 * Contract with the trace checker. Every event carries, first:
 *   seq  u64  per-thread sequence number: 0, 1, 2, ... for each tid within
 *             one trace_start()..trace_stop() window. A gap (or a first
 *             seq != 0) means events of that thread were lost.
 *   tid  u32  the emitting thread (gettid()); seq is counted per tid.
 * No contexts are added to the channel: tid is the payload's, and the
 * vpid/vtid contexts earlier traces carry (informational, unused by the
 * checker) cost 15% of the instructions of an event (bench/ust-micro).
 *
 * Integer encodings:
 *   kind   enum op_kind (model/oracle.h): 0 write, 1 read, 2 truncate,
 *          3 fallocate, 4 punch, 5 zero_range, 6 fsync, 7 fdatasync,
 *          8 collapse_range, 9 insert_range (off, len as for punch)
 *   flags  OPF_* (model/oracle.h): 1 direct, 2 dsync, 4 keep_size, 8 verify
 *   phase  enum tr_phase (trace/trace.h): 0 setup, 1 poison, 2 workload,
 *          3 verify, 4 teardown; begin 1 = phase begins, 0 = it ends
 *   cls    enum stamp_class (model/stamp.h): 0 zero, 1 stamp, 2 poison,
 *          3 torn, 4 garbage
 *   t      CLOCK_MONOTONIC ns taken by iorace itself (the oracle's times);
 *          the event's own timestamp is the same clock, a little later.
 *   res    bytes transferred for reads/writes, 0 for other ops, or -errno
 *
 * read_run: what one read returned, as runs of sectors. A run covers the
 * read's file-relative sectors [sector, sector + nsect); all of them have
 * stamp class cls; for SC_STAMP sectors they carry the same file_seen and
 * gen and the stamped sector numbers sector_seen, sector_seen + 1, ...
 * (for SC_POISON: poison sector numbers likewise; other classes: file_seen,
 * gen and sector_seen are 0). The runs of a read are emitted after its
 * op_complete and cover exactly its returned bytes (res / 512 sectors).
 * Rebuild with stamp_fill()/poison_fill() (model/stamp.h); SC_TORN and
 * SC_GARBAGE sectors cannot be rebuilt bit-exactly: treat as that class.
 *
 * probe: outside the seq contract (no seq, no tid). trace_start() emits
 * it on its own channel ("probe", flushed by a switch timer) after
 * `lttng start` and waits to see its random nonce in the stream files
 * before any seq-carrying event: proof that this process is recording.
 * The checker ignores it.
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER iorace

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "trace/iorace_tp.h"

#if !defined(IORACE_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define IORACE_TP_H

#include <stdint.h>
#include <lttng/tracepoint.h>

/*
 * Not clang-formatted: the field lists are juxtaposed macro calls (no
 * commas), one field a line, which clang-format would run together.
 */
// clang-format off
LTTNG_UST_TRACEPOINT_EVENT(
	iorace, run_info,
	LTTNG_UST_TP_ARGS(uint64_t, seq, uint32_t, tid, uint64_t, seed,
			  uint32_t, nfiles, const char *, workload),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint64_t, seq, seq)
		lttng_ust_field_integer(uint32_t, tid, tid)
		lttng_ust_field_integer(uint64_t, seed, seed)
		lttng_ust_field_integer(uint32_t, nfiles, nfiles)
		lttng_ust_field_string(workload, workload)))

LTTNG_UST_TRACEPOINT_EVENT(
	iorace, file_info,
	LTTNG_UST_TP_ARGS(uint64_t, seq, uint32_t, tid, uint32_t, file,
			  uint64_t, inode, uint64_t, initial_size, uint32_t,
			  blocksize),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint64_t, seq, seq)
		lttng_ust_field_integer(uint32_t, tid, tid)
		lttng_ust_field_integer(uint32_t, file, file)
		lttng_ust_field_integer(uint64_t, inode, inode)
		lttng_ust_field_integer(uint64_t, initial_size, initial_size)
		lttng_ust_field_integer(uint32_t, blocksize, blocksize)))

LTTNG_UST_TRACEPOINT_EVENT(
	iorace, phase,
	LTTNG_UST_TP_ARGS(uint64_t, seq, uint32_t, tid, int32_t, phase,
			  int32_t, begin),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint64_t, seq, seq)
		lttng_ust_field_integer(uint32_t, tid, tid)
		lttng_ust_field_integer(int32_t, phase, phase)
		lttng_ust_field_integer(int32_t, begin, begin)))

LTTNG_UST_TRACEPOINT_EVENT(
	iorace, op_submit,
	LTTNG_UST_TP_ARGS(uint64_t, seq, uint32_t, tid, uint64_t, id,
			  int32_t, kind, uint32_t, file, uint64_t, inode,
			  uint64_t, off, uint64_t, len, uint32_t, flags,
			  uint64_t, t),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint64_t, seq, seq)
		lttng_ust_field_integer(uint32_t, tid, tid)
		lttng_ust_field_integer(uint64_t, id, id)
		lttng_ust_field_integer(int32_t, kind, kind)
		lttng_ust_field_integer(uint32_t, file, file)
		lttng_ust_field_integer(uint64_t, inode, inode)
		lttng_ust_field_integer(uint64_t, off, off)
		lttng_ust_field_integer(uint64_t, len, len)
		lttng_ust_field_integer(uint32_t, flags, flags)
		lttng_ust_field_integer(uint64_t, t, t)))

LTTNG_UST_TRACEPOINT_EVENT(
	iorace, op_complete,
	LTTNG_UST_TP_ARGS(uint64_t, seq, uint32_t, tid, uint64_t, id,
			  int32_t, kind, int64_t, res, uint64_t, t),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint64_t, seq, seq)
		lttng_ust_field_integer(uint32_t, tid, tid)
		lttng_ust_field_integer(uint64_t, id, id)
		lttng_ust_field_integer(int32_t, kind, kind)
		lttng_ust_field_integer(int64_t, res, res)
		lttng_ust_field_integer(uint64_t, t, t)))

LTTNG_UST_TRACEPOINT_EVENT(
	iorace, read_run,
	LTTNG_UST_TP_ARGS(uint64_t, seq, uint32_t, tid, uint64_t, id,
			  uint64_t, sector, uint32_t, nsect, int32_t, cls,
			  uint32_t, file_seen, uint64_t, gen, uint64_t,
			  sector_seen),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint64_t, seq, seq)
		lttng_ust_field_integer(uint32_t, tid, tid)
		lttng_ust_field_integer(uint64_t, id, id)
		lttng_ust_field_integer(uint64_t, sector, sector)
		lttng_ust_field_integer(uint32_t, nsect, nsect)
		lttng_ust_field_integer(int32_t, cls, cls)
		lttng_ust_field_integer(uint32_t, file_seen, file_seen)
		lttng_ust_field_integer(uint64_t, gen, gen)
		lttng_ust_field_integer(uint64_t, sector_seen, sector_seen)))

LTTNG_UST_TRACEPOINT_EVENT(
	iorace, inject,
	LTTNG_UST_TP_ARGS(uint64_t, seq, uint32_t, tid, const char *,
			  injector, const char *, action, uint64_t, arg),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint64_t, seq, seq)
		lttng_ust_field_integer(uint32_t, tid, tid)
		lttng_ust_field_string(injector, injector)
		lttng_ust_field_string(action, action)
		lttng_ust_field_integer(uint64_t, arg, arg)))

LTTNG_UST_TRACEPOINT_EVENT(
	iorace, watchdog,
	LTTNG_UST_TP_ARGS(uint64_t, seq, uint32_t, tid, uint64_t, id,
			  uint64_t, age_ns),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint64_t, seq, seq)
		lttng_ust_field_integer(uint32_t, tid, tid)
		lttng_ust_field_integer(uint64_t, id, id)
		lttng_ust_field_integer(uint64_t, age_ns, age_ns)))
LTTNG_UST_TRACEPOINT_EVENT(
	iorace, probe,
	LTTNG_UST_TP_ARGS(uint64_t, nonce),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint64_t, nonce, nonce)))
// clang-format on

#endif /* IORACE_TP_H */

#include <lttng/tracepoint-event.h>
