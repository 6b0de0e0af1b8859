/*
 * trace_svg.h — a scheduling trace drawn as a timeline, in standalone SVG 1.1.
 *
 * One row per selected process: a coloured box wherever it ran, a thin grey
 * bar wherever it was ready, triangles where it blocked and woke, a cross
 * where it exited; a time axis in ms, the policy in the title and dashed lines
 * where the policy changed or events were lost. The picture OSTEP ch. 7-9 draw
 * by hand for FIFO, SJF, RR, MLFQ and lottery, drawn from a real kernel.
 */
#ifndef PRISM_TOOLS_TRACE_SVG_H
#define PRISM_TOOLS_TRACE_SVG_H

#include <stdio.h>

#include "tools/trace_metrics.h"

/*
 * Draws metrics->rows' processes over the whole trace. title may be NULL.
 * Running intervals are drawn as <rect> elements (class "run"), one each; a
 * VM's stretches of guest time add one <rect class="guest"> each and one
 * <rect class="exits"> where exits were handled (trace_vm.h).
 */
void trace_svg_write(FILE *out, const struct trace *trace, const struct trace_metrics *metrics,
                     const char *title);

/* One policy's run in a stacked picture. */
struct trace_svg_band {
    const char *label; /* e.g. the policy's name */
    const struct trace *trace;
    const struct trace_metrics *metrics;
};

/*
 * Every band's rows stacked on one time axis, each band's time zero its
 * workload's start (trace_origin), so policies line up job by job.
 * count must be at least 1.
 */
void trace_svg_write_stack(FILE *out, const struct trace_svg_band *bands, size_t count,
                           const char *title);

#endif
