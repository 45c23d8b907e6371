/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iorace aio-stress: ltp's aio-stress command line (the pre-2022 getopt
 * version, "a:b:c:C:m:s:r:d:i:I:o:t:lLnhOSxvu" FILE...) turned into an
 * iorace workload text (fio job dialect, replay/workload.h).
 *
 * Facts from aio-stress's source: -s MB (k/m/g/b suffix, default 1g),
 * -r KB (default 64k), -d 64, -i 8, -C MB (2m; the option falls through
 * into -b, so it also sets max io_submit), -c contexts per file: context j
 * covers [j*C, size - j*C) with its own fd; -o sets a stage bit, stages
 * always run write, read, random write, random read (default all four);
 * -I caps the submit rounds of each stage (each round queues -i ios per
 * context); when a stage hits it the later stages do not run; without -n
 * every context fsyncs its file after each stage.
 */
#ifndef IORACE_AIOSTRESS_H
#define IORACE_AIOSTRESS_H

#include <stddef.h>

/*
 * Parse aio-stress's argv (argv[0] is skipped) plus iorace's
 * --fallocate SIZE, --racing K=V,..., --truncate-after DUR. Returns a
 * malloc'd workload text (and notes, one per line, into notes), or NULL
 * with the reason in err.
 */
char *aiostress_text(int argc, char **argv, char *notes, size_t noteslen,
		     char *err, size_t errlen);

#endif
