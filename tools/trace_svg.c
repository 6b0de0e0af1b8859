/*
 * trace_svg.c — writes the SVG timeline of trace_svg.h.
 *
 * Layout, top to bottom: title and subtitle, one row per process (label on
 * the left, its intervals and marks on a shared time scale), the time axis
 * with gridlines at round numbers of ms, and a legend. Everything is inline
 * (no fonts, stylesheets or scripts fetched), and every element carries a
 * <title> tooltip with exact times, so the picture is also a lookup table.
 * OSTEP ch. 7-9 (the timelines the chapters draw by hand).
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "tools/trace_svg.h"
#include "tools/trace_vm.h"

#define SVG_WIDTH 1000
#define LABEL_WIDTH 170 /* the left column holds "name (pid N)" */
#define RIGHT_MARGIN 30
#define ROWS_TOP 84 /* below title, subtitle and the policy labels */
#define ROW_HEIGHT 34
#define BAR_HEIGHT 16
#define AXIS_HEIGHT 46
#define LEGEND_HEIGHT 36
#define MARK_SIZE 6
#define BAND_GAP 28 /* above each policy's rows in a stacked picture */

/* Distinct, print-safe colours; grey is kept for "ready". */
static const char *const palette[] = {"#4e79a7", "#f28e2b", "#e15759", "#59a14f",
                                      "#b07aa1", "#edc948", "#76b7b2", "#ff9da7",
                                      "#9c755f", "#17becf", "#bcbd22", "#8c564b"};
#define PALETTE_SIZE (sizeof palette / sizeof palette[0])
#define READY_COLOUR "#9e9e9e"
#define EXIT_HANDLING_COLOUR "#222"

/* Where one trace's rows go: start_us is drawn at plot_left, and the axis
 * labels count from it (the workload's time zero when it has arrivals). */
struct frame {
    int64_t start_us, span_us; /* span_us > 0 */
    double plot_left, plot_width, rows_top, rows_bottom;
};

static double x_of(const struct frame *frame, int64_t time_us)
{
    return frame->plot_left +
           (double)(time_us - frame->start_us) * frame->plot_width / (double)frame->span_us;
}

/* XML text: markup characters escaped; control bytes and non-ASCII (which a
 * damaged trace may hold, and which XML or UTF-8 would reject) become '?'. */
static void write_escaped(FILE *out, const char *text)
{
    for (; *text != '\0'; text++) {
        unsigned char byte = (unsigned char)*text;
        if (byte < 0x20 || byte >= 0x7f) {
            fputc('?', out);
            continue;
        }
        switch (*text) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        case '\'':
            fputs("&apos;", out);
            break;
        default:
            fputc(*text, out);
        }
    }
}

static double ms(int64_t time_us)
{
    return (double)time_us / 1000.0;
}

/* Tick spacing: 1, 2 or 5 times a power of ten, at most ten ticks across. */
static int64_t tick_step(int64_t span_us)
{
    for (int64_t magnitude = 1;; magnitude *= 10)
        for (int64_t multiple = 1; multiple <= 5; multiple += multiple == 1 ? 1 : 3)
            if (multiple * magnitude * 10 >= span_us)
                return multiple * magnitude;
}

static void draw_title(FILE *out, const struct trace *trace, const struct trace_metrics *metrics,
                       const char *title)
{
    char policy[256];
    trace_describe_policy(trace, policy, sizeof policy);
    fputs("<text x=\"16\" y=\"26\" font-size=\"18\" font-weight=\"bold\">", out);
    write_escaped(out, title != NULL ? title : "Scheduling timeline");
    fputs(" \xe2\x80\x94 policy ", out); /* an em dash, UTF-8 */
    write_escaped(out, policy);
    fprintf(out, "</text>\n<text x=\"16\" y=\"46\" fill=\"#555\">%zu process%s, %.2f to %.2f ms",
            metrics->count, metrics->count == 1 ? "" : "es", ms(trace->start_us),
            ms(trace->end_us));
    if (trace->hz > 0)
        fprintf(out, ", timer %lld Hz", (long long)trace->hz);
    if (trace->dropped_events > 0)
        fprintf(out, ", %lld events lost by the kernel", (long long)trace->dropped_events);
    fputs("</text>\n", out);
}

static void draw_axis(FILE *out, const struct frame *frame)
{
    int64_t step = tick_step(frame->span_us);
    int decimals = step >= 1000 ? 0 : step >= 100 ? 1 : step >= 10 ? 2 : 3;
    double axis_y = frame->rows_bottom + 6;
    int64_t first = frame->start_us;
    fputs("<g stroke=\"#d0d0d0\">\n", out);
    for (int64_t tick = first; tick <= frame->start_us + frame->span_us; tick += step)
        fprintf(out, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n", x_of(frame, tick),
                frame->rows_top - 6, x_of(frame, tick), axis_y);
    fprintf(out, "</g>\n<g font-size=\"11\" text-anchor=\"middle\">\n");
    fprintf(out, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#000\"/>\n",
            frame->plot_left, axis_y, frame->plot_left + frame->plot_width, axis_y);
    for (int64_t tick = first; tick <= frame->start_us + frame->span_us; tick += step) {
        double x = x_of(frame, tick);
        fprintf(out, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#000\"/>\n", x,
                axis_y, x, axis_y + 5);
        fprintf(out, "<text x=\"%.2f\" y=\"%.2f\">%.*f</text>\n", x, axis_y + 18, decimals,
                ms(tick - frame->start_us));
    }
    fprintf(out, "</g>\n<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\">time (ms)</text>\n",
            frame->plot_left + frame->plot_width, axis_y + 34);
}

static void draw_mark(FILE *out, const struct trace_mark *mark, double x, double center)
{
    double top = center - BAR_HEIGHT / 2.0, bottom = center + BAR_HEIGHT / 2.0;
    static const char *const names[] = {"blocked", "woke", "exited"};
    if (mark->kind == TRACE_MARK_BLOCK) /* a down-triangle resting on the bar */
        fprintf(out, "<polygon points=\"%.2f,%.2f %.2f,%.2f %.2f,%.2f\" fill=\"#222\">", x - 5,
                top - 1 - MARK_SIZE, x + 5, top - 1 - MARK_SIZE, x, top - 1);
    else if (mark->kind == TRACE_MARK_WAKE) /* an up-triangle hanging under it */
        fprintf(out, "<polygon points=\"%.2f,%.2f %.2f,%.2f %.2f,%.2f\" fill=\"#222\">", x - 5,
                bottom + 1 + MARK_SIZE, x + 5, bottom + 1 + MARK_SIZE, x, bottom + 1);
    else
        fprintf(out,
                "<path d=\"M%.2f %.2fL%.2f %.2fM%.2f %.2fL%.2f %.2f\" stroke=\"#000\" "
                "stroke-width=\"2\">",
                x - 5, center - 5, x + 5, center + 5, x - 5, center + 5, x + 5, center - 5);
    fprintf(out, "<title>%s at %.3f ms</title>", names[mark->kind], ms(mark->time_us));
    fputs(mark->kind == TRACE_MARK_EXIT ? "</path>\n" : "</polygon>\n", out);
}

/* Deeper MLFQ levels are drawn paler, so demotion and boost show in the bars. */
static double level_opacity(const struct trace_process *process, int64_t time_us)
{
    int64_t level;
    if (!trace_param_at(process, "level", time_us, &level) || level <= 0)
        return 1.0;
    return level >= 3 ? 0.35 : 1.0 - 0.22 * (double)level;
}

static void draw_interval(FILE *out, const struct frame *frame, const struct trace_process *process,
                          const struct trace_interval *interval, double center, const char *colour)
{
    double left = x_of(frame, interval->start_us), right = x_of(frame, interval->end_us);
    int64_t from = interval->start_us - frame->start_us, to = interval->end_us - frame->start_us;
    if (interval->state == TRACE_STATE_RUNNING)
        fprintf(out,
                "<rect class=\"run\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%d\" "
                "fill=\"%s\" fill-opacity=\"%.2f\"><title>ran %.3f to %.3f ms</title></rect>\n",
                left, center - BAR_HEIGHT / 2.0, right - left > 0.5 ? right - left : 0.5,
                BAR_HEIGHT, colour, level_opacity(process, interval->start_us), ms(from), ms(to));
    else if (interval->state == TRACE_STATE_READY)
        fprintf(out,
                "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"" READY_COLOUR
                "\" stroke-width=\"3\"><title>ready %.3f to %.3f ms</title></line>\n",
                left, center, right, center, ms(from), ms(to));
}

/*
 * Over a VM's run bar, each stretch of guest time: its guest share hatched
 * from the stretch's start, its exit handling dark at the stretch's end (the
 * kernel folds a stretch's exits, so only the shares are known, not their
 * order); the plain bar left between is host work.
 */
static void draw_vm_stretches(FILE *out, const struct frame *frame,
                              const struct trace_process *process, double center)
{
    double top = center - BAR_HEIGHT / 2.0;
    for (size_t i = 0; i < process->stretch_count; i++) {
        const struct trace_vm_stretch *s = &process->stretches[i];
        double left = x_of(frame, s->start_us), right = x_of(frame, s->end_us);
        int64_t span = s->end_us - s->start_us;
        if (s->end_us < frame->start_us || span <= 0)
            continue;
        double guest = (right - left) * (double)s->guest_us / (double)span;
        double handle = (right - left) * (double)s->handle_us / (double)span;
        guest = guest > right - left ? right - left : guest;
        handle = handle > right - left - guest ? right - left - guest : handle;
        fprintf(out,
                "<rect class=\"guest\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%d\" "
                "fill=\"url(#guest)\"><title>guest %.3f ms of %.3f to %.3f ms (%lld exits, "
                "%.3f ms handling them)</title></rect>\n",
                left, top, guest, BAR_HEIGHT, ms(s->guest_us), ms(s->start_us - frame->start_us),
                ms(s->end_us - frame->start_us), (long long)s->exits, ms(s->handle_us));
        if (handle > 0)
            fprintf(out,
                    "<rect class=\"exits\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%d\" "
                    "fill=\"" EXIT_HANDLING_COLOUR "\"/>\n",
                    right - (handle > 0.5 ? handle : 0.5), top, handle > 0.5 ? handle : 0.5,
                    BAR_HEIGHT);
    }
}

/* Each parameter change as a small label above the bar where it happened:
 * "L1" for an MLFQ level, "300t" for tickets, "n5" for nice, "e100" for the
 * expected run time; changes before the picture starts show at its left edge. */
static void draw_param_changes(FILE *out, const struct frame *frame,
                               const struct trace_process *process, double center)
{
    for (size_t i = 0; i < process->change_count; i++) {
        const struct trace_param_change *change = &process->changes[i];
        int64_t time_us = change->time_us > frame->start_us ? change->time_us : frame->start_us;
        const char *name = change->name;
        const char *prefix = strcmp(name, "level") == 0      ? "L"
                             : strcmp(name, "nice") == 0     ? "n"
                             : strcmp(name, "expected") == 0 ? "e"
                                                             : "";
        const char *suffix = strcmp(name, "tickets") == 0 ? "t" : "";
        fprintf(out,
                "<text class=\"param\" x=\"%.2f\" y=\"%.2f\" font-size=\"9\" "
                "fill=\"#333\">%s%lld%s<title>",
                x_of(frame, time_us) + 1, center - BAR_HEIGHT / 2.0 - 2, prefix,
                (long long)change->value, suffix);
        write_escaped(out, name);
        fprintf(out, " = %lld from %.3f ms</title></text>\n", (long long)change->value,
                ms(time_us - frame->start_us)); /* set before the picture: from its start */
    }
}

static void draw_row(FILE *out, const struct frame *frame, const struct trace_metrics *metrics,
                     size_t row)
{
    const struct trace_process *process = metrics->rows[row].process;
    double center = frame->rows_top + (double)row * ROW_HEIGHT + ROW_HEIGHT / 2.0;
    const char *colour = palette[row % PALETTE_SIZE];
    char label[TRACE_NAME_SIZE + 24];
    trace_row_label(metrics, row, label, sizeof label);
    fprintf(out, "<g>\n<text x=\"%d\" y=\"%.2f\" text-anchor=\"end\">", LABEL_WIDTH - 12,
            center + 4);
    write_escaped(out, label);
    fputs("</text>\n", out);
    for (size_t i = 0; i < process->interval_count; i++)
        draw_interval(out, frame, process, &process->intervals[i], center, colour);
    draw_vm_stretches(out, frame, process, center);
    for (size_t i = 0; i < process->mark_count; i++)
        draw_mark(out, &process->marks[i], x_of(frame, process->marks[i].time_us), center);
    draw_param_changes(out, frame, process, center);
    fputs("</g>\n", out);
}

static void draw_rows(FILE *out, const struct frame *frame, const struct trace_metrics *metrics)
{
    for (size_t i = 0; i < metrics->count; i++)
        draw_row(out, frame, metrics, i);
    if (metrics->count == 0)
        fprintf(out, "<text x=\"%d\" y=\"%.2f\">no processes selected</text>\n", LABEL_WIDTH,
                frame->rows_top + ROW_HEIGHT / 2);
}

static void draw_markers(FILE *out, const struct frame *frame, const struct trace *trace)
{
    for (size_t i = 0; i < trace->marker_count; i++) {
        const struct trace_marker *marker = &trace->markers[i];
        if (marker->time_us < frame->start_us)
            continue;
        double x = x_of(frame, marker->time_us);
        const char *colour = marker->kind == TRACE_MARKER_DROPPED ? "#d62728"
                             : marker->kind == TRACE_MARKER_BOOST ? "#2a9d8f"
                                                                  : "#333";
        fprintf(out,
                "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" "
                "stroke-dasharray=\"6,4\"/>\n<text x=\"%.2f\" y=\"%.2f\" fill=\"%s\">",
                x, frame->rows_top - 16, x, frame->rows_bottom + 6, colour, x + 3,
                frame->rows_top - 20, colour);
        if (marker->kind == TRACE_MARKER_POLICY)
            write_escaped(out, marker->name);
        else if (marker->kind == TRACE_MARKER_DROPPED)
            fprintf(out, "%lld lost", (long long)marker->count);
        else if (marker->kind == TRACE_MARKER_BOOST)
            fputs("boost", out);
        else
            fputs("restart", out);
        fputs("</text>\n", out);
    }
}

/*
 * One legend entry: a symbol, then its words; returns where the next begins.
 * symbol is a path that starts "M%.2f %.2f" (x, y) and moves relatively after.
 */
static double legend_entry(FILE *out, double x, double y, const char *symbol, const char *words)
{
    fprintf(out, symbol, x, y);
    fprintf(out, "<text x=\"%.2f\" y=\"%.2f\">%s</text>\n", x + 20, y + 4, words);
    return x + 32 + 6.2 * (double)strlen(words);
}

static void draw_legend(FILE *out, const struct trace *trace, double y)
{
    double x = 16;
    x = legend_entry(out, x, y, "<path d=\"M%.2f %.2fm0 -7h14v14h-14z\" fill=\"#4e79a7\"/>\n",
                     "ran (one colour per process)");
    x = legend_entry(out, x, y,
                     "<path d=\"M%.2f %.2fh14\" stroke=\"" READY_COLOUR "\" stroke-width=\"3\"/>\n",
                     "ready (waiting for the CPU)");
    x = legend_entry(out, x, y, "<path d=\"M%.2f %.2fm2 -4h10l-5 8z\" fill=\"#222\"/>\n",
                     "blocked");
    x = legend_entry(out, x, y, "<path d=\"M%.2f %.2fm2 4h10l-5 -8z\" fill=\"#222\"/>\n", "woke");
    x = legend_entry(out, x, y,
                     "<path d=\"M%.2f %.2fm2 -5l10 10m-10 0l10 -10\" stroke=\"#000\" "
                     "stroke-width=\"2\"/>\n",
                     "exited");
    x = legend_entry(out, x, y,
                     "<path d=\"M%.2f %.2fm6 -8v16\" stroke=\"#333\" stroke-dasharray=\"4,3\"/>\n",
                     "policy change");
    if (trace->dropped_events > 0)
        x = legend_entry(out, x, y,
                         "<path d=\"M%.2f %.2fm6 -8v16\" stroke=\"#d62728\" "
                         "stroke-dasharray=\"4,3\"/>\n",
                         "events lost");
    bool vms = false;
    for (size_t i = 0; i < trace->process_count; i++)
        vms = vms || (trace->processes[i].vm && trace->processes[i].selected);
    if (vms) {
        x = legend_entry(out, x, y,
                         "<path d=\"M%.2f %.2fm0 -7h14v14h-14z\" fill=\"url(#guest)\" "
                         "stroke=\"#4e79a7\"/>\n",
                         "VM guest");
        x = legend_entry(out, x, y,
                         "<path d=\"M%.2f %.2fm0 -7h14v14h-14z\" fill=\"" EXIT_HANDLING_COLOUR
                         "\"/>\n",
                         "VM exits");
    }
    bool boosts = false;
    for (size_t i = 0; i < trace->marker_count; i++)
        boosts = boosts || trace->markers[i].kind == TRACE_MARKER_BOOST;
    if (boosts)
        legend_entry(out, x, y,
                     "<path d=\"M%.2f %.2fm6 -8v16\" stroke=\"#2a9d8f\" "
                     "stroke-dasharray=\"4,3\"/>\n",
                     "MLFQ boost; L1 = level 1, paler bar = lower level");
}

static bool any_vm(const struct trace_metrics *metrics)
{
    for (size_t i = 0; i < metrics->count; i++)
        if (metrics->rows[i].process->vm)
            return true;
    return false;
}

/* vms: some row is a VM, whose bars use the "guest" pattern. */
static void svg_open(FILE *out, int height, const char *title, bool vms)
{
    fprintf(out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" "
            "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n",
            SVG_WIDTH, height, SVG_WIDTH, height);
    fputs("<title>", out);
    write_escaped(out, title != NULL ? title : "Scheduling timeline");
    fprintf(out, "</title>\n<path d=\"M0 0H%dV%dH0z\" fill=\"#fff\"/>\n", SVG_WIDTH, height);
    /* A VM's guest time: white stripes over its bar's colour (draw_vm_stretches). */
    if (vms)
        fputs(
            "<defs><pattern id=\"guest\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
            "patternTransform=\"rotate(45)\"><rect width=\"3\" height=\"6\" fill=\"#fff\" "
            "fill-opacity=\"0.6\"/></pattern></defs>\n",
            out);
}

static double rows_height(const struct trace_metrics *metrics)
{
    return (double)(metrics->count > 0 ? metrics->count : 1) * ROW_HEIGHT;
}

void trace_svg_write(FILE *out, const struct trace *trace, const struct trace_metrics *metrics,
                     const char *title)
{
    int64_t start_us = trace_origin(trace);
    struct frame frame = {
        .start_us = start_us,
        .span_us = trace->end_us > start_us ? trace->end_us - start_us : 1,
        .plot_left = LABEL_WIDTH,
        .plot_width = SVG_WIDTH - LABEL_WIDTH - RIGHT_MARGIN,
        .rows_top = ROWS_TOP,
        .rows_bottom = ROWS_TOP + rows_height(metrics),
    };
    int height = (int)frame.rows_bottom + AXIS_HEIGHT + LEGEND_HEIGHT;
    svg_open(out, height, title, any_vm(metrics));
    draw_title(out, trace, metrics, title);
    draw_axis(out, &frame);
    draw_rows(out, &frame, metrics);
    draw_markers(out, &frame, trace);
    draw_legend(out, trace, frame.rows_bottom + AXIS_HEIGHT + LEGEND_HEIGHT / 2.0);
    fputs("</svg>\n", out);
}

/* The end of the last selected job's life, or the trace's end: how long a stacked band must be. */
static int64_t selected_span(const struct trace *trace, const struct trace_metrics *metrics)
{
    int64_t start_us = trace_origin(trace), end_us = start_us + 1;
    for (size_t i = 0; i < metrics->count; i++) {
        const struct trace_process *process = metrics->rows[i].process;
        int64_t last =
            process->completion_us != TRACE_TIME_NONE ? process->completion_us : trace->end_us;
        end_us = last > end_us ? last : end_us;
    }
    return end_us - start_us;
}

void trace_svg_write_stack(FILE *out, const struct trace_svg_band *bands, size_t count,
                           const char *title)
{
    int64_t span_us = 1;
    double height = ROWS_TOP;
    bool vms = false;
    for (size_t i = 0; i < count; i++) {
        vms = vms || any_vm(bands[i].metrics);
        int64_t span = selected_span(bands[i].trace, bands[i].metrics);
        span_us = span > span_us ? span : span_us;
        height += rows_height(bands[i].metrics) + BAND_GAP;
    }
    svg_open(out, (int)height + AXIS_HEIGHT + LEGEND_HEIGHT, title, vms);
    fputs("<text x=\"16\" y=\"26\" font-size=\"18\" font-weight=\"bold\">", out);
    write_escaped(out, title != NULL ? title : "Scheduling timelines");
    fprintf(out,
            "</text>\n<text x=\"16\" y=\"46\" fill=\"#555\">%zu policies on one time axis "
            "(ms from the workload's start)</text>\n",
            count);
    double top = ROWS_TOP;
    struct frame frame = {.plot_left = LABEL_WIDTH,
                          .plot_width = SVG_WIDTH - LABEL_WIDTH - RIGHT_MARGIN};
    for (size_t i = 0; i < count; i++) {
        frame.start_us = trace_origin(bands[i].trace);
        frame.span_us = span_us;
        frame.rows_top = top + BAND_GAP;
        frame.rows_bottom = frame.rows_top + rows_height(bands[i].metrics);
        fprintf(out, "<text x=\"16\" y=\"%.2f\" font-weight=\"bold\">", frame.rows_top - 8);
        write_escaped(out, bands[i].label);
        fputs("</text>\n", out);
        fprintf(out, "<path d=\"M%d %.2fH%d\" stroke=\"#bbb\"/>\n", 16, top + 4,
                SVG_WIDTH - RIGHT_MARGIN);
        draw_rows(out, &frame, bands[i].metrics);
        draw_markers(out, &frame, bands[i].trace);
        top = frame.rows_bottom;
    }
    frame.rows_top = ROWS_TOP;
    frame.rows_bottom = top;
    draw_axis(out, &frame);
    draw_legend(out, bands[0].trace, top + AXIS_HEIGHT + LEGEND_HEIGHT / 2.0);
    fputs("</svg>\n", out);
}
