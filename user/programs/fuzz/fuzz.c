/*
 * fuzz [SEED [CALLS [WORKERS]]] — a seeded system-call fuzzer.
 *
 * The kernel must survive any system call with any arguments (OSTEP ch. 6:
 * user code is never trusted). fuzz makes CALLS calls (default 10000) across
 * WORKERS processes (default 4, at most 12), numbers in and out of range,
 * arguments drawn from values that break kernels: 0, -1, small ints, huge
 * counts, valid heap and stack pointers, page-straddling buffers, the top of
 * the user half, non-canonical and kernel addresses, and descriptors and
 * pids the worker really holds. A worker that dies (a bad number is SIGSYS;
 * exec and exit end it too) is replaced until the calls are made. Then fuzz
 * checks that the kernel is alive (a program still runs) and that free
 * frames and kernel-heap bytes are back where they started, and prints
 * "fuzz: ok" or "fuzz: FAILED ...". The seed fixes each worker's random
 * choices; the kernel's answers (which child has exited yet) steer some of
 * them, so two runs of one seed are alike rather than identical.
 *
 * Each worker (worker.c) draws its calls from its own model of what it
 * holds (fuzz_values.h), so it never makes one that would wait forever.
 * Everything a worker changes for the whole system — scheduling and
 * replacement policy, trace, foreground group — the supervisor puts back.
 */
#include "lib/string.h"
#include "user/lib/args.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"
#include "user/lib/vm.h"
#include "user/programs/fuzz/fuzz.h"

/* ---- the supervisor ----------------------------------------------------- */
struct slot {
    int pid, progress_fd;
    unsigned long remaining, lives;
};

static struct slot slots[MAX_WORKERS];
static unsigned long total_lives, signal_deaths, signal_counts[64];

static void spawn(struct slot *slot, uint64_t seed, int index)
{
    int pipe_fds[2];
    if (pipe(pipe_fds) < 0) {
        printf("fuzz: FAILED: no pipe for a worker\n");
        exit(1);
    }
    uint64_t worker_seed = seed * 1000003 + (uint64_t)index * 7919 + slot->lives;
    unsigned long life_calls = slot->remaining < LIFE_CALLS ? slot->remaining : LIFE_CALLS;
    stdout_flush();
    int pid = fork();
    if (pid == 0)
        worker_start(pipe_fds[1], worker_seed, life_calls);
    close(pipe_fds[1]);
    if (pid < 0) {
        printf("fuzz: FAILED: fork of a worker: %d\n", pid);
        exit(1);
    }
    slot->pid = pid;
    slot->progress_fd = pipe_fds[0];
    slot->lives++;
    total_lives++;
}

/* Sums what the dead worker reported; its write end is closed now. */
static unsigned long collect_progress(struct slot *slot)
{
    unsigned long done = 0;
    unsigned int counts[64];
    long got;
    while ((got = read(slot->progress_fd, counts, sizeof(counts))) > 0)
        for (long i = 0; i < got / (long)sizeof(unsigned int); i++)
            done += counts[i];
    close(slot->progress_fd);
    return done;
}

static int process_count(void)
{
    static struct proc_stat table[256];
    return procstat(table, 256);
}

static bool program_runs(void)
{
    stdout_flush();
    int pid = fork();
    if (pid == 0) {
        char *argv[] = {"true", NULL};
        execv("/bin/true", argv);
        _exit(127);
    }
    int status = -1;
    return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
           WEXITSTATUS(status) == 0;
}

int main(int argc, char **argv)
{
    struct args args;
    args_begin(&args, argc, argv, "[SEED [CALLS [WORKERS]]]",
               "seeded system-call fuzzer: CALLS calls (10000) across WORKERS processes (4)");
    long seed = 1, calls = 10000, workers = 4;
    args_optional_number(&args, "SEED", 0, 0x7fffffffffffffffL, &seed);
    args_optional_number(&args, "CALLS", 1, 1000000000, &calls);
    args_optional_number(&args, "WORKERS", 1, MAX_WORKERS, &workers);
    if (args_finish(&args) < 0)
        return args.status;
    static char policy[64];
    sched(NULL, policy, sizeof(policy));
    char *colon = strchr(policy, ':');
    if (colon)
        *colon = '\0';
    long trace_was = syscall_raw(SYS_trace, TRACE_STATUS, 0, 0, 0, 0, 0);
    static char replace_policy[16];
    bool swap_on = syscall_raw(SYS_swap, SWAP_POLICY, 0, (long)replace_policy, 0, 0, 0) == 0;
    program_runs(); /* warm-up: lazily made kernel state */
    int processes_before = process_count();
    struct mem_info before, after;
    meminfo(&before);
    long accounted_before = (long)frames_accounted();
    long started = uptime_ms();
    printf("fuzz: seed %ld, %ld calls across %ld workers\n", seed, calls, workers);

    unsigned long live = 0, made = 0;
    for (long i = 0; i < workers; i++) {
        slots[i].remaining = (unsigned long)(calls / workers + (i < calls % workers ? 1 : 0));
        if (slots[i].remaining > 0) {
            spawn(&slots[i], (uint64_t)seed, (int)i);
            live++;
        }
    }
    while (live > 0) {
        int status = 0;
        int pid = waitpid(-1, &status, 0);
        if (pid < 0) {
            printf("fuzz: FAILED: waitpid with %lu workers live: %d\n", live, pid);
            return 1;
        }
        for (long i = 0; i < workers; i++) {
            struct slot *slot = &slots[i];
            if (slot->pid != pid)
                continue;
            unsigned long done = collect_progress(slot);
            done = done < slot->remaining ? done : slot->remaining;
            slot->remaining -= done;
            made += done;
            if (WIFSIGNALED(status)) {
                signal_deaths++;
                signal_counts[WTERMSIG(status) & 63]++;
            }
            if (slot->remaining > 0)
                spawn(slot, (uint64_t)seed, (int)i);
            else
                live--;
        }
    }
    long elapsed = uptime_ms() - started;

    /* Put back what workers changed for everyone, then let init reap the
     * orphans they left (each exits at once) before counting. */
    sched(policy, NULL, 0);
    syscall_raw(SYS_trace, trace_was == 1 ? TRACE_ON : TRACE_OFF, 0, 0, 0, 0, 0);
    set_foreground(getpid());
    if (swap_on)
        syscall_raw(SYS_swap, SWAP_POLICY, (long)replace_policy, 0, 0, 0, 0);
    for (int tries = 0; process_count() != processes_before && tries < 30000; tries++)
        sleep_ms(1);
    bool alive = program_runs();
    meminfo(&after);
    long accounted_after = (long)frames_accounted();
    printf("fuzz: %lu calls made in %ld ms by %lu worker lives, %lu ended by a signal "
           "(SIGSYS %lu, SIGSEGV %lu, other %lu)\n",
           made, elapsed, total_lives, signal_deaths, signal_counts[SIGSYS], signal_counts[SIGSEGV],
           signal_deaths - signal_counts[SIGSYS] - signal_counts[SIGSEGV]);
    printf("fuzz: processes %d -> %d, frames free+kernel-swapped %ld -> %ld, "
           "kernel heap bytes %lu -> %lu, programs %s\n",
           processes_before, process_count(), accounted_before, accounted_after,
           (unsigned long)before.kernel_heap_bytes, (unsigned long)after.kernel_heap_bytes,
           alive ? "run" : "DO NOT RUN");
    bool ok = alive && made == (unsigned long)calls && accounted_before == accounted_after &&
              before.kernel_heap_bytes == after.kernel_heap_bytes &&
              process_count() == processes_before;
    printf("fuzz: %s\n", ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
