/*
 * kill [-SIGNAL] PID... — sends a signal to processes (SIGTERM by default).
 *
 * SIGNAL is a number (-9) or a name (-KILL, -SIGKILL, -int). Prism has no
 * signal handlers, so every signal ends its target and the number only tells
 * the parent's waitpid() why (OSTEP ch. 5). Each PID that fails is reported
 * on its own line ("kill: 77: no such process") and makes the exit status 1;
 * the other PIDs are still signalled.
 */
#include "lib/string.h"
#include "user/lib/describe.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"
#include "user/lib/args.h"

int main(int argc, char **argv)
{
    struct args args;
    int signal = SIGTERM;
    args_begin(&args, argc, argv, "[-SIGNAL] PID...",
               "send SIGNAL (a number or a name such as KILL; default TERM) to each PID");
    const char *first = args_peek(&args);
    if (first != NULL && first[0] == '-') {
        args_text(&args, "SIGNAL", &first);
        signal = signal_from_name(first + 1);
        if (signal < 0)
            args_error(&args, "'%s' is not a signal (a number, or a name such as TERM or KILL)",
                       first + 1);
    }
    int pids[ARGS_MAX], count = 0;
    do
        args_pid(&args, &pids[count++]);
    while (args_more(&args) && count < ARGS_MAX);
    if (args_finish(&args) < 0)
        return args.status;
    int status = 0;
    for (int i = 0; i < count; i++) {
        int result = kill(pids[i], signal);
        if (result == 0)
            continue;
        status = 1;
        dprintf(STDERR_FILENO, "kill: %d: %s\n", pids[i], strerror(result));
    }
    return status;
}
