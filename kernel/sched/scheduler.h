/*
 * scheduler.h — the dispatcher: switching the CPU between processes.
 *
 * The running process gives up the CPU by blocking, yielding or exiting, or
 * loses it when the timer says its slice is over; the policy picks the next.
 * Rule: the dispatcher alone puts processes on and takes them off the
 * policy's ready queues (policy.h says what that promises a policy).
 * Rule: called only with interrupts disabled (interrupts_off.h).
 * OSTEP ch. 6 (Limited Direct Execution: switching between processes), ch. 7.
 */
#ifndef PRISM_KERNEL_SCHED_SCHEDULER_H
#define PRISM_KERNEL_SCHED_SCHEDULER_H

#include <stdbool.h>
#include <stdint.h>

struct proc;
struct sched_policy;
struct wait_queue;

void sched_init(const struct sched_policy *policy);

/* The process on the CPU (the idle process when nobody else can run).
 * Inline in the kernel (cpu.h says why); host tests supply their own. */
#ifdef PRISM_HOST
struct proc *proc_current(void);
#else
#include "kernel/arch/x86_64/cpu.h"
static inline struct proc *proc_current(void)
{
    return cpu_this()->current;
}
#endif

/* Starts running processes; never returns to the caller (kmain). */
__attribute__((noreturn)) void sched_start(void);

/* p (NEW or BLOCKED) becomes READY. */
void sched_make_ready(struct proc *p);

/* The running process stays runnable but lets others go first. */
void sched_yield(void);

/* The running process joins queue and waits until sched_wakeup(queue) or a
 * kill; then it must check its condition again (wait_queue.h). */
void sched_block(struct wait_queue *queue);

/* Every process waiting on queue (and no other) becomes READY. */
void sched_wakeup(struct wait_queue *queue);

/* Blocks the running process for `ticks` timer ticks (or until killed) on
 * the sleepers queue, ordered by wake time. */
void sched_sleep_ticks(uint64_t ticks);

/* Blocks the running process on a timed queue until timer tick `tick` (the
 * queue's owner wakes it then, or a kill does earlier). */
void sched_block_until(struct wait_queue *queue, uint64_t tick);

/* Wakes p if it is blocked, taking it off its wait queue, so it notices a
 * pending signal. */
void sched_interrupt(struct proc *p);

/* The running process is a ZOMBIE now; switch away for good. */
__attribute__((noreturn)) void sched_exit_current(void);

/* child (NEW) inherits parent's nice and tickets, then the policy's fork. */
void sched_fork(struct proc *parent, struct proc *child);
/* A job of a workload arrives (arrival.c), its CPU time restarted at 0: the
 * policy meets it as a new job, so nothing it used in setup (naming itself,
 * setting its parameters) counts against its allotment, vruntime or pass. */
void sched_job_arrives(struct proc *p);

/* Sets a per-process parameter (SCHED_PARAM_NICE, _TICKETS) of p in any
 * state: 0; -ESRCH if p is a ZOMBIE; -EINVAL if the policy has no such
 * parameter or refuses the value (then nothing about p changed, not even its
 * place in the queue). A READY p is taken off its queue around the policy's
 * set_param and put back with the new value. */
int sched_set_param(struct proc *p, int param, long value);

/* Called once per timer tick; from_user says the tick interrupted user code
 * (only then may the running process be preempted right away). */
void sched_timer_tick(bool from_user);

/* Called on the way back to user mode: switches if a preemption is due. */
void sched_preempt_if_due(void);

const struct sched_policy *sched_current_policy(void);

/* Switches policy at run time; every READY process moves over. */
void sched_set_policy(const struct sched_policy *new_policy);

#endif
