/*
 * vm_work.h — one unit of "the same work" for containers vs VMs.
 *
 * `virtcompare` (user/programs) runs the same work as a plain process
 * (`virtwork`), in a container group and inside the tiny guest OS in a VM
 * (user/guest/tiny.c), and compares what each way of running costs. This
 * header is the work's one definition, compiled into both sides, so the
 * columns cannot drift apart:
 *   CPU-bound:    a million increments of a volatile counter;
 *   memory-bound: a million read-modify-writes of a 64-bit word, one per
 *                 64-byte line, sweeping one 256 KiB region 256 times (64 pages:
 *                 the data cache and the TLB see every line again each sweep).
 * VM_WORK_UNITS units in all, half on each of two regions (the guest's tasks
 * A and B own one region each; virtwork alternates). Each update folds
 * the task's letter, the unit and the sweep into the word's old value (a
 * 64-bit linear congruential step: no short cycle, so no run of updates
 * cancels out), so the regions' final checksum depends on every update, in
 * order: equal checksums on two sides
 * mean the same work was done.
 * Freestanding: no library calls. OSTEP appendix B, ch. 4-6, ch. 18-20.
 */
#ifndef PRISM_LIB_VM_WORK_H
#define PRISM_LIB_VM_WORK_H

#include <stdint.h>

#define VM_WORK_UNITS 48 /* in all: 24 per region / task */
#define VM_WORK_SPINS_PER_UNIT 1000000UL
#define VM_WORK_REGION_BYTES (256UL * 1024)
#define VM_WORK_LINE_BYTES 64UL
#define VM_WORK_SWEEPS_PER_UNIT 256UL
#define VM_WORK_MULTIPLIER 6364136223846793005ULL /* Knuth's MMIX LCG multiplier */

static inline void vm_work_cpu_unit(void)
{
    for (volatile unsigned long spin = 0; spin < VM_WORK_SPINS_PER_UNIT; spin++)
        ;
}

/* The unit-th unit (counting from 0 per region) on the region of task letter. */
static inline void vm_work_memory_unit(volatile uint64_t *region, char letter, unsigned long unit)
{
    const unsigned long words_per_line = VM_WORK_LINE_BYTES / sizeof(uint64_t);
    for (unsigned long sweep = 0; sweep < VM_WORK_SWEEPS_PER_UNIT; sweep++)
        for (unsigned long line = 0; line < VM_WORK_REGION_BYTES / VM_WORK_LINE_BYTES; line++)
            region[line * words_per_line] = region[line * words_per_line] * VM_WORK_MULTIPLIER +
                                            ((uint64_t)letter << 32) + (unit << 16) + sweep;
}

/* Every line's word, weighted by its position: what the updates left. */
static inline uint64_t vm_work_checksum(const volatile uint64_t *region)
{
    const unsigned long words_per_line = VM_WORK_LINE_BYTES / sizeof(uint64_t);
    uint64_t sum = 0;
    for (unsigned long line = 0; line < VM_WORK_REGION_BYTES / VM_WORK_LINE_BYTES; line++)
        sum += (line + 1) * region[line * words_per_line];
    return sum;
}

#endif
