// SPDX-License-Identifier: GPL-2.0
/* libFuzzer: --inject KEY=VALUE strings (inject_set_kv). */
#include "injectors/inject.h"
#include "tests/fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[512], *kv = fuzz_str(data, size);
	struct inject_conf c;

	if (!kv)
		return 0;
	memset(&c, 0, sizeof(c));
	inject_set_kv(&c, kv, why, sizeof(why));
	free(kv);
	return 0;
}
