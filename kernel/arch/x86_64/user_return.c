/*
 * user_return.c — what a process may return to, and a crafted return.
 *
 * Every return to ring 3 restores the trap frame: through sysret after a
 * system call when that gives exactly the same registers (syscall_entry.asm
 * says when), through iretq otherwise (trap_entry.asm). Either instruction
 * checks the new rip only when it is already too late: with a non-canonical
 * rip, iretq raises #GP in ring 0 and Intel's sysret raises it in ring 0
 * after switching to the user's rsp and gs, so the kernel would fault on a
 * user-chosen stack. The rule, checked in assembly before both: a process
 * goes back to user mode only with rip in the user half and a canonical
 * rsp; anything else kills it here, with a one-line report, like any other
 * fault of its own making.
 *
 * The frame normally holds what the CPU saved, which is always canonical;
 * setcontext (Prism's sigreturn) lets a process write its own frame, which
 * is how such a return can be asked for — and how a test reaches the iretq
 * path with registers of its choosing.
 * OSTEP ch. 6 (Limited Direct Execution: return-from-trap).
 */
#include "kernel/arch/x86_64/user_return.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/console.h"
#include "kernel/mm/user_copy.h"
#include "kernel/proc/lifecycle.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/scheduler.h"
#include "lib/syscall_abi.h"

/* What a user program may choose in rflags: CF PF AF ZF SF DF OF. IF is
 * forced on; IOPL, NT, TF, RF, AC, VM and the rest stay clear. */
#define RFLAGS_USER_CHOOSES 0x0cd5UL
#define RFLAGS_ALWAYS 0x0202UL /* bit 1 (reserved, reads as 1) and IF */

long sys_setcontext(uint64_t context, uint64_t unused1, uint64_t unused2, uint64_t unused3,
                    uint64_t unused4, uint64_t unused5)
{
    (void)unused1, (void)unused2, (void)unused3, (void)unused4, (void)unused5;
    struct user_context in;
    int result = user_copy_in(&in, context, sizeof(in));
    if (result < 0)
        return result;
    struct trap_frame *frame = proc_current()->trap_frame;
    frame->rbx = in.rbx;
    frame->rcx = in.rcx;
    frame->rdx = in.rdx;
    frame->rsi = in.rsi;
    frame->rdi = in.rdi;
    frame->rbp = in.rbp;
    frame->rsp = in.rsp;
    frame->r8 = in.r8;
    frame->r9 = in.r9;
    frame->r10 = in.r10;
    frame->r11 = in.r11;
    frame->r12 = in.r12;
    frame->r13 = in.r13;
    frame->r14 = in.r14;
    frame->r15 = in.r15;
    frame->rip = in.rip; /* checked on the way out, not here: one rule, one place */
    frame->rflags = (in.rflags & RFLAGS_USER_CHOOSES) | RFLAGS_ALWAYS;
    return (long)in.rax; /* the dispatcher stores the result in the frame's rax */
}

void user_return_refused(struct trap_frame *frame)
{
    struct proc *p = proc_current();
    kprintf("pid %d (%s): return to rip=%lx rsp=%lx refused (rip must be a user address, rsp "
            "canonical): "
            "killed (SIGSEGV)\n",
            p->pid, p->name, frame->rip, frame->rsp);
    proc_exit(W_SIGNALED(SIGSEGV));
}
