/*
 * timer.h — kernel time: ticks since boot and their conversion to ms.
 * OSTEP ch. 6 and 7: the timer interrupt is what makes time sharing possible.
 */
#ifndef PRISM_KERNEL_TIMER_H
#define PRISM_KERNEL_TIMER_H

#include <stdint.h>

#define TIMER_DEFAULT_HZ 100
#define TIMER_MIN_HZ 20
#define TIMER_MAX_HZ 10000

/* Starts the hardware timer at (about) hz interrupts per second. */
void timer_init(unsigned hz);
/* Called from the timer interrupt, once per tick. */
void timer_handle_tick(void);

uint64_t timer_ticks(void);
unsigned timer_hz(void);
uint64_t timer_uptime_ms(void);
/* Microseconds since boot: ticks plus the TSC's progress since the last one. */
uint64_t timer_now_us(void);
/* The same in nanoseconds: the clock CPU time is accounted with (scheduler.c). */
uint64_t timer_now_ns(void);

#endif
