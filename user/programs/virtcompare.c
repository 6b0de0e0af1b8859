/*
 * virtcompare — the same work as a process, in a container group and in a
 * virtual machine, measured side by side ("Containers vs VMs").
 *
 * Each way of running is timed twice with the TSC from fork to reaped: once
 * empty (virtwork 0, or a guest that halts at once: `vm --cpuid tiny 0`) —
 * that is its start-up and tear-down — and once with the work (lib/vm_work.h:
 * 48 CPU-bound units of a million spins, then again 48 memory-bound units of
 * a million updates over 256 KiB regions, a letter each); run = full minus empty, so the CPU
 * overhead of the way itself is run against the plain process's run. Times from fork to reaped do
 * not depend on when this parent gets the CPU back: it only waits. Memory is the most frames the
 * work held beyond what was free before (page tables, kernel stack, group record; for the VM its
 * guest RAM and nested page tables), sampled each time its output wakes this parent. Each way runs
 * once first to warm up lazily made kernel state; after the measured runs the frames in use
 * (frames_accounted: kernel heap included) must be what they were, or the difference is reported as
 * leaked. One line per way and work: `virtcompare: MODE work=cpu|memory startup_cycles=..
 * run_cycles=.. peak_frames=.. leaked_frames=.. status=..`, which tools/compare_virt.py turns into
 * the table and the picture (make compare-virt). OSTEP ch. 4-6 (processes), appendix B (virtual
 * machine monitors).
 */
#include "lib/string.h"
#include "user/lib/args.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"
#include "user/lib/vm.h"

static unsigned long free_frames(void)
{
    struct mem_info info;
    return meminfo(&info) == 0 ? info.free_frames : 0;
}

struct run {
    unsigned long cycles, peak_frames;
    int status;
};

/* Has the output so far (its last bytes kept in tail) said "virtwork: done"? */
static bool saw_done(char *tail, size_t tail_size, const char *chunk, long length)
{
    static const char done[] = "virtwork: done";
    size_t kept = strlen(tail);
    for (long i = 0; i < length; i++) {
        if (kept == tail_size - 1) {
            memmove(tail, tail + 1, --kept);
        }
        tail[kept++] = chunk[i];
        tail[kept] = '\0';
        if (kept >= sizeof(done) - 1 && strcmp(tail + kept - (sizeof(done) - 1), done) == 0)
            return true;
    }
    return false;
}

/*
 * Runs argv with its output through a pipe, to the end, sampling free frames
 * each time output arrives. With hold, the child's stdin is a pipe this
 * parent closes only after `virtwork --hold` said it was done: virtwork then
 * still holds all its memory, so that sample sees it, however late the
 * scheduler lets this parent run (a timed run must not hold: the wait would
 * count as its run time).
 */
static struct run run_once(char **argv, bool hold)
{
    struct run result = {0, 0, -1};
    int fds[2], stdin_fds[2] = {-1, -1};
    if (pipe(fds) < 0 || (hold && pipe(stdin_fds) < 0))
        return result;
    stdout_flush();
    unsigned long free_before = free_frames(), lowest = free_before;
    unsigned long start = read_cycles();
    int pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        if (hold) {
            dup2(stdin_fds[0], STDIN_FILENO);
            close(stdin_fds[0]);
            close(stdin_fds[1]);
        }
        execv(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    if (hold)
        close(stdin_fds[0]);
    if (pid > 0) {
        char buffer[256], tail[32] = "";
        long length;
        while ((length = read(fds[0], buffer, sizeof(buffer))) > 0) {
            unsigned long now_free = free_frames();
            if (now_free < lowest)
                lowest = now_free;
            if (hold && stdin_fds[1] >= 0 && saw_done(tail, sizeof(tail), buffer, length)) {
                close(stdin_fds[1]); /* sampled while it held everything: let it exit */
                stdin_fds[1] = -1;
            }
        }
        waitpid(pid, &result.status, 0);
    }
    result.cycles = read_cycles() - start;
    close(fds[0]);
    if (stdin_fds[1] >= 0)
        close(stdin_fds[1]);
    result.peak_frames = free_before - lowest;
    return result;
}

/* Start-up from the empty run, run time from the full one; memory from a
 * third, held run of the full work (held: virtwork with --hold). */
static void measure(const char *mode, const char *work_kind, char **empty, char **full, char **held)
{
    run_once(empty, false); /* warm-up */
    unsigned long accounted_before = frames_accounted();
    struct run startup = run_once(empty, false), work = run_once(full, false);
    struct run memory = run_once(held, true);
    long leaked = (long)frames_accounted() - (long)accounted_before;
    unsigned long peak =
        memory.peak_frames > work.peak_frames ? memory.peak_frames : work.peak_frames;
    int status = startup.status != 0 ? startup.status
                 : work.status != 0  ? work.status
                                     : memory.status;
    printf("virtcompare: %s work=%s startup_cycles=%lu run_cycles=%lu peak_frames=%lu "
           "leaked_frames=%ld status=%d\n",
           mode, work_kind, startup.cycles,
           work.cycles > startup.cycles ? work.cycles - startup.cycles : 0, peak, leaked, status);
}

int main(int argc, char **argv)
{
    struct args args;
    args_begin(&args, argc, argv, "",
               "run the tiny guest's work as a process, in a group and in a VM; measure each");
    if (args_finish(&args) < 0)
        return args.status;
    char *plain_empty[] = {"/bin/virtwork", "0", NULL};
    char *plain[] = {"/bin/virtwork", "48", NULL};
    char *plain_held[] = {"/bin/virtwork", "--hold", "48", NULL};
    char *plain_memory[] = {"/bin/virtwork", "--memory", "48", NULL};
    char *plain_memory_held[] = {"/bin/virtwork", "--hold", "--memory", "48", NULL};
    char *group_empty[] = {"/bin/group", "run", "--mem", "16M", "/bin/virtwork", "0", NULL};
    char *group[] = {"/bin/group", "run", "--mem", "16M", "/bin/virtwork", "48", NULL};
    char *group_held[] = {"/bin/group",    "run",    "--mem", "16M",
                          "/bin/virtwork", "--hold", "48",    NULL};
    char *group_memory[] = {"/bin/group",    "run",      "--mem", "16M",
                            "/bin/virtwork", "--memory", "48",    NULL};
    char *group_memory_held[] = {"/bin/group", "run",      "--mem", "16M", "/bin/virtwork",
                                 "--hold",     "--memory", "48",    NULL};
    char *vm_empty[] = {"/bin/vm", "--cpuid", "tiny", "0", NULL};
    char *vm[] = {"/bin/vm", "tiny", NULL};
    char *vm_memory[] = {"/bin/vm", "--memory", "tiny", NULL};
    /* A VM holds its guest RAM from start to end: every sample of its run sees it. */
    measure("process", "cpu", plain_empty, plain, plain_held);
    measure("group", "cpu", group_empty, group, group_held);
    measure("vm", "cpu", vm_empty, vm, vm);
    measure("process", "memory", plain_empty, plain_memory, plain_memory_held);
    measure("group", "memory", group_empty, group_memory, group_memory_held);
    measure("vm", "memory", vm_empty, vm_memory, vm_memory);
    return 0;
}
