/*
 * user_fault.c — what happens when a user program breaks a rule of the CPU.
 *
 * A page fault may be the kernel's to fix: the CPU's error code says what the
 * access was, and vm_fault() (kernel/mm/vm_fault.c) decides; everything
 * else — dividing by zero, an invalid or privileged instruction (hlt, cli,
 * in/out raise a general protection fault in ring 3), int3, a
 * non-canonical address — ends the process. It is killed with a signal that
 * says why (its parent's waitpid sees it) and the console gets one line:
 * pid, name, what, address, rip. The kernel and all other processes go on.
 * OSTEP ch. 6 (Limited Direct Execution: "the OS ... terminates the offending
 * process"), ch. 21 (the page-fault path).
 */
#include "kernel/arch/x86_64/user_fault.h"
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/console.h"
#include "kernel/mm/swap.h"
#include "kernel/mm/vm_fault.h"
#include "kernel/proc/lifecycle.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/scheduler.h"
#include "kernel/trace/trace.h"
#include "lib/format.h"
#include "lib/syscall_abi.h"

#define PF_PRESENT (1 << 0)
#define PF_WRITE (1 << 1)
#define PF_INSTRUCTION_FETCH (1 << 4)

static int signal_for_vector(uint64_t vector)
{
    switch (vector) {
    case 0: /* divide error */
        return SIGFPE;
    case 3: /* int3 */
    case 1:
        return SIGTRAP;
    case 6: /* invalid opcode */
        return SIGILL;
    case 16:
    case 19:
        return SIGFPE;
    default: /* general protection, stack segment, page faults ... */
        return SIGSEGV;
    }
}

static const char *signal_name(int signal)
{
    switch (signal) {
    case SIGFPE:
        return "SIGFPE";
    case SIGTRAP:
        return "SIGTRAP";
    case SIGILL:
        return "SIGILL";
    default:
        return "SIGSEGV";
    }
}

__attribute__((noreturn)) static void kill_with_report(struct trap_frame *frame, const char *what,
                                                       uint64_t address, const char *detail)
{
    struct proc *p = proc_current();
    int signal = signal_for_vector(frame->vector);
    kprintf("pid %d (%s): %s at address %lx rip=%lx%s%s: killed (%s)\n", p->pid, p->name, what,
            address, frame->rip, detail ? ": " : "", detail ? detail : "", signal_name(signal));
    proc_exit(W_SIGNALED(signal));
}

static void handle_page_fault(struct trap_frame *frame)
{
    struct proc *p = proc_current();
    uint64_t address = read_cr2();
    bool write = frame->error_code & PF_WRITE;
    bool execute = frame->error_code & PF_INSTRUCTION_FETCH;
    bool present = frame->error_code & PF_PRESENT;
    enum vm_access access =
        execute ? VM_ACCESS_EXECUTE : (write ? VM_ACCESS_WRITE : VM_ACCESS_READ);
    p->accounting.page_faults++;
    struct vm_fault_outcome outcome = vm_fault(p->address_space, address, access);
    if (outcome.resolved) {
        if (outcome.copy_on_write)
            p->accounting.copy_on_write_faults++;
        if (outcome.major)
            p->accounting.major_faults++;
        else
            swap_count_minor_fault();
        trace_page_fault(p->pid, address,
                         outcome.major ? "major" : (outcome.copy_on_write ? "cow" : "zero"));
        return;
    }
    trace_page_fault(p->pid, address, "kill");
    static const char *const access_names[] = {"read", "write", "execute"};
    static char what[64]; /* "page fault (write, page not present)" */
    format_snprintf(what, sizeof(what), "page fault (%s, %s)", access_names[access],
                    present ? "protection violation" : "page not present");
    kill_with_report(frame, what, address, outcome.reason);
}

void user_fault_handle(struct trap_frame *frame)
{
    if (frame->vector == TRAP_PAGE_FAULT) {
        handle_page_fault(frame);
        return;
    }
    const char *detail = NULL;
    if (frame->vector == 13)
        detail = "privileged instruction or non-canonical address";
    kill_with_report(frame, trap_exception_name(frame->vector), frame->rip, detail);
}
