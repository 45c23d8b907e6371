/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The scratch target: a sparse image file, a loop device attached through
 * ioctls (LOOP_CTL_GET_FREE, LOOP_CONFIGURE / LOOP_SET_FD+LOOP_SET_STATUS64)
 * with LO_FLAGS_AUTOCLEAR and lo_file_name tagged "iorace-<pid>", mkfs.ext4,
 * a mount with the workload's options. Everything is recorded in a state
 * file under /run/iorace/<pid>/ so a later run can reclaim what a killed
 * run left (scratch_reclaim: only objects tagged iorace-<pid> whose pid is
 * dead are touched; never anything else).
 */
#ifndef IORACE_SCRATCH_H
#define IORACE_SCRATCH_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

struct scratch {
	char workdir[4096]; /* /run/iorace/<pid> or --workdir */
	char image[4096];   /* sparse image file */
	char loopdev[64];   /* /dev/loopN */
	int loop_nr;
	int loop_fd; /* held open while attached, so the device stays ours */
	bool cannot_run; /* setup failed for lack of root/loop support (77) */
	char mnt[4096];	 /* mount point */
	char dev[4096]; /* device ext4 lives on (loop, or a dm target over it) */
	bool mounted;
	bool attached;
	uint64_t image_size;
};

/*
 * Can a scratch be set up here (root, loop-control, mkfs.ext4)? 0, or -1
 * with the reason in why (the caller exits EXIT_CANNOT_RUN).
 */
int scratch_can_run(char *why, size_t len);

/*
 * Reclaim leftovers of dead iorace processes (mounts, loop devices, dirs,
 * tracefs instances iorace-<deadpid>). Returns the number of objects
 * reclaimed, and says what it did on stderr.
 */
int scratch_reclaim(void);

/*
 * Create the image (in base_dir if not NULL, else /var/tmp), attach the
 * loop device, mkfs.ext4 (mkfs_opts appended), mount at a fresh mountpoint.
 * Returns 0, or -1 with a message (errno-derived message in err).
 */
int scratch_setup(struct scratch *s, const char *base_dir, uint64_t size,
		  const char *mkfs_opts, const char *mount_opts, char *err,
		  size_t errlen);
/* Unmount (if mounted). */
int scratch_unmount(struct scratch *s);
/* Mount again with the given options. */
int scratch_mount(struct scratch *s, const char *mount_opts);
/* e2fsck -fn on the device; output into log_path. Returns e2fsck's status. */
int scratch_fsck(struct scratch *s, const char *log_path);
/* Undo everything scratch_setup did that is still in place. Idempotent. */
void scratch_teardown(struct scratch *s);

/*
 * Optional stacking hook (set by the injectors, NULL = none): scratch_setup
 * calls stack() after the loop device is attached and before mkfs; it may
 * stack a device over s->loopdev and point s->dev at it (0, or -1 with a
 * message in err). scratch_teardown calls unstack() after the unmount and
 * before the loop device is detached.
 */
struct scratch_stack_hook {
	int (*stack)(struct scratch *s, void *arg, char *err, size_t errlen);
	void (*unstack)(struct scratch *s, void *arg);
	void *arg;
};
extern struct scratch_stack_hook scratch_stack;

/*
 * Fill the free space with poison sectors (model/stamp.h poison_fill),
 * fsync, unlink, sync, so a stale block exposed later is recognisable.
 * Returns bytes of poison written or -1.
 */
int64_t scratch_poison(struct scratch *s, uint64_t seed);

#endif
