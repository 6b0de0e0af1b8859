/*
 * trace_analysis.h — a Prism scheduling trace, rebuilt as per-process timelines.
 *
 * Events parsed by trace_format.h are replayed through a state machine per
 * process (running, ready, blocked, exited) that records an interval whenever
 * a state ends. trace_metrics.h turns the intervals into OSTEP's numbers and
 * trace_render.h into pictures. Host-only, pure logic: text in, structs out;
 * the only I/O is on FILE*s the caller opens. OSTEP ch. 7, 8, 9.
 */
#ifndef PRISM_TOOLS_TRACE_ANALYSIS_H
#define PRISM_TOOLS_TRACE_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tools/trace_format.h"

enum trace_state {
    TRACE_STATE_UNKNOWN, /* not yet seen, or no longer followed (stream restarted) */
    TRACE_STATE_RUNNING,
    TRACE_STATE_READY, /* runnable, waiting for the CPU */
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

/* A parameter's value from time_us on: the history the timelines draw. */
struct trace_param_change {
    int64_t time_us;
    char name[TRACE_NAME_SIZE]; /* "level" (MLFQ), "tickets", "nice", "expected" */
    int64_t value;
};

/*
 * A VM's stretch of guest time, vmenter to vmexit (kernel/virt/vm_loop.c): of
 * its span, guest_us ran the guest and handle_us handled its exits in the
 * kernel; the rest is host work around them (the loop, the trace itself).
 * The kernel folds a stretch's exits into one event pair, so where inside the
 * span each exit fell is not known: pictures spread both times evenly over it.
 */
struct trace_vm_stretch {
    int64_t start_us, end_us; /* start_us <= end_us */
    int64_t guest_us, handle_us, exits;
};

/* One process's life. A pid reused after exit (or after a restart) gets a new record. */
struct trace_process {
    int pid, parent_pid; /* parent_pid is -1 when no fork was seen */
    int group;           /* its container group's id (a `group` event); 0 = the root group */
    int session;         /* which run of the stream: one more after each restart */
    char name[TRACE_NAME_SIZE];
    int name_rank; /* 3 = job `name` event, 2 = exec, 1 = fork, 0 = none */
    bool named;    /* named itself: one of the workload's jobs */
    bool arrived;  /* had an `arrive` event: a workload job, measured from it */
    bool forked;
    bool selected;                                   /* set by trace_select() */
    int64_t arrival_us, first_run_us, completion_us; /* or TRACE_TIME_NONE */
    int64_t exit_status;
    enum trace_state state;
    int64_t state_since_us;
    int64_t time_in_state_us[TRACE_STATE_COUNT]; /* sums of the closed intervals */
    struct trace_interval *intervals;            /* in time order, none overlapping */
    size_t interval_count, interval_capacity;
    struct trace_mark *marks;
    size_t mark_count, mark_capacity;
    struct trace_param params[TRACE_PARAMS_MAX];
    size_t param_count;
    struct trace_param_change *changes; /* every param event, in time order */
    size_t change_count, change_capacity;
    bool vm;             /* ran a virtual machine (a vmenter, vmexit or vmend event) */
    int64_t vm_enter_us; /* the open stretch's vmenter, or TRACE_TIME_NONE */
    int64_t vm_guest_us, vm_handle_us, vm_exits; /* sums over the stretches */
    struct trace_vm_stretch *stretches;          /* in time order */
    size_t stretch_count, stretch_capacity;
};

enum trace_marker_kind {
    TRACE_MARKER_POLICY,  /* name: the new policy */
    TRACE_MARKER_DROPPED, /* count: events the kernel lost here */
    TRACE_MARKER_RESTART, /* the stream began again (new header, clock reset) */
    TRACE_MARKER_BOOST,   /* MLFQ's priority boost (rule 5) */
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
    int64_t origin_us;        /* the first `arrive` event: a workload's time zero, or NONE */
    int session;
    int64_t session_offset_us, session_last_us; /* last_us: the session's own clock */
    bool restart_pending;
    int running; /* index of the process on the CPU, -1 if none known */
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

/* The value of parameter `name` in effect at time_us (its last change at or
 * before it); false when it had none by then. */
bool trace_param_at(const struct trace_process *process, const char *name, int64_t time_us,
                    int64_t *value);

/* Where a picture of the run starts: the workload's time zero if it has one. */
int64_t trace_origin(const struct trace *trace);

#endif
