// SPDX-License-Identifier: GPL-2.0
/*
 * fio iologs v2 and v3: parsing into a plan, and writing a v2 log of the
 * ops a run executed (format and mapping: replay/iolog.h).
 */
#include "replay/iolog.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

#define KIB4	    4096ull
#define IOLOG_MAXB  (1ull << 44) /* offset + length: ext4's 16 TiB */
#define IOLOG_MAXIO (64ull << 20)
#define MAX_FIELDS  6

struct iparse {
	struct iolog *l;
	const char *name;
	int line;
	char *err;
	size_t errlen;
	size_t opcap;
};

static int ierr(struct iparse *ip, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int ierr(struct iparse *ip, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	n = (size_t)snprintf(ip->err, ip->errlen, "%s:%d: ", ip->name,
			     ip->line);
	if (n < ip->errlen) {
		va_start(ap, fmt);
		vsnprintf(ip->err + n, ip->errlen - n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int file_index(const struct iolog *l, const char *name)
{
	for (unsigned i = 0; i < l->nfiles; i++)
		if (!strcmp(l->names[i], name))
			return (int)i;
	return -1;
}

static int number(struct iparse *ip, const char *s, const char *what,
		  uint64_t *v)
{
	if (parse_u64(s, UINT64_MAX, v) < 0)
		return ierr(ip, "%s '%s' is not a decimal number", what, s);
	return 0;
}

static int add_file(struct iparse *ip, const char *name)
{
	struct iolog *l = ip->l;

	if (file_index(l, name) >= 0)
		return 0; /* fio ignores a re-add too */
	if (strlen(name) >= IOLOG_NAME_MAX)
		return ierr(ip, "file name longer than %d bytes",
			    IOLOG_NAME_MAX - 1);
	l->names = xrealloc(l->names, (l->nfiles + 1) * sizeof(*l->names));
	l->end = xrealloc(l->end, (l->nfiles + 1) * sizeof(*l->end));
	strcpy(l->names[l->nfiles], name);
	l->end[l->nfiles] = 0;
	l->nfiles++;
	return 0;
}

static int io_line(struct iparse *ip, int fi, const char *act, char **fld,
		   int nf)
{
	static const struct {
		const char *name;
		enum op_kind kind;
	} acts[] = {
		{ "read", OP_READ },  { "write", OP_WRITE },
		{ "sync", OP_FSYNC }, { "datasync", OP_FDATASYNC },
		{ "trim", OP_PUNCH },
	};
	struct iolog *l = ip->l;
	struct iolog_op *op;
	uint64_t off = 0, len = 0;
	int kind = -1;

	for (size_t i = 0; i < ARRAY_SIZE(acts); i++)
		if (!strcmp(act, acts[i].name))
			kind = (int)acts[i].kind;
	if (kind < 0)
		return ierr(ip,
			    "unknown action '%s' (add, open, close, "
			    "read, write, sync, datasync, trim%s)",
			    act, l->version == 2 ? ", wait" : "");
	if (nf != 2 && !(nf == 0 && (kind == OP_FSYNC || kind == OP_FDATASYNC)))
		return ierr(ip, "%s: expected OFFSET LENGTH", act);
	if (nf == 2 && (number(ip, fld[0], "offset", &off) < 0 ||
			number(ip, fld[1], "length", &len) < 0))
		return -1;
	if (kind == OP_FSYNC || kind == OP_FDATASYNC) {
		off = len = 0; /* fio writes the last offset; not a range */
	} else {
		uint64_t a = kind == OP_PUNCH ? KIB4 : SECTOR_SIZE;

		if (!len)
			return ierr(ip, "%s: length 0", act);
		if (off % a || len % a)
			return ierr(
				ip,
				"%s %llu %llu: offset and length must be "
				"multiples of %llu (%s)",
				act, (unsigned long long)off,
				(unsigned long long)len, (unsigned long long)a,
				kind == OP_PUNCH ?
					"iorace punches whole 4 KiB blocks" :
					"O_DIRECT sectors: iorace judges "
					"whole sectors");
		if (kind != OP_PUNCH && len > IOLOG_MAXIO)
			return ierr(ip, "%s: length %llu above 64 MiB", act,
				    (unsigned long long)len);
		if (off > IOLOG_MAXB || len > IOLOG_MAXB - off)
			return ierr(ip, "%s: offset + length beyond 16 TiB",
				    act);
		if (off + len > l->end[fi])
			l->end[fi] = off + len;
	}
	if (l->nops >= WL_MAX_OPS)
		return ierr(ip, "more than %llu ops (iorace's plan limit)",
			    (unsigned long long)WL_MAX_OPS);
	grow_array((void **)&l->ops, &ip->opcap, l->nops + 1, sizeof(*l->ops));
	op = &l->ops[l->nops++];
	op->kind = (enum op_kind)kind;
	op->file = (uint32_t)fi;
	op->off = off;
	op->len = len;
	op->line = ip->line;
	l->count[kind]++;
	return 0;
}

/* One line, NUL-terminated, no newline. */
static int parse_line(struct iparse *ip, char *s)
{
	struct iolog *l = ip->l;
	char *fld[MAX_FIELDS + 1], *save = NULL, *t;
	int nf = 0, fi;
	uint64_t ts;

	for (t = strtok_r(s, " \t\r", &save); t;
	     t = strtok_r(NULL, " \t\r", &save)) {
		if (nf == MAX_FIELDS)
			return ierr(ip, "too many fields");
		fld[nf++] = t;
	}
	if (!nf)
		return 0; /* blank */
	if (l->version == 3) {
		if (number(ip, fld[0], "timestamp", &ts) < 0)
			return -1;
		memmove(fld, fld + 1, (size_t)nf * sizeof(*fld));
		nf--;
	}
	if (nf < 2)
		return ierr(ip, "expected %sFILENAME ACTION [OFFSET LENGTH]",
			    l->version == 3 ? "TIMESTAMP " : "");
	if (!strcmp(fld[1], "add")) {
		if (nf != 2)
			return ierr(ip, "add: takes no OFFSET LENGTH");
		return add_file(ip, fld[0]);
	}
	if (!strcmp(fld[1], "wait")) {
		uint64_t us;

		if (l->version == 3)
			return ierr(ip, "wait: not allowed in a version 3 "
					"iolog (its timestamps time it)");
		if (nf != 4 || number(ip, fld[2], "wait time", &us) < 0)
			return nf != 4 ?
				       ierr(ip, "wait: expected USEC LENGTH") :
				       -1;
		l->nwait++;
		return 0;
	}
	fi = file_index(l, fld[0]);
	if (fi < 0)
		return ierr(ip, "file '%s' used before its 'add'", fld[0]);
	if (!strcmp(fld[1], "open") || !strcmp(fld[1], "close")) {
		if (nf != 2)
			return ierr(ip, "%s: takes no OFFSET LENGTH", fld[1]);
		return 0;
	}
	return io_line(ip, fi, fld[1], fld + 2, nf - 2);
}

int iolog_parse_string(const char *text, const char *name, struct iolog *l,
		       char *err, size_t errlen)
{
	struct iparse ip = {
		.l = l, .name = name, .err = err, .errlen = errlen
	};
	char *buf = xstrdup(text), *s = buf, *nl;
	int rc = 0;

	memset(l, 0, sizeof(*l));
	err[0] = '\0';
	for (; s && rc == 0; s = nl) {
		nl = strchr(s, '\n');
		if (nl)
			*nl++ = '\0';
		ip.line++;
		if (ip.line == 1) {
			size_t n = strlen(s);

			while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
				s[--n] = '\0';
			if (!strcmp(s, "fio version 2 iolog"))
				l->version = 2;
			else if (!strcmp(s, "fio version 3 iolog"))
				l->version = 3;
			else
				rc = ierr(
					&ip,
					"not a fio iolog: the first line must "
					"be 'fio version 2 iolog' or 'fio "
					"version 3 iolog'");
			continue;
		}
		if (!nl && !*s)
			break;
		rc = parse_line(&ip, s);
	}
	if (!rc && !l->nops) {
		ip.line = 1;
		rc = ierr(&ip, "no read, write, sync, datasync or trim lines");
	}
	free(buf);
	if (rc)
		iolog_free(l);
	return rc;
}

int iolog_parse(const char *path, struct iolog *l, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t cap = 0, n = 0, got;
	int rc;

	memset(l, 0, sizeof(*l));
	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path,
			 strerror(errno));
		return -1;
	}
	do {
		grow_array((void **)&text, &cap, n + 65536 + 1, 1);
		got = fread(text + n, 1, cap - n - 1, f);
		n += got;
	} while (got);
	text[n] = '\0';
	if (ferror(f) || memchr(text, '\0', n)) {
		snprintf(err, errlen, "%s: %s", path,
			 ferror(f) ? "read error" : "binary (NUL bytes)");
		fclose(f);
		free(text);
		return -1;
	}
	fclose(f);
	rc = iolog_parse_string(text, path, l, err, errlen);
	free(text);
	return rc;
}

void iolog_free(struct iolog *l)
{
	free(l->names);
	free(l->end);
	free(l->ops);
	memset(l, 0, sizeof(*l));
}

static bool is_io(enum op_kind k)
{
	return k == OP_READ || k == OP_WRITE;
}

int iolog_plan(const struct iolog *l, bool direct, uint64_t seed,
	       const char *workload, struct plan *p)
{
	size_t i = 0, scap = 0;

	memset(p, 0, sizeof(*p));
	p->seed = seed;
	snprintf(p->workload, sizeof(p->workload), "%s", workload);
	if (!l->nops)
		return -1;
	p->ops = xcalloc(l->nops, sizeof(*p->ops));
	p->nops = l->nops;
	while (i < l->nops) {
		bool io = is_io(l->ops[i].kind);
		uint32_t stage = p->nstages++;
		struct plan_stream *s;
		size_t first = i;

		while (i < l->nops && is_io(l->ops[i].kind) == io) {
			struct plan_op *op = &p->ops[i];

			op->id = i + 1;
			op->job = io ? 0 : 1;
			op->ctx = stage;
			op->stage = stage;
			op->kind = l->ops[i].kind;
			op->file = l->ops[i].file;
			op->off = l->ops[i].off;
			op->len = l->ops[i].len;
			if (io && direct)
				op->flags |= OPF_DIRECT;
			if (op->kind == OP_PUNCH)
				op->flags |= OPF_KEEP_SIZE;
			i++;
		}
		grow_array((void **)&p->streams, &scap, p->nstreams + 1,
			   sizeof(*p->streams));
		s = &p->streams[p->nstreams++];
		s->job = io ? 0 : 1;
		s->ctx = stage;
		s->stage = stage;
		s->n = i - first;
		s->idx = xcalloc(s->n, sizeof(*s->idx));
		for (size_t k = 0; k < s->n; k++)
			s->idx[k] = first + k;
	}
	return 0;
}

static const char *iolog_action(enum op_kind k)
{
	switch (k) {
	case OP_READ:
		return "read";
	case OP_WRITE:
		return "write";
	case OP_FSYNC:
		return "sync";
	case OP_FDATASYNC:
		return "datasync";
	case OP_PUNCH:
		return "trim";
	default:
		return NULL;
	}
}

static void put_name(FILE *f, unsigned i, char (*fnames)[128], const char *dir)
{
	if (dir)
		fprintf(f, "%s/", dir);
	if (fnames && fnames[i][0])
		fputs(fnames[i], f);
	else
		fprintf(f, "f%u", i);
}

int iolog_write(const struct plan *p, const unsigned char *executed,
		unsigned nfiles, char (*fnames)[128], const char *dir, FILE *f,
		size_t *skipped)
{
	const char *const fa[] = { "add", "open" };

	*skipped = 0;
	fprintf(f, "fio version 2 iolog\n");
	for (size_t a = 0; a < ARRAY_SIZE(fa); a++)
		for (unsigned i = 0; i < nfiles; i++) {
			put_name(f, i, fnames, dir);
			fprintf(f, " %s\n", fa[a]);
		}
	for (size_t i = 0; i < p->nops; i++) {
		const struct plan_op *op = &p->ops[i];
		const char *act = iolog_action(op->kind);

		if (executed && !executed[i])
			continue;
		/* a punch of len 0 went to EOF: no fixed range to trim */
		if (!act || op->file >= nfiles ||
		    (op->kind == OP_PUNCH && !op->len)) {
			(*skipped)++;
			continue;
		}
		put_name(f, op->file, fnames, dir);
		fprintf(f, " %s %llu %llu\n", act, (unsigned long long)op->off,
			(unsigned long long)op->len);
	}
	for (unsigned i = 0; i < nfiles; i++) {
		put_name(f, i, fnames, dir);
		fprintf(f, " close\n");
	}
	return ferror(f) ? -1 : 0;
}

#define MIB	       (1ull << 20)
#define IOLOG_GROW_MAX (16ull << 30)

static uint64_t iolog_filesize(const struct iolog *l)
{
	uint64_t m = MIB;

	for (unsigned i = 0; i < l->nfiles; i++)
		m = MAX(m, (l->end[i] + MIB - 1) / MIB * MIB);
	return m;
}

char *iolog_workload_text(const struct iolog *l, const char *path)
{
	char *t = NULL;

	if (asprintf(&t,
		     "[global]\n"
		     "description=fio iolog %s (v%d)\n"
		     "nrfiles=%u\n"
		     "filesize=%llu\n" /* iolog_fit grows it */
		     "[iolog]\n"
		     "type=io\n"
		     "file=all\n"
		     "rw=randrw\n"
		     "engine=libaio\n"
		     "direct=1\n"
		     "iodepth=8\n"
		     "number_ios=1\n",
		     path, l->version, l->nfiles, (unsigned long long)MIB) < 0)
		abort();
	return t;
}

int iolog_fit(const struct iolog *l, struct workload *wl, char *err,
	      size_t errlen)
{
	uint64_t need;

	if (wl->nrfiles < l->nfiles) {
		snprintf(err, errlen,
			 "the iolog uses %u files, the workload %s has %u "
			 "(nrfiles=)",
			 l->nfiles, wl->name, wl->nrfiles);
		return -1;
	}
	need = iolog_filesize(l);
	if (need > wl->filesize) {
		/* the image is poisoned whole: no terabyte images by surprise
		 */
		if (need > IOLOG_GROW_MAX / wl->nrfiles) {
			snprintf(
				err, errlen,
				"the iolog reaches %llu bytes into a file: %u "
				"files of that size exceed the %llu GiB iorace "
				"grows to (give a WORKLOAD with filesize= and "
				"image_size=)",
				(unsigned long long)need, wl->nrfiles,
				IOLOG_GROW_MAX >> 30);
			return -1;
		}
		wl->filesize = need;
	}
	need = 2 * wl->filesize * wl->nrfiles + 64 * MIB;
	if (wl->image_size < need)
		wl->image_size = need;
	return workload_check_limits(wl, err, errlen);
}

void iolog_print_mapping(const struct iolog *l, const char *path, FILE *f)
{
	fprintf(f,
		"iolog %s (v%d): %zu ops: %zu read, %zu write, %zu sync, "
		"%zu datasync, %zu trim (punch)%s\n",
		path, l->version, l->nops, l->count[OP_READ],
		l->count[OP_WRITE], l->count[OP_FSYNC], l->count[OP_FDATASYNC],
		l->count[OP_PUNCH], l->nwait ? "; wait lines ignored" : "");
	for (unsigned i = 0; i < l->nfiles; i++)
		fprintf(f, "iolog: file %s -> f%u (uses up to %llu bytes)\n",
			l->names[i], i, (unsigned long long)l->end[i]);
}
