/*
 * proc.c — the process list: allocating, finding and freeing PCBs.
 *
 * PCBs come from the kernel heap, one per process, and sit on proc_list from
 * fork until the parent reaps them; their number is bounded by maxproc= (not
 * by an array size), so running out is an error fork reports (-EAGAIN), not
 * a crash. Pids count up and are never reused while a process with that pid
 * still exists.
 * OSTEP ch. 4 (The Abstraction: The Process — the process list, Figure 4.5).
 */
#include "kernel/proc/proc.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/proc/kernel_stack.h"
#include "kernel/timer.h"
#include "lib/errno.h"
#include "lib/string.h"

#define PROC_MAX_LIMIT 4096

struct list_node proc_list = LIST_HEAD_INIT(proc_list);
static size_t live_processes;
static long max_processes = PROC_DEFAULT_MAX;
static int next_pid = 1;

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

static int allocate_pid(void)
{
    for (;;) {
        int pid = next_pid++;
        if (next_pid <= 0)
            next_pid = 2; /* wrapped: 1 stays init's */
        if (!proc_find(pid))
            return pid;
    }
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
    p->pid = allocate_pid();
    p->pgid = p->pid;
    p->state = PROC_NEW;
    proc_set_name(p, name);
    list_init(&p->children);
    list_init(&p->sibling);
    list_init(&p->sleeping);
    sched_entity_init(&p->sched);
    p->accounting.created_tick = timer_ticks();
    list_push_back(&proc_list, &p->all);
    live_processes++;
    return p;
}

void proc_free(struct proc *p)
{
    list_remove(&p->all);
    list_remove(&p->sibling);
    kernel_stack_free(p->kernel_stack_top);
    live_processes--;
    kfree(p);
}

struct proc *proc_find(int pid)
{
    list_for_each(node, &proc_list)
    {
        struct proc *p = list_entry(node, struct proc, all);
        if (p->pid == pid)
            return p;
    }
    return NULL;
}

const char *proc_state_name(enum proc_state state)
{
    static const char *const names[] = {"NEW", "READY", "RUNNING", "BLOCKED", "ZOMBIE"};
    return (unsigned)state <= PROC_ZOMBIE ? names[state] : "?";
}
