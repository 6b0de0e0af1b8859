/*
 * trace_report.c — host tool: a Prism scheduling trace in, pictures and numbers out.
 *
 *   trace_report [options] TRACE
 *     --svg FILE  timeline picture        --text      terminal timeline
 *     --table     metrics table (default) --csv       the table as CSV
 *     --title T   picture title           --width N   timeline columns (72)
 *     --all       every process, idle too --pids L    only these pids (3,4,5)
 *   trace_report [--all|--pids L] --compare OUT.md [--stack OUT.svg] TRACE...
 *     one Markdown row per trace (policy, averages, Jain's index), also printed;
 *     --stack also draws every trace's timeline stacked on one time axis.
 * Reads what the kernel streams to build/trace.log; OSTEP ch. 7-9's homework.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/trace_svg.h"
#include "tools/trace_text.h"

#define PIDS_MAX 256
#define EXIT_USAGE 2

struct options {
    const char *svg_path, *title, *compare_path, *stack_path;
    bool text, table, csv;
    int width;
    int pids[PIDS_MAX];
    struct trace_selection selection;
};

static void usage(FILE *out)
{
    fputs("usage: trace_report [--svg FILE] [--text] [--table] [--csv] [--title TEXT]\n"
          "                    [--all | --pids 3,4,5] [--width N] TRACE\n"
          "       trace_report [--all | --pids LIST] --compare OUT.md [--stack OUT.svg] TRACE...\n"
          "Turns a Prism scheduling trace (build/trace.log) into a timeline and the metrics\n"
          "of OSTEP ch. 7-9. Without --svg, --text or --csv it prints the metrics table.\n",
          out);
}

static bool parse_pids(const char *text, struct options *options)
{
    size_t count = 0;
    while (*text != '\0') {
        char *end;
        errno = 0;
        long pid = strtol(text, &end, 10);
        if (end == text || pid < 0 || pid > 1 << 30 || errno != 0 || count == PIDS_MAX ||
            (*end != ',' && *end != '\0'))
            return false;
        options->pids[count++] = (int)pid;
        text = *end == ',' ? end + 1 : end;
    }
    options->selection.pids = options->pids;
    options->selection.pid_count = count;
    return count > 0;
}

/* Returns the index of the first trace argument, or -1 after a usage error. */
static int parse_options(int argc, char **argv, struct options *options)
{
    static const struct option long_options[] = {
        {"svg", required_argument, NULL, 's'},     {"text", no_argument, NULL, 'x'},
        {"table", no_argument, NULL, 't'},         {"csv", no_argument, NULL, 'c'},
        {"title", required_argument, NULL, 'T'},   {"all", no_argument, NULL, 'a'},
        {"pids", required_argument, NULL, 'p'},    {"width", required_argument, NULL, 'w'},
        {"compare", required_argument, NULL, 'C'}, {"stack", required_argument, NULL, 'S'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    int option;
    while ((option = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
        switch (option) {
        case 's':
            options->svg_path = optarg;
            break;
        case 'x':
            options->text = true;
            break;
        case 't':
            options->table = true;
            break;
        case 'c':
            options->csv = true;
            break;
        case 'T':
            options->title = optarg;
            break;
        case 'a':
            options->selection.all = true;
            break;
        case 'C':
            options->compare_path = optarg;
            break;
        case 'S':
            options->stack_path = optarg;
            break;
        case 'p':
            if (!parse_pids(optarg, options)) {
                fprintf(stderr, "trace_report: --pids wants numbers like 3,4,5, not '%s'\n",
                        optarg);
                return -1;
            }
            break;
        case 'w':
            options->width = atoi(optarg);
            if (options->width < 10 || options->width > 1000) {
                fputs("trace_report: --width wants 10 to 1000 columns\n", stderr);
                return -1;
            }
            break;
        case 'h':
            usage(stdout);
            exit(0);
        default:
            return -1;
        }
    }
    if (options->stack_path != NULL && options->compare_path == NULL) {
        fputs("trace_report: --stack goes with --compare\n", stderr);
        return -1;
    }
    int traces = argc - optind;
    if (traces < 1 || (options->compare_path == NULL && traces != 1)) {
        fputs(traces < 1 ? "trace_report: no trace file given\n"
                         : "trace_report: one trace at a time, or use --compare\n",
              stderr);
        return -1;
    }
    return optind;
}

/* Reads and replays one trace, reporting what had to be skipped or guessed. */
static bool load_trace(const char *path, struct trace *trace)
{
    FILE *input = fopen(path, "r");
    if (input == NULL) {
        fprintf(stderr, "trace_report: cannot read %s: %s\n", path, strerror(errno));
        return false;
    }
    trace_read_file(trace, input, path, stderr);
    fclose(input);
    size_t skipped = trace->malformed_count + trace->out_of_order_count;
    if (skipped > 0)
        fprintf(stderr, "%s: %zu of %zu lines skipped\n", path, skipped, trace->line_count);
    if (trace->dropped_events > 0)
        fprintf(stderr,
                "%s: the kernel dropped %lld events (its ring buffer overflowed); "
                "times next to those marks are guesses\n",
                path, (long long)trace->dropped_events);
    if (trace->event_count == 0)
        fprintf(stderr, "%s: no events\n", path);
    return true;
}

static bool write_svg(const struct options *options, const struct trace *trace,
                      const struct trace_metrics *metrics)
{
    FILE *out = fopen(options->svg_path, "w");
    if (out == NULL) {
        fprintf(stderr, "trace_report: cannot write %s: %s\n", options->svg_path, strerror(errno));
        return false;
    }
    trace_svg_write(out, trace, metrics, options->title);
    if (fclose(out) != 0) {
        fprintf(stderr, "trace_report: writing %s failed\n", options->svg_path);
        return false;
    }
    fprintf(stderr, "trace_report: wrote %s (%zu processes)\n", options->svg_path, metrics->count);
    return true;
}

static int report(const struct options *options, const char *path)
{
    struct trace trace;
    trace_init(&trace);
    if (!load_trace(path, &trace))
        return 1;
    if (trace_select(&trace, &options->selection) == 0)
        fprintf(stderr, "%s: no process matches the selection\n", path);
    struct trace_metrics metrics;
    trace_compute_metrics(&trace, &metrics);
    bool table = options->table || (!options->svg_path && !options->text && !options->csv);
    int status = 0;
    if (options->svg_path != NULL && !write_svg(options, &trace, &metrics))
        status = 1;
    if (options->text || table) {
        char policy[256];
        trace_describe_policy(&trace, policy, sizeof policy);
        printf("%s: policy %s, %zu process%s, %.2f to %.2f ms\n\n", path, policy, metrics.count,
               metrics.count == 1 ? "" : "es", trace.start_us < 0 ? 0.0 : trace.start_us / 1000.0,
               trace.end_us < 0 ? 0.0 : trace.end_us / 1000.0);
    }
    if (options->text)
        trace_text_timeline(stdout, &trace, &metrics, options->width);
    if (options->text && table)
        putchar('\n');
    if (table) {
        trace_text_table(stdout, &metrics);
        trace_text_vm_table(stdout, &metrics);
    }
    if (options->csv)
        trace_text_csv(stdout, &metrics);
    trace_metrics_free(&metrics);
    trace_free(&trace);
    return status;
}

/* Every trace's timeline in one picture, one band per trace, labelled by policy. */
static bool write_stack(const struct options *options, const struct trace_comparison *rows,
                        size_t count)
{
    struct trace_svg_band *bands = calloc(count, sizeof *bands);
    char(*labels)[256] = calloc(count, sizeof *labels);
    if (bands == NULL || labels == NULL)
        abort();
    for (size_t i = 0; i < count; i++) {
        trace_describe_policy(rows[i].trace, labels[i], sizeof labels[i]);
        bands[i] = (struct trace_svg_band){labels[i], rows[i].trace, rows[i].metrics};
    }
    FILE *out = fopen(options->stack_path, "w");
    bool written = out != NULL;
    if (out != NULL) {
        trace_svg_write_stack(out, bands, count, options->title);
        written = fclose(out) == 0;
    }
    if (written)
        fprintf(stderr, "trace_report: wrote %s (%zu traces)\n", options->stack_path, count);
    else
        fprintf(stderr, "trace_report: cannot write %s\n", options->stack_path);
    free(bands);
    free(labels);
    return written;
}

static int compare(const struct options *options, char **paths, size_t count)
{
    struct trace *traces = calloc(count, sizeof *traces);
    struct trace_metrics *metrics = calloc(count, sizeof *metrics);
    struct trace_comparison *rows = calloc(count, sizeof *rows);
    if (traces == NULL || metrics == NULL || rows == NULL)
        abort();
    int status = 0;
    size_t loaded = 0;
    for (size_t i = 0; i < count; i++) {
        trace_init(&traces[loaded]);
        if (!load_trace(paths[i], &traces[loaded])) {
            status = 1;
            continue;
        }
        trace_select(&traces[loaded], &options->selection);
        trace_compute_metrics(&traces[loaded], &metrics[loaded]);
        rows[loaded] = (struct trace_comparison){paths[i], &traces[loaded], &metrics[loaded]};
        loaded++;
    }
    FILE *out = fopen(options->compare_path, "w");
    bool written = out != NULL;
    if (out != NULL) {
        trace_text_comparison(out, rows, loaded);
        written = fclose(out) == 0;
    }
    if (!written) {
        fprintf(stderr, "trace_report: cannot write %s\n", options->compare_path);
        status = 1;
    }
    trace_text_comparison(stdout, rows, loaded);
    if (options->stack_path != NULL && loaded > 0 && !write_stack(options, rows, loaded))
        status = 1;
    for (size_t i = 0; i < loaded; i++) {
        trace_metrics_free(&metrics[i]);
        trace_free(&traces[i]);
    }
    free(traces);
    free(metrics);
    free(rows);
    return status;
}

int main(int argc, char **argv)
{
    struct options options = {.width = 72};
    int first = parse_options(argc, argv, &options);
    if (first < 0) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (options.compare_path != NULL)
        return compare(&options, argv + first, (size_t)(argc - first));
    return report(&options, argv[first]);
}
