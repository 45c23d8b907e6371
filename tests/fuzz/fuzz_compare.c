// SPDX-License-Identifier: GPL-2.0
/* libFuzzer: report/baseline JSON loader of `iorace compare`. */
#include "checker/checker.h"
#include "tests/fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], *argv[5];
	int fd = fuzz_file(data, size, path, sizeof(path));

	if (fd < 0)
		return 0;
	/* the input as both sides: the baseline path too when it is one */
	argv[0] = "compare";
	argv[1] = "-q";
	argv[2] = path;
	argv[3] = path;
	argv[4] = NULL;
	compare_main(4, argv);
	close(fd);
	return 0;
}
