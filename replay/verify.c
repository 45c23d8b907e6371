// SPDX-License-Identifier: GPL-2.0
/*
 * After the workload: the oracle self-test (--tamper), the full read-back
 * of every file, the final size check, and FIEMAP extent accounting.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util.h"
#include "replay/run_internal.h"
#include "model/stamp.h"
#include "trace/trace.h"

#define VERIFY_CHUNK (1u << 20)
#define TAMPER_BLOCK 4096u

/* A synchronous registered op on fd: pwrite or pread of len at off. */
static int64_t sync_io(struct run *r, int fd, uint32_t file, bool write,
		       void *buf, uint64_t off, uint32_t len, uint32_t flags,
		       uint64_t id)
{
	struct oracle_op oo = { .id = id ? id : run_new_id(r),
				.kind = write ? OP_WRITE : OP_READ,
				.file = file,
				.flags = flags,
				.off = off,
				.len = len };
	uint64_t tc;
	ssize_t n;
	int64_t res;

	pthread_mutex_lock(&r->lock);
	oo.t_submit = now_ns();
	run_op_submitted(r, &oo, oo.kind);
	pthread_mutex_unlock(&r->lock);
	atomic_store(&r->main_oldest_id, oo.id);
	atomic_store(&r->main_oldest_submit, oo.t_submit);
	n = write ? pwrite(fd, buf, len, (off_t)off) :
		    pread(fd, buf, len, (off_t)off);
	res = n < 0 ? -errno : n;
	tc = now_ns();
	atomic_store(&r->main_oldest_submit, 0);
	pthread_mutex_lock(&r->lock);
	run_op_completed(r, oo.id, oo.kind, res, oo.t_submit, tc);
	if (!write)
		run_check_read(r, oo.id, file, off, buf, res);
	pthread_mutex_unlock(&r->lock);
	if (res < 0 || (write && res != len))
		run_add_error(r, oo.id, file, off, len, oo.t_submit, tc,
			      write ? "write" : "read", res);
	if (write && res > 0)
		atomic_fetch_add(&r->bytes_written, (uint64_t)res);
	return res;
}

int verify_files(struct run *r)
{
	void *buf;
	int bad = 0;

	if (posix_memalign(&buf, 4096, VERIFY_CHUNK))
		return -1;
	for (unsigned i = 0; i < r->nfiles; i++) {
		struct run_file *f = &r->files[i];
		struct stat st;
		uint64_t off = 0;

		if (fstat(f->fd_direct, &st) < 0) {
			msg("verify: stat file %u: %s", i, strerror(errno));
			bad = -1;
			continue;
		}
		f->final_size = (uint64_t)st.st_size;
		pthread_mutex_lock(&r->lock);
		oracle_check_size(r->oracle, i, f->final_size, now_ns(),
				  &r->findings);
		pthread_mutex_unlock(&r->lock);
		while (off < f->final_size && !atomic_load(&r->stop)) {
			uint32_t len = (uint32_t)MIN((uint64_t)VERIFY_CHUNK,
						     f->final_size - off);
			int64_t res;

			len = (len + SECTOR_SIZE - 1) & ~(SECTOR_SIZE - 1);
			res = sync_io(r, f->fd_direct, i, false, buf, off, len,
				      OPF_DIRECT | OPF_VERIFY, 0);
			if (res <= 0)
				break;
			off += (uint64_t)res;
		}
	}
	free(buf);
	return bad;
}

/*
 * The oracle's self-test. For each requested kind, a registered write (two
 * for "old") lands in its own 4 KiB block of file 0; then the block is
 * rewritten behind the engine's back through a second descriptor with
 * content the oracle must reject: poison and another file's stamp (STALE),
 * zeros and the older generation (LOST), a flipped filler byte (TORN).
 */
int tamper_files(struct run *r)
{
	static const char *const names[] = { "poison", "foreign", "zeros",
					     "old", "torn" };
	char path[8192];
	void *good, *bad;
	int fd2, slot = 0;
	const uint32_t nsect = TAMPER_BLOCK / SECTOR_SIZE;

	snprintf(path, sizeof(path), "%s/f0", r->scratch.mnt);
	fd2 = open(path, O_RDWR | O_DIRECT);
	if (fd2 < 0) {
		msg("tamper: open %s: %s", path, strerror(errno));
		return -1;
	}
	if (posix_memalign(&good, 4096, TAMPER_BLOCK) ||
	    posix_memalign(&bad, 4096, TAMPER_BLOCK))
		abort();
	for (unsigned k = 0; k < ARRAY_SIZE(names); k++) {
		uint64_t off = (uint64_t)slot * 2 * TAMPER_BLOCK;
		uint64_t id1 = 0, id2 = 0;

		if (!(r->opts->tamper & (1u << k)))
			continue;
		slot++;
		/* the registered write: its stamp's gen is its op id */
		id1 = run_new_id(r);
		stamp_fill(good, 0, off >> SECTOR_SHIFT, nsect, id1,
			   r->plan.seed);
		sync_io(r, r->files[0].fd_direct, 0, true, good, off,
			TAMPER_BLOCK, OPF_DIRECT, id1);
		switch (1u << k) {
		case TAMPER_POISON:
			poison_fill(bad, off >> SECTOR_SHIFT, nsect,
				    r->plan.seed);
			break;
		case TAMPER_FOREIGN:
			stamp_fill(bad, 7, off >> SECTOR_SHIFT, nsect, id1,
				   r->plan.seed);
			break;
		case TAMPER_ZEROS:
			memset(bad, 0, TAMPER_BLOCK);
			break;
		case TAMPER_OLD:
			memcpy(bad, good, TAMPER_BLOCK);
			id2 = run_new_id(r);
			stamp_fill(good, 0, off >> SECTOR_SHIFT, nsect, id2,
				   r->plan.seed);
			sync_io(r, r->files[0].fd_direct, 0, true, good, off,
				TAMPER_BLOCK, OPF_DIRECT, id2);
			break;
		case TAMPER_TORN:
			memcpy(bad, good, TAMPER_BLOCK);
			for (uint32_t s = 0; s < nsect; s++)
				((unsigned char *)bad)[s * SECTOR_SIZE + 100] ^=
					0x5a;
			break;
		}
		if (pwrite(fd2, bad, TAMPER_BLOCK, (off_t)off) !=
		    (ssize_t)TAMPER_BLOCK) {
			msg("tamper %s: pwrite: %s", names[k], strerror(errno));
			continue;
		}
		tr_inject("tamper", names[k], off);
		msg("tamper: %s at file 0 offset %llu (ops %llu%s%llu)",
		    names[k], (unsigned long long)off, (unsigned long long)id1,
		    id2 ? ", " : "", (unsigned long long)id2);
	}
	fsync(fd2);
	close(fd2);
	free(good);
	free(bad);
	return 0;
}

void fiemap_files(struct run *r)
{
	const unsigned max = 512;
	struct fiemap *fm =
		xcalloc(1, sizeof(*fm) + max * sizeof(struct fiemap_extent));

	for (unsigned i = 0; i < r->nfiles; i++) {
		struct run_file *f = &r->files[i];
		uint64_t start = 0;

		f->extents = f->unwritten = 0;
		for (;;) {
			memset(fm, 0, sizeof(*fm));
			fm->fm_start = start;
			fm->fm_length = FIEMAP_MAX_OFFSET - start;
			fm->fm_flags = FIEMAP_FLAG_SYNC;
			fm->fm_extent_count = max;
			if (ioctl(f->fd_buffered, FS_IOC_FIEMAP, fm) < 0) {
				msg("fiemap file %u: %s", i, strerror(errno));
				break;
			}
			if (!fm->fm_mapped_extents)
				break;
			for (unsigned e = 0; e < fm->fm_mapped_extents; e++) {
				struct fiemap_extent *x = &fm->fm_extents[e];

				f->extents++;
				if (x->fe_flags & FIEMAP_EXTENT_UNWRITTEN)
					f->unwritten++;
				start = x->fe_logical + x->fe_length;
			}
			if (fm->fm_extents[fm->fm_mapped_extents - 1].fe_flags &
			    FIEMAP_EXTENT_LAST)
				break;
		}
	}
	free(fm);
}
