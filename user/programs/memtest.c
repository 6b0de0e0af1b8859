/*
 * memtest.c — the in-guest test of virtual memory: run by `make check`.
 *
 * Checks what only a running kernel can show: parent and child cannot see
 * each other's writes after fork; sbrk reserves address space without using
 * frames until pages are touched (demand-zero); fork shares pages
 * copy-on-write and copies only what is written; the stack grows on demand
 * and a run past its limit is killed; bad user pointers of every kind get
 * -EFAULT from read, write, exec and waitpid; an ELF with eight loadable
 * segments runs; the argument area's limit is -E2BIG on both sides of the
 * boundary; a heap page sbrk took away is gone at once (no stale TLB entry);
 * running out of memory kills only the greedy process. The free-frame count
 * must end where it started.
 * OSTEP ch. 13 (isolation), ch. 21-23 (demand paging, copy-on-write).
 */
#include "lib/string.h"
#include "user/lib/args.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"
#include "user/lib/vm.h"

#define PAGE 4096UL
#define USER_HALF_END 0x0000800000000000UL

static int passed, failed;
static volatile int shared_global = 1;

static void check(bool ok, const char *name, const char *detail)
{
    printf("memtest: %-46s %s %s\n", name, ok ? "ok" : "FAILED", ok || !detail ? "" : detail);
    if (ok)
        passed++;
    else
        failed++;
}

static unsigned long free_frames(void)
{
    struct mem_info info;
    meminfo(&info);
    return info.free_frames;
}

/* Runs fn in a child; returns the waitpid status. */
static int in_child(int (*fn)(void))
{
    stdout_flush();
    int pid = fork();
    if (pid == 0)
        _exit(fn());
    int status = -1;
    waitpid(pid, &status, 0);
    return status;
}

static void test_isolation(void)
{
    int to_child[2], to_parent[2];
    pipe(to_child);
    pipe(to_parent);
    shared_global = 1;
    stdout_flush();
    int pid = fork();
    if (pid == 0) {
        char go;
        read(to_child[0], &go, 1); /* parent has written 2 by now */
        int seen = shared_global;
        shared_global = 3;
        write(to_parent[1], &seen, sizeof(seen));
        _exit(0);
    }
    shared_global = 2;
    write(to_child[1], "g", 1);
    int child_saw = 0;
    read(to_parent[0], &child_saw, sizeof(child_saw));
    int status;
    waitpid(pid, &status, 0);
    check(child_saw == 1, "child does not see the parent's later write", NULL);
    check(shared_global == 2, "parent does not see the child's write", NULL);
    for (int i = 0; i < 2; i++) {
        close(to_child[i]);
        close(to_parent[i]);
    }
}

static int write_kernel_memory(void)
{
    *(volatile int *)0xffffffff80100000UL = 1;
    return 0;
}

static int read_direct_map(void)
{
    return *(volatile int *)0xffff800000100000UL;
}

static void test_kernel_memory_is_off_limits(void)
{
    int status = in_child(write_kernel_memory);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "writing kernel memory kills", NULL);
    status = in_child(read_direct_map);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "reading the direct map kills", NULL);
}

static void test_lazy_allocation(void)
{
    unsigned long before = free_frames();
    char *region = sbrk(64UL << 20);
    check(!sbrk_failed(region), "sbrk of 64 MiB succeeds", NULL);
    if (sbrk_failed(region))
        return;
    unsigned long after_sbrk = free_frames();
    region[0] = 1;
    region[32UL << 20] = 2;
    region[(64UL << 20) - 1] = 3;
    unsigned long after_touch = free_frames();
    static char detail[96];
    snprintf(detail, sizeof(detail), "(frames used: sbrk %ld, touching 3 pages %ld)",
             (long)(before - after_sbrk), (long)(after_sbrk - after_touch));
    /* 3 data frames plus at most a few page tables on the way */
    check(before == after_sbrk && after_sbrk - after_touch >= 3 && after_sbrk - after_touch <= 8,
          "64 MiB sbrk + 3 touches uses ~3 frames", detail);
    check(region[1] == 0 && region[32UL << 20] == 2, "untouched heap bytes read as zero", NULL);
    sbrk(-(long)(64UL << 20));
    check(free_frames() == before, "shrinking the heap returns frames and tables", NULL);
}

static void test_copy_on_write(void)
{
    const unsigned long pages = 256;
    char *block = sbrk((long)(pages * PAGE));
    for (unsigned long i = 0; i < pages; i++)
        block[i * PAGE] = (char)i;
    int report[2];
    pipe(report);
    unsigned long before_fork = free_frames();
    stdout_flush();
    int pid = fork();
    if (pid == 0) {
        long after_fork = (long)free_frames();
        for (unsigned long i = 0; i < 10; i++)
            block[i * PAGE] = 'c';
        long after_writes = (long)free_frames();
        bool own_values = block[0] == 'c' && block[10 * PAGE] == 10;
        long message[3] = {after_fork, after_writes, own_values};
        write(report[1], message, sizeof(message));
        _exit(0);
    }
    long message[3] = {0, 0, 0};
    read(report[0], message, sizeof(message));
    int status;
    waitpid(pid, &status, 0);
    long fork_cost = (long)before_fork - message[0];
    long write_cost = message[0] - message[1];
    static char detail[96];
    snprintf(detail, sizeof(detail), "(fork used %ld frames for 256 pages, 10 writes %ld)",
             fork_cost, write_cost);
    check(fork_cost < 64, "fork does not copy 256 touched pages", detail);
    check(write_cost >= 10 && write_cost <= 12, "each first write copies one page", detail);
    check(message[2] == 1, "child sees its own writes", NULL);
    check(block[0] == 0 && block[5 * PAGE] == 5, "parent keeps its values", NULL);
    block[1] = 'p'; /* the frame is the parent's alone again: no copy needed */
    check(block[1] == 'p', "parent writes after the child exited", NULL);
    close(report[0]);
    close(report[1]);
    sbrk(-(long)(pages * PAGE));
}

static int grow_stack_4_mib(void)
{
    volatile char big[4 << 20];
    for (unsigned long i = 0; i < sizeof(big); i += PAGE)
        big[i] = 1;
    return big[4096] == 1 ? 0 : 1;
}

static int overflow_stack(void)
{
    volatile char huge[9 << 20]; /* beyond the 8 MiB limit */
    huge[0] = 1;
    return huge[0];
}

static void test_stack(void)
{
    int status = in_child(grow_stack_4_mib);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "stack grows to 4 MiB on demand", NULL);
    status = in_child(overflow_stack);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "stack overflow into guard kills",
          NULL);
}

struct bad_range {
    const char *what;
    unsigned long address, length;
};

static void test_bad_pointers(void)
{
    char *heap_page = sbrk((long)PAGE);
    unsigned long heap_end = ((unsigned long)heap_page + PAGE + PAGE - 1) & ~(PAGE - 1);
    /* the last mapped bytes hold no NUL, so exec must read past them */
    memset((char *)heap_end - 16, 'a', 16);
    const struct bad_range cases[] = {
        {"kernel address", 0xffffffff80100000UL, 16},
        {"non-canonical", 0x8000000000000000UL, 16},
        {"wraps around", 0x00007ffffffff000UL, ~0UL - 0x100},
        {"crosses the top of user space", USER_HALF_END - 8, 16},
        {"straddles into unmapped", heap_end - 2, 8},
        {"NULL", 0, 16},
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        static char name[80];
        const struct bad_range *c = &cases[i];
        int fds[2];
        pipe(fds);
        write(fds[1], "enough data to fill", 19); /* so read copies the whole range */
        bool all = write(1, (void *)c->address, c->length) == -EFAULT &&
                   read(fds[0], (void *)c->address, c->length) == -EFAULT &&
                   execv((const char *)c->address, NULL) == -EFAULT &&
                   (c->address == 0 || /* waitpid(NULL) legitimately means "no status" */
                    waitpid(-1, (int *)c->address, WNOHANG) == -EFAULT);
        close(fds[0]);
        close(fds[1]);
        snprintf(name, sizeof(name), "-EFAULT: %s", c->what);
        check(all, name, "(from read, write, exec or waitpid)");
    }
    /* Prism checks a pointer even for zero bytes: a kernel address is never
     * acceptable, while zero bytes at a user address are simply nothing */
    check(write(1, heap_page, 0) == 0 && write(1, (void *)0xffffffff80100000UL, 0) == -EFAULT,
          "zero-length: 0 at user, -EFAULT at kernel", NULL);
    sbrk(-(long)PAGE);
}

static int eat_all_memory(void)
{
    for (;;) {
        char *chunk = sbrk(1 << 20);
        if (sbrk_failed(chunk))
            return 0; /* address space ran out before memory did */
        for (unsigned long i = 0; i < (1UL << 20); i += PAGE)
            chunk[i] = 1;
    }
}

/* Runs in a child: uses up nearly every frame, then forks. Everything it
 * will write later is written first, because after its own fork from
 * memtest its pages are copy-on-write and a copy needs a free frame. */
static int fork_with_memory_exhausted(void)
{
    volatile char stack_reserve[16384];
    for (unsigned long i = 0; i < sizeof(stack_reserve); i += PAGE)
        stack_reserve[i] = 1;
    static volatile int result = 1;
    result = 1;
    while (free_frames() > 1024) {
        char *chunk = sbrk(1 << 20);
        if (sbrk_failed(chunk))
            return 2;
        for (unsigned long i = 0; i < (1UL << 20); i += PAGE)
            chunk[i] = 1;
    }
    while (free_frames() > 3) {
        char *page = sbrk((long)PAGE);
        if (sbrk_failed(page))
            return 3;
        page[0] = 1;
    }
    int pid = fork();
    if (pid == 0)
        _exit(0);
    if (pid > 0) {
        waitpid(pid, NULL, 0);
        return 4; /* there was memory for a whole process after all */
    }
    result = pid == -ENOMEM ? 0 : 5;
    return result;
}

static bool swap_is_on(void)
{
    struct swap_stats swap = {0};
    syscall_raw(SYS_swap, SWAP_STATS, 0, (long)&swap, 0, 0, 0);
    return swap.slots_total > 0;
}

static void test_fork_with_memory_exhausted(void)
{
    unsigned long frames_before = free_frames();
    int exhausted = in_child(fork_with_memory_exhausted);
    static char detail[48];
    snprintf(detail, sizeof(detail), "(status 0x%x)", exhausted);
    check(WIFEXITED(exhausted) && WEXITSTATUS(exhausted) == 0,
          "fork with memory exhausted: -ENOMEM", detail);
    check(free_frames() == frames_before, "its frames all come back", NULL);
}

static void test_out_of_memory(void)
{
    check(sbrk_failed(sbrk(1L << 40)), "sbrk of 1 TiB: -ENOMEM", NULL);
    if (swap_is_on()) { /* frames run short only once swap is full too */
        printf("memtest: fork with memory exhausted: skipped (swap is on)\n");
    } else {
        test_fork_with_memory_exhausted();
    }

    unsigned long before = frames_accounted();
    int status = in_child(eat_all_memory);
    check(WIFSIGNALED(status), "a process that eats all memory is killed", NULL);
    check(frames_accounted() == before, "all its frames (and swap slots) come back", NULL);
    char *argv[] = {"/bin/true", NULL};
    stdout_flush();
    int pid = fork();
    if (pid == 0) {
        execv(argv[0], argv);
        _exit(127);
    }
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the system still runs programs after",
          NULL);
}

/* Runs path with argv in a child; returns the waitpid status. A failed
 * execv exits with the errno number (E2BIG = 7, EFAULT = 14). */
static int exec_status(const char *path, char *const argv[])
{
    stdout_flush();
    int pid = fork();
    if (pid == 0) {
        long result = execv(path, argv);
        _exit(result < 0 ? (int)-result : 127);
    }
    int status = -1;
    waitpid(pid, &status, 0);
    return status;
}

static bool exited_with(int status, int code)
{
    return WIFEXITED(status) && WEXITSTATUS(status) == code;
}

/* An ELF with eight loadable segments (the most exec accepts) needs ten
 * regions with heap and stack; `segments` checks them from inside. */
static void test_many_segments(void)
{
    char *argv[] = {"segments", NULL};
    int status = exec_status("/bin/segments", argv);
    static char detail[48];
    snprintf(detail, sizeof(detail), "(status 0x%x)", status);
    check(exited_with(status, 0), "exec of an ELF with 8 loadable segments", detail);
}

/* The argument area holds EXEC_MAX_ARG_BYTES, NULs included: exactly full
 * runs; one more argument, even an empty one, or one more byte is -E2BIG. */
static void test_argument_area_boundary(void)
{
    static char filler[EXEC_MAX_ARG_BYTES + 1];
    const char *program = "/bin/true";
    size_t fill = EXEC_MAX_ARG_BYTES - (strlen(program) + 1) - 1; /* leaves room for its NUL */
    memset(filler, 'x', fill);
    filler[fill] = '\0';
    char *exact[] = {(char *)program, filler, NULL};
    char *exact_and_empty[] = {(char *)program, filler, "", NULL};
    static char detail[64];
    int status = exec_status(program, exact);
    snprintf(detail, sizeof(detail), "(status 0x%x)", status);
    check(exited_with(status, 0), "exec with the argument area exactly full", detail);
    status = exec_status(program, exact_and_empty);
    snprintf(detail, sizeof(detail), "(exit %d, E2BIG is %d)", WEXITSTATUS(status), E2BIG);
    check(exited_with(status, E2BIG), "full area plus an empty argument: -E2BIG", detail);
    filler[fill] = 'x';
    filler[fill + 1] = '\0';
    status = exec_status(program, exact);
    snprintf(detail, sizeof(detail), "(exit %d, E2BIG is %d)", WEXITSTATUS(status), E2BIG);
    check(exited_with(status, E2BIG), "one byte past the argument area: -E2BIG", detail);

    static char *many[EXEC_MAX_ARGS + 2];
    for (int i = 0; i <= EXEC_MAX_ARGS; i++)
        many[i] = i == 0 ? (char *)program : "a";
    many[EXEC_MAX_ARGS] = NULL;
    bool at_limit = exited_with(exec_status(program, many), 0);
    many[EXEC_MAX_ARGS] = "a";
    many[EXEC_MAX_ARGS + 1] = NULL;
    check(at_limit && exited_with(exec_status(program, many), E2BIG),
          "32 arguments run, 33 are -E2BIG", NULL);
}

static volatile char heap_sink;

/* Two fresh heap pages, both touched, the second just read (so its
 * translation is in the TLB); then sbrk gives the second one back. The
 * first keeps the page table alive. Returns the pages' start. */
static volatile char *two_pages_then_shrink_one(void)
{
    unsigned long current = (unsigned long)sbrk(0);
    sbrk((long)((PAGE - (current & (PAGE - 1))) & (PAGE - 1))); /* page-align the break */
    volatile char *pages = sbrk(2 * (long)PAGE);
    pages[0] = 1;
    pages[PAGE] = 2;
    heap_sink = pages[PAGE];
    sbrk(-(long)PAGE);
    return pages;
}

/* The page sbrk took away must be gone at once in this very process: a
 * translation still cached in the TLB (a missing invlpg) would let this read
 * see a freed frame instead of faulting. */
static int read_heap_after_shrink(void)
{
    volatile char *pages = two_pages_then_shrink_one();
    heap_sink = pages[PAGE]; /* must be killed here */
    return 0;
}

/* Shrink, then grow again: the page that comes back is a fresh zeroed one. */
static int regrown_heap_reads_zero(void)
{
    volatile char *pages = two_pages_then_shrink_one();
    sbrk((long)PAGE);
    return pages[PAGE] == 0 ? 0 : 1;
}

static void test_heap_shrink_takes_effect_at_once(void)
{
    int status = in_child(read_heap_after_shrink);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
          "reading the heap after sbrk shrank it kills", NULL);
    status = in_child(regrown_heap_reads_zero);
    check(exited_with(status, 0), "a page shrunk away and grown back is zero", NULL);
}

int main(int argc, char **argv)
{
    struct args args;
    args_begin(&args, argc, argv, "", "the in-guest test of virtual memory (make check runs it)");
    if (args_finish(&args) < 0)
        return args.status;
    char *true_argv[] = {"/bin/true", NULL}; /* warm-up: lazily made kernel state */
    int warm = fork();
    if (warm == 0) {
        execv(true_argv[0], true_argv);
        _exit(127);
    }
    waitpid(warm, NULL, 0);
    unsigned long accounted_before = frames_accounted();

    test_isolation();
    test_kernel_memory_is_off_limits();
    test_lazy_allocation();
    test_copy_on_write();
    test_stack();
    test_bad_pointers();
    test_many_segments();
    test_argument_area_boundary();
    test_heap_shrink_takes_effect_at_once();
    test_out_of_memory();

    unsigned long accounted_after = frames_accounted();
    static char detail[96];
    snprintf(detail, sizeof(detail), "(free+kernel frames %lu -> %lu)", accounted_before,
             accounted_after);
    check(accounted_before == accounted_after, "no frame leaked across all cases", detail);
    printf("memtest: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
