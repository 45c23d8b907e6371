// SPDX-License-Identifier: GPL-2.0
/* Instantiate the iorace LTTng-UST tracepoint provider (iorace_tp.h). */
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#define LTTNG_UST_TRACEPOINT_DEFINE
#include "trace/iorace_tp.h"
