/*
 * watchdog.h — noticing a kernel stuck with interrupts off.
 * OSTEP ch. 6 (the timer keeps the OS in control; who watches the timer?).
 */
#ifndef PRISM_ARCH_WATCHDOG_H
#define PRISM_ARCH_WATCHDOG_H

#include <stdbool.h>

struct trap_frame;

/* After timer_init: starts the second clock that checks the first. */
void watchdog_init(void);

/* Called for every NMI: true if it was the watchdog's (and is handled). */
bool watchdog_handle_nmi(const struct trap_frame *frame);

#endif
