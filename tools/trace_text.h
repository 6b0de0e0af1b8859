/*
 * trace_text.h — a scheduling trace as text: terminal timeline, metrics table,
 * CSV, and a Markdown table comparing several traces (one policy per trace).
 *
 * The text forms of what trace_svg.h draws, for a terminal, a spreadsheet or a
 * lab report: the numbers OSTEP's scheduler.py, mlfq.py and lottery.py print
 * with -c, computed from what the kernel really did. OSTEP ch. 7, 8, 9.
 */
#ifndef PRISM_TOOLS_TRACE_TEXT_H
#define PRISM_TOOLS_TRACE_TEXT_H

#include <stddef.h>
#include <stdio.h>

#include "tools/trace_metrics.h"

/*
 * One row per process, one column per time bucket: its letter where it ran
 * for most of the bucket, '.' where it mostly waited ready, ' ' where it was
 * blocked or not alive, '|' where it exited; an axis with times (ms) below.
 * width (columns) must be at least 1.
 */
void trace_text_timeline(FILE *out, const struct trace *trace, const struct trace_metrics *metrics,
                         int width);

/* Aligned columns, times in ms, '-' where unknown; averages and Jain's index last. */
void trace_text_table(FILE *out, const struct trace_metrics *metrics);

/* For the VMs among the rows (if any): run time split into guest, exit
 * handling and host work, exits and the handling cost per exit. */
void trace_text_vm_table(FILE *out, const struct trace_metrics *metrics);

/* The table's per-process rows as CSV with a header line; empty fields where unknown. */
void trace_text_csv(FILE *out, const struct trace_metrics *metrics);

struct trace_comparison {
    const char *label; /* usually the trace's file name */
    const struct trace *trace;
    const struct trace_metrics *metrics;
};

/* A Markdown table: a header, a separator, then exactly one line per trace. */
void trace_text_comparison(FILE *out, const struct trace_comparison *rows, size_t count);

#endif
