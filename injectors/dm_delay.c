// SPDX-License-Identifier: GPL-2.0
/*
 * dm-delay between the loop device and ext4: separate read, write and
 * flush delays (dm_delay=READ_MS,WRITE_MS[,FLUSH_MS]), loaded when the
 * workload starts, linear again when it ends.
 */
#include <string.h>

#include "common/util.h"
#include "injectors/inject_internal.h"

int dm_delay_table(const struct inject_conf *c, const struct dm_stack *d,
		   char *out, size_t len)
{
	int n = snprintf(out, len, "%u:%u 0 %u %u:%u 0 %u", d->lo_major,
			 d->lo_minor, c->delay_ms[0], d->lo_major, d->lo_minor,
			 c->delay_ms[1]);

	if (c->have_flush_delay && n > 0 && (size_t)n < len)
		snprintf(out + n, len - (size_t)n, " %u:%u 0 %u", d->lo_major,
			 d->lo_minor, c->delay_ms[2]);
	return 0;
}

static bool wanted(const struct inject_conf *c)
{
	return c->dm == DMK_DELAY;
}

static int check(const struct inject_conf *c, char *why, size_t len)
{
	(void)c;
	return dmx_target_available("delay", "CONFIG_DM_DELAY", why, len);
}

static int start(struct run *r)
{
	struct inject_run *ir = r->inj;
	char params[512], why[512];

	dm_delay_table(&ir->conf, &ir->dm, params, sizeof(params));
	if (dmx_reload(&ir->dm, "delay", params, why, sizeof(why)) < 0) {
		msg("%s%s", why,
		    ir->conf.have_flush_delay ?
			    " (a kernel without dm-delay flush delays?)" :
			    "");
		return -1;
	}
	return 0;
}

static void stop(struct run *r)
{
	if (r->inj->dm.created && !r->inj->crashed)
		dm_stack_linear(r);
}

const struct injector_ops inj_dm_delay_ops = {
	.name = "dm-delay",
	.wanted = wanted,
	.check = check,
	.start = start,
	.stop = stop,
};
