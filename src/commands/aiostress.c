// SPDX-License-Identifier: GPL-2.0
/*
 * iorace aio-stress: ltp aio-stress's command line as an iorace workload
 * (replay/aiostress.c writes the job file), then run as `iorace run` with
 * the run options of the line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/util.h"
#include "replay/aiostress.h"
#include "src/commands/command.h"

static void usage_aiostress(FILE *f)
{
	fprintf(f,
		"usage: iorace aio-stress [aio-stress ARGS] FILE... [options]\n"
		"\n"
		"  aio-stress's options with its meaning and defaults (-s 1g,\n"
		"  -r 64k, -d 64, -i 8, -c 1, -C 2m, all four stages); FILEs\n"
		"  become the scratch fs's f0, f1, ... Stages run in aio-stress's\n"
		"  order (write, read, random write, random read). -m and -a\n"
		"  above 4k cannot be honoured (exit 2); -t N needs -x.\n"
		"  iorace additions:\n"
		"      --fallocate SIZE     fallocate each file to SIZE first\n"
		"      --racing K=V,...     a racing-op job, keys of a workload\n"
		"                           job (type=truncate,size=0,\n"
		"                           start_delay=2s,file=0,stage=0)\n"
		"      --truncate-after DUR shorthand: truncate f0 to 0 after DUR\n"
		"  and `iorace run`'s long options (--out, --dry-run, --seed,\n"
		"  --scale, --engine, --no-trace, ...).\n");
}

int cmd_aiostress(int argc, char **argv)
{
	char **as = xcalloc((size_t)argc + 1, sizeof(*as));
	char **ro = xcalloc((size_t)argc + 3, sizeof(*ro));
	char err[512], notes[4096], dir[] = "/tmp/iorace-aiostress-XXXXXX";
	char path[64];
	int nas = 0, nro = 0, rc;
	char *text;
	FILE *f;

	as[nas++] = argv[0];
	ro[nro++] = argv[0];
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage_aiostress(stdout);
			free(as);
			free(ro);
			return 0;
		}
		if (!strncmp(a, "--", 2) && strcmp(a, "--fallocate") &&
		    strcmp(a, "--racing") && strcmp(a, "--truncate-after")) {
			static const char *const witharg[] = {
				"--out",	"--seed",   "--scale",
				"--engine",	"--record", "--replay",
				"--repeat",	"--tamper", "--watchdog",
				"--base-dir",	"--inject", "--iolog",
				"--write-iolog"
			};

			ro[nro++] = argv[i];
			for (size_t k = 0; k < ARRAY_SIZE(witharg); k++)
				if (!strcmp(a, witharg[k]) && i + 1 < argc)
					ro[nro++] = argv[++i];
			continue;
		}
		as[nas++] = argv[i];
	}
	text = aiostress_text(nas, as, notes, sizeof(notes), err, sizeof(err));
	free(as);
	if (!text) {
		msg("aio-stress: %s", err);
		free(ro);
		return EXIT_USAGE;
	}
	fputs(notes, stderr);
	if (!mkdtemp(dir)) {
		msg("mkdtemp: cannot create %s", dir);
		free(text);
		free(ro);
		return EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "%s/aio-stress.job", dir);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0) {
		msg("cannot write %s", path);
		if (f)
			fclose(f);
		unlink(path);
		rmdir(dir);
		free(text);
		free(ro);
		return EXIT_USAGE;
	}
	fclose(f);
	free(text);
	ro[nro++] = path;
	rc = cmd_run(nro, ro);
	unlink(path);
	rmdir(dir);
	free(ro);
	return rc;
}
