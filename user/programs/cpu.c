/*
 * cpu STR [N] [-c] — OSTEP's cpu.c: burn the CPU, printing STR once a second.
 *
 * It never sleeps: it spins until the next whole second since it started,
 * prints STR on its own line, and repeats (forever, or N times). Run four at
 * once (`cpu A & cpu B & cpu C & cpu D &`) and the scheduler time-shares the
 * one CPU among them (OSTEP ch. 2 and ch. 7). By default the second is
 * wall-clock time, so every spinner still prints once a second; with -c it is
 * the process's own CPU time (procstat's cpu_ms), so each spinner visibly
 * slows to a quarter of the speed when four share the CPU.
 */
#include "lib/string.h"
#include "user/lib/describe.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"

#include <stdbool.h>

#define MAX_PROCESSES 256

static int usage(void)
{
    dprintf(STDERR_FILENO, "usage: cpu STR [N] [-c]\n"
                           "  prints STR about once a second, N times (default: forever);\n"
                           "  -c: seconds of this process's own CPU time, not wall-clock time\n");
    return 2;
}

/* This process's CPU time in milliseconds, or a negative errno. */
static long own_cpu_ms(void)
{
    static struct proc_stat stats[MAX_PROCESSES];
    int pid = getpid();
    int count = procstat(stats, MAX_PROCESSES);
    if (count < 0)
        return count;
    for (int i = 0; i < count; i++)
        if (stats[i].pid == pid)
            return (long)stats[i].cpu_ms;
    return -ESRCH;
}

static long clock_ms(bool cpu_time)
{
    return cpu_time ? own_cpu_ms() : uptime_ms();
}

/* Reads argv: STR, then an optional count and -c in either order. */
static bool parse_arguments(int argc, char **argv, long *count, bool *cpu_time)
{
    if (argc < 2 || argc > 4)
        return false;
    *count = 0;
    *cpu_time = false;
    for (int i = 2; i < argc; i++) {
        char *end;
        if (strcmp(argv[i], "-c") == 0) {
            *cpu_time = true;
        } else {
            *count = strtol(argv[i], &end, 10);
            if (*end != '\0' || end == argv[i] || *count <= 0)
                return false;
        }
    }
    return true;
}

/* Spins until the clock reads at least deadline; returns 0 or a negative errno. */
static long spin_until(bool cpu_time, long deadline)
{
    long now;
    do
        now = clock_ms(cpu_time); /* spin: the point is to use the CPU */
    while (now >= 0 && now < deadline);
    return now < 0 ? now : 0;
}

int main(int argc, char **argv)
{
    long count;
    bool cpu_time;
    if (!parse_arguments(argc, argv, &count, &cpu_time))
        return usage();
    long start = clock_ms(cpu_time);
    long error = start < 0 ? start : 0;
    for (long printed = 0; error == 0 && (count == 0 || printed < count); printed++) {
        error = spin_until(cpu_time, start + (printed + 1) * 1000);
        if (error == 0)
            puts(argv[1]);
    }
    if (error < 0) {
        dprintf(STDERR_FILENO, "cpu: cannot read the clock: %s\n", strerror((int)error));
        return 1;
    }
    return 0;
}
