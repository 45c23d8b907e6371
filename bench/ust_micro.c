// SPDX-License-Identifier: GPL-2.0
/*
 * ust_micro: cost per event of iorace's UST trace layer, for bench/ust-micro.
 *
 *   ust_micro [-n EVENTS] [-r REPS] [-t THREADS] [-s] RUN_DIR
 *
 * Emits EVENTS op_submit/op_complete pairs' worth of events (half each)
 * through tr_op_submit() and tr_op_complete(), in a tight loop split over
 * THREADS threads, REPS times with tracing off (the floor: the tr_* calls
 * while not started), then REPS times into a UST session that trace_start()
 * opens exactly as iorace run does (blocking channel, re-executed with
 * LTTNG_UST_ALLOW_BLOCKING=1); -s skips the floor (for instruction counts
 * under callgrind, collected in worker_main). Prints key value lines:
 *   off_ns / ust_ns           median wall ns per event (CLOCK_MONOTONIC)
 *   off_cpu_ns / ust_cpu_ns   median emitting threads' CPU ns per event
 *                             (CLOCK_THREAD_CPUTIME_ID: less load-bound)
 *   consumerd_ns              lttng-consumerd utime+stime over all traced
 *                             repetitions (until it went idle) per event
 *   emitted                   events emitted while tracing (REPS * EVENTS)
 *   vcsw / ivcsw              the emitting threads' voluntary (waits: a
 *                             full channel blocks them) and involuntary
 *                             (preempted: load) context switches, summed
 *                             over the traced repetitions
 * The trace stays in RUN_DIR/trace, for counting what was recorded.
 */
#include <errno.h>
#include <dirent.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "common/util.h"
#include "model/oracle.h"
#include "trace/trace.h"

#define MAX_THREADS 16
#define MAX_REPS    64

struct worker {
	pthread_t th;
	pthread_barrier_t *go;
	uint64_t base, n;
	uint64_t t0, t1;     /* CLOCK_MONOTONIC around the loop */
	uint64_t cpu0, cpu1; /* CLOCK_THREAD_CPUTIME_ID around the loop */
	long vcsw, ivcsw;    /* context switches in the loop */
};

static uint64_t clock_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* op_submit/op_complete pairs shaped as a 4 KiB O_DIRECT write's */
static void emit(uint64_t base, uint64_t n)
{
	for (uint64_t i = 0; i < n / 2; i++) {
		uint64_t id = base + i;

		tr_op_submit(id, OP_WRITE, (uint32_t)(id & 3), 12 + (id & 3),
			     (id & 1023) * 4096, 4096, OPF_DIRECT, 2 * id);
		tr_op_complete(id, OP_WRITE, 4096, 2 * id + 1);
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct rusage ru0, ru1;

	pthread_barrier_wait(w->go);
	getrusage(RUSAGE_THREAD, &ru0);
	w->t0 = clock_ns(CLOCK_MONOTONIC);
	w->cpu0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	emit(w->base, w->n);
	w->cpu1 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	w->t1 = clock_ns(CLOCK_MONOTONIC);
	getrusage(RUSAGE_THREAD, &ru1);
	w->vcsw = ru1.ru_nvcsw - ru0.ru_nvcsw;
	w->ivcsw = ru1.ru_nivcsw - ru0.ru_nivcsw;
	return NULL;
}

static long vcsw, ivcsw; /* summed over repetitions */

/* One repetition: wall and CPU ns per event into *wall, *cpu. */
static int rep(unsigned nthreads, uint64_t events, uint64_t base, double *wall,
	       double *cpu)
{
	struct worker w[MAX_THREADS];
	pthread_barrier_t go;
	uint64_t t0 = UINT64_MAX, t1 = 0, c = 0;

	pthread_barrier_init(&go, NULL, nthreads);
	for (unsigned i = 0; i < nthreads; i++) {
		w[i].go = &go;
		w[i].n = events / nthreads;
		w[i].base = base + i * w[i].n;
		if (pthread_create(&w[i].th, NULL, worker_main, &w[i])) {
			msg("pthread_create failed");
			return -1;
		}
	}
	for (unsigned i = 0; i < nthreads; i++) {
		pthread_join(w[i].th, NULL);
		t0 = w[i].t0 < t0 ? w[i].t0 : t0;
		t1 = w[i].t1 > t1 ? w[i].t1 : t1;
		c += w[i].cpu1 - w[i].cpu0;
		vcsw += w[i].vcsw;
		ivcsw += w[i].ivcsw;
	}
	pthread_barrier_destroy(&go);
	*wall = (double)(t1 - t0) / (double)events;
	*cpu = (double)c / (double)events;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, unsigned n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* utime + stime (clock ticks) of every lttng-consumerd process */
static unsigned long long consumerd_ticks(void)
{
	unsigned long long sum = 0;
	DIR *d = opendir("/proc");
	struct dirent *e;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char path[300], buf[1024], *p;
		unsigned long long ut, stm;
		FILE *f;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		p = fgets(buf, sizeof(buf), f);
		fclose(f);
		if (!p || !strstr(buf, "(lttng-consumerd)"))
			continue;
		p = strrchr(buf, ')');
		/* after ") ": state ppid pgrp session tty tpgid flags minflt
		 * cminflt majflt cmajflt utime stime (fields 3..15) */
		if (sscanf(p + 2,
			   "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu "
			   "%llu",
			   &ut, &stm) == 2)
			sum += ut + stm;
	}
	closedir(d);
	return sum;
}

/* Wait until the consumer daemons stop using CPU (drained), ticks then. */
static unsigned long long consumerd_idle(void)
{
	unsigned long long prev = consumerd_ticks(), cur;

	for (int i = 0; i < 100; i++) {
		sleep_ns(300 * NSEC_PER_MSEC);
		cur = consumerd_ticks();
		if (cur == prev)
			break;
		prev = cur;
	}
	return prev;
}

int main(int argc, char **argv)
{
	uint64_t events = 2000000;
	unsigned reps = 5, nthreads = 1;
	double wall[MAX_REPS], cpu[MAX_REPS];
	unsigned long long c0, c1;
	long hz = sysconf(_SC_CLK_TCK);
	bool floor = true;
	int opt;

	trace_reexec_for_blocking(argv);
	while ((opt = getopt(argc, argv, "n:r:t:s")) != -1) {
		switch (opt) {
		case 'n':
			events = strtoull(optarg, NULL, 0);
			break;
		case 'r':
			reps = (unsigned)strtoul(optarg, NULL, 0);
			break;
		case 't':
			nthreads = (unsigned)strtoul(optarg, NULL, 0);
			break;
		case 's':
			floor = false;
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1 || !reps || reps > MAX_REPS || !nthreads ||
	    nthreads > MAX_THREADS || events < 2 * nthreads)
		goto usage;
	/* whole pairs per thread */
	events -= events % (2 * nthreads);

	for (unsigned r = 0; floor && r < reps; r++)
		if (rep(nthreads, events, 0, &wall[r], &cpu[r]))
			return 1;
	if (floor)
		printf("off_ns %.2f\noff_cpu_ns %.2f\n", median(wall, reps),
		       median(cpu, reps));

	struct trace_opts o = { .run_dir = argv[optind], .ust = true };

	if (trace_start(&o))
		return 1;
	c0 = consumerd_ticks();
	vcsw = ivcsw = 0;
	for (unsigned r = 0; r < reps; r++)
		if (rep(nthreads, events, (uint64_t)r * events, &wall[r],
			&cpu[r])) {
			trace_stop();
			return 1;
		}
	c1 = consumerd_idle();
	trace_stop();
	printf("ust_ns %.2f\nust_cpu_ns %.2f\n", median(wall, reps),
	       median(cpu, reps));
	printf("consumerd_ns %.2f\n",
	       (double)(c1 - c0) * 1e9 / (double)hz / ((double)events * reps));
	printf("emitted %llu\n", (unsigned long long)events * reps);
	printf("vcsw %ld\nivcsw %ld\n", vcsw, ivcsw);
	return 0;
usage:
	fprintf(stderr,
		"usage: ust_micro [-n EVENTS] [-r REPS] [-t THREADS] [-s] "
		"RUN_DIR\n");
	return 2;
}
