/*
 * expect PID MS — tell the kernel a process's next CPU burst will take MS
 * milliseconds (its expected run time). SJF runs the shortest expected job
 * first and STCF the one with the least of it left; the other policies keep
 * it but do not use it. `workload` sets it for every job from its cpu: bursts.
 * PID 0 is the caller itself.
 * OSTEP ch. 7 (sections 7.4-7.5: SJF and STCF assume the run time is known).
 */
#include "lib/errno.h"
#include "lib/string.h"
#include "user/lib/args.h"
#include "user/lib/describe.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"

int main(int argc, char **argv)
{
    struct args args;
    long pid = 0;
    const char *ms_text = NULL;
    args_begin(&args, argc, argv, "PID MS",
               "tell the kernel PID's next CPU burst takes MS ms (SJF and STCF use it)");
    args_number(&args, "PID", 0, 0x7fffffffL, &pid); /* 0: the caller */
    args_text(&args, "MS", &ms_text);
    if (args_finish(&args) < 0)
        return args.status;
    char *end;
    long ms = strtol(ms_text, &end, 10);
    if (*end != '\0' || end == ms_text) {
        args_error(&args, "'%s' is not a whole number of ms", ms_text);
        return args.status;
    }
    int result = setparam((int)pid, SCHED_PARAM_EXPECTED_ID, ms); /* the kernel checks the range */
    if (result == -EINVAL) {
        dprintf(STDERR_FILENO, "expect: refused: an expected run time is 1 to 100000000 ms\n");
        return 1;
    }
    if (result < 0) {
        dprintf(STDERR_FILENO, "expect: %s\n", strerror(result));
        return 1;
    }
    return 0;
}
