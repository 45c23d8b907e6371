// SPDX-License-Identifier: GPL-2.0
/*
 * iorace shrink RUN: minimise RUN/oplog to the smallest op log that still
 * gives RUN's finding class. The ddmin loop works on a keep[] mask and a
 * predicate; the predicate here writes the kept op lines (ids stay
 * increasing and a stream's ops keep their order and stage, so any subset
 * is a valid op log) and replays them with `iorace run --replay` in a
 * child process, under a timeout. The best candidate so far is always on
 * disk as OUT/shrunk.oplog.
 */
#include "replay/shrink.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/util.h"

struct dd {
	bool *keep;
	size_t n;
	shrink_test_fn test;
	void *arg;
	unsigned max, tries;
	bool *cand;
};

/* 1 fails, 0 passes, -2 bound reached, -1 stop */
static int dd_try(struct dd *d)
{
	int rc;

	if (d->max && d->tries >= d->max)
		return -2;
	d->tries++;
	rc = d->test(d->cand, d->n, d->arg);
	if (rc < 0)
		return -1;
	if (rc > 0)
		memcpy(d->keep, d->cand, d->n * sizeof(bool));
	return rc > 0;
}

int shrink_ddmin(bool *keep, size_t n, shrink_test_fn test, void *arg,
		 unsigned max_tries, unsigned *tries)
{
	struct dd d = { keep, n, test, arg, max_tries, 0, NULL };
	size_t *idx = malloc((n ? n : 1) * sizeof(*idx));
	size_t gran = 2;
	int rc = 0;
	bool changed;

	d.cand = malloc((n ? n : 1) * sizeof(bool));
	if (!idx || !d.cand) {
		rc = -1;
		goto out;
	}
	for (;;) {
		size_t m = 0;
		bool reduced = false;

		for (size_t i = 0; i < n; i++)
			if (keep[i])
				idx[m++] = i;
		if (m < 2)
			break;
		if (gran > m)
			gran = m;
		/* each chunk alone, then each complement */
		for (int pass = 0; pass < 2 && !reduced; pass++) {
			for (size_t c = 0; c < gran && !reduced; c++) {
				size_t lo = m * c / gran,
				       hi = m * (c + 1) / gran;

				if (pass == 1 && gran == 2)
					break; /* complements = the chunks */
				memset(d.cand, 0, n * sizeof(bool));
				for (size_t j = 0; j < m; j++) {
					bool in = j >= lo && j < hi;

					d.cand[idx[j]] = pass ? !in : in;
				}
				rc = dd_try(&d);
				if (rc < 0)
					goto out;
				if (rc) {
					reduced = true;
					gran = pass ? (gran > 2 ? gran - 1 :
								  2) :
						      2;
				}
			}
		}
		if (reduced)
			continue;
		if (gran >= m)
			break;
		gran = gran * 2 < m ? gran * 2 : m;
	}
	/* 1-minimal: no single op can go */
	do {
		changed = false;
		for (size_t i = 0; i < n; i++) {
			if (!keep[i])
				continue;
			memcpy(d.cand, keep, n * sizeof(bool));
			d.cand[i] = false;
			rc = dd_try(&d);
			if (rc < 0)
				goto out;
			if (rc)
				changed = true;
		}
	} while (changed);
	rc = 0;
out:
	if (rc == -2)
		rc = 1;
	if (tries)
		*tries = d.tries;
	free(idx);
	free(d.cand);
	return rc;
}

/* ---- the subcommand ---- */

struct shrink {
	char **lines; /* all lines of the op log */
	size_t nlines;
	size_t *op_line; /* line index of op i */
	size_t nops;
	const char *out;
	const char *cls; /* finding class or, when inv, invariant name */
	bool inv;
	char **run_argv; /* iorace run ... --replay CAND ... */
	int cand_arg;	 /* index of CAND in run_argv */
	unsigned timeout_s;
	unsigned tries;
	size_t best;
};

static int rm_cb(const char *p, const struct stat *sb, int flag,
		 struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static void rm_rf(const char *p)
{
	nftw(p, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

static int write_oplog(const struct shrink *s, const bool *keep,
		       const char *path)
{
	char tmp[4400];
	size_t op = 0;
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	for (size_t i = 0; i < s->nlines; i++) {
		bool is_op = op < s->nops && s->op_line[op] == i;

		if (is_op) {
			if (keep[op])
				fputs(s->lines[i], f);
			op++;
		} else if (strncmp(s->lines[i], "# fired", 7)) {
			fputs(s->lines[i], f);
		}
	}
	if (fclose(f) || rename(tmp, path) < 0)
		return -1;
	return 0;
}

static json_object *read_json(const char *path)
{
	json_object *j = json_object_from_file(path);

	return j;
}

/* invariant name's status is "fail" in j's "invariants" */
static bool inv_failed(json_object *j, const char *name)
{
	json_object *o, *i, *st;

	return json_object_object_get_ex(j, "invariants", &o) &&
	       json_object_object_get_ex(o, name, &i) &&
	       json_object_object_get_ex(i, "status", &st) &&
	       !strcmp(json_object_get_string(st), "fail");
}

/*
 * The target in DIR: count of class cls in report.json's findings, or 1/0
 * for a failed invariant (report.json, else check.json); -1 if no report.
 */
static long long report_count(const char *dir, const char *cls, bool inv)
{
	char path[4400];
	json_object *j, *f, *c;
	long long v = 0;

	snprintf(path, sizeof(path), "%s/report.json", dir);
	j = read_json(path);
	if (!j)
		return -1;
	if (inv) {
		v = inv_failed(j, cls);
		json_object_put(j);
		snprintf(path, sizeof(path), "%s/check.json", dir);
		if (!v && (j = read_json(path))) {
			v = inv_failed(j, cls);
			json_object_put(j);
		}
		return v;
	}
	if (json_object_object_get_ex(j, "findings", &f) &&
	    json_object_object_get_ex(f, cls, &c))
		v = json_object_get_int64(c);
	json_object_put(j);
	return v;
}

static int spawn(const struct shrink *s, const char *logpath)
{
	time_t t0 = time(NULL);
	int st;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		int fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		execv("/proc/self/exe", s->run_argv);
		_exit(127);
	}
	for (;;) {
		pid_t w = waitpid(pid, &st, WNOHANG);

		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			return -1;
		if (s->timeout_s && time(NULL) - t0 > (time_t)s->timeout_s) {
			kill(pid, SIGTERM);
			sleep(5);
			if (waitpid(pid, &st, WNOHANG) != pid) {
				kill(pid, SIGKILL);
				waitpid(pid, &st, 0);
			}
			msg("shrink: candidate timed out after %us",
			    s->timeout_s);
			return 0;
		}
		usleep(100 * 1000);
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int shrink_test(const bool *keep, size_t n, void *arg)
{
	struct shrink *s = arg;
	char cand[4200], dir[4200], logp[4200], best[4200];
	size_t size = 0;
	long long cnt;
	int st;

	for (size_t i = 0; i < n; i++)
		size += keep[i];
	snprintf(cand, sizeof(cand), "%s/candidate.oplog", s->out);
	snprintf(dir, sizeof(dir), "%s/try", s->out);
	snprintf(logp, sizeof(logp), "%s/try.log", s->out);
	if (write_oplog(s, keep, cand) < 0) {
		msg("shrink: cannot write %s", cand);
		return -1;
	}
	rm_rf(dir);
	s->tries++;
	st = spawn(s, logp);
	if (st < 0)
		return -1;
	if (st == EXIT_USAGE || st == 77) {
		msg("shrink: try %u: iorace run exited %d (see %s)", s->tries,
		    st, logp);
		if (st == 77)
			return -1;
	}
	cnt = report_count(dir, s->cls, s->inv);
	fprintf(stderr, "shrink: try %u: %zu ops -> %s=%lld (best %zu ops)\n",
		s->tries, size, s->cls, cnt < 0 ? 0 : cnt,
		cnt > 0 && size < s->best ? size : s->best);
	if (cnt <= 0)
		return 0;
	snprintf(best, sizeof(best), "%s/shrunk.oplog", s->out);
	if (write_oplog(s, keep, best) < 0) {
		msg("shrink: cannot write %s", best);
		return -1;
	}
	s->best = size;
	return 1;
}

static int load_lines(struct shrink *s, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lcap = 0, ocap = 0;

	if (!f)
		return -1;
	while (getline(&line, &cap, f) > 0) {
		if (s->nlines == lcap) {
			lcap = lcap ? 2 * lcap : 256;
			s->lines = realloc(s->lines, lcap * sizeof(char *));
		}
		if (!strncmp(line, "op ", 3)) {
			if (s->nops == ocap) {
				ocap = ocap ? 2 * ocap : 256;
				s->op_line = realloc(s->op_line,
						     ocap * sizeof(size_t));
			}
			s->op_line[s->nops++] = s->nlines;
		}
		s->lines[s->nlines++] = xstrdup(line);
	}
	free(line);
	fclose(f);
	return 0;
}

static void usage_shrink(FILE *f)
{
	fprintf(f,
		"usage: iorace shrink RUN [options] [-- run options]\n"
		"\n"
		"  Minimise RUN/oplog (ddmin over ops, then single ops) to the\n"
		"  smallest op log that still gives RUN's finding class,\n"
		"  replaying each candidate with RUN's workload, seed, scale,\n"
		"  engine and --tamper (plus the run options given after --).\n"
		"  -o, --out DIR        output dir (default RUN/shrink)\n"
		"  -n, --max-tries N    at most N replays (default 200)\n"
		"  -t, --timeout SEC    per candidate (default 300)\n"
		"  -c, --class C        target finding class (default the\n"
		"                       first class RUN found, else its first\n"
		"                       failed trace invariant)\n"
		"  -I, --invariant NAME target a failed trace invariant (the\n"
		"                       replays are traced)\n"
		"  --engine, --inject, --watchdog, --base-dir, --tamper: passed\n"
		"                       to each replay (after RUN's own)\n"
		"  -h, --help\n"
		"Writes DIR/shrunk.oplog (best so far, after every improvement)\n"
		"and DIR/shrink.txt. In the VM run it inside the guest:\n"
		"  ci/vm -- bin/iorace shrink RUN\n"
		"Exit: 0 shrunk and still failing, 1 RUN does not reproduce\n"
		"(or passed), 2 bad input.\n");
}

int shrink_main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "max-tries", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		{ "class", required_argument, NULL, 'c' },
		{ "invariant", required_argument, NULL, 'I' },
		/* run options passed on to each replay */
		{ "engine", required_argument, NULL, 'e' },
		{ "inject", required_argument, NULL, 'i' },
		{ "watchdog", required_argument, NULL, 'W' },
		{ "base-dir", required_argument, NULL, 'B' },
		{ "tamper", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	static const char *const tnames[] = { "poison", "foreign", "zeros",
					      "old", "torn" };
	struct shrink s = { .timeout_s = 300 };
	unsigned max_tries = 200, tries = 0;
	uint64_t n64;
	char outbuf[4200], path[4200], cand[4200], dir[4200], tamper[64] = "";
	char seed[32], scale[64], iolog_job[4300], iolog_abs[PATH_MAX];
	const char *run, *wl, *engine = NULL;
	json_object *rep, *v, *fnd;
	bool *keep = NULL;
	int c, rc, argi = 0, extra, npass = 0;
	char **pass = calloc(2 * (size_t)argc + 1, sizeof(char *));
	FILE *f;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:n:t:c:I:e:i:h", lo, NULL)) !=
	       -1) {
		switch (c) {
		case 'o':
			s.out = optarg;
			break;
		case 'n':
			/* strtoul took "-1" */
			if (parse_u64(optarg, UINT_MAX, &n64) || !n64)
				goto usage;
			max_tries = (unsigned)n64;
			break;
		case 't':
			if (parse_u64(optarg, UINT_MAX, &n64))
				goto usage;
			s.timeout_s = (unsigned)n64;
			break;
		case 'c':
			s.cls = optarg;
			s.inv = false;
			break;
		case 'I':
			s.cls = optarg;
			s.inv = true;
			break;
		case 'e':
		case 'i':
		case 'W':
		case 'B':
		case 'T': {
			int li = 0;

			while (lo[li].val != c)
				li++;
			if (asprintf(&pass[npass], "--%s", lo[li].name) < 0) {
				pass[npass] = NULL;
				goto usage;
			}
			pass[npass + 1] = optarg;
			npass += 2;
			break;
		}
		case 'h':
			usage_shrink(stdout);
			for (int i = 0; i < npass; i += 2)
				free(pass[i]);
			free(pass);
			return 0;
		default:
			goto usage;
		}
	}
	if (optind >= argc)
		goto usage;
	run = argv[optind++];
	if (optind < argc && !strcmp(argv[optind], "--"))
		optind++;
	extra = argc - optind;

	snprintf(path, sizeof(path), "%s/report.json", run);
	rep = read_json(path);
	if (!rep) {
		msg("shrink: cannot read %s", path);
		return EXIT_USAGE;
	}
	if (!json_object_object_get_ex(rep, "workload", &v) ||
	    !(wl = json_object_get_string(v))) {
		msg("shrink: %s names no workload", path);
		return EXIT_USAGE;
	}
	/* an `iorace run --iolog` run: the workload made for its log */
	snprintf(iolog_job, sizeof(iolog_job), "%s/iolog.job", run);
	if (!access(iolog_job, R_OK) && realpath(iolog_job, iolog_abs))
		wl = iolog_abs;
	snprintf(seed, sizeof(seed), "%llu",
		 json_object_object_get_ex(rep, "seed", &v) ?
			 (unsigned long long)json_object_get_uint64(v) :
			 1ull);
	snprintf(scale, sizeof(scale), "%.17g",
		 json_object_object_get_ex(rep, "scale", &v) ?
			 json_object_get_double(v) :
			 1.0);
	if (json_object_object_get_ex(rep, "engine", &v) &&
	    strcmp(json_object_get_string(v), "per-job"))
		engine = json_object_get_string(v);
	if (json_object_object_get_ex(rep, "tamper", &v)) {
		int t = json_object_get_int(v);

		for (unsigned k = 0; k < ARRAY_SIZE(tnames); k++)
			if (t & (1 << k))
				snprintf(tamper + strlen(tamper),
					 sizeof(tamper) - strlen(tamper),
					 "%s%s", *tamper ? "," : "", tnames[k]);
	}
	if (!json_object_object_get_ex(rep, "findings", &fnd)) {
		msg("shrink: %s has no findings", path);
		return EXIT_USAGE;
	}
	if (!s.cls) {
		json_object_object_foreach(fnd, key, val)
		{
			if (json_object_get_int64(val) > 0) {
				s.cls = key;
				break;
			}
		}
	}
	if (!s.cls && json_object_object_get_ex(rep, "invariants", &v)) {
		json_object_object_foreach(v, key, val)
		{
			(void)val;
			if (inv_failed(rep, key)) {
				s.cls = key;
				s.inv = true;
				break;
			}
		}
	}
	if (!s.cls) {
		msg("shrink: %s passed (no findings, no failed invariant): "
		    "nothing to shrink",
		    run);
		return EXIT_FINDINGS;
	}
	snprintf(path, sizeof(path), "%s/oplog", run);
	if (load_lines(&s, path) < 0 || !s.nops) {
		msg("shrink: %s: no op log (runs record RUN/oplog; or pass "
		    "an older run's --record file as RUN/oplog)",
		    path);
		return EXIT_USAGE;
	}
	if (!s.out) {
		snprintf(outbuf, sizeof(outbuf), "%s/shrink", run);
		s.out = outbuf;
	}
	if (strlen(s.out) > 4000) {
		msg("shrink: --out path too long");
		return EXIT_USAGE;
	}
	if (mkdir(s.out, 0755) < 0 && errno != EEXIST) {
		msg("shrink: cannot create %s: %s", s.out, strerror(errno));
		return EXIT_USAGE;
	}
	snprintf(cand, sizeof(cand), "%s/candidate.oplog", s.out);
	snprintf(dir, sizeof(dir), "%s/try", s.out);

	s.run_argv = calloc(20 + extra + npass, sizeof(char *));
	s.run_argv[argi++] = "iorace";
	s.run_argv[argi++] = "run";
	s.run_argv[argi++] = (char *)wl;
	s.run_argv[argi++] = "--seed";
	s.run_argv[argi++] = seed;
	s.run_argv[argi++] = "--scale";
	s.run_argv[argi++] = scale;
	if (engine) {
		s.run_argv[argi++] = "--engine";
		s.run_argv[argi++] = (char *)engine;
	}
	if (*tamper) {
		s.run_argv[argi++] = "--tamper";
		s.run_argv[argi++] = tamper;
	}
	for (int i = 0; i < npass; i++)
		s.run_argv[argi++] = pass[i];
	for (int i = 0; i < extra; i++)
		s.run_argv[argi++] = argv[optind + i];
	if (!s.inv) /* a trace invariant needs the trace */
		s.run_argv[argi++] = "--no-trace";
	s.run_argv[argi++] = "--no-progress";
	s.run_argv[argi++] = "--replay";
	s.cand_arg = argi;
	s.run_argv[argi++] = cand;
	s.run_argv[argi++] = "--out";
	s.run_argv[argi++] = dir;

	keep = malloc(s.nops * sizeof(bool));
	for (size_t i = 0; i < s.nops; i++)
		keep[i] = true;
	s.best = s.nops;
	fprintf(stderr,
		"shrink: target %s%s, %zu ops; replaying the original\n",
		s.inv ? "invariant " : "", s.cls, s.nops);
	rc = shrink_test(keep, s.nops, &s);
	if (rc <= 0) {
		msg("shrink: the original op log does not reproduce %s "
		    "(see %s/try.log)",
		    s.cls, s.out);
		return rc < 0 ? EXIT_USAGE : EXIT_FINDINGS;
	}
	rc = shrink_ddmin(keep, s.nops, shrink_test, &s,
			  max_tries > 1 ? max_tries - 1 : 1, &tries);
	rm_rf(dir);
	remove(cand);

	snprintf(path, sizeof(path), "%s/shrink.txt", s.out);
	f = fopen(path, "w");
	if (f) {
		fprintf(f, "target: %s%s\n", s.inv ? "invariant " : "", s.cls);
		fprintf(f, "original ops: %zu\n", s.nops);
		fprintf(f, "final ops: %zu\n", s.best);
		fprintf(f, "tries: %u\n", s.tries);
		fprintf(f, "search: %s\n",
			rc == 0 ? "complete (1-minimal)" :
			rc == 1 ? "stopped at --max-tries" :
				  "stopped by an error");
		fprintf(f, "replay: bin/iorace");
		for (int i = 1; i < s.cand_arg - 1; i++)
			if (strcmp(s.run_argv[i], "--no-progress"))
				fprintf(f, " %s", s.run_argv[i]);
		fprintf(f, " --replay %s/shrunk.oplog\n", s.out);
		fclose(f);
	}
	fprintf(stderr, "shrink: %s: %zu -> %zu ops in %u tries; see %s\n",
		s.cls, s.nops, s.best, s.tries, path);
	free(keep);
	for (size_t i = 0; i < s.nlines; i++)
		free(s.lines[i]);
	free(s.lines);
	free(s.op_line);
	free(s.run_argv);
	for (int i = 0; i < npass; i += 2)
		free(pass[i]);
	free(pass);
	json_object_put(rep);
	return EXIT_CLEAN;
usage:
	/* the run options collected so far (LeakSanitizer made it exit 1) */
	for (int i = 0; i <= npass; i += 2)
		free(pass[i]);
	free(pass);
	usage_shrink(stderr);
	return EXIT_USAGE;
}
