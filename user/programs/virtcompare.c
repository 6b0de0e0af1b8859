/*
 * virtcompare — the same work as a process, in a container group and in a
 * virtual machine, measured side by side ("Containers vs VMs").
 *
 * For each way of running it, the work's output comes back through a pipe
 * and this program reads the TSC around it: start-up is the time from fork
 * to the first byte the work writes (its "start" line or the guest's
 * banner), run is the time from there to the end, and memory is the most
 * frames the whole thing held beyond what was free before (page tables,
 * kernel stack, group record; for the VM, its guest RAM and nested page
 * tables), sampled at every read. Frames free after it has been reaped must
 * be what was free before: a difference is a leak and is reported.
 * One line per way, `virtcompare: MODE startup_cycles=.. run_cycles=..
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

/* Runs argv with its output through a pipe; prints one result line. */
static int measure(const char *mode, char **argv)
{
    int fds[2];
    if (pipe(fds) < 0) {
        printf("virtcompare: %s: no pipe\n", mode);
        return -1;
    }
    stdout_flush();
    unsigned long free_before = free_frames(), lowest = free_before;
    unsigned long start = read_cycles(), first = 0;
    int pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        printf("virtcompare: %s: fork failed\n", mode);
        return -1;
    }
    char buffer[256];
    long got;
    while ((got = read(fds[0], buffer, sizeof(buffer))) > 0) {
        if (first == 0)
            first = read_cycles();
        unsigned long now_free = free_frames();
        if (now_free < lowest)
            lowest = now_free;
    }
    int status = 0;
    waitpid(pid, &status, 0);
    unsigned long end = read_cycles();
    close(fds[0]);
    if (first == 0)
        first = end;
    unsigned long free_after = free_frames();
    printf("virtcompare: %s startup_cycles=%lu run_cycles=%lu peak_frames=%lu leaked_frames=%ld "
           "status=%d\n",
           mode, first - start, end - first, free_before - lowest,
           (long)free_before - (long)free_after, status);
    return 0;
}

int main(int argc, char **argv)
{
    struct args args;
    args_begin(&args, argc, argv, "",
               "run the tiny guest's work as a process, in a group and in a VM; measure each");
    if (args_finish(&args) < 0)
        return args.status;
    char *warm[] = {"/bin/true", NULL}; /* lazily made kernel state is no leak */
    measure("warmup", warm);
    char *plain[] = {"/bin/virtwork", "48", NULL};
    char *group[] = {"/bin/group", "run", "--mem", "16M", "--name", "virtwork",
                     "/bin/virtwork", "48", NULL};
    char *vm[] = {"/bin/vm", "tiny", NULL};
    measure("process", plain);
    measure("group", group);
    measure("vm", vm);
    return 0;
}
