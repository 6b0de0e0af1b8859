/*
 * grouptest CASE [N] — what a process inside a container group sees and may
 * do; run it with `group run ... grouptest CASE` (tests/system/suite_groups.py).
 *
 *   pids       its pids from 1: getpid, a child's getpid/getppid, fork's
 *              and waitpid's answers; then kill and setparam of every pid
 *              2..PID_PROBE (all outside the group once the child is
 *              reaped) must be ESRCH
 *   sbrk N     asks for N KiB of heap at once (ENOMEM beyond the limit)
 *   touch N    grows the heap by N KiB in steps that each fit, untouched,
 *              then touches every page: past the limit the fault kills it
 *   forkmem N  touches N KiB, then forks (ENOMEM if a full copy would not fit)
 * One line per check, "grouptest: ok" at the end. Outside a group `pids`
 * fails at once (getpid is not 1). OSTEP ch. 5 (process API), ch. 13.
 */
#include "lib/string.h"
#include "user/lib/args.h"
#include "user/lib/describe.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"

#define PAGE 4096L
#define PID_PROBE 64

static int failures;

static void check(bool ok, const char *what, long got)
{
    printf("grouptest: %s %s (got %ld)\n", what, ok ? "ok" : "FAILED", got);
    failures += !ok;
}

static int pids(void)
{
    check(getpid() == 1, "getpid is 1", getpid());
    check(getppid() == 0, "getppid is 0 (the parent is outside)", getppid());
    stdout_flush();
    int child = fork();
    if (child == 0) {
        printf("grouptest: child getpid %d getppid %d\n", getpid(), getppid());
        exit(getpid() == 2 && getppid() == 1 ? 0 : 1);
    }
    check(child == 2, "fork returns 2", child);
    int status = -1;
    int reaped = waitpid(child, &status, 0);
    check(reaped == 2, "waitpid returns 2", reaped);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child saw pids 2 and 1", status);
    int visible = 0;
    for (int pid = 2; pid <= PID_PROBE; pid++)
        visible += kill(pid, 0) != -ESRCH || setparam(pid, SCHED_PARAM_NICE_ID, 0) != -ESRCH;
    check(visible == 0, "kill/setparam of pids outside are ESRCH", visible);
    check(kill(1, 0) == 0, "kill(1, 0) reaches itself", 0);
    return failures;
}

static int grow(long kib)
{
    void *old = sbrk(kib * 1024);
    if (sbrk_failed(old)) {
        printf("grouptest: sbrk %ld KiB: %s\n", kib, strerror((int)(long)old));
        return 1;
    }
    printf("grouptest: sbrk %ld KiB: ok\n", kib);
    return 0;
}

static int touch(long kib)
{
    long step = kib / 4 > 0 ? kib / 4 : 1;
    char *start = sbrk(0);
    for (long done = 0; done < kib; done += step)
        if (grow(step) != 0)
            return 1;
    printf("grouptest: touching %ld KiB\n", kib);
    stdout_flush();
    for (long offset = 0; offset < kib * 1024; offset += PAGE)
        start[offset] = 1;
    printf("grouptest: touched %ld KiB\n", kib);
    return 0;
}

static int forkmem(long kib)
{
    char *start = sbrk(kib * 1024);
    if (sbrk_failed(start)) {
        printf("grouptest: sbrk %ld KiB: %s\n", kib, strerror((int)(long)start));
        return 1;
    }
    for (long offset = 0; offset < kib * 1024; offset += PAGE)
        start[offset] = 1;
    stdout_flush();
    int child = fork();
    if (child == 0)
        exit(0);
    if (child < 0) {
        printf("grouptest: fork: %s\n", strerror(child));
        return 1;
    }
    waitpid(child, NULL, 0);
    printf("grouptest: fork: ok\n");
    return 0;
}

static bool is_case(const char *mode)
{
    static const char *const cases[] = {"pids", "sbrk", "touch", "forkmem"};
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (strcmp(mode, cases[i]) == 0)
            return true;
    return false;
}

int main(int argc, char **argv)
{
    struct args args;
    const char *mode = NULL;
    long kib = 0;
    args_begin(&args, argc, argv, "pids | sbrk KIB | touch KIB | forkmem KIB",
               "check pids, heap and fork inside a container group");
    if (args_word(&args, "CASE", &mode) == 0) {
        if (!is_case(mode))
            args_error(&args, "unknown case '%s'", mode);
        else if (strcmp(mode, "pids") != 0)
            args_number(&args, "KIB", 1, 1L << 22, &kib);
    }
    if (args_finish(&args) < 0)
        return args.status;
    int result;
    if (strcmp(mode, "pids") == 0)
        result = pids();
    else if (strcmp(mode, "sbrk") == 0)
        result = grow(kib);
    else if (strcmp(mode, "touch") == 0)
        result = touch(kib);
    else /* forkmem: is_case let nothing else through */
        result = forkmem(kib);
    if (result == 0)
        printf("grouptest: ok\n");
    return result;
}
