/*
 * Hand-built checker histories for the unit tests: ev(t, name, "field",
 * value, ..., NULL) feeds one event to the session ses ("rwbs" takes a
 * string; UST events get seq and tid), submit() and complete() an op.
 * Include once, after defining TID (the submitting thread) and INO.
 */
#ifndef IORACE_TESTS_CK_HISTORY_H
#define IORACE_TESTS_CK_HISTORY_H

static struct ck_classes *cc;
static struct ck_session *ses;
static uint64_t seq;

static void ev(uint64_t t, const char *name, ...)
{
	const char *names[CK_MAX_FIELDS];
	uint8_t types[CK_MAX_FIELDS];
	struct ck_event e = { 0 };
	unsigned n = 0;
	bool ust = !strncmp(name, "iorace:", 7);
	const char *k;
	va_list ap;

	if (ust) {
		names[n] = "seq";
		types[n] = CKF_U64;
		e.v[n++] = seq++;
	}
	va_start(ap, name);
	while ((k = va_arg(ap, const char *))) {
		names[n] = k;
		if (!strcmp(k, "rwbs")) {
			types[n] = CKF_STR;
			e.v[n++] =
				(uint64_t)(uintptr_t)va_arg(ap, const char *);
			continue;
		}
		types[n] = ust ? CKF_U64 : CKF_S64;
		e.v[n++] = (uint64_t)va_arg(ap, int64_t);
	}
	va_end(ap);
	if (ust) {
		names[n] = "tid";
		types[n] = CKF_U64;
		e.v[n++] = TID;
	}
	e.cls = ck_class_intern(cc, name, n, names, types);
	e.t = t;
	e.tid = ck_has(&e, FK_TID) ? (int64_t)ck_u(&e, FK_TID) : -1;
	ck_session_event(ses, &e);
}

#define I(x) ((int64_t)(x))

static void submit(uint64_t t, uint64_t id, int kind, uint64_t off,
		   uint64_t len)
{
	ev(t, "iorace:op_submit", "id", I(id), "kind", I(kind), "file", I(0),
	   "inode", I(INO), "off", I(off), "len", I(len), "flags",
	   I(kind == OP_WRITE ? OPF_DIRECT : 0), "t", I(t), NULL);
}

static void complete(uint64_t t, uint64_t id, int kind, int64_t res)
{
	ev(t, "iorace:op_complete", "id", I(id), "kind", I(kind), "res", I(res),
	   "t", I(t), NULL);
}

#endif
