/*
 * policy.h — the seam between the dispatcher and a scheduling policy.
 *
 * The dispatcher (scheduler.c) decides *when* to switch: a process blocks,
 * yields, exits, or its time slice ends. A policy decides *who* runs next and
 * how long a slice is, through this table of operations (in the spirit of
 * Linux's sched_class). A policy file includes no architecture header and
 * compiles unchanged into the kernel and into host unit tests driven by a
 * simulated clock. The dispatcher guarantees: enqueue is called only for a
 * process that is not queued; dequeue only for one that is; pick_next removes
 * the process it returns from the ready set; all calls are serialized.
 * OSTEP ch. 7 (Scheduling: Introduction) onwards.
 */
#ifndef PRISM_KERNEL_SCHED_POLICY_H
#define PRISM_KERNEL_SCHED_POLICY_H

#include "lib/syscall_abi.h"

#include <stdbool.h>
#include <stdint.h>

struct proc;

struct sched_policy {
    const char *name;
    void (*init)(void);
    void (*enqueue)(struct proc *p);    /* p became READY */
    void (*dequeue)(struct proc *p);    /* p leaves the READY set (killed, switched policy) */
    struct proc *(*pick_next)(void);    /* choose who runs next; NULL = nobody READY */
    bool (*tick)(struct proc *running); /* one timer tick charged to running; true = preempt */
    void (*fork)(struct proc *parent, struct proc *child);   /* child inherits parameters */
    int (*set_param)(struct proc *p, int param, long value); /* nice, tickets ... */

    /* Optional (may be NULL). configure: a tunable from the command line,
     * e.g. ("levels", 3) for mlfq_levels=3; 0, -EINVAL (bad value) or -ENOENT
     * (no such tunable). describe: one line of the policy's parameters for
     * the `sched` command. show_param: what ps prints for p ("nice", 0). */
    int (*configure)(const char *key, long value);
    int (*describe)(char *buffer, unsigned long size);
    void (*show_param)(const struct proc *p, const char **label, long *value);
};

/* Per-process parameters (set_param's `param`; also SYS_setparam's). */
#define SCHED_PARAM_NICE SCHED_PARAM_NICE_ID
#define SCHED_PARAM_TICKETS SCHED_PARAM_TICKETS_ID

/* The clock a policy reads: ticks since boot, provided by the kernel (or by
 * a host test's simulated clock). */
uint64_t sched_clock_ticks(void);

/* Time-slice length in ticks, set by quantum= (default 10 ticks). */
extern uint64_t sched_quantum_ticks;

extern const struct sched_policy sched_policy_rr;
extern const struct sched_policy sched_policy_fifo;
extern const struct sched_policy sched_policy_prio;
extern const struct sched_policy sched_policy_mlfq;
extern const struct sched_policy sched_policy_lottery;
extern const struct sched_policy sched_policy_stride;
extern const struct sched_policy sched_policy_cfs;

#endif
