/*
 * schedtest.c — the in-guest test of per-process scheduling parameters.
 *
 * Under every policy (switched at run time with the sched system call) it
 * calls setparam through the real system call on a process in each state:
 * itself (RUNNING), a child that is READY (it yields in a loop), a child
 * BLOCKED on a pipe, and a ZOMBIE child; with a value the policy accepts and
 * one it refuses. Each answer is checked (0, -EINVAL, -ESRCH), the value ps
 * shows must follow, and afterwards every child must still be scheduled:
 * the READY one dies when killed, the BLOCKED one wakes when the pipe is
 * written. A set_param that re-queues a process it should not (issue 13,
 * defect 1) panics or hangs the kernel here. Prints one line per case and
 * "schedtest: N passed, M failed"; restores the policy it found.
 * OSTEP ch. 7-9 (policies and their parameters), ch. 4 (process states).
 */
#include "lib/string.h"
#include "user/lib/args.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"

#define DESCRIPTION_MAX 256

static int passed, failed;

static void check(bool ok, const char *policy, const char *name)
{
    printf("schedtest: %-8s %-48s %s\n", policy, name, ok ? "ok" : "FAILED");
    if (ok)
        passed++;
    else
        failed++;
}

struct policy_case {
    const char *name;
    int param;      /* the parameter it takes; 0 = none */
    long good, bad; /* a value it accepts, one it refuses */
};

static const struct policy_case cases[] = {
    {"rr", 0, 0, 0},
    {"fifo", 0, 0, 0},
    {"prio", SCHED_PARAM_NICE_ID, 5, 20},
    {"mlfq", 0, 0, 0},
    {"lottery", SCHED_PARAM_TICKETS_ID, 10, 0},
    {"stride", SCHED_PARAM_TICKETS_ID, 10, 10001},
    {"cfs", SCHED_PARAM_NICE_ID, 5, -21},
};

/* The state and the value ps shows for pid, or false if it is gone. */
static bool stat_of(int pid, int *state, long *value)
{
    static struct proc_stat stats[64];
    int count = procstat(stats, 64);
    for (int i = 0; i < count; i++) {
        if (stats[i].pid == pid) {
            *state = stats[i].state;
            *value = stats[i].policy_value;
            return true;
        }
    }
    return false;
}

/* Yields until pid is in `wanted` state; false if that never happens. */
static bool wait_for_state(int pid, int wanted)
{
    for (int tries = 0; tries < 100000; tries++) {
        int state;
        long value;
        if (!stat_of(pid, &state, &value))
            return false;
        if (state == wanted)
            return true;
        yield();
    }
    return false;
}

/* Every value setparam must return for (policy, value): 0 if the policy takes
 * the parameter and the value is in range, else -EINVAL. */
static long expected(const struct policy_case *policy, long value)
{
    return policy->param && value == policy->good ? 0 : -EINVAL;
}

/* setparam(pid, ...) with the good value, then the bad one; the value shown
 * must be the good one afterwards (for a policy with a parameter). */
static void set_and_check(const struct policy_case *policy, int pid, int target, const char *who)
{
    int param = policy->param ? policy->param : SCHED_PARAM_NICE_ID;
    static char name[64];
    snprintf(name, sizeof(name), "setparam on %s: %s", who,
             policy->param ? "accepted" : "-EINVAL (no parameter)");
    check(setparam(pid, param, policy->good) == expected(policy, policy->good), policy->name, name);
    snprintf(name, sizeof(name), "setparam on %s, bad value: -EINVAL", who);
    check(setparam(pid, param, policy->bad) == -EINVAL, policy->name, name);
    if (!policy->param)
        return;
    int state;
    long value = 0;
    snprintf(name, sizeof(name), "ps shows %s's new value", who);
    check(stat_of(target, &state, &value) && value == policy->good, policy->name, name);
}

static void test_self(const struct policy_case *policy)
{
    set_and_check(policy, 0, getpid(), "itself (RUNNING)");
}

static void test_ready_child(const struct policy_case *policy)
{
    stdout_flush();
    int child = fork();
    if (child == 0)
        for (;;)
            yield();
    int state;
    long value;
    check(stat_of(child, &state, &value) && state == PROC_STATE_READY, policy->name,
          "a yielding child is READY while we run");
    set_and_check(policy, child, child, "a READY child");
    int status = 0;
    check(kill(child, SIGKILL) == 0 && waitpid(child, &status, 0) == child && WIFSIGNALED(status) &&
              WTERMSIG(status) == SIGKILL,
          policy->name, "the READY child still runs (dies when killed)");
}

static void test_blocked_child(const struct policy_case *policy)
{
    int fds[2];
    if (pipe(fds) < 0) {
        check(false, policy->name, "pipe for the BLOCKED child");
        return;
    }
    stdout_flush();
    int child = fork();
    if (child == 0) {
        close(fds[1]);
        char byte = 0;
        long n = read(fds[0], &byte, 1);
        _exit(n == 1 && byte == 'x' ? 5 : 6);
    }
    close(fds[0]);
    check(wait_for_state(child, PROC_STATE_BLOCKED), policy->name,
          "a child reading an empty pipe is BLOCKED");
    set_and_check(policy, child, child, "a BLOCKED child");
    int status = 0;
    check(write(fds[1], "x", 1) == 1 && waitpid(child, &status, 0) == child && WIFEXITED(status) &&
              WEXITSTATUS(status) == 5,
          policy->name, "the BLOCKED child wakes and exits");
    close(fds[1]);
}

static void test_zombie_child(const struct policy_case *policy)
{
    stdout_flush();
    int child = fork();
    if (child == 0)
        _exit(0);
    check(wait_for_state(child, PROC_STATE_ZOMBIE), policy->name, "an exited child is a ZOMBIE");
    int param = policy->param ? policy->param : SCHED_PARAM_NICE_ID;
    check(setparam(child, param, policy->good) == -ESRCH, policy->name,
          "setparam on a ZOMBIE: -ESRCH");
    int status;
    check(waitpid(child, &status, 0) == child, policy->name, "the ZOMBIE is reaped after it");
}

int main(int argc, char **argv)
{
    struct args args;
    args_begin(&args, argc, argv, "",
               "the in-guest test of every policy's parameters (make check runs it)");
    if (args_finish(&args) < 0)
        return args.status;
    static char description[DESCRIPTION_MAX];
    if (sched(NULL, description, sizeof(description)) < 0) {
        printf("schedtest: cannot read the current policy\n");
        return 1;
    }
    char *colon = strchr(description, ':');
    if (colon)
        *colon = '\0'; /* "rr: quantum=..." -> "rr" */
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct policy_case *policy = &cases[i];
        check(sched(policy->name, NULL, 0) == 0, policy->name, "switch to the policy");
        test_self(policy);
        test_ready_child(policy);
        test_blocked_child(policy);
        test_zombie_child(policy);
    }
    check(setparam(999999, SCHED_PARAM_NICE_ID, 0) == -ESRCH, "-",
          "setparam on no such pid: -ESRCH");
    check(setparam(0, 77, 0) == -EINVAL, "-", "setparam of an unknown parameter: -EINVAL");
    check(sched(description, NULL, 0) == 0, description, "back to the policy we found");
    printf("schedtest: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
