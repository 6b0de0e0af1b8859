/*
 * pit.h — the 8254 programmable interval timer: the heartbeat that lets the
 * kernel take the CPU back (OSTEP ch. 6: "a timer interrupt").
 */
#ifndef PRISM_ARCH_PIT_H
#define PRISM_ARCH_PIT_H

/* Programs channel 0 to interrupt `hz` times a second (IRQ 0); returns the
 * rate actually achieved, which differs slightly from hz because the divisor
 * is a whole number. */
unsigned pit_init(unsigned hz);

#endif
