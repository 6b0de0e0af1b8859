/*
 * worker.c — one fuzz worker: draw a system call and its arguments, make it,
 * update the model of what the worker holds, report progress, repeat.
 *
 * A worker makes at most its life's calls, counting them to the supervisor
 * (fuzz.c) through a progress pipe, and may die on the way (SIGSYS for a
 * number the table lacks, exit, exec, a crafted setcontext); the supervisor
 * then starts another. What it draws from is in fuzz_values.h.
 *
 * Excluded, because they would legitimately block forever or end the run:
 * killing anyone but the worker's own children (no pid 1, parent, itself or
 * other workers: kill's pids are its children or values no process has);
 * sleeps longer than 10 ms (longer ones stay out of range and get -EINVAL);
 * reading the console (workers close it first) and exec of any program but
 * /bin/true and /bin/false (a shell or spinner would never end); a pipe read
 * that would wait for a writer or a pipe write that would wait for room (the
 * worker tracks its descriptors and pipe contents, so it knows); touching the
 * worker's own progress descriptor; a heap past 1 MiB (the worker trims it, so
 * eight workers cannot exhaust memory and get the supervisor killed).
 * setcontext only to a context whose rip and rsp land in a function that
 * exits at once, or are refused or fault (anywhere else in the worker, junk
 * registers could make any call); private frame limits under 16 (a worker
 * could fault its few pages in and out for ever).
 * OSTEP ch. 6 (user code is never trusted).
 */
#include "lib/random.h"
#include "lib/string.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"
#include "user/lib/vm.h"
#include "user/programs/fuzz/fuzz.h"

#define PAGE 4096UL
#define USER_HALF_END 0x0000800000000000UL
#define USER_STACK_TOP 0x00007fffffffe000UL
#define STACK_LIMIT (8UL << 20)
#define REPORT_EVERY 256 /* calls between progress reports */
#define MAX_REPORTS 900  /* 4 bytes each: the progress pipe (4096) never fills */
#define MAX_FDS 16
#define MAX_CHILDREN 8
#define HEAP_SCRATCH (64 * 1024)
#define HEAP_CAP (1UL << 20)
#define STACK_AREA (64 * 1024)
#define SLEEP_LIMIT_MS 10
#define PIPE_CAPACITY 4096
#define MAX_TRANSFER (1UL << 20) /* the kernel clamps read and write to this */
#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

#include "user/programs/fuzz/fuzz_values.h"

/* ---- one call ----------------------------------------------------------- */
static void report_progress(void)
{
    unsigned int count = (unsigned int)unreported;
    if (count == 0)
        return;
    write(PROGRESS_FD, &count, sizeof(count));
    unreported = 0;
    reports++;
}

/* Numbers the table does not have: the worker is killed with SIGSYS. */
static long bad_number(void)
{
    static const long numbers[] = {4, 11, 58, 499, 510, 511, 1000, 9999, -1, 1L << 32, 1L << 62};
    return numbers[random_below(&rng, COUNT(numbers))];
}

static const long fuzzed_numbers[] = {
    SYS_read,       SYS_write,    SYS_open,           SYS_close,     SYS_sbrk,    SYS_pipe,
    SYS_yield,      SYS_dup,      SYS_dup2,           SYS_sleep,     SYS_getpid,  SYS_fork,
    SYS_waitpid,    SYS_kill,     SYS_uptime,         SYS_setpgid,   SYS_getppid, SYS_procstat,
    SYS_readdir,    SYS_meminfo,  SYS_setparam,       SYS_sched,     SYS_vmmap,   SYS_pagewalk,
    SYS_setname,    SYS_trace,    SYS_set_foreground, SYS_execv,     SYS_exit,    SYS_ioctl,
    SYS_arch_prctl, SYS_getpinfo, SYS_swap,           SYS_setcontext};

/* Where a crafted setcontext return may land: it ends the worker at once,
 * since its registers are junk (see fuzz_values.h). */
__attribute__((noreturn, used)) static void landed(void)
{
    _exit(0);
}

static struct user_context crafted_context;

/* A context for setcontext: junk registers, and a rip and rsp that either
 * land in landed() on the worker's stack or must be refused or fault. */
static unsigned long context_value(void)
{
    if (chance(40))
        return pointer_value(); /* usually -EFAULT; kernel-written bytes otherwise */
    uint64_t *registers = (uint64_t *)&crafted_context;
    for (unsigned i = 0; i < sizeof(crafted_context) / sizeof(uint64_t); i++)
        registers[i] = any_value();
    unsigned long aligned = ((unsigned long)stack_area + STACK_AREA / 2) & ~15UL;
    const unsigned long rips[] = {
        (unsigned long)landed, 0, 0x10000000, USER_HALF_END, 0x8000000000000000UL,
        0xffffffff80000000UL};
    const unsigned long rsps[] = {aligned - 8, 0, USER_HALF_END, 0x8000000000000000UL,
                                  0xffffffff80000000UL};
    crafted_context.rip = chance(50) ? rips[0] : pick(rips, COUNT(rips));
    crafted_context.rsp = chance(50) ? rsps[0] : pick(rsps, COUNT(rsps));
    return (unsigned long)&crafted_context;
}

/* Fills a[] for `number`; false if this draw would block forever. */
static bool choose_arguments(long number, unsigned long a[6])
{
    for (int i = 0; i < 6; i++)
        a[i] = any_value(); /* parameters a call ignores get junk */
    switch (number) {
    case SYS_read:
    case SYS_write: {
        a[0] = fd_value();
        a[1] = pointer_value();
        a[2] = count_value();
        if (a[0] >= MAX_FDS)
            return true;
        const struct fd_model *fd = &fds[a[0]];
        long count = (long)(a[2] < MAX_TRANSFER ? a[2] : MAX_TRANSFER);
        if (number == SYS_read && fd->kind == FD_PIPE_READ)
            return count == 0 || pipes[fd->pipe].buffered > 0 ||
                   !ends_held(fd->pipe, FD_PIPE_WRITE);
        if (number == SYS_write && fd->kind == FD_PIPE_WRITE)
            return !ends_held(fd->pipe, FD_PIPE_READ) ||
                   count <= PIPE_CAPACITY - pipes[fd->pipe].buffered;
        return true;
    }
    case SYS_open:
        a[0] = path_value(false);
        a[1] = chance(80) ? O_RDONLY : int_value();
        return true;
    case SYS_close:
    case SYS_dup:
        a[0] = fd_value();
        return true;
    case SYS_dup2:
        a[0] = fd_value();
        a[1] = fd_value();
        return true;
    case SYS_sbrk: {
        static const long increments[] = {0,
                                          1,
                                          4095,
                                          4096,
                                          -1,
                                          -4096,
                                          1L << 20,
                                          -(1L << 20),
                                          16L << 20,
                                          1L << 40,
                                          -(1L << 40),
                                          (long)(~0UL >> 1),
                                          (long)(1UL << 63)};
        a[0] = (unsigned long)increments[random_below(&rng, COUNT(increments))];
        return true;
    }
    case SYS_pipe:
        a[0] = chance(50) ? (unsigned long)stack_area : pointer_value();
        return true;
    case SYS_sleep: {
        static const unsigned long ms[] = {0, 1, 2, SLEEP_LIMIT_MS, 86400001UL, 1UL << 40, ~0UL};
        a[0] = pick(ms, COUNT(ms));
        return true;
    }
    case SYS_fork:
        return child_count < MAX_CHILDREN;
    case SYS_execv:
        a[0] = path_value(true);
        a[1] = argv_value();
        return true;
    case SYS_waitpid:
        a[0] = chance(30) ? (unsigned long)-1 : pid_value();
        a[1] = chance(30) ? 0 : pointer_value();
        a[2] = chance(60) ? WNOHANG : int_value();
        return true;
    case SYS_kill:
        a[0] = pid_value();
        a[1] = chance(70) ? random_below(&rng, 33) : int_value();
        return true;
    case SYS_setpgid:
    case SYS_setparam:
        a[0] = chance(30) ? 0 : pid_value(); /* 0: the worker itself */
        a[1] = number == SYS_setparam && chance(70) ? 1 + random_below(&rng, 2) : int_value();
        a[2] = chance(50) ? random_below(&rng, 60) - 25 : int_value();
        return true;
    case SYS_procstat:
    case SYS_meminfo:
    case SYS_setname:
        a[0] = pointer_value();
        a[1] = count_value();
        return true;
    case SYS_readdir:
        a[0] = int_value();
        a[1] = pointer_value();
        a[2] = count_value();
        return true;
    case SYS_sched:
        a[0] = policy_value();
        a[1] = pointer_value();
        a[2] = count_value();
        return true;
    case SYS_vmmap:
    case SYS_pagewalk:
        a[0] = chance(50) ? 0 : int_value(); /* any process may be inspected */
        a[1] = pointer_value();
        a[2] = number == SYS_vmmap ? count_value() : pointer_value();
        return true;
    case SYS_trace:
    case SYS_set_foreground:
        a[0] = chance(70) ? random_below(&rng, 6) : int_value();
        return true;
    case SYS_ioctl:
        a[0] = fd_value();
        a[1] = chance(70) ? random_below(&rng, 4) : int_value(); /* TTY_GET_RAW, TTY_SET_RAW */
        a[2] = int_value();
        return true;
    case SYS_arch_prctl:
        a[0] = chance(80) ? ARCH_SET_GS + random_below(&rng, 4) : int_value();
        a[1] = chance(50) ? pointer_value() : any_value(); /* a base, or where to put one */
        return true;
    case SYS_getpinfo:
        a[0] = pointer_value();
        a[1] = count_value();
        return true;
    case SYS_swap:
        a[0] = chance(80) ? random_below(&rng, 3) : int_value();
        a[1] = a[0] == SWAP_POLICY ? replace_policy_value() : frame_limit_value();
        a[2] = pointer_value();
        return true;
    case SYS_setcontext:
        a[0] = context_value();
        return true;
    default: /* getpid, getppid, yield, uptime, exit: any arguments */
        return true;
    }
}

/* What the call did to the worker's descriptors, children and heap. */
static void update_model(long number, const unsigned long a[6], long result)
{
    if (number == SYS_fork && result == 0)
        _exit(0); /* the child's whole life */
    if (result < 0)
        return;
    if ((number == SYS_read || number == SYS_write) && result > 0 && a[0] < MAX_FDS) {
        struct fd_model *fd = &fds[a[0]];
        if (fd->kind == FD_PIPE_READ || fd->kind == FD_PIPE_WRITE)
            pipes[fd->pipe].buffered += number == SYS_write ? result : -result;
    } else if (number == SYS_open && result < MAX_FDS) {
        fds[result] = (struct fd_model){FD_FILE, 0};
    } else if (number == SYS_close) {
        fds[a[0]] = (struct fd_model){FD_NONE, 0};
    } else if ((number == SYS_dup || number == SYS_dup2) && result < MAX_FDS) {
        fds[result] = fds[a[0]];
    } else if (number == SYS_pipe) {
        const int *pair = (const int *)a[0]; /* the kernel just wrote it: mapped */
        int slot = free_pipe_slot();
        pipes[slot].buffered = 0;
        fds[pair[0]] = (struct fd_model){FD_PIPE_READ, slot};
        fds[pair[1]] = (struct fd_model){FD_PIPE_WRITE, slot};
    } else if (number == SYS_fork) {
        children[child_count++] = (int)result;
    } else if (number == SYS_waitpid && result > 0) {
        for (int i = 0; i < child_count; i++)
            if (children[i] == (int)result)
                children[i] = children[--child_count];
    } else if (number == SYS_sbrk) {
        heap_break = (unsigned long)sbrk(0);
        if (heap_break > heap_base + HEAP_CAP) {
            sbrk(-(long)(heap_break - heap_base - HEAP_CAP));
            heap_break = heap_base + HEAP_CAP;
        }
    }
}

static void fuzz_one_call(void)
{
    long number;
    unsigned long a[6];
    bool fatal = false;
    if (chance(1) && chance(30)) {
        number = bad_number();
        fatal = true;
        for (int i = 0; i < 6; i++)
            a[i] = any_value();
    } else {
        do {
            number = fuzzed_numbers[random_below(&rng, COUNT(fuzzed_numbers))];
            /* exit, exec and setcontext end the worker: make them rare */
        } while ((number == SYS_exit || number == SYS_execv || number == SYS_setcontext) &&
                 !chance(5));
        while (!choose_arguments(number, a))
            number = SYS_getpid;
        fatal = number == SYS_exit || number == SYS_execv ||
                (number == SYS_setcontext && a[0] == (unsigned long)&crafted_context);
    }
    unreported++;
    calls_made++;
    if (fatal)
        report_progress(); /* count the call before it may end us */
    long result =
        syscall_raw(number, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4], (long)a[5]);
    update_model(number, a, result);
}

/* A worker's life: life_calls calls at most, then exit 0. Never returns. */
__attribute__((noreturn, noinline)) static void worker_loop(char *area)
{
    stack_area = area;
    heap_base = (unsigned long)sbrk(0);
    heap_scratch = (unsigned long)sbrk(HEAP_SCRATCH);
    heap_break = heap_scratch + HEAP_SCRATCH;
    while (calls_made < life_calls && reports < MAX_REPORTS) {
        fuzz_one_call();
        if (unreported >= REPORT_EVERY)
            report_progress();
    }
    report_progress();
    _exit(0);
}

__attribute__((noreturn)) void worker_start(int progress_fd, uint64_t seed, unsigned long calls)
{
    life_calls = calls;
    dup2(progress_fd, PROGRESS_FD);
    for (int fd = 0; fd < PROGRESS_FD; fd++)
        close(fd);
    memset(fds, 0, sizeof(fds));
    random_seed(&rng, seed);
    /* Kernel writes into this area may run on above it, into frames this
     * process never returns to. */
    char area[STACK_AREA];
    worker_loop(area);
}
