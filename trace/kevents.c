// SPDX-License-Identifier: GPL-2.0
/* The kernel event table (trace/kevents.h). */
#include <string.h>

#include "trace/kevents.h"

#define KEV(sys, name, id) { #sys, #name },
const struct tr_kevent tr_kevents[] = { TR_KEVENTS(KEV) };
#undef KEV
const size_t tr_nkevents = sizeof(tr_kevents) / sizeof(tr_kevents[0]);

const char *tr_kevent_list(void)
{
#define KEV(sys, name, id) #name ","
	static const char all[] = TR_KEVENTS(KEV);
#undef KEV
	static char buf[sizeof(all)];

	if (!buf[0]) {
		memcpy(buf, all, sizeof(all));
		buf[sizeof(all) - 2] = '\0'; /* the trailing comma */
	}
	return buf;
}
