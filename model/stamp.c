// SPDX-License-Identifier: GPL-2.0
/*
 * Sector stamps (layout in stamp.h) and CRC-32C.
 *
 * crc32c() follows the usual chaining convention: pass 0 to start, pass the
 * previous result to continue; the pre/post inversion is done inside, so
 * crc32c(0, "123456789", 9) == 0xe3069283. It uses the SSE4.2 crc32
 * instruction when the CPU has it and a slice-by-8 table otherwise. The
 * filler is computed with AVX-512 when the CPU has it (same bytes).
 */
#include "model/stamp.h"

#include <immintrin.h>
#include <stdbool.h>
#include <string.h>

#include "common/util.h"

#define CRC32C_POLY_REV 0x82f63b78u

#define STAMP_HDR	   40u
#define STAMP_CSUM_OFF	   32u
#define STAMP_FILLER_WORDS ((SECTOR_SIZE - STAMP_HDR) / 8)
#define POISON_FILE	   0xffffffffu

static uint32_t crc_tab[8][256];
static bool crc_hw;
static bool filler_avx512;

static bool cpu_has_avx512dq(void)
{
	return __builtin_cpu_supports("avx512f") &&
	       __builtin_cpu_supports("avx512dq");
}

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
	filler_avx512 = cpu_has_avx512dq();
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

/*
 * CRC of whole sectors with the csum field (low half of word 4) taken as
 * zero. The hardware path runs four independent sectors interleaved, which
 * hides the crc32 instruction's latency.
 */
__attribute__((target("sse4.2"))) static void
sect_crc4_hw(const unsigned char *const p[4], uint32_t out[4])
{
	uint64_t c0 = ~0u, c1 = ~0u, c2 = ~0u, c3 = ~0u;
	const uint64_t m = 0xffffffff00000000ull;
	unsigned w;

	for (w = 0; w < 4; w++) {
		c0 = __builtin_ia32_crc32di(c0, load64(p[0] + 8 * w));
		c1 = __builtin_ia32_crc32di(c1, load64(p[1] + 8 * w));
		c2 = __builtin_ia32_crc32di(c2, load64(p[2] + 8 * w));
		c3 = __builtin_ia32_crc32di(c3, load64(p[3] + 8 * w));
	}
	c0 = __builtin_ia32_crc32di(c0, load64(p[0] + 32) & m);
	c1 = __builtin_ia32_crc32di(c1, load64(p[1] + 32) & m);
	c2 = __builtin_ia32_crc32di(c2, load64(p[2] + 32) & m);
	c3 = __builtin_ia32_crc32di(c3, load64(p[3] + 32) & m);
	for (w = 5; w < SECTOR_SIZE / 8; w++) {
		c0 = __builtin_ia32_crc32di(c0, load64(p[0] + 8 * w));
		c1 = __builtin_ia32_crc32di(c1, load64(p[1] + 8 * w));
		c2 = __builtin_ia32_crc32di(c2, load64(p[2] + 8 * w));
		c3 = __builtin_ia32_crc32di(c3, load64(p[3] + 8 * w));
	}
	out[0] = ~(uint32_t)c0;
	out[1] = ~(uint32_t)c1;
	out[2] = ~(uint32_t)c2;
	out[3] = ~(uint32_t)c3;
}

static uint32_t sect_crc1(const unsigned char *p)
{
	unsigned char hdr[STAMP_HDR];
	uint32_t c;

	memcpy(hdr, p, STAMP_HDR);
	memset(hdr + STAMP_CSUM_OFF, 0, 4);
	c = crc32c_raw(~0u, hdr, STAMP_HDR);
	return ~crc32c_raw(c, p + STAMP_HDR, SECTOR_SIZE - STAMP_HDR);
}

/* n in 1..4; lanes past n repeat the last sector */
static void sect_crc4(const unsigned char *p[4], unsigned n, uint32_t out[4])
{
	if (!crc_hw) {
		for (unsigned i = 0; i < n; i++)
			out[i] = sect_crc1(p[i]);
		return;
	}
	for (unsigned i = n; i < 4; i++)
		p[i] = p[n - 1];
	sect_crc4_hw(p, out);
}

/* splitmix64's finaliser; its multipliers, shared with the AVX-512 filler */
#define MIX_M1 0xbf58476d1ce4e5b9ull
#define MIX_M2 0x94d049bb133111ebull

static inline uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * MIX_M1;
	z = (z ^ (z >> 27)) * MIX_M2;
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

/*
 * The filler: word i of a sector is splitmix64's output for the key plus
 * (i + 1) golden-ratio steps. The AVX-512 path computes the same words
 * eight at a time (vpmullq); it is the same bytes, only faster, so traces
 * recorded on either path re-check the same way.
 */
#define FILLER_STEP 0x9e3779b97f4a7c15ull

static void filler_words(uint64_t w[STAMP_FILLER_WORDS], uint64_t k)
{
	for (unsigned i = 0; i < STAMP_FILLER_WORDS; i++)
		w[i] = mix64(k + (i + 1) * FILLER_STEP);
}

__attribute__((target("avx512f,avx512dq"))) static void
filler_words_avx512(uint64_t w[STAMP_FILLER_WORDS], uint64_t k)
{
	const __m512i m1 = _mm512_set1_epi64((long long)MIX_M1);
	const __m512i m2 = _mm512_set1_epi64((long long)MIX_M2);
	const __m512i step = _mm512_set1_epi64((long long)(8 * FILLER_STEP));
	uint64_t first[8];
	__m512i x;
	unsigned i;

	for (unsigned j = 0; j < 8; j++)
		first[j] = k + (j + 1) * FILLER_STEP;
	x = _mm512_loadu_si512(first);
	for (i = 0; i < STAMP_FILLER_WORDS; i += 8) {
		__m512i z = x;

		z = _mm512_mullo_epi64(
			_mm512_xor_si512(z, _mm512_srli_epi64(z, 30)), m1);
		z = _mm512_mullo_epi64(
			_mm512_xor_si512(z, _mm512_srli_epi64(z, 27)), m2);
		z = _mm512_xor_si512(z, _mm512_srli_epi64(z, 31));
		if (i + 8 <= STAMP_FILLER_WORDS)
			_mm512_storeu_si512(w + i, z);
		else
			_mm512_mask_storeu_epi64(
				w + i,
				(__mmask8)((1u << (STAMP_FILLER_WORDS - i)) -
					   1),
				z);
		x = _mm512_add_epi64(x, step);
	}
}

/* Test hook: force the scalar filler (or back). Not in the header. */
void stamp_filler_force_scalar(int scalar);
void stamp_filler_force_scalar(int scalar)
{
	filler_avx512 = !scalar && cpu_has_avx512dq();
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
	if (filler_avx512)
		filler_words_avx512(w, k);
	else
		filler_words(w, k);
	memcpy(p + STAMP_HDR, w, sizeof(w));
}

static void fill_many(unsigned char *p, uint32_t magic, uint32_t file,
		      uint64_t first, uint32_t nsect, uint64_t gen,
		      uint64_t seed)
{
	for (uint32_t i = 0; i < nsect; i += 4) {
		const unsigned char *q[4];
		uint32_t c[4];
		unsigned n = MIN(4u, nsect - i);

		for (unsigned k = 0; k < n; k++) {
			q[k] = p + (size_t)(i + k) * SECTOR_SIZE;
			fill_one((unsigned char *)q[k], magic, file,
				 first + i + k, gen, seed);
		}
		sect_crc4(q, n, c);
		for (unsigned k = 0; k < n; k++)
			put32((unsigned char *)q[k] + STAMP_CSUM_OFF, c[k]);
	}
}

void stamp_fill(void *buf, uint32_t file_id, uint64_t first_sector,
		uint32_t nsect, uint64_t gen, uint64_t seed)
{
	fill_many(buf, STAMP_MAGIC, file_id, first_sector, nsect, gen, seed);
}

void poison_fill(void *buf, uint64_t first, uint32_t nsect, uint64_t seed)
{
	fill_many(buf, POISON_MAGIC, POISON_FILE, first, nsect, 0, seed);
}

static bool all_zero(const unsigned char *p)
{
	uint64_t acc = 0;

	for (unsigned i = 0; i < SECTOR_SIZE; i += 32)
		acc |= load64(p + i) | load64(p + i + 8) | load64(p + i + 16) |
		       load64(p + i + 24);
	return acc == 0;
}

/* Everything but the checksum; returns true when the crc must decide. */
static bool decode_hdr(const unsigned char *p, struct stamp_info *out)
{
	uint32_t magic;

	memset(out, 0, sizeof(*out));
	if (all_zero(p)) {
		out->cls = SC_ZERO;
		return false;
	}
	magic = get32(p);
	if (magic != STAMP_MAGIC && magic != POISON_MAGIC) {
		out->cls = SC_GARBAGE;
		return false;
	}
	out->file_id = get32(p + 4);
	memcpy(&out->sector, p + 8, 8);
	memcpy(&out->gen, p + 16, 8);
	memcpy(&out->seed, p + 24, 8);
	out->cls = magic == STAMP_MAGIC ? SC_STAMP : SC_POISON;
	return true;
}

void stamp_decode(const void *sector, struct stamp_info *out)
{
	const unsigned char *p = sector;

	if (decode_hdr(p, out) && sect_crc1(p) != get32(p + STAMP_CSUM_OFF))
		out->cls = SC_TORN;
}

void stamp_decode_many(const void *buf, uint32_t nsect, struct stamp_info *out)
{
	const unsigned char *base = buf;
	const unsigned char *q[4];
	unsigned qi[4];
	unsigned n = 0;

	for (uint32_t i = 0; i <= nsect; i++) {
		if (i < nsect) {
			const unsigned char *p = base + (size_t)i * SECTOR_SIZE;

			if (!decode_hdr(p, &out[i]))
				continue;
			q[n] = p;
			qi[n++] = i;
			if (n < 4)
				continue;
		}
		if (n) {
			uint32_t c[4];

			sect_crc4(q, n, c);
			for (unsigned k = 0; k < n; k++)
				if (c[k] != get32(q[k] + STAMP_CSUM_OFF))
					out[qi[k]].cls = SC_TORN;
			n = 0;
		}
	}
}

const char *stamp_class_name(enum stamp_class c)
{
	static const char *const names[] = {
		[SC_ZERO] = "zero",	  [SC_STAMP] = "stamp",
		[SC_POISON] = "poison",	  [SC_TORN] = "torn",
		[SC_GARBAGE] = "garbage",
	};

	if ((unsigned)c < ARRAY_SIZE(names))
		return names[c];
	return "?";
}
