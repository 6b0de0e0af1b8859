/*
 * waittest — in-guest checks of the kernel's wait queues (for make check).
 *
 * A child blocks on each kind of wait queue — a pipe's readers, a pipe's
 * writers, a parent waiting for its child, the tty's readers, the sleepers —
 * and is killed there. It must die at once: every wait here would otherwise
 * last a day or for ever, so a kill that does not take the process off its
 * queue hangs the test instead of passing late. The parent learns that the
 * child is blocked from procstat (BLOCKED), never by sleeping. Also: closing
 * one end of a pipe wakes only the other end's waiters, and no frame leaks.
 * Prints one line per case and "waittest: N passed, M failed".
 * OSTEP ch. 30 (condition variables), ch. 5 (kill, wait), ch. 26.
 */
#include "lib/string.h"
#include "user/lib/args.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"
#include "user/lib/vm.h"

#define MAX_PROCESSES 256
#define DAY_MS (24UL * 3600 * 1000)
#define PIPE_SIZE 4096 /* the kernel's PIPE_BUFFER_SIZE */
#define BIG_PIECE 512  /* a write that waits for this much room */
#define SMALL_PIECE 64 /* a write that fits beside what is already there */

static int passed, failed;

static void check(bool ok, const char *name)
{
    printf("waittest: %-52s %s\n", name, ok ? "ok" : "FAILED");
    ok ? passed++ : failed++;
}

/* pid's procstat entry; false when no such process exists. */
static bool stat_of(int pid, struct proc_stat *out)
{
    static struct proc_stat stats[MAX_PROCESSES];
    int count = procstat(stats, MAX_PROCESSES);
    for (int i = 0; i < count; i++) {
        if (stats[i].pid == pid) {
            *out = stats[i];
            return true;
        }
    }
    return false;
}

/* Lets everyone else run until pid is BLOCKED. */
static void wait_until_blocked(int pid, struct proc_stat *stat)
{
    while (!stat_of(pid, stat) || stat->state != PROC_STATE_BLOCKED)
        yield();
}

static void wait_until_gone(int pid)
{
    struct proc_stat stat;
    while (stat_of(pid, &stat))
        yield();
}

static int start_child(void (*body)(void *), void *argument)
{
    stdout_flush();
    int pid = fork();
    if (pid == 0) {
        body(argument);
        _exit(0); /* the body was supposed to block until killed */
    }
    return pid;
}

/* Kills a blocked child and checks that it died of that signal. */
static void kill_blocked(const char *name, void (*body)(void *), void *argument)
{
    struct proc_stat stat;
    int pid = start_child(body, argument);
    wait_until_blocked(pid, &stat);
    kill(pid, SIGKILL);
    int status = 0;
    bool reaped = waitpid(pid, &status, 0) == pid;
    check(reaped && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, name);
}

static void read_pipe(void *fds)
{
    char byte;
    close(((int *)fds)[1]);
    read(((int *)fds)[0], &byte, 1);
}

static void fill_pipe(void *fds)
{
    static char block[512];
    close(((int *)fds)[0]);
    for (;;)
        write(((int *)fds)[1], block, sizeof(block));
}

/* The grandchild reads a pipe only the child can write: when the killed
 * child's files close, it sees end of file and exits. */
static void wait_for_child(void *grandchild_pid_pipe)
{
    int hold[2];
    pipe(hold);
    int grandchild = start_child(read_pipe, hold);
    close(hold[0]);
    write(((int *)grandchild_pid_pipe)[1], &grandchild, sizeof(grandchild));
    waitpid(grandchild, NULL, 0);
}

static void read_tty(void *unused)
{
    (void)unused;
    char byte;
    read(STDIN_FILENO, &byte, 1);
}

static void sleep_a_day(void *unused)
{
    (void)unused;
    sleep_ms(DAY_MS);
}

static void test_kill_on_every_queue(void)
{
    int fds[2];
    pipe(fds);
    kill_blocked("kill while blocked reading an empty pipe", read_pipe, fds);
    kill_blocked("kill while blocked writing a full pipe", fill_pipe, fds);
    close(fds[0]);
    close(fds[1]);

    int report[2];
    pipe(report);
    kill_blocked("kill while blocked in waitpid", wait_for_child, report);
    int grandchild = 0;
    read(report[0], &grandchild, sizeof(grandchild));
    close(report[0]);
    close(report[1]);
    wait_until_gone(grandchild); /* reaped by init once it saw end of file */

    kill_blocked("kill while blocked reading the tty", read_tty, NULL);
    kill_blocked("kill while asleep for a day", sleep_a_day, NULL);
}

/* A writer waits on the pipe's space queue (its piece does not fit); a write
 * that does fit wakes the data queue only, so the writer must not have run
 * again. Reading everything then wakes it, and its write completes. */
static void write_a_big_piece(void *fds)
{
    static char piece[BIG_PIECE];
    close(((int *)fds)[0]);
    _exit(write(((int *)fds)[1], piece, sizeof(piece)) == BIG_PIECE ? 0 : 1);
}

static void test_wake_up_reaches_only_its_queue(void)
{
    static char bytes[PIPE_SIZE];
    int fds[2];
    pipe(fds);
    const long fill = PIPE_SIZE - BIG_PIECE + 1; /* room for SMALL_PIECE, not BIG_PIECE */
    write(fds[1], bytes, (unsigned long)fill);
    struct proc_stat before, after;
    int pid = start_child(write_a_big_piece, fds);
    wait_until_blocked(pid, &before);
    write(fds[1], bytes, SMALL_PIECE); /* fits: wakes readers, of whom there are none */
    yield();
    wait_until_blocked(pid, &after);
    check(after.voluntary_switches == before.voluntary_switches,
          "a write wakes the pipe's readers, not its blocked writer");
    long drained = 0, got;
    while (drained < fill + SMALL_PIECE + BIG_PIECE &&
           (got = read(fds[0], bytes, sizeof(bytes))) > 0)
        drained += got;
    int status = -1;
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "reading makes room: the writer goes on");
    close(fds[0]);
    close(fds[1]);
}

/* waitpid(-1) looks only at the first child: an exiting child must move to
 * the front, ahead of a living one, or WNOHANG would miss the ZOMBIE. */
static void exit_at_once(void *unused)
{
    (void)unused;
}

static void test_wait_any_finds_a_zombie_behind_the_living(void)
{
    struct proc_stat stat;
    int sleeper = start_child(sleep_a_day, NULL);
    int quitter = start_child(exit_at_once, NULL);
    while (!stat_of(quitter, &stat) || stat.state != PROC_STATE_ZOMBIE)
        yield();
    int status = -1;
    check(waitpid(-1, &status, WNOHANG) == quitter && WIFEXITED(status),
          "waitpid(-1, WNOHANG) finds a ZOMBIE behind a living child");
    check(waitpid(-1, &status, WNOHANG) == 0, "then only a living child: WNOHANG gives 0");
    kill(sleeper, SIGKILL);
    check(waitpid(-1, &status, 0) == sleeper, "and waitpid(-1) waits for that one");
}

int main(int argc, char **argv)
{
    struct args args;
    args_begin(&args, argc, argv, "",
               "the in-guest test of waiting and waking (make check runs it)");
    if (args_finish(&args) < 0)
        return args.status;
    char *warm[] = {"/bin/true", NULL}; /* lazily created kernel state is no leak */
    stdout_flush();
    int pid = fork();
    if (pid == 0) {
        execv(warm[0], warm);
        _exit(127);
    }
    waitpid(pid, NULL, 0);
    unsigned long frames_before = frames_accounted();

    test_kill_on_every_queue();
    test_wake_up_reaches_only_its_queue();
    test_wait_any_finds_a_zombie_behind_the_living();

    check(frames_accounted() == frames_before, "no frame leaked");
    printf("waittest: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
