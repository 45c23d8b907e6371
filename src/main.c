// SPDX-License-Identifier: GPL-2.0
/*
 * iorace: replay kernel-style I/O workloads against a scratch ext4 and
 * judge every byte read back. The subcommands are the rows of commands[]
 * below; `iorace --help` lists them.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker/baseline.h"
#include "checker/checker.h"
#include "common/util.h"
#include "replay/shrink.h"
#include "src/commands/command.h"
#include "trace/trace.h"

static int cmd_help(int argc, char **argv);

/*
 * One row per subcommand: dispatch, `iorace --help` and the did-you-mean
 * hint all come from here (tests/integration/host-subcommands.sh reads the
 * names off these rows, one `{ "NAME",` a row).
 */
static const struct cmd commands[] = {
	{ "help", cmd_help, "", "this text (also -h, --help)", 0 },
	{ "list", cmd_list, "", "named workloads, one line each", 0 },
	{ "run", cmd_run, "WORKLOAD|FILE [opts]",
	  "run a workload on a scratch ext4", CMD_TRACED },
	{ "baseline", baseline_main, "WORKLOAD --out D",
	  "run N times, write D/baseline.json", CMD_TRACED },
	{ "aio-stress", cmd_aiostress, "[ARGS] FILE...",
	  "ltp aio-stress's options as a workload", CMD_TRACED },
	{ "check", checker_main, "RUN", "re-check a run from its trace alone",
	  0 },
	{ "compare", compare_main, "BASE NEW",
	  "compare runs, or runs with a baseline.json", 0 },
	{ "shrink", shrink_main, "RUN [opts]",
	  "minimise a failing run's op log (RUN/shrink/)", 0 },
};

static void usage_main(FILE *f)
{
	int w = 0;

	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		int n = (int)(strlen(commands[i].name) +
			      strlen(commands[i].args)) +
			(*commands[i].args ? 1 : 0);

		if (n > w)
			w = n;
	}
	fprintf(f, "usage: iorace COMMAND [options]\n\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		const struct cmd *c = &commands[i];
		int n = (int)strlen(c->name);

		fprintf(f, "  %s%s%-*s  %s\n", c->name, *c->args ? " " : "",
			w - n - (*c->args ? 1 : 0), c->args, c->summary);
	}
	fprintf(f,
		"\n"
		"`iorace COMMAND --help` for a command's options.\n"
		"Exit status: 0 no findings, 1 findings, 2 bad usage or input,\n"
		"3 inconclusive (the trace lost events: it can neither pass nor\n"
		"fail the kernel), 77 cannot run here (not root, no loop device,\n"
		"no tracing).\n");
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage_main(stdout);
	return 0;
}

/*
 * Optimal string alignment distance (Levenshtein plus swapping two
 * neighbours, "chekc" -> "check"); names longer than 31 are far.
 */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), d[32][32];

	if (la >= 32 || lb >= 32)
		return SIZE_MAX;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

/*
 * The near misses of an unknown command: the commands it is a prefix of,
 * else the closest ones within edit distance 2 (and shorter than the
 * name, so "x" suggests nothing). n of them into pick[]; returns n.
 */
static size_t near_misses(const char *cmd, const struct cmd **pick)
{
	size_t n = 0, len = strlen(cmd), best = 3;

	if (!len)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strncmp(commands[i].name, cmd, len))
			pick[n++] = &commands[i];
	if (n)
		return n;
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		size_t d = edit_distance(cmd, commands[i].name);

		if (d > best || d >= strlen(commands[i].name))
			continue;
		if (d < best) {
			best = d;
			n = 0;
		}
		pick[n++] = &commands[i];
	}
	return n;
}

static void unknown_command(const char *cmd)
{
	const struct cmd *pick[ARRAY_SIZE(commands)];
	size_t n = near_misses(cmd, pick);

	msg("unknown command '%s'", cmd);
	if (n) {
		char hint[512];
		size_t off = 0;

		for (size_t i = 0; i < n && off < sizeof(hint); i++)
			off += (size_t)snprintf(hint + off, sizeof(hint) - off,
						"%s'%s'",
						!i	   ? "" :
						i == n - 1 ? " or " :
							     ", ",
						pick[i]->name);
		msg("did you mean %s?", hint);
	}
	usage_main(stderr);
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : NULL;
	const struct cmd *cmd = NULL;

	if (!name) {
		usage_main(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(name, "-h") || !strcmp(name, "--help"))
		name = "help";
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(name, commands[i].name))
			cmd = &commands[i];
	if (!cmd) {
		unknown_command(name);
		return EXIT_USAGE;
	}
	if (cmd->flags & CMD_TRACED) {
		bool trace = true;

		for (int i = 2; i < argc; i++)
			if (!strcmp(argv[i], "--no-trace") ||
			    !strcmp(argv[i], "--help") ||
			    !strcmp(argv[i], "-h"))
				trace = false;
		/* the UST channel only blocks if liblttng-ust saw this at load
		 */
		if (trace)
			trace_reexec_for_blocking(argv);
	}
	return cmd->fn(argc - 1, argv + 1);
}
