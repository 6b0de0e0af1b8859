/*
 * gdt.h — segments and the task-state segment: how the CPU knows which
 * privilege level code runs at and which stack to use on entering the kernel.
 * OSTEP ch. 6 (Limited Direct Execution): user mode, kernel mode, traps.
 */
#ifndef PRISM_ARCH_GDT_H
#define PRISM_ARCH_GDT_H

#include <stdint.h>

/* Selector values. The order (kernel code, kernel data, user data, user code)
 * is the one syscall/sysret require: they derive all four from two bases. */
#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_USER_DATA (0x18 | 3) /* | 3: requested privilege level 3 */
#define GDT_USER_CODE (0x20 | 3)
#define GDT_TSS 0x28

/* Interrupt stack table slots: a known-good stack for the vectors that can
 * arrive when the current stack is not one: a double fault (the kernel
 * stack overflowed into its guard page), and NMI and machine check, which
 * interrupts cannot mask and so can arrive in the instructions right after
 * `syscall` or right before `sysret`, when rsp is still the user's. */
#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3

void gdt_init(void);

/* The stack the CPU switches to when an interrupt arrives from user mode. */
void gdt_set_kernel_stack(uint64_t stack_top);

#endif
