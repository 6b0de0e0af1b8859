/*
 * bench_pick — the cost of one scheduling decision with N READY processes,
 * for every policy, measured on the host over the policies' own source files.
 *
 * For each policy and each N it makes N processes (forked from one parent, so
 * they carry the policy's default parameters; every other one is given
 * nice 19 or 1 ticket where the policy takes it, so the queue is not uniform),
 * makes them all READY, then repeats what the dispatcher does at every
 * preemption: pick_next, one tick charged to the chosen process, enqueue it
 * again. pick_next and enqueue are timed (rdtsc, host cycles) and reported
 * as medians. A cost that grows with N is an O(n) policy operation.
 * Usage: bench_pick [N...]   (default 10 100 1000). Prints, never judges.
 * OSTEP ch. 7-9 (the policies), ch. 6 (measuring).
 */
#include "kernel/proc/proc.h"
#include "kernel/sched/policies.h"
#include "kernel/sched/policy.h"
#include "tests/unit/host_panic.h"
#include "tests/unit/host_proc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <x86intrin.h>

#define DECISIONS 20001    /* timed decisions per policy and N (odd: one median) */
#define MAX_PROCESSES 4096 /* the kernel's maxproc= limit (lottery has that many slots) */

uint64_t sched_quantum_ticks = 10;
static uint64_t clock_ticks;

uint64_t sched_clock_ticks(void)
{
    return clock_ticks;
}

/* What sjf/stcf and mlfq ask of the kernel besides the clock: no CPU time,
 * no workload run, and a trace that records nothing. */
uint64_t sched_cpu_ns(const struct proc *p)
{
    (void)p;
    return 0;
}

uint64_t sched_run_start_tick(void)
{
    return 0;
}

uint64_t sched_tick_ns(void)
{
    return 10000000ULL;
}

void trace_param(int pid, const char *param, long value)
{
    (void)pid;
    (void)param;
    (void)value;
}

void trace_boost(void)
{
}

static uint64_t pick_samples[DECISIONS], enqueue_samples[DECISIONS];

static int compare(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *samples)
{
    qsort(samples, DECISIONS, sizeof(*samples), compare);
    return samples[DECISIONS / 2];
}

static void make_ready(const struct sched_policy *policy, struct proc *p)
{
    p->state = PROC_READY;
    p->sched.ready_since_tick = clock_ticks;
    p->sched.queued = true;
    policy->enqueue(p);
}

/* Median cycles of pick_next and of enqueue with `count` processes READY. */
static void measure(const struct sched_policy *policy, struct proc *processes, int count,
                    uint64_t *pick, uint64_t *enqueue)
{
    static struct proc parent;
    host_proc_init(&parent, 1, "parent");
    clock_ticks = 0;
    policy->init();
    for (int i = 0; i < count; i++) {
        struct proc *p = &processes[i];
        host_proc_init(p, i + 2, "p");
        sched_entity_inherit(&parent.sched, &p->sched);
        if (policy->fork)
            policy->fork(&parent, p);
        if (i % 2 == 1 && policy->check_param) { /* not queued yet, as set_param requires */
            if (policy->check_param(SCHED_PARAM_NICE, 19) == 0)
                policy->set_param(p, SCHED_PARAM_NICE, 19);
            else if (policy->check_param(SCHED_PARAM_TICKETS, 1) == 0)
                policy->set_param(p, SCHED_PARAM_TICKETS, 1);
        }
        make_ready(policy, p);
    }
    for (int i = 0; i < DECISIONS; i++) {
        uint64_t start = __rdtsc();
        struct proc *next = policy->pick_next();
        pick_samples[i] = __rdtsc() - start;
        if (next == NULL || next->state != PROC_READY) {
            fprintf(stderr, "bench_pick: %s picked no READY process\n", policy->name);
            exit(1);
        }
        next->sched.queued = false;
        next->state = PROC_RUNNING;
        clock_ticks++;
        policy->tick(next);
        next->state = PROC_READY;
        next->sched.ready_since_tick = clock_ticks;
        next->sched.queued = true;
        start = __rdtsc();
        policy->enqueue(next);
        enqueue_samples[i] = __rdtsc() - start;
    }
    *pick = median(pick_samples);
    *enqueue = median(enqueue_samples);
}

int main(int argc, char **argv)
{
    int counts[16] = {10, 100, 1000};
    int count_number = 3;
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("usage: bench_pick [COUNT...]\n  host cycles per scheduling decision of each "
               "policy with COUNT READY processes (default 10 100 1000)\n");
        return 0;
    }
    if (argc > 1) {
        count_number = 0;
        for (int i = 1; i < argc; i++) {
            char *end;
            long value = strtol(argv[i], &end, 10);
            if (end == argv[i] || *end != '\0' || value < 1 || value > MAX_PROCESSES ||
                count_number == 16) {
                fprintf(stderr, "bench_pick: %s: want up to 16 counts from 1 to %d\n", argv[i],
                        MAX_PROCESSES);
                return 2;
            }
            counts[count_number++] = (int)value;
        }
    }
    int largest = 0;
    for (int i = 0; i < count_number; i++)
        largest = counts[i] > largest ? counts[i] : largest;
    struct proc *processes = calloc((size_t)largest, sizeof(*processes));
    if (!processes) {
        fprintf(stderr, "bench_pick: out of memory for %d processes\n", largest);
        return 1;
    }
    printf("pick: host cycles per scheduling decision (median of %d), by READY processes\n",
           DECISIONS);
    printf("pick: %-8s %-8s", "policy", "op");
    for (int i = 0; i < count_number; i++)
        printf(" %8d", counts[i]);
    printf("\n");
    for (int policy_index = 0; policy_index < SCHED_POLICY_COUNT; policy_index++) {
        const struct sched_policy *policy = sched_policies[policy_index];
        uint64_t picks[16], enqueues[16];
        for (int i = 0; i < count_number; i++)
            measure(policy, processes, counts[i], &picks[i], &enqueues[i]);
        printf("pick: %-8s %-8s", policy->name, "pick");
        for (int i = 0; i < count_number; i++)
            printf(" %8llu", (unsigned long long)picks[i]);
        printf("\npick: %-8s %-8s", policy->name, "enqueue");
        for (int i = 0; i < count_number; i++)
            printf(" %8llu", (unsigned long long)enqueues[i]);
        printf("\n");
    }
    free(processes);
    return 0;
}
