/*
 * workload_parse.h — reading a workload file (user/etc/NAME.wl) into jobs.
 *
 * The `workload` program (user/programs/workload.c) reads a file, hands its
 * text here and gets back the jobs to create; parsing touches no system call,
 * so the same code runs in the guest and in a host unit test, and every
 * mistake is reported as "LINE: what is wrong" before anything runs.
 * OSTEP ch. 7 (the workload: arrival and run times), ch. 8 (I/O), ch. 9 (tickets).
 *
 * The format, one item per line ('#' starts a comment line, blank lines skip):
 *   NAME ARRIVAL_MS BURST... [tickets=N] [nice=N] [expected=MS]
 *       BURST is cpu:MS (compute MS of the job's own CPU time) or io:MS (an
 *       I/O wait: sleep MS); at least one cpu: burst. tickets 1..10000, nice
 *       -20..19, expected (the run time SJF/STCF are told, > 0) defaults to
 *       each cpu burst's own length. Names are 1..15 characters, unique.
 *   !duration MS      the kernel ends every job still running MS after the start
 *   !kargs ARGS...    kernel command line the tools boot with (compare-sched,
 *                     the system tests); the guest program only checks it is there
 */
#ifndef PRISM_LIB_WORKLOAD_PARSE_H
#define PRISM_LIB_WORKLOAD_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#define WORKLOAD_MAX_JOBS 16
#define WORKLOAD_MAX_BURSTS 32
#define WORKLOAD_NAME_MAX 16 /* with the NUL: the kernel's PROC_NAME_MAX */
#define WORKLOAD_KARGS_MAX 128
#define WORKLOAD_ERROR_MAX 128
#define WORKLOAD_MAX_MS 100000000L /* a bit over a day: bigger is a typo */
#define WORKLOAD_MAX_TICKETS 10000

struct workload_job {
    char name[WORKLOAD_NAME_MAX];
    long arrival_ms;
    long bursts[WORKLOAD_MAX_BURSTS]; /* > 0: cpu ms, < 0: io ms */
    int burst_count;
    long tickets; /* 0 = not given (the policy's default) */
    long nice;    /* valid when nice_given */
    bool nice_given;
    long expected_ms; /* 0 = each cpu burst's own length */
};

struct workload {
    struct workload_job jobs[WORKLOAD_MAX_JOBS];
    int job_count;
    long duration_ms; /* -1 = none */
    char kargs[WORKLOAD_KARGS_MAX];
};

/*
 * Parses text (modified in place) into *workload. Returns 0, or -1 with
 * *error_line set (0 when the problem is the file as a whole) and `error`
 * holding one line saying what is wrong (no trailing newline).
 */
int workload_parse(char *text, struct workload *workload, int *error_line, char *error,
                   size_t error_size);

/* The job's total CPU demand in ms (the sum of its cpu: bursts). */
long workload_cpu_ms(const struct workload_job *job);

#endif
