/*
 * sched_sim.h — a host-side machine for testing scheduling policies.
 *
 * Synthetic processes (a struct proc plus a scripted behaviour: how much CPU
 * it needs before exiting, how long it computes before blocking, how long it
 * sleeps), a simulated clock, and a tiny dispatcher that calls the policy
 * exactly as kernel/sched/scheduler.c does: enqueue on READY with queued set,
 * pick_next then queued cleared, tick once per tick for the RUNNING process
 * and preempt when it says so, dequeue for kills and policy switches. The
 * dispatcher checks the contract as it goes (ck_assert): pick_next must return
 * a READY, queued process and must not return NULL while one is READY.
 * Also defines sched_clock_ticks(), sched_cpu_ns() (SIM_TICK_NS per tick run)
 * and sched_quantum_ticks for the policies.
 * OSTEP ch. 7-9 (the chapters' simulators, scheduler.py and mlfq.py, in C).
 */
#ifndef PRISM_TESTS_UNIT_SCHED_SIM_H
#define PRISM_TESTS_UNIT_SCHED_SIM_H

#include "kernel/proc/proc.h"
#include "kernel/sched/policy.h"

#include <stdbool.h>
#include <stdint.h>

#define SIM_MAX_PROCESSES 64
#define SIM_TRACE_TICKS 250000 /* sim_trace() remembers this many ticks */
#define SIM_DEFAULT_QUANTUM 10
#define SIM_TICK_NS 10000000ULL /* a tick at the kernel's default 100 Hz */

struct sim_process {
    struct proc proc;
    /* Behaviour: the test may change these at any time. */
    uint64_t demand; /* CPU ticks until it exits; 0 = never exits */
    uint64_t burst;  /* CPU ticks it computes before blocking; 0 = never blocks */
    uint64_t sleep;  /* ticks it stays BLOCKED after each burst */
    /* Observations. */
    uint64_t cpu_ticks;
    uint64_t picks;       /* times pick_next chose it */
    uint64_t finish_tick; /* when it exited; 0 = alive */
    /* Dispatcher state. */
    uint64_t burst_used;
    uint64_t wake_tick;
};

/* Forgets every process, sets the clock to 0, the quantum to
 * SIM_DEFAULT_QUANTUM, and calls policy->init(). */
void sim_reset(const struct sched_policy *policy);

/* The never-forked first process (like init): every spawn without a parent
 * forks from it, so a test sets its nice/tickets to set the children's. */
struct proc *sim_init_process(void);

/* Creates a process forked from parent (or from sim_init_process() when
 * NULL) and makes it READY; if the CPU is idle it is scheduled at once.
 * It never exits or blocks until the test sets demand/burst/sleep. */
struct sim_process *sim_spawn(const char *name, struct sim_process *parent);

/* One timer tick: wake sleepers, charge the running process, ask the
 * policy, then exit, block or preempt it as its script and the policy say. */
void sim_tick(void);
void sim_run(uint64_t ticks);

/* Runs until every process has exited; false if max_ticks pass first. */
bool sim_run_until_all_exit(uint64_t max_ticks);

/* Within the current tick, the running process computes ns more of CPU and
 * blocks for sleep_ticks (wakes when the clock reaches now + sleep_ticks):
 * a job that gives up the CPU between ticks, as the kernel's block does. */
void sim_block_after(uint64_t ns, uint64_t sleep_ticks);

/* Removes a process at once, whatever its state (kill). */
void sim_kill(struct sim_process *p);

/* sched_set_param's contract: check_param first, then set_param with p off
 * the queue (dequeued and re-enqueued around it when READY). 0 or -EINVAL.
 * SCHED_PARAM_EXPECTED is the dispatcher's: stored for every policy. */
int sim_set_param(struct sim_process *p, int param, long value);

/* The run-time policy switch: dequeue every READY process from the old
 * policy, init the new one, enqueue them all; the running one keeps running. */
void sim_switch_policy(const struct sched_policy *next);

const struct sched_policy *sim_policy(void);
uint64_t sim_now(void);
struct sim_process *sim_running(void); /* NULL when idle */
int sim_trace(uint64_t tick);          /* pid charged with tick, 0 = idle */
int sim_process_count(void);
struct sim_process *sim_process(int index); /* in spawn order */
struct sim_process *sim_process_of(struct proc *p);

/* What the policies told the simulated trace: the last level reported for
 * each pid (-1 = none) and how many boosts. sim_run_start is what
 * sched_run_start_tick() returns (0 after sim_reset). */
extern int sim_reported_level[SIM_MAX_PROCESSES + 2];
extern uint64_t sim_boosts;
extern uint64_t sim_run_start;

/* policy->show_param's value for p (the label must be `label`). */
long sim_param(struct sim_process *p, const char *label);

#endif
