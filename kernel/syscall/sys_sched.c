/*
 * sys_sched.c — system calls for scheduling policies and the trace.
 *
 * `sched` reads or switches the policy at run time (or lists them all, from
 * the registry, so no program keeps its own list), `setparam` hands a
 * per-process parameter (nice, tickets, expected run time) to the dispatcher,
 * `setname` lets a workload job name itself for the trace and ps, and
 * `trace` turns event recording on or off and flushes it; `arrive_at` and
 * `deadline` put a workload's jobs on the kernel's clock (arrival.h), and
 * `cpu_time` tells a job its exact CPU time.
 * OSTEP ch. 7-9 (policies), ch. 8 (MLFQ tuning), ch. 9 (tickets).
 */
#include "kernel/group/group.h"
#include "kernel/mm/user_copy.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/arrival.h"
#include "kernel/sched/policies.h"
#include "kernel/sched/policy.h"
#include "kernel/sched/scheduler.h"
#include "kernel/syscall/sys_proc.h"
#include "kernel/timer.h"
#include "kernel/trace/trace.h"
#include "lib/errno.h"
#include "lib/format.h"
#include "lib/string.h"

#define POLICY_NAME_MAX 16
#define ARRIVAL_MAX_MS (1UL << 40) /* no tick arithmetic can overflow below this */
#define DESCRIPTION_MAX 256

static const char *param_name(int param)
{
    return param == SCHED_PARAM_NICE_ID       ? "nice"
           : param == SCHED_PARAM_TICKETS_ID  ? "tickets"
           : param == SCHED_PARAM_EXPECTED_ID ? "expected"
                                              : "?";
}

long sys_setparam(SYSCALL_ARGS)
{
    if (a0 > INT32_MAX)
        return -ESRCH;
    struct proc *p = a0 == 0 ? proc_current() : group_find_visible(proc_current(), (int)a0);
    if (!p)
        return -ESRCH; /* also a process outside the caller's group */
    int param = (int)a1;
    if (param != SCHED_PARAM_NICE_ID && param != SCHED_PARAM_TICKETS_ID &&
        param != SCHED_PARAM_EXPECTED_ID)
        return -EINVAL;
    int result = sched_set_param(p, param, (long)a2); /* the dispatcher owns the queues */
    if (result == 0)
        trace_param(p->pid, param_name(param), (long)a2);
    return result;
}

/* "rr fifo prio=nice ...": each policy, and the label its show_param gives
 * (the parameter ps shows for it), asked of the caller's own PCB. */
static long sched_list_policies(uint64_t user_buffer, uint64_t size)
{
    char list[DESCRIPTION_MAX];
    size_t length = 0;
    for (int i = 0; i < SCHED_POLICY_COUNT; i++) {
        const struct sched_policy *policy = sched_policies[i];
        const char *label = "";
        long value = 0;
        if (policy->show_param)
            policy->show_param(proc_current(), &label, &value);
        length +=
            (size_t)format_snprintf(list + length, sizeof list - length, "%s%s%s%s",
                                    i > 0 ? " " : "", policy->name, label[0] ? "=" : "", label);
        if (length >= sizeof list)
            return -ENOSPC; /* cannot happen with seven policies; say so if it does */
    }
    if (size < length + 1)
        return -ERANGE;
    return user_copy_out(user_buffer, list, length + 1);
}

long sys_sched(SYSCALL_ARGS)
{
    if (a0 == 0 && a3 == SCHED_LIST)
        return sched_list_policies(a1, a2);
    if (a0 != 0) {
        char name[POLICY_NAME_MAX];
        long result = user_copy_string(name, a0, sizeof(name));
        if (result < 0)
            return result == -ENAMETOOLONG ? -EINVAL : result;
        const struct sched_policy *policy = sched_policy_by_name(name);
        if (!policy)
            return -EINVAL;
        sched_set_policy(policy);
    }
    if (a1 != 0 && a2 > 0) {
        char description[DESCRIPTION_MAX];
        const struct sched_policy *policy = sched_current_policy();
        int length = format_snprintf(description, sizeof(description), "%s: ", policy->name);
        if (policy->describe)
            policy->describe(description + length, sizeof(description) - (size_t)length);
        size_t size = strlen(description) + 1;
        if (size > a2)
            size = a2; /* truncated, still NUL-terminated below */
        description[size - 1] = '\0';
        return user_copy_out(a1, description, size);
    }
    return 0;
}

long sys_setname(SYSCALL_ARGS)
{
    char name[PROC_NAME_MAX];
    long result = user_copy_string(name, a0, sizeof(name));
    if (result == -ENAMETOOLONG) /* keep the first characters, as ps would */
        result = 0;
    if (result < 0)
        return result;
    struct proc *p = proc_current();
    proc_set_name(p, name);
    trace_name(p->pid, p->name);
    return 0;
}

long sys_trace(SYSCALL_ARGS)
{
    switch (a0) {
    case TRACE_OFF:
    case TRACE_ON:
        trace_set_enabled(a0 == TRACE_ON);
        return 0;
    case TRACE_FLUSH:
        trace_drain(~0U);
        return (long)trace_dropped_events();
    case TRACE_STATUS:
        return trace_enabled ? 1 : 0;
    default:
        return -EINVAL;
    }
}

/* Milliseconds since boot -> the first tick at or after it. */
static uint64_t tick_at_ms(uint64_t ms)
{
    return (ms * timer_hz() + 999) / 1000;
}

long sys_arrive_at(SYSCALL_ARGS)
{
    if (a0 > ARRIVAL_MAX_MS)
        return -EINVAL;
    return sched_arrive_at(tick_at_ms(a0));
}

long sys_deadline(SYSCALL_ARGS)
{
    if (a0 > INT32_MAX)
        return -ESRCH;
    struct proc *p = a0 == 0 ? proc_current() : group_find_visible(proc_current(), (int)a0);
    if (!p || p->state == PROC_ZOMBIE)
        return -ESRCH;
    if (p == proc_find(PID_INIT))
        return -EPERM; /* init keeps the system alive */
    if (a1 > ARRIVAL_MAX_MS)
        return -EINVAL;
    sched_set_deadline(p, a1 == 0 ? 0 : tick_at_ms(a1));
    return 0;
}

long sys_cpu_time(SYSCALL_ARGS)
{
    return (long)sched_cpu_ns(proc_current());
}
