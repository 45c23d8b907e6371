// SPDX-License-Identifier: GPL-2.0
#include "model/findings.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/util.h"

static const char *const class_names[F_NCLASSES] = {
	[F_STALE] = "STALE",
	[F_LOST] = "LOST",
	[F_TORN] = "TORN",
	[F_SIZE] = "SIZE",
	[F_ERROR] = "ERROR",
	[F_FSCK] = "FSCK",
	[F_KERNEL] = "KERNEL",
	[F_HANG] = "HANG",
	[F_LOST_DURABLE] = "LOST-DURABLE",
};

const char *finding_class_name(enum finding_class c)
{
	if ((unsigned)c < F_NCLASSES)
		return class_names[c];
	return "?";
}

int finding_class_from_name(const char *s)
{
	if (!s)
		return -1;
	for (int i = 0; i < F_NCLASSES; i++)
		if (!strcasecmp(s, class_names[i]))
			return i;
	if (!strcasecmp(s, "LOST_DURABLE"))
		return F_LOST_DURABLE;
	return -1;
}

void findings_init(struct findings *fl)
{
	memset(fl, 0, sizeof(*fl));
	pthread_mutex_init(&fl->lock, NULL);
}

void findings_free(struct findings *fl)
{
	free(fl->v);
	fl->v = NULL;
	fl->n = fl->cap = 0;
	pthread_mutex_destroy(&fl->lock);
}

void findings_add(struct findings *fl, const struct finding *f)
{
	pthread_mutex_lock(&fl->lock);
	if ((unsigned)f->cls < F_NCLASSES)
		fl->count[f->cls]++;
	if (fl->n < FINDINGS_KEEP) {
		grow_array((void **)&fl->v, &fl->cap, fl->n + 1,
			   sizeof(*fl->v));
		fl->v[fl->n++] = *f;
	}
	pthread_mutex_unlock(&fl->lock);
}

uint64_t findings_total(const struct findings *fl)
{
	uint64_t t = 0;

	for (int i = 0; i < F_NCLASSES; i++)
		t += fl->count[i];
	return t;
}
