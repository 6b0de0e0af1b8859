/*
 * bench [--background N] [--ready N] [ROW...] — what the basic operations
 * cost, in CPU cycles (rdtsc), median of many runs. Under QEMU's TCG the
 * guest's rdtsc ticks at the host's rate, so these are real host cycles. It
 * measures and prints; it never judges.
 * --background N first starts N processes that stay BLOCKED (asleep) and
 * --ready N spinners at the lowest priority the policy offers, so one command
 * shows whether a cost grows with the number of processes that merely exist.
 * ROWs (getpid pipe fork exec zero cow big vmexit) pick rows; default: all.
 * OSTEP ch. 6 (measuring system calls and context switches, the chapter's
 * homework), ch. 23 (the cost of copy-on-write vs copying).
 */
#include "lib/string.h"
#include "user/lib/args.h"
#include "user/lib/describe.h"
#include "user/lib/hypervisor.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"
#include "user/lib/swap.h"
#include "user/lib/vm.h"

#define PAGE 4096UL
#define MAX_RUNS 201

static unsigned long samples[MAX_RUNS];

static void sort(unsigned long *values, int count)
{
    for (int i = 1; i < count; i++)
        for (int j = i; j > 0 && values[j - 1] > values[j]; j--) {
            unsigned long t = values[j];
            values[j] = values[j - 1];
            values[j - 1] = t;
        }
}

static void report(const char *what, int runs, unsigned long per)
{
    sort(samples, runs);
    printf("bench: %-44s %10lu cycles (median of %d)\n", what, samples[runs / 2] / per, runs);
}

static void bench_getpid(void)
{
    for (int i = 0; i < MAX_RUNS; i++) {
        unsigned long start = read_cycles();
        for (int j = 0; j < 100; j++)
            getpid();
        samples[i] = read_cycles() - start;
    }
    report("getpid", MAX_RUNS, 100);
}

static void bench_pipe_round_trip(void)
{
    int there[2], back[2];
    pipe(there);
    pipe(back);
    stdout_flush();
    int pid = fork();
    if (pid == 0) {
        char byte;
        close(there[1]); /* or our own copy would keep the pipe from ending */
        close(back[0]);
        while (read(there[0], &byte, 1) == 1)
            write(back[1], &byte, 1);
        _exit(0);
    }
    for (int i = 0; i < 101; i++) {
        char byte = 'x';
        unsigned long start = read_cycles();
        write(there[1], &byte, 1);
        read(back[0], &byte, 1);
        samples[i] = read_cycles() - start;
    }
    close(there[1]);
    waitpid(pid, NULL, 0);
    close(there[0]);
    close(back[0]);
    close(back[1]);
    report("pipe round trip (1 byte there and back)", 101, 1);
}

static void bench_fork_exit_wait(const char *label, bool exec_true, int runs)
{
    char *argv[] = {"/bin/true", NULL};
    stdout_flush();
    for (int i = 0; i < runs; i++) {
        unsigned long start = read_cycles();
        int pid = fork();
        if (pid == 0) {
            if (exec_true)
                execv(argv[0], argv);
            _exit(0);
        }
        waitpid(pid, NULL, 0);
        samples[i] = read_cycles() - start;
    }
    report(label, runs, 1);
}

static void bench_demand_zero(void)
{
    const unsigned long pages = 256;
    for (int i = 0; i < 21; i++) {
        char *region = sbrk((long)(pages * PAGE));
        unsigned long start = read_cycles();
        for (unsigned long p = 0; p < pages; p++)
            region[p * PAGE] = 1;
        samples[i] = read_cycles() - start;
        sbrk(-(long)(pages * PAGE));
    }
    report("sbrk + first touch, per page (demand-zero)", 21, pages);
}

static void bench_copy_on_write_fault(void)
{
    const unsigned long pages = 256;
    char *region = sbrk((long)(pages * PAGE));
    for (unsigned long p = 0; p < pages; p++)
        region[p * PAGE] = 1;
    for (int i = 0; i < 11; i++) {
        int hold[2];
        pipe(hold);
        stdout_flush();
        int pid = fork();
        if (pid == 0) { /* keeps the pages shared until the parent is done */
            char byte;
            close(hold[1]);
            read(hold[0], &byte, 1);
            _exit(0);
        }
        unsigned long start = read_cycles();
        for (unsigned long p = 0; p < pages; p++)
            region[p * PAGE] = 2;
        samples[i] = read_cycles() - start;
        close(hold[0]);
        close(hold[1]);
        waitpid(pid, NULL, 0);
    }
    sbrk(-(long)(pages * PAGE));
    report("copy-on-write fault, per page", 11, pages);
}

/* A child with a private set of 16 frames touches 64 pages, twice. In the
 * first pass every touch past the 16th evicts a page (one 4 KiB write to
 * the swap disk) and zero-fills a frame; in the second every touch is a
 * major fault (one 4 KiB read) that also evicts a page. OSTEP ch. 21. */
static void bench_swap(void)
{
    struct swap_stats stats;
    if (swap_stats(&stats) < 0 || stats.slots_total == 0) {
        printf("bench: swap rows skipped (booted without a swap disk)\n");
        return;
    }
    stdout_flush();
    int pid = fork();
    if (pid == 0) {
        const unsigned long pages = 64, frames = 16;
        char *heap = sbrk((long)((pages + 1) * PAGE));
        char *region = (char *)(((unsigned long)heap + PAGE - 1) & ~(PAGE - 1));
        if (swap_local_frames(frames) < 0)
            _exit(1);
        for (unsigned long p = 0; p < pages; p++) {
            unsigned long start = read_cycles();
            region[p * PAGE] = 1;
            if (p >= frames)
                samples[p - frames] = read_cycles() - start;
        }
        report("first touch that evicts a page (4 KiB written)", (int)(pages - frames), 1);
        for (unsigned long p = 0; p < pages; p++) {
            unsigned long start = read_cycles();
            region[p * PAGE] = 2;
            samples[p] = read_cycles() - start;
        }
        report("major fault: 4 KiB read back, one page evicted", (int)pages, 1);
        stdout_flush();
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

static void bench_big_process(void)
{
    const unsigned long bytes = 16UL << 20;
    char *region = sbrk((long)bytes);
    for (unsigned long p = 0; p < bytes; p += PAGE)
        region[p] = 1;
    const int runs = 9;
    static unsigned long exit_samples[9];
    stdout_flush();
    for (int i = 0; i < runs; i++) {
        int stamp[2];
        pipe(stamp);
        unsigned long start = read_cycles();
        int pid = fork();
        if (pid == 0) {
            unsigned long now = read_cycles();
            write(stamp[1], &now, sizeof(now));
            _exit(0);
        }
        unsigned long exit_began = 0;
        read(stamp[0], &exit_began, sizeof(exit_began));
        waitpid(pid, NULL, 0);
        unsigned long end = read_cycles();
        samples[i] = end - start;
        exit_samples[i] = end - exit_began;
        close(stamp[0]);
        close(stamp[1]);
    }
    report("fork+exit+wait, 16 MiB touched", runs, 1);
    memcpy(samples, exit_samples, sizeof(exit_samples));
    report("exit+wait of that 16 MiB child", runs, 1);

    char *copy = sbrk((long)bytes); /* what an eager fork would at least pay */
    for (int i = 0; i < 5; i++) {
        unsigned long start = read_cycles();
        memcpy(copy, region, bytes);
        samples[i] = read_cycles() - start;
    }
    report("copying 16 MiB (eager fork's floor)", 5, 1);
    for (int i = 0; i < 5; i++) { /* user memset over pages already present */
        unsigned long start = read_cycles();
        memset(copy, i, bytes);
        samples[i] = read_cycles() - start;
    }
    report("memset 16 MiB", 5, 1);
    sbrk(-(long)(2 * bytes));
}

/* ---- the processes around the measurement ------------------------------ */

#define MAX_EXTRA_PROCESSES 2000
#define BACKGROUND_SLEEP_MS (24UL * 3600 * 1000) /* the longest sleep the kernel allows */

static int extra_pids[MAX_EXTRA_PROCESSES];
static int extra_count;

/* fork() for a process that never returns here; its pid is remembered so
 * that stop_extra_processes() can kill and reap it. */
static int start_extra(void (*body)(void))
{
    stdout_flush();
    int pid = fork();
    if (pid == 0)
        body();
    if (pid > 0)
        extra_pids[extra_count++] = pid;
    return pid;
}

static void sleep_forever(void)
{
    for (;;)
        sleep_ms(BACKGROUND_SLEEP_MS);
}

/* Spinners report through this pipe whether they could lower themselves. */
static int spinner_report[2];
static const char *policy_name;

/* Lowers the calling spinner below bench: nice 19 (prio, cfs) or one ticket
 * (lottery, stride). MLFQ takes no parameter but sinks a spinner to its
 * lowest queue by itself. Round robin and FIFO have no priorities: spinners
 * would take turns with bench (or, under FIFO, never let it run again).
 * Each spinner changes its own parameter while it runs, so bench never
 * re-prioritises a process sitting on a ready queue. */
static bool lower_own_priority(void)
{
    return setparam(0, SCHED_PARAM_NICE_ID, 19) == 0 ||
           setparam(0, SCHED_PARAM_TICKETS_ID, 1) == 0 || strcmp(policy_name, "mlfq") == 0;
}

static void spin_forever(void)
{
    char lowered = lower_own_priority() ? 'y' : 'n';
    write(spinner_report[1], &lowered, 1);
    if (lowered != 'y')
        _exit(1);
    for (;;)
        ; /* the point is to stay READY */
}

static void stop_extra_processes(void)
{
    for (int i = 0; i < extra_count; i++)
        kill(extra_pids[i], SIGKILL);
    for (int i = 0; i < extra_count; i++)
        waitpid(extra_pids[i], NULL, 0);
    extra_count = 0;
}

/* The policy's name: what `sched` prints before its colon. */
static void current_policy(char *name, unsigned long size)
{
    char description[128];
    if (sched(NULL, description, sizeof(description)) < 0)
        description[0] = '\0';
    unsigned long length = 0;
    while (description[length] != '\0' && description[length] != ':' && length + 1 < size) {
        name[length] = description[length];
        length++;
    }
    name[length] = '\0';
}

/* Each spinner says whether it lowered itself before bench goes on, so the
 * measurement starts with all of them below bench. */
static int start_spinner(int number)
{
    int pid = start_extra(spin_forever);
    if (pid < 0) {
        dprintf(STDERR_FILENO, "bench: starting spinner %d: %s\n", number, strerror(pid));
        return -1;
    }
    char lowered = 'n';
    read(spinner_report[0], &lowered, 1);
    if (lowered != 'y') {
        dprintf(STDERR_FILENO, "bench: --ready needs priorities; %s has none (try `sched prio`)\n",
                policy_name);
        return -1;
    }
    return 0;
}

static int start_extra_processes(int background, int ready)
{
    static char policy[32];
    current_policy(policy, sizeof(policy));
    policy_name = policy;
    for (int i = 0; i < background; i++) {
        int pid = start_extra(sleep_forever);
        if (pid < 0) {
            dprintf(STDERR_FILENO, "bench: starting background process %d: %s\n", i + 1,
                    strerror(pid));
            return -1;
        }
    }
    if (ready > 0 && pipe(spinner_report) < 0) {
        dprintf(STDERR_FILENO, "bench: no pipe for the spinners\n");
        return -1;
    }
    for (int i = 0; i < ready; i++)
        if (start_spinner(i + 1) < 0)
            return -1;
    if (ready > 0) {
        close(spinner_report[0]);
        close(spinner_report[1]);
    }
    printf("bench: with %d background (BLOCKED, asleep) and %d ready (spinning) processes, "
           "policy %s\n",
           background, ready, policy);
    return 0;
}

/* ---- the command line ---------------------------------------------------- */

static void bench_fork(void)
{
    bench_fork_exit_wait("fork+exit+wait", false, 51);
}

static void bench_exec(void)
{
    bench_fork_exit_wait("fork+exec+wait (/bin/true)", true, 21);
}

/* One VM exit's round trip (guest -> #VMEXIT -> monitor -> VMRUN -> guest):
 * the tiny guest doing N CPUIDs, less the same guest doing none, over N.
 * The guest's output is discarded (output_bytes 0). */
static void bench_vm_exit(void)
{
    enum { EXITS = 2000, RUNS = 5 };
    char why[128];
    void *image;
    long size;
    if (hypervisor_probe(why, sizeof(why)) < 0 ||
        (size = hypervisor_load_image("tiny", &image)) < 0) {
        printf("bench: one VM exit round trip (CPUID): skipped, %s\n", why);
        return;
    }
    unsigned long base[RUNS];
    for (int i = 0; i < 2 * RUNS; i++) {
        struct vm_run_request request = {.image = (uint64_t)image,
                                         .image_bytes = (uint64_t)size,
                                         .guest_mode = VM_GUEST_CPUID,
                                         .guest_argument = i % 2 ? EXITS : 0};
        struct vm_report report;
        unsigned long start = read_cycles();
        hypervisor_run(&request, &report);
        unsigned long cycles = read_cycles() - start;
        if (i % 2 == 0)
            base[i / 2] = cycles;
        else
            samples[i / 2] = cycles > base[i / 2] ? cycles - base[i / 2] : 0;
    }
    report("one VM exit round trip (CPUID)", RUNS, EXITS);
}

static const struct row {
    const char *name;
    void (*run)(void);
} rows[] = {
    {"getpid", bench_getpid},           /* the cheapest system call */
    {"pipe", bench_pipe_round_trip},    /* one byte there and back: two switches */
    {"fork", bench_fork},               /* fork+exit+wait */
    {"exec", bench_exec},               /* fork+exec+wait */
    {"zero", bench_demand_zero},        /* demand-zero page faults */
    {"cow", bench_copy_on_write_fault}, /* copy-on-write page faults */
    {"swap", bench_swap},               /* eviction and major fault, per page */
    {"big", bench_big_process},         /* fork and exit of a 16 MiB process */
    {"vmexit", bench_vm_exit},          /* a CPUID exit to the hypervisor and back */
};

#define ROW_COUNT (int)(sizeof(rows) / sizeof(rows[0]))

struct options {
    int background;
    int ready;
    bool selected[ROW_COUNT];
    bool any_selected;
};

/* A count for --background/--ready: digits only, at most MAX_EXTRA_PROCESSES. */
static bool parse_count(const char *text, int *count)
{
    char *end;
    long value = strtol(text, &end, 10);
    if (end == text || *end != '\0' || value < 0 || value > MAX_EXTRA_PROCESSES)
        return false;
    *count = (int)value;
    return true;
}

static int find_row(const char *name)
{
    for (int i = 0; i < ROW_COUNT; i++)
        if (strcmp(rows[i].name, name) == 0)
            return i;
    return -1;
}

/* Fills options from argv; on a mistake args says what in one line and sets args->stop. */
static void parse_arguments(struct args *args, struct options *options)
{
    const char *argument;
    while (args_more(args) && args_text(args, "ROW", &argument) == 0) {
        if (strcmp(argument, "--background") == 0 || strcmp(argument, "--ready") == 0) {
            int *count = argument[2] == 'b' ? &options->background : &options->ready;
            const char *text = NULL;
            if (!args_more(args) || args_text(args, "N", &text) < 0 || !parse_count(text, count))
                args_error(args, "%s needs a count from 0 to %d", argument, MAX_EXTRA_PROCESSES);
            continue;
        }
        int row = find_row(argument);
        if (row < 0) {
            args_error(args, "no row or option %s", argument);
            continue;
        }
        options->selected[row] = true;
        options->any_selected = true;
    }
    if (options->background + options->ready > MAX_EXTRA_PROCESSES)
        args_error(args, "at most %d --background and --ready processes in all",
                   MAX_EXTRA_PROCESSES);
}

int main(int argc, char **argv)
{
    struct args args;
    struct options options = {0};
    args_begin(&args, argc, argv,
               "[--background N] [--ready N] [getpid pipe fork exec zero cow swap big vmexit]",
               "cycles per operation of each row (all rows, or the ones named)");
    parse_arguments(&args, &options);
    if (args_finish(&args) < 0)
        return args.status;
    printf("bench: cycles per operation under this QEMU (rdtsc)\n");
    int status = 0;
    if (start_extra_processes(options.background, options.ready) < 0) {
        status = 1;
    } else {
        for (int i = 0; i < ROW_COUNT; i++)
            if (!options.any_selected || options.selected[i])
                rows[i].run();
    }
    stop_extra_processes();
    return status;
}
