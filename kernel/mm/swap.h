/*
 * swap.h — moving pages between memory and the swap disk.
 *
 * The swapper owns every user page that may leave memory: a private page
 * (frame reference count 1) of an address space that is running is
 * "tracked" — it sits in a replacement set and has a frame record saying
 * whose page it is. Before the kernel gives a user page a frame it calls
 * swap_make_room: if free frames fell below the low watermark, or a set is
 * at its frame limit (userframes=N, or pageref's private limit), the
 * replacement policy picks a tracked page, whose entry becomes a swap entry
 * (swap_entry.h) while the frame is written to a free slot. A fault on a
 * swap entry is a major fault: swap_page_in reads the slot back into a new
 * frame while the process sleeps.
 * What is never evicted, and why: kernel frames (page tables, kernel heap
 * and stacks) are never tracked; frames shared copy-on-write after fork are
 * pinned — untracked while shared, tracked again by whoever gets them
 * privately (its write fault copies or reclaims them) — so an eviction
 * never has to find and update several page tables; pages of an address
 * space that exec is still building are pinned until swap_adopt.
 * Demand-zero pages that were never touched have no frame and no slot.
 * OSTEP ch. 21 (Swapping: Mechanisms), ch. 22 (Policies).
 */
#ifndef PRISM_KERNEL_MM_SWAP_H
#define PRISM_KERNEL_MM_SWAP_H

#include "kernel/mm/address_space.h"
#include "kernel/mm/vm_fault.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct replace_policy;

#define SWAP_MIN_USER_FRAMES 24      /* below this init and the shell cannot make progress */
#define SWAP_MIN_SLOTS 256           /* a smaller disk (under 1 MiB) is not worth using */
#define SWAP_LOW_WATERMARK_FRAMES 64 /* kept free for page tables, kernel heap and stacks */

/* Finds the disk, sizes the slot table, picks the policy; prints one line.
 * user_frames 0 = no limit; policy_name NULL = clock. */
void swap_init(uint64_t physical_end, long user_frames, const char *policy_name);
bool swap_enabled(void);
size_t swap_total_slots(void); /* 0 when swap is off */

/* Before a user page gets a frame: evict until there is room. 0, or
 * -ENOSPC when eviction was needed and swap is full (the fault fails). */
int swap_make_room(struct address_space *as);

/* A private frame now mapped at `address` of `as`: make it evictable.
 * swap_untrack: the frame is being unmapped or becoming shared. */
void swap_track(struct address_space *as, uint64_t address, uint64_t frame);
void swap_untrack(uint64_t frame);

/* exec finished building `as`: from now on its pages may leave memory. */
void swap_adopt(struct address_space *as);
/* as is being destroyed (its entries already released). */
void swap_forget_space(struct address_space *as);

/* A fault on a swap entry: read the page back (the caller sleeps). This is
 * vm_fault's handler for non-present, non-zero entries (vm_fault.h). */
struct vm_fault_outcome swap_page_in(struct address_space *as, uint64_t page, uint64_t *entry,
                                     enum vm_access access);

/* An entry naming a slot is gone (exit, exec, sbrk) or copied (fork). */
void swap_release_entry(uint64_t entry);
void swap_share_entry(uint64_t entry);

/* Pages of [start, end) of `as` that are out on the swap disk now. */
size_t swap_swapped_pages(struct address_space *as, uint64_t start, uint64_t end);

/* One timer tick: lets an aging policy sample accessed bits. */
void swap_timer_tick(void);

/* Faults as vmstat counts them. */
void swap_count_minor_fault(void);

struct swap_stats;
void swap_fill_stats(struct swap_stats *out);

const struct replace_policy *swap_policy(void);
void swap_set_policy(const struct replace_policy *policy);
/* A private frame limit for `as` (pageref): 0 removes it. -EBUSY if all
 * private sets are taken, -ENODEV without swap. */
int swap_set_local_limit(struct address_space *as, size_t frames);

#endif
