/*
 * policies.h — every scheduling policy Prism has, by name.
 *
 * The boot command line (sched=lottery), the `sched` shell command and the
 * build (SCHED=mlfq) all name a policy; this registry turns the name into the
 * policy's table of operations. Round robin comes first: it is the default.
 * OSTEP ch. 7-9 (one policy per file: rr, fifo, prio, mlfq, lottery, stride, cfs,
 * sjf, stcf).
 */
#ifndef PRISM_KERNEL_SCHED_POLICIES_H
#define PRISM_KERNEL_SCHED_POLICIES_H

#include "kernel/sched/policy.h"

#define SCHED_POLICY_COUNT 9

/* rr, fifo, prio, mlfq, lottery, stride, cfs, sjf, stcf. */
extern const struct sched_policy *const sched_policies[SCHED_POLICY_COUNT];

/* The policy whose .name is exactly `name`; NULL if none (or name is NULL). */
const struct sched_policy *sched_policy_by_name(const char *name);

#endif
