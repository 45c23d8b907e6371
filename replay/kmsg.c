// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel log since the run started: /dev/kmsg opened at the start and
 * seeked to its end, drained at the end. Lines that show the kernel itself
 * went wrong are KERNEL findings.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/util.h"
#include "replay/run_internal.h"

static const char *const patterns[] = {
	"BUG:",
	"kernel BUG",
	"WARNING:",
	"EXT4-fs error",
	"EXT4-fs warning",
	"blocked for more than",
	"Oops",
	"general protection fault",
	"JBD2: ",
	"I/O error",
};

int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

unsigned kmsg_scan(int fd, const char *log_path, struct findings *fl)
{
	char rec[8192];
	FILE *log = NULL;
	unsigned matches = 0;

	if (fd < 0)
		return 0;
	if (log_path)
		log = fopen(log_path, "a");
	for (;;) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);
		char *text;

		if (n < 0 && errno == EPIPE)
			continue; /* overwritten records: keep reading */
		if (n <= 0)
			break;
		rec[n] = '\0';
		text = strchr(rec, ';');
		text = text ? text + 1 : rec;
		if (log)
			fputs(text, log);
		for (size_t i = 0; i < ARRAY_SIZE(patterns); i++) {
			struct finding f = { .cls = F_KERNEL };
			char *nl;

			if (!strstr(text, patterns[i]))
				continue;
			/* I/O errors are only findings on loop devices */
			if (!strcmp(patterns[i], "I/O error") &&
			    !strstr(text, "loop"))
				continue;
			snprintf(f.expected, sizeof(f.expected),
				 "no '%s' in the kernel log", patterns[i]);
			snprintf(f.seen, sizeof(f.seen), "%.*s",
				 (int)sizeof(f.seen) - 1, text);
			nl = strchr(f.seen, '\n');
			if (nl)
				*nl = '\0';
			findings_add(fl, &f);
			matches++;
			break;
		}
	}
	if (log)
		fclose(log);
	return matches;
}
