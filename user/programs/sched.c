/*
 * sched [POLICY] — show the scheduling policy and its parameters, or switch
 * to another one while everything keeps running: `sched stride`. Every READY
 * process moves to the new policy; the switch is recorded in the trace.
 * OSTEP ch. 7-9 (the policies themselves live in kernel/sched/).
 */
#include "user/lib/describe.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"
#include "user/lib/args.h"
#include "user/lib/sched_param.h"

int main(int argc, char **argv)
{
    struct args args;
    const char *policy = NULL;
    args_begin(&args, argc, argv, "[POLICY]",
               "show the scheduling policy, or switch to POLICY (`sched` lists them)");
    if (args_more(&args))
        args_word(&args, "POLICY", &policy);
    if (args_finish(&args) < 0)
        return args.status;
    char description[256], policies[256];
    if (sched(policy, description, sizeof(description)) < 0) {
        if (sched_policies_with(NULL, policies, sizeof policies) < 0)
            policies[0] = '\0';
        dprintf(STDERR_FILENO, "sched: '%s' is not a policy (the policies: %s)\n", policy,
                policies);
        return 1;
    }
    printf("%s\n", description);
    if (policy == NULL && sched_policies_with(NULL, policies, sizeof policies) > 0)
        printf("policies: %s   (switch with: sched NAME)\n", policies);
    return 0;
}
