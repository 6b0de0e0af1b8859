/*
 * group_memory.h — a group's memory limit: user frames charged to groups.
 *
 * The rule: a user frame is charged once, to the group of the address space
 * that allocated it (demand-zero, exec's loading, a copy-on-write copy, a
 * page read back from swap), for as long as the frame lives — however many
 * members share it copy-on-write after fork, and whoever drops it last.
 * The charge ends when the frame is freed (pmm calls
 * group_memory_frame_freed as its count reaches 0), so it cannot leak: a
 * group's members can only share frames among themselves (a child of a
 * member is a member), and when the last one is gone every frame it was
 * charged is free, which group_memory_close asserts. Frames a process had
 * before it joined a group stay uncharged (the root group has no limit),
 * and so do page tables and kernel memory: the limit is on user pages.
 * An allocation is reserved first (refused with -ENOMEM at the limit), then
 * committed to the frame it got, or given back if none came: a fault that
 * sleeps (swap) cannot let two members pass the limit between check and use.
 * Groups are named by id here (1 .. GROUP_MAX; 0 = root, never charged), so
 * memory code needs no group structure, and a host test drives it alone.
 * OSTEP ch. 13 and 23 (what an address space costs), Linux's memory cgroup.
 */
#ifndef PRISM_KERNEL_GROUP_GROUP_MEMORY_H
#define PRISM_KERNEL_GROUP_GROUP_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GROUP_MAX 16 /* groups besides the root; ids 1 .. GROUP_MAX */
#define GROUP_ROOT_ID 0

/* The owner table: one byte per physical frame number below frame_count
 * (zeroed by the caller). Set once, before any group has a limit. */
void group_memory_set_owner_table(uint8_t *owners, size_t frame_count);
bool group_memory_ready(void);

/* Group id starts being charged, with a limit in pages (0 = none). */
void group_memory_open(unsigned id, uint64_t limit_pages);
/* Group id ended: panics unless nothing is charged to it any more. */
void group_memory_close(unsigned id);

/* Whether id could take `pages` more frames without passing its limit. */
bool group_memory_has_room(unsigned id, uint64_t pages);
/* One frame for id: 0, or -ENOMEM at its limit. A no-op for the root. */
int group_memory_reserve(unsigned id);
/* The reserved frame came: frame (a page address) is charged to id. */
void group_memory_commit(unsigned id, uint64_t frame);
/* No frame came after all: the reservation is given back. */
void group_memory_unreserve(unsigned id);
/* frame was freed: whatever group it was charged to is uncharged. */
void group_memory_frame_freed(uint64_t frame);

uint64_t group_memory_used(unsigned id);  /* pages charged (and reserved) */
uint64_t group_memory_limit(unsigned id); /* 0 = none */

#endif
