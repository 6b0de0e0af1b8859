/*
 * msr.h — the model-specific registers Prism uses, by name.
 *
 * rdmsr/wrmsr (instructions.h) take a number; these are the numbers, from
 * the Intel SDM vol. 4 / AMD APM vol. 2, for the syscall set-up (cpu.c), the
 * per-process segment bases (cpu_state.c) and machine-check reporting (nmi.c).
 * OSTEP ch. 6 (Limited Direct Execution: the privileged set-up at boot).
 */
#ifndef PRISM_ARCH_MSR_H
#define PRISM_ARCH_MSR_H

#define MSR_MCG_CAP 0x179    /* machine-check banks: count in bits 0-7 */
#define MSR_MCG_STATUS 0x17a /* RIPV, EIPV, MCIP of the machine check in progress */
#define MSR_MCG_CTL 0x17b
#define MSR_MC0_CTL 0x400 /* bank i: CTL, STATUS, ADDR, MISC at 0x400 + 4i */
#define MSR_EFER 0xc0000080
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_SFMASK 0xc0000084
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102 /* swapgs exchanges GS base with this */

#endif
