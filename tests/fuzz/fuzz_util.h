/* SPDX-License-Identifier: GPL-2.0 */
/* Fuzz target helpers: the input as a C string or as a file path. */
#ifndef IORACE_FUZZ_UTIL_H
#define IORACE_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* data as a NUL-terminated string (free it) */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s) {
		memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

/* data in a memfd; its /proc/self/fd path in path; the fd (close it) */
static inline int fuzz_file(const uint8_t *data, size_t size, char *path,
			    size_t len)
{
	int fd = memfd_create("fuzz", 0);

	if (fd < 0)
		return -1;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return -1;
	}
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return fd;
}

#endif
