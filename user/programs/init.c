/*
 * init — the first user process (pid 1): keeps a shell running, reaps orphans.
 *
 * The kernel starts init and nothing else; init starts /bin/sh. A process
 * whose parent exits is handed to init, so init's waitpid(-1) loop is where
 * every orphan's zombie is finally reaped (OSTEP ch. 5: without a wait its
 * PCB would stay a ZOMBIE forever). When the reaped process is the shell,
 * init says so and starts a new one. init never exits. Only the kernel starts
 * it: run from a shell it would only nest another shell, so it refuses.
 */
#include "user/lib/args.h"
#include "user/lib/describe.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"

#define SHELL_PATH "/bin/sh"
#define RESTART_PAUSE_MS 1000 /* a shell that dies at once must not spin the CPU */

/* Forks and execs the shell; returns its pid, or a negative errno. */
static int start_shell(void)
{
    stdout_flush(); /* nothing buffered may be printed twice */
    int pid = fork();
    if (pid != 0)
        return pid;
    char *argv[] = {"sh", NULL};
    int error = execv(SHELL_PATH, argv);
    dprintf(STDERR_FILENO, "init: cannot run %s: %s\n", SHELL_PATH, strerror(error));
    _exit(127);
}

static void report_shell_exit(int status)
{
    if (WIFEXITED(status))
        printf("init: shell exited (status %d), restarting\n", WEXITSTATUS(status));
    else
        printf("init: shell exited (killed by signal %d), restarting\n", WTERMSIG(status));
}

int main(int argc, char **argv)
{
    struct args args;
    args_begin(&args, argc, argv, "",
               "process 1, started by the kernel: keeps a shell running, reaps orphans");
    if (args_finish(&args) < 0)
        return args.status;
    if (getpid() != 1) {
        dprintf(STDERR_FILENO,
                "init: only the kernel starts init, as process 1 "
                "(this is process %d); for a new shell type sh\n",
                getpid());
        return 1;
    }
    int shell = -1;
    long shell_started_ms = 0;
    for (;;) {
        if (shell < 0) {
            shell_started_ms = uptime_ms();
            shell = start_shell();
            if (shell < 0) {
                dprintf(STDERR_FILENO, "init: fork: %s\n", strerror(shell));
                sleep_ms(RESTART_PAUSE_MS);
                continue;
            }
        }
        int status = 0;
        int pid = waitpid(-1, &status, 0);
        if (pid < 0) { /* cannot happen while the shell lives; do not spin if it does */
            dprintf(STDERR_FILENO, "init: waitpid: %s\n", strerror(pid));
            sleep_ms(RESTART_PAUSE_MS);
            continue;
        }
        if (pid != shell)
            continue; /* an orphan, now reaped */
        report_shell_exit(status);
        shell = -1;
        if (uptime_ms() - shell_started_ms < RESTART_PAUSE_MS)
            sleep_ms(RESTART_PAUSE_MS);
    }
}
