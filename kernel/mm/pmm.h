/*
 * pmm.h — the physical memory manager: hands out 4 KiB frames of RAM.
 *
 * Boot code turns the multiboot2 memory map into usable and reserved ranges
 * and calls pmm_init once; from then on page tables, user pages and the kernel
 * heap get their memory here. Every frame carries a reference count so that
 * copy-on-write pages can be shared after fork and freed by the last owner.
 * OSTEP ch. 17 (Free-Space Management) and ch. 18 (Paging: Introduction).
 */
#ifndef PRISM_KERNEL_MM_PMM_H
#define PRISM_KERNEL_MM_PMM_H

#include <stddef.h>
#include <stdint.h>

/* Physical addresses [start, end): end is the first byte not in the range. */
struct phys_range {
    uint64_t start;
    uint64_t end;
};

/*
 * Takes stock of physical memory. Usable ranges may be unaligned, unsorted and
 * overlapping; reserved ranges (kernel image, modules, boot information,
 * firmware) always win over usable ones. A frame is handed out only when all
 * 4096 of its bytes are usable and none is reserved; frame 0 never is. The
 * allocator's own bookkeeping lives in the lowest usable stretch large enough
 * to hold it (see pmm_metadata_range), reached through phys_to_virt, so the
 * direct map must cover it. Calling pmm_init again starts from scratch.
 * Returns 0, or -ENOMEM when no frame is usable or the bookkeeping cannot fit.
 */
int pmm_init(const struct phys_range *usable, size_t usable_count,
             const struct phys_range *reserved, size_t reserved_count);

/* One frame with reference count 1: its physical address, or 0 when memory is exhausted. */
uint64_t pmm_alloc(void);
/* As pmm_alloc, with the frame's 4096 bytes cleared. */
uint64_t pmm_alloc_zeroed(void);

/*
 * pmm_ref adds an owner to an allocated frame; pmm_unref drops one and frees
 * the frame when the last owner is gone (pmm_unref is how a frame is freed).
 * Both panic, naming the address, on a misaligned address, a frame that is
 * not allocatable memory, or a frame that is already free (a double free).
 */
void pmm_ref(uint64_t frame);
void pmm_unref(uint64_t frame);
/* Current owners of a frame; 0 for free, misaligned or non-allocatable addresses. */
unsigned pmm_refcount(uint64_t frame);

/* Frame numbers run from 0 to pmm_frame_span() - 1 (holes included): the
 * size of a table with one entry per frame. */
size_t pmm_frame_span(void);
/* hook(frame) runs as each frame's last owner lets it go, before it can be
 * handed out again (group memory uncharges it there); NULL: none. */
void pmm_set_free_hook(void (*hook)(uint64_t frame));

size_t pmm_free_frames(void);   /* frames pmm_alloc can still hand out */
size_t pmm_total_frames(void);  /* frames that were free right after pmm_init */
size_t pmm_shared_frames(void); /* allocated frames with more than one owner */

/* The frames holding the allocator's own bookkeeping; never handed out. */
struct phys_range pmm_metadata_range(void);

#endif
