/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one list of kernel events iorace records. The recorder (tracefs in
 * trace/kernel.c, lttng-modules in trace/trace.c) enables exactly these,
 * and the checker (checker/checker.h) derives its event ids EV_<ID> and
 * names from the same list, so an event the checker reads is always one
 * the recorder asked for (tests/unit/test_kevents.c pins it).
 *
 * X(SYSTEM, NAME, ID): tracefs system, event name (tracefs and
 * lttng-modules spell them alike), checker id suffix.
 */
#ifndef IORACE_TRACE_KEVENTS_H
#define IORACE_TRACE_KEVENTS_H

#include <stddef.h>

#define TR_KEVENTS(X)                                                         \
	X(ext4, ext4_ext_handle_unwritten_extents, EXT4_HANDLE_UNWRITTEN)     \
	X(ext4, ext4_ext_convert_to_initialized_enter,                        \
	  EXT4_CONVERT_INIT_ENTER)                                            \
	X(ext4, ext4_ext_convert_to_initialized_fastpath,                     \
	  EXT4_CONVERT_INIT_FASTPATH)                                         \
	X(ext4, ext4_ext_map_blocks_enter, EXT4_MAP_BLOCKS_ENTER)             \
	X(ext4, ext4_ext_map_blocks_exit, EXT4_MAP_BLOCKS_EXIT)               \
	X(ext4, ext4_truncate_enter, EXT4_TRUNCATE_ENTER)                     \
	X(ext4, ext4_truncate_exit, EXT4_TRUNCATE_EXIT)                       \
	/* on 6.1 these five fire before the op's inode_dio_wait() */         \
	X(ext4, ext4_punch_hole, EXT4_PUNCH_HOLE)                             \
	X(ext4, ext4_zero_range, EXT4_ZERO_RANGE)                             \
	X(ext4, ext4_collapse_range, EXT4_COLLAPSE_RANGE)                     \
	X(ext4, ext4_insert_range, EXT4_INSERT_RANGE)                         \
	X(ext4, ext4_fallocate_enter, EXT4_FALLOCATE_ENTER)                   \
	X(ext4, ext4_fallocate_exit, EXT4_FALLOCATE_EXIT)                     \
	/* after inode_dio_wait(): truncate, punch and collapse remove */     \
	X(ext4, ext4_ext_remove_space, EXT4_REMOVE_SPACE)                     \
	X(ext4, ext4_ext_remove_space_done, EXT4_REMOVE_SPACE_DONE)           \
	/* insert_range drops the shifted extents' cache after its wait */    \
	X(ext4, ext4_es_remove_extent, EXT4_ES_REMOVE_EXTENT)                 \
	X(ext4, ext4_sync_file_enter, EXT4_SYNC_FILE_ENTER)                   \
	X(ext4, ext4_sync_file_exit, EXT4_SYNC_FILE_EXIT)                     \
	X(ext4, ext4_fc_commit_start, EXT4_FC_COMMIT_START)                   \
	X(ext4, ext4_fc_commit_stop, EXT4_FC_COMMIT_STOP)                     \
	X(iomap, iomap_dio_rw_begin, IOMAP_DIO_RW_BEGIN)                      \
	X(iomap, iomap_dio_complete, IOMAP_DIO_COMPLETE)                      \
	X(jbd2, jbd2_start_commit, JBD2_START_COMMIT)                         \
	X(jbd2, jbd2_commit_locking, JBD2_COMMIT_LOCKING)                     \
	X(jbd2, jbd2_commit_flushing, JBD2_COMMIT_FLUSHING)                   \
	X(jbd2, jbd2_commit_logging, JBD2_COMMIT_LOGGING)                     \
	/* just before j_commit_sequence moves: a waiter may return before */ \
	/* jbd2_end_commit is traced */                                       \
	X(jbd2, jbd2_run_stats, JBD2_RUN_STATS)                               \
	X(jbd2, jbd2_end_commit, JBD2_END_COMMIT)                             \
	X(block, block_rq_issue, BLOCK_RQ_ISSUE)                              \
	X(block, block_rq_complete, BLOCK_RQ_COMPLETE)

struct tr_kevent {
	const char *sys, *name;
};

extern const struct tr_kevent tr_kevents[];
extern const size_t tr_nkevents;

/* "a,b,c": every event name, comma-separated (static storage). */
const char *tr_kevent_list(void);

#endif
