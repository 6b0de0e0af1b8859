/*
 * trap.c — what the kernel does with each interrupt and exception.
 *
 * trap_entry.asm saves the interrupted state and calls trap_dispatch(). Device
 * interrupts (vectors 32-47) are acknowledged at the PIC and handed to their
 * driver; the timer's tick drives all kernel time. A CPU exception raised by
 * kernel code is a kernel bug: the panic report names the exception, shows
 * every register and a backtrace, and stops the machine.
 * OSTEP ch. 6 (Limited Direct Execution): traps and the trap table.
 */
#include "kernel/arch/x86_64/trap.h"
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/arch/x86_64/keyboard.h"
#include "kernel/arch/x86_64/pic.h"
#include "kernel/arch/x86_64/serial.h"
#include "kernel/arch/x86_64/user_fault.h"
#include "kernel/console.h"
#include "kernel/dev/ide.h"
#include "kernel/mm/swap.h"
#include "kernel/panic_report.h"
#include "kernel/proc/lifecycle.h"
#include "kernel/sched/scheduler.h"
#include "kernel/timer.h"

#include <stddef.h>

#define EXCEPTION_COUNT 32

static const char *const exception_names[EXCEPTION_COUNT] = {
    [0] = "divide error",
    [1] = "debug",
    [2] = "non-maskable interrupt",
    [3] = "breakpoint (int3)",
    [4] = "overflow",
    [5] = "bound range exceeded",
    [6] = "invalid opcode",
    [7] = "device not available",
    [8] = "double fault",
    [10] = "invalid TSS",
    [11] = "segment not present",
    [12] = "stack-segment fault",
    [13] = "general protection fault",
    [14] = "page fault",
    [16] = "x87 floating-point error",
    [17] = "alignment check",
    [18] = "machine check",
    [19] = "SIMD floating-point error",
    [20] = "virtualization exception",
    [21] = "control protection exception",
};

const char *trap_exception_name(uint64_t vector)
{
    if (vector >= EXCEPTION_COUNT)
        return NULL;
    return exception_names[vector] ? exception_names[vector] : "reserved exception";
}

void trap_print_frame(const struct trap_frame *frame)
{
    kprintf("  rax=%016lx rbx=%016lx rcx=%016lx rdx=%016lx\n", frame->rax, frame->rbx, frame->rcx,
            frame->rdx);
    kprintf("  rsi=%016lx rdi=%016lx rbp=%016lx rsp=%016lx\n", frame->rsi, frame->rdi, frame->rbp,
            frame->rsp);
    kprintf("  r8 =%016lx r9 =%016lx r10=%016lx r11=%016lx\n", frame->r8, frame->r9, frame->r10,
            frame->r11);
    kprintf("  r12=%016lx r13=%016lx r14=%016lx r15=%016lx\n", frame->r12, frame->r13, frame->r14,
            frame->r15);
    kprintf("  rip=%016lx cs=%04lx ss=%04lx rflags=%08lx cr2=%016lx cr3=%016lx\n", frame->rip,
            frame->cs, frame->ss, frame->rflags, read_cr2(), read_cr3());
}

static void handle_device_interrupt(struct trap_frame *frame, bool from_user)
{
    int irq = (int)(frame->vector - TRAP_IRQ_BASE);
    if (!pic_acknowledge(irq))
        return; /* spurious: nothing to handle */
    switch (frame->vector) {
    case TRAP_IRQ_TIMER:
        timer_handle_tick();
        sched_timer_tick(from_user);
        swap_timer_tick();
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

void trap_dispatch(struct trap_frame *frame)
{
    bool from_user = (frame->cs & 3) == 3;
    if (frame->vector < EXCEPTION_COUNT) {
        if (!from_user)
            panic_from_trap(frame); /* the kernel itself broke a rule */
        user_fault_handle(frame);
    } else if (frame->vector < TRAP_IRQ_BASE + 16) {
        handle_device_interrupt(frame, from_user);
    } else {
        kprintf("trap: unexpected vector %lu ignored\n", frame->vector);
    }
    if (from_user) { /* about to return to user mode: switch or die first */
        sched_preempt_if_due();
        proc_deliver_pending_signal();
    }
}
