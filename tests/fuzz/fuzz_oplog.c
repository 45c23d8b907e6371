// SPDX-License-Identifier: GPL-2.0
/* libFuzzer: op log parser (plan_read_oplog). */
#include "replay/plan.h"
#include "tests/fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[4096];
	struct plan p;
	int fd = fuzz_file(data, size, path, sizeof(path));

	if (fd < 0)
		return 0;
	if (!plan_read_oplog(path, &p, err, sizeof(err)))
		plan_free(&p);
	close(fd);
	return 0;
}
