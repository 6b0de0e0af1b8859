/*
 * bench — what the basic operations cost, in CPU cycles (rdtsc), median of
 * many runs. Under QEMU's TCG the guest's rdtsc ticks at the host's rate, so
 * these are real host cycles. It measures and prints; it never judges.
 * OSTEP ch. 6 (measuring system calls and context switches, the chapter's
 * homework), ch. 23 (the cost of copy-on-write vs copying).
 */
#include "lib/string.h"
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
    sbrk(-(long)(2 * bytes));
}

int main(void)
{
    printf("bench: cycles per operation under this QEMU (rdtsc)\n");
    bench_getpid();
    bench_pipe_round_trip();
    bench_fork_exit_wait("fork+exit+wait", false, 51);
    bench_fork_exit_wait("fork+exec+wait (/bin/true)", true, 21);
    bench_demand_zero();
    bench_copy_on_write_fault();
    bench_swap();
    bench_big_process();
    return 0;
}
