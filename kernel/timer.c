/*
 * timer.c — counts timer interrupts and turns them into wall-clock time.
 *
 * The hardware timer (the PIT here) interrupts hz times a second; each
 * interrupt is one tick. Everything time-related in the kernel — uptime,
 * sleeping, and later the scheduler's quantum — is measured in ticks.
 * OSTEP ch. 6 (Limited Direct Execution), ch. 7 (Scheduling).
 */
#include "kernel/timer.h"
#include "kernel/arch/x86_64/pic.h"
#include "kernel/arch/x86_64/pit.h"

#define TIMER_IRQ 0

static volatile uint64_t ticks;
static unsigned ticks_per_second = TIMER_DEFAULT_HZ;

void timer_init(unsigned hz)
{
    ticks_per_second = pit_init(hz);
    pic_unmask(TIMER_IRQ);
}

void timer_handle_tick(void)
{
    ticks++;
}

uint64_t timer_ticks(void)
{
    return ticks;
}

unsigned timer_hz(void)
{
    return ticks_per_second;
}

uint64_t timer_uptime_ms(void)
{
    return ticks * 1000 / ticks_per_second;
}
