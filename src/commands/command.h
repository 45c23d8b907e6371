/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The subcommands of bin/iorace: one row each in commands[] (src/main.c),
 * which dispatches them and prints `iorace --help` and the unknown-command
 * hint. A subcommand is a function int NAME(int argc, char **argv) (argv[0]
 * the subcommand's name, exit status returned), here or in its own layer
 * (checker_main, shrink_main, ...), plus its row.
 */
#ifndef IORACE_COMMAND_H
#define IORACE_COMMAND_H

enum cmd_flags {
	/*
	 * Records an LTTng trace unless --no-trace or --help: main re-execs
	 * for liblttng-ust's blocking channel before calling it.
	 */
	CMD_TRACED = 1 << 0,
};

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *args;    /* after the name in --help; "" none */
	const char *summary; /* one line of --help */
	unsigned flags;	     /* enum cmd_flags */
};

int cmd_list(int argc, char **argv);	  /* src/commands/list.c */
int cmd_run(int argc, char **argv);	  /* src/commands/run.c */
int cmd_aiostress(int argc, char **argv); /* src/commands/aiostress.c */

#endif
