/*
 * trace_metrics.c — per-process metrics, their averages and Jain's index.
 *
 * Every number here is a sum or a difference of the times that the replay
 * (trace_analysis.c) recorded; nothing is re-derived from the raw events.
 * Averages skip the processes for which a value is unknown (still alive: no
 * turnaround; never ran: no response), so they never mix guesses in.
 * OSTEP ch. 7 (turnaround, response), ch. 8 (MLFQ's trade), ch. 9 (fairness).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/trace_metrics.h"

static bool pid_listed(const struct trace_selection *selection, int pid)
{
    for (size_t i = 0; i < selection->pid_count; i++)
        if (selection->pids[i] == pid)
            return true;
    return false;
}

static bool ran(const struct trace_process *process)
{
    return process->first_run_us != TRACE_TIME_NONE;
}

size_t trace_select(struct trace *trace, const struct trace_selection *selection)
{
    bool any_named = false, any_arrived = false;
    for (size_t i = 0; i < trace->process_count; i++) {
        any_named = any_named || trace->processes[i].named;
        any_arrived = any_arrived || trace->processes[i].arrived;
    }
    size_t count = 0;
    for (size_t i = 0; i < trace->process_count; i++) {
        struct trace_process *process = &trace->processes[i];
        if (selection != NULL && selection->all)
            process->selected = true;
        else if (selection != NULL && selection->pid_count > 0)
            process->selected = pid_listed(selection, process->pid);
        else if (any_arrived)
            process->selected = process->arrived;
        else if (any_named)
            process->selected = process->named;
        else
            process->selected = ran(process) && process->pid != 0;
        count += process->selected;
    }
    return count;
}

/* When a process stopped competing: its exit, or the last time it was followed. */
static int64_t end_of_life(const struct trace *trace, const struct trace_process *process)
{
    if (process->completion_us != TRACE_TIME_NONE)
        return process->completion_us;
    if (process->session == trace->session)
        return trace->end_us;
    return process->interval_count > 0 ? process->intervals[process->interval_count - 1].end_us
                                       : process->arrival_us;
}

static int64_t run_time_within(const struct trace_process *process, int64_t start_us,
                               int64_t end_us)
{
    int64_t total = 0;
    for (size_t i = 0; i < process->interval_count; i++) {
        const struct trace_interval *interval = &process->intervals[i];
        int64_t from = interval->start_us > start_us ? interval->start_us : start_us;
        int64_t to = interval->end_us < end_us ? interval->end_us : end_us;
        if (interval->state == TRACE_STATE_RUNNING && to > from)
            total += to - from;
    }
    return total;
}

static int64_t since(int64_t time_us, int64_t origin_us)
{
    return time_us == TRACE_TIME_NONE ? TRACE_TIME_NONE : time_us - origin_us;
}

static void fill_row(const struct trace_process *process, int64_t origin_us,
                     struct trace_process_metrics *row)
{
    row->process = process;
    row->arrival_us = since(process->arrival_us, origin_us);
    row->first_run_us = since(process->first_run_us, origin_us);
    row->completion_us = since(process->completion_us, origin_us);
    row->turnaround_us = row->completion_us == TRACE_TIME_NONE
                             ? TRACE_TIME_NONE
                             : row->completion_us - row->arrival_us;
    row->response_us = row->first_run_us == TRACE_TIME_NONE ? TRACE_TIME_NONE
                                                            : row->first_run_us - row->arrival_us;
    row->run_us = process->time_in_state_us[TRACE_STATE_RUNNING];
    row->waiting_us = process->time_in_state_us[TRACE_STATE_READY];
    row->blocked_us = process->time_in_state_us[TRACE_STATE_BLOCKED];
}

static void average_add(struct trace_average *average, int64_t value_us)
{
    if (value_us == TRACE_TIME_NONE)
        return;
    average->value_us += (double)value_us; /* a sum until average_finish() */
    average->count++;
}

static void average_finish(struct trace_average *average)
{
    if (average->count > 0)
        average->value_us /= (double)average->count;
}

/* The overlap of all selected lives; sets jain_over_window when it is not empty. */
static void find_window(const struct trace *trace, struct trace_metrics *metrics)
{
    metrics->window_start_us = trace->start_us;
    metrics->window_end_us = trace->end_us;
    for (size_t i = 0; i < metrics->count; i++) {
        const struct trace_process *process = metrics->rows[i].process;
        int64_t end_us = end_of_life(trace, process);
        if (process->arrival_us > metrics->window_start_us)
            metrics->window_start_us = process->arrival_us;
        if (end_us < metrics->window_end_us)
            metrics->window_end_us = end_us;
    }
    metrics->jain_over_window =
        metrics->count > 0 && metrics->window_end_us > metrics->window_start_us;
}

static void compute_jain(const struct trace *trace, struct trace_metrics *metrics)
{
    double *shares = calloc(metrics->count + 1, sizeof *shares);
    if (shares == NULL)
        abort();
    find_window(trace, metrics);
    int64_t window_total = 0;
    for (size_t i = 0; i < metrics->count; i++) {
        struct trace_process_metrics *row = &metrics->rows[i];
        row->window_run_us =
            metrics->jain_over_window
                ? run_time_within(row->process, metrics->window_start_us, metrics->window_end_us)
                : 0;
        window_total += row->window_run_us;
    }
    if (window_total == 0)
        metrics->jain_over_window = false; /* nobody ran while all were alive */
    for (size_t i = 0; i < metrics->count; i++)
        shares[i] = (double)(metrics->jain_over_window ? metrics->rows[i].window_run_us
                                                       : metrics->rows[i].run_us);
    metrics->jain_index = trace_jain_index(shares, metrics->count);
    free(shares);
}

void trace_compute_metrics(const struct trace *trace, struct trace_metrics *metrics)
{
    memset(metrics, 0, sizeof *metrics);
    size_t selected = 0;
    for (size_t i = 0; i < trace->process_count; i++)
        selected += trace->processes[i].selected;
    metrics->rows = calloc(selected + 1, sizeof *metrics->rows);
    if (metrics->rows == NULL)
        abort();
    int64_t origin_us = trace->origin_us == TRACE_TIME_NONE ? 0 : trace->origin_us;
    metrics->origin_us = origin_us;
    for (size_t i = 0; i < trace->process_count; i++)
        if (trace->processes[i].selected)
            fill_row(&trace->processes[i], origin_us, &metrics->rows[metrics->count++]);
    for (size_t i = 0; i < metrics->count; i++) {
        const struct trace_process_metrics *row = &metrics->rows[i];
        metrics->total_run_us += row->run_us;
        average_add(&metrics->turnaround, row->turnaround_us);
        average_add(&metrics->response, row->response_us);
        average_add(&metrics->waiting, row->waiting_us);
        average_add(&metrics->blocked, row->blocked_us);
        average_add(&metrics->run, row->run_us);
    }
    average_finish(&metrics->turnaround);
    average_finish(&metrics->response);
    average_finish(&metrics->waiting);
    average_finish(&metrics->blocked);
    average_finish(&metrics->run);
    for (size_t i = 0; i < metrics->count; i++)
        metrics->rows[i].cpu_share = metrics->total_run_us > 0 ? (double)metrics->rows[i].run_us /
                                                                     (double)metrics->total_run_us
                                                               : 0.0;
    compute_jain(trace, metrics);
}

void trace_metrics_free(struct trace_metrics *metrics)
{
    free(metrics->rows);
    memset(metrics, 0, sizeof *metrics);
}

double trace_jain_index(const double *values, size_t count)
{
    double sum = 0.0, sum_of_squares = 0.0;
    for (size_t i = 0; i < count; i++) {
        sum += values[i];
        sum_of_squares += values[i] * values[i];
    }
    if (count == 0 || sum_of_squares <= 0.0)
        return -1.0;
    return sum * sum / ((double)count * sum_of_squares);
}

void trace_row_label(const struct trace_metrics *metrics, size_t row, char *label, size_t size)
{
    const char *name = trace_process_name(metrics->rows[row].process);
    bool unique = true;
    for (size_t other = 0; other < metrics->count && unique; other++)
        unique = other == row || strcmp(trace_process_name(metrics->rows[other].process), name);
    if (unique)
        snprintf(label, size, "%s", name);
    else
        snprintf(label, size, "%s (pid %d)", name, metrics->rows[row].process->pid);
}
