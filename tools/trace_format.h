/*
 * trace_format.h — one line of a Prism scheduling trace, parsed into an event.
 *
 * The kernel streams one text line per scheduling event to build/trace.log;
 * this is the format's one definition on the host side, kept apart from what
 * the events mean (trace_analysis.h) so tests and tools can read the stream
 * line by line. OSTEP ch. 7: the events are the ones its schedulers reason about.
 *
 * Format v1: '\n'-terminated lines, space-separated fields, <us> = microseconds
 * since boot, pid 0 = the idle process, names without spaces.
 *   # prism-trace 1 hz=100 policy=rr       (header; again after a restart)
 *   <us> switch from=<pid> to=<pid> why=<preempt|block|exit|yield|start>
 *   <us> fork pid=<child> parent=<pid> name=<name>
 *   <us> exec pid=<pid> name=<name>        <us> name pid=<pid> name=<name>
 *   <us> block pid=<pid>                   <us> wake pid=<pid>
 *   <us> exit pid=<pid> status=<int>       <us> policy name=<name>
 *   <us> param pid=<pid> name=<param> value=<int>   (nice, tickets, expected, level)
 *   <us> arrive pid=<pid>                  (a workload job became READY at its arrival)
 *   <us> boost                             (MLFQ moved every job to the top queue)
 *   <us> dropped count=<n>
 *   <us> group pid=<pid> group=<id> name=<name>   (pid joined container group id)
 *   <us> group_end group=<id> name=<name>         (its last member was reaped)
 *   <us> vmenter pid=<pid>                 (a stretch of guest time begins)
 *   <us> vmexit pid=<pid> reason=<exit> exits=<n> guest_us=<us> handle_us=<us>
 *                                          (it ends: n exits, us in the guest and in handling)
 *   <us> vmend pid=<pid> end=<how> exits=<n>      (the VM stopped after n exits in all)
 * Unknown events and unknown keys are ignored so the format can grow; other
 * '#' lines are comments. A known event missing a key, or with a value that is
 * not a number where one is due, or a line without a time, is malformed.
 */
#ifndef PRISM_TOOLS_TRACE_FORMAT_H
#define PRISM_TOOLS_TRACE_FORMAT_H

#include <stdint.h>

#define TRACE_NAME_SIZE 32   /* longer names are cut */
#define TRACE_TIME_NONE (-1) /* "never happened", for any time or duration */

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
    TRACE_EVENT_ARRIVE,
    TRACE_EVENT_BOOST,
    TRACE_EVENT_GROUP,     /* pid joined group other_pid (the group's id), named name */
    TRACE_EVENT_GROUP_END, /* group other_pid ended */
    TRACE_EVENT_VM_ENTER,  /* pid's vCPU enters a stretch of guest time */
    TRACE_EVENT_VM_EXIT,   /* the stretch ends: value exits, guest_us, handle_us; name why */
    TRACE_EVENT_VM_END,    /* pid's VM ended after value exits */
    TRACE_EVENT_UNKNOWN,   /* a newer kernel's event: only its time is used */
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
    int64_t time_us; /* TRACE_TIME_NONE for the header, which has no time */
    int pid;         /* switch: from; fork: the child; others: the subject */
    int other_pid;   /* switch: to; fork: the parent; group, group_end: the group's id */
    enum trace_switch_reason reason;
    int64_t value;               /* exit status, param value, dropped count, header version */
    int64_t hz;                  /* header only; 0 when absent */
    int64_t guest_us, handle_us; /* vmexit only: the stretch's guest and exit-handling time */
    char name[TRACE_NAME_SIZE];  /* process, policy or parameter name; switch: why */
};

enum trace_line_result {
    TRACE_LINE_EVENT,     /* *event is filled in */
    TRACE_LINE_BLANK,     /* empty line or comment */
    TRACE_LINE_MALFORMED, /* must be skipped */
};

/* line may or may not end in '\n'; aborts only if memory runs out. */
enum trace_line_result trace_parse_line(const char *line, struct trace_event *event);

/* Copies a name, cut to TRACE_NAME_SIZE - 1 characters. */
void trace_copy_name(char destination[TRACE_NAME_SIZE], const char *source);

#endif
