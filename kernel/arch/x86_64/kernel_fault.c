/*
 * kernel_fault.c — an exception in kernel mode: find the cause, then panic.
 *
 * The kernel never expects an exception of its own (user pointers are
 * checked before use, not caught afterwards), so every one is a bug and
 * ends in the panic report. One cause deserves a name, because the raw
 * report hides it: a kernel stack overflow. The stack runs into the
 * unmapped guard page below it (kernel_stack.c); the page fault then cannot
 * push its own frame on that stack either, so the CPU raises a double
 * fault, which runs on its own IST stack (gdt.h). cr2 (or the interrupted
 * rsp) inside the running process's guard page is the signature.
 * OSTEP ch. 6 (the kernel stack; traps the kernel cannot handle).
 */
#include "kernel/arch/x86_64/kernel_fault.h"
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/mm/layout.h"
#include "kernel/panic_report.h"
#include "kernel/proc/kernel_stack.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/scheduler.h"
#include "lib/format.h"

#define TRAP_DOUBLE_FAULT 8

static bool in_guard_page(const struct proc *p, uint64_t address)
{
    if (!p || p->pid == PID_IDLE || !p->kernel_stack_top)
        return false; /* the idle process runs on the boot stack */
    uint64_t guard = p->kernel_stack_top - KERNEL_STACK_SIZE - PAGE_SIZE;
    return address >= guard && address < guard + PAGE_SIZE;
}

void kernel_fault_handle(struct trap_frame *frame)
{
    static char diagnosis[96];
    const char *named = NULL;
    struct proc *p = proc_current();
    bool stack_fault = frame->vector == TRAP_DOUBLE_FAULT || frame->vector == TRAP_PAGE_FAULT;
    if (stack_fault && (in_guard_page(p, read_cr2()) || in_guard_page(p, frame->rsp))) {
        format_snprintf(diagnosis, sizeof(diagnosis),
                        "kernel stack overflow in pid %d (%s): ran into its guard page", p->pid,
                        p->name);
        named = diagnosis;
    }
    panic_from_trap(frame, named);
}
