/*
 * proc.c — the process list: allocating, finding and freeing PCBs.
 *
 * PCBs come from the kernel heap, one per process, and sit on proc_list from
 * fork until the parent reaps them; their number is bounded by maxproc= (not
 * by an array size), so running out is an error fork reports (-EAGAIN), not
 * a crash. Pids count up and are never reused while a process with that pid
 * still exists; the pid table (pid_table.h) finds a process by pid in O(1)
 * and hands out free pids without walking this list.
 * OSTEP ch. 4 (The Abstraction: The Process — the process list, Figure 4.5).
 */
#include "kernel/proc/proc.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/group/group.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/proc/kernel_stack.h"
#include "kernel/proc/pid_table.h"
#include "kernel/timer.h"
#include "kernel/sched/arrival.h"
#include "lib/errno.h"
#include "lib/string.h"

#define PROC_MAX_LIMIT 4096

struct list_node proc_list = LIST_HEAD_INIT(proc_list);
static size_t live_processes;
static long max_processes = PROC_DEFAULT_MAX;
/* Pid 1 is init's for good: after the wrap, counting restarts at 2. */
static struct pid_table pids = PID_TABLE_INIT(PID_MAX, 2);

void proc_init(long limit)
{
    if (limit < 2)
        limit = 2;
    if (limit > PROC_MAX_LIMIT)
        limit = PROC_MAX_LIMIT;
    max_processes = limit;
}

long proc_limit(void)
{
    return max_processes;
}

size_t proc_count(void)
{
    return live_processes;
}

void proc_set_name(struct proc *p, const char *name)
{
    strlcpy(p->name, name, sizeof(p->name));
}

struct proc *proc_alloc(const char *name, int *error)
{
    if ((long)live_processes >= max_processes) {
        *error = -EAGAIN;
        return NULL;
    }
    struct proc *p = kzalloc(sizeof(*p));
    if (!p) {
        *error = -ENOMEM;
        return NULL;
    }
    p->kernel_stack_top = kernel_stack_alloc();
    if (!p->kernel_stack_top) {
        kfree(p);
        *error = -ENOMEM;
        return NULL;
    }
    p->trap_frame = (struct trap_frame *)(p->kernel_stack_top - sizeof(struct trap_frame));
    int pid = pid_table_allocate(&pids, &p->pid_entry);
    if (pid < 0) {
        kernel_stack_free(p->kernel_stack_top);
        kfree(p);
        *error = pid;
        return NULL;
    }
    p->pid = pid;
    p->pgid = p->pid;
    p->state = PROC_NEW;
    proc_set_name(p, name);
    list_init(&p->children);
    list_init(&p->sibling);
    wait_entry_init(&p->wait);
    list_init(&p->deadline_link);
    wait_queue_init(&p->child_exits, "children");
    sched_entity_init(&p->sched);
    group_member_init(&p->member);
    p->accounting.created_tick = timer_ticks();
    list_push_back(&proc_list, &p->all);
    live_processes++;
    return p;
}

void proc_free(struct proc *p)
{
    pid_table_remove(&pids, &p->pid_entry);
    group_leave(p); /* the last member out ends its group */
    sched_arrival_forget(p);
    list_remove(&p->all);
    list_remove(&p->sibling);
    kernel_stack_free(p->kernel_stack_top);
    live_processes--;
    kfree(p);
}

struct proc *proc_find(int pid)
{
    struct pid_entry *entry = pid_table_find(&pids, pid);
    return entry ? list_entry(entry, struct proc, pid_entry) : NULL;
}

const char *proc_state_name(enum proc_state state)
{
    static const char *const names[] = {"NEW", "READY", "RUNNING", "BLOCKED", "ZOMBIE"};
    return (unsigned)state <= PROC_ZOMBIE ? names[state] : "?";
}
