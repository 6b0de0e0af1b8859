/*
 * kernel_fault.h — CPU exceptions raised by the kernel itself: always a bug.
 * OSTEP ch. 6 (Limited Direct Execution: what the kernel cannot handle).
 */
#ifndef PRISM_ARCH_KERNEL_FAULT_H
#define PRISM_ARCH_KERNEL_FAULT_H

struct trap_frame;

/* Names the cause when it can (a kernel stack overflow), then panics. */
__attribute__((noreturn)) void kernel_fault_handle(struct trap_frame *frame);

#endif
