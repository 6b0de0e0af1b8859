/*
 * cpu.h — per-CPU state: which process runs here and where its kernel stack is.
 *
 * Prism runs on one CPU today, but everything that is really per-CPU lives in
 * struct cpu from the start, so SMP adds an array, not a rewrite. The GS base
 * register points at the running CPU's struct while in the kernel (swapgs
 * exchanges it with the user's GS on every entry and exit), which is how the
 * syscall entry finds the kernel stack before it has any free register.
 * OSTEP ch. 6 (Limited Direct Execution) and ch. 10 (multiprocessor: per-CPU data).
 */
#ifndef PRISM_ARCH_CPU_H
#define PRISM_ARCH_CPU_H

#include <stdint.h>

struct proc;

struct cpu {
    struct cpu *self;            /* offset 0: lets code read its own address via gs */
    uint64_t syscall_kernel_rsp; /* offset 8: kernel stack top of the running process */
    uint64_t syscall_user_rsp;   /* offset 16: user rsp parked during syscall entry */
    struct proc *current;        /* the running process */
    struct proc *idle;           /* runs when nothing else is READY */
    int id;
};

/* Offsets used by syscall_entry.asm; keep in step with the struct above. */
#define CPU_OFFSET_KERNEL_RSP 8
#define CPU_OFFSET_USER_RSP 16

/* Sets up this CPU's struct cpu, GS base and the syscall MSRs. */
void cpu_init(void);

/* The struct cpu of the CPU running this code. In the kernel it is inline:
 * every system call asks for the running process several times, and under
 * QEMU's TCG each return from a tiny function costs a lookup of where to go
 * next. Host tests (PRISM_HOST) supply their own CPU, so there it is a call. */
#ifdef PRISM_HOST
struct cpu *cpu_this(void);
#else
extern struct cpu cpu_boot; /* the one CPU (cpu.c); with SMP each reads its own via gs:0 */
static inline struct cpu *cpu_this(void)
{
    return &cpu_boot;
}
#endif

/* Called on every switch: the stack the CPU loads on entry from user mode. */
void cpu_set_kernel_stack(uint64_t stack_top);

#endif
