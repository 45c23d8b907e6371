/* SPDX-License-Identifier: GPL-2.0 */
/* State shared by the injector sources (not part of the public contract). */
#ifndef IORACE_INJECT_INTERNAL_H
#define IORACE_INJECT_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "injectors/inject.h"
#include "model/durability.h"
#include "replay/run_internal.h"

struct inj_fire {
	uint64_t t;
	char what[48];
	uint64_t op_id;
	uint32_t file;
	unsigned inflight;
	uint64_t arg;
};

/* The dm device stacked over the loop device. */
struct dm_stack {
	bool hooked; /* scratch hook installed */
	bool created;
	char name[64];		     /* iorace-<pid> */
	char dev[128];		     /* node ext4 lives on */
	bool own_node;		     /* we mknod'ed dev */
	unsigned lo_major, lo_minor; /* the loop device under it */
	uint64_t sectors;
	char cur_table[512]; /* target + params now loaded */
	/* dm-log-writes: the log device, a second loop */
	char log_image[4096];
	char log_loopdev[64];
	int log_loop_fd;
	unsigned log_major, log_minor;
	unsigned nmarks;
};

/* One log-writes mark with the time it was sent. */
struct lw_mark {
	char name[32];
	uint64_t t;
};

struct inject_run {
	struct run *r;
	struct inject_conf conf;
	bool active;
	bool started[8];
	pthread_mutex_t lock; /* fires, marks */
	struct inj_fire *fires;
	size_t nfires, fcap;

	struct dm_stack dm;

	/* crash */
	struct durability *dur;
	pthread_t crash_tid;
	bool crash_thread;
	atomic_bool quit;
	atomic_uint nsyncs, ndsyncs, nsync_submits;
	_Atomic uint64_t t_trigger; /* crash trigger time (0: not yet) */
	_Atomic uint64_t t_crash;   /* writes dropped from here */
	atomic_bool dropping;
	atomic_bool crashed;
	uint64_t drop_sync_id; /* drop_before_fsync: the fsync dropped */
	struct lw_mark *marks;
	size_t nmarks, mcap;
	atomic_uint marks_wanted;
	_Atomic uint64_t expected_errors;
};

/* dm.c: libdevmapper helpers */
int dmx_available(char *why, size_t len);
int dmx_target_available(const char *target, const char *config, char *why,
			 size_t len);
int dmx_create(struct dm_stack *d, const char *target, const char *params,
	       char *why, size_t len);
int dmx_reload(struct dm_stack *d, const char *target, const char *params,
	       char *why, size_t len);
int dmx_message(struct dm_stack *d, const char *message);
int dmx_remove(const char *name);
int dm_stack_install(struct run *r);
void dm_stack_uninstall(struct run *r);
/* Load the linear table again (after a crash, before the remount). */
int dm_stack_linear(struct run *r);
/* Table params for the workload's target (dm_delay.c, dm_flakey.c). */
int dm_delay_table(const struct inject_conf *c, const struct dm_stack *d,
		   char *out, size_t len);
int dm_flakey_table(const struct dm_stack *d, unsigned up, unsigned down,
		    const char *features, char *out, size_t len);
int dm_flakey_drop_writes(struct run *r);
/* dm_log_writes.c */
int lw_setup_log(struct run *r, char *why, size_t len);
void lw_teardown_log(struct run *r);
int lw_mark(struct run *r, const char *name);
int lw_replay_check(struct run *r);

/* run_inject.c: load the tables deferred by dm_start= */
int inject_start_deferred(struct run *r);

/* crash.c */
int crash_start(struct run *r);
void crash_join(struct run *r);
void crash_free(struct run *r);
size_t crash_check_files(struct run *r, const char *mnt, uint64_t t,
			 const char *label);

#endif
