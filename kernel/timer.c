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
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/arch/x86_64/pit.h"

#define TIMER_IRQ 0

static volatile uint64_t ticks;
/* The TSC at the last two ticks: their difference is how many TSC cycles one
 * tick lasts, which turns "cycles since the last tick" into microseconds
 * without a calibration loop at boot. */
static uint64_t tsc_at_tick, tsc_per_tick;
static unsigned ticks_per_second = TIMER_DEFAULT_HZ;

void timer_init(unsigned hz)
{
    ticks_per_second = pit_init(hz);
    pic_unmask(TIMER_IRQ);
}

void timer_handle_tick(void)
{
    uint64_t now = rdtsc();
    if (tsc_at_tick)
        tsc_per_tick = now - tsc_at_tick;
    tsc_at_tick = now;
    ticks++;
}

uint64_t timer_now_ns(void)
{
    uint64_t tick_ns = 1000000000ULL / ticks_per_second;
    uint64_t ns = ticks * tick_ns;
    if (tsc_per_tick) {
        uint64_t since_tick = rdtsc() - tsc_at_tick;
        uint64_t extra = since_tick * tick_ns / tsc_per_tick;
        ns += extra < tick_ns ? extra : tick_ns - 1; /* never run past the next tick */
    }
    return ns;
}

uint64_t timer_now_us(void)
{
    return timer_now_ns() / 1000;
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
