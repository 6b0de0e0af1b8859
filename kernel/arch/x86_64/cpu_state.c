/*
 * cpu_state.c — saving and restoring FPU/SSE state and fs/gs per process.
 *
 * Eager, not lazy. On every switch the dispatcher calls cpu_state_switch,
 * which fxsaves the old process's x87/MMX/SSE registers into its PCB and
 * fxrstors the new one's, then does the same for the fs/gs selectors and
 * bases. The lazy alternative (set CR0.TS, restore only when a process
 * first touches the FPU and takes #NM) saves ~1 KiB of copying per switch
 * for processes that never use floating point, but OSTEP ch. 6 is explicit
 * that a context switch saves "the registers of the old process" — all of
 * them — and the lazy scheme adds a trap, an owner variable and a class of
 * leak bugs (state left live in the registers of the wrong process). With
 * user code compiled with SSE, almost every process touches xmm registers
 * anyway (memcpy, printf's varargs), so lazy would rarely save anything.
 *
 * fxsave covers what Prism enables: x87, MMX and SSE (xmm0-15, MXCSR). AVX's
 * upper halves need xsave and CR4.OSXSAVE; Prism leaves OSXSAVE clear, so
 * AVX instructions raise #UD and no state exists that fxsave would miss.
 *
 * fs and gs: the kernel never loads fs, and reaches its per-CPU data through
 * gs only after swapgs, so while in the kernel the user's fs selector and
 * base are live in the CPU, the user's gs selector is live and its base sits
 * in MSR KERNEL_GS_BASE. Loading a selector with mov overwrites the hidden
 * base, so a restore loads the selector first and writes the base after;
 * for gs that mov also clobbers the kernel's GS base, which is rewritten.
 * Rule: called with interrupts disabled (the whole kernel runs so).
 * OSTEP ch. 6 (Limited Direct Execution: the context switch).
 */
#include "kernel/arch/x86_64/cpu_state.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/arch/x86_64/msr.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/user_copy.h"
#include "kernel/panic.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/scheduler.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "lib/syscall_abi.h"

#define CR0_MP (1UL << 1) /* wait/fwait honours TS */
#define CR0_EM (1UL << 2) /* set: every x87 instruction traps (no FPU) */
#define CR0_TS (1UL << 3) /* set: next FPU use raises #NM (lazy switching) */
#define CR0_NE (1UL << 5) /* x87 errors as #MF, not the legacy IRQ 13 */
#define CR4_OSFXSR (1UL << 9)
#define CR4_OSXMMEXCPT (1UL << 10) /* SIMD exceptions as #XM, not #UD */
#define CPUID_EDX_FXSR (1U << 24)
#define CPUID_EDX_SSE2 (1U << 26)

#define FX_CONTROL_WORD 0 /* offsets in the fxsave image (Intel SDM table 10-2) */
#define FX_MXCSR 24
#define FNINIT_CONTROL_WORD 0x037f /* all x87 exceptions masked, 64-bit precision */
#define MXCSR_DEFAULT 0x1f80       /* all SIMD exceptions masked, round to nearest */

void cpu_state_enable(void)
{
    uint32_t regs[4];
    cpuid(1, 0, regs);
    if (!(regs[3] & CPUID_EDX_FXSR) || !(regs[3] & CPUID_EDX_SSE2))
        panic("cpu: no fxsave/SSE2, which every x86-64 CPU has");
    write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
    write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
}

void cpu_state_reset(struct cpu_state *state)
{
    memset(state, 0, sizeof(*state));
    uint16_t control_word = FNINIT_CONTROL_WORD;
    uint32_t mxcsr = MXCSR_DEFAULT;
    memcpy(state->fxsave_area + FX_CONTROL_WORD, &control_word, sizeof(control_word));
    memcpy(state->fxsave_area + FX_MXCSR, &mxcsr, sizeof(mxcsr));
}

static void check_alignment(const struct cpu_state *state)
{
    if ((uintptr_t)state->fxsave_area % 16 != 0)
        panic("cpu_state: fxsave area %p is not 16-byte aligned", (void *)state->fxsave_area);
}

/* The selector now in segment register `seg` ("fs" or "gs"). */
#define READ_SELECTOR(seg)                                                                         \
    ({                                                                                             \
        uint16_t selector_;                                                                        \
        __asm__ volatile("mov %%" seg ", %0" : "=r"(selector_));                                   \
        selector_;                                                                                 \
    })

void cpu_state_save_current(struct cpu_state *state)
{
    check_alignment(state);
    __asm__ volatile("fxsave64 %0" : "=m"(state->fxsave_area));
    state->fs_selector = READ_SELECTOR("fs");
    state->gs_selector = READ_SELECTOR("gs");
    state->fs_base = rdmsr(MSR_FS_BASE);
    state->gs_base = rdmsr(MSR_KERNEL_GS_BASE); /* the user's, parked by swapgs */
}

static void load(const struct cpu_state *state)
{
    check_alignment(state);
    __asm__ volatile("fxrstor64 %0" : : "m"(state->fxsave_area));
    /* Selectors first: mov into fs/gs reloads the hidden base from the GDT. */
    __asm__ volatile("mov %0, %%fs" : : "r"(state->fs_selector));
    wrmsr(MSR_FS_BASE, state->fs_base);
    __asm__ volatile("mov %0, %%gs" : : "r"(state->gs_selector));
    wrmsr(MSR_GS_BASE, (uint64_t)cpu_this()); /* the mov clobbered the kernel's */
    wrmsr(MSR_KERNEL_GS_BASE, state->gs_base);
}

void cpu_state_exec(struct proc *p)
{
    cpu_state_reset(&p->cpu_state);
    if (p == proc_current())
        load(&p->cpu_state);
}

void cpu_state_switch(struct proc *from, struct proc *to)
{
    if (from->pid != PID_IDLE)
        cpu_state_save_current(&from->cpu_state);
    if (to->pid != PID_IDLE)
        load(&to->cpu_state);
}

long sys_arch_prctl(uint64_t code, uint64_t addr, uint64_t unused2, uint64_t unused3,
                    uint64_t unused4, uint64_t unused5)
{
    (void)unused2, (void)unused3, (void)unused4, (void)unused5;
    uint64_t base;
    switch (code) {
    case ARCH_SET_FS:
    case ARCH_SET_GS:
        if (addr >= USER_HALF_END)
            return -EPERM; /* a base in the kernel half or non-canonical */
        wrmsr(code == ARCH_SET_FS ? MSR_FS_BASE : MSR_KERNEL_GS_BASE, addr);
        return 0;
    case ARCH_GET_FS:
    case ARCH_GET_GS:
        base = rdmsr(code == ARCH_GET_FS ? MSR_FS_BASE : MSR_KERNEL_GS_BASE);
        return user_copy_out(addr, &base, sizeof(base));
    default:
        return -EINVAL;
    }
}
