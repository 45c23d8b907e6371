// SPDX-License-Identifier: GPL-2.0
/*
 * Engine lookup by name. Names accepted: "libaio" (alias "aio"),
 * "io_uring" (alias "uring", "io-uring"), "sync" (alias "psync").
 */
#include "replay/engine.h"

#include <string.h>

static const struct {
	const char *name;
	const struct engine_ops *ops;
} engine_names[] = {
	{ "libaio", &engine_libaio },	  { "aio", &engine_libaio },
	{ "io_uring", &engine_io_uring }, { "uring", &engine_io_uring },
	{ "io-uring", &engine_io_uring }, { "sync", &engine_sync },
	{ "psync", &engine_sync },
};

const struct engine_ops *engine_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < sizeof(engine_names) / sizeof(engine_names[0]);
	     i++)
		if (!strcmp(name, engine_names[i].name))
			return engine_names[i].ops;
	return NULL;
}
