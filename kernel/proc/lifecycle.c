/*
 * lifecycle.c — fork, exit, waitpid and kill: the process API's kernel side.
 *
 * fork copies the PCB, the open-file table and (copy-on-write) the address
 * space, and gives the child a copy of the parent's trap frame with rax = 0,
 * so both return from the same fork() call with different results. exit
 * releases memory and files at once but leaves a ZOMBIE PCB holding the exit
 * status until the parent collects it with waitpid; orphans are handed to
 * init, which collects them. kill only marks a process: it dies on its way
 * back to user mode (a sleeping process is woken first), so it never dies in
 * the middle of a kernel operation.
 * OSTEP ch. 5 (Interlude: Process API), ch. 4 (process states).
 */
#include "kernel/proc/lifecycle.h"
#include "kernel/arch/x86_64/context.h"
#include "kernel/arch/x86_64/cpu_state.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/console.h"
#include "kernel/fs/file.h"
#include "kernel/group/group.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/address_space.h"
#include "kernel/exec/exec.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/policy.h"
#include "kernel/sched/scheduler.h"
#include "kernel/timer.h"
#include "kernel/trace/trace.h"
#include "lib/errno.h"
#include "lib/string.h"

#define SIGNAL_MAX 31

static struct proc *init_process;

/* The made-up context a new process "returns" through the first time it is
 * switched to: straight into new_process_start, then out via its trap frame. */
static void prepare_first_switch(struct proc *p)
{
    /* LAB switch BEGIN: stub
    // TODO(switch): make up p's first context just below its trap frame, so
    // that the first context_switch to p "returns" into new_process_start.
    (void)p;
    */
    struct context *context = (struct context *)((char *)p->trap_frame - sizeof(*context));
    memset(context, 0, sizeof(*context));
    context->rip = (uint64_t)new_process_start;
    p->context = context;
    /* LAB switch END */
}

/* A group's memory limit and fork: the child shares every page
 * copy-on-write and may come to write each one, so the group must have
 * room for a copy of all the parent's resident pages (strict, like Linux's
 * overcommit_memory=2; a group without a limit always has room). */
static bool fork_fits_group(struct proc *parent)
{
    unsigned id = group_id_of(parent);
    if (id == GROUP_ROOT_ID || group_memory_limit(id) == 0)
        return true;
    return group_memory_has_room(id, as_resident_pages(parent->address_space, 0, USER_HALF_END));
}

int proc_fork(void)
{
    struct proc *parent = proc_current();
    int error = 0;
    if (!fork_fits_group(parent))
        return -ENOMEM;
    struct proc *child = proc_alloc(parent->name, &error);
    if (!child)
        return error;
    error = group_fork(parent, child); /* a member's child is a member */
    if (error < 0) {
        proc_free(child);
        return error;
    }
    child->address_space = as_fork(parent->address_space);
    if (!child->address_space) {
        proc_free(child);
        return -ENOMEM;
    }
    *child->trap_frame = *parent->trap_frame;
    child->trap_frame->rax = 0;                /* fork() returns 0 in the child */
    cpu_state_save_current(&child->cpu_state); /* the parent's FPU, fs and gs */
    prepare_first_switch(child);
    fd_table_copy(parent, child);
    child->pgid = parent->pgid;
    child->parent = parent;
    list_push_back(&parent->children, &child->sibling);
    sched_fork(parent, child);
    trace_fork(child->pid, parent->pid, child->name);
    if (child->member.group)
        trace_group(child->pid, (int)group_id_of(child), child->member.group->name);
    sched_make_ready(child);
    return child->pid;
}

/* A parent's children list holds its ZOMBIEs first (the most recent exit at
 * the front) and then the living, so waitpid(-1) needs to look at one child
 * only, whatever the number of children. */
static void join_children(struct proc *parent, struct proc *child)
{
    if (child->state == PROC_ZOMBIE)
        list_push_front(&parent->children, &child->sibling);
    else
        list_push_back(&parent->children, &child->sibling);
}

static void reparent_children_to_init(struct proc *p)
{
    bool zombie_handed_over = false;
    list_for_each_safe(node, &p->children)
    {
        struct proc *child = list_entry(node, struct proc, sibling);
        list_remove(&child->sibling);
        child->parent = init_process;
        join_children(init_process, child);
        zombie_handed_over |= child->state == PROC_ZOMBIE;
    }
    if (zombie_handed_over)
        sched_wakeup(&init_process->child_exits);
}

void proc_exit(int status)
{
    struct proc *p = proc_current();
    if (p == init_process)
        kprintf("kernel: init exited with status 0x%x; the system has no shell now\n", status);
    fd_table_close_all(p);
    struct address_space *as = p->address_space;
    p->address_space = NULL;
    as_activate(NULL); /* leave the space before freeing it */
    as_destroy(as);
    if (init_process && p != init_process)
        reparent_children_to_init(p);
    p->exit_status = status;
    p->accounting.exit_tick = timer_ticks();
    p->state = PROC_ZOMBIE;
    trace_exit(p->pid, status, sched_cpu_ns(p));
    if (p->parent) {
        list_remove(&p->sibling); /* to the front: the ZOMBIEs come first */
        join_children(p->parent, p);
        sched_wakeup(&p->parent->child_exits);
    }
    sched_exit_current();
}

/* The child waitpid(pid) is about: that pid if it is p's child, for -1 the
 * first child (a ZOMBIE if any child is one); NULL if p has no such child.
 * O(1) either way: no list of children or processes is walked. */
static struct proc *wait_candidate(struct proc *p, int pid)
{
    if (pid > 0) {
        struct proc *child = group_find_visible(p, pid); /* pid as p sees it */
        return child && child->parent == p ? child : NULL;
    }
    if (list_empty(&p->children))
        return NULL;
    return list_entry(p->children.next, struct proc, sibling);
}

int proc_wait(int pid, int *status_out, int options)
{
    struct proc *p = proc_current();
    if (pid == 0 || pid < -1)
        return -EINVAL; /* process-group waits are not supported */
    if (options & ~WNOHANG)
        return -EINVAL;
    for (;;) {
        struct proc *child = wait_candidate(p, pid);
        if (!child)
            return -ECHILD;
        if (child->state == PROC_ZOMBIE) {
            int child_pid = group_pid_of(p, child); /* before it and its pid inside are gone */
            *status_out = child->exit_status;
            proc_free(child);
            return child_pid;
        }
        if (options & WNOHANG)
            return 0;
        if (p->pending_signal)
            return -EINTR;
        sched_block(&p->child_exits); /* a child wakes it when it exits */
    }
}

static void signal_process(struct proc *target, int signal)
{
    if (target->state == PROC_ZOMBIE || target->pending_signal)
        return;
    target->pending_signal = signal;
    sched_interrupt(target);
}

int proc_kill(int pid, int signal)
{
    if (signal < 0 || signal > SIGNAL_MAX)
        return -EINVAL;
    struct proc *target = proc_find(pid);
    if (!target || target->state == PROC_ZOMBIE)
        return -ESRCH;
    if (target == init_process)
        return -EPERM; /* init keeps the system alive */
    if (signal != 0)
        signal_process(target, signal);
    return 0;
}

int proc_signal_group(int pgid, int signal)
{
    int signalled = 0;
    list_for_each(node, &proc_list)
    {
        struct proc *p = list_entry(node, struct proc, all);
        if (p->pgid == pgid && p != init_process && p->state != PROC_ZOMBIE) {
            signal_process(p, signal);
            signalled++;
        }
    }
    return signalled ? 0 : -ESRCH;
}

void proc_deliver_pending_signal(void)
{
    struct proc *p = proc_current();
    if (p->pid != PID_IDLE && p->pending_signal)
        proc_exit(W_SIGNALED(p->pending_signal));
}

int proc_start_init(const char *path)
{
    int error = 0;
    struct proc *p = proc_alloc("init", &error);
    if (!p)
        return error;
    char *argv[] = {(char *)path, NULL};
    error = exec_load(p, path, argv);
    if (error < 0) {
        proc_free(p);
        return error;
    }
    error = fd_table_init_console(p);
    if (error < 0) { /* undo exec_load too: nothing of init may stay behind */
        as_destroy(p->address_space);
        p->address_space = NULL;
        proc_free(p);
        return error;
    }
    prepare_first_switch(p);
    init_process = p;
    sched_make_ready(p);
    return 0;
}
