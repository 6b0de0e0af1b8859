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
#include <stdint.h>
#include <string.h>

#include "tools/trace_svg.h"

#define SVG_WIDTH 1000
#define LABEL_WIDTH 170 /* the left column holds "name (pid N)" */
#define RIGHT_MARGIN 30
#define ROWS_TOP 84 /* below title, subtitle and the policy labels */
#define ROW_HEIGHT 34
#define BAR_HEIGHT 16
#define AXIS_HEIGHT 46
#define LEGEND_HEIGHT 36
#define MARK_SIZE 6

/* Distinct, print-safe colours; grey is kept for "ready". */
static const char *const palette[] = {"#4e79a7", "#f28e2b", "#e15759", "#59a14f",
                                      "#b07aa1", "#edc948", "#76b7b2", "#ff9da7",
                                      "#9c755f", "#17becf", "#bcbd22", "#8c564b"};
#define PALETTE_SIZE (sizeof palette / sizeof palette[0])
#define READY_COLOUR "#9e9e9e"

struct frame {
    int64_t start_us, span_us; /* span_us > 0 */
    double plot_left, plot_width, rows_bottom;
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
    int64_t first = (frame->start_us + step - 1) / step * step;
    fputs("<g stroke=\"#d0d0d0\">\n", out);
    for (int64_t tick = first; tick <= frame->start_us + frame->span_us; tick += step)
        fprintf(out, "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%.2f\"/>\n", x_of(frame, tick),
                ROWS_TOP - 6, x_of(frame, tick), axis_y);
    fprintf(out, "</g>\n<g font-size=\"11\" text-anchor=\"middle\">\n");
    fprintf(out, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#000\"/>\n",
            frame->plot_left, axis_y, frame->plot_left + frame->plot_width, axis_y);
    for (int64_t tick = first; tick <= frame->start_us + frame->span_us; tick += step) {
        double x = x_of(frame, tick);
        fprintf(out, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#000\"/>\n", x,
                axis_y, x, axis_y + 5);
        fprintf(out, "<text x=\"%.2f\" y=\"%.2f\">%.*f</text>\n", x, axis_y + 18, decimals,
                ms(tick));
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

static void draw_interval(FILE *out, const struct frame *frame,
                          const struct trace_interval *interval, double center, const char *colour)
{
    double left = x_of(frame, interval->start_us), right = x_of(frame, interval->end_us);
    if (interval->state == TRACE_STATE_RUNNING)
        fprintf(out,
                "<rect class=\"run\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%d\" "
                "fill=\"%s\"><title>ran %.3f to %.3f ms</title></rect>\n",
                left, center - BAR_HEIGHT / 2.0, right - left > 0.5 ? right - left : 0.5,
                BAR_HEIGHT, colour, ms(interval->start_us), ms(interval->end_us));
    else if (interval->state == TRACE_STATE_READY)
        fprintf(out,
                "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"" READY_COLOUR
                "\" stroke-width=\"3\"><title>ready %.3f to %.3f ms</title></line>\n",
                left, center, right, center, ms(interval->start_us), ms(interval->end_us));
}

static void draw_row(FILE *out, const struct frame *frame, const struct trace_process *process,
                     size_t row)
{
    double center = ROWS_TOP + (double)row * ROW_HEIGHT + ROW_HEIGHT / 2.0;
    const char *colour = palette[row % PALETTE_SIZE];
    fprintf(out, "<g>\n<text x=\"%d\" y=\"%.2f\" text-anchor=\"end\">", LABEL_WIDTH - 12,
            center + 4);
    write_escaped(out, trace_process_name(process));
    fprintf(out, " (pid %d)</text>\n", process->pid);
    for (size_t i = 0; i < process->interval_count; i++)
        draw_interval(out, frame, &process->intervals[i], center, colour);
    for (size_t i = 0; i < process->mark_count; i++)
        draw_mark(out, &process->marks[i], x_of(frame, process->marks[i].time_us), center);
    fputs("</g>\n", out);
}

static void draw_markers(FILE *out, const struct frame *frame, const struct trace *trace)
{
    for (size_t i = 0; i < trace->marker_count; i++) {
        const struct trace_marker *marker = &trace->markers[i];
        double x = x_of(frame, marker->time_us);
        const char *colour = marker->kind == TRACE_MARKER_DROPPED ? "#d62728" : "#333";
        fprintf(out,
                "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" "
                "stroke-dasharray=\"6,4\"/>\n<text x=\"%.2f\" y=\"%d\" fill=\"%s\">",
                x, ROWS_TOP - 16, x, frame->rows_bottom + 6, colour, x + 3, ROWS_TOP - 20, colour);
        if (marker->kind == TRACE_MARKER_POLICY)
            write_escaped(out, marker->name);
        else if (marker->kind == TRACE_MARKER_DROPPED)
            fprintf(out, "%lld lost", (long long)marker->count);
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
        legend_entry(out, x, y,
                     "<path d=\"M%.2f %.2fm6 -8v16\" stroke=\"#d62728\" "
                     "stroke-dasharray=\"4,3\"/>\n",
                     "events lost");
}

void trace_svg_write(FILE *out, const struct trace *trace, const struct trace_metrics *metrics,
                     const char *title)
{
    struct frame frame = {
        .start_us = trace->start_us == TRACE_TIME_NONE ? 0 : trace->start_us,
        .span_us = trace->end_us > trace->start_us ? trace->end_us - trace->start_us : 1,
        .plot_left = LABEL_WIDTH,
        .plot_width = SVG_WIDTH - LABEL_WIDTH - RIGHT_MARGIN,
        .rows_bottom = ROWS_TOP + (double)(metrics->count > 0 ? metrics->count : 1) * ROW_HEIGHT,
    };
    int height = (int)frame.rows_bottom + AXIS_HEIGHT + LEGEND_HEIGHT;
    fprintf(out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" "
            "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n",
            SVG_WIDTH, height, SVG_WIDTH, height);
    fputs("<title>", out);
    write_escaped(out, title != NULL ? title : "Scheduling timeline");
    fprintf(out, "</title>\n<path d=\"M0 0H%dV%dH0z\" fill=\"#fff\"/>\n", SVG_WIDTH, height);
    draw_title(out, trace, metrics, title);
    draw_axis(out, &frame);
    for (size_t i = 0; i < metrics->count; i++)
        draw_row(out, &frame, metrics->rows[i].process, i);
    if (metrics->count == 0)
        fprintf(out, "<text x=\"%d\" y=\"%d\">no processes selected</text>\n", LABEL_WIDTH,
                ROWS_TOP + ROW_HEIGHT / 2);
    draw_markers(out, &frame, trace);
    draw_legend(out, trace, frame.rows_bottom + AXIS_HEIGHT + LEGEND_HEIGHT / 2.0);
    fputs("</svg>\n", out);
}
