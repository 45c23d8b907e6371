/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the invariants: what a kernel event means for extents
 * (ext4 6.x flag values, from /sys/kernel/tracing/events/ext4/.../format)
 * and time-ordered per-inode lists of extent events.
 */
#ifndef IORACE_CHECKER_INTERNAL_H
#define IORACE_CHECKER_INTERNAL_H

#include "checker/checker.h"

/* EXT4_GET_BLOCKS_* as printed by ext4_ext_map_blocks_* / handle_unwritten */
#define K_GB_CREATE 0x0001u
#define K_GB_UNWRIT 0x0002u
#define K_GB_PRE_IO 0x0008u
#define K_GB_CONVERT 0x0010u
/* EXT4_MAP_* in map_blocks_exit mflags */
#define K_MAP_NEW (1u << 5)
#define K_MAP_UNWRITTEN (1u << 11)
/* kiocb flags in iomap_dio_* ki_flags */
#define K_IOCB_DSYNC 0x2u
#define K_IOCB_DIRECT (1u << 17)
#define K_IOCB_WRITE (1u << 18)

/* One extent event: [lblk, lblk + len) fs blocks of inode at time t. */
struct ck_xent {
	uint64_t t;
	uint64_t ino;
	uint64_t lblk;
	uint64_t len;
	uint32_t flags;
	uint16_t evid;
};

struct ck_xlist {
	struct ck_xent *v;
	size_t n, cap;
};

void ck_xlist_add(struct ck_xlist *l, const struct ck_xent *x);
void ck_xlist_free(struct ck_xlist *l);
/* First index whose t >= t (entries are added in time order). */
size_t ck_xlist_lower(const struct ck_xlist *l, uint64_t t);
void ck_xent_cite(struct ck_evidence *e, const struct ck_xent *x);

/* Conversion of unwritten extents to written (the end_io work). */
bool ck_conversion_extent(const struct ck_event *ev, struct ck_xent *x);
/* A DIO mapping blocks as unwritten for the write in flight. */
bool ck_unwritten_map_extent(const struct ck_event *ev, struct ck_xent *x);
/* Anything that changes the inode's extents or size (needs a commit). */
bool ck_metadata_change(const struct ck_event *ev, struct ck_xent *x);

/*
 * Mark which blocks of [b0, b1] the entries of l with t in [t0, t1] on
 * ino cover: cov[i] for block b0 + i. Returns the latest covering entry.
 */
const struct ck_xent *ck_xlist_cover(const struct ck_xlist *l, uint64_t ino,
				     uint64_t t0, uint64_t t1, uint64_t b0,
				     uint64_t b1, bool *cov);

/* Per-file lists indexed by file number (grown on demand). */
struct ck_filelists {
	struct ck_xlist *f;
	unsigned n;
};
struct ck_xlist *ck_filelist(struct ck_filelists *fl, unsigned file);
void ck_filelists_free(struct ck_filelists *fl);

#endif
