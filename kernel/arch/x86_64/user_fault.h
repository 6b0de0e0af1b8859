/*
 * user_fault.h — CPU exceptions raised by user programs.
 * OSTEP ch. 6: the kernel regains control when a program misbehaves.
 */
#ifndef PRISM_ARCH_USER_FAULT_H
#define PRISM_ARCH_USER_FAULT_H

struct trap_frame;

/* Resolves the fault (demand-zero, copy-on-write) or kills the process with
 * a one-line report. Returns only if the process may continue. */
void user_fault_handle(struct trap_frame *frame);

#endif
