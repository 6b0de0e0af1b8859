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

static int usage(void)
{
    dprintf(STDERR_FILENO, "usage: kill [-SIGNAL] PID...   (SIGNAL: a number or a name such as "
                           "KILL; default TERM)\n");
    return 2;
}

/* A positive decimal pid, or -EINVAL. */
static int parse_pid(const char *text)
{
    char *end;
    long pid = strtol(text, &end, 10);
    if (end == text || *end != '\0' || pid <= 0 || pid > 0x7fffffff)
        return -EINVAL;
    return (int)pid;
}

int main(int argc, char **argv)
{
    int signal = SIGTERM;
    int first = 1;
    if (argc > 1 && argv[1][0] == '-') {
        signal = signal_from_name(argv[1] + 1);
        if (signal < 0) {
            dprintf(STDERR_FILENO, "kill: %s: unknown signal\n", argv[1] + 1);
            return usage();
        }
        first = 2;
    }
    if (first >= argc)
        return usage();
    int status = 0;
    for (int i = first; i < argc; i++) {
        int pid = parse_pid(argv[i]);
        int result = pid < 0 ? pid : kill(pid, signal);
        if (result == 0)
            continue;
        status = 1;
        dprintf(STDERR_FILENO, "kill: %s: %s\n", argv[i],
                pid < 0 ? "not a process id" : strerror(result));
    }
    return status;
}
