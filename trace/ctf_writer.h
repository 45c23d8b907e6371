/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal CTF 1.8 writer for kernel events (tracefs captures and fixtures).
 *
 * Layout of a trace dir: "metadata" (plain-text TSDL) and one binary stream
 * file per CPU, "stream_<cpu>". One stream class; every event is
 *   header  { uint32 id; uint64 timestamp (clock ns) }
 *   fields  each an int64 (little-endian) or a NUL-terminated string
 * Packets carry timestamp_begin/end, content/packet size, packet_seq_num,
 * events_discarded (cumulative per stream) and cpu_id.
 *
 * The clock is copied from the LTTng-UST trace of the same run (same name,
 * uuid and offset) so that babeltrace2 muxes both traces on one timeline;
 * without one the writer declares "monotonic" with the boot id as uuid and
 * offset = CLOCK_REALTIME - CLOCK_MONOTONIC, like LTTng does.
 */
#ifndef IORACE_CTF_WRITER_H
#define IORACE_CTF_WRITER_H

#include <stddef.h>
#include <stdint.h>

enum ctfw_type { CTFW_INT, CTFW_STR };

struct ctfw_val {
	int64_t i;
	const char *s; /* for CTFW_STR fields; NULL reads as "" */
};

struct ctfw;

/*
 * Create dir (and parents) and open a writer. clock_block: a TSDL
 * "clock { ... };" block to declare (NULL: own clock). domain goes to the
 * env block (e.g. "kernel"). NULL on error (message printed).
 */
struct ctfw *ctfw_open(const char *dir, const char *clock_block,
		       const char *domain);
/*
 * Declare (or look up, by name) an event class. Field names are used as
 * given (the writer prefixes '_' in TSDL, which readers strip). Returns the
 * class id, or -1 when name exists with a different field list.
 */
int ctfw_class(struct ctfw *w, const char *name, unsigned nfields,
	       const char *const *fnames, const enum ctfw_type *ftypes);
/* Find a class by name: id or -1. */
int ctfw_class_find(struct ctfw *w, const char *name);
/*
 * Append one event to cpu's stream. Timestamps must not decrease within a
 * stream. vals has one entry per field of the class. 0 or -1.
 */
int ctfw_event(struct ctfw *w, uint32_t cpu, int cls, uint64_t ts,
	       const struct ctfw_val *vals);
/*
 * Record n events lost on cpu's stream (before time ts): closes the current
 * packet and makes the next carry the larger events_discarded count, which
 * babeltrace2 reports as discarded events.
 */
int ctfw_discarded(struct ctfw *w, uint32_t cpu, uint64_t n, uint64_t ts);
/* Events written so far. */
uint64_t ctfw_count(const struct ctfw *w);
/* Flush every stream, write metadata, free. 0 or -1. */
int ctfw_close(struct ctfw *w);

/*
 * Find the LTTng trace under root (first dir holding a "metadata" file,
 * skipping skip_dir) and return a malloc'ed copy of its clock block, or NULL.
 * Understands packetized (LTTng) and plain-text metadata.
 */
char *ctf_find_clock_block(const char *root, const char *skip_dir);
/* Extract the clock block from TSDL text (malloc'ed) or NULL. */
char *ctf_clock_block_from_tsdl(const char *tsdl);

#endif
