/*
 * tickets PID VALUE — give a process VALUE lottery tickets (1..10000):
 * under the lottery and stride policies its CPU share is proportional to
 * them. Under a policy without tickets it says so and names the policies
 * with them.
 * OSTEP ch. 9 (Scheduling: Proportional Share).
 */
#include "lib/syscall_abi.h"
#include "user/lib/sched_param.h"

int main(int argc, char **argv)
{
    return sched_param_main(
        argc, argv, SCHED_PARAM_TICKETS_ID, "tickets", 1, 10000,
        "give PID VALUE tickets (1 to 10000): its share under lottery and stride");
}
