/*
 * top [N] — a live view of who gets the CPU, refreshed every second.
 *
 * Each refresh compares two procstat snapshots a second apart: a process's
 * share is the CPU ticks it used in that second over all ticks that passed.
 * Under lottery you can watch two jobs with 3:1 tickets converge towards
 * 75% / 25%; under stride they sit there from the first second. Runs until
 * Ctrl-C, or N refreshes.
 * OSTEP ch. 7-9 (what a scheduling policy does, seen from outside).
 */
#include "lib/string.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"

#define MAX_PROCESSES 128

static struct proc_stat previous[MAX_PROCESSES], current[MAX_PROCESSES];
static const char *const state_names[] = {"NEW", "READY", "RUNNING", "BLOCKED", "ZOMBIE"};

static unsigned long earlier_cpu_ms(int pid, int count)
{
    for (int i = 0; i < count; i++)
        if (previous[i].pid == pid)
            return (unsigned long)previous[i].cpu_ms;
    return 0;
}

static void show(int previous_count, int count, long interval_ms)
{
    char policy[128];
    sched(0, policy, sizeof(policy));
    printf("\x1b[H\x1b[J"); /* home the cursor and clear the screen */
    printf("top - up %ld s - %s\n", uptime_ms() / 1000, policy);
    printf("%5s %-8s %6s %-12s %8s %s\n", "PID", "STATE", "%CPU", "POLICY", "CPU-MS", "NAME");
    /* CPU ms in the interval (the kernel measures them with the TSC) over its length */
    for (int i = 0; i < count; i++) {
        const struct proc_stat *p = &current[i];
        unsigned long earlier = earlier_cpu_ms(p->pid, previous_count);
        unsigned long used = p->cpu_ms >= earlier ? (unsigned long)p->cpu_ms - earlier : 0;
        unsigned long share_tenths = interval_ms > 0 ? used * 1000 / (unsigned long)interval_ms : 0;
        char parameter[24] = "";
        if (p->policy_label[0])
            snprintf(parameter, sizeof(parameter), "%s %ld", p->policy_label,
                     (long)p->policy_value);
        printf("%5d %-8s %4lu.%lu %-12s %8lu %s\n", p->pid,
               p->state >= 0 && p->state <= 4 ? state_names[p->state] : "?", share_tenths / 10,
               share_tenths % 10, parameter, (unsigned long)p->cpu_ms, p->name);
    }
}

int main(int argc, char **argv)
{
    long refreshes = argc > 1 ? strtol(argv[1], 0, 10) : -1;
    int previous_count = procstat(previous, MAX_PROCESSES);
    long before = uptime_ms();
    for (long i = 0; refreshes < 0 || i < refreshes; i++) {
        sleep_ms(1000);
        int count = procstat(current, MAX_PROCESSES);
        long now = uptime_ms();
        show(previous_count, count, now - before);
        memcpy(previous, current, sizeof(current));
        previous_count = count;
        before = now;
    }
    return 0;
}
