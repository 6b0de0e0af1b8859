/*
 * proctest.c — the in-guest test of the process API: run by `make check`.
 *
 * Each case forks, execs, waits, kills, pipes or sleeps, and checks what the
 * kernel answered against what OSTEP's process API promises; every user
 * fault kind is provoked in a child (`fault KIND`) and must kill only that
 * child, with the right signal. The run starts and ends with the free-frame
 * count: after every child is reaped it must be back where it started, or a
 * frame leaked. Prints one line per case and "proctest: N passed, M failed".
 * The pipe cases are in pipe_cases.c.
 * OSTEP ch. 5 (Process API), ch. 6 (the kernel keeps control), ch. 4 (states).
 */
#include "lib/string.h"
#include "user/lib/args.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"
#include "user/lib/vm.h"
#include "user/programs/proctest/proctest.h"

static int passed, failed;

void check(bool ok, const char *name, const char *detail)
{
    if (ok) {
        printf("proctest: %-40s ok\n", name);
        passed++;
    } else {
        printf("proctest: %-40s FAILED %s\n", name, detail ? detail : "");
        failed++;
    }
}

/* Runs `argv` in a child and returns its waitpid status (or -1). */
static int run_child(char *const argv[])
{
    stdout_flush();
    int pid = fork();
    if (pid == 0) {
        execv(argv[0], argv);
        _exit(127);
    }
    int status = -1;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return status;
}

static void test_exit_status(void)
{
    stdout_flush();
    int pid = fork();
    if (pid == 0)
        _exit(42);
    int status = 0;
    int reaped = waitpid(pid, &status, 0);
    check(reaped == pid && WIFEXITED(status) && WEXITSTATUS(status) == 42,
          "exit status 42 reaches the parent", NULL);
    char *true_argv[] = {"/bin/true", NULL};
    char *false_argv[] = {"false", NULL};
    int status_true = run_child(true_argv), status_false = run_child(false_argv);
    check(WIFEXITED(status_true) && WEXITSTATUS(status_true) == 0 && WIFEXITED(status_false) &&
              WEXITSTATUS(status_false) == 1,
          "exec true/false: statuses 0 and 1", NULL);
}

static void test_exec_arguments(void)
{
    char *argv[] = {"/bin/proctest", "argv-check", "two words", "", "last", NULL};
    int status = run_child(argv);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "exec passes argv intact", NULL);
    char *missing[] = {"/bin/no-such-program", NULL};
    check(execv(missing[0], missing) == -ENOENT, "exec of a missing program: -ENOENT", NULL);
    char *not_elf[] = {"/etc/motd", NULL};
    check(execv(not_elf[0], not_elf) == -ENOEXEC, "exec of a non-ELF file: -ENOEXEC", NULL);
}

static int argv_check(int argc, char **argv)
{
    bool ok = argc == 5 && strcmp(argv[1], "argv-check") == 0 &&
              strcmp(argv[2], "two words") == 0 && argv[3][0] == '\0' &&
              strcmp(argv[4], "last") == 0 && argv[5] == NULL;
    return ok ? 0 : 1;
}

static void test_wait_errors(void)
{
    int status;
    check(waitpid(1, &status, 0) == -ECHILD, "waitpid on a non-child: -ECHILD", NULL);
    stdout_flush();
    int pid = fork();
    if (pid == 0)
        _exit(0);
    bool first = waitpid(pid, &status, 0) == pid;
    check(first && waitpid(pid, &status, 0) == -ECHILD, "waitpid twice: second is -ECHILD", NULL);
    check(waitpid(-1, &status, 0) == -ECHILD, "waitpid(-1) with no children: -ECHILD", NULL);

    pid = fork();
    if (pid == 0) {
        sleep_ms(300);
        _exit(3);
    }
    check(waitpid(pid, &status, WNOHANG) == 0, "WNOHANG on a running child returns 0", NULL);
    check(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 3, "then blocking wait reaps",
          NULL);
}

static int state_of(int pid)
{
    static struct proc_stat stats[64];
    int count = procstat(stats, 64);
    for (int i = 0; i < count; i++)
        if (stats[i].pid == pid)
            return stats[i].state;
    return -1;
}

static void test_zombie_then_reaped(void)
{
    int fds[2];
    pipe(fds);
    stdout_flush();
    int pid = fork();
    if (pid == 0) {
        close(fds[0]);
        _exit(7); /* closing the write end on exit tells the parent we are done */
    }
    close(fds[1]);
    char byte;
    read(fds[0], &byte, 1); /* returns 0 once the child has exited */
    close(fds[0]);
    check(state_of(pid) == PROC_STATE_ZOMBIE, "an exited, unwaited child is a ZOMBIE", NULL);
    int status;
    waitpid(pid, &status, 0);
    check(state_of(pid) == -1, "after waitpid the zombie is gone", NULL);
}

static void test_orphan_reparented_to_init(void)
{
    int fds[2];
    pipe(fds);
    stdout_flush();
    int child = fork();
    if (child == 0) {
        int grandchild = fork();
        if (grandchild == 0) {
            while (getppid() != 1)
                sleep_ms(10); /* wait until our parent has exited */
            int report[2] = {getppid(), getpid()};
            write(fds[1], report, sizeof(report));
            _exit(0);
        }
        _exit(0); /* orphan the grandchild */
    }
    close(fds[1]);
    int status;
    waitpid(child, &status, 0);
    int report[2] = {0, 0};
    long n = read(fds[0], report, sizeof(report));
    close(fds[0]);
    check(n == sizeof(report) && report[0] == 1, "an orphan is adopted by init (pid 1)", NULL);
    /* init reaps it in its own time; wait (bounded) until it has, so the
     * frame count at the end does not catch its kernel stack in flight */
    for (int tries = 0; tries < 500 && state_of(report[1]) != -1; tries++)
        sleep_ms(10);
    check(state_of(report[1]) == -1, "init reaps the adopted orphan", NULL);
}

static void test_kill(void)
{
    stdout_flush();
    int sleeper = fork();
    if (sleeper == 0) {
        sleep_ms(100000);
        _exit(0);
    }
    int spinner = fork();
    if (spinner == 0)
        for (;;)
            ;
    sleep_ms(50); /* let both start; correctness does not depend on it */
    check(kill(sleeper, SIGKILL) == 0 && kill(spinner, SIGTERM) == 0, "kill returns 0", NULL);
    int status1 = 0, status2 = 0;
    waitpid(sleeper, &status1, 0);
    waitpid(spinner, &status2, 0);
    check(WIFSIGNALED(status1) && WTERMSIG(status1) == SIGKILL, "kill of a sleeping process", NULL);
    check(WIFSIGNALED(status2) && WTERMSIG(status2) == SIGTERM, "kill of a spinning process", NULL);
    check(kill(sleeper, SIGKILL) == -ESRCH, "kill of a reaped pid: -ESRCH", NULL);
    check(kill(1, SIGKILL) == -EPERM, "init cannot be killed: -EPERM", NULL);
    check(kill(getpid(), 99) == -EINVAL, "kill with a bad signal: -EINVAL", NULL);
}

/* The wait is event-driven (the parent blocks in waitpid), and the bound is
 * twenty times what a kill needs, so only a kill that never wakes the
 * sleeper (it would be reaped when its 100 s ran out) fails it. */
static void test_kill_of_sleeper_is_prompt(void)
{
    stdout_flush();
    int sleeper = fork();
    if (sleeper == 0) {
        sleep_ms(100000);
        _exit(0);
    }
    for (int tries = 0; tries < 1000 && state_of(sleeper) != PROC_STATE_BLOCKED; tries++)
        yield();
    long killed_at = uptime_ms();
    int status = 0;
    bool reaped = kill(sleeper, SIGKILL) == 0 && waitpid(sleeper, &status, 0) == sleeper;
    long took = uptime_ms() - killed_at;
    static char detail[64];
    snprintf(detail, sizeof(detail), "(reaped after %ld ms)", took);
    check(reaped && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL && took < 5000,
          "kill of a sleeper takes effect at once", detail);
}

/* waitpid(pid) must reap exactly pid: not another child that is already a
 * ZOMBIE, with or without WNOHANG. */
static void test_waitpid_picks_that_child(void)
{
    int fds[2];
    pipe(fds);
    stdout_flush();
    int done = fork();
    if (done == 0)
        _exit(11);
    int live = fork();
    if (live == 0) {
        close(fds[1]);
        char byte;
        _exit(read(fds[0], &byte, 1) == 1 ? 12 : 13);
    }
    close(fds[0]);
    for (int tries = 0; tries < 1000 && state_of(done) != PROC_STATE_ZOMBIE; tries++)
        yield();
    int status = 0;
    check(state_of(done) == PROC_STATE_ZOMBIE && waitpid(live, &status, WNOHANG) == 0,
          "WNOHANG on a live child, another a zombie: 0", NULL);
    check(state_of(done) == PROC_STATE_ZOMBIE, "... and the zombie is left alone", NULL);
    write(fds[1], "x", 1);
    close(fds[1]);
    int live_status = 0, done_status = 0;
    bool live_first = waitpid(live, &live_status, 0) == live;
    bool done_second = waitpid(done, &done_status, 0) == done;
    check(live_first && WEXITSTATUS(live_status) == 12 && done_second &&
              WEXITSTATUS(done_status) == 11,
          "waitpid(pid) reaps exactly that child", NULL);
}

static void test_sleep_accuracy(void)
{
    long start = uptime_ms();
    sleep_ms(100);
    long slept = uptime_ms() - start;
    static char detail[64];
    snprintf(detail, sizeof(detail), "(slept %ld ms)", slept);
    /* never early; late by at most a generous scheduling delay */
    check(slept >= 100 && slept < 600, "sleep 100 ms wakes after >= 100 ms", detail);
}

struct fault_case {
    const char *kind;
    int signal;
};

static void test_faults(void)
{
    static const struct fault_case cases[] = {
        {"null", SIGSEGV},
        {"wild", SIGSEGV},
        {"kernel", SIGSEGV},
        {"write-text", SIGSEGV},
        {"ud2", SIGILL},
        {"hlt", SIGSEGV},
        {"cli", SIGSEGV},
        {"io", SIGSEGV},
        {"div0", SIGFPE},
        {"int3", SIGTRAP},
        {"gp", SIGSEGV},
        {"badsys", SIGSYS},
        {"stack-overflow", SIGSEGV},
        {"exec-data", SIGSEGV},
        {"trap-flag", SIGTRAP},
        {"bad-stack-syscall", SIGSEGV},
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *argv[] = {"/bin/fault", (char *)cases[i].kind, NULL};
        int status = run_child(argv);
        static char name[64], detail[64];
        snprintf(name, sizeof(name), "fault %s kills with signal %d", cases[i].kind,
                 cases[i].signal);
        snprintf(detail, sizeof(detail), "(status 0x%x)", status);
        check(WIFSIGNALED(status) && WTERMSIG(status) == cases[i].signal, name, detail);
    }
}

static void test_flags_from_user_are_harmless(void)
{
    char *argv[] = {"/bin/fault", "nt-syscall", NULL};
    int status = run_child(argv);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "syscall with NT set returns safely",
          NULL);
}

static void test_bad_pointers(void)
{
    int status;
    check(write(1, (void *)0, 10) == -EFAULT, "write from NULL: -EFAULT", NULL);
    check(write(1, (void *)0xffffffff80100000UL, 10) == -EFAULT, "write from kernel: -EFAULT",
          NULL);
    check(read(0, (void *)0xffff800000001000UL, 10) == -EFAULT, "read into kernel: -EFAULT", NULL);
    check(execv((const char *)0x10, NULL) == -EFAULT, "exec with a bad path: -EFAULT", NULL);
    check(waitpid(-1, (int *)0xffffffff80000000UL, 0) == -EFAULT,
          "waitpid into kernel memory: -EFAULT", NULL);
    check(close(-1) == -EBADF && close(99) == -EBADF, "close of bad fds: -EBADF", NULL);
    check(open("/no/such/file", O_RDONLY) == -ENOENT, "open of a missing file: -ENOENT", NULL);
    check(sleep_ms((unsigned long)-1) == -EINVAL, "sleep of a huge time: -EINVAL", NULL);
    (void)status;
}

struct bad_call {
    const char *what;
    long number, a1, a2, a3;
    long expected;
};

/* Every system call given numbers it must refuse: each gets an error, never
 * a crash, and the system goes on. */
static void test_bad_numbers(void)
{
    static char big[64];
    const struct bad_call calls[] = {
        {"read from fd -1", SYS_read, -1, (long)big, 1, -EBADF},
        {"write to fd 1000000", SYS_write, 1000000, (long)big, 1, -EBADF},
        {"dup2 onto fd 99", SYS_dup2, 1, 99, 0, -EBADF},
        {"dup of fd -5", SYS_dup, -5, 0, 0, -EBADF},
        {"open with write flags", SYS_open, (long)"/etc/motd", 1, 0, -EINVAL},
        {"waitpid with bad options", SYS_waitpid, -1, 0, 0x100, -EINVAL},
        {"waitpid(0): groups unsupported", SYS_waitpid, 0, 0, 0, -EINVAL},
        {"kill pid 0", SYS_kill, 0, SIGTERM, 0, -EINVAL},
        {"kill pid -1", SYS_kill, -1, SIGTERM, 0, -EINVAL},
        {"kill a pid that never was", SYS_kill, 999999, SIGTERM, 0, -ESRCH},
        {"sleep 2^63 ms", SYS_sleep, (long)(1UL << 63), 0, 0, -EINVAL},
        {"sbrk below the heap start", SYS_sbrk, -(1L << 40), 0, 0, -EINVAL},
        {"sbrk of LONG_MIN", SYS_sbrk, (long)(1UL << 63), 0, 0, -EINVAL},
        {"setpgid of a stranger", SYS_setpgid, 1, 1, 0, -ESRCH},
        {"setparam with unknown param", SYS_setparam, 0, 77, 1, -EINVAL},
        {"setparam of a missing pid", SYS_setparam, 999999, 1, 0, -ESRCH},
        {"sched with a bogus policy", SYS_sched, (long)"bogus", 0, 0, -EINVAL},
        {"vmmap of a missing pid", SYS_vmmap, 999999, (long)big, 1, -ESRCH},
        {"pagewalk of a kernel address", SYS_pagewalk, 0, (long)0xffffffff80000000UL, (long)big,
         -EINVAL},
        {"readdir index -1", SYS_readdir, -1, (long)big, sizeof(big), -EINVAL},
        {"readdir past the end", SYS_readdir, 100000, (long)big, sizeof(big), -ENOENT},
        {"procstat with a negative count", SYS_procstat, (long)big, -1, 0, -EINVAL},
        {"trace with a bad operation", SYS_trace, 42, 0, 0, -EINVAL},
        {"set_foreground(-3)", SYS_set_foreground, -3, 0, 0, -EINVAL},
    };
    int wrong = 0;
    for (unsigned i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
        const struct bad_call *c = &calls[i];
        long result = syscall_raw(c->number, c->a1, c->a2, c->a3, 0, 0, 0);
        if (result != c->expected) {
            printf("proctest:   %s: got %ld, wanted %ld\n", c->what, result, c->expected);
            wrong++;
        }
    }
    check(wrong == 0, "bad numbers to every call get an error", NULL);
}

static void test_process_exhaustion(void)
{
    int fds[2];
    pipe(fds);
    static int children[4096];
    int count = 0, error = 0;
    stdout_flush();
    for (;;) {
        int pid = fork();
        if (pid == 0) {
            char byte;
            close(fds[1]);
            read(fds[0], &byte, 1); /* wait until the parent lets go */
            _exit(0);
        }
        if (pid < 0) {
            error = pid;
            break;
        }
        children[count++] = pid;
        if (count == 4096)
            break;
    }
    close(fds[0]);
    close(fds[1]); /* EOF wakes every child */
    int reaped = 0, status;
    for (int i = 0; i < count; i++)
        if (waitpid(children[i], &status, 0) == children[i])
            reaped++;
    static char detail[64];
    snprintf(detail, sizeof(detail), "(%d forks, error %d)", count, error);
    check((error == -EAGAIN || error == -ENOMEM) && reaped == count && count > 10,
          "fork until the limit fails cleanly, all reaped", detail);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "argv-check") == 0)
        return argv_check(argc, argv);
    struct args args;
    const char *mode = NULL;
    args_begin(
        &args, argc, argv, "[exhaustion]",
        "the in-guest test of processes (make check runs it); exhaustion: only fork to the limit");
    if (args_more(&args))
        args_word(&args, "MODE", &mode);
    if (args_finish(&args) < 0)
        return args.status;
    if (mode && strcmp(mode, "exhaustion") != 0) {
        args_error(&args, "unknown mode '%s' (the only one is exhaustion)", mode);
        return args.status;
    }
    bool only_exhaustion = mode != NULL;

    /* Warm up once so lazily created kernel state does not count as a leak. */
    char *warm[] = {"/bin/true", NULL};
    run_child(warm);
    unsigned long accounted_before = frames_accounted();

    if (only_exhaustion) {
        test_process_exhaustion();
    } else {
        test_exit_status();
        test_exec_arguments();
        test_wait_errors();
        test_zombie_then_reaped();
        test_orphan_reparented_to_init();
        test_kill();
        test_kill_of_sleeper_is_prompt();
        test_waitpid_picks_that_child();
        test_pipes();
        test_sleep_accuracy();
        test_faults();
        test_flags_from_user_are_harmless();
        test_bad_pointers();
        test_bad_numbers();
    }

    unsigned long accounted_after = frames_accounted();
    static char detail[96];
    snprintf(detail, sizeof(detail), "(free+kernel frames %lu -> %lu)", accounted_before,
             accounted_after);
    check(accounted_before == accounted_after, "no frame leaked across all cases", detail);
    printf("proctest: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
