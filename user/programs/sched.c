/*
 * sched [POLICY] — show the scheduling policy and its parameters, or switch
 * to another one while everything keeps running: `sched stride`. Every READY
 * process moves to the new policy; the switch is recorded in the trace.
 * OSTEP ch. 7-9 (the policies themselves live in kernel/sched/).
 */
#include "user/lib/describe.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"

int main(int argc, char **argv)
{
    char description[256];
    if (argc > 2) {
        dprintf(STDERR_FILENO, "usage: sched [fifo|sjf|stcf|rr|prio|mlfq|lottery|stride|cfs]\n");
        return 2;
    }
    int result = sched(argc == 2 ? argv[1] : 0, description, sizeof(description));
    if (result < 0) {
        dprintf(STDERR_FILENO,
                "sched: %s: no such policy (fifo sjf stcf rr prio mlfq lottery stride cfs)\n",
                argv[1]);
        return 1;
    }
    printf("%s\n", description);
    return 0;
}
