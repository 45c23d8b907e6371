// SPDX-License-Identifier: GPL-2.0
/* iorace aio-stress: see replay/aiostress.h. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/aiostress.h"

struct buf {
	char *s;
	size_t len, cap;
};

static void bput(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL,
			      b->s ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (b->s && b->len + (size_t)n < b->cap)
			break;
		b->cap = (b->cap + (size_t)n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			abort();
		if (b->len == 0)
			b->s[0] = '\0';
	}
	b->len += (size_t)n;
}

/* aio-stress's sizes: a number, optional k/m/g/b suffix, else unit */
static int as_size(const char *s, uint64_t unit, uint64_t *out)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	if (end == s)
		return -1;
	switch (*end) {
	case 'g':
	case 'G':
		unit = 1ull << 30;
		end++;
		break;
	case 'm':
	case 'M':
		unit = 1ull << 20;
		end++;
		break;
	case 'k':
	case 'K':
		unit = 1ull << 10;
		end++;
		break;
	case 'b':
	case 'B':
		unit = 1;
		end++;
		break;
	}
	if (*end)
		return -1;
	*out = v * unit;
	return 0;
}

static int as_int(const char *s, long *out)
{
	char *end;

	*out = strtol(s, &end, 10);
	return end == s || *end || *out < 0 ? -1 : 0;
}

#define FAIL(...)                                   \
	do {                                        \
		snprintf(err, errlen, __VA_ARGS__); \
		goto fail;                          \
	} while (0)

char *aiostress_text(int argc, char **argv, char *notes, size_t noteslen,
		     char *err, size_t errlen)
{
	static const char *const rwname[] = { "write", "read", "randwrite",
					      "randread" };
	uint64_t size = 1ull << 30, rec = 64 << 10, coff = 2 << 20, falloc = 0;
	long depth = 64, io_iter = 8, iters = -1, submit = 0, threads = 1;
	long contexts = 1, v;
	unsigned stages = 0, nst = 0, st = 0;
	int fsync = 1, stonewall = 1, nfiles = 0, verify = 0, coff_set = 0;
	uint64_t coff_dflt = 0;
	const char **files = calloc((size_t)argc + 1, sizeof(*files));
	struct buf t = { 0 }, races = { 0 };
	size_t nl = 0;
	int nracing = 0, direct = 0, dsync = 0;

	if (notes && noteslen)
		notes[0] = '\0';
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val;

		if (!strcmp(a, "--fallocate") || !strcmp(a, "--racing") ||
		    !strcmp(a, "--truncate-after")) {
			if (i + 1 >= argc)
				FAIL("%s needs a value", a);
			val = argv[++i];
			if (a[2] == 'f') {
				if (as_size(val, 1, &falloc) < 0)
					FAIL("--fallocate: bad size '%s'", val);
			} else if (a[2] == 't') {
				bput(&races,
				     "\n[truncate-after]\ntype=truncate\n"
				     "file=0\nsize=0\nstart_delay=%s\n",
				     val);
			} else {
				char *dup = strdup(val), *sv = NULL, *tok;
				bput(&races, "\n[racing%d]\n", nracing++);
				for (tok = strtok_r(dup, ",", &sv); tok;
				     tok = strtok_r(NULL, ",", &sv)) {
					if (!strchr(tok, '=')) {
						char bad[64];

						snprintf(bad, sizeof(bad), "%s",
							 tok);
						free(dup);
						FAIL("--racing: '%s' is not "
						     "KEY=VALUE",
						     bad);
					}
					bput(&races, "%s\n", tok);
				}
				free(dup);
			}
			continue;
		}
		if (a[0] != '-' || !a[1]) {
			files[nfiles++] = a;
			continue;
		}
		if (a[1] == '-')
			FAIL("unknown option '%s'", a);
		for (const char *p = a + 1; *p; p++) {
			char c = *p;

			if (strchr("abcCmsrdiIot", c)) {
				val = p[1]	   ? p + 1 :
				      i + 1 < argc ? argv[++i] :
						     NULL;
				if (!val)
					FAIL("-%c needs a value", c);
			} else {
				val = NULL;
			}
			switch (c) {
			case 'a': {
				uint64_t al;

				if (as_size(val, 1024, &al) < 0 || al > 4096)
					FAIL("-a %s: iorace's I/O buffers are "
					     "4 KiB aligned; larger buffer "
					     "alignment cannot be honoured",
					     val);
				break;
			}
			case 'b':
				if (as_int(val, &submit) < 0)
					FAIL("-b: bad number '%s'", val);
				break;
			case 'c':
				if (as_int(val, &contexts) < 0 || !contexts)
					FAIL("-c: bad number '%s'", val);
				break;
			case 'C':
				if (as_size(val, 1 << 20, &coff) < 0)
					FAIL("-C: bad size '%s'", val);
				coff_set = 1;
				/* aio-stress falls through into -b here */
				submit = atol(val);
				break;
			case 'm':
				FAIL("-m %s: iorace cannot put its I/O "
				     "buffers in shared memory",
				     val);
			case 's':
				if (as_size(val, 1 << 20, &size) < 0 || !size)
					FAIL("-s: bad size '%s'", val);
				break;
			case 'r':
				if (as_size(val, 1024, &rec) < 0 || !rec ||
				    rec % 512)
					FAIL("-r: bad record size '%s'", val);
				break;
			case 'd':
				if (as_int(val, &depth) < 0 || !depth)
					FAIL("-d: bad number '%s'", val);
				break;
			case 'i':
				if (as_int(val, &io_iter) < 0 || !io_iter)
					FAIL("-i: bad number '%s'", val);
				break;
			case 'I':
				if (as_int(val, &iters) < 0 || !iters)
					FAIL("-I: bad number '%s'", val);
				break;
			case 'o':
				if (as_int(val, &v) < 0 || v > 3)
					FAIL("-o %s: stages are 0 write, 1 "
					     "read, 2 random write, 3 random "
					     "read",
					     val);
				stages |= 1u << v;
				break;
			case 't':
				if (as_int(val, &threads) < 0 || !threads)
					FAIL("-t: bad number '%s'", val);
				break;
			case 'n':
				fsync = 0;
				break;
			case 'x':
				stonewall = 0;
				break;
			case 'v':
				verify = 1;
				break;
			case 'O':
				direct = 1;
				break;
			case 'S':
				dsync = 1;
				break;

			case 'u':
			case 'l':
			case 'L':
				break;
			default:
				FAIL("unknown aio-stress option -%c", c);
			}
			if (val)
				break;
		}
	}
	if (!nfiles)
		FAIL("no FILE given");
	if (!stages)
		stages = 0xf;
	if (depth < io_iter)
		io_iter = depth;
	if (threads > nfiles * contexts)
		threads = nfiles * contexts;
	if (threads > 1 && stonewall)
		FAIL("-t %ld: with several threads aio-stress stonewalls (the "
		     "first thread done with a stage cuts the others short, a "
		     "timing-dependent op count); add -x",
		     threads);
	if (!submit)
		submit = nfiles * io_iter * contexts;
	if (submit < io_iter)
		io_iter = submit;
	if (iters > 0 && submit < nfiles * io_iter * contexts)
		FAIL("-I with -b/-C below files*contexts*-i: not supported yet");
	/*
	 * aio-stress refuses a file too small for -c contexts at the default
	 * -C of 2m (e.g. -s 16m -c 10). Unless -C was given, iorace shrinks
	 * the offset to the largest multiple of the record size that gives
	 * every context a region of its own, and says so.
	 */
	if (!coff_set && contexts > 1 &&
	    (size < (uint64_t)contexts * coff ||
	     size < 2 * (uint64_t)(contexts - 1) * coff + rec)) {
		uint64_t c = size / (uint64_t)contexts;
		uint64_t c2 =
			size > rec ?
				(size - rec) / (2 * (uint64_t)(contexts - 1)) :
				0;

		coff_dflt = coff;
		coff = (c < c2 ? c : c2) / rec * rec;
		if (!coff)
			FAIL("file size %llu too small for %ld contexts of "
			     "%llu-byte records",
			     (unsigned long long)size, contexts,
			     (unsigned long long)rec);
	}
	if (size < (uint64_t)contexts * coff)
		FAIL("file size %llu too small for %ld contexts",
		     (unsigned long long)size, contexts);
	for (long j = 0; j < contexts; j++)
		if (size < 2 * j * coff + rec)
			FAIL("-c %ld: context %ld's region [%llu, %llu) holds "
			     "no record",
			     contexts, j, (unsigned long long)(j * coff),
			     (unsigned long long)(size - j * coff));
	{
		uint64_t fs = falloc > size ? falloc : size;

		bput(&t,
		     "[global]\ndescription=aio-stress\n"
		     "image_size=%llum\nnrfiles=%d\nfilesize=%llu\n"
		     "fallocate=%d\n",
		     (unsigned long long)((fs * nfiles >> 20) + 256), nfiles,
		     (unsigned long long)(falloc ? falloc : 0), falloc ? 1 : 0);
	}
	for (int s = 0; s < 4; s++) {
		if (!(stages & (1u << s)))
			continue;
		for (int f = 0; f < nfiles; f++)
			for (long j = 0; j < contexts; j++) {
				uint64_t len = size - 2 * j * coff;
				uint64_t n = len / rec;

				if (iters > 0 && n > (uint64_t)iters * io_iter)
					n = (uint64_t)iters * io_iter;
				bput(&t,
				     "\n[f%d-c%ld-%s]\ntype=io\nfile=%d\n"
				     "stage=%u\nrw=%s\ndirect=%d\ndsync=%d\n"
				     "bs=%llu\niodepth=%ld\nnumber_ios=%llu\n"
				     "offset=%llu\nsize=%llu\n",
				     f, j, rwname[s], f, st, rwname[s], direct,
				     dsync && !(s & 1), (unsigned long long)rec,
				     depth, (unsigned long long)n,
				     (unsigned long long)(j * coff),
				     (unsigned long long)len);
			}
		st++;
		nst++;
		if (fsync) {
			for (int f = 0; f < nfiles; f++)
				bput(&t,
				     "\n[f%d-fsync-%u]\ntype=fsync\nfile=%d\n"
				     "stage=%u\ncount=%ld\n",
				     f, st, f, st, contexts);
			st++;
		}
		/* a stage that hits -I ends the run */
		if (iters > 0 &&
		    (size / rec + io_iter - 1) / io_iter >= (uint64_t)iters)
			break;
	}
	if (races.s)
		bput(&t, "%s", races.s);
	for (int f = 0; f < nfiles && notes; f++)
		nl += (size_t)snprintf(notes + nl,
				       nl < noteslen ? noteslen - nl : 0,
				       "aio-stress: FILE '%s' -> scratch f%d "
				       "(never the host path)\n",
				       files[f], f);
	if (coff_dflt && notes && nl < noteslen)
		nl += (size_t)snprintf(
			notes + nl, noteslen - nl,
			"note: -s %lluk is too small for -c %ld at aio-stress's "
			"default -C %lluk (aio-stress itself refuses it): using "
			"-C %lluk, so each context keeps a region of its own\n",
			(unsigned long long)(size >> 10), contexts,
			(unsigned long long)(coff_dflt >> 10),
			(unsigned long long)(coff >> 10));
	if (verify && notes && nl < noteslen)
		snprintf(notes + nl, noteslen - nl,
			 "aio-stress: -v accepted: iorace's oracle verifies "
			 "every sector read back anyway\n");
	free(races.s);
	free(files);
	(void)nst;
	return t.s;
fail:
	free(races.s);
	free(t.s);
	free(files);
	return NULL;
}
