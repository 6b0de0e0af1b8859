/*
 * ps — lists every process: its ids, state, scheduling parameter and accounting.
 *
 * One procstat() system call copies a snapshot of the kernel's process list
 * (OSTEP ch. 4: the PCB fields a kernel keeps per process) into an array this
 * program sizes by trial: if the array came back full, there may be more
 * processes, so it doubles and asks again. Columns: pid, parent, process
 * group, OSTEP's state name, the scheduling policy's parameter ("nice 0",
 * "tickets 100"; blank when the policy has none), CPU time in ms, voluntary
 * and involuntary context switches, page faults, copy-on-write faults, major
 * faults (read back from swap), resident and swapped-out pages, name.
 * When some process is in a container group (`group run`), a GROUP column
 * before the name says which (the group's name; "-" for the root group);
 * inside a group, ps sees only the group's members, by their pids inside.
 */
#include "user/lib/describe.h"
#include "user/lib/malloc.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"
#include "user/lib/args.h"

#define FIRST_CAPACITY 32

static const char *state_name(int32_t state)
{
    switch (state) {
    case PROC_STATE_NEW:
        return "NEW";
    case PROC_STATE_READY:
        return "READY";
    case PROC_STATE_RUNNING:
        return "RUNNING";
    case PROC_STATE_BLOCKED:
        return "BLOCKED";
    case PROC_STATE_ZOMBIE:
        return "ZOMBIE";
    default:
        return "?";
    }
}

/* Fills *stats with a snapshot of all processes; returns the count or a negative errno. */
static int snapshot(struct proc_stat **stats)
{
    for (int capacity = FIRST_CAPACITY;; capacity *= 2) {
        *stats = malloc((size_t)capacity * sizeof **stats);
        if (*stats == NULL)
            return -ENOMEM;
        int count = procstat(*stats, capacity);
        if (count < capacity)
            return count; /* a short answer holds everything, or is an error */
        free(*stats);
    }
}

static struct group_info groups[32];
static int group_count;
static bool show_groups; /* some process listed is in a group */

static void print_group(int id)
{
    const char *name = "-";
    char number[12];
    if (id != 0) {
        snprintf(number, sizeof number, "%d", id);
        name = number;
        for (int i = 0; i < group_count; i++)
            if (groups[i].id == id)
                name = groups[i].name;
    }
    printf("%-8.8s ", name);
}

static void print_process(const struct proc_stat *process)
{
    char policy[32] = "";
    if (process->policy_label[0] != '\0')
        snprintf(policy, sizeof policy, "%.*s %ld", (int)sizeof process->policy_label,
                 process->policy_label, (long)process->policy_value);
    printf("%5d %5d %5d %-8s %-12s %8lu %7lu %7lu %7lu %5lu %5lu %5lu %5lu ", process->pid,
           process->ppid, process->pgid, state_name(process->state), policy,
           (unsigned long)process->cpu_ms, (unsigned long)process->voluntary_switches,
           (unsigned long)process->involuntary_switches, (unsigned long)process->page_faults,
           (unsigned long)process->copy_on_write_faults, (unsigned long)process->major_faults,
           (unsigned long)process->resident_pages, (unsigned long)process->swapped_pages);
    if (show_groups)
        print_group(process->group);
    printf("%.*s\n", (int)sizeof process->name, process->name);
}

int main(int argc, char **argv)
{
    struct args args;
    args_begin(&args, argc, argv, "", "list every process: state, policy parameter, CPU, faults");
    if (args_finish(&args) < 0)
        return args.status;
    struct proc_stat *stats;
    int count = snapshot(&stats);
    if (count < 0) {
        dprintf(STDERR_FILENO, "ps: %s\n", strerror(count));
        return 1;
    }
    for (int i = 0; i < count; i++)
        show_groups |= stats[i].group != 0;
    if (show_groups) {
        group_count = group_list(groups, (int)(sizeof groups / sizeof groups[0]));
        if (group_count < 0)
            group_count = 0;
    }
    printf("%5s %5s %5s %-8s %-12s %8s %7s %7s %7s %5s %5s %5s %5s %s%s\n", "PID", "PPID", "PGID",
           "STATE", "POLICY", "CPU-MS", "VOL", "INVOL", "FAULTS", "COW", "MAJOR", "RES", "SWAP",
           show_groups ? "GROUP    " : "", "NAME");
    for (int i = 0; i < count; i++)
        print_process(&stats[i]);
    free(stats);
    return 0;
}
