/*
 * virtcompare — the same work as a process, in a container group and in a
 * virtual machine, measured side by side ("Containers vs VMs").
 *
 * Each way of running is timed twice with the TSC from fork to reaped: once
 * empty (virtwork 0, or a guest that halts at once: `vm --cpuid tiny 0`) —
 * that is its start-up and tear-down — and once with the work (48 units of a
 * million spins, a letter each); run = full minus empty, so the CPU overhead
 * of the way itself is run against the plain process's run. Times from fork
 * to reaped do not depend on when this parent gets the CPU back: it only
 * waits. Memory is the most frames the work held beyond what was free
 * before (page tables, kernel stack, group record; for the VM its guest RAM
 * and nested page tables), sampled each time its output wakes this parent.
 * Each way runs once first to warm up lazily made kernel state; after the
 * measured runs the frames in use (frames_accounted: kernel heap included)
 * must be what they were, or the difference is reported as leaked.
 * One line per way: `virtcompare: MODE startup_cycles=.. run_cycles=..
 * peak_frames=.. leaked_frames=.. status=..`, which tools/compare_virt.py
 * turns into the table and the picture (make compare-virt).
 * OSTEP ch. 4-6 (processes), appendix B (virtual machine monitors).
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

/* Runs argv with its output through a pipe, to the end. */
static struct run run_once(char **argv)
{
    struct run result = {0, 0, -1};
    int fds[2];
    if (pipe(fds) < 0)
        return result;
    stdout_flush();
    unsigned long free_before = free_frames(), lowest = free_before;
    unsigned long start = read_cycles();
    int pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    if (pid > 0) {
        char buffer[256];
        while (read(fds[0], buffer, sizeof(buffer)) > 0) {
            unsigned long now_free = free_frames();
            if (now_free < lowest)
                lowest = now_free;
        }
        waitpid(pid, &result.status, 0);
    }
    result.cycles = read_cycles() - start;
    close(fds[0]);
    result.peak_frames = free_before - lowest;
    return result;
}

static void measure(const char *mode, char **empty, char **full)
{
    run_once(empty); /* warm-up */
    unsigned long accounted_before = frames_accounted();
    struct run startup = run_once(empty), work = run_once(full);
    long leaked = (long)frames_accounted() - (long)accounted_before;
    printf("virtcompare: %s startup_cycles=%lu run_cycles=%lu peak_frames=%lu leaked_frames=%ld "
           "status=%d\n",
           mode, startup.cycles, work.cycles > startup.cycles ? work.cycles - startup.cycles : 0,
           work.peak_frames, leaked, startup.status != 0 ? startup.status : work.status);
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
    char *group_empty[] = {"/bin/group", "run", "--mem", "16M", "/bin/virtwork", "0", NULL};
    char *group[] = {"/bin/group", "run", "--mem", "16M", "/bin/virtwork", "48", NULL};
    char *vm_empty[] = {"/bin/vm", "--cpuid", "tiny", "0", NULL};
    char *vm[] = {"/bin/vm", "tiny", NULL};
    measure("process", plain_empty, plain);
    measure("group", group_empty, group);
    measure("vm", vm_empty, vm);
    return 0;
}
