/*
 * trace.h — recording what the scheduler and the process code do, as events.
 *
 * Each event (a switch, fork, exec, exit, block, wake, arrival, policy or
 * parameter change, MLFQ level change or boost) is stamped in microseconds and put in a ring
 * buffer; trace_drain() turns buffered events into text lines, one per event, and writes them to
 * QEMU's debug port, which `make run TRACE=1` connects to build/trace.log.
 * Tools in tools/ turn that file into a timeline and a metrics table. With
 * tracing off every record call returns at its first test; when the buffer is
 * full new events are dropped and counted, never waited for.
 * Format (v1): see README "Trace format". OSTEP ch. 7-9 (measuring policies).
 */
#ifndef PRISM_KERNEL_TRACE_TRACE_H
#define PRISM_KERNEL_TRACE_TRACE_H

#include <stdbool.h>
#include <stdint.h>

enum trace_switch_reason {
    TRACE_WHY_PREEMPT, /* time slice over, or a policy preferred another */
    TRACE_WHY_BLOCK,   /* waits for sleep, a child, input, a pipe */
    TRACE_WHY_EXIT,
    TRACE_WHY_YIELD,
    TRACE_WHY_START, /* the idle process handing over */
};

extern bool trace_enabled;

void trace_set_enabled(bool enabled);
uint64_t trace_dropped_events(void);

void trace_switch(int from_pid, int to_pid, enum trace_switch_reason why);
void trace_fork(int child_pid, int parent_pid, const char *name);
void trace_exec(int pid, const char *name);
void trace_name(int pid, const char *name);
void trace_block(int pid);
void trace_wake(int pid);
/* cpu_ns: the CPU time it used, as the kernel measured it (the TSC). */
void trace_exit(int pid, int status, uint64_t cpu_ns);
void trace_policy(const char *policy_name);
void trace_param(int pid, const char *param, long value);
/* A workload job became READY at its arrival time (the timer made it so). */
void trace_arrive(int pid);
/* MLFQ moved every job to the top queue (rule 5). */
void trace_boost(void);
/* A user page fault: kind is "zero" (demand-zero), "cow", "major" (read back from swap) or "kill".
 */
void trace_page_fault(int pid, uint64_t address, const char *kind);

/* Swapping: kind "evict" (page written to slot) or "pagein" (read back). */
void trace_swap_event(const char *kind, int pid, uint64_t address, uint64_t slot);
void trace_replace_policy(const char *policy_name);

/* Virtual machines (kernel/virt/vm_loop.c): a stretch of guest time opens
 * with vmenter and closes with vmexit, which folds every exit handled in
 * between (so one event pair per host tick, not per guest port write);
 * reason is the exit that ended the stretch. vmend: the VM ended. */
void trace_vm_enter(int pid);
void trace_vm_exit(int pid, const char *reason, uint64_t exits, uint64_t guest_us,
                   uint64_t handle_us);
void trace_vm_end(int pid, int end, uint64_t exits);
/* Container groups: pid joined group id (named name), by making it or by
 * fork; the group ended (its last member was reaped). */
void trace_group(int pid, int group_id, const char *name);
void trace_group_end(int group_id, const char *name);

/* Writes up to max_events buffered events to the trace port. */
void trace_drain(unsigned max_events);

#endif
