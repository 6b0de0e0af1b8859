/*
 * syscall.h — the system-call table: from a number in rax to a kernel function.
 * OSTEP ch. 6 (Limited Direct Execution: system calls).
 */
#ifndef PRISM_KERNEL_SYSCALL_SYSCALL_H
#define PRISM_KERNEL_SYSCALL_SYSCALL_H

#include <stdint.h>

struct trap_frame;

typedef long (*syscall_handler)(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                                uint64_t a5);

/* Called by syscall_entry.asm with the caller's registers. */
void syscall_dispatch(struct trap_frame *frame);

#endif
