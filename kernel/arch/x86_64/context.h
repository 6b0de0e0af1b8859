/*
 * context.h — the registers context_switch.asm saves for a process that is
 * not running: the callee-saved ones, including FP (rbp) and PC (rip); SP is
 * the address of this struct itself. OSTEP ch. 6 (Figure 6.4).
 */
#ifndef PRISM_ARCH_CONTEXT_H
#define PRISM_ARCH_CONTEXT_H

#include <stdint.h>

struct context {
    uint64_t r15, r14, r13, r12, rbx;
    uint64_t rbp; /* FP */
    uint64_t rip; /* PC: where the process continues when switched to */
};

/* Where a brand-new process starts in the kernel (context_switch.asm). */
void new_process_start(void);

#endif
