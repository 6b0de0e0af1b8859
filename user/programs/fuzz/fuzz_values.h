/*
 * fuzz_values.h — what a fuzz worker knows it holds, and the argument values
 * it draws from. Included by worker.c only (it defines the worker's state).
 *
 * The model is the worker's descriptors (file, pipe read or write end, which
 * pipe), the bytes in each of its pipes (exact: updated from each call's
 * result) and its unreaped children; it tells a call that would block forever
 * from one that will return. The values are the ones that break kernels:
 * each argument role (pointer, count, descriptor, pid ...) has its list of
 * edges, mixed with what the worker really holds. OSTEP ch. 6.
 */
#ifndef PRISM_USER_PROGRAMS_FUZZ_VALUES_H
#define PRISM_USER_PROGRAMS_FUZZ_VALUES_H

/* ---- the worker's model of its own descriptors ------------------------ */
enum fd_kind { FD_NONE, FD_FILE, FD_PIPE_READ, FD_PIPE_WRITE };
struct fd_model {
    enum fd_kind kind;
    int pipe; /* index into pipes[] for pipe ends */
};
struct pipe_model {
    long buffered; /* bytes in it: exact, from the kernel's return values */
};

static struct random_state rng;
static struct fd_model fds[MAX_FDS];
static struct pipe_model pipes[MAX_FDS];
static int children[MAX_CHILDREN], child_count;
static unsigned long heap_base, heap_scratch, heap_break;
static char *stack_area;
static unsigned long unreported, reports, calls_made, life_calls;

static unsigned long pick(const unsigned long *values, unsigned long count)
{
    return values[random_below(&rng, count)];
}

static bool chance(unsigned percent)
{
    return random_below(&rng, 100) < percent;
}

static int ends_held(int pipe, enum fd_kind kind)
{
    int count = 0;
    for (int fd = 0; fd < MAX_FDS; fd++)
        count += fds[fd].kind == kind && fds[fd].pipe == pipe;
    return count;
}

static int free_pipe_slot(void)
{
    for (int i = 0; i < MAX_FDS; i++)
        if (!ends_held(i, FD_PIPE_READ) && !ends_held(i, FD_PIPE_WRITE))
            return i;
    return -1; /* cannot happen: 16 descriptors hold at most 16 pipes */
}

/* ---- interesting values ----------------------------------------------- */
static unsigned long any_value(void)
{
    static const unsigned long values[] = {
        0,          1,          2,          3,         7,         16,   255,      4096,
        0x7fffffff, 0x80000000, 0xffffffff, 1UL << 32, 1UL << 63, ~0UL, ~0UL - 1, ~0UL << 31};
    return chance(20) ? random_next(&rng) : pick(values, COUNT(values));
}

static unsigned long pointer_value(void)
{
    unsigned long brk = heap_break;
    unsigned long values[] = {0,
                              1,
                              0xfff,
                              PAGE,
                              0x400000 /* text: read-only */,
                              0x400000 + PAGE - 2,
                              heap_scratch,
                              heap_scratch + PAGE - 3 /* straddles two heap pages */,
                              heap_base + random_below(&rng, brk - heap_base + 1) /* any of it */,
                              brk - 2,
                              brk /* past the break */,
                              (unsigned long)stack_area,
                              (unsigned long)stack_area + STACK_AREA - 5,
                              USER_STACK_TOP - 16 /* argv strings */,
                              USER_STACK_TOP - STACK_LIMIT + 128 /* untouched stack */,
                              USER_STACK_TOP - STACK_LIMIT - 8 /* the guard below it */,
                              USER_STACK_TOP,
                              USER_HALF_END - 1,
                              USER_HALF_END - 8,
                              USER_HALF_END - PAGE,
                              USER_HALF_END,
                              0x10000000 /* unmapped */,
                              0x8000000000000000UL,
                              0xffff800000000000UL /* direct map */,
                              0xffff800000100000UL,
                              0xffffc00000000000UL /* kernel heap */,
                              0xffffffff80000000UL /* kernel image */,
                              0xffffffff80100000UL,
                              ~0UL,
                              ~0UL - 7};
    return pick(values, COUNT(values));
}

static unsigned long count_value(void)
{
    static const unsigned long values[] = {
        0,         1,         2,         8,         100,       4095,
        4096,      4097,      8192,      65536,     1UL << 20, (1UL << 20) + 1,
        1UL << 31, 1UL << 32, 1UL << 40, ~0UL >> 1, ~0UL,      ~0UL - 4095};
    return chance(10) ? random_below(&rng, 600) : pick(values, COUNT(values));
}

static unsigned long int_value(void)
{
    static const unsigned long values[] = {0,
                                           1,
                                           2,
                                           3,
                                           5,
                                           16,
                                           17,
                                           32,
                                           64,
                                           (unsigned long)-1,
                                           (unsigned long)-2,
                                           0x7fffffff,
                                           0x80000000,
                                           0xffffffff,
                                           1UL << 32,
                                           (1UL << 32) | 1,
                                           1UL << 63,
                                           ~0UL >> 1};
    return chance(20) ? random_below(&rng, 40) - 20 : pick(values, COUNT(values));
}

static int open_fd(void)
{
    int open[MAX_FDS], count = 0;
    for (int fd = 0; fd < MAX_FDS; fd++)
        if (fds[fd].kind != FD_NONE)
            open[count++] = fd;
    return count ? open[random_below(&rng, (unsigned long)count)] : -1;
}

/* Descriptors: often one the worker holds; never its progress fd. */
static unsigned long fd_value(void)
{
    int held = open_fd();
    if (held >= 0 && chance(40))
        return (unsigned long)held;
    for (;;) {
        unsigned long fd;
        if (chance(50)) {
            fd = random_below(&rng, MAX_FDS);
        } else {
            static const unsigned long values[] = {16,         17,        255, (unsigned long)-1,
                                                   0x7fffffff, 1UL << 32, ~0UL};
            fd = pick(values, COUNT(values));
        }
        if (fd != PROGRESS_FD)
            return fd;
    }
}

/* Pids for kill, setparam, waitpid: own children, or values whose low 32
 * bits (the kernel takes an int) name no process. */
static unsigned long pid_value(void)
{
    if (child_count > 0 && chance(50))
        return (unsigned long)children[random_below(&rng, (unsigned long)child_count)];
    static const unsigned long values[] = {
        0,          (unsigned long)-1, (unsigned long)-2, 0x7fffffff, 0x7ffffffe,
        0x80000000, 0xffffffff,        1UL << 32,         ~0UL,       1UL << 63};
    return pick(values, COUNT(values));
}

static unsigned long path_value(bool for_exec)
{
    static char long_path[300];
    if (!long_path[0])
        memset(long_path, 'p', sizeof(long_path) - 1);
    static const char *const paths[] = {"/bin/true", "/bin/false", "/bin/nosuch",
                                        "/etc/motd", "etc/motd",   "",
                                        "/",         "bin",        "/bin/true/x"};
    if (chance(50))
        return chance(10) ? (unsigned long)long_path
                          : (unsigned long)paths[random_below(&rng, COUNT(paths))];
    /* exec may only get paths it cannot run: memory the kernel wrote could
     * spell "bin/sh"; an invalid pointer is safe */
    static const unsigned long invalid[] = {0, 0x10000000, USER_HALF_END - 1, 0xffffffff80000000UL,
                                            0x8000000000000000UL};
    return for_exec ? pick(invalid, COUNT(invalid)) : pointer_value();
}

static unsigned long argv_value(void)
{
    static char *ok[] = {"true", "x", NULL};
    static char *bad_element[] = {"true", (char *)0xffffffff80000000UL, NULL};
    static char *too_many[40];
    static char huge[EXEC_MAX_ARG_BYTES + 8];
    static char *too_long[] = {"true", huge, NULL};
    if (!too_many[0]) {
        for (unsigned i = 0; i + 1 < COUNT(too_many); i++)
            too_many[i] = "a";
        memset(huge, 'h', sizeof(huge) - 1);
    }
    unsigned long values[] = {0,
                              (unsigned long)ok,
                              (unsigned long)bad_element,
                              (unsigned long)too_many,
                              (unsigned long)too_long,
                              pointer_value()};
    return pick(values, COUNT(values));
}

static unsigned long replace_policy_value(void)
{
    static const char *const names[] = {"fifo", "random", "clock", "lru", "", "nosuch"};
    if (chance(20))
        return 0; /* keep the policy, just name it */
    return chance(80) ? (unsigned long)names[random_below(&rng, COUNT(names))] : pointer_value();
}

/* Private frame limits for swap: none, a few dozen, absurd. */
static unsigned long frame_limit_value(void)
{
    static const unsigned long values[] = {0,         16,  64, 256, 1UL << 30, (1UL << 30) + 1,
                                           1UL << 32, ~0UL};
    return pick(values, COUNT(values));
}

static unsigned long policy_value(void)
{
    static const char *const names[] = {
        "rr",     "fifo", "prio", "mlfq",   "lottery",
        "stride", "cfs",  "",     "nosuch", "rrrrrrrrrrrrrrrrrrrrr"};
    if (chance(20))
        return 0; /* keep the policy, just describe it */
    return chance(80) ? (unsigned long)names[random_below(&rng, COUNT(names))] : pointer_value();
}

#endif
