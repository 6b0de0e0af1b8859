/*
 * cpu_state.h — the rest of a process's CPU state: FPU/MMX/SSE and fs/gs.
 *
 * The trap frame holds the general registers and context_switch.asm the
 * callee-saved ones; this is everything else a user program can change and
 * expects to find unchanged after a switch: the x87/MMX/SSE registers (saved
 * by fxsave as one 512-byte image) and the fs and gs selectors with their
 * 64-bit bases (thread-local storage pointers). It sits in the PCB and is
 * saved and restored on every switch (cpu_state.c explains why eagerly).
 * OSTEP ch. 6 (Limited Direct Execution: "save the registers of the old
 * process, restore those of the new").
 */
#ifndef PRISM_ARCH_CPU_STATE_H
#define PRISM_ARCH_CPU_STATE_H

#include <stdint.h>

#define CPU_FXSAVE_BYTES 512

struct proc;

struct cpu_state {
    /* fxsave/fxrstor fault unless this is 16-byte aligned: the alignment
     * makes struct proc 16-aligned too, which kmalloc guarantees. */
    uint8_t fxsave_area[CPU_FXSAVE_BYTES] __attribute__((aligned(16)));
    uint64_t fs_base;     /* MSR FS_BASE */
    uint64_t gs_base;     /* the user's GS base: MSR KERNEL_GS_BASE while in the kernel */
    uint16_t fs_selector; /* what the user last loaded with mov fs (0 or GDT_USER_DATA) */
    uint16_t gs_selector;
};

/* At boot: lets the FPU and SSE run (CR0.MP, CR0.NE, no CR0.EM or TS;
 * CR4.OSFXSR, CR4.OSXMMEXCPT) and checks fxsave exists. */
void cpu_state_enable(void);

/* The state a new program starts with: FNINIT's x87 state (control word
 * 0x37f), MXCSR 0x1f80 (all SIMD exceptions masked), every register zero,
 * fs and gs null with base 0. */
void cpu_state_reset(struct cpu_state *state);

/* Copies the running process's live state into `state` (fork's copy). */
void cpu_state_save_current(struct cpu_state *state);

/* exec: p starts from the reset state; if p is running, so do the registers. */
void cpu_state_exec(struct proc *p);

/* The dispatcher's call on every switch: saves `from`'s state, loads `to`'s.
 * The idle process (pid 0) never runs user code, so it has none. */
void cpu_state_switch(struct proc *from, struct proc *to);

/* SYS_arch_prctl: ARCH_SET_FS / ARCH_SET_GS (addr is the base) and
 * ARCH_GET_FS / ARCH_GET_GS (addr points at a uint64_t to fill). */
long sys_arch_prctl(uint64_t code, uint64_t addr, uint64_t unused2, uint64_t unused3,
                    uint64_t unused4, uint64_t unused5);

#endif
