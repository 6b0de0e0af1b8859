/*
 * workload FILE — run a described set of jobs, the same way under any policy.
 *
 * Each line of FILE is one job: a name, when it arrives (ms after start),
 * then its bursts in order — cpu:MS burns MS of its own CPU time, io:MS
 * sleeps MS (an I/O wait) — and optional tickets=N / nice=N. A line
 * "!duration MS" ends every job still running after MS (for proportional-
 * share runs, where the jobs would otherwise never finish). Lines starting
 * with # are comments. Jobs name themselves (setname) so the trace tool can
 * tell them apart; at the end the trace is flushed.
 * OSTEP ch. 7 (workload assumptions, arrival/run times), ch. 8, ch. 9.
 */
#include "lib/ctype.h"
#include "lib/string.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"
#include "user/lib/trace.h"

#define MAX_JOBS 16
#define MAX_BURSTS 32
#define FILE_MAX 4096

struct job {
    char name[16];
    long arrival_ms;
    long bursts[MAX_BURSTS]; /* > 0: cpu ms, < 0: io ms */
    int burst_count;
    long tickets, nice;
    int pid;
};

static struct job jobs[MAX_JOBS];
static int job_count;
static long duration_ms = -1;

static long own_cpu_ms(void)
{
    static struct proc_stat stats[64];
    int count = procstat(stats, 64), pid = getpid();
    for (int i = 0; i < count; i++)
        if (stats[i].pid == pid)
            return (long)stats[i].cpu_ms;
    return 0;
}

static void burn_cpu(long ms)
{
    long until = own_cpu_ms() + ms;
    while (own_cpu_ms() < until)
        for (volatile int spin = 0; spin < 20000; spin++)
            ;
}

static _Noreturn void run_job(const struct job *job)
{
    setname(job->name);
    if (job->tickets > 0)
        setparam(0, SCHED_PARAM_TICKETS_ID, job->tickets);
    if (job->nice != 0)
        setparam(0, SCHED_PARAM_NICE_ID, job->nice);
    for (int i = 0; i < job->burst_count; i++) {
        if (job->bursts[i] > 0)
            burn_cpu(job->bursts[i]);
        else
            sleep_ms((unsigned long)-job->bursts[i]);
    }
    _exit(0);
}

static char *next_word(char **cursor)
{
    while (**cursor && isspace((unsigned char)**cursor))
        (*cursor)++;
    if (!**cursor)
        return NULL;
    char *word = *cursor;
    while (**cursor && !isspace((unsigned char)**cursor))
        (*cursor)++;
    if (**cursor)
        *(*cursor)++ = '\0';
    return word;
}

static bool parse_job(char *line, struct job *job)
{
    char *cursor = line, *word = next_word(&cursor);
    strlcpy(job->name, word, sizeof(job->name));
    word = next_word(&cursor);
    if (!word)
        return false;
    job->arrival_ms = strtol(word, NULL, 10);
    while ((word = next_word(&cursor)) && job->burst_count < MAX_BURSTS) {
        if (strncmp(word, "cpu:", 4) == 0)
            job->bursts[job->burst_count++] = strtol(word + 4, NULL, 10);
        else if (strncmp(word, "io:", 3) == 0)
            job->bursts[job->burst_count++] = -strtol(word + 3, NULL, 10);
        else if (strncmp(word, "tickets=", 8) == 0)
            job->tickets = strtol(word + 8, NULL, 10);
        else if (strncmp(word, "nice=", 5) == 0)
            job->nice = strtol(word + 5, NULL, 10);
        else
            return false;
    }
    return job->burst_count > 0;
}

static bool parse_file(char *text)
{
    for (char *line = text; line && *line;) {
        char *end = strchr(line, '\n');
        if (end)
            *end = '\0';
        char *first = line;
        while (isspace((unsigned char)*first))
            first++;
        if (strncmp(first, "!duration", 9) == 0) {
            duration_ms = strtol(first + 9, NULL, 10);
        } else if (*first && *first != '#') {
            if (job_count == MAX_JOBS || !parse_job(first, &jobs[job_count])) {
                dprintf(STDERR_FILENO, "workload: cannot read line: %s\n", first);
                return false;
            }
            job_count++;
        }
        line = end ? end + 1 : NULL;
    }
    return job_count > 0;
}

static void start_jobs_on_time(long start)
{
    for (int started = 0; started < job_count;) {
        long now = uptime_ms() - start, next = -1;
        for (int i = 0; i < job_count; i++) {
            if (jobs[i].pid != 0)
                continue;
            if (jobs[i].arrival_ms <= now) {
                stdout_flush();
                jobs[i].pid = fork();
                if (jobs[i].pid == 0)
                    run_job(&jobs[i]);
                started++;
            } else if (next < 0 || jobs[i].arrival_ms < next) {
                next = jobs[i].arrival_ms;
            }
        }
        if (next > now)
            sleep_ms((unsigned long)(next - now));
    }
}

int main(int argc, char **argv)
{
    static char text[FILE_MAX];
    if (argc != 2) {
        dprintf(STDERR_FILENO, "usage: workload FILE   (e.g. workload /etc/lottery.wl)\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    long length = fd < 0 ? fd : read(fd, text, sizeof(text) - 1);
    if (length < 0) {
        dprintf(STDERR_FILENO, "workload: cannot read %s\n", argv[1]);
        return 1;
    }
    close(fd);
    if (!parse_file(text))
        return 1;
    printf("workload: %d jobs from %s\n", job_count, argv[1]);
    long start = uptime_ms();
    start_jobs_on_time(start);
    if (duration_ms >= 0) {
        long elapsed = uptime_ms() - start;
        if (elapsed < duration_ms)
            sleep_ms((unsigned long)(duration_ms - elapsed));
        for (int i = 0; i < job_count; i++)
            kill(jobs[i].pid, SIGTERM);
    }
    for (int i = 0; i < job_count; i++)
        waitpid(jobs[i].pid, NULL, 0);
    long dropped = trace_control(TRACE_FLUSH);
    printf("workload: done in %ld ms (trace events dropped: %ld)\n", uptime_ms() - start,
           dropped < 0 ? 0 : dropped);
    return 0;
}
