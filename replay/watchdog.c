// SPDX-License-Identifier: GPL-2.0
/* The watchdog's judgement of one stream (see watchdog.h). */
#include "replay/watchdog.h"

enum wd_verdict wd_judge(const struct wd_stream *s, uint64_t now,
			 uint64_t limit_ns, uint64_t *age_ns)
{
	uint64_t base;

	if (s->oldest_submit) {
		if (now > s->oldest_submit &&
		    now - s->oldest_submit > limit_ns) {
			*age_ns = now - s->oldest_submit;
			return WD_INFLIGHT;
		}
		return WD_OK;
	}
	if (!s->active)
		return WD_OK;
	base = s->last_progress > s->wait_until ? s->last_progress :
						  s->wait_until;
	if (!base || now <= base || now - base <= limit_ns)
		return WD_OK;
	*age_ns = now - base;
	return WD_NOPROGRESS;
}
