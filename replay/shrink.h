/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iorace shrink: minimise a failing run's op log by delta debugging
 * (Zeller's ddmin, then a 1-minimal pass removing single ops). The search
 * (shrink_ddmin) only sees a predicate; shrink_main spawns the replays.
 */
#ifndef IORACE_SHRINK_H
#define IORACE_SHRINK_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The predicate: keep[i] says whether op i is in the candidate. Returns 1
 * when the candidate still fails with the target, 0 when not, <0 to stop
 * the search (keep then holds the best so far).
 */
typedef int (*shrink_test_fn)(const bool *keep, size_t n, void *arg);

/*
 * Minimise keep[0..n) (on entry the set known to fail) against test. Only
 * candidates smaller than the current set are tried, so every candidate the
 * predicate accepts is a new best. Stops after max_tries calls of test
 * (0: no bound). *tries gets the number of calls. Returns 0 when the search
 * ran to the end (the result is 1-minimal), 1 when the bound stopped it, -1
 * when test asked to stop or memory ran out.
 */
int shrink_ddmin(bool *keep, size_t n, shrink_test_fn test, void *arg,
		 unsigned max_tries, unsigned *tries);

/* The `iorace shrink` subcommand; argv[0] is "shrink". */
int shrink_main(int argc, char **argv);

#endif
