/*
 * trace_vm.c — replays vmenter/vmexit into stretches and splits time by them.
 *
 * A stretch normally opens with vmenter and closes with vmexit. When the
 * vmenter was lost (a dropped event, a trace that starts mid-stretch) the
 * stretch is taken to have begun guest_us + handle_us before its vmexit, the
 * least it can have lasted; a stretch never reaches back before the last
 * one's end. Shares are spread evenly over a stretch because the kernel
 * folds its exits into one pair of events (one per host tick, not one per
 * guest port write). OSTEP appendix B.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tools/trace_vm.h"

static void add_stretch(struct trace_process *process, const struct trace_vm_stretch *stretch)
{
    if (process->stretch_count == process->stretch_capacity) {
        size_t capacity = process->stretch_capacity == 0 ? 8 : process->stretch_capacity * 2;
        struct trace_vm_stretch *grown =
            realloc(process->stretches, capacity * sizeof *process->stretches);
        if (grown == NULL) {
            fputs("trace: out of memory\n", stderr);
            abort();
        }
        process->stretches = grown;
        process->stretch_capacity = capacity;
    }
    process->stretches[process->stretch_count++] = *stretch;
}

static void close_stretch(struct trace_process *process, const struct trace_event *event,
                          int64_t time_us)
{
    int64_t floor_us = process->stretch_count > 0
                           ? process->stretches[process->stretch_count - 1].end_us
                           : INT64_MIN;
    int64_t start_us = process->vm_enter_us;
    if (start_us == TRACE_TIME_NONE)
        start_us = time_us - event->guest_us - event->handle_us;
    start_us = start_us < floor_us ? floor_us : start_us > time_us ? time_us : start_us;
    struct trace_vm_stretch stretch = {start_us, time_us, event->guest_us, event->handle_us,
                                       event->value};
    add_stretch(process, &stretch);
    process->vm_guest_us += event->guest_us;
    process->vm_handle_us += event->handle_us;
    process->vm_exits += event->value;
    process->vm_enter_us = TRACE_TIME_NONE;
}

void trace_vm_apply(struct trace_process *process, const struct trace_event *event, int64_t time_us)
{
    process->vm = true;
    switch (event->kind) {
    case TRACE_EVENT_VM_ENTER:
        process->vm_enter_us = time_us;
        break;
    case TRACE_EVENT_VM_EXIT:
        close_stretch(process, event, time_us);
        break;
    default: /* VM_END: the sums are the stretches'; an open stretch was lost */
        process->vm_enter_us = TRACE_TIME_NONE;
        break;
    }
}

void trace_vm_reset(struct trace_process *process)
{
    process->stretch_count = 0;
    process->vm_guest_us = process->vm_handle_us = process->vm_exits = 0;
}

/* The share of amount_us that falls in [from_us, to_us) when spread over [start, end). */
static int64_t share(int64_t amount_us, int64_t start_us, int64_t end_us, int64_t from_us,
                     int64_t to_us)
{
    if (end_us <= start_us) /* an instant: it counts where it happened */
        return start_us >= from_us && start_us < to_us ? amount_us : 0;
    int64_t lo = start_us > from_us ? start_us : from_us, hi = end_us < to_us ? end_us : to_us;
    if (hi <= lo)
        return 0;
    return (int64_t)((double)amount_us * (double)(hi - lo) / (double)(end_us - start_us) + 0.5);
}

void trace_vm_split(const struct trace_process *process, int64_t from_us, int64_t to_us,
                    int64_t *guest_us, int64_t *handle_us)
{
    *guest_us = *handle_us = 0;
    for (size_t i = 0; i < process->stretch_count; i++) {
        const struct trace_vm_stretch *s = &process->stretches[i];
        if (s->end_us < from_us || s->start_us >= to_us)
            continue;
        *guest_us += share(s->guest_us, s->start_us, s->end_us, from_us, to_us);
        *handle_us += share(s->handle_us, s->start_us, s->end_us, from_us, to_us);
    }
}
