/*
 * policy.h — the seam between the dispatcher and a scheduling policy.
 *
 * The dispatcher (scheduler.c) decides *when* to switch: a process blocks,
 * yields, exits, or its time slice ends. A policy decides *who* runs next and
 * how long a slice is, through this table of operations (in the spirit of
 * Linux's sched_class). A policy file includes no architecture header and
 * compiles unchanged into the kernel and into host unit tests driven by a
 * simulated clock.
 *
 * Rule: the dispatcher alone owns run-queue membership. It sets and clears
 * p->sched.queued; a policy never reads it to decide what to do, and moves a
 * process onto or off its queues only inside enqueue, dequeue and pick_next.
 * The dispatcher guarantees, and the policies assert where it is cheap:
 *  - enqueue only for a process that is not queued, dequeue only for one that is;
 *  - pick_next removes the process it returns from the ready set;
 *  - set_param only on a process that is NOT queued (the dispatcher dequeues
 *    a READY process around the call, so a policy whose queues are ordered
 *    by the parameter sees it re-enqueued with the new value), and only after
 *    check_param accepted the value, so a refused value changes nothing;
 *  - fork after it has copied nice and tickets from parent to child;
 *  - all calls are serialized (the kernel runs with interrupts disabled).
 * OSTEP ch. 7 (Scheduling: Introduction) onwards.
 */
#ifndef PRISM_KERNEL_SCHED_POLICY_H
#define PRISM_KERNEL_SCHED_POLICY_H

#include "kernel/panic.h"
#include "lib/errno.h"
#include "lib/list.h"
#include "lib/syscall_abi.h"

#include <stdbool.h>
#include <stdint.h>

struct proc;

struct sched_policy {
    const char *name;
    void (*init)(void);
    void (*enqueue)(struct proc *p);    /* p became READY */
    void (*dequeue)(struct proc *p);    /* p leaves the READY set (killed, set_param, switch) */
    struct proc *(*pick_next)(void);    /* choose who runs next; NULL = nobody READY */
    bool (*tick)(struct proc *running); /* one timer tick charged to running; true = preempt */

    /* Optional (may be NULL). fork: the child's policy-specific start state
     * (nice and tickets are already inherited). check_param: 0 if set_param
     * would accept (param, value), else -EINVAL; set_param: applies it to a
     * process that is not queued. Both NULL: the policy has no parameters.
     * configure: a tunable from the command line, e.g. ("levels", 3) for
     * mlfq_levels=3; 0, -EINVAL (bad value) or -ENOENT (no such tunable).
     * describe: one line of the policy's parameters for the `sched` command.
     * show_param: what ps prints for p ("nice", 0). */
    void (*fork)(struct proc *parent, struct proc *child);
    int (*check_param)(int param, long value);
    void (*set_param)(struct proc *p, int param, long value);
    int (*configure)(const char *key, long value);
    int (*describe)(char *buffer, unsigned long size);
    void (*show_param)(const struct proc *p, const char **label, long *value);
};

/* Per-process parameters (set_param's `param`; also SYS_setparam's). */
#define SCHED_PARAM_NICE SCHED_PARAM_NICE_ID
#define SCHED_PARAM_TICKETS SCHED_PARAM_TICKETS_ID
/* Handled by the dispatcher for every policy (sched_set_param); sjf and stcf read it. */
#define SCHED_PARAM_EXPECTED SCHED_PARAM_EXPECTED_ID
#define SCHED_EXPECTED_MAX_MS 100000000L

/* check_param for a policy whose one parameter `wanted` ranges over
 * [min, max]: 0, or -EINVAL for another parameter or a value outside. */
static inline int sched_param_in_range(int param, long value, int wanted, long min, long max)
{
    return param == wanted && value >= min && value <= max ? 0 : -EINVAL;
}

/* A policy's check before linking p into one of its queues: a node linked
 * twice makes a list point into itself, and the kernel hangs far from the
 * cause (issue 13, defect 1). Always on: it is one compare. */
static inline void sched_assert_unlinked(const struct list_node *link, int pid,
                                         const char *policy_name)
{
    if (list_linked(link))
        panic("sched %s: pid %d enqueued twice (already on a queue)", policy_name, pid);
}

/* ... and before unlinking it. */
static inline void sched_assert_linked(const struct list_node *link, int pid,
                                       const char *policy_name)
{
    if (!list_linked(link))
        panic("sched %s: pid %d dequeued but not on a queue", policy_name, pid);
}

/* The clock a policy reads: ticks since boot, provided by the kernel (or by
 * a host test's simulated clock). */
uint64_t sched_clock_ticks(void);

/* p's CPU time in nanoseconds, the running stint included: measured by the
 * kernel with the TSC (or by a host test's simulated clock). */
uint64_t sched_cpu_ns(const struct proc *p);

/* The length of one tick in nanoseconds (1e9 / hz; the simulated clock's in
 * host tests): policies that charge exact time convert tick settings with it. */
uint64_t sched_tick_ns(void);

/* The tick at which the current workload run began (its first job's
 * arrival, arrival.c), or 0 when no run is on: MLFQ counts boosts from it. */
uint64_t sched_run_start_tick(void);

/* Time-slice length in ticks, set by quantum= (default 10 ticks). */
extern uint64_t sched_quantum_ticks;

extern const struct sched_policy sched_policy_rr;
extern const struct sched_policy sched_policy_fifo;
extern const struct sched_policy sched_policy_prio;
extern const struct sched_policy sched_policy_mlfq;
extern const struct sched_policy sched_policy_lottery;
extern const struct sched_policy sched_policy_stride;
extern const struct sched_policy sched_policy_cfs;
extern const struct sched_policy sched_policy_sjf;
extern const struct sched_policy sched_policy_stcf;

/* The lottery's random source: a number in [0, bound). The kernel keeps the
 * seeded generator; a host test replaces it to choose the winning ticket. */
extern uint64_t (*sched_lottery_draw)(uint64_t bound);

#endif
