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
#define K_GB_CREATE  0x0001u
#define K_GB_UNWRIT  0x0002u
#define K_GB_PRE_IO  0x0008u
#define K_GB_CONVERT 0x0010u
/* EXT4_MAP_* in map_blocks_exit mflags */
#define K_MAP_NEW	(1u << 5)
#define K_MAP_UNWRITTEN (1u << 11)
/* kiocb flags in iomap_dio_* ki_flags */
#define K_IOCB_DSYNC  0x2u
#define K_IOCB_DIRECT (1u << 17)
#define K_IOCB_WRITE  (1u << 18)

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

/*
 * The kernel side of iorace's DIO writes without iomap events (6.1): a DIO
 * write is recognised by the ext4_ext_map_blocks_* events of the thread
 * that submitted it (io_submit maps in the caller), from its op_submit on:
 * an allocating map_blocks_enter (EXT4_GET_BLOCKS_CREATE) at the op's first
 * block (else the first pending op of the thread holding that block)
 * starts it, and the thread's following map events continue it while they
 * follow on. Its exits give the device blocks (pblk) and which blocks were
 * unwritten; block_rq_complete and conversions mark its blocks done. An
 * overwrite of cached written blocks maps nothing: its device blocks come
 * from a per-inode map of earlier exits, with holes from removals.
 */
#define CK_KW_EXT 8

struct ck_kwrite {
	uint64_t id;
	int64_t tid;
	uint32_t file;
	uint64_t ino;
	uint64_t off, len; /* bytes */
	uint64_t b0, b1;   /* fs blocks of the op */
	uint64_t t_submit; /* trace time of op_submit */
	uint64_t t_kbegin; /* first map event of the thread for it; 0 none */
	uint64_t next, relook; /* lblk a continuation may start at */
	bool started, done;
	/*
	 * No map event of its own yet (an overwrite found in the extent
	 * cache, or not in the kernel yet): ext came from earlier map exits
	 * of the inode (ck_kw_fill_from_map).
	 */
	bool cached;
	bool ext_full; /* more extents than fit: sector map incomplete */
	bool any_unwritten;
	unsigned next_ext;
	struct {
		uint64_t lblk, pblk, len;
		bool unwritten;
	} ext[CK_KW_EXT];
	struct ck_xent umap;   /* first unwritten mapping, for evidence */
	struct ck_event begin; /* the map event that started it */
	/*
	 * Per block of the op, from its start on: bit 0 a block_rq_complete
	 * of its sectors (issued after the start), bit 1 a conversion.
	 */
	uint8_t *done_map;
};

#define CK_FM_HOLE 1u

#define CK_KW_RQ   1u
#define CK_KW_CONV 2u

struct ck_kwthr;

/* A collapse/insert whose extent shift is still to come. */
#define CK_KW_SHIFT 8
struct ck_kwshift {
	int64_t tid;
	uint64_t ino, lblk;
	bool insert, live;
};

struct ck_kwrq {
	uint64_t sector, nr, t_issue;
	bool write;
};

struct ck_kwrites {
	struct ck_kwrite *v;
	size_t n, cap;
	size_t *live; /* indices of not yet completed records */
	size_t nlive, livecap;
	struct ck_kwthr *thr;
	size_t nthr, thrcap;
	size_t *hash; /* id -> index + 1, open addressing */
	size_t hcap;
	struct ck_kwrq *rq; /* block requests in flight */
	size_t nrq, rqcap;
	uint64_t rq_issued; /* block_rq_issue events on the fs's device */
	/* issue time of the request the last block_rq_complete ended; 0 none */
	uint64_t rq_t_issue;
	uint64_t started; /* records started so far */
	uint64_t bs;	  /* block size b0/b1 were computed with */
	/*
	 * Per inode, what map exits and removals said of each fs block:
	 * 0 unknown, CK_FM_HOLE, else device block + 2. Blocks from tail_hole
	 * on that are not in v are holes (a truncate removed them).
	 */
	struct {
		uint64_t ino;
		uint64_t *v;
		uint64_t n, tail_hole;
	} * fmap;
	unsigned nfmap;
	struct ck_kwshift shift[CK_KW_SHIFT];
	unsigned nshift;
};

/*
 * Feed every event (in time order). Returns the record a kernel event was
 * attributed to, else NULL; *started tells that this event started it
 * (kw->started counts them).
 */
struct ck_kwrite *ck_kw_event(struct ck_kwrites *kw, struct ck_ctx *ctx,
			      const struct ck_event *ev, bool *started);
struct ck_kwrite *ck_kw_find(struct ck_kwrites *kw, uint64_t id);
/* Whether lblk is unwritten in w's mapping. */
bool ck_kw_unwritten(const struct ck_kwrite *w, uint64_t lblk);
void ck_kw_free(struct ck_kwrites *kw);
/*
 * Blocks start.. of ino no longer are where map exits said (collapse and
 * insert shift them): unknown until mapped again.
 */
void ck_kw_forget(struct ck_kwrites *kw, uint64_t ino, uint64_t start);
/* Blocks [b0, b1] of w whose device sectors meet [sector, +nr). */
bool ck_kw_sectors_overlap(const struct ck_kwrite *w, uint64_t bs,
			   uint64_t sector, uint64_t nr, uint64_t *b0,
			   uint64_t *b1);
/*
 * Complete w's mapping from what earlier map exits of the inode said (for
 * an op that maps nothing of its own, or only part). 1 when every block
 * is known, 0 when some is unknown, -1 when some is a hole (removed and
 * not allocated since: no DIO can be writing it).
 */
int ck_kw_fill_from_map(struct ck_kwrites *kw, struct ck_kwrite *w);
/*
 * Nothing of w is left to do in the kernel now: its blocks are known,
 * those it mapped unwritten are converted and no write request on its
 * sectors is in flight (never true for written blocks when the trace has
 * no block request of the device, e.g. under a bio-based dm target).
 */
bool ck_kw_idle(const struct ck_kwrites *kw, const struct ck_kwrite *w,
		uint64_t bs);
/*
 * A conversion of unwritten extents: handle_unwritten with CONVERT or a
 * map enter with EXT4_GET_BLOCKS_CONVERT (that one fires even when the
 * extent has gone).
 */
bool ck_conversion_attempt(const struct ck_event *ev, struct ck_xent *x);

#endif
