// SPDX-License-Identifier: GPL-2.0
/* libFuzzer: fio iolog parser and plan (iolog_parse, iolog_plan). */
#include "replay/iolog.h"
#include "tests/fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[4096];
	struct iolog l;
	struct plan p;
	int fd = fuzz_file(data, size, path, sizeof(path));

	if (fd < 0)
		return 0;
	if (!iolog_parse(path, &l, err, sizeof(err))) {
		if (!iolog_plan(&l, true, 1, "fuzz", &p))
			plan_free(&p);
		iolog_free(&l);
	}
	close(fd);
	return 0;
}
