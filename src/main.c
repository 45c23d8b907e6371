// SPDX-License-Identifier: GPL-2.0
/*
 * iorace: replay kernel-style I/O workloads against a scratch ext4 and
 * judge every byte read back. Subcommands: list, run, baseline, check,
 * compare, shrink.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checker/baseline.h"
#include "checker/checker.h"
#include "checker/html.h"
#include "common/util.h"
#include "injectors/inject.h"
#include "replay/aiostress.h"
#include "replay/run.h"
#include "replay/shrink.h"
#include "replay/workload.h"
#include "trace/trace.h"

static void usage_main(FILE *f)
{
	fprintf(f,
		"usage: iorace COMMAND [options]\n"
		"\n"
		"  list                      named workloads, one line each\n"
		"  run WORKLOAD|FILE [opts]  run a workload on a scratch ext4\n"
		"  baseline WORKLOAD --out D run N times, write D/baseline.json\n"
		"  aio-stress [ARGS] FILE... [run opts]  ltp aio-stress's options\n"
		"                            as an iorace workload (--help)\n"
		"  check RUN                 re-check a run from its trace alone\n"
		"  compare BASE NEW          compare two runs, or NEW run(s) with "
		"a\n"
		"                            baseline.json; exit 1 on regression\n"
		"  shrink RUN [opts]         minimise a failing run's op log to\n"
		"                            a small reproducer (RUN/shrink/)\n"
		"\n"
		"`iorace COMMAND --help` for a command's options.\n"
		"Exit status: 0 no findings, 1 findings, 2 bad usage or input,\n"
		"77 cannot run here (not root, no loop device, no tracing).\n");
}

static int cmd_list(int argc, char **argv)
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

static int cmd_run(int argc, char **argv)
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
	struct run_opts o = {
		.seed = 1,
		.scale = 1.0,
		.trace = true,
		.progress = isatty(2),
		.check = checker_judge_run,
		.html_samples = checker_write_html_samples,
	};
	unsigned long repeat = 0; /* 0: no --repeat, one plain run */
	bool dry = false;
	char *end;
	uint64_t v;
	int c;

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

static int cmd_run(int argc, char **argv);

static int cmd_aiostress(int argc, char **argv)
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
		return EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "%s/aio-stress.job", dir);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0) {
		msg("cannot write %s", path);
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

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd) {
		usage_main(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") ||
	    !strcmp(cmd, "help")) {
		usage_main(stdout);
		return 0;
	}
	if (!strcmp(cmd, "list"))
		return cmd_list(argc - 1, argv + 1);
	if (!strcmp(cmd, "run") || !strcmp(cmd, "baseline") ||
	    !strcmp(cmd, "aio-stress")) {
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
		if (!strcmp(cmd, "aio-stress"))
			return cmd_aiostress(argc - 1, argv + 1);
		if (!strcmp(cmd, "baseline"))
			return baseline_main(argc - 1, argv + 1);
		return cmd_run(argc - 1, argv + 1);
	}
	if (!strcmp(cmd, "check"))
		return checker_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "compare"))
		return compare_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "shrink"))
		return shrink_main(argc - 1, argv + 1);
	msg("unknown command '%s'", cmd);
	usage_main(stderr);
	return EXIT_USAGE;
}
