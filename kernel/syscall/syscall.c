/*
 * syscall.c — dispatching system calls by number.
 *
 * syscall_entry.asm saved the caller's registers in a trap frame; the number
 * is in rax and the arguments in rdi, rsi, rdx, r10, r8, r9 (Linux's x86-64
 * convention — r10 instead of rcx, which `syscall` itself overwrites). The
 * result goes back in rax. A number outside the table is a program bug: the
 * process is killed with a report (SIGSYS). Before returning to user mode a
 * pending kill is acted on, so `kill` takes effect at the next system call.
 * OSTEP ch. 6 (Limited Direct Execution: the system-call table).
 */
#include "kernel/syscall/syscall.h"
#include "kernel/arch/x86_64/cpu_state.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/arch/x86_64/user_return.h"
#include "kernel/console.h"
#include "kernel/proc/lifecycle.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/scheduler.h"
#include "kernel/syscall/sys_file.h"
#include "kernel/syscall/sys_proc.h"
#include "kernel/syscall/sys_vm.h"
#include "lib/syscall_abi.h"

static const syscall_handler syscall_table[] = {
    [SYS_read] = sys_read,
    [SYS_write] = sys_write,
    [SYS_open] = sys_open,
    [SYS_close] = sys_close,
    [SYS_sbrk] = sys_sbrk,
    [SYS_ioctl] = sys_ioctl,
    [SYS_pipe] = sys_pipe,
    [SYS_yield] = sys_yield,
    [SYS_dup] = sys_dup,
    [SYS_dup2] = sys_dup2,
    [SYS_sleep] = sys_sleep,
    [SYS_getpid] = sys_getpid,
    [SYS_fork] = sys_fork,
    [SYS_execv] = sys_execv,
    [SYS_exit] = sys_exit,
    [SYS_waitpid] = sys_waitpid,
    [SYS_kill] = sys_kill,
    [SYS_uptime] = sys_uptime,
    [SYS_setpgid] = sys_setpgid,
    [SYS_getppid] = sys_getppid,
    [SYS_arch_prctl] = sys_arch_prctl, /* fs/gs bases: kernel/arch/x86_64/cpu_state.c */
    [SYS_procstat] = sys_procstat,
    [SYS_set_foreground] = sys_group_set_foreground, /* pgid translated: sys_group.c */
    [SYS_readdir] = sys_readdir,
    [SYS_meminfo] = sys_meminfo,
    [SYS_vmmap] = sys_vmmap,
    [SYS_pagewalk] = sys_pagewalk,
    [SYS_setparam] = sys_setparam,
    [SYS_sched] = sys_sched,
    [SYS_setname] = sys_setname,
    [SYS_trace] = sys_trace,
    [SYS_arrive_at] = sys_arrive_at,
    [SYS_deadline] = sys_deadline,
    [SYS_cpu_time] = sys_cpu_time,
    [SYS_setcontext] = sys_setcontext, /* a crafted return: user_return.c */
    /* LAB syscall BEGIN: stub
    // TODO(syscall): the table entry for SYS_getpinfo
    */
    [SYS_getpinfo] = sys_getpinfo,
    /* LAB syscall END */
    [SYS_swap] = sys_swap,
    [SYS_vm] = sys_vm, /* virtual machines: kernel/virt/ */
    [SYS_group] = sys_group,
};

#define SYSCALL_COUNT (sizeof(syscall_table) / sizeof(syscall_table[0]))

void syscall_dispatch(struct trap_frame *frame)
{
    uint64_t number = frame->rax;
    if (number >= SYSCALL_COUNT || !syscall_table[number]) {
        struct proc *p = proc_current();
        kprintf("pid %d (%s): bad system call %ld at rip=%lx: killed (SIGSYS)\n", p->pid, p->name,
                (long)number, frame->rip);
        proc_exit(W_SIGNALED(SIGSYS));
    }
    long result =
        syscall_table[number](frame->rdi, frame->rsi, frame->rdx, frame->r10, frame->r8, frame->r9);
    /* frame is the running process's trap_frame (the top of its kernel
     * stack); exec and setcontext rewrite it in place and return what rax
     * must hold. */
    frame->rax = (uint64_t)result;
    if (proc_current()->pending_signal) /* the common case costs no call */
        proc_deliver_pending_signal();
}
