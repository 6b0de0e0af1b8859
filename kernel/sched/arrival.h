/*
 * arrival.h — a workload's clock kept by the kernel: jobs that become READY
 * at their arrival time, and jobs that end at a deadline.
 *
 * OSTEP's figures fix when each job arrives and, for open-ended jobs, when
 * the run stops. If a process had to be scheduled to start or stop them,
 * the policy under test would decide when that happens (under FIFO a
 * runner waiting behind a long job never runs). So both are timer events:
 * the timer interrupt makes each arriving job READY and ends each job whose
 * deadline has come, whatever the policy. Called with interrupts off.
 * OSTEP ch. 7 (arrival time, section 7.2), ch. 9 (a run of fixed length).
 */
#ifndef PRISM_KERNEL_SCHED_ARRIVAL_H
#define PRISM_KERNEL_SCHED_ARRIVAL_H

#include <stdint.h>

struct proc;

/*
 * Blocks the running process until timer tick `tick`, then makes it READY as
 * a job that arrives just then: the trace records `arrive`, and its
 * accounting (creation, first run, CPU time) starts again from that moment.
 * Jobs arriving at the same tick become READY in the order they asked. A
 * tick already past arrives at the next tick. Returns 0, or -EINTR if killed.
 */
int sched_arrive_at(uint64_t tick);

/* From timer tick `tick` on, the kernel ends p as `kill p` would (SIGTERM);
 * tick 0 cancels. */
void sched_set_deadline(struct proc *p, uint64_t tick);

/* The timer's part, once per tick before the policy's tick: due arrivals
 * become READY, due deadlines end their processes. */
void sched_arrival_tick(uint64_t now);

/* p's PCB is about to be freed: its deadline is dropped, and if it was the
 * last job of a run the run is over (sched_run_start_tick, policy.h). */
void sched_arrival_forget(struct proc *p);

#endif
