/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Swarm testing (Groce et al., "Swarm Testing", ISSTA 2012): instead of one
 * configuration with every feature on, each seed draws a configuration
 * with a random subset of features, so some runs leave out the op kinds
 * that would otherwise mask a race. `iorace run swarm --seed N` draws, from
 * N alone:
 *   - geometry: 1 KiB or 4 KiB blocks, bigalloc (64 KiB clusters, 4 KiB
 *     blocks only); mount options: none, dioread_nolock,
 *     nodioread_nolock or data=journal (O_DIRECT falls back to buffered);
 *   - files: 1-2, initial size 4-32 MiB, sparse or fallocated;
 *   - 1-3 I/O jobs: engine (libaio, io_uring, sync), pattern, bs (512 B,
 *     1 KiB, 4 KiB, 4k-64k, 4k-128k), iodepth, contexts, O_DSYNC, buffered
 *     (sync engine), a region reaching past EOF; at least one writes;
 *   - each racing op kind (truncate, fallocate, punch, zero_range, fsync,
 *     fdatasync) in or out with probability 1/2, with its rate
 *     (interval, count), range and keep_size;
 *   - a read-back stage over every file.
 * The result is ordinary workload text (kept in wl->swarm_text, written as
 * RUN/swarm.job: `iorace run RUN/swarm.job` runs the same configuration) and
 * a one-line summary (wl->swarm_conf) that report.json ("swarm") and
 * report.txt name. --repeat N runs seeds S..S+N-1: N configurations.
 */
#ifndef IORACE_SWARM_H
#define IORACE_SWARM_H

#include <stddef.h>
#include <stdint.h>

#include "replay/workload.h"

/*
 * Replace the template wl (parsed from a swarm=1 file) by the workload
 * drawn from seed. Returns 0, or -1 with err set (a generator bug: the
 * drawn text did not parse).
 */
int swarm_expand(struct workload *wl, uint64_t seed, char *err, size_t errlen);

/* The drawn text alone (malloc'd), and its summary into conf. */
char *swarm_text(uint64_t seed, char *conf, size_t conflen);

#endif
