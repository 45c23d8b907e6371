// SPDX-License-Identifier: GPL-2.0
/*
 * Minimal CTF 1.8 writer: see ctf_writer.h. Everything is byte aligned
 * (align = 8 bits), so events are packed without padding.
 */
#include "trace/ctf_writer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util.h"

#define CTF_MAGIC    0xc1fc1fc1u
#define PKT_HDR_SIZE (4 + 6 * 8 + 4) /* magic, 6 x u64 context, cpu_id */
#define PKT_MAX	     (1u << 20)

struct ctfw_class {
	char *name;
	unsigned nfields;
	char **fnames;
	enum ctfw_type *ftypes;
};

struct ctfw_stream {
	uint32_t cpu;
	int fd;
	unsigned char *buf;
	size_t len, cap;
	uint64_t nev; /* events in the open packet */
	uint64_t ts_begin, ts_end;
	uint64_t discarded; /* cumulative */
	uint64_t seq;
	bool force_packet; /* write a packet even when empty */
};

struct ctfw {
	char *dir;
	char *clock_block;
	char clock_name[64];
	char *domain;
	struct ctfw_class *cls;
	size_t ncls, cls_cap;
	struct ctfw_stream *st;
	size_t nst, st_cap;
	uint64_t count;
	bool failed;
};

static int mkdir_p(const char *path)
{
	char *p = xstrdup(path);
	int ret = 0;

	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;

		*s = 0;
		if (mkdir(p, 0755) && errno != EEXIST) {
			msg("mkdir %s: %s", p, strerror(errno));
			ret = -1;
			break;
		}
		*s = c;
		if (!c)
			break;
	}
	free(p);
	return ret;
}

static char *read_small_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return NULL;
	for (;;) {
		grow_array((void **)&buf, &cap, n + 4097, 1);
		size_t r = fread(buf + n, 1, 4096, f);

		n += r;
		if (r < 4096)
			break;
	}
	fclose(f);
	buf[n] = 0;
	if (len)
		*len = n;
	return buf;
}

static void own_clock(struct ctfw *w)
{
	struct timespec rt, mono, rt2;
	char uuid[64] = "";
	char *boot = read_small_file("/proc/sys/kernel/random/boot_id", NULL);
	int64_t best = INT64_MAX, off = 0;
	char tmp[512];

	if (boot) {
		snprintf(uuid, sizeof(uuid), "%.36s", boot);
		free(boot);
	}
	/* Bracket a monotonic read between two realtime reads; keep the
	 * tightest of a few tries. */
	for (int i = 0; i < 5; i++) {
		clock_gettime(CLOCK_REALTIME, &rt);
		clock_gettime(CLOCK_MONOTONIC, &mono);
		clock_gettime(CLOCK_REALTIME, &rt2);
		int64_t a = rt.tv_sec * 1000000000ll + rt.tv_nsec;
		int64_t b = rt2.tv_sec * 1000000000ll + rt2.tv_nsec;
		int64_t m = mono.tv_sec * 1000000000ll + mono.tv_nsec;

		if (b - a < best) {
			best = b - a;
			off = a + (b - a) / 2 - m;
		}
	}
	snprintf(
		tmp, sizeof(tmp),
		"clock {\n\tname = \"monotonic\";\n%s%s%s"
		"\tdescription = \"Monotonic Clock\";\n"
		"\tfreq = 1000000000;\n\tprecision = 1;\n"
		"\toffset_s = %lld;\n\toffset = %lld;\n\tabsolute = TRUE;\n};\n",
		uuid[0] ? "\tuuid = \"" : "", uuid, uuid[0] ? "\";\n" : "",
		(long long)(off / 1000000000ll),
		(long long)(off % 1000000000ll));
	w->clock_block = xstrdup(tmp);
	snprintf(w->clock_name, sizeof(w->clock_name), "monotonic");
}

static bool clock_name_of(const char *block, char *out, size_t outsz)
{
	const char *p = strstr(block, "name");

	while (p) {
		const char *q = p + 4;

		while (*q == ' ' || *q == '\t')
			q++;
		if (*q == '=') {
			q++;
			while (*q == ' ' || *q == '\t' || *q == '"')
				q++;
			size_t n = strcspn(q, "\";\n ");

			if (!n || n >= outsz)
				return false;
			memcpy(out, q, n);
			out[n] = 0;
			return true;
		}
		p = strstr(p + 4, "name");
	}
	return false;
}

/*
 * babeltrace2 treats LTTng's clocks as absolute (origin: Unix epoch) and
 * only muxes absolute clocks with absolute ones: mark ours absolute too.
 */
static char *absolute_clock(const char *block)
{
	const char *end = strstr(block, "};");
	char *out;

	if (strstr(block, "absolute") || !end)
		return xstrdup(block);
	out = xmalloc(strlen(block) + 32);
	memcpy(out, block, (size_t)(end - block));
	strcpy(out + (end - block), "\tabsolute = TRUE;\n");
	strcat(out, end);
	return out;
}

struct ctfw *ctfw_open(const char *dir, const char *clock_block,
		       const char *domain)
{
	struct ctfw *w;

	if (mkdir_p(dir))
		return NULL;
	w = xcalloc(1, sizeof(*w));
	w->dir = xstrdup(dir);
	w->domain = xstrdup(domain ? domain : "kernel");
	if (clock_block &&
	    clock_name_of(clock_block, w->clock_name, sizeof(w->clock_name)))
		w->clock_block = absolute_clock(clock_block);
	else
		own_clock(w);
	return w;
}

int ctfw_class_find(struct ctfw *w, const char *name)
{
	for (size_t i = 0; i < w->ncls; i++)
		if (!strcmp(w->cls[i].name, name))
			return (int)i;
	return -1;
}

int ctfw_class(struct ctfw *w, const char *name, unsigned nfields,
	       const char *const *fnames, const enum ctfw_type *ftypes)
{
	int id = ctfw_class_find(w, name);
	struct ctfw_class *c;

	if (id >= 0) {
		c = &w->cls[id];
		if (c->nfields != nfields)
			return -1;
		for (unsigned i = 0; i < nfields; i++)
			if (strcmp(c->fnames[i], fnames[i]) ||
			    c->ftypes[i] != ftypes[i])
				return -1;
		return id;
	}
	grow_array((void **)&w->cls, &w->cls_cap, w->ncls + 1, sizeof(*c));
	c = &w->cls[w->ncls];
	c->name = xstrdup(name);
	c->nfields = nfields;
	c->fnames = xcalloc(nfields ? nfields : 1, sizeof(char *));
	c->ftypes = xcalloc(nfields ? nfields : 1, sizeof(*c->ftypes));
	for (unsigned i = 0; i < nfields; i++) {
		c->fnames[i] = xstrdup(fnames[i]);
		c->ftypes[i] = ftypes[i];
	}
	return (int)w->ncls++;
}

static struct ctfw_stream *get_stream(struct ctfw *w, uint32_t cpu)
{
	struct ctfw_stream *s;
	char path[4096];

	for (size_t i = 0; i < w->nst; i++)
		if (w->st[i].cpu == cpu)
			return &w->st[i];
	snprintf(path, sizeof(path), "%s/stream_%u", w->dir, cpu);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0) {
		msg("%s: %s", path, strerror(errno));
		return NULL;
	}
	grow_array((void **)&w->st, &w->st_cap, w->nst + 1, sizeof(*s));
	s = &w->st[w->nst++];
	memset(s, 0, sizeof(*s));
	s->cpu = cpu;
	s->fd = fd;
	s->len = PKT_HDR_SIZE;
	return s;
}

static void put_u32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put_u64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void reserve(struct ctfw_stream *s, size_t more)
{
	grow_array((void **)&s->buf, &s->cap, s->len + more, 1);
}

static int flush_packet(struct ctfw *w, struct ctfw_stream *s)
{
	unsigned char *p;
	size_t off = 0;

	if (!s->nev && !s->force_packet)
		return 0;
	reserve(s, 0);
	p = s->buf;
	put_u32(p, CTF_MAGIC);
	put_u64(p + 4, s->ts_begin);
	put_u64(p + 12, s->ts_end);
	put_u64(p + 20, (uint64_t)s->len * 8); /* content_size, bits */
	put_u64(p + 28, (uint64_t)s->len * 8); /* packet_size, bits */
	put_u64(p + 36, s->seq++);
	put_u64(p + 44, s->discarded);
	put_u32(p + 52, s->cpu);
	while (off < s->len) {
		ssize_t r = write(s->fd, p + off, s->len - off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			msg("ctf write %s/stream_%u: %s", w->dir, s->cpu,
			    strerror(errno));
			w->failed = true;
			return -1;
		}
		off += (size_t)r;
	}
	s->len = PKT_HDR_SIZE;
	s->nev = 0;
	s->force_packet = false;
	return 0;
}

int ctfw_event(struct ctfw *w, uint32_t cpu, int cls, uint64_t ts,
	       const struct ctfw_val *vals)
{
	struct ctfw_stream *s;
	struct ctfw_class *c;

	if (cls < 0 || (size_t)cls >= w->ncls)
		return -1;
	s = get_stream(w, cpu);
	if (!s)
		return -1;
	c = &w->cls[cls];
	if (s->nev && ts < s->ts_end)
		ts = s->ts_end; /* keep the stream monotonic */
	if (!s->nev && !s->force_packet) {
		if (s->seq && ts < s->ts_end)
			ts = s->ts_end;
		s->ts_begin = ts;
	}
	reserve(s, 12);
	put_u32(s->buf + s->len, (uint32_t)cls);
	put_u64(s->buf + s->len + 4, ts);
	s->len += 12;
	for (unsigned i = 0; i < c->nfields; i++) {
		if (c->ftypes[i] == CTFW_INT) {
			reserve(s, 8);
			put_u64(s->buf + s->len, (uint64_t)vals[i].i);
			s->len += 8;
		} else {
			const char *str = vals[i].s ? vals[i].s : "";
			size_t n = strlen(str) + 1;

			reserve(s, n);
			memcpy(s->buf + s->len, str, n);
			s->len += n;
		}
	}
	s->ts_end = ts;
	s->nev++;
	w->count++;
	if (s->len >= PKT_MAX)
		return flush_packet(w, s);
	return 0;
}

int ctfw_discarded(struct ctfw *w, uint32_t cpu, uint64_t n, uint64_t ts)
{
	struct ctfw_stream *s = get_stream(w, cpu);

	if (!s)
		return -1;
	if (!n)
		return 0;
	/*
	 * babeltrace2 reports the difference between consecutive packets'
	 * events_discarded: make sure a packet with the old count exists,
	 * then start a new one carrying the new count.
	 */
	if (!s->nev && !s->seq) {
		s->ts_begin = s->ts_end = ts;
		s->force_packet = true;
	}
	if (flush_packet(w, s))
		return -1;
	s->discarded += n;
	if (ts < s->ts_end)
		ts = s->ts_end;
	s->ts_begin = s->ts_end = ts;
	s->force_packet = true;
	return 0;
}

uint64_t ctfw_count(const struct ctfw *w)
{
	return w->count;
}

static void put_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static int write_metadata(struct ctfw *w)
{
	char path[4096], host[256] = "unknown";
	FILE *f;

	snprintf(path, sizeof(path), "%s/metadata", w->dir);
	f = fopen(path, "w");
	if (!f) {
		msg("%s: %s", path, strerror(errno));
		return -1;
	}
	gethostname(host, sizeof(host) - 1);
	fprintf(f,
		"/* CTF 1.8 */\n\n"
		"typealias integer { size = 32; align = 8; signed = false; } "
		":= uint32_t;\n"
		"typealias integer { size = 64; align = 8; signed = false; } "
		":= uint64_t;\n"
		"typealias integer { size = 64; align = 8; signed = true; } "
		":= int64_t;\n\n"
		"trace {\n\tmajor = 1;\n\tminor = 8;\n\tbyte_order = le;\n"
		"\tpacket.header := struct {\n\t\tuint32_t magic;\n\t};\n"
		"};\n\nenv {\n\thostname = ");
	put_str(f, host);
	fprintf(f, ";\n\tdomain = ");
	put_str(f, w->domain);
	fprintf(f, ";\n\ttracer_name = \"iorace-tracefs\";\n};\n\n%s\n",
		w->clock_block);
	fprintf(f,
		"typealias integer { size = 64; align = 8; signed = false; "
		"map = clock.%s.value; } := uint64_clock_t;\n\n"
		"stream {\n\tpacket.context := struct {\n"
		"\t\tuint64_clock_t timestamp_begin;\n"
		"\t\tuint64_clock_t timestamp_end;\n"
		"\t\tuint64_t content_size;\n\t\tuint64_t packet_size;\n"
		"\t\tuint64_t packet_seq_num;\n\t\tuint64_t events_discarded;\n"
		"\t\tuint32_t cpu_id;\n\t};\n"
		"\tevent.header := struct {\n\t\tuint32_t id;\n"
		"\t\tuint64_clock_t timestamp;\n\t};\n};\n\n",
		w->clock_name);
	for (size_t i = 0; i < w->ncls; i++) {
		struct ctfw_class *c = &w->cls[i];

		fprintf(f, "event {\n\tname = ");
		put_str(f, c->name);
		fprintf(f, ";\n\tid = %zu;\n\tfields := struct {\n", i);
		for (unsigned j = 0; j < c->nfields; j++)
			fprintf(f, "\t\t%s _%s;\n",
				c->ftypes[j] == CTFW_INT ? "int64_t" : "string",
				c->fnames[j]);
		fprintf(f, "\t};\n};\n\n");
	}
	if (fclose(f)) {
		msg("%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int ctfw_close(struct ctfw *w)
{
	int ret = 0;

	if (!w)
		return 0;
	for (size_t i = 0; i < w->nst; i++) {
		if (flush_packet(w, &w->st[i]))
			ret = -1;
		if (close(w->st[i].fd))
			ret = -1;
		free(w->st[i].buf);
	}
	if (write_metadata(w))
		ret = -1;
	if (w->failed)
		ret = -1;
	for (size_t i = 0; i < w->ncls; i++) {
		for (unsigned j = 0; j < w->cls[i].nfields; j++)
			free(w->cls[i].fnames[j]);
		free(w->cls[i].fnames);
		free(w->cls[i].ftypes);
		free(w->cls[i].name);
	}
	free(w->cls);
	free(w->st);
	free(w->clock_block);
	free(w->domain);
	free(w->dir);
	free(w);
	return ret;
}

char *ctf_clock_block_from_tsdl(const char *tsdl)
{
	const char *p = tsdl;

	while ((p = strstr(p, "clock"))) {
		const char *q = p + 5;

		/* a "clock {" block, not "clock.monotonic.value" */
		if ((p == tsdl || p[-1] == '\n' || p[-1] == ' ' ||
		     p[-1] == '\t' || p[-1] == ';' || p[-1] == '}')) {
			while (*q == ' ' || *q == '\t' || *q == '\n')
				q++;
			if (*q == '{') {
				const char *end = strstr(q, "};");

				if (!end)
					return NULL;
				size_t n = (size_t)(end + 2 - p);
				char *out = xmalloc(n + 2);

				memcpy(out, p, n);
				out[n] = '\n';
				out[n + 1] = 0;
				return out;
			}
		}
		p += 5;
	}
	return NULL;
}

/* LTTng writes metadata as packets: 37-byte header, text, padding. */
static char *depacketize(const unsigned char *buf, size_t len)
{
	size_t off = 0, n = 0;
	char *out = xmalloc(len + 1);

	while (off + 37 <= len) {
		uint32_t magic, content, packet;

		memcpy(&magic, buf + off, 4);
		if (magic != 0x75d11d57u)
			break;
		memcpy(&content, buf + off + 24, 4);
		memcpy(&packet, buf + off + 28, 4);
		content /= 8;
		packet /= 8;
		if (content < 37 || packet < content || off + content > len)
			break;
		memcpy(out + n, buf + off + 37, content - 37);
		n += content - 37;
		off += packet;
	}
	out[n] = 0;
	return out;
}

static char *find_metadata(const char *dir, const char *skip, int depth)
{
	char path[4096];
	struct stat st;
	DIR *d;
	struct dirent *de;
	char *found = NULL;

	if (depth > 8 || (skip && !strcmp(dir, skip)))
		return NULL;
	snprintf(path, sizeof(path), "%s/metadata", dir);
	if (!stat(path, &st) && S_ISREG(st.st_mode))
		return xstrdup(path);
	d = opendir(dir);
	if (!d)
		return NULL;
	while (!found && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (!stat(path, &st) && S_ISDIR(st.st_mode))
			found = find_metadata(path, skip, depth + 1);
	}
	closedir(d);
	return found;
}

char *ctf_find_clock_block(const char *root, const char *skip_dir)
{
	char *path = find_metadata(root, skip_dir, 0);
	char *raw, *text, *blk;
	size_t len;

	if (!path)
		return NULL;
	raw = read_small_file(path, &len);
	free(path);
	if (!raw)
		return NULL;
	if (len >= 4 && *(uint32_t *)(void *)raw == 0x75d11d57u)
		text = depacketize((unsigned char *)raw, len);
	else
		text = xstrdup(raw);
	free(raw);
	blk = ctf_clock_block_from_tsdl(text);
	free(text);
	return blk;
}
