/*
 * irq.h — device interrupts: the PIC's lines arriving as vectors 32-47.
 * OSTEP ch. 6 (the timer interrupt), ch. 36 (I/O devices and interrupts).
 */
#ifndef PRISM_ARCH_IRQ_H
#define PRISM_ARCH_IRQ_H

#include <stdbool.h>

struct trap_frame;

/* Acknowledges the line at the PIC and runs its driver; `from_user` tells
 * the scheduler whose time the tick interrupted. */
void irq_handle(struct trap_frame *frame, bool from_user);

#endif
