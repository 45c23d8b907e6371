/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The trace checker: reads a run directory's trace (LTTng-UST "iorace"
 * events plus kernel events, all on CLOCK_MONOTONIC ns), re-runs the oracle
 * from the trace alone and evaluates invariants (one file each).
 *
 * Events are converted into a compact struct ck_event: its class gives the
 * name and the field names; values are 64-bit integers (strings are
 * borrowed pointers stored in the same slots, valid only during the
 * callback). Well-known events get an id (enum ck_evid) and well-known
 * fields a key (enum ck_fkey), so invariants never compare strings per
 * event.
 */
#ifndef IORACE_CHECKER_H
#define IORACE_CHECKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/findings.h"
#include "model/oracle.h"
#include "trace/kevents.h"

struct json_object;

enum ck_evid {
	EV_UNKNOWN,
	/* provider iorace */
	EV_RUN_INFO,
	EV_FILE_INFO,
	EV_PHASE,
	EV_OP_SUBMIT,
	EV_OP_COMPLETE,
	EV_READ_RUN,
	EV_INJECT,
	EV_WATCHDOG,
// clang-format off
	/*
	 * kernel: the recorder's table, trace/kevents.h (not clang-formatted:
	 * it cannot see that the X-macro expands to enumerators)
	 */
#define CK_KEV_ID(sys, name, id) EV_##id,
	TR_KEVENTS(CK_KEV_ID)
#undef CK_KEV_ID
	EV_KERNEL_STATS, /* iorace_kernel_stats: per-CPU lost counts */
	// clang-format on
	EV_NKNOWN,
};
#define EV_FIRST_KERNEL EV_EXT4_HANDLE_UNWRITTEN

enum ck_fkey {
	FK_ID,
	FK_KIND,
	FK_FILE,
	FK_INODE,
	FK_OFF,
	FK_LEN,
	FK_FLAGS,
	FK_T,
	FK_RES,
	FK_SECTOR,
	FK_NSECT,
	FK_CLS,
	FK_FILE_SEEN,
	FK_GEN,
	FK_SECTOR_SEEN,
	FK_SEQ,
	FK_SEED,
	FK_NFILES,
	FK_INITIAL_SIZE,
	FK_PHASE,
	FK_BEGIN,
	FK_TID,
	FK_DEV,
	FK_INO,
	FK_LBLK,
	FK_PBLK,
	FK_M_LBLK,
	FK_M_LEN,
	FK_U_LBLK,
	FK_U_LEN,
	FK_MFLAGS,
	FK_OFFSET,
	FK_MODE,
	FK_POS,
	FK_COUNT,
	FK_RET,
	FK_ERROR,
	FK_KI_FLAGS,
	FK_TRANSACTION,
	FK_NR_SECTOR,
	FK_LOST,
	FK_BLOCKSIZE,
	FK_START,
	FK_END,
	FK_RWBS,
	FK_NKEYS,
};

enum ck_ftype { CKF_U64, CKF_S64, CKF_STR, CKF_OTHER };

#define CK_MAX_FIELDS 24

struct ck_class {
	char *name; /* as in the trace, e.g. "iorace:op_submit" */
	enum ck_evid id;
	unsigned nfields;
	char *fname[CK_MAX_FIELDS];
	uint8_t ftype[CK_MAX_FIELDS];
	int8_t slot[FK_NKEYS]; /* field index of each key, or -1 */
};

struct ck_event {
	const struct ck_class *cls;
	uint64_t t;	 /* raw clock value: CLOCK_MONOTONIC ns */
	int64_t tid;	 /* vtid/tid context or payload, -1 when unknown */
	uint32_t stream; /* reader-assigned stream index */
	uint64_t v[CK_MAX_FIELDS];
};

/* Class registry: interns classes by name + field list. */
struct ck_classes;
struct ck_classes *ck_classes_new(void);
void ck_classes_free(struct ck_classes *cc);
const struct ck_class *ck_class_intern(struct ck_classes *cc, const char *name,
				       unsigned nfields,
				       const char *const *fnames,
				       const uint8_t *ftypes);
enum ck_evid ck_evid_from_name(const char *name);
const char *ck_evid_name(enum ck_evid id);
const char *ck_fkey_name(enum ck_fkey k);

static inline bool ck_has(const struct ck_event *ev, enum ck_fkey k)
{
	return ev->cls->slot[k] >= 0;
}

static inline uint64_t ck_u(const struct ck_event *ev, enum ck_fkey k)
{
	int s = ev->cls->slot[k];

	return s >= 0 ? ev->v[s] : 0;
}

static inline int64_t ck_s(const struct ck_event *ev, enum ck_fkey k)
{
	return (int64_t)ck_u(ev, k);
}

static inline enum ck_evid ck_id(const struct ck_event *ev)
{
	return ev->cls->id;
}

/* Format "name {f=v, ...}" into buf (strings of copied events print "?"). */
void ck_event_format(const struct ck_event *ev, char *buf, size_t len);
/* Copy an event so it outlives the callback (string fields are dropped). */
void ck_event_copy(struct ck_event *dst, const struct ck_event *src);

/* --- reader ----------------------------------------------------------- */

struct ck_read_stats {
	uint64_t events;
	uint64_t ust_events, kernel_events;
	uint64_t discarded_events;  /* sum of known counts */
	uint64_t discarded_msgs;    /* discarded-events messages */
	uint64_t discarded_packets; /* sum of known counts + messages */
	unsigned ntraces;	    /* dirs with a metadata file */
	bool has_ust, has_kernel;
};

typedef int (*ck_event_fn)(void *arg, const struct ck_event *ev);

/*
 * Read every CTF trace under dir (each subdirectory holding a "metadata"
 * file), muxed in time order, calling fn for each event (a non-zero return
 * stops). Returns 0, or -1 with a message in err.
 */
int ck_read_trace(const char *dir, struct ck_classes *cc, ck_event_fn fn,
		  void *arg, struct ck_read_stats *st, char *err,
		  size_t errlen);

/* --- checking --------------------------------------------------------- */

enum ck_status { CK_PASS, CK_FAIL, CK_INCONCLUSIVE, CK_NA };
const char *ck_status_name(enum ck_status s);
int ck_status_from_name(const char *s);

#define CK_MAX_EVIDENCE 20
#define CK_CITE_MAX	6

struct ck_cite {
	uint64_t t;
	char text[320]; /* "name {fields}" */
};

struct ck_evidence {
	char what[256];
	unsigned ncite;
	struct ck_cite cite[CK_CITE_MAX];
};

struct ck_inv_result {
	const char *name;
	const char *description;
	enum ck_status status;
	uint64_t checked, failed, skipped;
	char note[256];
	unsigned nev;
	struct ck_evidence ev[CK_MAX_EVIDENCE];
};

/* Per-op facts the dispatcher keeps for every invariant. */
struct ck_op {
	uint64_t id;
	int kind; /* enum op_kind */
	uint32_t file;
	uint32_t flags;
	uint64_t inode;
	uint64_t off, len;
	uint64_t t_submit, t_complete; /* t fields; t_complete 0 = never */
	int64_t res;
	uint64_t ev_t_submit, ev_t_complete; /* trace timestamps */
	bool completed;
	bool used; /* table slot in use */
};

/* Cite an op's submission (complete=false) or completion as evidence. */
void ck_op_cite(struct ck_evidence *e, const struct ck_op *op, bool complete);

struct ck_ctx {
	/* run_info / file_info */
	uint64_t seed;
	unsigned nfiles;
	uint64_t *initial_size; /* nfiles */
	uint64_t *inode;	/* nfiles */
	bool have_run_info;
	char workload[64];
	/*
	 * ext4 block size: a run_info/file_info field "blocksize" when the
	 * recorder has one, else inferred from an iomap_dio_rw_begin pos and
	 * the ext4_ext_map_blocks_enter lblk that follows it in one thread;
	 * 4096 until known.
	 */
	uint32_t blocksize;
	bool blocksize_known;
	/* the scratch fs's dev_t as the kernel encodes it; 0 = unknown */
	uint64_t dev;
	/* op table (open addressing on id) */
	struct ck_op *ops;
	size_t nops, ops_cap;
	/* kernel event ids present in the trace / declared missing */
	bool kseen[EV_NKNOWN];
	bool kmissing[EV_NKNOWN];
	bool kernel_trace; /* any kernel trace dir present */
	bool ust_complete, kernel_complete;
	struct ck_read_stats rs;
	uint64_t seq_gaps;
	uint64_t kernel_lost; /* from trace/kernel-lost.txt if present */
	/* findings from the trace oracle */
	struct findings findings;
	uint64_t reads_checked, sectors_verified;
};

struct ck_ctx *ck_ctx_new(void);
void ck_ctx_free(struct ck_ctx *ctx);
struct ck_op *ck_op_find(struct ck_ctx *ctx, uint64_t id);
/* File index of an inode, or -1. */
int ck_file_of_inode(const struct ck_ctx *ctx, uint64_t ino);
/* True when ev is a kernel event on the scratch fs (dev matches if known). */
bool ck_kernel_dev_ok(const struct ck_ctx *ctx, const struct ck_event *ev);

struct ck_inv_ops {
	const char *name;
	const char *description;
	bool kernel; /* needs kernel events */
	/* r stays valid for the session: record failures as they happen */
	void *(*init)(struct ck_ctx *ctx, struct ck_inv_result *r);
	void (*event)(void *st, struct ck_ctx *ctx, const struct ck_event *ev);
	/* set r->status (and note) */
	void (*finish)(void *st, struct ck_ctx *ctx, struct ck_inv_result *r);
	void (*free)(void *st);
};

/*
 * The invariant table, in report order: X(ops symbol suffix). The array
 * ck_invariants (session.c) and CK_NINV both derive from it.
 */
#define CK_INVARIANTS(X) \
	X(oracle)        \
	X(conversion)    \
	X(extent_wait)   \
	X(sync_commit)   \
	X(completeness)

#define CK_INV_DECL(n) extern const struct ck_inv_ops inv_##n##_ops;
CK_INVARIANTS(CK_INV_DECL)
#undef CK_INV_DECL
/* Invariant 3's name, and the one reports before it had (compare.c). */
#define CK_INV_EXTENT_WAIT     "extent_ops_wait_dio"
#define CK_INV_OLD_EXTENT_WAIT "truncate_waits_dio"

#define CK_INV_IDX(n) CK_INV_IDX_##n,
enum { CK_INVARIANTS(CK_INV_IDX) CK_NINV };
#undef CK_INV_IDX

/* All invariants, in report order; NULL-terminated. */
extern const struct ck_inv_ops *const ck_invariants[CK_NINV + 1];

/* Add evidence (capped at CK_MAX_EVIDENCE; failures are always counted). */
struct ck_evidence *ck_evidence_add(struct ck_inv_result *r, const char *fmt,
				    ...) __attribute__((format(printf, 2, 3)));
void ck_evidence_cite(struct ck_evidence *e, const struct ck_event *ev);

/* In-memory checker session: feed events in time order, then finish. */
struct ck_session;
struct ck_session *ck_session_new(void);
struct ck_ctx *ck_session_ctx(struct ck_session *s);
int ck_session_event(void *session, const struct ck_event *ev);
/* Finishes every invariant; results are valid until ck_session_free. */
void ck_session_finish(struct ck_session *s);
const struct ck_inv_result *ck_session_result(const struct ck_session *s,
					      unsigned i);
void ck_session_free(struct ck_session *s);

/* --- results ------------------------------------------------------------ */

#define CK_NKINDS OP_NKINDS

struct ck_latency {
	uint64_t n, p50, p99, max;
};

struct checker_result {
	char run_dir[4096];
	struct ck_read_stats rs;
	struct ck_inv_result inv[CK_NINV];
	uint64_t findings[F_NCLASSES];
	bool oracle_classes[F_NCLASSES]; /* classes the trace oracle judges */
	struct ck_latency lat[CK_NKINDS];
	uint64_t seq_gaps, kernel_lost;
	/* comparison with the online verdict (report.json) */
	bool online_present, online_agree;
	uint64_t online[F_NCLASSES];
	bool online_differs[F_NCLASSES]; /* classes compared and unequal */
	char online_msg[512];
	bool any_fail;
};

/*
 * Read and check RUN_DIR (its trace/ subdirectory). Returns 0, or -1 with a
 * message in err (bad input: no trace, unreadable trace).
 */
int checker_check_run(const char *run_dir, struct checker_result *res,
		      char *err, size_t errlen);
/*
 * Check an already-built session (tests, or callers that feed events
 * themselves) into res; computes latency from the session's op table.
 */
void checker_result_from_session(struct ck_session *s,
				 struct checker_result *res);
/* Compare with RUN_DIR/report.json when present (fills online_*). */
void checker_compare_online(const char *run_dir, struct checker_result *res);
/*
 * DISAGREE, a finding of its own: the number of finding classes whose
 * online count (report.json) differs from the trace oracle's, when the
 * trace is complete (an incomplete trace is expected to miss reads and
 * decides nothing); 0 when they agree or report.json has no findings.
 * Written as findings.DISAGREE and a top-level "disagree" object (per
 * class online vs trace) in check.json and, merged, report.json.
 */
#define CK_DISAGREE "DISAGREE"
uint64_t checker_disagree_count(const struct checker_result *res);
/* JSON in the shape compare.c reads (see there). Caller puts the object. */
struct json_object *checker_result_to_json(const struct checker_result *res);
/*
 * Merge "invariants", "latency", "trace_check" and "disagree" into the
 * report.json at path (created when missing), and findings.DISAGREE
 * (checker_disagree_count); a counted DISAGREE sets verdict "fail", exit 1.
 * 0 or -1.
 */
int checker_merge_into_report(const char *report_path,
			      const struct checker_result *res);
int checker_write_junit(const char *path, const struct checker_result *res);
int checker_write_text(const char *path, const struct checker_result *res);
/* No sequence gap, discarded event or lost kernel event. */
bool checker_trace_complete(const struct checker_result *res);
/*
 * EXIT_FINDINGS when an invariant failed, else EXIT_INCONCLUSIVE when the
 * trace is incomplete, else EXIT_FINDINGS when the trace oracle disagrees
 * with the online verdict (a DISAGREE finding), else EXIT_CLEAN.
 */
int checker_exit_status(const struct checker_result *res);
/* "pass", "fail" or "inconclusive", as checker_exit_status decides. */
const char *checker_verdict_name(const struct checker_result *res);

/* Percentile (0..100) of n sorted values. */
uint64_t ck_percentile(const uint64_t *sorted, size_t n, double pct);

/*
 * Decide a finished run again from its trace (iorace check, in-process):
 * merge the invariants and trace latencies into RUN/report.json, write
 * junit.xml and check.txt. A failed invariant or a disagreement with the
 * online verdict fails the run. Returns the new exit status given the
 * run's status; set as run_opts.check by `iorace run` and `baseline`.
 */
int checker_judge_run(const char *run_dir, int status);

struct run_opts;

/*
 * run_opts_init() plus the checker's hooks: .check = checker_judge_run,
 * .html_samples = checker_write_html_samples (`iorace run`, `baseline`).
 */
void checker_run_opts_init(struct run_opts *o);

/* `iorace check` and `iorace compare`. */
int checker_main(int argc, char **argv);
int compare_main(int argc, char **argv);

#endif
