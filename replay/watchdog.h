/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The watchdog's judgement of one stream, kept apart from the threads so it
 * can be unit-tested (tests/unit/test_watchdog.c).
 *
 * A stream is making progress while
 *   - it has an op in flight for at most the limit (longer: HANG, the op is
 *     stuck in the kernel), or
 *   - it has no op in flight and it submitted or completed an op within the
 *     limit, or
 *   - it has no op in flight and is waiting for a time the plan gave it (a
 *     racing op's planned start: startdelay, rate-limited streams sleeping
 *     between ops, when_inflight's bounded wait): it is progressing until
 *     that time and for the limit after it.
 * Otherwise (no op in flight, nothing done and no planned time reached for
 * longer than the limit: a stream asleep past its deadline, a scheduler
 * that never came back, an engine loop that spins without submitting) it is
 * a no-progress HANG. The planned time is what the stream announces before
 * it waits, computed from the plan and not from the sleep, so a bug in the
 * sleep (e.g. a wrapped duration) cannot extend it. A stream that finished,
 * or that has not started yet, is not judged.
 */
#ifndef IORACE_WATCHDOG_H
#define IORACE_WATCHDOG_H

#include <stdbool.h>
#include <stdint.h>

struct wd_stream {
	bool active;		/* started and not done */
	uint64_t oldest_submit; /* oldest op in flight (0: none) */
	uint64_t last_progress; /* last submit/completion (or stream start) */
	uint64_t wait_until;	/* planned time it is waiting for (0: none) */
};

enum wd_verdict { WD_OK, WD_INFLIGHT, WD_NOPROGRESS };

/*
 * Judge one stream at now against limit_ns; on a HANG, *age_ns is how long
 * the op has been in flight (WD_INFLIGHT) or how long the stream has been
 * without progress past its last activity or planned time (WD_NOPROGRESS).
 */
enum wd_verdict wd_judge(const struct wd_stream *s, uint64_t now,
			 uint64_t limit_ns, uint64_t *age_ns);

#endif
