// SPDX-License-Identifier: GPL-2.0
/* iorace run: one workload (or --repeat N of it) on a scratch ext4. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker/checker.h"
#include "common/util.h"
#include "injectors/inject.h"
#include "replay/run.h"
#include "replay/workload.h"
#include "src/commands/command.h"

static void usage_run(FILE *f)
{
	fprintf(f,
		"usage: iorace run WORKLOAD|FILE [options]\n"
		"       iorace run --iolog FIO_IOLOG [WORKLOAD|FILE] [options]\n"
		"\n"
		"  -o, --out DIR        run dir (default "
		"results/WORKLOAD-TIME-PID):\n"
		"                       report.json, report.txt, report.html\n"
		"                       (pictures), trace/, ...\n"
		"  -s, --seed N         plan seed (default 1)\n"
		"  -S, --scale F        multiply sizes and counts (default 1)\n"
		"  -e, --engine E       libaio, io_uring or sync for every I/O "
		"job\n"
		"      --record OPLOG   write the executed op log\n"
		"      --replay OPLOG   execute an op log instead of planning\n"
		"      --iolog FILE     execute a fio iolog (v2 or v3) instead of\n"
		"                       planning; WORKLOAD is then optional (one\n"
		"                       file per iolog file, sized to fit; "
		"libaio,\n"
		"                       O_DIRECT, iodepth 8); --scale does not\n"
		"                       apply; prints the NAME -> fN mapping\n"
		"      --write-iolog FILE  write a fio v2 iolog of the executed\n"
		"                       reads, writes, syncs and punches (trim)\n"
		"      --repeat N       run N times (seeds S, S+1, ... from\n"
		"                       --seed S); report per finding class\n"
		"                       how many runs failed\n"
		"      --tamper KINDS   oracle self-test: after the workload, "
		"rewrite\n"
		"                       sectors behind the engine's back; KINDS is "
		"a\n"
		"                       comma list of "
		"poison,foreign,zeros,old,torn\n"
		"                       or all (must give STALE/LOST/TORN, exit "
		"1)\n"
		"      --watchdog DUR   an op in flight longer is a HANG (default\n"
		"                       the workload's, 60s)\n"
		"      --base-dir DIR   where the scratch image lives (/var/tmp)\n"
		"  -i, --inject KEY=VAL injector, as in a workload's [global]:\n"
		"                       delay=POINT:SITE[:fN],DUR[-DUR][,p=P|\n"
		"                       every=N][,when=inflight>=N|\n"
		"                       after_completions=K|truncating][,count=N]\n"
		"                       dm=, dm_delay=, dm_flakey=, "
		"fail_request=,\n"
		"                       crash= (injectors/inject.h); repeatable\n"
		"      --no-trace       do not record an LTTng/tracefs trace\n"
		"      --no-progress    no progress line on a terminal\n"
		"      --bare           benchmark mode: no stamps, no oracle, no\n"
		"                       read-back (the verdict means nothing)\n"
		"      --dry-run        parse and plan only (no root, no "
		"devices):\n"
		"                       print jobs, files, image, op counts and\n"
		"                       the fio->iorace mapping; exit 0 or 2\n"
		"  -v, --verbose\n"
		"  -h, --help\n");
}

int cmd_run(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "seed", required_argument, NULL, 's' },
		{ "scale", required_argument, NULL, 'S' },
		{ "engine", required_argument, NULL, 'e' },
		{ "record", required_argument, NULL, 'R' },
		{ "replay", required_argument, NULL, 'P' },
		{ "iolog", required_argument, NULL, 'L' },
		{ "write-iolog", required_argument, NULL, 'w' },
		{ "repeat", required_argument, NULL, 'n' },
		{ "tamper", required_argument, NULL, 'T' },
		{ "watchdog", required_argument, NULL, 'W' },
		{ "base-dir", required_argument, NULL, 'B' },
		{ "inject", required_argument, NULL, 'i' },
		{ "no-trace", no_argument, NULL, 'N' },
		{ "no-progress", no_argument, NULL, 'Q' },
		{ "bare", no_argument, NULL, 'b' },
		{ "dry-run", no_argument, NULL, 'D' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct run_opts o;
	unsigned long repeat = 0; /* 0: no --repeat, one plain run */
	bool dry = false;
	char *end;
	uint64_t v;
	int c;

	checker_run_opts_init(&o);
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:s:S:e:i:vh", lo, NULL)) != -1) {
		switch (c) {
		case 'o':
			o.out_dir = optarg;
			break;
		case 's':
			/* no sign, no wrap: 2^64 and -1 are no seeds */
			errno = 0;
			o.seed = strtoull(optarg, &end, 0);
			if (*end || !*optarg || errno || *optarg == '-' ||
			    *optarg == '+' || *optarg == ' ')
				goto bad;
			break;
		case 'S':
			/* inf and nan passed `<= 0`: finite and sane only */
			o.scale = strtod(optarg, &end);
			if (*end || !*optarg || !isfinite(o.scale) ||
			    !(o.scale > 0) || o.scale > WL_MAX_SCALE)
				goto bad;
			break;
		case 'e':
			o.engine = optarg;
			break;
		case 'R':
			o.record = optarg;
			break;
		case 'P':
			o.replay = optarg;
			break;
		case 'L':
			o.iolog = optarg;
			break;
		case 'w':
			o.write_iolog = optarg;
			break;
		case 'n':
			/* strtoul took "-1" as ULONG_MAX runs */
			if (parse_u64(optarg, UINT_MAX, &v) || !v)
				goto bad;
			repeat = (unsigned long)v;
			break;
		case 'T':
			if (tamper_parse(optarg, &o.tamper) < 0)
				goto bad;
			break;
		case 'W':
			if (parse_duration(optarg, &o.watchdog_ns) < 0 ||
			    !o.watchdog_ns)
				goto bad;
			break;
		case 'B':
			o.base_dir = optarg;
			break;
		case 'i': {
			char why[256];

			if (inject_cli_add(optarg, why, sizeof(why)) < 0) {
				msg("run: --inject %s: %s", optarg, why);
				return EXIT_USAGE;
			}
			break;
		}
		case 'N':
			o.trace = false;
			break;
		case 'Q':
			o.progress = false;
			break;
		case 'b':
			o.bare = true;
			break;
		case 'D':
			dry = true;
			break;
		case 'v':
			verbose++;
			break;
		case 'h':
			usage_run(stdout);
			return 0;
		default:
			usage_run(stderr);
			return EXIT_USAGE;
		}
	}
	if (o.iolog && (o.replay || repeat)) {
		msg("run: --iolog does not go with --replay or --repeat");
		return EXIT_USAGE;
	}
	if (optind != argc - 1 && !(o.iolog && optind == argc)) {
		msg("run: expected one WORKLOAD argument");
		usage_run(stderr);
		return EXIT_USAGE;
	}
	o.workload = optind < argc ? argv[optind] : NULL;
	if (dry)
		return run_dry(&o);
	if (repeat)
		return run_repeat(&o, (unsigned)repeat);
	return run_workload(&o, NULL, 0);
bad:
	msg("run: bad value for --%s: '%s'",
	    c == 's' ? "seed" :
	    c == 'S' ? "scale" :
	    c == 'n' ? "repeat" :
	    c == 'T' ? "tamper" :
		       "watchdog",
	    optarg);
	return EXIT_USAGE;
}
