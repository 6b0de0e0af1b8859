/*
 * top [N] — a live view of who gets the CPU, refreshed every second.
 *
 * Each refresh compares two procstat snapshots a second apart: a process's
 * share is the CPU ticks it used in that second over all ticks that passed.
 * Under lottery you can watch two jobs with 3:1 tickets converge towards
 * 75% / 25%; under stride they sit there from the first second. Runs until
 * q (or Ctrl-C), or N refreshes. There is no non-blocking read, so a child
 * process in top's own group blocks reading the keyboard (in raw mode: no
 * Enter needed) and exits when it sees q; top notices at its next refresh.
 * When container groups exist (`group run`), a group section follows: each
 * group's CPU share in the second (all its members together), its weight,
 * memory use and limit, and members — hierarchical sharing, seen from outside.
 * OSTEP ch. 7-9 (what a scheduling policy does, seen from outside).
 */
#include "lib/string.h"
#include "user/lib/args.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"

#define MAX_PROCESSES 128

static struct proc_stat previous[MAX_PROCESSES], current[MAX_PROCESSES];
static const char *const state_names[] = {"NEW", "READY", "RUNNING", "BLOCKED", "ZOMBIE"};

#define MAX_GROUPS 32

static struct group_info previous_groups[MAX_GROUPS], current_groups[MAX_GROUPS];
static int previous_group_count, current_group_count;

static unsigned long earlier_group_ms(int id)
{
    for (int i = 0; i < previous_group_count; i++)
        if (previous_groups[i].id == id)
            return (unsigned long)previous_groups[i].cpu_ms;
    return 0;
}

static void show_groups(long interval_ms)
{
    if (current_group_count <= 0)
        return;
    printf("\n%5s %-15s %6s %4s %9s %9s %7s\n", "GROUP", "NAME", "%CPU", "CPU", "MEM-USED",
           "MEM-MAX", "MEMBERS");
    for (int i = 0; i < current_group_count; i++) {
        const struct group_info *g = &current_groups[i];
        unsigned long earlier = earlier_group_ms(g->id);
        unsigned long used = g->cpu_ms >= earlier ? (unsigned long)g->cpu_ms - earlier : 0;
        unsigned long share_tenths = interval_ms > 0 ? used * 1000 / (unsigned long)interval_ms : 0;
        char limit[16] = "none";
        if (g->mem_limit_pages)
            snprintf(limit, sizeof limit, "%luK", (unsigned long)g->mem_limit_pages * 4);
        printf("%5d %-15.*s %4lu.%lu %4u %8luK %9s %7d\n", g->id, GROUP_NAME_SIZE, g->name,
               share_tenths / 10, share_tenths % 10, g->cpu_weight,
               (unsigned long)g->mem_used_pages * 4, limit, g->members);
    }
}

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

#define QUIT_PRESSED 0 /* the key reader's exit status when q was typed */

/* In a child: reads keys until q; returns only in the parent (the child's pid). */
static int start_key_reader(void)
{
    stdout_flush();
    int pid = fork();
    if (pid != 0)
        return pid;
    for (;;) {
        char c;
        long count = read(STDIN_FILENO, &c, 1);
        if (count <= 0)
            _exit(1); /* no keyboard (a pipe, or the end of input): never quit on it */
        if (c == 'q' || c == 'Q')
            _exit(QUIT_PRESSED);
    }
}

static bool quit_pressed(int reader)
{
    int status = 0;
    return reader > 0 && waitpid(reader, &status, WNOHANG) == reader && WIFEXITED(status) &&
           WEXITSTATUS(status) == QUIT_PRESSED;
}

int main(int argc, char **argv)
{
    struct args args;
    long refreshes = -1;
    args_begin(&args, argc, argv, "[N]",
               "show each process's CPU share, every second, N times or until q");
    args_optional_number(&args, "N", 1, 1000000000L, &refreshes);
    if (args_finish(&args) < 0)
        return args.status;
    int was_raw = tty_raw(STDIN_FILENO, 1);
    int reader = start_key_reader();
    int previous_count = procstat(previous, MAX_PROCESSES);
    previous_group_count = group_list(previous_groups, MAX_GROUPS);
    long before = uptime_ms();
    for (long i = 0; (refreshes < 0 || i < refreshes) && !quit_pressed(reader); i++) {
        sleep_ms(1000);
        int count = procstat(current, MAX_PROCESSES);
        current_group_count = group_list(current_groups, MAX_GROUPS);
        long now = uptime_ms();
        show(previous_count, count, now - before);
        show_groups(now - before);
        stdout_flush();
        memcpy(previous, current, sizeof(current));
        previous_count = count;
        memcpy(previous_groups, current_groups, sizeof(current_groups));
        previous_group_count = current_group_count;
        before = now;
    }
    if (reader > 0) {
        kill(reader, SIGKILL);
        waitpid(reader, NULL, 0);
    }
    if (was_raw >= 0)
        tty_raw(STDIN_FILENO, was_raw);
    return 0;
}
