/*
 * irq.c — device interrupts: which driver runs for which PIC line.
 *
 * The 8259 pair delivers IRQ n as vector 32 + n (pic.c). Each interrupt is
 * acknowledged first — a spurious one (IRQ 7 or 15 with nothing in service)
 * is dropped — then handed to its driver. The timer's tick drives all of
 * the kernel's time: the clock, sleepers, and the end of time slices.
 * Rule: runs with interrupts disabled, on the interrupted process's kernel
 * stack, so a driver may wake processes but the switch itself happens on
 * the way out (trap.c).
 * OSTEP ch. 6 (the timer interrupt regains control), ch. 36 (interrupts).
 */
#include "kernel/arch/x86_64/irq.h"
#include "kernel/arch/x86_64/keyboard.h"
#include "kernel/arch/x86_64/pic.h"
#include "kernel/arch/x86_64/serial.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/dev/ide.h"
#include "kernel/mm/swap.h"
#include "kernel/sched/scheduler.h"
#include "kernel/timer.h"

void irq_handle(struct trap_frame *frame, bool from_user)
{
    int irq = (int)(frame->vector - TRAP_IRQ_BASE);
    if (!pic_acknowledge(irq))
        return; /* spurious: nothing to handle */
    switch (frame->vector) {
    case TRAP_IRQ_TIMER:
        timer_handle_tick();
        sched_timer_tick(from_user);
        swap_timer_tick(); /* aging LRU samples accessed bits */
        break;
    case TRAP_IRQ_BASE + IDE_IRQ:
        ide_handle_interrupt();
        break;
    case TRAP_IRQ_KEYBOARD:
        keyboard_handle_interrupt();
        break;
    case TRAP_IRQ_SERIAL:
        serial_handle_interrupt();
        break;
    default:
        break; /* masked lines cannot fire; others we do not drive */
    }
}
