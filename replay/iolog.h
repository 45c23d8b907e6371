/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio iologs (read_iolog= / write_iolog=, `iorace run --iolog`,
 * `--write-iolog`): fio's trace format, versions 2 and 3, read into a plan
 * and written from one.
 *
 *   fio version 2 iolog             fio version 3 iolog
 *   NAME add|open|close             USEC NAME add|open|close
 *   NAME read|write OFF LEN         USEC NAME read|write OFF LEN
 *   NAME sync|datasync OFF LEN      USEC NAME sync|datasync OFF LEN
 *   NAME trim OFF LEN               USEC NAME trim OFF LEN
 *   NAME wait USEC LEN
 *
 * v3's first field is the time of the action in microseconds from the
 * start of the run (what fio >= 3.31 writes); v3 has no wait. Numbers are
 * decimal. Reading is stricter than fio (which skips a bad line): every
 * malformed line, unknown action, file used before its add, read or write
 * whose offset or length is not a multiple of 512 (iorace replays with
 * O_DIRECT and judges whole sectors), trim not a multiple of 4 KiB, zero
 * length, offset + length beyond 16 TiB, or more than WL_MAX_OPS ops is an
 * error "path:line: why".
 * sync/datasync take OFF LEN as fio writes them (ignored); iorace also
 * accepts them without. open and close are accepted and ignored (iorace
 * keeps its files open); timing (v3 timestamps, v2 wait) is not honoured:
 * ops run as fast as the engine allows, in order (fio's
 * replay_no_stall=1).
 *
 * Mapping: file names become f0, f1, ... in order of their add.
 * read/write -> read/write ops, sync -> fsync, datasync -> fdatasync,
 * trim -> punch (keep size; fio trims a regular file so too). Ordering:
 * the log is cut into stages at each run of sync/datasync/trim lines; a
 * run of reads and writes is one I/O stream (job 0, context = its stage,
 * up to iodepth in flight, as fio queues a log), a run of syncs/trims one
 * racing stream (job 1) executed in order once every earlier I/O has
 * completed.
 */
#ifndef IORACE_IOLOG_H
#define IORACE_IOLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "replay/plan.h"

#define IOLOG_NAME_MAX 256

struct iolog_op {
	enum op_kind kind; /* write, read, fsync, fdatasync, punch */
	uint32_t file;
	uint64_t off, len;
	int line;
};

struct iolog {
	int version;		       /* 2 or 3 */
	char (*names)[IOLOG_NAME_MAX]; /* fio file name of file i */
	unsigned nfiles;
	uint64_t *end; /* per file: largest off + len used */
	struct iolog_op *ops;
	size_t nops;
	size_t count[OP_NKINDS]; /* ops per kind */
	size_t nwait;		 /* v2 wait lines (ignored) */
};

/* Parse an iolog; -1 and "path:line: why" in err on the first error. */
int iolog_parse(const char *path, struct iolog *l, char *err, size_t errlen);
/* Same, from a string (name stands for the path in errors). */
int iolog_parse_string(const char *text, const char *name, struct iolog *l,
		       char *err, size_t errlen);
void iolog_free(struct iolog *l);

/*
 * Build the plan of an iolog (see the mapping above); direct sets
 * OPF_DIRECT on reads and writes. 0 or -1.
 */
int iolog_plan(const struct iolog *l, bool direct, uint64_t seed,
	       const char *workload, struct plan *p);

/*
 * Write a fio v2 iolog of the executed ops (all when executed is NULL), in
 * id order: every file is added and opened first, closed at the end; a
 * file is named by fnames[i] ("f<i>" when fnames is NULL or the name is
 * empty), prefixed with dir + "/" when dir is given. write, read, fsync
 * (sync), fdatasync (datasync) and punch (trim) are written; truncate,
 * fallocate, zero_range, collapse_range and insert_range have no iolog
 * action and are counted in *skipped. 0 or -1 (write error).
 */
int iolog_write(const struct plan *p, const unsigned char *executed,
		unsigned nfiles, char (*fnames)[128], const char *dir, FILE *f,
		size_t *skipped);

/*
 * The workload an iolog runs in when no WORKLOAD is given: one file per
 * iolog file, of 1 MiB (iolog_fit grows them), job 0 an io job (libaio,
 * direct, iodepth 8). A malloc'ed string.
 */
char *iolog_workload_text(const struct iolog *l, const char *path);
/*
 * Fit a workload to an iolog: -1 and err when it has fewer files than the
 * log names; grows filesize (to the largest end used, rounded up to 1 MiB)
 * and image_size (to twice the files plus 64 MiB) when they are smaller.
 * Growing the files beyond 16 GiB in all is an error (the image is
 * poisoned whole); so is exceeding workload_check_limits.
 */
int iolog_fit(const struct iolog *l, struct workload *wl, char *err,
	      size_t errlen);
/* "iolog PATH (vN): ..." op counts and the NAME -> fI mapping, to f. */
void iolog_print_mapping(const struct iolog *l, const char *path, FILE *f);

#endif
