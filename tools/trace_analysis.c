/*
 * trace_analysis.c — trace lines in, per-process intervals and metrics out.
 *
 * Each line becomes a struct trace_event (trace_parse_line), each event moves
 * one or two processes between states (trace_apply), and every state change
 * closes an interval; the sums of those intervals are the metrics of OSTEP
 * ch. 7 (turnaround, response), the waiting time MLFQ trades (ch. 8) and the
 * CPU shares lottery scheduling aims at (ch. 9). The trace is evidence, not
 * law: lost or reordered events are absorbed with the least surprising guess.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "tools/trace_analysis.h"

#define TOKENS_MAX 32
#define WARNINGS_MAX 20 /* per trace; a broken file should not flood the terminal */

/* Which keys a known event needs; NULL where the event has no such field. */
struct event_syntax {
    const char *word;
    enum trace_event_kind kind;
    const char *pid_key, *other_pid_key, *name_key, *value_key;
};

static const struct event_syntax event_syntaxes[] = {
    {"switch", TRACE_EVENT_SWITCH, "from", "to", "why", NULL},
    {"fork", TRACE_EVENT_FORK, "pid", "parent", "name", NULL},
    {"exec", TRACE_EVENT_EXEC, "pid", NULL, "name", NULL},
    {"name", TRACE_EVENT_NAME, "pid", NULL, "name", NULL},
    {"block", TRACE_EVENT_BLOCK, "pid", NULL, NULL, NULL},
    {"wake", TRACE_EVENT_WAKE, "pid", NULL, NULL, NULL},
    {"exit", TRACE_EVENT_EXIT, "pid", NULL, NULL, "status"},
    {"policy", TRACE_EVENT_POLICY, NULL, NULL, "name", NULL},
    {"param", TRACE_EVENT_PARAM, "pid", NULL, "name", "value"},
    {"dropped", TRACE_EVENT_DROPPED, NULL, NULL, NULL, "count"},
};

static const char *const switch_reason_words[] = {
    [TRACE_SWITCH_PREEMPT] = "preempt", [TRACE_SWITCH_BLOCK] = "block",
    [TRACE_SWITCH_EXIT] = "exit",       [TRACE_SWITCH_YIELD] = "yield",
    [TRACE_SWITCH_START] = "start",
};

static void copy_name(char destination[TRACE_NAME_SIZE], const char *source)
{
    size_t length = strnlen(source, TRACE_NAME_SIZE - 1);
    memcpy(destination, source, length);
    destination[length] = '\0';
}

static bool parse_integer(const char *text, int64_t minimum, int64_t maximum, int64_t *value)
{
    if (text == NULL || text[0] == '\0' || text[0] == ' ' || text[0] == '+')
        return false;
    char *end;
    errno = 0;
    long long parsed = strtoll(text, &end, 10);
    if (*end != '\0' || errno == ERANGE || parsed < minimum || parsed > maximum)
        return false;
    *value = parsed;
    return true;
}

/* The value of the last `key=...` among the fields, or NULL. */
static const char *field_value(char *const *tokens, size_t count, const char *key)
{
    size_t key_length = strlen(key);
    const char *value = NULL;
    for (size_t i = 0; i < count; i++)
        if (strncmp(tokens[i], key, key_length) == 0 && tokens[i][key_length] == '=')
            value = tokens[i] + key_length + 1;
    return value;
}

static bool parse_pid(char *const *fields, size_t count, const char *key, int *pid)
{
    int64_t value;
    if (key == NULL)
        return true;
    if (!parse_integer(field_value(fields, count, key), 0, INT_MAX, &value))
        return false;
    *pid = (int)value;
    return true;
}

static enum trace_line_result parse_header(char *const *tokens, size_t count,
                                           struct trace_event *event)
{
    if (count < 2 || strcmp(tokens[1], "prism-trace") != 0)
        return TRACE_LINE_BLANK; /* an ordinary comment */
    event->kind = TRACE_EVENT_HEADER;
    if (count < 3 || !parse_integer(tokens[2], 1, INT_MAX, &event->value))
        return TRACE_LINE_MALFORMED;
    const char *hz = field_value(tokens + 3, count - 3, "hz");
    if (hz != NULL && !parse_integer(hz, 1, INT_MAX, &event->hz))
        return TRACE_LINE_MALFORMED;
    const char *policy = field_value(tokens + 3, count - 3, "policy");
    if (policy != NULL)
        copy_name(event->name, policy);
    return TRACE_LINE_EVENT;
}

static enum trace_line_result parse_fields(const struct event_syntax *syntax, char *const *fields,
                                           size_t count, struct trace_event *event)
{
    for (size_t i = 0; i < count; i++)
        if (strchr(fields[i], '=') == NULL)
            return TRACE_LINE_MALFORMED;
    if (!parse_pid(fields, count, syntax->pid_key, &event->pid) ||
        !parse_pid(fields, count, syntax->other_pid_key, &event->other_pid))
        return TRACE_LINE_MALFORMED;
    if (syntax->name_key != NULL) {
        const char *name = field_value(fields, count, syntax->name_key);
        if (name == NULL || name[0] == '\0')
            return TRACE_LINE_MALFORMED;
        copy_name(event->name, name);
    }
    if (syntax->value_key != NULL) {
        int64_t minimum = event->kind == TRACE_EVENT_DROPPED ? 0 : INT64_MIN;
        if (!parse_integer(field_value(fields, count, syntax->value_key), minimum, INT64_MAX,
                           &event->value))
            return TRACE_LINE_MALFORMED;
    }
    event->reason = TRACE_SWITCH_OTHER;
    for (size_t i = 0; i < sizeof switch_reason_words / sizeof switch_reason_words[0]; i++)
        if (event->kind == TRACE_EVENT_SWITCH && strcmp(event->name, switch_reason_words[i]) == 0)
            event->reason = (enum trace_switch_reason)i;
    return TRACE_LINE_EVENT;
}

static enum trace_line_result parse_tokens(char *const *tokens, size_t count,
                                           struct trace_event *event)
{
    if (count == 0)
        return TRACE_LINE_BLANK;
    if (tokens[0][0] == '#')
        return strcmp(tokens[0], "#") == 0 ? parse_header(tokens, count, event)
                                           : TRACE_LINE_BLANK;
    if (count < 2 || tokens[0][0] < '0' || tokens[0][0] > '9' ||
        !parse_integer(tokens[0], 0, INT64_MAX, &event->time_us))
        return TRACE_LINE_MALFORMED;
    event->kind = TRACE_EVENT_UNKNOWN;
    for (size_t i = 0; i < sizeof event_syntaxes / sizeof event_syntaxes[0]; i++) {
        if (strcmp(tokens[1], event_syntaxes[i].word) == 0) {
            event->kind = event_syntaxes[i].kind;
            return parse_fields(&event_syntaxes[i], tokens + 2, count - 2, event);
        }
    }
    return TRACE_LINE_EVENT;
}

enum trace_line_result trace_parse_line(const char *line, struct trace_event *event)
{
    memset(event, 0, sizeof *event);
    event->time_us = TRACE_TIME_NONE;
    char *copy = strdup(line);
    if (copy == NULL)
        abort();
    char *tokens[TOKENS_MAX];
    size_t count = 0;
    char *cursor = copy;
    /* Splitting on runs of blanks is kinder than the v1 promise of single spaces. */
    for (char *token; count < TOKENS_MAX && (token = strsep(&cursor, " \t\r\n")) != NULL;)
        if (token[0] != '\0')
            tokens[count++] = token;
    enum trace_line_result result = parse_tokens(tokens, count, event);
    free(copy);
    return result;
}

/* ------------------------------------------------------------ replay --- */

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
    process->marks = grow(process->marks, &process->mark_capacity, process->mark_count,
                          sizeof *process->marks);
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
        copy_name(process->name, name);
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
    trace->markers = grow(trace->markers, &trace->marker_capacity, trace->marker_count,
                          sizeof *trace->markers);
    struct trace_marker *marker = &trace->markers[trace->marker_count++];
    marker->time_us = trace->end_us;
    marker->kind = kind;
    copy_name(marker->name, name);
    marker->count = count;
}

static void change_policy(struct trace *trace, const char *name)
{
    if (strcmp(trace->current_policy, name) == 0)
        return;
    copy_name(trace->current_policy, name);
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
        copy_name(trace->initial_policy, event->name);
        copy_name(trace->current_policy, event->name);
    } else {
        copy_name(trace->pending_policy, event->name);
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
    if (processes[from].state == TRACE_STATE_RUNNING || processes[from].state == TRACE_STATE_UNKNOWN)
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

static void apply_param(struct trace_process *process, const struct trace_event *event)
{
    size_t i = 0;
    while (i < process->param_count && strcmp(process->params[i].name, event->name) != 0)
        i++;
    if (i == TRACE_PARAMS_MAX)
        return;
    if (i == process->param_count)
        process->param_count++;
    copy_name(process->params[i].name, event->name);
    process->params[i].value = event->value;
}

static void apply_process_event(struct trace *trace, const struct trace_event *event,
                                int64_t time_us)
{
    bool exiting = event->kind == TRACE_EVENT_EXIT;
    struct trace_process *process =
        &trace->processes[process_for_event(trace, event->pid, time_us, !exiting)];
    switch (event->kind) {
    case TRACE_EVENT_EXEC: set_name(process, event->name, 2); break;
    case TRACE_EVENT_NAME:
        set_name(process, event->name, 3);
        process->named = true;
        break;
    case TRACE_EVENT_BLOCK: enter_state(process, TRACE_STATE_BLOCKED, time_us); break;
    case TRACE_EVENT_WAKE:
        if (process->state != TRACE_STATE_RUNNING)
            enter_state(process, TRACE_STATE_READY, time_us);
        break;
    case TRACE_EVENT_EXIT:
        if (process->state != TRACE_STATE_EXITED)
            process->exit_status = event->value;
        enter_state(process, TRACE_STATE_EXITED, time_us);
        break;
    case TRACE_EVENT_PARAM: apply_param(process, event); break;
    default: break;
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
    case TRACE_EVENT_SWITCH: apply_switch(trace, event, time_us); break;
    case TRACE_EVENT_FORK: apply_fork(trace, event, time_us); break;
    case TRACE_EVENT_POLICY: change_policy(trace, event->name); break;
    case TRACE_EVENT_DROPPED:
        trace->dropped_events += event->value;
        add_marker(trace, TRACE_MARKER_DROPPED, "", event->value);
        break;
    case TRACE_EVENT_UNKNOWN: trace->unknown_count++; break;
    default: apply_process_event(trace, event, time_us); break;
    }
    return 0;
}
