/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small shared helpers: monotonic time, size parsing, logging, growable
 * arrays. Everything in iorace timestamps with CLOCK_MONOTONIC ns so that
 * userspace events, LTTng-UST and tracefs (trace_clock=mono) share one axis.
 */
#ifndef IORACE_UTIL_H
#define IORACE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define SECTOR_SIZE  512u
#define SECTOR_SHIFT 9

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/*
 * Each argument is evaluated once: MIN(at - now_ns(), cap) with a plain
 * ?: macro reads the clock twice, and when the second read is past `at`
 * the unsigned difference wraps to a sleep of centuries.
 */
#define MIN(a, b)                                  \
	({                                         \
		__typeof__(a) _min_a = (a);        \
		__typeof__(b) _min_b = (b);        \
		_min_a < _min_b ? _min_a : _min_b; \
	})
#define MAX(a, b)                                  \
	({                                         \
		__typeof__(a) _max_a = (a);        \
		__typeof__(b) _max_b = (b);        \
		_max_a > _max_b ? _max_a : _max_b; \
	})
#define NSEC_PER_SEC  1000000000ull
#define NSEC_PER_MSEC 1000000ull

/* Exit codes of the iorace binary. */
enum {
	EXIT_CLEAN = 0,
	EXIT_FINDINGS = 1,
	EXIT_USAGE = 2,
	/*
	 * No finding online, but the trace lost events (sequence gaps,
	 * discarded events, kernel ring buffer losses): the trace verdict
	 * is neither a pass nor a failure of the kernel.
	 */
	EXIT_INCONCLUSIVE = 3,
	EXIT_CANNOT_RUN = 77,
};

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

void sleep_ns(uint64_t ns);
/*
 * Sleep until CLOCK_MONOTONIC reaches at_ns, in steps of at most step_ns
 * so *stop (if given) is seen; true when at_ns was reached, false when
 * stopped first.
 */
bool sleep_until_ns(uint64_t at_ns, uint64_t step_ns, const _Atomic bool *stop);

/*
 * Parse "4k", "100m", "1g", "512" (bytes; k/m/g/t are powers of 1024).
 * Returns 0 on success, -1 on a malformed value.
 */
int parse_size(const char *s, uint64_t *out);
/* Parse "2s", "500ms", "10us", "100ns", "3" (seconds) into ns. */
int parse_duration(const char *s, uint64_t *out_ns);
int parse_bool(const char *s, bool *out);
/* A plain decimal integer <= max (no sign, no suffix); 0 or -1. */
int parse_u64(const char *s, uint64_t max, uint64_t *out);

/* Messages go to stderr prefixed with "iorace: ". */
void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warnx_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern int verbose;
#define dbg(...)                          \
	do {                              \
		if (verbose)              \
			msg(__VA_ARGS__); \
	} while (0)

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t sz);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* Grow *v (element size esz) so it can hold at least need elements. */
void grow_array(void **v, size_t *cap, size_t need, size_t esz);

/* splitmix64: the only PRNG iorace uses, so plans are reproducible. */
static inline uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static inline uint64_t rand_below(uint64_t *state, uint64_t n)
{
	return n ? splitmix64(state) % n : 0;
}

#endif
