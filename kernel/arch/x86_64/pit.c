/*
 * pit.c — 8254 PIT channel 0 in rate-generator mode.
 *
 * The PIT counts down from a divisor at 1,193,182 Hz and raises IRQ 0 each
 * time it reaches zero, so the interrupt rate is 1193182 / divisor. The
 * divisor is 16 bits, which bounds the rate to 19..1193182 Hz; kmain clamps
 * the hz= option to a range that keeps interrupt overhead sane.
 * OSTEP ch. 6 (Limited Direct Execution): the timer interrupt.
 */
#include "kernel/arch/x86_64/pit.h"
#include "kernel/arch/x86_64/instructions.h"

#define PIT_FREQUENCY 1193182U
#define PIT_CHANNEL0 0x40
#define PIT_COMMAND 0x43
#define PIT_CHANNEL0_RATE_GENERATOR 0x34 /* channel 0, lo/hi byte, mode 2 */

unsigned pit_init(unsigned hz)
{
    unsigned divisor = (PIT_FREQUENCY + hz / 2) / hz;
    if (divisor > 0xffff)
        divisor = 0xffff;
    if (divisor < 1)
        divisor = 1;
    outb(PIT_COMMAND, PIT_CHANNEL0_RATE_GENERATOR);
    outb(PIT_CHANNEL0, (uint8_t)(divisor & 0xff));
    outb(PIT_CHANNEL0, (uint8_t)(divisor >> 8));
    return (PIT_FREQUENCY + divisor / 2) / divisor;
}
