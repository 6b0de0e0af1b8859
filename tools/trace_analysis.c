/*
 * trace_analysis.c — replays trace events into per-process intervals.
 *
 * Each event moves one or two processes between states (running, ready,
 * blocked, exited); every state change closes an interval and adds it to the
 * process's sums, which are the raw material of OSTEP ch. 7's metrics, of the
 * waiting time MLFQ trades (ch. 8) and of the CPU shares of ch. 9. The trace
 * is evidence, not law: lost or reordered events are absorbed with the least
 * surprising guess, and what cannot be placed is skipped and counted.
 */
#include <stdlib.h>
#include <string.h>

#include "tools/trace_analysis.h"
#include "tools/trace_vm.h"

#define WARNINGS_MAX 20 /* per trace; a broken file should not flood the terminal */

static void *grow(void *array, size_t *capacity, size_t count, size_t element_size)
{
    if (count < *capacity)
        return array;
    size_t new_capacity = *capacity == 0 ? 8 : *capacity * 2;
    void *grown = realloc(array, new_capacity * element_size);
    if (grown == NULL) {
        fputs("trace: out of memory\n", stderr);
        abort();
    }
    *capacity = new_capacity;
    return grown;
}

static bool state_is_alive(enum trace_state state)
{
    return state == TRACE_STATE_RUNNING || state == TRACE_STATE_READY ||
           state == TRACE_STATE_BLOCKED;
}

static void add_mark(struct trace_process *process, enum trace_mark_kind kind, int64_t time_us)
{
    process->marks =
        grow(process->marks, &process->mark_capacity, process->mark_count, sizeof *process->marks);
    process->marks[process->mark_count++] = (struct trace_mark){time_us, kind};
}

/* Ends the current state's interval at time_us; the state itself stays. */
static void close_interval(struct trace_process *process, int64_t time_us)
{
    if (state_is_alive(process->state) && time_us > process->state_since_us) {
        process->intervals = grow(process->intervals, &process->interval_capacity,
                                  process->interval_count, sizeof *process->intervals);
        process->intervals[process->interval_count++] =
            (struct trace_interval){process->state_since_us, time_us, process->state};
        process->time_in_state_us[process->state] += time_us - process->state_since_us;
    }
    process->state_since_us = time_us;
}

static void enter_state(struct trace_process *process, enum trace_state state, int64_t time_us)
{
    if (process->state == state)
        return; /* staying put must not split an interval */
    close_interval(process, time_us);
    if (state == TRACE_STATE_BLOCKED)
        add_mark(process, TRACE_MARK_BLOCK, time_us);
    if (state == TRACE_STATE_READY && process->state == TRACE_STATE_BLOCKED)
        add_mark(process, TRACE_MARK_WAKE, time_us);
    if (state == TRACE_STATE_EXITED) {
        add_mark(process, TRACE_MARK_EXIT, time_us);
        process->completion_us = time_us;
    }
    process->state = state;
}

static void set_name(struct trace_process *process, const char *name, int rank)
{
    if (rank >= process->name_rank) {
        trace_copy_name(process->name, name);
        process->name_rank = rank;
    }
}

static int add_process(struct trace *trace, int pid, int64_t time_us)
{
    trace->processes = grow(trace->processes, &trace->process_capacity, trace->process_count,
                            sizeof *trace->processes);
    struct trace_process *process = &trace->processes[trace->process_count];
    memset(process, 0, sizeof *process);
    process->pid = pid;
    process->parent_pid = -1;
    process->session = trace->session;
    process->arrival_us = time_us;
    process->first_run_us = TRACE_TIME_NONE;
    process->completion_us = TRACE_TIME_NONE;
    process->state = TRACE_STATE_UNKNOWN;
    process->state_since_us = time_us;
    process->vm_enter_us = TRACE_TIME_NONE;
    if (pid == 0)
        set_name(process, "idle", 0);
    return (int)trace->process_count++;
}

/* The latest record for pid in this run of the stream, or -1. */
static int find_process(const struct trace *trace, int pid)
{
    for (size_t i = trace->process_count; i-- > 0;)
        if (trace->processes[i].pid == pid && trace->processes[i].session == trace->session)
            return (int)i;
    return -1;
}

/* An event that shows pid alive after its exit means a new process reused the pid. */
static int process_for_event(struct trace *trace, int pid, int64_t time_us, bool shows_alive)
{
    int index = find_process(trace, pid);
    if (index >= 0 && !(shows_alive && trace->processes[index].state == TRACE_STATE_EXITED))
        return index;
    return add_process(trace, pid, time_us);
}

static void add_marker(struct trace *trace, enum trace_marker_kind kind, const char *name,
                       int64_t count)
{
    trace->markers =
        grow(trace->markers, &trace->marker_capacity, trace->marker_count, sizeof *trace->markers);
    struct trace_marker *marker = &trace->markers[trace->marker_count++];
    marker->time_us = trace->end_us;
    marker->kind = kind;
    trace_copy_name(marker->name, name);
    marker->count = count;
}

static void change_policy(struct trace *trace, const char *name)
{
    if (strcmp(trace->current_policy, name) == 0)
        return;
    trace_copy_name(trace->current_policy, name);
    add_marker(trace, TRACE_MARKER_POLICY, name, 0);
}

/*
 * A new header whose clock went back means the kernel booted again: every
 * process of the old run stops being followed (completion unknown), and the
 * new run's times are placed after the old run's last event.
 */
static void start_session(struct trace *trace)
{
    for (size_t i = 0; i < trace->process_count; i++) {
        struct trace_process *process = &trace->processes[i];
        if (process->session == trace->session && state_is_alive(process->state)) {
            close_interval(process, trace->end_us);
            process->state = TRACE_STATE_UNKNOWN;
        }
    }
    add_marker(trace, TRACE_MARKER_RESTART, "", 0);
    trace->session++;
    trace->session_offset_us = trace->end_us;
    trace->running = -1;
}

static void apply_header(struct trace *trace, const struct trace_event *event)
{
    trace->version = event->value;
    if (event->hz != 0)
        trace->hz = event->hz;
    if (trace->header_count++ > 0)
        trace->restart_pending = true;
    if (event->name[0] == '\0')
        return;
    if (trace->start_us == TRACE_TIME_NONE && trace->initial_policy[0] == '\0') {
        trace_copy_name(trace->initial_policy, event->name);
        trace_copy_name(trace->current_policy, event->name);
    } else {
        trace_copy_name(trace->pending_policy, event->name);
    }
}

static enum trace_state state_after_switch(enum trace_switch_reason reason)
{
    if (reason == TRACE_SWITCH_BLOCK)
        return TRACE_STATE_BLOCKED;
    return reason == TRACE_SWITCH_EXIT ? TRACE_STATE_EXITED : TRACE_STATE_READY;
}

/*
 * `from` leaves per `why` only if it still runs: a block or exit event may
 * already have moved it, and a wake may even have come in between.
 */
static void apply_switch(struct trace *trace, const struct trace_event *event, int64_t time_us)
{
    int from = process_for_event(trace, event->pid, time_us, false);
    int to = process_for_event(trace, event->other_pid, time_us, true);
    struct trace_process *processes = trace->processes;
    if (trace->running >= 0 && trace->running != from &&
        processes[trace->running].state == TRACE_STATE_RUNNING)
        enter_state(&processes[trace->running], TRACE_STATE_READY, time_us); /* events lost */
    if (processes[from].state == TRACE_STATE_RUNNING ||
        processes[from].state == TRACE_STATE_UNKNOWN)
        enter_state(&processes[from], state_after_switch(event->reason), time_us);
    enter_state(&processes[to], TRACE_STATE_RUNNING, time_us);
    if (processes[to].first_run_us == TRACE_TIME_NONE)
        processes[to].first_run_us = time_us;
    trace->running = to;
}

/* A fork names a new life; a record seen only just before it (same life) is kept. */
static void apply_fork(struct trace *trace, const struct trace_event *event, int64_t time_us)
{
    int index = find_process(trace, event->pid);
    if (index >= 0 && trace->processes[index].state == TRACE_STATE_UNKNOWN &&
        !trace->processes[index].forked) {
        trace->processes[index].arrival_us = time_us;
    } else {
        if (index >= 0 && state_is_alive(trace->processes[index].state)) {
            close_interval(&trace->processes[index], time_us); /* its exit was lost */
            trace->processes[index].state = TRACE_STATE_UNKNOWN;
        }
        index = add_process(trace, event->pid, time_us);
    }
    struct trace_process *process = &trace->processes[index];
    process->forked = true;
    process->parent_pid = event->other_pid;
    set_name(process, event->name, 1);
    enter_state(process, TRACE_STATE_READY, time_us);
}

/*
 * A workload job arrives: what it did before (fork, naming itself, setting
 * its parameters, going to sleep until now) was setup, not the job, so its
 * measured life starts here. Parameter history is kept: it was in place
 * before the job could first run.
 */
static void apply_arrive(struct trace *trace, const struct trace_event *event, int64_t time_us)
{
    int index = process_for_event(trace, event->pid, time_us, true);
    struct trace_process *process = &trace->processes[index];
    bool running = process->state == TRACE_STATE_RUNNING;
    process->interval_count = 0;
    process->mark_count = 0;
    memset(process->time_in_state_us, 0, sizeof process->time_in_state_us);
    trace_vm_reset(process);
    process->arrived = true;
    process->arrival_us = time_us;
    process->first_run_us = running ? time_us : TRACE_TIME_NONE;
    process->completion_us = TRACE_TIME_NONE;
    process->state = running ? TRACE_STATE_RUNNING : TRACE_STATE_READY;
    process->state_since_us = time_us;
    if (trace->origin_us == TRACE_TIME_NONE)
        trace->origin_us = time_us;
}

static void apply_param(struct trace_process *process, const struct trace_event *event,
                        int64_t time_us)
{
    process->changes = grow(process->changes, &process->change_capacity, process->change_count,
                            sizeof *process->changes);
    struct trace_param_change *change = &process->changes[process->change_count++];
    change->time_us = time_us;
    trace_copy_name(change->name, event->name);
    change->value = event->value;
    size_t i = 0;
    while (i < process->param_count && strcmp(process->params[i].name, event->name) != 0)
        i++;
    if (i == TRACE_PARAMS_MAX)
        return;
    if (i == process->param_count)
        process->param_count++;
    trace_copy_name(process->params[i].name, event->name);
    process->params[i].value = event->value;
}

static void apply_process_event(struct trace *trace, const struct trace_event *event,
                                int64_t time_us)
{
    bool exiting = event->kind == TRACE_EVENT_EXIT;
    int index = process_for_event(trace, event->pid, time_us, !exiting); /* may move the array */
    struct trace_process *process = &trace->processes[index];
    switch (event->kind) {
    case TRACE_EVENT_EXEC:
        set_name(process, event->name, 2);
        break;
    case TRACE_EVENT_NAME:
        set_name(process, event->name, 3);
        process->named = true;
        break;
    case TRACE_EVENT_BLOCK:
        enter_state(process, TRACE_STATE_BLOCKED, time_us);
        break;
    case TRACE_EVENT_WAKE:
        if (process->state != TRACE_STATE_RUNNING)
            enter_state(process, TRACE_STATE_READY, time_us);
        break;
    case TRACE_EVENT_EXIT:
        if (process->state != TRACE_STATE_EXITED)
            process->exit_status = event->value;
        enter_state(process, TRACE_STATE_EXITED, time_us);
        break;
    case TRACE_EVENT_PARAM:
        apply_param(process, event, time_us);
        break;
    case TRACE_EVENT_GROUP:
        process->group = event->other_pid;
        break;
    case TRACE_EVENT_VM_ENTER:
    case TRACE_EVENT_VM_EXIT:
    case TRACE_EVENT_VM_END:
        trace_vm_apply(process, event, time_us);
        break;
    default:
        break;
    }
}

/* Places a timed event on the global clock; false if it goes back in time. */
static bool advance_clock(struct trace *trace, int64_t local_us)
{
    if (trace->restart_pending && trace->session_last_us != TRACE_TIME_NONE &&
        local_us < trace->session_last_us) {
        start_session(trace);
        trace->session_last_us = TRACE_TIME_NONE;
    }
    if (trace->session_last_us != TRACE_TIME_NONE && local_us < trace->session_last_us)
        return false;
    trace->restart_pending = false;
    trace->session_last_us = local_us;
    trace->end_us = trace->session_offset_us + local_us;
    if (trace->start_us == TRACE_TIME_NONE)
        trace->start_us = trace->end_us;
    return true;
}

int trace_apply(struct trace *trace, const struct trace_event *event)
{
    if (event->kind == TRACE_EVENT_HEADER) {
        apply_header(trace, event);
        return 0;
    }
    if (!advance_clock(trace, event->time_us))
        return -1;
    int64_t time_us = trace->end_us;
    trace->event_count++;
    if (trace->pending_policy[0] != '\0') {
        change_policy(trace, trace->pending_policy);
        trace->pending_policy[0] = '\0';
    }
    switch (event->kind) {
    case TRACE_EVENT_SWITCH:
        apply_switch(trace, event, time_us);
        break;
    case TRACE_EVENT_FORK:
        apply_fork(trace, event, time_us);
        break;
    case TRACE_EVENT_POLICY:
        change_policy(trace, event->name);
        break;
    case TRACE_EVENT_ARRIVE:
        apply_arrive(trace, event, time_us);
        break;
    case TRACE_EVENT_BOOST:
        add_marker(trace, TRACE_MARKER_BOOST, "boost", 0);
        break;
    case TRACE_EVENT_DROPPED:
        trace->dropped_events += event->value;
        add_marker(trace, TRACE_MARKER_DROPPED, "", event->value);
        break;
    case TRACE_EVENT_UNKNOWN:
        trace->unknown_count++;
        break;
    case TRACE_EVENT_GROUP_END: /* its members are gone already: nothing to replay */
        break;
    default:
        apply_process_event(trace, event, time_us);
        break;
    }
    return 0;
}

/* ------------------------------------------------------ whole traces --- */

void trace_init(struct trace *trace)
{
    memset(trace, 0, sizeof *trace);
    trace->start_us = TRACE_TIME_NONE;
    trace->end_us = TRACE_TIME_NONE;
    trace->origin_us = TRACE_TIME_NONE;
    trace->session_last_us = TRACE_TIME_NONE;
    trace->running = -1;
}

void trace_free(struct trace *trace)
{
    for (size_t i = 0; i < trace->process_count; i++) {
        free(trace->processes[i].intervals);
        free(trace->processes[i].marks);
        free(trace->processes[i].changes);
        free(trace->processes[i].stretches);
    }
    free(trace->processes);
    free(trace->markers);
    trace_init(trace);
}

static void warn(const struct trace *trace, FILE *warnings, const char *source, const char *what,
                 const char *line)
{
    size_t skipped = trace->malformed_count + trace->out_of_order_count;
    if (warnings == NULL || skipped > WARNINGS_MAX)
        return;
    if (skipped == WARNINGS_MAX) {
        fprintf(warnings, "%s: more lines skipped; warnings stop here\n", source);
        return;
    }
    int length = (int)strcspn(line, "\r\n");
    fprintf(warnings, "%s:%zu: %s, skipped: %.*s\n", source, trace->line_count, what,
            length > 80 ? 80 : length, line);
}

enum trace_line_result trace_feed_line(struct trace *trace, const char *line, const char *source,
                                       FILE *warnings)
{
    struct trace_event event;
    trace->line_count++;
    enum trace_line_result result = trace_parse_line(line, &event);
    if (result == TRACE_LINE_MALFORMED) {
        trace->malformed_count++;
        warn(trace, warnings, source, "malformed line", line);
    } else if (result == TRACE_LINE_EVENT && trace_apply(trace, &event) < 0) {
        trace->out_of_order_count++;
        warn(trace, warnings, source, "time went back", line);
    }
    return result;
}

void trace_read_text(struct trace *trace, const char *text, const char *source, FILE *warnings)
{
    while (*text != '\0') {
        size_t length = strcspn(text, "\n");
        char *line = strndup(text, length);
        if (line == NULL)
            abort();
        trace_feed_line(trace, line, source, warnings);
        free(line);
        text += length + (text[length] == '\n');
    }
    trace_finish(trace);
}

void trace_read_file(struct trace *trace, FILE *input, const char *source, FILE *warnings)
{
    char *line = NULL;
    size_t size = 0;
    while (getline(&line, &size, input) >= 0)
        trace_feed_line(trace, line, source, warnings);
    free(line);
    trace_finish(trace);
}

void trace_finish(struct trace *trace)
{
    for (size_t i = 0; i < trace->process_count; i++)
        if (trace->processes[i].session == trace->session)
            close_interval(&trace->processes[i], trace->end_us);
}

void trace_describe_policy(const struct trace *trace, char *buffer, size_t size)
{
    size_t used = 0;
    buffer[0] = '\0';
    if (trace->initial_policy[0] != '\0')
        used = (size_t)snprintf(buffer, size, "%s", trace->initial_policy);
    for (size_t i = 0; i < trace->marker_count && used < size; i++)
        if (trace->markers[i].kind == TRACE_MARKER_POLICY)
            used += (size_t)snprintf(buffer + used, size - used, "%s%s", used ? " -> " : "",
                                     trace->markers[i].name);
    if (used == 0)
        snprintf(buffer, size, "unknown");
}

const char *trace_process_name(const struct trace_process *process)
{
    return process->name[0] != '\0' ? process->name : "?";
}

bool trace_param_at(const struct trace_process *process, const char *name, int64_t time_us,
                    int64_t *value)
{
    bool found = false;
    for (size_t i = 0; i < process->change_count && process->changes[i].time_us <= time_us; i++) {
        if (strcmp(process->changes[i].name, name) == 0) {
            *value = process->changes[i].value;
            found = true;
        }
    }
    return found;
}

int64_t trace_origin(const struct trace *trace)
{
    if (trace->origin_us != TRACE_TIME_NONE)
        return trace->origin_us;
    return trace->start_us == TRACE_TIME_NONE ? 0 : trace->start_us;
}
