// SPDX-License-Identifier: GPL-2.0
/* iorace list: the named workloads of workloads/, one line each. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "replay/workload.h"
#include "src/commands/command.h"

int cmd_list(int argc, char **argv)
{
	const char *dir = workload_dir();
	struct dirent **ents;
	int n;

	if (argc > 1 &&
	    (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: iorace list\n  Lists the named workloads in %s.\n",
		       dir);
		return 0;
	}
	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0) {
		msg("cannot list %s", dir);
		return EXIT_USAGE;
	}
	for (int i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;
		size_t len = strlen(name);
		char path[4200], err[512];
		struct workload wl;

		if (len > 4 && !strcmp(name + len - 4, ".job")) {
			snprintf(path, sizeof(path), "%s/%s", dir, name);
			if (workload_parse_file(path, &wl, err, sizeof(err)) <
			    0) {
				printf("%-26.*s (bad: %s)\n", (int)len - 4,
				       name, err);
			} else {
				printf("%-26s %s\n", wl.name, wl.description);
				workload_free(&wl);
			}
		}
		free(ents[i]);
	}
	free(ents);
	return 0;
}
