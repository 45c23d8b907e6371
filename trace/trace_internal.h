/* SPDX-License-Identifier: GPL-2.0 */
/* Internals shared by the trace module and the fixture emitter. */
#ifndef IORACE_TRACE_INTERNAL_H
#define IORACE_TRACE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

/* kernel.c: private tracefs instance instances/iorace-<pid>. */
int ktrace_start(const char *trace_dir, const char *dev);
/*
 * Stop recording, convert the per-CPU buffers to CTF in trace_dir/kernel
 * (clock taken from the UST trace under trace_dir when there is one),
 * remove the instance. Idempotent. 0 or -1.
 */
int ktrace_stop(const char *trace_dir);
/* Remove the instance without converting (error paths). */
void ktrace_abort(void);

/*
 * Fixture emitter: make the calling thread's next events carry tid and
 * sequence numbers next_seq, next_seq + 1, ...
 */
void tr_fixture_thread(uint32_t tid, uint64_t next_seq);
/* Sequence number the calling thread's next event will carry. */
uint64_t tr_fixture_next_seq(void);

/* Run argv (argv[0] looked up in PATH); output to *out if non-NULL
 * (malloc'ed, stdout and stderr), else discarded. Exit status or -1. */
int tr_run(char *const argv[], char **out);

#endif
