/*
 * tickets PID N — give a process N lottery tickets (1..10000): under the
 * lottery and stride policies its CPU share is proportional to them. Under
 * a policy without tickets it says so and names the policies with them.
 * OSTEP ch. 9 (Scheduling: Proportional Share).
 */
#include "user/lib/args.h"
#include "lib/syscall_abi.h"
#include "user/lib/sched_param.h"

int main(int argc, char **argv)
{
    struct args args;
    int pid;
    long value;
    args_begin(&args, argc, argv, "PID N",
               "give PID N tickets (1 to 10000): its share under lottery and stride");
    args_pid(&args, &pid);
    args_number(&args, "N", 1, 10000, &value);
    if (args_finish(&args) < 0)
        return args.status;
    return sched_param_set(args.program, pid, SCHED_PARAM_TICKETS_ID, "tickets", value);
}
