// SPDX-License-Identifier: GPL-2.0
/*
 * Trace reader: one src.ctf.fs per directory holding a CTF "metadata" file
 * (the component does not recurse), all muxed by utils.muxer into a simple
 * sink that converts each event into a struct ck_event. Per event class
 * the field layout is computed once; per event only integer (and string)
 * payload members are read, by index. No text formatting.
 */
#include <babeltrace2/babeltrace.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "checker/checker.h"
#include "common/util.h"

struct cls_cache {
	const bt_event_class *bec;
	const struct ck_class *cls;
	bool ust;
	bool has_clock;
	uint64_t freq;	 /* 1e9: raw value is ns */
	int ctx_tid;	 /* common-context member index of vtid/tid, or -1 */
	int spec_tid;	 /* specific-context member index, or -1 */
	int payload_tid; /* payload member (class slot FK_TID), or -1 */
};

struct strm {
	const bt_stream *bs;
	uint32_t idx;
};

struct reader {
	struct ck_classes *cc;
	ck_event_fn fn;
	void *arg;
	struct ck_read_stats *st;
	struct cls_cache *cache; /* open addressing on bec */
	size_t ncache, cachecap;
	struct strm *strm;
	size_t nstrm, strmcap;
	bool stop;
	int err;
};

static size_t ptr_hash(const void *p, size_t cap)
{
	return (size_t)(((uintptr_t)p * 0x9e3779b97f4a7c15ull) >> 24) &
	       (cap - 1);
}

static int member_index(const bt_field_class *sfc, const char *a, const char *b)
{
	uint64_t i, n;

	if (!sfc ||
	    bt_field_class_get_type(sfc) != BT_FIELD_CLASS_TYPE_STRUCTURE)
		return -1;
	n = bt_field_class_structure_get_member_count(sfc);
	for (i = 0; i < n; i++) {
		const bt_field_class_structure_member *m =
			bt_field_class_structure_borrow_member_by_index_const(
				sfc, i);
		const char *name = bt_field_class_structure_member_get_name(m);
		const bt_field_class *fc =
			bt_field_class_structure_member_borrow_field_class_const(
				m);

		if (!bt_field_class_type_is(bt_field_class_get_type(fc),
					    BT_FIELD_CLASS_TYPE_INTEGER))
			continue;
		if (!strcmp(name, a) || (b && !strcmp(name, b)))
			return (int)i;
	}
	return -1;
}

static void build_class(struct reader *rd, struct cls_cache *c,
			const bt_event *ev)
{
	const bt_event_class *bec = bt_event_borrow_class_const(ev);
	const bt_stream_class *sc =
		bt_event_class_borrow_stream_class_const(bec);
	const bt_clock_class *clk =
		bt_stream_class_borrow_default_clock_class_const(sc);
	const bt_field_class *pfc =
		bt_event_class_borrow_payload_field_class_const(bec);
	const char *names[CK_MAX_FIELDS];
	uint8_t types[CK_MAX_FIELDS];
	const char *name = bt_event_class_get_name(bec);
	unsigned n = 0;
	uint64_t i, cnt;

	if (!name)
		name = "?";
	cnt = pfc ? bt_field_class_structure_get_member_count(pfc) : 0;
	for (i = 0; i < cnt && n < CK_MAX_FIELDS; i++) {
		const bt_field_class_structure_member *m =
			bt_field_class_structure_borrow_member_by_index_const(
				pfc, i);
		const bt_field_class *fc =
			bt_field_class_structure_member_borrow_field_class_const(
				m);
		bt_field_class_type t = bt_field_class_get_type(fc);

		names[n] = bt_field_class_structure_member_get_name(m);
		if (bt_field_class_type_is(t,
					   BT_FIELD_CLASS_TYPE_SIGNED_INTEGER))
			types[n] = CKF_S64;
		else if (bt_field_class_type_is(t,
						BT_FIELD_CLASS_TYPE_INTEGER) ||
			 t == BT_FIELD_CLASS_TYPE_BOOL)
			types[n] = CKF_U64;
		else if (t == BT_FIELD_CLASS_TYPE_STRING)
			types[n] = CKF_STR;
		else
			types[n] = CKF_OTHER;
		n++;
	}
	c->bec = bec;
	c->cls = ck_class_intern(rd->cc, name, n, names, types);
	c->ust = !strncmp(name, "iorace:", 7);
	c->has_clock = clk != NULL;
	c->freq = clk ? bt_clock_class_get_frequency(clk) : 1000000000ull;
	c->ctx_tid = member_index(
		bt_stream_class_borrow_event_common_context_field_class_const(
			sc),
		"vtid", "tid");
	c->spec_tid = member_index(
		bt_event_class_borrow_specific_context_field_class_const(bec),
		"vtid", "tid");
	c->payload_tid = c->cls->slot[FK_TID];
}

static struct cls_cache *class_of(struct reader *rd, const bt_event *ev)
{
	const bt_event_class *bec = bt_event_borrow_class_const(ev);
	size_t i;

	if (rd->cachecap) {
		for (i = ptr_hash(bec, rd->cachecap); rd->cache[i].bec;
		     i = (i + 1) & (rd->cachecap - 1))
			if (rd->cache[i].bec == bec)
				return &rd->cache[i];
	}
	if ((rd->ncache + 1) * 2 > rd->cachecap) {
		struct cls_cache *old = rd->cache;
		size_t oc = rd->cachecap, j;

		rd->cachecap = oc ? oc * 2 : 64;
		rd->cache = xcalloc(rd->cachecap, sizeof(*rd->cache));
		for (j = 0; j < oc; j++) {
			if (!old[j].bec)
				continue;
			for (i = ptr_hash(old[j].bec, rd->cachecap);
			     rd->cache[i].bec; i = (i + 1) & (rd->cachecap - 1))
				;
			rd->cache[i] = old[j];
		}
		free(old);
	}
	for (i = ptr_hash(bec, rd->cachecap); rd->cache[i].bec;
	     i = (i + 1) & (rd->cachecap - 1))
		;
	build_class(rd, &rd->cache[i], ev);
	rd->ncache++;
	return &rd->cache[i];
}

static uint32_t stream_index(struct reader *rd, const bt_stream *bs)
{
	size_t i;

	/* few streams, and consecutive events mostly share one */
	for (i = rd->nstrm; i--;)
		if (rd->strm[i].bs == bs)
			return rd->strm[i].idx;
	grow_array((void **)&rd->strm, &rd->strmcap, rd->nstrm + 1,
		   sizeof(*rd->strm));
	rd->strm[rd->nstrm] = (struct strm){ bs, (uint32_t)rd->nstrm };
	return (uint32_t)rd->nstrm++;
}

static int64_t int_member(const bt_field *sf, int idx)
{
	const bt_field *f;

	if (!sf || idx < 0)
		return -1;
	f = bt_field_structure_borrow_member_field_by_index_const(
		sf, (uint64_t)idx);
	if (bt_field_class_type_is(bt_field_get_class_type(f),
				   BT_FIELD_CLASS_TYPE_SIGNED_INTEGER))
		return bt_field_integer_signed_get_value(f);
	return (int64_t)bt_field_integer_unsigned_get_value(f);
}

static int on_event(struct reader *rd, const bt_message *msg)
{
	const bt_event *bev = bt_message_event_borrow_event_const(msg);
	struct cls_cache *c = class_of(rd, bev);
	const struct ck_class *cls = c->cls;
	const bt_field *payload;
	struct ck_event ev;
	unsigned i;

	ev.cls = cls;
	ev.t = 0;
	if (c->has_clock) {
		const bt_clock_snapshot *cs =
			bt_message_event_borrow_default_clock_snapshot_const(
				msg);
		uint64_t v = bt_clock_snapshot_get_value(cs);

		ev.t = c->freq == 1000000000ull ?
			       v :
			       (uint64_t)((double)v * 1e9 / (double)c->freq);
	}
	ev.stream = stream_index(rd, bt_event_borrow_stream_const(bev));
	payload = bt_event_borrow_payload_field_const(bev);
	for (i = 0; i < cls->nfields; i++) {
		const bt_field *f;

		switch (cls->ftype[i]) {
		case CKF_U64:
			f = bt_field_structure_borrow_member_field_by_index_const(
				payload, i);
			if (bt_field_get_class_type(f) ==
			    BT_FIELD_CLASS_TYPE_BOOL)
				ev.v[i] = bt_field_bool_get_value(f);
			else
				ev.v[i] =
					bt_field_integer_unsigned_get_value(f);
			break;
		case CKF_S64:
			f = bt_field_structure_borrow_member_field_by_index_const(
				payload, i);
			ev.v[i] =
				(uint64_t)bt_field_integer_signed_get_value(f);
			break;
		case CKF_STR:
			f = bt_field_structure_borrow_member_field_by_index_const(
				payload, i);
			ev.v[i] = (uintptr_t)bt_field_string_get_value(f);
			break;
		default:
			ev.v[i] = 0;
		}
	}
	if (c->payload_tid >= 0)
		ev.tid = (int64_t)ev.v[c->payload_tid];
	else if (c->ctx_tid >= 0)
		ev.tid = int_member(
			bt_event_borrow_common_context_field_const(bev),
			c->ctx_tid);
	else if (c->spec_tid >= 0)
		ev.tid = int_member(
			bt_event_borrow_specific_context_field_const(bev),
			c->spec_tid);
	else
		ev.tid = -1;

	rd->st->events++;
	if (c->ust)
		rd->st->ust_events++;
	else
		rd->st->kernel_events++;
	return rd->fn ? rd->fn(rd->arg, &ev) : 0;
}

static bt_graph_simple_sink_component_consume_func_status
sink_consume(bt_message_iterator *it, void *data)
{
	struct reader *rd = data;
	bt_message_array_const msgs;
	uint64_t count, i, n;
	bt_message_iterator_next_status st;

	st = bt_message_iterator_next(it, &msgs, &count);
	switch (st) {
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_END:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_END;
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_AGAIN:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_AGAIN;
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_OK:
		break;
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_MEMORY_ERROR:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_MEMORY_ERROR;
	default:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_ERROR;
	}
	for (i = 0; i < count; i++) {
		const bt_message *m = msgs[i];

		if (rd->stop) {
			bt_message_put_ref(m);
			continue;
		}
		switch (bt_message_get_type(m)) {
		case BT_MESSAGE_TYPE_EVENT:
			if (on_event(rd, m))
				rd->stop = true;
			break;
		case BT_MESSAGE_TYPE_DISCARDED_EVENTS:
			rd->st->discarded_msgs++;
			if (bt_message_discarded_events_get_count(m, &n) ==
			    BT_PROPERTY_AVAILABILITY_AVAILABLE)
				rd->st->discarded_events += n;
			break;
		case BT_MESSAGE_TYPE_DISCARDED_PACKETS:
			if (bt_message_discarded_packets_get_count(m, &n) ==
				    BT_PROPERTY_AVAILABILITY_AVAILABLE &&
			    n)
				rd->st->discarded_packets += n;
			else
				rd->st->discarded_packets++;
			break;
		default:
			break;
		}
		bt_message_put_ref(m);
	}
	return rd->stop ?
		       BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_END :
		       BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_OK;
}

struct dirlist {
	char **v;
	size_t n, cap;
};

static void find_metadata(const char *dir, struct dirlist *dl, int depth)
{
	struct dirent *de;
	char path[4096];
	struct stat sb;
	DIR *d;

	if (depth > 8)
		return;
	/* lstat: symlinks are not followed (a link to a trace dir, or a loop,
	 * made `iorace check` open the same trace hundreds of times) */
	snprintf(path, sizeof(path), "%s/metadata", dir);
	if (!lstat(path, &sb) && S_ISREG(sb.st_mode)) {
		grow_array((void **)&dl->v, &dl->cap, dl->n + 1,
			   sizeof(*dl->v));
		dl->v[dl->n++] = xstrdup(dir);
	}
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (!lstat(path, &sb) && S_ISDIR(sb.st_mode))
			find_metadata(path, dl, depth + 1);
	}
	closedir(d);
}

/*
 * The kernel trace is iorace's own (trace/ctf_writer.c), which creates a
 * stream file with its first event: an empty one was cut, and src.ctf.fs
 * skips it silently, so its events would be missing from the check. An
 * empty metadata file only made src.ctf.fs fail without naming it.
 */
static int check_kernel_streams(const char *dir, char *err, size_t errlen)
{
	struct dirent *de;
	char path[4096];
	struct stat sb;
	int ret = 0;
	DIR *d;

	d = opendir(dir);
	if (!d) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (!lstat(path, &sb) && S_ISREG(sb.st_mode) && !sb.st_size) {
			snprintf(err, errlen, "%s: empty CTF %s (a cut trace)",
				 path,
				 strcmp(de->d_name, "metadata") ?
					 "stream file" :
					 "metadata");
			ret = -1;
			break;
		}
	}
	closedir(d);
	return ret;
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void bt_err(char *err, size_t errlen, const char *what)
{
	const bt_error *e = bt_current_thread_take_error();
	const char *m = NULL;

	if (e && bt_error_get_cause_count(e))
		m = bt_error_cause_get_message(bt_error_borrow_cause_by_index(
			e, bt_error_get_cause_count(e) - 1));
	snprintf(err, errlen, "%s%s%s", what, m ? ": " : "", m ? m : "");
	if (e)
		bt_error_release(e);
}

int ck_read_trace(const char *dir, struct ck_classes *cc, ck_event_fn fn,
		  void *arg, struct ck_read_stats *st, char *err, size_t errlen)
{
	const bt_plugin *ctf = NULL, *utils = NULL;
	const bt_component_class_source *fs_cls;
	const bt_component_class_filter *mux_cls;
	const bt_component_filter *mux = NULL;
	const bt_component_sink *sink = NULL;
	struct reader rd = { 0 };
	struct dirlist dl = { 0 };
	bt_graph *graph = NULL;
	bt_graph_run_status rs;
	int ret = -1;
	size_t i;

	memset(st, 0, sizeof(*st));
	find_metadata(dir, &dl, 0);
	if (!dl.n) {
		snprintf(err, errlen, "%s: no CTF trace (no metadata file)",
			 dir);
		goto out;
	}
	qsort(dl.v, dl.n, sizeof(*dl.v), cmpstr);
	st->ntraces = (unsigned)dl.n;
	for (i = 0; i < dl.n; i++) {
		const char *base = strrchr(dl.v[i], '/');

		/* RUN/trace/kernel, not any path that has "/kernel" in it */
		if (base && !strcmp(base, "/kernel") &&
		    check_kernel_streams(dl.v[i], err, errlen))
			goto out;
	}
	if (bt_plugin_find("ctf", BT_TRUE, BT_TRUE, BT_TRUE, BT_FALSE, BT_TRUE,
			   &ctf) != BT_PLUGIN_FIND_STATUS_OK ||
	    bt_plugin_find("utils", BT_TRUE, BT_TRUE, BT_TRUE, BT_FALSE,
			   BT_TRUE, &utils) != BT_PLUGIN_FIND_STATUS_OK) {
		snprintf(err, errlen,
			 "babeltrace2 plugins ctf/utils not found");
		goto out;
	}
	fs_cls = bt_plugin_borrow_source_component_class_by_name_const(ctf,
								       "fs");
	mux_cls = bt_plugin_borrow_filter_component_class_by_name_const(
		utils, "muxer");
	if (!fs_cls || !mux_cls) {
		snprintf(err, errlen, "src.ctf.fs or flt.utils.muxer missing");
		goto out;
	}
	graph = bt_graph_create(0);
	if (bt_graph_add_filter_component(graph, mux_cls, "mux", NULL,
					  BT_LOGGING_LEVEL_ERROR, &mux)) {
		bt_err(err, errlen, "cannot create muxer");
		goto out;
	}
	for (i = 0; i < dl.n; i++) {
		const bt_component_source *src;
		bt_value *params = bt_value_map_create(), *inputs;
		char name[32];
		uint64_t p, np;

		inputs = bt_value_array_create();
		bt_value_array_append_string_element(inputs, dl.v[i]);
		bt_value_map_insert_entry(params, "inputs", inputs);
		bt_value_put_ref(inputs);
		snprintf(name, sizeof(name), "src%zu", i);
		if (bt_graph_add_source_component(graph, fs_cls, name, params,
						  BT_LOGGING_LEVEL_ERROR,
						  &src)) {
			bt_value_put_ref(params);
			bt_err(err, errlen, "cannot open trace");
			goto out;
		}
		bt_value_put_ref(params);
		np = bt_component_source_get_output_port_count(src);
		for (p = 0; p < np; p++) {
			uint64_t nin =
				bt_component_filter_get_input_port_count(mux);
			const bt_port_input *in =
				bt_component_filter_borrow_input_port_by_index_const(
					mux, nin - 1);

			if (bt_graph_connect_ports(
				    graph,
				    bt_component_source_borrow_output_port_by_index_const(
					    src, p),
				    in, NULL)) {
				bt_err(err, errlen, "cannot connect trace");
				goto out;
			}
		}
	}
	rd.cc = cc;
	rd.fn = fn;
	rd.arg = arg;
	rd.st = st;
	if (bt_graph_add_simple_sink_component(graph, "ck", NULL, sink_consume,
					       NULL, &rd, &sink) ||
	    bt_graph_connect_ports(
		    graph,
		    bt_component_filter_borrow_output_port_by_index_const(mux,
									  0),
		    bt_component_sink_borrow_input_port_by_index_const(sink, 0),
		    NULL)) {
		bt_err(err, errlen, "cannot set up the sink");
		goto out;
	}
	do {
		rs = bt_graph_run(graph);
	} while (rs == BT_GRAPH_RUN_STATUS_AGAIN);
	if (rs != BT_GRAPH_RUN_STATUS_OK) {
		bt_err(err, errlen, "reading the trace failed");
		goto out;
	}
	for (i = 0; i < dl.n; i++) {
		if (strstr(dl.v[i], "/kernel"))
			st->has_kernel = true;
		else
			st->has_ust = true;
	}
	ret = 0;
out:
	bt_graph_put_ref(graph);
	bt_plugin_put_ref(ctf);
	bt_plugin_put_ref(utils);
	for (i = 0; i < dl.n; i++)
		free(dl.v[i]);
	free(dl.v);
	free(rd.cache);
	free(rd.strm);
	return ret;
}
