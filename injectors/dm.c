// SPDX-License-Identifier: GPL-2.0
/*
 * Device-mapper through libdevmapper: create a target over the scratch
 * loop device (a stacking hook in scratch_setup), reload its table mid-run
 * (suspend with noflush + nolockfs, load, resume), send messages, remove.
 * The device is named iorace-<pid>; inject_reclaim removes those of dead
 * processes.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libdevmapper.h>
#include <linux/fs.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/util.h"
#include "injectors/inject_internal.h"
#include "trace/trace.h"

extern char **environ;

static void dm_quiet_log(int level, const char *file, int line, int dm_errno,
			 const char *f, ...)
	__attribute__((format(printf, 5, 6)));

/* libdevmapper's own messages: only errors, and only with -v. */
static void dm_quiet_log(int level, const char *file, int line, int dm_errno,
			 const char *f, ...)
{
	va_list ap;
	char buf[512];

	(void)file;
	(void)line;
	(void)dm_errno;
	if (!verbose || (level & 7) > 3)
		return;
	va_start(ap, f);
	vsnprintf(buf, sizeof(buf), f, ap);
	va_end(ap);
	msg("libdevmapper: %s", buf);
}

static void dm_init_once(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	dm_log_with_errno_init(dm_quiet_log);
	dm_udev_set_sync_support(0);
}

/* Without touching /dev: is device-mapper registered (/proc/misc)? */
static bool dm_in_kernel(void)
{
	char line[128];
	bool found = false;
	FILE *f = fopen("/proc/misc", "r");

	while (f && !found && fgets(line, sizeof(line), f))
		found = strstr(line, " device-mapper") != NULL;
	if (f)
		fclose(f);
	return found;
}

int dmx_available(char *why, size_t len)
{
	char ver[64];

	if (dm_in_kernel())
		dm_init_once();
	if (!dm_in_kernel() || !dm_driver_version(ver, sizeof(ver))) {
		snprintf(why, len,
			 "the kernel has no device-mapper "
			 "(CONFIG_BLK_DEV_DM, /dev/mapper/control)");
		return -1;
	}
	return 0;
}

static bool target_listed(const char *target)
{
	struct dm_task *t = dm_task_create(DM_DEVICE_LIST_VERSIONS);
	struct dm_versions *v, *last;
	bool found = false;

	if (!t)
		return false;
	if (dm_task_run(t) && (v = dm_task_get_versions(t))) {
		do {
			last = v;
			if (!strcmp(v->name, target))
				found = true;
			v = (struct dm_versions *)((char *)v + v->next);
		} while (last != v && !found);
	}
	dm_task_destroy(t);
	return found;
}

static void modprobe(const char *mod)
{
	char *argv[] = { "modprobe", "-q", (char *)mod, NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (!posix_spawnp(&pid, "modprobe", &fa, NULL, argv, environ))
		waitpid(pid, &st, 0);
	posix_spawn_file_actions_destroy(&fa);
}

int dmx_target_available(const char *target, const char *config, char *why,
			 size_t len)
{
	char mod[64];

	if (dmx_available(why, len) < 0)
		return -1;
	if (target_listed(target))
		return 0;
	snprintf(mod, sizeof(mod), "dm-%s", target);
	modprobe(mod);
	if (target_listed(target))
		return 0;
	snprintf(why, len, "the kernel has no dm-%s target (%s)", target,
		 config);
	return -1;
}

static int run_task(int type, const char *name, const char *target,
		    uint64_t sectors, const char *params, bool quiet_suspend,
		    struct dm_info *info, char *why, size_t len)
{
	struct dm_task *t = dm_task_create(type);
	int ok;

	dm_init_once();
	if (!t) {
		snprintf(why, len, "dm_task_create: out of memory");
		return -1;
	}
	ok = dm_task_set_name(t, name);
	if (ok && target)
		ok = dm_task_add_target(t, 0, sectors, target, params);
	if (ok && quiet_suspend)
		ok = dm_task_no_flush(t) && dm_task_skip_lockfs(t);
	if (ok && type == DM_DEVICE_CREATE)
		ok = dm_task_set_add_node(t, DM_ADD_NODE_ON_CREATE);
	if (ok)
		ok = dm_task_run(t);
	if (ok && info)
		ok = dm_task_get_info(t, info);
	if (!ok)
		snprintf(why, len, "device-mapper %s of %s (%s %s) failed: %s",
			 type == DM_DEVICE_CREATE  ? "create" :
			 type == DM_DEVICE_RELOAD  ? "reload" :
			 type == DM_DEVICE_SUSPEND ? "suspend" :
			 type == DM_DEVICE_RESUME  ? "resume" :
						     "task",
			 name, target ? target : "", params ? params : "",
			 strerror(errno ? errno : EIO));
	dm_task_destroy(t);
	return ok ? 0 : -1;
}

int dmx_create(struct dm_stack *d, const char *target, const char *params,
	       char *why, size_t len)
{
	struct dm_info info;
	struct stat st;

	memset(&info, 0, sizeof(info));
	if (run_task(DM_DEVICE_CREATE, d->name, target, d->sectors, params,
		     false, &info, why, len) < 0)
		return -1;
	d->created = true;
	snprintf(d->cur_table, sizeof(d->cur_table), "%s %s", target, params);
	snprintf(d->dev, sizeof(d->dev), "/dev/mapper/%s", d->name);
	for (int i = 0; i < 50; i++) {
		if (!stat(d->dev, &st) && S_ISBLK(st.st_mode) &&
		    st.st_rdev == makedev(info.major, info.minor))
			return 0;
		sleep_ns(10 * NSEC_PER_MSEC);
	}
	/* no udev and no node from libdevmapper: make our own */
	snprintf(d->dev, sizeof(d->dev), "/dev/%s", d->name);
	unlink(d->dev);
	if (mknod(d->dev, S_IFBLK | 0600, makedev(info.major, info.minor))) {
		snprintf(why, len, "mknod %s: %s", d->dev, strerror(errno));
		return -1;
	}
	d->own_node = true;
	return 0;
}

int dmx_reload(struct dm_stack *d, const char *target, const char *params,
	       char *why, size_t len)
{
	int rc;

	if (run_task(DM_DEVICE_SUSPEND, d->name, NULL, 0, NULL, true, NULL, why,
		     len) < 0)
		return -1;
	rc = run_task(DM_DEVICE_RELOAD, d->name, target, d->sectors, params,
		      false, NULL, why, len);
	/* resume even when the load failed: the old table comes back */
	if (run_task(DM_DEVICE_RESUME, d->name, NULL, 0, NULL, false, NULL,
		     rc ? NULL : why, rc ? 0 : len) < 0)
		rc = -1;
	if (!rc) {
		snprintf(d->cur_table, sizeof(d->cur_table), "%s %s", target,
			 params);
		tr_inject("dm", target, 0);
		dbg("dm %s: now %s", d->name, d->cur_table);
	}
	return rc;
}

int dmx_message(struct dm_stack *d, const char *message)
{
	struct dm_task *t = dm_task_create(DM_DEVICE_TARGET_MSG);
	int ok;

	if (!t)
		return -1;
	ok = dm_task_set_name(t, d->name) && dm_task_set_sector(t, 0) &&
	     dm_task_set_message(t, message) && dm_task_run(t);
	dm_task_destroy(t);
	return ok ? 0 : -1;
}

int dmx_remove(const char *name)
{
	char why[256];

	for (int i = 0; i < 50; i++) {
		if (!run_task(DM_DEVICE_REMOVE, name, NULL, 0, NULL, false,
			      NULL, why, sizeof(why)))
			return 0;
		sleep_ns(20 * NSEC_PER_MSEC); /* a closing opener */
	}
	msg("%s", why);
	return -1;
}

/* ---- the stacking hook ---- */

static void linear_params(const struct dm_stack *d, char *out, size_t len)
{
	snprintf(out, len, "%u:%u 0", d->lo_major, d->lo_minor);
}

static int stack_hook(struct scratch *s, void *arg, char *err, size_t len)
{
	struct run *r = arg;
	struct inject_run *ir = r->inj;
	struct dm_stack *d = &ir->dm;
	char params[512];
	struct stat st;
	uint64_t bytes = 0;

	if (fstat(s->loop_fd, &st) < 0 ||
	    ioctl(s->loop_fd, BLKGETSIZE64, &bytes) < 0) {
		snprintf(err, len, "stat %s: %s", s->loopdev, strerror(errno));
		return -1;
	}
	d->lo_major = major(st.st_rdev);
	d->lo_minor = minor(st.st_rdev);
	d->sectors = bytes >> SECTOR_SHIFT;
	snprintf(d->name, sizeof(d->name), "iorace-%d", (int)getpid());
	if (ir->conf.dm == DMK_LOG_WRITES) {
		if (lw_setup_log(r, err, len) < 0)
			return -1;
		snprintf(params, sizeof(params), "%u:%u %u:%u", d->lo_major,
			 d->lo_minor, d->log_major, d->log_minor);
		if (dmx_create(d, "log-writes", params, err, len) < 0)
			return -1;
	} else {
		linear_params(d, params, sizeof(params));
		if (dmx_create(d, "linear", params, err, len) < 0)
			return -1;
	}
	snprintf(s->dev, sizeof(s->dev), "%s", d->dev);
	msg("dm: %s (%s) over %s", d->dev, d->cur_table, s->loopdev);
	return 0;
}

static void unstack_hook(struct scratch *s, void *arg)
{
	struct run *r = arg;
	struct dm_stack *d;

	if (!r->inj)
		return;
	d = &r->inj->dm;
	if (d->created && !dmx_remove(d->name))
		d->created = false;
	if (d->own_node) {
		unlink(d->dev);
		d->own_node = false;
	}
	if (!d->created && s->loopdev[0])
		snprintf(s->dev, sizeof(s->dev), "%s", s->loopdev);
	lw_teardown_log(r);
}

int dm_stack_install(struct run *r)
{
	scratch_stack.stack = stack_hook;
	scratch_stack.unstack = unstack_hook;
	scratch_stack.arg = r;
	r->inj->dm.hooked = true;
	r->inj->dm.log_loop_fd = -1;
	return 0;
}

void dm_stack_uninstall(struct run *r)
{
	struct dm_stack *d = &r->inj->dm;

	if (!d->hooked)
		return;
	if (d->created)
		unstack_hook(&r->scratch, r);
	scratch_stack.stack = NULL;
	scratch_stack.unstack = NULL;
	scratch_stack.arg = NULL;
	d->hooked = false;
}

int dm_stack_linear(struct run *r)
{
	struct dm_stack *d = &r->inj->dm;
	char params[128], why[512];

	linear_params(d, params, sizeof(params));
	if (dmx_reload(d, "linear", params, why, sizeof(why)) < 0) {
		msg("%s", why);
		return -1;
	}
	return 0;
}

static bool pid_dead(int pid)
{
	return pid > 0 && kill(pid, 0) < 0 && errno == ESRCH;
}

/* Log and replay images of dead runs in /var/tmp (dm-log-writes). */
static int reclaim_images(void)
{
	DIR *d = opendir("/var/tmp");
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d))) {
		char kind[16], path[300];
		int pid;

		if (sscanf(de->d_name, "iorace-%d-%15[a-z].img", &pid, kind) !=
			    2 ||
		    (strcmp(kind, "log") && strcmp(kind, "replay")) ||
		    !pid_dead(pid))
			continue;
		snprintf(path, sizeof(path), "/var/tmp/%s", de->d_name);
		if (!unlink(path)) {
			msg("reclaim: removed %s", path);
			n++;
		}
	}
	if (d)
		closedir(d);
	return n;
}

int inject_reclaim(void)
{
	struct dm_task *t;
	struct dm_names *n;
	unsigned next = 0;
	int count = reclaim_images();
	char why[64];

	if (!dm_in_kernel())
		return count;
	dm_init_once();
	if (!dm_driver_version(why, sizeof(why)))
		return count;
	t = dm_task_create(DM_DEVICE_LIST);
	if (!t)
		return count;
	if (dm_task_run(t) && (n = dm_task_get_names(t)) && n->dev) {
		do {
			int pid;
			char tail;

			n = (struct dm_names *)((char *)n + next);
			next = n->next;
			if (sscanf(n->name, "iorace-%d%c", &pid, &tail) == 1 &&
			    pid_dead(pid)) {
				char node[128];

				msg("reclaim: removing dm device %s", n->name);
				if (!dmx_remove(n->name))
					count++;
				snprintf(node, sizeof(node), "/dev/%s",
					 n->name);
				unlink(node);
			}
		} while (next);
	}
	dm_task_destroy(t);
	return count;
}
