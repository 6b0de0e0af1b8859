/*
 * trace_vm.h — a virtual machine's time on the CPU, split three ways.
 *
 * A `vm` process's run time (trace_analysis.h's RUNNING intervals) holds the
 * guest's own time, the kernel's handling of its exits (port I/O, CPUID, HLT,
 * an injected timer) and host work around them. The kernel reports each
 * stretch of guest time as a vmenter/vmexit pair carrying the guest and
 * handling sums (kernel/trace/trace.h); this replays them into the process's
 * stretches and answers "how much of [from, to) went where" for the pictures
 * and the table. OSTEP appendix B (the cost of trap-and-emulate), ch. 7.
 */
#ifndef PRISM_TOOLS_TRACE_VM_H
#define PRISM_TOOLS_TRACE_VM_H

#include <stdint.h>

#include "tools/trace_analysis.h"

/* Replays a VM_ENTER, VM_EXIT or VM_END event of process at time_us. */
void trace_vm_apply(struct trace_process *process, const struct trace_event *event,
                    int64_t time_us);

/* Forgets the stretches (a workload job's setup before its arrival). */
void trace_vm_reset(struct trace_process *process);

/*
 * How much of [from_us, to_us) the process spent in its guest and handling
 * its exits, each stretch's times spread evenly over the stretch's span.
 */
void trace_vm_split(const struct trace_process *process, int64_t from_us, int64_t to_us,
                    int64_t *guest_us, int64_t *handle_us);

#endif
