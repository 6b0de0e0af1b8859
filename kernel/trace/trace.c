/*
 * trace.c — the event ring buffer and its text output.
 *
 * Recording only copies a small struct into the ring; formatting and output
 * happen later in trace_drain() (on timer ticks, when the CPU is idle, and on
 * request), so the events' timestamps are not skewed by the cost of printing
 * them. Writer and drainer both run with interrupts off (the kernel's rule),
 * so the ring needs no lock. OSTEP ch. 7-9.
 */
#include "kernel/trace/trace.h"
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/sched/policy.h"
#include "kernel/sched/scheduler.h"
#include "kernel/timer.h"
#include "lib/format.h"
#include "lib/string.h"

#define TRACE_RING_SIZE 4096 /* events; a power of two */
#define TRACE_NAME_MAX 16
#define TRACE_PORT 0xe9 /* QEMU's debugcon: -debugcon file:build/trace.log */

enum trace_kind {
    EV_SWITCH,
    EV_FORK,
    EV_EXEC,
    EV_NAME,
    EV_BLOCK,
    EV_WAKE,
    EV_EXIT,
    EV_POLICY,
    EV_PARAM,
    EV_FAULT,
    EV_ARRIVE,
    EV_BOOST,
    EV_SWAP,      /* evict or pagein (name), slot in other */
    EV_REPLACE,   /* replacement policy switched */
    EV_VM_ENTER,  /* a stretch of guest time begins (kernel/virt/vm_loop.c) */
    EV_VM_EXIT,   /* ... and ends: exits handled, guest and handling time */
    EV_VM_END,    /* a VM ended: how (enum vm_end in value), exits in count */
    EV_GROUP,     /* pid joined group `other` (named name) */
    EV_GROUP_END, /* group `other` ended */
};

struct trace_event {
    uint64_t time_us;
    uint8_t kind;
    uint8_t why;
    int32_t pid;
    int32_t other;
    int64_t value;
    uint64_t count;
    char name[TRACE_NAME_MAX];
};

bool trace_enabled;
static struct trace_event ring[TRACE_RING_SIZE];
static uint64_t written, drained, dropped, dropped_reported;

static void port_write(const char *text, size_t length)
{
    for (size_t i = 0; i < length; i++)
        outb(TRACE_PORT, (uint8_t)text[i]);
}

void trace_set_enabled(bool enabled)
{
    if (enabled && !trace_enabled) {
        char header[96];
        int length =
            format_snprintf(header, sizeof(header), "# prism-trace 1 hz=%u policy=%s\n", timer_hz(),
                            sched_current_policy() ? sched_current_policy()->name : "none");
        port_write(header, (size_t)length);
    }
    trace_enabled = enabled;
}

uint64_t trace_dropped_events(void)
{
    return dropped;
}

static struct trace_event *reserve(enum trace_kind kind, int pid)
{
    if (written - drained == TRACE_RING_SIZE) {
        dropped++;
        return NULL;
    }
    struct trace_event *event = &ring[written++ % TRACE_RING_SIZE];
    memset(event, 0, sizeof(*event));
    event->time_us = timer_now_us();
    event->kind = (uint8_t)kind;
    event->pid = pid;
    return event;
}

/* Names go into a whitespace-separated format: spaces become '_'. */
static void copy_name(char *destination, const char *name)
{
    size_t i = 0;
    for (; name && name[i] && i < TRACE_NAME_MAX - 1; i++)
        destination[i] = name[i] == ' ' ? '_' : name[i];
    destination[i] = '\0';
}

void trace_switch(int from_pid, int to_pid, enum trace_switch_reason why)
{
    struct trace_event *event = trace_enabled ? reserve(EV_SWITCH, from_pid) : NULL;
    if (event) {
        event->other = to_pid;
        event->why = (uint8_t)why;
    }
}

void trace_fork(int child_pid, int parent_pid, const char *name)
{
    struct trace_event *event = trace_enabled ? reserve(EV_FORK, child_pid) : NULL;
    if (event) {
        event->other = parent_pid;
        copy_name(event->name, name);
    }
}

static void record_named(enum trace_kind kind, int pid, const char *name)
{
    struct trace_event *event = trace_enabled ? reserve(kind, pid) : NULL;
    if (event)
        copy_name(event->name, name);
}

void trace_exec(int pid, const char *name)
{
    record_named(EV_EXEC, pid, name);
}

void trace_name(int pid, const char *name)
{
    record_named(EV_NAME, pid, name);
}

void trace_policy(const char *policy_name)
{
    record_named(EV_POLICY, 0, policy_name);
}

void trace_block(int pid)
{
    if (trace_enabled)
        reserve(EV_BLOCK, pid);
}

void trace_wake(int pid)
{
    if (trace_enabled)
        reserve(EV_WAKE, pid);
}

void trace_arrive(int pid)
{
    if (trace_enabled)
        reserve(EV_ARRIVE, pid);
}

void trace_boost(void)
{
    if (trace_enabled)
        reserve(EV_BOOST, 0);
}

void trace_exit(int pid, int status, uint64_t cpu_ns)
{
    struct trace_event *event = trace_enabled ? reserve(EV_EXIT, pid) : NULL;
    if (event) {
        event->value = status;
        event->other = (int32_t)(cpu_ns / 1000 > INT32_MAX ? INT32_MAX : cpu_ns / 1000);
    }
}

void trace_page_fault(int pid, uint64_t address, const char *kind)
{
    struct trace_event *event = trace_enabled ? reserve(EV_FAULT, pid) : NULL;
    if (event) {
        copy_name(event->name, kind);
        event->value = (int64_t)address;
    }
}

void trace_swap_event(const char *kind, int pid, uint64_t address, uint64_t slot)
{
    struct trace_event *event = trace_enabled ? reserve(EV_SWAP, pid) : NULL;
    if (event) {
        copy_name(event->name, kind);
        event->value = (int64_t)address;
        event->other = (int32_t)slot;
    }
}

void trace_replace_policy(const char *policy_name)
{
    record_named(EV_REPLACE, 0, policy_name);
}

void trace_group(int pid, int group_id, const char *name)
{
    struct trace_event *event = trace_enabled ? reserve(EV_GROUP, pid) : NULL;
    if (event) {
        event->other = group_id;
        copy_name(event->name, name);
    }
}

void trace_group_end(int group_id, const char *name)
{
    struct trace_event *event = trace_enabled ? reserve(EV_GROUP_END, 0) : NULL;
    if (event) {
        event->other = group_id;
        copy_name(event->name, name);
    }
}

void trace_param(int pid, const char *param, long value)
{
    struct trace_event *event = trace_enabled ? reserve(EV_PARAM, pid) : NULL;
    if (event) {
        copy_name(event->name, param);
        event->value = value;
    }
}

void trace_vm_enter(int pid)
{
    if (trace_enabled)
        reserve(EV_VM_ENTER, pid);
}

void trace_vm_exit(int pid, const char *reason, uint64_t exits, uint64_t guest_us,
                   uint64_t handle_us)
{
    struct trace_event *event = trace_enabled ? reserve(EV_VM_EXIT, pid) : NULL;
    if (event) {
        copy_name(event->name, reason);
        event->count = exits;
        event->value = (int64_t)guest_us;
        event->other = (int32_t)handle_us;
    }
}

void trace_vm_end(int pid, int end, uint64_t exits)
{
    struct trace_event *event = trace_enabled ? reserve(EV_VM_END, pid) : NULL;
    if (event) {
        event->value = end;
        event->count = exits;
    }
}

static int format_event(const struct trace_event *e, char *line, size_t size)
{
    static const char *const reasons[] = {"preempt", "block", "exit", "yield", "start"};
    unsigned long t = e->time_us;
    switch (e->kind) {
    case EV_SWITCH:
        return format_snprintf(line, size, "%lu switch from=%d to=%d why=%s\n", t, e->pid, e->other,
                               reasons[e->why <= TRACE_WHY_START ? e->why : 0]);
    case EV_FORK:
        return format_snprintf(line, size, "%lu fork pid=%d parent=%d name=%s\n", t, e->pid,
                               e->other, e->name);
    case EV_EXEC:
        return format_snprintf(line, size, "%lu exec pid=%d name=%s\n", t, e->pid, e->name);
    case EV_NAME:
        return format_snprintf(line, size, "%lu name pid=%d name=%s\n", t, e->pid, e->name);
    case EV_BLOCK:
        return format_snprintf(line, size, "%lu block pid=%d\n", t, e->pid);
    case EV_WAKE:
        return format_snprintf(line, size, "%lu wake pid=%d\n", t, e->pid);
    case EV_EXIT:
        return format_snprintf(line, size, "%lu exit pid=%d status=%ld cpu_us=%d\n", t, e->pid,
                               (long)e->value, e->other);
    case EV_POLICY:
        return format_snprintf(line, size, "%lu policy name=%s\n", t, e->name);
    case EV_ARRIVE:
        return format_snprintf(line, size, "%lu arrive pid=%d\n", t, e->pid);
    case EV_BOOST:
        return format_snprintf(line, size, "%lu boost\n", t);
    case EV_FAULT:
        return format_snprintf(line, size, "%lu fault pid=%d address=%#lx kind=%s\n", t, e->pid,
                               (unsigned long)e->value, e->name);
    case EV_SWAP:
        return format_snprintf(line, size, "%lu %s pid=%d address=%#lx slot=%d\n", t, e->name,
                               e->pid, (unsigned long)e->value, e->other);
    case EV_REPLACE:
        return format_snprintf(line, size, "%lu replace name=%s\n", t, e->name);
    case EV_VM_ENTER:
        return format_snprintf(line, size, "%lu vmenter pid=%d\n", t, e->pid);
    case EV_VM_EXIT:
        return format_snprintf(
            line, size, "%lu vmexit pid=%d reason=%s exits=%lu guest_us=%ld handle_us=%d\n", t,
            e->pid, e->name, (unsigned long)e->count, (long)e->value, e->other);
    case EV_VM_END:
        return format_snprintf(line, size, "%lu vmend pid=%d end=%ld exits=%lu\n", t, e->pid,
                               (long)e->value, (unsigned long)e->count);
    case EV_GROUP:
        return format_snprintf(line, size, "%lu group pid=%d group=%d name=%s\n", t, e->pid,
                               e->other, e->name);
    case EV_GROUP_END:
        return format_snprintf(line, size, "%lu group_end group=%d name=%s\n", t, e->other,
                               e->name);
    default:
        return format_snprintf(line, size, "%lu param pid=%d name=%s value=%ld\n", t, e->pid,
                               e->name, (long)e->value);
    }
}

void trace_drain(unsigned max_events)
{
    char line[128];
    if (dropped != dropped_reported) {
        int length = format_snprintf(line, sizeof(line), "%lu dropped count=%lu\n",
                                     (unsigned long)timer_now_us(),
                                     (unsigned long)(dropped - dropped_reported));
        port_write(line, (size_t)length);
        dropped_reported = dropped;
    }
    for (unsigned n = 0; n < max_events && drained != written; n++) {
        int length = format_event(&ring[drained++ % TRACE_RING_SIZE], line, sizeof(line));
        port_write(line, (size_t)length);
    }
}
