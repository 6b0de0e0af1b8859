/*
 * tickets PID N — give a process N lottery tickets (1..10000): under the
 * lottery and stride policies its CPU share is proportional to them.
 * OSTEP ch. 9 (Scheduling: Proportional Share).
 */
#include "lib/string.h"
#include "user/lib/describe.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        dprintf(STDERR_FILENO, "usage: tickets PID N   (N from 1 to 10000)\n");
        return 2;
    }
    int pid = (int)strtol(argv[1], 0, 10);
    long value = strtol(argv[2], 0, 10);
    int result = setparam(pid, SCHED_PARAM_TICKETS_ID, value);
    if (result < 0) {
        dprintf(STDERR_FILENO, "tickets: %s\n", strerror(result));
        return 1;
    }
    return 0;
}
