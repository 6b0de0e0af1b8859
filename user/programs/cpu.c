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
#include "user/lib/args.h"

#define MAX_PROCESSES 256

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
    struct args args;
    const char *text;
    long count = 0;
    args_begin(&args, argc, argv, "STR [N] [-c]",
               "print STR about once a second, N times (default: forever); -c: seconds of\n"
               "  this process's own CPU time, not wall-clock time");
    bool cpu_time = args_flag(&args, "-c");
    args_word(&args, "STR", &text);
    args_optional_number(&args, "N", 1, 1000000000L, &count);
    if (args_finish(&args) < 0)
        return args.status;
    long start = clock_ms(cpu_time);
    long error = start < 0 ? start : 0;
    for (long printed = 0; error == 0 && (count == 0 || printed < count); printed++) {
        error = spin_until(cpu_time, start + (printed + 1) * 1000);
        if (error == 0)
            puts(text);
    }
    if (error < 0) {
        dprintf(STDERR_FILENO, "cpu: cannot read the clock: %s\n", strerror((int)error));
        return 1;
    }
    return 0;
}
