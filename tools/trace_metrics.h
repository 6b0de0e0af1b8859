/*
 * trace_metrics.h — the numbers of OSTEP's scheduler homework, from a trace.
 *
 * Over a replayed trace (trace_analysis.h) this picks the processes to report
 * on and computes per process arrival, first run, completion, turnaround,
 * response, waiting (ready) time, blocked time, run time and CPU share, their
 * averages, and Jain's fairness index. OSTEP ch. 7 (turnaround and response),
 * ch. 8 (what MLFQ trades), ch. 9 (proportional share and fairness).
 */
#ifndef PRISM_TOOLS_TRACE_METRICS_H
#define PRISM_TOOLS_TRACE_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tools/trace_analysis.h"

/*
 * Which processes the metrics and pictures cover. Default (all false, no
 * pids): a workload's jobs (the processes with an `arrive` event), else the
 * processes that named themselves; if none did, every process that ran
 * except the idle process (pid 0). `all` takes every process, idle too.
 */
struct trace_selection {
    bool all;
    const int *pids;
    size_t pid_count;
};

size_t trace_select(struct trace *trace, const struct trace_selection *selection);

struct trace_process_metrics {
    const struct trace_process *process;
    /* From the workload's time zero (trace_origin) when it has arrivals, else
     * from boot; or TRACE_TIME_NONE. */
    int64_t arrival_us, first_run_us, completion_us;
    int64_t turnaround_us, response_us; /* or TRACE_TIME_NONE */
    int64_t run_us, waiting_us, blocked_us;
    int64_t window_run_us; /* run time inside the fairness window */
    double cpu_share;      /* run_us / the selected processes' total run time */
};

/* An average over the rows where the value is known (count of them). */
struct trace_average {
    double value_us;
    size_t count;
};

/*
 * Jain's index J = (sum x)^2 / (n * sum x^2) of run time x, taken over the
 * window when all selected processes were alive at once (from the last
 * arrival to the first completion, or the trace's end): fairness is about
 * processes that compete, and a process cannot get CPU before it exists or
 * after it exits. When they were never all alive together, x is the whole
 * run time (jain_over_window false). J is 1 when shares are equal, 1/n when
 * one process got everything, negative when undefined (nobody ran).
 */
struct trace_metrics {
    struct trace_process_metrics *rows; /* the selected processes, in trace order */
    size_t count;
    struct trace_average turnaround, response, waiting, blocked, run;
    int64_t total_run_us;
    double jain_index;
    bool jain_over_window;
    int64_t window_start_us, window_end_us; /* on the trace's clock, like origin_us */
    int64_t origin_us; /* subtracted from the rows' times: trace->origin_us, else 0 */
};

/* Needs trace_finish() first. Aborts if memory runs out (a host tool). */
void trace_compute_metrics(const struct trace *trace, struct trace_metrics *metrics);
void trace_metrics_free(struct trace_metrics *metrics);

double trace_jain_index(const double *values, size_t count);

/* A row's label: the job's name when no other row has it, else "name (pid N)". */
void trace_row_label(const struct trace_metrics *metrics, size_t row, char *label, size_t size);

#endif
