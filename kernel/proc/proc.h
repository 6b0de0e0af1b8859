/*
 * proc.h — the process control block and the process list.
 *
 * A process is a running program plus everything the kernel keeps to stop it
 * and start it again later: its saved registers (on its own kernel stack), its
 * address space, its open files, who its parent and children are, and the
 * accounting `ps` and the scheduling metrics read. Every process is on one
 * list, proc_list, from fork until its parent reaps it.
 * OSTEP ch. 4 (The Abstraction: The Process) and ch. 5 (Process API).
 */
#ifndef PRISM_KERNEL_PROC_PROC_H
#define PRISM_KERNEL_PROC_PROC_H

#include "kernel/arch/x86_64/cpu_state.h"
#include "kernel/group/group.h"
#include "kernel/proc/pid_table.h"
#include "kernel/sched/sched_entity.h"
#include "kernel/sched/wait_queue.h"
#include "lib/list.h"
#include "lib/syscall_abi.h"

#include <stdbool.h>
#include <stdint.h>

#define PROC_MAX_FILES 16
#define PROC_DEFAULT_MAX 1024 /* maxproc= on the command line changes it */
#define PID_INIT 1
#define PID_IDLE 0

enum proc_state {
    PROC_NEW = PROC_STATE_NEW,         /* being created by fork, not yet runnable */
    PROC_READY = PROC_STATE_READY,     /* waiting for a CPU */
    PROC_RUNNING = PROC_STATE_RUNNING, /* on the CPU now */
    PROC_BLOCKED = PROC_STATE_BLOCKED, /* waiting for an event (sleep, wait, input) */
    PROC_ZOMBIE = PROC_STATE_ZOMBIE,   /* exited; its parent has not collected the status */
};

struct context;    /* callee-saved registers: context_switch.asm */
struct trap_frame; /* user registers at kernel entry: trap.h */
struct address_space;
struct file;

struct proc_accounting {
    uint64_t created_tick;   /* when fork made it */
    uint64_t first_run_tick; /* when it first got the CPU; 0 = not yet */
    uint64_t exit_tick;
    uint64_t cpu_ticks;    /* ticks during which it was RUNNING */
    uint64_t cpu_ns;       /* CPU time measured with the TSC (scheduler.c: sched_cpu_ns) */
    uint64_t run_start_ns; /* when it last got the CPU, while RUNNING */
    uint64_t voluntary_switches;
    uint64_t involuntary_switches;
    uint64_t page_faults;
    uint64_t copy_on_write_faults;
    uint64_t major_faults; /* the page was read back from swap */
};

struct proc {
    int pid;
    int pgid; /* process group: the unit Ctrl-C interrupts */
    char name[PROC_NAME_MAX];
    enum proc_state state;

    struct proc *parent;
    struct list_node children; /* this process's children ... */
    struct list_node sibling;  /* ... linked through this node */
    struct list_node all;      /* link in proc_list */

    struct context *context;       /* saved kernel registers while not running */
    struct trap_frame *trap_frame; /* user registers, at the top of the kernel stack */
    uint64_t kernel_stack_top;
    struct address_space *address_space;
    struct file *files[PROC_MAX_FILES];

    int exit_status;    /* waitpid encoding (syscall_abi.h) once ZOMBIE */
    int pending_signal; /* set by kill, Ctrl-C or a fault: the process must die */

    struct pid_entry pid_entry;     /* in the pid table (pid_entry.pid == pid) */
    struct wait_entry wait;         /* on the one wait queue a BLOCKED process waits on */
    struct wait_queue child_exits;  /* this process waiting for a child to exit */
    struct list_node deadline_link; /* in arrival.c's deadline list, by deadline_tick */
    uint64_t deadline_tick;         /* when the kernel ends it (!duration); 0 = never */
    bool arrived;                   /* a workload job that has arrived (arrival.c) */

    struct group_member member; /* its container group, if any (group.h) */
    struct sched_entity sched;  /* the scheduling policy's per-process data */
    struct cpu_state cpu_state; /* FPU/SSE registers, fs/gs: saved on every switch */
    struct proc_accounting accounting;
};

extern struct list_node proc_list; /* every process, in creation order */

/* Limits the number of processes (>= 2). */
void proc_init(long max_processes);

/* A new PCB in state NEW with a kernel stack and a fresh pid; NULL with
 * *error = -EAGAIN (limit reached) or -ENOMEM. Not on any scheduler queue. */
struct proc *proc_alloc(const char *name, int *error);

/* Releases a ZOMBIE's PCB and kernel stack (its memory is already gone). */
void proc_free(struct proc *p);

/* The process with this pid (ZOMBIEs included), or NULL; O(1) through the
 * pid table. */
struct proc *proc_find(int pid);
size_t proc_count(void);
long proc_limit(void);
const char *proc_state_name(enum proc_state state);
void proc_set_name(struct proc *p, const char *name);

#endif
