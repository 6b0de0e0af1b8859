/*
 * trap.c — what the kernel does with each interrupt and exception.
 *
 * trap_entry.asm saves the interrupted state and calls trap_dispatch(), which
 * sorts each entry into one of the classes below and hands it to the file
 * for that class: an exception raised by user code (user_fault.c: fix the
 * page or kill the process), an exception raised by the kernel (a bug:
 * kernel_fault.c, then the panic report), an NMI or machine check (nmi.c:
 * report and continue), or a device interrupt (irq.c). System calls are the
 * fifth class and never pass through here (syscall_entry.asm). On the way
 * back to user mode a preemption or a pending kill takes effect.
 * OSTEP ch. 6 (Limited Direct Execution): traps and the trap table.
 */
#include "kernel/arch/x86_64/trap.h"
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/arch/x86_64/irq.h"
#include "kernel/arch/x86_64/kernel_fault.h"
#include "kernel/arch/x86_64/nmi.h"
#include "kernel/arch/x86_64/user_fault.h"
#include "kernel/console.h"
#include "kernel/proc/lifecycle.h"
#include "kernel/sched/scheduler.h"

#include <stddef.h>

#define EXCEPTION_COUNT 32
#define TRAP_NMI 2
#define TRAP_DOUBLE_FAULT 8
#define TRAP_MACHINE_CHECK 18

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

/* The five classes of entry into the kernel; each has its own file. */
enum trap_class {
    TRAP_CLASS_USER_EXCEPTION,   /* user_fault.c: resolve or kill the process */
    TRAP_CLASS_KERNEL_EXCEPTION, /* kernel_fault.c: a kernel bug, panic */
    TRAP_CLASS_NON_MASKABLE,     /* nmi.c: NMI and machine check, report and go on */
    TRAP_CLASS_DEVICE,           /* irq.c: the PIC's lines */
    TRAP_CLASS_UNEXPECTED,       /* a vector nothing raises */
    /* system calls come in through syscall_entry.asm, not through here */
};

static enum trap_class classify(const struct trap_frame *frame)
{
    if (frame->vector == TRAP_NMI || frame->vector == TRAP_MACHINE_CHECK)
        return TRAP_CLASS_NON_MASKABLE;
    if (frame->vector < EXCEPTION_COUNT) {
        /* A double fault is the kernel's whatever cs says: it means the CPU
         * could not deliver an exception at all. */
        bool user = (frame->cs & 3) == 3 && frame->vector != TRAP_DOUBLE_FAULT;
        return user ? TRAP_CLASS_USER_EXCEPTION : TRAP_CLASS_KERNEL_EXCEPTION;
    }
    if (frame->vector < TRAP_IRQ_BASE + 16)
        return TRAP_CLASS_DEVICE;
    return TRAP_CLASS_UNEXPECTED;
}

void trap_dispatch(struct trap_frame *frame)
{
    bool from_user = (frame->cs & 3) == 3;
    switch (classify(frame)) {
    case TRAP_CLASS_NON_MASKABLE:
        /* On an IST stack (gdt.h): back to the interrupted code at once,
         * never through the scheduler, whatever mode it was in. */
        if (frame->vector == TRAP_NMI)
            nmi_handle(frame);
        else
            machine_check_handle(frame);
        return;
    case TRAP_CLASS_USER_EXCEPTION:
        user_fault_handle(frame);
        break;
    case TRAP_CLASS_KERNEL_EXCEPTION:
        kernel_fault_handle(frame);
    case TRAP_CLASS_DEVICE:
        irq_handle(frame, from_user);
        break;
    case TRAP_CLASS_UNEXPECTED:
        kprintf("trap: unexpected vector %lu ignored\n", frame->vector);
        break;
    }
    if (from_user) { /* about to return to user mode: switch or die first */
        sched_preempt_if_due();
        proc_deliver_pending_signal();
    }
}
