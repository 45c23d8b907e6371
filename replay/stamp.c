// SPDX-License-Identifier: GPL-2.0
/*
 * Sector stamps (layout in stamp.h) and CRC-32C.
 *
 * crc32c() follows the usual chaining convention: pass 0 to start, pass the
 * previous result to continue; the pre/post inversion is done inside, so
 * crc32c(0, "123456789", 9) == 0xe3069283. It uses the SSE4.2 crc32
 * instruction when the CPU has it and a slice-by-8 table otherwise.
 */
#include "replay/stamp.h"

#include <stdbool.h>
#include <string.h>

#include "common/util.h"

#define CRC32C_POLY_REV 0x82f63b78u

#define STAMP_HDR 40u
#define STAMP_CSUM_OFF 32u
#define STAMP_FILLER_WORDS ((SECTOR_SIZE - STAMP_HDR) / 8)
#define POISON_FILE 0xffffffffu

static uint32_t crc_tab[8][256];
static bool crc_hw;

__attribute__((constructor)) static void crc32c_init(void)
{
	for (unsigned i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ ((c & 1) ? CRC32C_POLY_REV : 0);
		crc_tab[0][i] = c;
	}
	for (unsigned i = 0; i < 256; i++)
		for (unsigned t = 1; t < 8; t++)
			crc_tab[t][i] = (crc_tab[t - 1][i] >> 8) ^
					crc_tab[0][crc_tab[t - 1][i] & 0xff];
	__builtin_cpu_init();
	crc_hw = __builtin_cpu_supports("sse4.2");
}

static inline uint64_t load64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Raw (no inversion) software CRC, slice-by-8. */
static uint32_t crc32c_sw(uint32_t c, const unsigned char *p, size_t len)
{
	while (len && ((uintptr_t)p & 7)) {
		c = (c >> 8) ^ crc_tab[0][(c ^ *p++) & 0xff];
		len--;
	}
	while (len >= 8) {
		uint64_t v = load64(p) ^ c;

		c = crc_tab[7][v & 0xff] ^ crc_tab[6][(v >> 8) & 0xff] ^
		    crc_tab[5][(v >> 16) & 0xff] ^
		    crc_tab[4][(v >> 24) & 0xff] ^
		    crc_tab[3][(v >> 32) & 0xff] ^
		    crc_tab[2][(v >> 40) & 0xff] ^
		    crc_tab[1][(v >> 48) & 0xff] ^ crc_tab[0][v >> 56];
		p += 8;
		len -= 8;
	}
	while (len--)
		c = (c >> 8) ^ crc_tab[0][(c ^ *p++) & 0xff];
	return c;
}

/* Raw (no inversion) hardware CRC. */
__attribute__((target("sse4.2"))) static uint32_t
crc32c_hw(uint32_t c, const unsigned char *p, size_t len)
{
	uint64_t c64 = c;

	while (len && ((uintptr_t)p & 7)) {
		c64 = __builtin_ia32_crc32qi((uint32_t)c64, *p++);
		len--;
	}
	while (len >= 8) {
		c64 = __builtin_ia32_crc32di(c64, load64(p));
		p += 8;
		len -= 8;
	}
	while (len--)
		c64 = __builtin_ia32_crc32qi((uint32_t)c64, *p++);
	return (uint32_t)c64;
}

static inline uint32_t crc32c_raw(uint32_t c, const void *buf, size_t len)
{
	if (crc_hw)
		return crc32c_hw(c, buf, len);
	return crc32c_sw(c, buf, len);
}

uint32_t crc32c(uint32_t crc, const void *buf, size_t len)
{
	return ~crc32c_raw(~crc, buf, len);
}

/* Test hook: force the software path (or back). Not in the header. */
void stamp_crc_force_sw(int sw);
void stamp_crc_force_sw(int sw)
{
	if (sw)
		crc_hw = false;
	else
		crc_hw = __builtin_cpu_supports("sse4.2");
}

static inline uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline uint64_t filler_key(uint64_t seed, uint32_t file, uint64_t sector,
				  uint64_t gen)
{
	uint64_t h = mix64(seed ^ 0x6a09e667f3bcc908ull);

	h = mix64(h ^ ((uint64_t)file << 32 ^ 0x3c6ef372fe94f82bull));
	h = mix64(h ^ sector);
	return mix64(h ^ gen);
}

static inline void put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static inline void put64(unsigned char *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static inline uint32_t get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static void fill_one(unsigned char *p, uint32_t magic, uint32_t file,
		     uint64_t sector, uint64_t gen, uint64_t seed)
{
	uint64_t k = filler_key(seed, file, sector, gen);
	uint64_t w[STAMP_FILLER_WORDS];

	put32(p, magic);
	put32(p + 4, file);
	put64(p + 8, sector);
	put64(p + 16, gen);
	put64(p + 24, seed);
	put32(p + 32, 0);
	put32(p + 36, 0);
	for (unsigned i = 0; i < STAMP_FILLER_WORDS; i++)
		w[i] = mix64(k + (i + 1) * 0x9e3779b97f4a7c15ull);
	memcpy(p + STAMP_HDR, w, sizeof(w));
	put32(p + STAMP_CSUM_OFF, crc32c(0, p, SECTOR_SIZE));
}

void stamp_fill(void *buf, uint32_t file_id, uint64_t first_sector,
		uint32_t nsect, uint64_t gen, uint64_t seed)
{
	unsigned char *p = buf;

	for (uint32_t i = 0; i < nsect; i++, p += SECTOR_SIZE)
		fill_one(p, STAMP_MAGIC, file_id, first_sector + i, gen, seed);
}

void poison_fill(void *buf, uint64_t first, uint32_t nsect, uint64_t seed)
{
	unsigned char *p = buf;

	for (uint32_t i = 0; i < nsect; i++, p += SECTOR_SIZE)
		fill_one(p, POISON_MAGIC, POISON_FILE, first + i, 0, seed);
}

static bool all_zero(const unsigned char *p)
{
	uint64_t acc = 0;

	for (unsigned i = 0; i < SECTOR_SIZE; i += 32)
		acc |= load64(p + i) | load64(p + i + 8) | load64(p + i + 16) |
		       load64(p + i + 24);
	return acc == 0;
}

void stamp_decode(const void *sector, struct stamp_info *out)
{
	const unsigned char *p = sector;
	unsigned char hdr[STAMP_HDR];
	uint32_t magic, c;

	memset(out, 0, sizeof(*out));
	if (all_zero(p)) {
		out->cls = SC_ZERO;
		return;
	}
	magic = get32(p);
	if (magic != STAMP_MAGIC && magic != POISON_MAGIC) {
		out->cls = SC_GARBAGE;
		return;
	}
	out->file_id = get32(p + 4);
	memcpy(&out->sector, p + 8, 8);
	memcpy(&out->gen, p + 16, 8);
	memcpy(&out->seed, p + 24, 8);
	memcpy(hdr, p, STAMP_HDR);
	put32(hdr + STAMP_CSUM_OFF, 0);
	c = crc32c_raw(~0u, hdr, STAMP_HDR);
	c = ~crc32c_raw(c, p + STAMP_HDR, SECTOR_SIZE - STAMP_HDR);
	if (c != get32(p + STAMP_CSUM_OFF)) {
		out->cls = SC_TORN;
		return;
	}
	out->cls = magic == STAMP_MAGIC ? SC_STAMP : SC_POISON;
}

const char *stamp_class_name(enum stamp_class c)
{
	static const char *const names[] = {
		[SC_ZERO] = "zero",	[SC_STAMP] = "stamp",
		[SC_POISON] = "poison", [SC_TORN] = "torn",
		[SC_GARBAGE] = "garbage",
	};

	if ((unsigned)c < ARRAY_SIZE(names))
		return names[c];
	return "?";
}
