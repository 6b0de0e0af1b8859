/*
 * expect PID MS — tell the kernel a process's next CPU burst will take MS
 * milliseconds (its expected run time). SJF runs the shortest expected job
 * first and STCF the one with the least of it left; the other policies keep
 * it but do not use it. `workload` sets it for every job from its cpu: bursts.
 * OSTEP ch. 7 (sections 7.4-7.5: SJF and STCF assume the run time is known).
 */
#include "lib/errno.h"
#include "lib/string.h"
#include "user/lib/describe.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        dprintf(STDERR_FILENO, "usage: expect PID MS   (MS > 0: the expected run time)\n");
        return 2;
    }
    char *end;
    long pid = strtol(argv[1], &end, 10);
    if (*end != '\0' || end == argv[1] || pid < 0) {
        dprintf(STDERR_FILENO, "expect: '%s' is not a pid\n", argv[1]);
        return 2;
    }
    long ms = strtol(argv[2], &end, 10);
    if (*end != '\0' || end == argv[2]) {
        dprintf(STDERR_FILENO, "expect: '%s' is not a whole number of ms\n", argv[2]);
        return 2;
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
