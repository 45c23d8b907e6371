// SPDX-License-Identifier: GPL-2.0
/*
 * The trace check after an `iorace run`: replay/ calls it through
 * run_opts.check, so replay never includes checker/ (issue 15).
 */
#include <stdio.h>
#include <stdlib.h>

#include "checker/checker.h"
#include "checker/html.h"
#include "common/util.h"
#include "replay/run.h"

void checker_run_opts_init(struct run_opts *o)
{
	run_opts_init(o);
	o->check = checker_judge_run;
	o->html_samples = checker_write_html_samples;
}

/*
 * Decide again from the trace alone (iorace check, in-process): merge the
 * invariants and trace latencies into report.json, write junit.xml and
 * check.txt. A failed invariant or a disagreement with the online verdict
 * fails the run.
 */
int checker_judge_run(const char *run_dir, int status)
{
	struct checker_result *cr = xcalloc(1, sizeof(*cr));
	char path[8192], err[512];

	if (checker_check_run(run_dir, cr, err, sizeof(err)) < 0) {
		/* an unreadable trace decides nothing: inconclusive */
		msg("trace check: INCONCLUSIVE: cannot read the trace: %s",
		    err);
		free(cr);
		if (!status) {
			status = EXIT_INCONCLUSIVE;
			report_set_verdict(run_dir, status);
		}
		return status;
	}
	checker_compare_online(run_dir, cr);
	snprintf(path, sizeof(path), "%s/report.json", run_dir);
	checker_merge_into_report(path, cr);
	snprintf(path, sizeof(path), "%s/junit.xml", run_dir);
	checker_write_junit(path, cr);
	snprintf(path, sizeof(path), "%s/check.txt", run_dir);
	checker_write_text(path, cr);
	snprintf(path, sizeof(path), "%s/" CK_HTML_NAME, run_dir);
	checker_write_html(path, cr);
	if (checker_disagree_count(cr))
		msg("trace check: DISAGREE: the online and trace oracles "
		    "differ: %s (%s/check.txt)",
		    cr->online_msg, run_dir);
	switch (checker_exit_status(cr)) {
	case EXIT_FINDINGS:
		msg("trace check: FAIL (%s/check.txt)", run_dir);
		if (!status) {
			status = EXIT_FINDINGS;
			report_set_verdict(run_dir, status);
		}
		break;
	case EXIT_INCONCLUSIVE:
		msg("trace check: INCONCLUSIVE: the trace lost events (%s/"
		    "check.txt); the online verdict stands alone",
		    run_dir);
		if (!status) {
			status = EXIT_INCONCLUSIVE;
			report_set_verdict(run_dir, status);
		}
		break;
	default:
		msg("trace check: every invariant holds, online verdict "
		    "agrees");
	}
	free(cr);
	return status;
}
