/*
 * pic.h — the two 8259 interrupt controllers that route device IRQs 0-15.
 * OSTEP ch. 36 (I/O Devices): interrupts.
 */
#ifndef PRISM_ARCH_PIC_H
#define PRISM_ARCH_PIC_H

#include <stdbool.h>

void pic_init(void);
void pic_unmask(int irq);
/* Tells the PIC the handler is done; returns false for a spurious IRQ 7/15,
 * which must not be acknowledged or handled. */
bool pic_acknowledge(int irq);

#endif
