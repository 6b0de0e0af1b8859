/*
 * charge.h — exact CPU time for the policies whose rules charge time.
 *
 * CFS's vruntime and MLFQ's allotment are defined by the book in CPU time,
 * not in timer ticks: a job that runs 0.3 of a tick and blocks has used 0.3
 * of a tick. The kernel measures each process's CPU time with the TSC
 * (sched_cpu_ns, policy.h); this takes what a process used since it was last
 * charged. Slices still end on ticks (the dispatcher only looks at the clock
 * when the timer fires); stride's pass += stride per quantum is counted per
 * quantum by the book's definition and does not use this.
 * Rule: a policy calls it at each tick of the running process and when the
 * process becomes READY again (enqueue), so time used before a block or a
 * yield is charged before the process competes again. The mark
 * (p->sched.charged_ns) is reset by the dispatcher on a policy switch and on
 * fork, so no policy is charged for time used under another. Wherever
 * the CPU time itself is reset (fork, a workload job's arrival) the mark is
 * reset with it, so the mark never exceeds the CPU time: checked here,
 * because a mark ahead of the clock would silently charge nothing.
 * OSTEP ch. 8 (MLFQ rule 4), ch. 9 (section 9.7, CFS's vruntime).
 */
#ifndef PRISM_KERNEL_SCHED_CHARGE_H
#define PRISM_KERNEL_SCHED_CHARGE_H

#include "kernel/panic.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/policy.h"

#include <stdint.h>

/* Nanoseconds of CPU p used since its last charge; marks them charged. */
static inline uint64_t sched_take_uncharged_ns(struct proc *p)
{
    uint64_t now = sched_cpu_ns(p);
    if (now < p->sched.charged_ns)
        panic("sched: pid %d charged to %llu ns but has run only %llu ns", p->pid,
              (unsigned long long)p->sched.charged_ns, (unsigned long long)now);
    uint64_t used = now - p->sched.charged_ns;
    p->sched.charged_ns = now;
    return used;
}

#endif
