/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sector stamps: every 512-byte sector iorace writes describes itself, so a
 * read-back can tell exactly which write (or which poison fill) it came from.
 *
 * Layout (little-endian), 512 bytes:
 *   0  u32 magic     STAMP_MAGIC for data, POISON_MAGIC for free-space poison
 *   4  u32 file_id
 *   8  u64 sector    sector index within the file (poison: within the fs fill)
 *  16  u64 gen       write generation = the writing op's id (poison: 0)
 *  24  u64 seed      the run's seed (stamps from another run are foreign)
 *  32  u32 csum      crc32c over the 512 bytes with this field zeroed
 *  36  u32 reserved  0
 *  40  filler        472 bytes, deterministic from (seed, file, sector, gen)
 */
#ifndef IORACE_STAMP_H
#define IORACE_STAMP_H

#include <stdint.h>
#include <stddef.h>

#define STAMP_MAGIC  0x53524f49u /* "IORS" */
#define POISON_MAGIC 0x50524f49u /* "IORP" */

enum stamp_class {
	SC_ZERO,    /* all 512 bytes zero */
	SC_STAMP,   /* valid data stamp */
	SC_POISON,  /* valid poison stamp */
	SC_TORN,    /* magic intact but checksum or filler wrong */
	SC_GARBAGE, /* anything else */
};

struct stamp_info {
	enum stamp_class cls;
	uint32_t file_id;
	uint64_t sector;
	uint64_t gen;
	uint64_t seed;
};

uint32_t crc32c(uint32_t crc, const void *buf, size_t len);

/* Fill nsect sectors at buf with data stamps for file/first_sector/gen. */
void stamp_fill(void *buf, uint32_t file_id, uint64_t first_sector,
		uint32_t nsect, uint64_t gen, uint64_t seed);
/* Fill nsect sectors with poison stamps (sector numbering from first). */
void poison_fill(void *buf, uint64_t first, uint32_t nsect, uint64_t seed);
/* Classify one 512-byte sector. */
void stamp_decode(const void *sector, struct stamp_info *out);
/* Classify nsect consecutive sectors (faster than one at a time). */
void stamp_decode_many(const void *buf, uint32_t nsect, struct stamp_info *out);
const char *stamp_class_name(enum stamp_class c);

#endif
