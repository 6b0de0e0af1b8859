/*
 * trace_analysis.h — a Prism scheduling trace, rebuilt as per-process timelines.
 *
 * The kernel streams one text line per scheduling event (format v1 below) to
 * build/trace.log. This module parses those lines, replays them through a
 * state machine per process (running, ready, blocked) that records an interval
 * whenever a state ends, and computes what OSTEP's scheduler.py, mlfq.py and
 * lottery.py homework computes: turnaround, response, waiting, CPU share and
 * Jain's fairness index. Host-only, pure logic: text in, structs out; the
 * pictures and tables are drawn by trace_render.h. OSTEP ch. 7, 8, 9.
 */
#ifndef PRISM_TOOLS_TRACE_ANALYSIS_H
#define PRISM_TOOLS_TRACE_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Trace format v1: '\n'-terminated lines, space-separated fields, times in
 * microseconds since boot, pid 0 the idle process.
 *   # prism-trace 1 hz=100 policy=rr
 *   <us> switch from=<pid> to=<pid> why=<preempt|block|exit|yield|start>
 *   <us> fork pid=<child> parent=<pid> name=<name>
 *   <us> exec pid=<pid> name=<name>        <us> name pid=<pid> name=<name>
 *   <us> block pid=<pid>                   <us> wake pid=<pid>
 *   <us> exit pid=<pid> status=<int>       <us> policy name=<name>
 *   <us> param pid=<pid> name=<param> value=<int>
 *   <us> dropped count=<n>
 * Unknown events and unknown keys are ignored so the format can grow; other
 * '#' lines are comments. A known event missing a key, or with a value that is
 * not a number where one is due, is malformed.
 */
#define TRACE_NAME_SIZE 32 /* longer names are cut; names never hold spaces */
#define TRACE_TIME_NONE (-1) /* "never happened" for any time or duration */

enum trace_event_kind {
    TRACE_EVENT_HEADER,
    TRACE_EVENT_SWITCH,
    TRACE_EVENT_FORK,
    TRACE_EVENT_EXEC,
    TRACE_EVENT_NAME,
    TRACE_EVENT_BLOCK,
    TRACE_EVENT_WAKE,
    TRACE_EVENT_EXIT,
    TRACE_EVENT_POLICY,
    TRACE_EVENT_PARAM,
    TRACE_EVENT_DROPPED,
    TRACE_EVENT_UNKNOWN, /* a newer kernel's event: only its time is used */
};

/* Why the process in `from` left the CPU. */
enum trace_switch_reason {
    TRACE_SWITCH_PREEMPT,
    TRACE_SWITCH_BLOCK,
    TRACE_SWITCH_EXIT,
    TRACE_SWITCH_YIELD,
    TRACE_SWITCH_START,
    TRACE_SWITCH_OTHER, /* a reason this version does not know: treated as preempt */
};

struct trace_event {
    enum trace_event_kind kind;
    int64_t time_us;  /* TRACE_TIME_NONE for the header, which has no time */
    int pid;          /* switch: from; fork: the child; others: the subject */
    int other_pid;    /* switch: to; fork: the parent */
    enum trace_switch_reason reason;
    int64_t value;    /* exit status, param value, dropped count, header version */
    int64_t hz;       /* header only; 0 when absent */
    char name[TRACE_NAME_SIZE]; /* process, policy or parameter name; switch: why */
};

enum trace_line_result {
    TRACE_LINE_EVENT,     /* *event is filled in */
    TRACE_LINE_BLANK,     /* empty line or comment */
    TRACE_LINE_MALFORMED, /* must be skipped */
};

enum trace_line_result trace_parse_line(const char *line, struct trace_event *event);

enum trace_state {
    TRACE_STATE_UNKNOWN, /* not yet seen, or no longer followed (stream restarted) */
    TRACE_STATE_RUNNING,
    TRACE_STATE_READY,   /* runnable, waiting for the CPU */
    TRACE_STATE_BLOCKED,
    TRACE_STATE_EXITED,
    TRACE_STATE_COUNT,
};

struct trace_interval {
    int64_t start_us, end_us; /* start_us < end_us */
    enum trace_state state;   /* RUNNING, READY or BLOCKED */
};

enum trace_mark_kind { TRACE_MARK_BLOCK, TRACE_MARK_WAKE, TRACE_MARK_EXIT };

struct trace_mark {
    int64_t time_us;
    enum trace_mark_kind kind;
};

#define TRACE_PARAMS_MAX 4

struct trace_param {
    char name[TRACE_NAME_SIZE]; /* "nice", "tickets", ... : the latest value is kept */
    int64_t value;
};

/* One process's life. A pid reused after exit (or after a restart) gets a new record. */
struct trace_process {
    int pid, parent_pid;  /* parent_pid is -1 when no fork was seen */
    int session;          /* which run of the stream: one more after each restart */
    char name[TRACE_NAME_SIZE];
    int name_rank;        /* 3 = job `name` event, 2 = exec, 1 = fork, 0 = none */
    bool named;           /* named itself: one of the workload's jobs */
    bool forked;
    bool selected;        /* set by trace_select() */
    int64_t arrival_us, first_run_us, completion_us; /* or TRACE_TIME_NONE */
    int64_t exit_status;
    enum trace_state state;
    int64_t state_since_us;
    int64_t time_in_state_us[TRACE_STATE_COUNT]; /* sums of the closed intervals */
    struct trace_interval *intervals; /* in time order, none overlapping */
    size_t interval_count, interval_capacity;
    struct trace_mark *marks;
    size_t mark_count, mark_capacity;
    struct trace_param params[TRACE_PARAMS_MAX];
    size_t param_count;
};

enum trace_marker_kind {
    TRACE_MARKER_POLICY,  /* name: the new policy */
    TRACE_MARKER_DROPPED, /* count: events the kernel lost here */
    TRACE_MARKER_RESTART, /* the stream began again (new header, clock reset) */
};

/* Events that concern the whole system rather than one process. */
struct trace_marker {
    int64_t time_us;
    enum trace_marker_kind kind;
    char name[TRACE_NAME_SIZE];
    int64_t count;
};

/*
 * Times are global: a restarted stream (a header followed by a clock that went
 * back) continues after the previous run's last event, so one timeline holds all.
 */
struct trace {
    struct trace_process *processes; /* in order of first appearance */
    size_t process_count, process_capacity;
    struct trace_marker *markers;
    size_t marker_count, marker_capacity;
    char initial_policy[TRACE_NAME_SIZE], current_policy[TRACE_NAME_SIZE];
    char pending_policy[TRACE_NAME_SIZE]; /* from a later header: applies at the next event */
    int64_t hz, version;
    int64_t start_us, end_us; /* first and last event; TRACE_TIME_NONE when empty */
    int session;
    int64_t session_offset_us, session_last_us; /* last_us: the session's own clock */
    bool restart_pending;
    int running;          /* index of the process on the CPU, -1 if none known */
    size_t header_count, line_count, event_count, malformed_count, unknown_count;
    size_t out_of_order_count; /* events whose time went back: skipped */
    int64_t dropped_events;
};

void trace_init(struct trace *trace);
void trace_free(struct trace *trace);

/* Replays one event; -1 (and nothing changes) when its time is before the last. */
int trace_apply(struct trace *trace, const struct trace_event *event);

/*
 * Parses and applies one line (with or without its '\n'). Lines that must be
 * skipped are counted and, if warnings is not NULL, reported there as
 * "source:line: ...". Returns what the parser made of the line.
 */
enum trace_line_result trace_feed_line(struct trace *trace, const char *line, const char *source,
                                       FILE *warnings);

/* Feeds every line, then trace_finish(). */
void trace_read_text(struct trace *trace, const char *text, const char *source, FILE *warnings);
void trace_read_file(struct trace *trace, FILE *input, const char *source, FILE *warnings);

/* Closes the open intervals at the last event's time; more lines may follow. */
void trace_finish(struct trace *trace);

/* "rr", or "rr -> mlfq" when the policy changed; "unknown" when never named. */
void trace_describe_policy(const struct trace *trace, char *buffer, size_t size);

/* The name to show for a process: its name, or "?" when it has none. */
const char *trace_process_name(const struct trace_process *process);

/*
 * Which processes the metrics and pictures cover. Default (all false, no
 * pids): the processes that named themselves; if none did, every process that
 * ran except the idle process (pid 0). `all` takes every process, idle too.
 */
struct trace_selection {
    bool all;
    const int *pids;
    size_t pid_count;
};

size_t trace_select(struct trace *trace, const struct trace_selection *selection);

struct trace_process_metrics {
    const struct trace_process *process;
    int64_t arrival_us, first_run_us, completion_us; /* or TRACE_TIME_NONE */
    int64_t turnaround_us, response_us;              /* or TRACE_TIME_NONE */
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
    int64_t window_start_us, window_end_us;
};

/* Needs trace_finish() first. Aborts if memory runs out (a host tool). */
void trace_compute_metrics(const struct trace *trace, struct trace_metrics *metrics);
void trace_metrics_free(struct trace_metrics *metrics);

double trace_jain_index(const double *values, size_t count);

#endif
