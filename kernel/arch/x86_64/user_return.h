/*
 * user_return.h — the way back to user mode: sysret or iretq, and the
 * checks that keep a bad return address from faulting inside the kernel.
 * OSTEP ch. 6 (Limited Direct Execution: return-from-trap).
 */
#ifndef PRISM_ARCH_USER_RETURN_H
#define PRISM_ARCH_USER_RETURN_H

#include <stdint.h>

struct trap_frame;

/* SYS_setcontext: the process continues with exactly the registers in
 * *context (struct user_context): a crafted return, like sigreturn. */
long sys_setcontext(uint64_t context, uint64_t unused1, uint64_t unused2, uint64_t unused3,
                    uint64_t unused4, uint64_t unused5);

/* Called by trap_entry.asm when a frame about to go back to ring 3 has a
 * rip outside the user half or a non-canonical rsp: kills the process with
 * a one-line report instead of letting iretq fault in ring 0. */
__attribute__((noreturn)) void user_return_refused(struct trap_frame *frame);

#endif
