/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The dm-log-writes log format (Documentation/admin-guide/device-mapper/
 * log-writes.rst, drivers/md/dm-log-writes.c), little-endian:
 *   sector 0:  super {le64 magic 0x6a736677736872, le64 version 1,
 *                     le64 nr_entries, le32 sectorsize}
 *   from byte sectorsize on, nr_entries entries, each one sectorsize block
 *              {le64 sector, le64 nr_sectors, le64 flags, le64 data_len}
 *              (sector and nr_sectors in sectorsize units), then
 *              nr_sectors blocks of data unless the entry is a discard or
 *              a mark; a mark's name follows the header inline (data_len
 *              bytes).
 */
#ifndef IORACE_LW_FORMAT_H
#define IORACE_LW_FORMAT_H

#include <endian.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define LW_MAGIC    0x6a736677736872ull
#define LW_VERSION  1
#define LW_FLUSH    (1u << 0)
#define LW_FUA	    (1u << 1)
#define LW_DISCARD  (1u << 2)
#define LW_MARK	    (1u << 3)
#define LW_METADATA (1u << 4)

struct lw_super {
	uint64_t magic, version, nr_entries;
	uint32_t sectorsize;
} __attribute__((packed));

struct lw_entry {
	uint64_t sector, nr_sectors, flags, data_len;
	char mark[64];
};

struct lw_replay_stats {
	uint64_t nr_entries;
	uint32_t sectorsize;
	uint64_t entries, writes, discards, flushes, marks, bytes;
	bool found;
};

/* 0, or -1 when not a log this reader knows. */
static inline int lw_super_decode(const struct lw_super *s, uint64_t *n,
				  uint32_t *sectorsize)
{
	uint32_t ss = le32toh(s->sectorsize);

	if (le64toh(s->magic) != LW_MAGIC || le64toh(s->version) != LW_VERSION)
		return -1;
	if (ss < 512 || ss > 65536 || (ss & (ss - 1)))
		return -1;
	*n = le64toh(s->nr_entries);
	*sectorsize = ss;
	return 0;
}

static inline void lw_entry_decode(const unsigned char *blk, uint32_t ss,
				   struct lw_entry *e)
{
	uint64_t v[4];
	size_t n;

	memcpy(v, blk, sizeof(v));
	e->sector = le64toh(v[0]);
	e->nr_sectors = le64toh(v[1]);
	e->flags = le64toh(v[2]);
	e->data_len = le64toh(v[3]);
	e->mark[0] = '\0';
	if (e->flags & LW_MARK) {
		n = e->data_len;
		if (n > ss - sizeof(v))
			n = ss - sizeof(v);
		if (n >= sizeof(e->mark))
			n = sizeof(e->mark) - 1;
		memcpy(e->mark, blk + sizeof(v), n);
		e->mark[n] = '\0';
	}
}

/*
 * Replay the log at path log into the image file image up to (not
 * including anything after) the mark named mark (NULL: the whole log).
 * Discards punch holes. 0, or -1 with why.
 */
int lw_replay(const char *log, const char *mark, const char *image,
	      struct lw_replay_stats *st, char *why, size_t len);

#endif
