// SPDX-License-Identifier: GPL-2.0
/*
 * dm-flakey between the loop device and ext4: up/down intervals with
 * drop_writes, error_writes, error_reads or corrupt_bio_byte while down
 * (dm_flakey=UP,DOWN[,FEATURE...]), loaded when the workload starts. With
 * crash= it is also the power cut: drop_writes always (up 0, down 1).
 */
#include <string.h>

#include "common/util.h"
#include "injectors/inject_internal.h"
#include "trace/trace.h"

int dm_flakey_table(const struct dm_stack *d, unsigned up, unsigned down,
		    const char *features, char *out, size_t len)
{
	snprintf(out, len, "%u:%u 0 %u %u%s%s", d->lo_major, d->lo_minor, up,
		 down, features && *features ? " " : "",
		 features ? features : "");
	return 0;
}

int dm_flakey_drop_writes(struct run *r)
{
	struct inject_run *ir = r->inj;
	char params[512], why[512];

	dm_flakey_table(&ir->dm, 0, 1, "1 drop_writes", params, sizeof(params));
	if (dmx_reload(&ir->dm, "flakey", params, why, sizeof(why)) < 0) {
		msg("%s", why);
		return -1;
	}
	tr_inject("dm-flakey", "drop_writes", 1);
	return 0;
}

static bool wanted(const struct inject_conf *c)
{
	return c->dm == DMK_FLAKEY;
}

static int check(const struct inject_conf *c, char *why, size_t len)
{
	(void)c;
	return dmx_target_available("flakey", "CONFIG_DM_FLAKEY", why, len);
}

static int start(struct run *r)
{
	struct inject_run *ir = r->inj;
	char params[512], why[512];

	/* crash only: stay linear until the power cut */
	if (!ir->conf.flakey_up && !ir->conf.flakey_down)
		return 0;
	dm_flakey_table(&ir->dm, ir->conf.flakey_up, ir->conf.flakey_down,
			ir->conf.flakey_features, params, sizeof(params));
	if (dmx_reload(&ir->dm, "flakey", params, why, sizeof(why)) < 0) {
		msg("%s (a dm-flakey without this feature?)", why);
		return -1;
	}
	return 0;
}

static void stop(struct run *r)
{
	struct inject_run *ir = r->inj;

	if (ir->dm.created && !ir->crashed &&
	    (ir->conf.flakey_up || ir->conf.flakey_down))
		dm_stack_linear(r);
}

const struct injector_ops inj_dm_flakey_ops = {
	.name = "dm-flakey",
	.wanted = wanted,
	.check = check,
	.start = start,
	.stop = stop,
};
