/*
 * nice PID VALUE — set a process's nice value (-20 favoured .. 19 polite),
 * which the prio and cfs policies use for priority and weight.
 * OSTEP ch. 7-9; Linux's nice(1) works the same way in spirit.
 */
#include "lib/string.h"
#include "user/lib/describe.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        dprintf(STDERR_FILENO, "usage: nice PID VALUE   (VALUE from -20 to 19)\n");
        return 2;
    }
    int pid = (int)strtol(argv[1], 0, 10);
    long value = strtol(argv[2], 0, 10);
    int result = setparam(pid, SCHED_PARAM_NICE_ID, value);
    if (result < 0) {
        dprintf(STDERR_FILENO, "nice: %s\n", strerror(result));
        return 1;
    }
    return 0;
}
