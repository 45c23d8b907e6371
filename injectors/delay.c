// SPDX-License-Identifier: GPL-2.0
/*
 * Delay points: the delay= syntax (inject.h), trigger evaluation, and the
 * KEY=VALUE front end shared by every injector.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "injectors/inject.h"
#include "model/oracle.h"

static const char *const site_names[IS_NSITES] = {
	[IS_SUBMIT] = "submit",	      [IS_REAP] = "reap",
	[IS_TRUNCATE] = "truncate",   [IS_FSYNC] = "fsync",
	[IS_FDATASYNC] = "fdatasync", [IS_FALLOCATE] = "fallocate",
	[IS_PUNCH] = "punch",	      [IS_ZERO_RANGE] = "zero_range",
	[IS_IDLE] = "idle",	      [IS_COLLAPSE] = "collapse_range",
	[IS_INSERT] = "insert_range",
};

const char *inj_site_name(enum inj_site s)
{
	return (unsigned)s < IS_NSITES ? site_names[s] : "?";
}

int inj_site_of_kind(int kind)
{
	switch (kind) {
	case OP_TRUNCATE:
		return IS_TRUNCATE;
	case OP_FSYNC:
		return IS_FSYNC;
	case OP_FDATASYNC:
		return IS_FDATASYNC;
	case OP_FALLOCATE:
		return IS_FALLOCATE;
	case OP_PUNCH:
		return IS_PUNCH;
	case OP_ZERO_RANGE:
		return IS_ZERO_RANGE;
	case OP_COLLAPSE:
		return IS_COLLAPSE;
	case OP_INSERT:
		return IS_INSERT;
	}
	return -1;
}

static int why_(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int why_(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (why && len) {
		va_start(ap, fmt);
		vsnprintf(why, len, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* POINT:SITE[:fN] */
static int parse_where(char *s, struct inj_delay *d, char *why, size_t len)
{
	char *site = strchr(s, ':'), *filt;
	unsigned k;
	uint64_t v;

	if (!site)
		return why_(why, len, "expected POINT:SITE, got '%s'", s);
	*site++ = '\0';
	if (!strcmp(s, "before"))
		d->point = INJ_BEFORE;
	else if (!strcmp(s, "after"))
		d->point = INJ_AFTER;
	else
		return why_(why, len, "point '%s': expected before or after",
			    s);
	filt = strchr(site, ':');
	if (filt)
		*filt++ = '\0';
	for (k = 0; k < IS_NSITES; k++)
		if (!strcmp(site, site_names[k]))
			break;
	if (k == IS_NSITES)
		return why_(why, len,
			    "site '%s': expected submit, reap, truncate, "
			    "fsync, fdatasync, fallocate, punch, zero_range, "
			    "collapse_range, insert_range or idle",
			    site);
	if (k == IS_IDLE && d->point != INJ_BEFORE)
		return why_(why, len, "site idle: only before:idle");
	d->site = k;
	d->file = -1;
	if (filt) {
		if (filt[0] != 'f' || parse_u64(filt + 1, UINT64_MAX, &v) ||
		    v > 1023)
			return why_(why, len, "filter '%s': expected fN", filt);
		d->file = (int)v;
	}
	return 0;
}

static int parse_dur(char *s, struct inj_delay *d, char *why, size_t len)
{
	char *dash = strchr(s, '-');

	if (dash)
		*dash++ = '\0';
	if (parse_duration(s, &d->dmin_ns))
		return why_(why, len, "bad duration '%s'", s);
	d->dmax_ns = d->dmin_ns;
	if (dash) {
		if (parse_duration(dash, &d->dmax_ns))
			return why_(why, len, "bad duration '%s'", dash);
		if (d->dmax_ns < d->dmin_ns)
			return why_(why, len, "duration range %s-%s is empty",
				    s, dash);
	}
	if (d->dmax_ns > 60 * NSEC_PER_SEC)
		return why_(why, len, "delay longer than 60s");
	return 0;
}

static int parse_when(const char *s, struct inj_delay *d, char *why, size_t len)
{
	if (!strncmp(s, "inflight>=", 10)) {
		if (parse_u64(s + 10, UINT64_MAX, &d->when_arg) || !d->when_arg)
			return why_(why, len, "when=%s: expected N >= 1", s);
		d->when = IW_INFLIGHT;
	} else if (!strncmp(s, "after_completions=", 18)) {
		if (parse_u64(s + 18, UINT64_MAX, &d->when_arg))
			return why_(why, len, "when=%s: expected K >= 0", s);
		d->when = IW_AFTER_COMPLETIONS;
	} else if (!strcmp(s, "truncating")) {
		d->when = IW_TRUNCATING;
	} else {
		return why_(why, len,
			    "when=%s: expected inflight>=N, "
			    "after_completions=K or truncating",
			    s);
	}
	return 0;
}

int inject_parse_delay(const char *spec, struct inj_delay *d, char *why,
		       size_t len)
{
	char buf[INJ_SPEC_MAX], *save = NULL, *tok;
	bool have_p = false, have_every = false, have_when = false,
	     have_count = false;
	int i = 0;

	memset(d, 0, sizeof(*d));
	if (!spec || strlen(spec) >= sizeof(buf))
		return why_(why, len, "delay spec empty or too long");
	snprintf(d->text, sizeof(d->text), "%s", spec);
	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save), i++) {
		if (i == 0) {
			if (parse_where(tok, d, why, len))
				return -1;
			continue;
		}
		if (i == 1) {
			if (parse_dur(tok, d, why, len))
				return -1;
			continue;
		}
		if (!strncmp(tok, "p=", 2)) {
			char *end;

			if (have_p || have_every)
				return why_(why, len,
					    "only one of p= and every=");
			errno = 0;
			d->p = strtod(tok + 2, &end);
			if (errno || *end || tok[2] == '\0' || !(d->p > 0) ||
			    d->p > 1)
				return why_(why, len, "%s: expected 0 < P <= 1",
					    tok);
			have_p = true;
		} else if (!strncmp(tok, "every=", 6)) {
			if (have_p || have_every)
				return why_(why, len,
					    "only one of p= and every=");
			if (parse_u64(tok + 6, UINT64_MAX, &d->every) ||
			    !d->every)
				return why_(why, len, "%s: expected N >= 1",
					    tok);
			have_every = true;
		} else if (!strncmp(tok, "when=", 5)) {
			if (have_when)
				return why_(why, len, "duplicate when=");
			if (parse_when(tok + 5, d, why, len))
				return -1;
			have_when = true;
		} else if (!strncmp(tok, "count=", 6)) {
			if (have_count)
				return why_(why, len, "duplicate count=");
			if (parse_u64(tok + 6, UINT64_MAX, &d->count) ||
			    !d->count)
				return why_(why, len, "%s: expected N >= 1",
					    tok);
			have_count = true;
		} else {
			return why_(why, len,
				    "unknown '%s' (p=, every=, when=, count=)",
				    tok);
		}
	}
	if (i < 2)
		return why_(
			why, len,
			"expected POINT:SITE[:fN],DUR[-DUR][,...], got '%s'",
			spec);
	return 0;
}

static uint64_t mix(uint64_t seed, unsigned idx, uint64_t n)
{
	uint64_t s = seed ^ ((uint64_t)idx << 48) ^ (n * 0x9e3779b97f4a7c15ull);

	return splitmix64(&s);
}

bool inject_trigger(struct inj_delay *d, const struct inj_state *st,
		    uint64_t seed, unsigned idx, uint64_t *dur_ns)
{
	uint64_t hit, fired;

	if (d->file >= 0 && (uint32_t)d->file != st->file)
		return false;
	switch (d->when) {
	case IW_ALWAYS:
		break;
	case IW_INFLIGHT:
		if (st->inflight < d->when_arg)
			return false;
		break;
	case IW_AFTER_COMPLETIONS:
		if (st->completions < d->when_arg)
			return false;
		break;
	case IW_TRUNCATING:
		if (!st->truncating)
			return false;
		break;
	}
	hit = atomic_fetch_add(&d->hits, 1) + 1;
	if (d->every && hit % d->every)
		return false;
	if (d->p > 0 && d->p < 1) {
		double u = (double)(mix(seed, idx, hit) >> 11) /
			   9007199254740992.0;

		if (u >= d->p)
			return false;
	}
	fired = atomic_fetch_add(&d->fired, 1);
	if (d->count && fired >= d->count) {
		atomic_fetch_sub(&d->fired, 1);
		return false;
	}
	*dur_ns = d->dmin_ns;
	if (d->dmax_ns > d->dmin_ns)
		*dur_ns += mix(seed, idx + 1000, hit) %
			   (d->dmax_ns - d->dmin_ns + 1);
	return true;
}

/* ---- KEY=VALUE for every injector ---- */

static int parse_ms_list(const char *val, unsigned *v, unsigned max,
			 unsigned *n)
{
	char buf[128], *save = NULL, *tok;
	uint64_t x;

	*n = 0;
	if (strlen(val) >= sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%s", val);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (*n == max || parse_u64(tok, UINT64_MAX, &x) || x > 600000)
			return -1;
		v[(*n)++] = (unsigned)x;
	}
	return 0;
}

static int parse_flakey(struct inject_conf *c, const char *val, char *why,
			size_t len)
{
	char buf[256], *save = NULL, *tok, feat[200] = "";
	int w;
	unsigned i = 0, nargs = 0;
	uint64_t v;

	if (strlen(val) >= sizeof(buf))
		return why_(why, len, "dm_flakey value too long");
	snprintf(buf, sizeof(buf), "%s", val);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save), i++) {
		size_t fl = strlen(feat);

		if (i < 2) {
			if (parse_u64(tok, UINT64_MAX, &v) || v > 86400)
				return why_(why, len,
					    "dm_flakey: '%s' is not seconds",
					    tok);
			if (i == 0)
				c->flakey_up = (unsigned)v;
			else
				c->flakey_down = (unsigned)v;
			continue;
		}
		if (!strcmp(tok, "drop_writes") ||
		    !strcmp(tok, "error_writes") ||
		    !strcmp(tok, "error_reads")) {
			w = snprintf(feat + fl, sizeof(feat) - fl, " %s", tok);
			nargs++;
		} else if (!strncmp(tok, "corrupt_bio_byte:", 17)) {
			char *f[4], *fsave = NULL, *ft = tok + 17, given[256];
			uint64_t nth = 0, value = 0, flags = 0;
			unsigned nf = 0;
			char dir = 0;

			/* strictly: no sign, no wrap (%u took "-1") */
			bool shape = !strstr(tok + 17, "::") &&
				     tok[strlen(tok) - 1] != ':';

			/* the feature as given: strtok_r cuts tok */
			snprintf(given, sizeof(given), "%s", tok);
			while (nf < 4 && (f[nf] = strtok_r(ft, ":", &fsave))) {
				ft = NULL;
				nf++;
			}
			if (shape && nf == 4 && !strtok_r(NULL, ":", &fsave) &&
			    !f[1][1])
				dir = f[1][0];
			if (!dir || parse_u64(f[0], UINT32_MAX, &nth) ||
			    parse_u64(f[2], 255, &value) ||
			    parse_u64(f[3], UINT32_MAX, &flags) ||
			    (dir != 'r' && dir != 'w') || !nth)
				return why_(why, len,
					    "%s: expected corrupt_bio_byte:"
					    "NTH:r|w:VALUE:FLAGS",
					    given);
			w = snprintf(feat + fl, sizeof(feat) - fl,
				     " corrupt_bio_byte %u %c %u %u",
				     (unsigned)nth, dir, (unsigned)value,
				     (unsigned)flags);
			nargs += 5;
		} else {
			return why_(why, len,
				    "dm_flakey feature '%s': drop_writes, "
				    "error_writes, error_reads, "
				    "corrupt_bio_byte:NTH:r|w:VALUE:FLAGS",
				    tok);
		}
		/* a cut feature text would lose words behind its count */
		if (w < 0 || (size_t)w >= sizeof(feat) - fl)
			return why_(why, len,
				    "dm_flakey: features longer than %zu bytes",
				    sizeof(feat) - 1);
	}
	if (i < 2)
		return why_(why, len, "dm_flakey: expected UP_S,DOWN_S[,...]");
	if (!c->flakey_up && !c->flakey_down)
		return why_(why, len, "dm_flakey: up + down must be > 0");
	if (nargs)
		snprintf(c->flakey_features, sizeof(c->flakey_features), "%u%s",
			 nargs, feat);
	else
		c->flakey_features[0] = '\0';
	return 0;
}

static int parse_crash(struct inject_conf *c, const char *val, char *why,
		       size_t len)
{
	static const struct {
		const char *name;
		enum crash_kind k;
	} kinds[] = {
		{ "after_fsync:", CRASH_AFTER_FSYNC },
		{ "after_dsync:", CRASH_AFTER_DSYNC },
		{ "drop_before_fsync:", CRASH_DROP_BEFORE_FSYNC },
		{ "time:", CRASH_TIME },
	};
	char buf[128], *comma;
	size_t i;

	if (strlen(val) >= sizeof(buf))
		return why_(why, len, "crash value too long");
	snprintf(buf, sizeof(buf), "%s", val);
	comma = strchr(buf, ',');
	c->crash_wait_ns = 0;
	if (comma) {
		*comma++ = '\0';
		if (strncmp(comma, "wait=", 5) ||
		    parse_duration(comma + 5, &c->crash_wait_ns))
			return why_(why, len, "crash: expected ,wait=DUR");
	}
	if (!strcmp(buf, "end")) {
		c->crash = CRASH_END;
		return 0;
	}
	if (!strcmp(buf, "none")) {
		c->crash = CRASH_NONE;
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		size_t n = strlen(kinds[i].name);

		if (strncmp(buf, kinds[i].name, n))
			continue;
		c->crash = kinds[i].k;
		if (c->crash == CRASH_TIME) {
			if (parse_duration(buf + n, &c->crash_arg))
				return why_(why, len, "crash=time:DUR");
		} else if (parse_u64(buf + n, UINT64_MAX, &c->crash_arg) ||
			   !c->crash_arg) {
			return why_(why, len, "crash=%s: N >= 1 expected", buf);
		}
		return 0;
	}
	return why_(why, len,
		    "crash '%s': after_fsync:N, after_dsync:N, "
		    "drop_before_fsync:N, time:DUR, end or none",
		    buf);
}

static int parse_dm_start(struct inject_conf *c, const char *val, char *why,
			  size_t len)
{
	if (!strcmp(val, "start")) {
		c->dm_start = DMS_START;
		return 0;
	}
	if (!strncmp(val, "time:", 5)) {
		c->dm_start = DMS_TIME;
		if (!parse_duration(val + 5, &c->dm_start_arg))
			return 0;
	} else if (!strncmp(val, "after_fsync:", 12)) {
		c->dm_start = DMS_AFTER_FSYNC;
		if (!parse_u64(val + 12, UINT64_MAX, &c->dm_start_arg) &&
		    c->dm_start_arg)
			return 0;
	} else if (!strncmp(val, "after_completions:", 18)) {
		c->dm_start = DMS_AFTER_COMPLETIONS;
		if (!parse_u64(val + 18, UINT64_MAX, &c->dm_start_arg))
			return 0;
	}
	return why_(why, len,
		    "dm_start=%s: start, time:DUR, after_fsync:N or "
		    "after_completions:K",
		    val);
}

int inject_set(struct inject_conf *c, const char *key, const char *val,
	       char *why, size_t len)
{
	unsigned n;

	if (!strcmp(key, "delay")) {
		if (c->ndelays == INJ_MAX_DELAYS)
			return why_(why, len, "more than %d delay points",
				    INJ_MAX_DELAYS);
		if (inject_parse_delay(val, &c->delays[c->ndelays], why, len))
			return -1;
		c->ndelays++;
		return 1;
	}
	if (!strcmp(key, "dm")) {
		if (!strcmp(val, "none"))
			c->dm = DMK_NONE;
		else if (!strcmp(val, "delay"))
			c->dm = DMK_DELAY;
		else if (!strcmp(val, "flakey"))
			c->dm = DMK_FLAKEY;
		else if (!strcmp(val, "log-writes"))
			c->dm = DMK_LOG_WRITES;
		else
			return why_(why, len,
				    "dm=%s: none, delay, flakey or log-writes",
				    val);
		return 1;
	}
	if (!strcmp(key, "dm_delay")) {
		if (parse_ms_list(val, c->delay_ms, 3, &n) || n < 2)
			return why_(why, len,
				    "dm_delay=%s: READ_MS,WRITE_MS[,FLUSH_MS]",
				    val);
		c->have_flush_delay = n == 3;
		if (c->dm == DMK_NONE)
			c->dm = DMK_DELAY;
		return 1;
	}
	if (!strcmp(key, "dm_flakey")) {
		if (parse_flakey(c, val, why, len))
			return -1;
		if (c->dm == DMK_NONE)
			c->dm = DMK_FLAKEY;
		return 1;
	}
	if (!strcmp(key, "fail_request")) {
		char fr[64], *f[3], *fsave = NULL, *ft = fr;
		uint64_t v[3] = { 0 };
		unsigned nf = 0;
		int t = 0;
		bool ok;

		/* strictly unsigned (%u took "-1"); TIMES -1 is "forever" */
		snprintf(fr, sizeof(fr), "%s", val);
		while (nf < 3 && (f[nf] = strtok_r(ft, ",", &fsave))) {
			ft = NULL;
			nf++;
		}
		ok = strlen(val) < sizeof(fr) && nf == 3 &&
		     !strtok_r(NULL, ",", &fsave) && !strstr(val, ",,") &&
		     val[strlen(val) - 1] != ',' &&
		     !parse_u64(f[0], 100, &v[0]) &&
		     !parse_u64(f[1], INT32_MAX, &v[1]) && v[1] &&
		     (!strcmp(f[2], "-1") ||
		      !parse_u64(f[2], INT32_MAX, &v[2]));
		if (ok)
			t = strcmp(f[2], "-1") ? (int)v[2] : -1;
		if (!ok)
			return why_(why, len,
				    "fail_request=%s: PROBABILITY(0-100),"
				    "INTERVAL,TIMES",
				    val);
		c->fail_request = true;
		c->fr_probability = (unsigned)v[0];
		c->fr_interval = (unsigned)v[1];
		c->fr_times = t;
		return 1;
	}
	if (!strcmp(key, "crash"))
		return parse_crash(c, val, why, len) ? -1 : 1;
	if (!strcmp(key, "dm_start"))
		return parse_dm_start(c, val, why, len) ? -1 : 1;
	if (!strcmp(key, "expect_write_errors")) {
		if (parse_bool(val, &c->expect_write_errors))
			return why_(why, len, "expect_write_errors: 0 or 1");
		return 1;
	}
	return 0;
}

int inject_set_kv(struct inject_conf *c, const char *kv, char *why, size_t len)
{
	const char *eq = strchr(kv, '=');
	char key[64];
	int rc;

	if (!eq || eq == kv || (size_t)(eq - kv) >= sizeof(key))
		return why_(why, len, "expected KEY=VALUE, got '%s'", kv);
	memcpy(key, kv, (size_t)(eq - kv));
	key[eq - kv] = '\0';
	rc = inject_set(c, key, eq + 1, why, len);
	if (rc == 0)
		return why_(why, len,
			    "unknown injector key '%s' (delay, dm, dm_delay, "
			    "dm_flakey, dm_start, fail_request, crash, "
			    "expect_write_errors)",
			    key);
	return rc < 0 ? -1 : 0;
}

static bool delay_wanted(const struct inject_conf *c)
{
	return c->ndelays > 0;
}

static int delay_check(const struct inject_conf *c, char *why, size_t len)
{
	(void)c;
	(void)why;
	(void)len;
	return 0;
}

const struct injector_ops inj_delay_ops = {
	.name = "delay",
	.wanted = delay_wanted,
	.check = delay_check,
};
