/*
 * nice PID VALUE — set a process's nice value (-20 favoured .. 19 polite),
 * which the prio and cfs policies use for priority and weight. Under a
 * policy without nice values it says so and names the policies with them.
 * OSTEP ch. 7-9; Linux's nice(1) works the same way in spirit.
 */
#include "lib/syscall_abi.h"
#include "user/lib/sched_param.h"

int main(int argc, char **argv)
{
    return sched_param_main(argc, argv, SCHED_PARAM_NICE_ID, "nice", -20, 19,
                            "set PID's nice value, -20 (favoured) to 19 (polite); see `sched`");
}
