// SPDX-License-Identifier: GPL-2.0
/* `iorace check RUN`: decide a run from its trace alone. */
#include <getopt.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "checker/checker.h"
#include "checker/html.h"
#include "common/util.h"

static void check_usage(FILE *f)
{
	fprintf(f,
		"usage: iorace check [options] RUN_DIR\n"
		"\n"
		"Re-check a run from its trace alone: reads every CTF trace under\n"
		"RUN_DIR/trace (iorace UST events and kernel events on one clock),\n"
		"replays the oracle and evaluates the invariants:\n"
		"  oracle, conversion_before_completion, extent_ops_wait_dio,\n"
		"  sync_commit, completeness\n"
		"Writes RUN_DIR/check.json, RUN_DIR/junit.xml, RUN_DIR/check.txt,\n"
		"RUN_DIR/report.html (latency histograms, throughput, a timeline\n"
		"per finding and failed invariant; one self-contained file) and\n"
		"compares with RUN_DIR/report.json (the online verdict) if present.\n"
		"\n"
		"options:\n"
		"  -q, --quiet         do not print the summary\n"
		"  -m, --merge         also merge invariants and latency into\n"
		"                      RUN_DIR/report.json\n"
		"  -n, --no-write      write nothing into RUN_DIR\n"
		"  -b, --read-only     only read the trace and print events/s\n"
		"                      (the reader's speed, for make bench)\n"
		"  -h, --help          this text\n"
		"\n"
		"exit status: 0 every invariant passed (or does not apply) and the\n"
		"trace agrees with the online verdict; 1 a failure or disagreement;\n"
		"2 bad input (no run directory, unreadable trace); 3 inconclusive:\n"
		"the trace lost events, so it can neither pass nor fail the kernel.\n");
}

static int count_event(void *arg, const struct ck_event *ev)
{
	(void)ev;
	(*(uint64_t *)arg)++;
	return 0;
}

/* Read every event (converted, not checked) and report the rate. */
static int read_only(const char *run)
{
	struct ck_classes *cc = ck_classes_new();
	struct ck_read_stats st;
	char err[512], tdir[4200];
	uint64_t n = 0, t0 = now_ns(), dt;
	struct stat sb;
	int ret;

	snprintf(tdir, sizeof(tdir), "%s/trace", run);
	if (stat(tdir, &sb))
		snprintf(tdir, sizeof(tdir), "%s", run);
	ret = ck_read_trace(tdir, cc, count_event, &n, &st, err, sizeof(err));
	dt = now_ns() - t0;
	ck_classes_free(cc);
	if (ret) {
		msg("check: %s", err);
		return EXIT_USAGE;
	}
	printf("events %" PRIu64 " seconds %.3f events_per_s %.0f\n", n,
	       (double)dt / 1e9, dt ? (double)n * 1e9 / (double)dt : 0.0);
	return EXIT_CLEAN;
}

int checker_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "merge", no_argument, NULL, 'm' },
		{ "no-write", no_argument, NULL, 'n' },
		{ "read-only", no_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool quiet = false, merge = false, nowrite = false, bench = false;
	struct checker_result *res;
	struct json_object *jo;
	char err[512], path[4200];
	const char *run;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "qmnbh", opts, NULL)) != -1) {
		switch (c) {
		case 'q':
			quiet = true;
			break;
		case 'm':
			merge = true;
			break;
		case 'n':
			nowrite = true;
			break;
		case 'b':
			bench = true;
			break;
		case 'h':
			check_usage(stdout);
			return EXIT_CLEAN;
		default:
			check_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		check_usage(stderr);
		return EXIT_USAGE;
	}
	run = argv[optind];
	if (bench)
		return read_only(run);
	res = xcalloc(1, sizeof(*res));
	if (checker_check_run(run, res, err, sizeof(err))) {
		msg("check: %s", err);
		free(res);
		return EXIT_USAGE;
	}
	rc = checker_exit_status(res);
	if (!nowrite) {
		jo = checker_result_to_json(res);
		snprintf(path, sizeof(path), "%s/check.json", run);
		if (json_object_to_file_ext(
			    path, jo,
			    JSON_C_TO_STRING_PRETTY |
				    JSON_C_TO_STRING_NOSLASHESCAPE))
			msg("check: cannot write %s", path);
		json_object_put(jo);
		snprintf(path, sizeof(path), "%s/junit.xml", run);
		if (checker_write_junit(path, res))
			msg("check: cannot write %s", path);
		snprintf(path, sizeof(path), "%s/check.txt", run);
		if (checker_write_text(path, res))
			msg("check: cannot write %s", path);
		snprintf(path, sizeof(path), "%s/" CK_HTML_NAME, run);
		checker_write_html(path, res);
		if (merge) {
			snprintf(path, sizeof(path), "%s/report.json", run);
			if (checker_merge_into_report(path, res))
				msg("check: cannot update %s", path);
		}
	}
	if (!quiet)
		checker_write_text(NULL, res);
	if (checker_disagree_count(res))
		msg("check: DISAGREE: the trace oracle disagrees with the "
		    "online verdict: %s",
		    res->online_msg);
	else if (res->online_present && !res->online_agree)
		msg("check: trace oracle disagrees with the online verdict "
		    "(not counted, the trace is incomplete): %s",
		    res->online_msg);
	free(res);
	return rc;
}
