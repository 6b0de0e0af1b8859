/*
 * kernel_stack.h — each process's kernel stack, with a guard page below it.
 * OSTEP ch. 6: every process has a kernel stack the CPU switches to on a trap.
 */
#ifndef PRISM_KERNEL_PROC_KERNEL_STACK_H
#define PRISM_KERNEL_PROC_KERNEL_STACK_H

#include <stdint.h>

#define KERNEL_STACK_SIZE (16 * 1024)

/* Maps a fresh stack; returns its top (highest address) or 0 when out of
 * memory or slots. */
uint64_t kernel_stack_alloc(void);
void kernel_stack_free(uint64_t top);

#endif
