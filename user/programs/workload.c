/*
 * workload FILE — run a described set of jobs, the same way under any policy.
 *
 * FILE (see lib/workload_parse.h for the format) names one job per line:
 * its arrival (ms after the start), its bursts (cpu:MS of its own CPU time,
 * io:MS of sleeping) and optional tickets=, nice=, expected=. `workload
 * convoy` finds /etc/convoy.wl. The file is checked whole before anything
 * runs; a mistake is reported as FILE:LINE: what is wrong.
 * Every job exists before the start and is made READY at its arrival by the
 * kernel's timer (arrive_at), whatever the policy; !duration is a kernel
 * deadline. Jobs name themselves (setname) so the trace tool and ps label
 * them by their workload names; at the end the trace is flushed.
 * OSTEP ch. 7 (workload assumptions, arrival/run times), ch. 8, ch. 9.
 */
#include "lib/string.h"
#include "lib/workload_parse.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"
#include "user/lib/trace.h"

#define FILE_MAX 4096
#define PATH_MAX 64
#define SETUP_MS 100 /* creating the jobs before the start takes far less */

static struct workload workload;
static int pids[WORKLOAD_MAX_JOBS];

/* Burns ms of this process's own CPU time, as the kernel measures it (the
 * TSC, in ns), and stops the moment it is done, mid-slice or not. */
static void burn_cpu(long ms)
{
    long until = cpu_time_ns() + ms * 1000000L;
    while (cpu_time_ns() < until)
        ;
}

/*
 * A job: name itself and set its parameters while it is setup, not yet a
 * job (so the policy's very first pick sees them), have the kernel's clock
 * end it at !duration, wait for its arrival, then do its bursts. Unless the
 * file says expected=, each cpu burst announces its own length first.
 */
static _Noreturn void run_job(const struct workload_job *job, long start)
{
    setname(job->name);
    if (job->tickets > 0)
        setparam(0, SCHED_PARAM_TICKETS_ID, job->tickets);
    if (job->nice_given)
        setparam(0, SCHED_PARAM_NICE_ID, job->nice);
    int first_cpu = 0;
    while (job->bursts[first_cpu] < 0)
        first_cpu++;
    setparam(0, SCHED_PARAM_EXPECTED_ID,
             job->expected_ms ? job->expected_ms : job->bursts[first_cpu]);
    if (workload.duration_ms >= 0)
        deadline(0, start + workload.duration_ms);
    if (arrive_at(start + job->arrival_ms) < 0)
        _exit(1);
    for (int i = 0; i < job->burst_count; i++) {
        if (job->bursts[i] > 0) {
            if (i != first_cpu && job->expected_ms == 0)
                setparam(0, SCHED_PARAM_EXPECTED_ID, job->bursts[i]);
            burn_cpu(job->bursts[i]);
        } else {
            sleep_ms((unsigned long)-job->bursts[i]);
        }
    }
    _exit(0);
}

static int state_of(int pid)
{
    static struct proc_stat stats[128];
    int count = procstat(stats, 128);
    for (int i = 0; i < count; i++)
        if (stats[i].pid == pid)
            return stats[i].state;
    return -1;
}

/*
 * Creates every job before the start, one at a time and each waiting for
 * its arrival before the next is forked, so jobs arriving together become
 * READY in file order. Then the runner only waits: it does not compete with
 * its jobs for the CPU, and the kernel's timer (not this process) starts
 * and stops them.
 */
static void start_jobs(long start)
{
    for (int i = 0; i < workload.job_count; i++) {
        stdout_flush();
        pids[i] = fork();
        if (pids[i] == 0)
            run_job(&workload.jobs[i], start);
        if (pids[i] < 0) {
            dprintf(STDERR_FILENO, "workload: cannot create job %s\n", workload.jobs[i].name);
            pids[i] = 0;
            continue;
        }
        while (state_of(pids[i]) != PROC_STATE_BLOCKED && state_of(pids[i]) != PROC_STATE_ZOMBIE)
            yield();
    }
    if (uptime_ms() > start)
        dprintf(STDERR_FILENO, "workload: setting up took past the start: arrivals are late\n");
}

/* The shipped workloads, for a message that says where to look. */
static void list_shipped(void)
{
    char name[PATH_MAX];
    dprintf(STDERR_FILENO, "workload: the shipped workloads are:");
    for (int index = 0; readdir(index, name, sizeof name) >= 0; index++) {
        size_t length = strlen(name);
        if (strncmp(name, "etc/", 4) == 0 && length > 3 && strcmp(name + length - 3, ".wl") == 0)
            dprintf(STDERR_FILENO, " %s", name + 4);
    }
    dprintf(STDERR_FILENO, "   (in /etc)\n");
}

/* NAME as given, else /etc/NAME, else /etc/NAME.wl; the path that opened goes to `path`. */
static int open_workload(const char *name, char *path)
{
    static const char *const patterns[] = {"%s", "/etc/%s", "/etc/%s.wl"};
    for (unsigned i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
        if (i > 0 && strchr(name, '/'))
            break; /* a path is taken as it is */
        if (snprintf(path, PATH_MAX, patterns[i], name) >= PATH_MAX)
            continue;
        int fd = open(path, O_RDONLY);
        if (fd >= 0)
            return fd;
    }
    return -1;
}

static bool load(const char *name, char *path)
{
    static char text[FILE_MAX + 1];
    int fd = open_workload(name, path);
    if (fd < 0) {
        dprintf(STDERR_FILENO, "workload: no workload file %s (nor /etc/%s.wl)\n", name, name);
        list_shipped();
        return false;
    }
    long length = read(fd, text, sizeof(text));
    close(fd);
    if (length < 0) {
        dprintf(STDERR_FILENO, "workload: %s: cannot be read\n", path);
        return false;
    }
    text[length] = '\0';
    if (strlen(text) != (size_t)length) { /* a NUL byte: an executable, an image ... */
        dprintf(STDERR_FILENO, "workload: %s: not a workload file (it holds binary data)\n", path);
        return false;
    }
    if (length > FILE_MAX) {
        dprintf(STDERR_FILENO, "workload: %s: longer than %d bytes: not a workload file\n", path,
                FILE_MAX);
        return false;
    }
    int line;
    char error[WORKLOAD_ERROR_MAX];
    if (workload_parse(text, &workload, &line, error, sizeof(error)) < 0) {
        if (line > 0)
            dprintf(STDERR_FILENO, "%s:%d: %s\n", path, line, error);
        else
            dprintf(STDERR_FILENO, "%s: %s\n", path, error);
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    char path[PATH_MAX];
    if (argc != 2) {
        dprintf(STDERR_FILENO,
                "usage: workload FILE   (e.g. workload convoy, workload /etc/rr.wl)\n");
        return 2;
    }
    if (!load(argv[1], path))
        return 1;
    printf("workload: %d jobs from %s\n", workload.job_count, path);
    long start = (uptime_ms() + SETUP_MS + 9) / 10 * 10; /* on a tick at 100 or 1000 Hz */
    start_jobs(start);
    for (int i = 0; i < workload.job_count; i++)
        if (pids[i] > 0)
            waitpid(pids[i], NULL, 0);
    long dropped = trace_control(TRACE_FLUSH);
    printf("workload: done in %ld ms (trace events dropped: %ld)\n", uptime_ms() - start,
           dropped < 0 ? 0 : dropped);
    return 0;
}
