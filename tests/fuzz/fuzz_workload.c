// SPDX-License-Identifier: GPL-2.0
/* libFuzzer: workload parser (iorace and fio dialects), limits, scaling. */
#include "replay/workload.h"
#include "tests/fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[4096], *text = fuzz_str(data, size);
	struct workload wl;

	if (!text)
		return 0;
	/* the name's extension does not pick the dialect: the keys do */
	if (!workload_parse_string(text, "fuzz.fio", &wl, err, sizeof(err))) {
		workload_scale(&wl, 0.5, err, sizeof(err));
		workload_free(&wl);
	}
	free(text);
	return 0;
}
