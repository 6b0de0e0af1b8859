/*
 * trace_text.c — writes the text forms of trace_text.h.
 *
 * The terminal timeline samples each process's intervals into fixed time
 * buckets. A bucket in which the process ran at all shows its letter, so no
 * job that ran is ever hidden however wide the buckets; otherwise '.' if it
 * mostly waited ready. Under a row, a process whose MLFQ level changed gets
 * a line of level digits, and one whose tickets or other parameters changed
 * a list of the changes. All times print in ms from microsecond sums, from
 * the workload's time zero when the trace has arrivals.
 * OSTEP ch. 7-9 (the metrics the homework simulators print).
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tools/trace_text.h"
#include "tools/trace_vm.h"

#define LABEL_SIZE (TRACE_NAME_SIZE + 16)
#define TICK_COLUMNS 10

static double ms(int64_t time_us)
{
    return (double)time_us / 1000.0;
}

/* Each row's letter: the first letter or digit of its name no other row has taken. */
static void choose_letters(const struct trace_metrics *metrics, char *letters)
{
    static const char spare[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    bool taken[256] = {false};
    for (size_t row = 0; row < metrics->count; row++) {
        const char *name = metrics->rows[row].process->name;
        char letter = '#';
        for (const char *c = name; *c != '\0' && letter == '#'; c++)
            if (isalnum((unsigned char)*c) && !taken[(unsigned char)*c])
                letter = *c;
        for (const char *c = spare; *c != '\0' && letter == '#'; c++)
            if (!taken[(unsigned char)*c])
                letter = *c;
        taken[(unsigned char)letter] = true;
        letters[row] = letter;
    }
}

struct buckets {
    int64_t start_us, span_us, origin_us; /* labels are times since origin_us */
    int width;
    int64_t *run_us, *ready_us; /* per bucket */
};

static int64_t bucket_start(const struct buckets *buckets, int column)
{
    return buckets->start_us + buckets->span_us * column / buckets->width;
}

static int bucket_of(const struct buckets *buckets, int64_t time_us)
{
    int64_t column = (time_us - buckets->start_us) * buckets->width / buckets->span_us;
    return column < 0 ? 0 : column >= buckets->width ? buckets->width - 1 : (int)column;
}

/* Spreads each interval over the buckets it overlaps: O(intervals + width). */
static void fill_buckets(struct buckets *buckets, const struct trace_process *process)
{
    memset(buckets->run_us, 0, (size_t)buckets->width * sizeof *buckets->run_us);
    memset(buckets->ready_us, 0, (size_t)buckets->width * sizeof *buckets->ready_us);
    for (size_t i = 0; i < process->interval_count; i++) {
        const struct trace_interval *interval = &process->intervals[i];
        int64_t *sums = interval->state == TRACE_STATE_RUNNING ? buckets->run_us
                        : interval->state == TRACE_STATE_READY ? buckets->ready_us
                                                               : NULL;
        if (sums == NULL)
            continue;
        int last = bucket_of(buckets, interval->end_us - 1);
        for (int column = bucket_of(buckets, interval->start_us); column <= last; column++) {
            int64_t from = bucket_start(buckets, column), to = bucket_start(buckets, column + 1);
            from = interval->start_us > from ? interval->start_us : from;
            to = interval->end_us < to ? interval->end_us : to;
            sums[column] += to > from ? to - from : 0;
        }
    }
}

static char cell(const struct buckets *buckets, int column, char letter)
{
    int64_t length = bucket_start(buckets, column + 1) - bucket_start(buckets, column);
    int64_t run = buckets->run_us[column], ready = buckets->ready_us[column];
    if (run > 0)
        return letter;              /* however little: a job that ran is never hidden */
    int64_t other = length - ready; /* blocked or not alive */
    return ready > 0 && ready >= other ? '.' : ' ';
}

static void write_axis(FILE *out, const struct buckets *buckets, int label_width)
{
    int64_t tick_us = buckets->span_us * TICK_COLUMNS / buckets->width;
    int decimals = tick_us >= 10000 ? 0 : tick_us >= 1000 ? 1 : tick_us >= 100 ? 2 : 3;
    fprintf(out, "%*s ", label_width, "");
    for (int column = 0; column <= buckets->width; column++)
        fputc(column % TICK_COLUMNS == 0 || column == buckets->width ? '+' : '-', out);
    fprintf(out, "\n%*s ", label_width, "");
    int cursor = 0; /* columns written on the label line */
    for (int column = 0; column <= buckets->width; column += TICK_COLUMNS) {
        if (column > buckets->width - TICK_COLUMNS / 2 && column != 0)
            column = buckets->width; /* label the end instead of a tick crowding it */
        if (column < cursor)
            continue;
        cursor += fprintf(out, "%*s%.*f", column - cursor, "", decimals,
                          ms(bucket_start(buckets, column) - buckets->origin_us));
        cursor++;
        fputc(' ', out);
    }
    fputs("ms\n", out);
}

static bool alive_in(const struct trace_process *process, int64_t from_us, int64_t to_us)
{
    for (size_t i = 0; i < process->interval_count; i++)
        if (process->intervals[i].start_us < to_us && process->intervals[i].end_us > from_us)
            return true;
    return false;
}

/* A digit per bucket: the MLFQ level in effect at the bucket's end, where alive. */
static void write_levels(FILE *out, const struct buckets *buckets,
                         const struct trace_process *process, int label_width, char *line)
{
    int64_t value;
    if (!trace_param_at(process, "level", INT64_MAX, &value))
        return;
    for (int column = 0; column < buckets->width; column++) {
        int64_t from = bucket_start(buckets, column), to = bucket_start(buckets, column + 1);
        bool known =
            alive_in(process, from, to) && trace_param_at(process, "level", to - 1, &value);
        line[column] = !known ? ' ' : value >= 0 && value <= 9 ? (char)('0' + value) : '+';
    }
    line[buckets->width] = '\0';
    fprintf(out, "%*s %s\n", label_width, "level", line);
}

/*
 * Under a VM's row, where its run time went, per bucket in which it ran: 'g'
 * when at least half was the guest's own, 'x' when at least half handled its
 * exits, otherwise 'h' (host work: the vm program, the loop around VMRUN).
 */
static void write_vm_split(FILE *out, const struct buckets *buckets,
                           const struct trace_process *process, int label_width, char *line)
{
    if (!process->vm)
        return;
    for (int column = 0; column < buckets->width; column++) {
        int64_t run = buckets->run_us[column], guest, handle;
        trace_vm_split(process, bucket_start(buckets, column), bucket_start(buckets, column + 1),
                       &guest, &handle);
        line[column] = run <= 0 ? ' ' : handle * 2 >= run ? 'x' : guest * 2 >= run ? 'g' : 'h';
    }
    line[buckets->width] = '\0';
    fprintf(out, "%*s %s\n", label_width, "vm", line);
}

/* Other parameters set during the run: "    tickets 300 at 0.0 ms, nice 5 at 2.0 ms". */
static void write_param_changes(FILE *out, const struct buckets *buckets,
                                const struct trace_process *process, int label_width)
{
    bool any = false;
    for (size_t i = 0; i < process->change_count; i++) {
        const struct trace_param_change *change = &process->changes[i];
        if (strcmp(change->name, "level") == 0)
            continue;
        if (!any)
            fprintf(out, "%*s ", label_width, "");
        fprintf(out, "%s%s %lld ", any ? ", " : "", change->name, (long long)change->value);
        if (change->time_us < buckets->origin_us) /* set up before the workload's time zero */
            fputs("from the start", out);
        else
            fprintf(out, "at %.1f ms", ms(change->time_us - buckets->origin_us));
        any = true;
    }
    if (any)
        fputc('\n', out);
}

/* MLFQ's boosts (rule 5), the moments every level line jumps back to 0. */
static void write_boosts(FILE *out, const struct trace *trace, const struct buckets *buckets)
{
    size_t count = 0;
    for (size_t i = 0; i < trace->marker_count; i++) {
        if (trace->markers[i].kind != TRACE_MARKER_BOOST)
            continue;
        fprintf(out, "%s%.1f", count++ == 0 ? "MLFQ boosts (every job to level 0) at " : ", ",
                ms(trace->markers[i].time_us - buckets->origin_us));
    }
    if (count > 0)
        fputs(" ms\n", out);
}

void trace_text_timeline(FILE *out, const struct trace *trace, const struct trace_metrics *metrics,
                         int width)
{
    if (trace->event_count == 0) {
        fputs("(no events: nothing to draw)\n", out);
        return;
    }
    int64_t start_us = trace_origin(trace);
    struct buckets buckets = {
        .start_us = start_us,
        .span_us = trace->end_us > start_us ? trace->end_us - start_us : 1,
        .origin_us = metrics->origin_us,
        .width = width,
        .run_us = calloc((size_t)width, sizeof(int64_t)),
        .ready_us = calloc((size_t)width, sizeof(int64_t)),
    };
    char *letters = calloc(metrics->count + 1, 1);
    char *line = calloc((size_t)width + 1, 1);
    if (buckets.run_us == NULL || buckets.ready_us == NULL || letters == NULL || line == NULL)
        abort();
    choose_letters(metrics, letters);
    bool levels = false, vms = false;
    int64_t level;
    for (size_t row = 0; row < metrics->count; row++)
        levels = levels || trace_param_at(metrics->rows[row].process, "level", INT64_MAX, &level);
    int label_width = levels ? (int)strlen("level") : 0;
    char label[LABEL_SIZE];
    for (size_t row = 0; row < metrics->count; row++) {
        trace_row_label(metrics, row, label, sizeof label);
        label_width = (int)strlen(label) > label_width ? (int)strlen(label) : label_width;
    }
    for (size_t row = 0; row < metrics->count; row++) {
        const struct trace_process *process = metrics->rows[row].process;
        fill_buckets(&buckets, process);
        for (int column = 0; column < width; column++)
            line[column] = cell(&buckets, column, letters[row]);
        if (process->completion_us != TRACE_TIME_NONE) {
            int column = bucket_of(&buckets, process->completion_us);
            bool only_run =
                line[column] == letters[row] && (column == 0 || line[column - 1] != letters[row]);
            if (only_run && column + 1 < width)
                column++; /* the exit mark must not hide the one column it ran in */
            line[column] = '|';
        }
        trace_row_label(metrics, row, label, sizeof label);
        fprintf(out, "%-*s %s\n", label_width, label, line);
        write_levels(out, &buckets, process, label_width, line);
        write_vm_split(out, &buckets, process, label_width, line);
        vms = vms || process->vm;
        write_param_changes(out, &buckets, process, label_width);
    }
    write_axis(out, &buckets, label_width);
    fprintf(out,
            "one column = %.3f ms; letter = ran (in any part of the column), '.' = ready, "
            "' ' = blocked or not alive, '|' = exit%s\n",
            ms(buckets.span_us) / width, levels ? "; digits = MLFQ level (0 = top)" : "");
    if (vms)
        fputs("vm row: g = mostly in the guest, x = mostly handling its exits, h = host work\n",
              out);
    write_boosts(out, trace, &buckets);
    free(buckets.run_us);
    free(buckets.ready_us);
    free(letters);
    free(line);
}

static void write_time(FILE *out, int width, int64_t time_us)
{
    if (time_us == TRACE_TIME_NONE)
        fprintf(out, " %*s", width, "-");
    else
        fprintf(out, " %*.2f", width, ms(time_us));
}

static void write_average(FILE *out, int width, const struct trace_average *average)
{
    if (average->count == 0)
        fprintf(out, " %*s", width, "-");
    else
        fprintf(out, " %*.2f", width, average->value_us / 1000.0);
}

static void write_params(FILE *out, const struct trace_process *process)
{
    for (size_t i = 0; i < process->param_count; i++)
        fprintf(out, "%s%s=%lld", i == 0 ? "  " : ",", process->params[i].name,
                (long long)process->params[i].value);
}

static void write_jain(FILE *out, const struct trace_metrics *metrics)
{
    if (metrics->jain_index < 0) {
        fputs("Jain's fairness index: - (no run time)\n", out);
        return;
    }
    fprintf(out, "Jain's fairness index: %.3f", metrics->jain_index);
    if (metrics->count == 1)
        fputs(" (one process is always fair to itself)\n", out);
    else if (metrics->jain_over_window)
        fprintf(out, " (run time while all %zu were alive, %.2f to %.2f ms)\n", metrics->count,
                ms(metrics->window_start_us - metrics->origin_us),
                ms(metrics->window_end_us - metrics->origin_us));
    else
        fputs(" (whole run times: the processes were never all alive and running at once)\n", out);
}

void trace_text_table(FILE *out, const struct trace_metrics *metrics)
{
    static const char *const headings[] = {"arrival",  "first-run", "completion", "turnaround",
                                           "response", "waiting",   "blocked",    "run"};
    int name_width = (int)strlen("average");
    for (size_t row = 0; row < metrics->count; row++) {
        int length = (int)strlen(trace_process_name(metrics->rows[row].process));
        name_width = length > name_width ? length : name_width;
    }
    fprintf(out, "%-*s %5s", name_width, "name", "pid");
    for (size_t i = 0; i < sizeof headings / sizeof headings[0]; i++)
        fprintf(out, " %10s", headings[i]);
    fputs("  cpu-share\n", out);
    bool any_alive = false;
    for (size_t row = 0; row < metrics->count; row++) {
        const struct trace_process_metrics *m = &metrics->rows[row];
        fprintf(out, "%-*s %5d", name_width, trace_process_name(m->process), m->process->pid);
        int64_t times[] = {m->arrival_us,  m->first_run_us, m->completion_us, m->turnaround_us,
                           m->response_us, m->waiting_us,   m->blocked_us,    m->run_us};
        for (size_t i = 0; i < sizeof times / sizeof times[0]; i++)
            write_time(out, 10, times[i]);
        fprintf(out, " %9.1f%%", 100.0 * m->cpu_share);
        write_params(out, m->process);
        fputc('\n', out);
        any_alive = any_alive || m->completion_us == TRACE_TIME_NONE;
    }
    fprintf(out, "%-*s %5s %10s %10s %10s", name_width, "average", "", "", "", "");
    write_average(out, 10, &metrics->turnaround);
    write_average(out, 10, &metrics->response);
    write_average(out, 10, &metrics->waiting);
    write_average(out, 10, &metrics->blocked);
    write_average(out, 10, &metrics->run);
    fputs("\n(times in ms", out);
    if (any_alive)
        fputs("; '-' = had not happened when the trace ended, left out of the average", out);
    fputs(")\n", out);
    write_jain(out, metrics);
}

void trace_text_vm_table(FILE *out, const struct trace_metrics *metrics)
{
    bool any = false;
    for (size_t row = 0; row < metrics->count; row++)
        any = any || metrics->rows[row].process->vm;
    if (!any)
        return;
    fputs("\nVirtual machines: where each VM's run time went\n", out);
    fprintf(out, "%-16s %5s %10s %10s %10s %10s %8s %9s\n", "name", "pid", "run", "guest", "exits",
            "host", "exits", "us/exit");
    for (size_t row = 0; row < metrics->count; row++) {
        const struct trace_process *process = metrics->rows[row].process;
        if (!process->vm)
            continue;
        int64_t run = metrics->rows[row].run_us;
        int64_t host = run - process->vm_guest_us - process->vm_handle_us;
        fprintf(out, "%-16.16s %5d", trace_process_name(process), process->pid);
        write_time(out, 10, run);
        write_time(out, 10, process->vm_guest_us);
        write_time(out, 10, process->vm_handle_us);
        write_time(out, 10, host > 0 ? host : 0);
        fprintf(out, " %8lld", (long long)process->vm_exits);
        if (process->vm_exits > 0)
            fprintf(out, " %9.2f\n", (double)process->vm_handle_us / (double)process->vm_exits);
        else
            fprintf(out, " %9s\n", "-");
    }
    fputs("(ms; guest = in VMRUN, exits = the kernel handling them, host = the rest of its run:\n"
          " the vm program and the loop around VMRUN)\n",
          out);
}

static void write_csv_time(FILE *out, int64_t time_us)
{
    if (time_us != TRACE_TIME_NONE)
        fprintf(out, "%.3f", ms(time_us));
    fputc(',', out);
}

void trace_text_csv(FILE *out, const struct trace_metrics *metrics)
{
    fputs("name,pid,arrival_ms,first_run_ms,completion_ms,turnaround_ms,response_ms,"
          "waiting_ms,blocked_ms,run_ms,cpu_share,group\n",
          out);
    for (size_t row = 0; row < metrics->count; row++) {
        const struct trace_process_metrics *m = &metrics->rows[row];
        const char *name = trace_process_name(m->process);
        /* Names hold no spaces but may hold commas or quotes. */
        if (strpbrk(name, ",\"") == NULL) {
            fputs(name, out);
        } else {
            fputc('"', out);
            for (const char *c = name; *c != '\0'; c++) {
                if (*c == '"')
                    fputc('"', out); /* CSV doubles a quote inside quotes */
                fputc(*c, out);
            }
            fputc('"', out);
        }
        fprintf(out, ",%d,", m->process->pid);
        int64_t times[] = {m->arrival_us,  m->first_run_us, m->completion_us, m->turnaround_us,
                           m->response_us, m->waiting_us,   m->blocked_us,    m->run_us};
        for (size_t i = 0; i < sizeof times / sizeof times[0]; i++)
            write_csv_time(out, times[i]);
        fprintf(out, "%.4f,%d\n", m->cpu_share, m->process->group);
    }
}

static void write_markdown_text(FILE *out, const char *text)
{
    for (; *text != '\0'; text++) {
        if (*text == '|' || *text == '\\')
            fputc('\\', out);
        fputc(*text, out);
    }
}

static void write_markdown_average(FILE *out, const struct trace_average *average)
{
    if (average->count == 0)
        fputs(" - |", out);
    else
        fprintf(out, " %.2f |", average->value_us / 1000.0);
}

void trace_text_comparison(FILE *out, const struct trace_comparison *rows, size_t count)
{
    fputs("| trace | policy | processes | avg turnaround (ms) | avg response (ms) | "
          "avg waiting (ms) | Jain's index |\n"
          "|---|---|---:|---:|---:|---:|---:|\n",
          out);
    for (size_t i = 0; i < count; i++) {
        char policy[256];
        trace_describe_policy(rows[i].trace, policy, sizeof policy);
        fputs("| ", out);
        write_markdown_text(out, rows[i].label);
        fputs(" | ", out);
        write_markdown_text(out, policy);
        fprintf(out, " | %zu |", rows[i].metrics->count);
        write_markdown_average(out, &rows[i].metrics->turnaround);
        write_markdown_average(out, &rows[i].metrics->response);
        write_markdown_average(out, &rows[i].metrics->waiting);
        if (rows[i].metrics->jain_index < 0)
            fputs(" - |\n", out);
        else
            fprintf(out, " %.3f |\n", rows[i].metrics->jain_index);
    }
}
