/*
 * nmi.h — the non-maskable interrupts: NMI (vector 2) and machine check (18).
 * OSTEP ch. 6 (interrupts the kernel cannot turn off).
 */
#ifndef PRISM_ARCH_NMI_H
#define PRISM_ARCH_NMI_H

struct trap_frame;

/* At boot: lets machine checks be reported (CR4.MCE, every bank enabled). */
void machine_check_enable(void);

/* Vector 2: the watchdog's tick, or an NMI from outside (reported). */
void nmi_handle(struct trap_frame *frame);

/* Vector 18: reports the banks; continues if the CPU says it can. */
void machine_check_handle(struct trap_frame *frame);

#endif
