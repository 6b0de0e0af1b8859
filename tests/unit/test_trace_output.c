/*
 * test_trace_output.c — host tests for the pictures and tables of a trace.
 *
 * Checks that tools/trace_svg.c draws one box per running interval in
 * well-formed, self-contained SVG, and that tools/trace_text.c's terminal
 * timeline, table, CSV and Markdown comparison show the hand-computed numbers
 * of the traces in trace_samples.h, character for character where it matters.
 * OSTEP ch. 7-9 (scheduling timelines).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/trace_samples.h"
#include "tools/trace_svg.h"
#include "tools/trace_text.h"

START_TEST(test_svg_output)
{
    load(RR_TRACE);
    char *svg;
    CAPTURE(svg, trace_svg_write(out, &trace, &metrics, "RR <demo> & more"));
    size_t running = 0;
    for (size_t i = 0; i < metrics.count; i++)
        for (size_t j = 0; j < metrics.rows[i].process->interval_count; j++)
            running += metrics.rows[i].process->intervals[j].state == TRACE_STATE_RUNNING;
    ck_assert_uint_eq(running, 6);
    ck_assert_uint_eq(count_of(svg, "<rect"), running);
    ck_assert_uint_eq(count_of(svg, "<rect class=\"run\""), running);
    ck_assert_uint_eq(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39), 0);
    ck_assert_str_eq(svg + strlen(svg) - 7, "</svg>\n");
    ck_assert_uint_eq(count_of(svg, "<text"), count_of(svg, "</text>"));
    ck_assert_uint_eq(count_of(svg, "<g>") + count_of(svg, "<g "), count_of(svg, "</g>"));
    ck_assert_uint_eq(count_of(svg, "<title>exited at"), 2);
    ck_assert_ptr_nonnull(strstr(svg, "RR &lt;demo&gt; &amp; more"));
    ck_assert_ptr_null(strstr(svg, "<demo>"));
    ck_assert_ptr_nonnull(strstr(svg, ">B</text>"));
    ck_assert_ptr_null(strstr(svg, "http://www.w3.org/1999/xlink")); /* nothing external */
    free(svg);
}
END_TEST

START_TEST(test_svg_marks_policy_changes_and_losses)
{
    char *svg;
    load(POLICY_TRACE);
    CAPTURE(svg, trace_svg_write(out, &trace, &metrics, NULL));
    ck_assert_ptr_nonnull(strstr(svg, ">mlfq</text>"));
    ck_assert_ptr_nonnull(strstr(svg, ">stride</text>"));
    ck_assert_uint_eq(count_of(svg, "stroke-dasharray=\"6,4\""), 2);
    ck_assert_ptr_nonnull(strstr(svg, "policy rr -&gt; mlfq -&gt; stride"));
    free(svg);
    load(DROPPED_TRACE);
    CAPTURE(svg, trace_svg_write(out, &trace, &metrics, NULL));
    ck_assert_ptr_nonnull(strstr(svg, ">7 lost</text>"));
    ck_assert_ptr_nonnull(strstr(svg, ">events lost</text>")); /* its legend entry */
    free(svg);
}
END_TEST

START_TEST(test_text_timeline)
{
    load(FIFO_TRACE); /* 60 columns over 60 ms: one column per ms */
    char *text;
    CAPTURE(text, trace_text_timeline(out, &trace, &metrics, 60));
    ck_assert_ptr_nonnull(strstr(text, "A AAAAAAAAAA|"
                                       "                                 "
                                       "                \n"));
    ck_assert_ptr_nonnull(strstr(text, "B ..........BBBBBBBBBBBBBBBBBBBB|"));
    ck_assert_ptr_nonnull(strstr(text, "C ..............................CCCCCCCCCCCCCCC"
                                       "CCCCCCCCCCCCCC|\n"));
    ck_assert_ptr_nonnull(strstr(text, "  0         10        20        30"));
    free(text);
    load(BLOCK_TRACE); /* 50 columns over 50 ms */
    CAPTURE(text, trace_text_timeline(out, &trace, &metrics, 50));
    ck_assert_ptr_nonnull(strstr(text, "io  iiiiiiiiii          ..........iiiiiiiiii|"));
    ck_assert_ptr_nonnull(strstr(text, "cpu ..........cccccccccccccccccccc..........ccccc"));
    free(text);
}
END_TEST

START_TEST(test_table_and_csv)
{
    load(ALIVE_TRACE);
    char *table;
    CAPTURE(table, trace_text_table(out, &metrics));
    const char *line = strstr(table, "\nforever");
    ck_assert_ptr_nonnull(line);
    char name[16], arrival[16], first[16], completion[16], turnaround[16];
    ck_assert_int_eq(
        sscanf(line, " %15s %*s %15s %15s %15s %15s", name, arrival, first, completion, turnaround),
        5);
    ck_assert_str_eq(first, "10.00");
    ck_assert_str_eq(completion, "-");
    ck_assert_str_eq(turnaround, "-");
    ck_assert_ptr_nonnull(strstr(table, "\naverage"));
    ck_assert_ptr_nonnull(strstr(table, "Jain's fairness index: 0.500"));
    free(table);
    char *csv;
    CAPTURE(csv, trace_text_csv(out, &metrics));
    ck_assert_uint_eq(count_of(csv, "\n"), 3);
    ck_assert_ptr_nonnull(
        strstr(csv, "\nforever,4,0.000,10.000,,,10.000,10.000,0.000,25.000,0.7143,0\n"));
    free(csv);
    load(FIFO_TRACE);
    CAPTURE(table, trace_text_table(out, &metrics));
    ck_assert_ptr_nonnull(strstr(table, "33.33"));
    free(table);
}
END_TEST

START_TEST(test_comparison_has_one_row_per_trace)
{
    const char *texts[] = {FIFO_TRACE, RR_TRACE, BLOCK_TRACE};
    const char *labels[] = {"fifo.log", "rr.log", "block.log"};
    struct trace traces[3];
    struct trace_metrics all_metrics[3];
    struct trace_comparison rows[3];
    for (int i = 0; i < 3; i++) {
        trace_init(&traces[i]);
        trace_read_text(&traces[i], texts[i], labels[i], NULL);
        trace_select(&traces[i], NULL);
        trace_compute_metrics(&traces[i], &all_metrics[i]);
        rows[i] = (struct trace_comparison){labels[i], &traces[i], &all_metrics[i]};
    }
    char *markdown;
    CAPTURE(markdown, trace_text_comparison(out, rows, 3));
    ck_assert_uint_eq(count_of(markdown, "\n"), 2 + 3);
    ck_assert_uint_eq(count_of(markdown, "\n| "), 3);
    ck_assert_ptr_nonnull(
        strstr(markdown, "\n| fifo.log | fifo | 3 | 33.33 | 13.33 | 13.33 | 0.333 |\n"));
    ck_assert_ptr_nonnull(
        strstr(markdown, "\n| rr.log | rr | 2 | 25.00 | 2.50 | 10.00 | 1.000 |\n"));
    free(markdown);
    for (int i = 0; i < 3; i++) {
        trace_metrics_free(&all_metrics[i]);
        trace_free(&traces[i]);
    }
}
END_TEST

START_TEST(test_workload_timeline_shows_levels_and_short_jobs)
{
    load(WORKLOAD_TRACE); /* 40 columns over 40 ms from the first arrival */
    char *text;
    CAPTURE(text, trace_text_timeline(out, &trace, &metrics, 40));
    ck_assert_ptr_nonnull(strstr(text, "long  lllllllllllllllllllllllllllllllllllllll|\n"));
    ck_assert_ptr_nonnull(strstr(text, "\nshort                     s|"));
    ck_assert_ptr_nonnull(strstr(text, "\nlevel           111111111111111111110000000000\n"));
    ck_assert_ptr_nonnull(strstr(text, "MLFQ boosts (every job to level 0) at 30.0 ms"));
    ck_assert_ptr_nonnull(strstr(text, "expected 100 from the start")); /* set in setup */
    ck_assert_ptr_null(strstr(text, "workload")); /* the runner is not a job */
    free(text);
    char *svg;
    CAPTURE(svg, trace_svg_write(out, &trace, &metrics, NULL));
    ck_assert_ptr_nonnull(strstr(svg, ">L1<title>level = 1 from 10.000 ms"));
    ck_assert_ptr_nonnull(strstr(svg, "expected = 100 from 0.000 ms"));
    ck_assert_ptr_null(strstr(svg, "from -"));
    ck_assert_ptr_nonnull(strstr(svg, ">boost</text>"));
    ck_assert_ptr_nonnull(strstr(svg, ">long</text>"));
    ck_assert_ptr_nonnull(strstr(svg, "fill-opacity=\"0.78\"")); /* a level-1 slice, paler */
    free(svg);
}
END_TEST

START_TEST(test_duplicate_names_get_pids_and_stack_has_every_band)
{
    const char *text = "# prism-trace 1 policy=rr\n"
                       "0 fork pid=3 parent=1 name=sh\n0 name pid=3 name=cpu\n"
                       "0 fork pid=4 parent=1 name=sh\n0 name pid=4 name=cpu\n"
                       "0 switch from=0 to=3 why=start\n5000 switch from=3 to=4 why=preempt\n"
                       "9000 exit pid=4 status=0\n9000 switch from=4 to=0 why=exit\n";
    load(text);
    char label[64];
    trace_row_label(&metrics, 1, label, sizeof label);
    ck_assert_str_eq(label, "cpu (pid 4)");
    struct trace other;
    struct trace_metrics other_metrics;
    trace_init(&other);
    trace_read_text(&other, WORKLOAD_TRACE, "workload", NULL);
    trace_select(&other, NULL);
    trace_compute_metrics(&other, &other_metrics);
    struct trace_svg_band bands[] = {{"rr", &trace, &metrics}, {"mlfq", &other, &other_metrics}};
    char *svg;
    CAPTURE(svg, trace_svg_write_stack(out, bands, 2, "two policies"));
    ck_assert_ptr_nonnull(strstr(svg, ">rr</text>"));
    ck_assert_ptr_nonnull(strstr(svg, ">mlfq</text>"));
    ck_assert_uint_eq(count_of(svg, "<rect class=\"run\""), 2 + 3);
    ck_assert_uint_eq(count_of(svg, "<text"), count_of(svg, "</text>"));
    ck_assert_uint_eq(count_of(svg, "<g>") + count_of(svg, "<g "), count_of(svg, "</g>"));
    free(svg);
    trace_metrics_free(&other_metrics);
    trace_free(&other);
}
END_TEST

START_TEST(test_vm_split_in_every_output)
{
    load(VM_TRACE);
    char *text;
    CAPTURE(text, trace_text_timeline(out, &trace, &metrics, 40));
    /* 1 ms a column: host 0-1, guest 1-11, host 21-23, exits 23-31 (trace_samples.h). */
    ck_assert_ptr_nonnull(strstr(text, "\n vm hgggggggggg          hhxxxxxxxx         \n"));
    ck_assert_ptr_nonnull(strstr(text, "vm row: g = mostly in the guest"));
    free(text);
    CAPTURE(text, trace_text_table(out, &metrics); trace_text_vm_table(out, &metrics));
    ck_assert_ptr_nonnull(strstr(text, "Virtual machines"));
    ck_assert_ptr_nonnull(
        strstr(text, "\nvm                   5      21.00      10.00       7.00       4.00      441"
                     "     15.87\n"));
    ck_assert_uint_eq(count_of(text, "\ncpu "), 1); /* the spinner is no VM */
    free(text);
    char *svg;
    CAPTURE(svg, trace_svg_write(out, &trace, &metrics, NULL));
    ck_assert_uint_eq(count_of(svg, "<rect class=\"guest\""), 2);
    ck_assert_uint_eq(count_of(svg, "<rect class=\"exits\""), 2);
    ck_assert_uint_eq(count_of(svg, "<pattern id=\"guest\""), 1);
    ck_assert_ptr_nonnull(strstr(svg, "guest 8.000 ms of 1.000 to 11.000 ms (41 exits"));
    ck_assert_ptr_nonnull(strstr(svg, ">VM exits</text>"));
    free(svg);
    load(RR_TRACE); /* no VM: no VM table, no pattern */
    CAPTURE(text, trace_text_vm_table(out, &metrics));
    ck_assert_str_eq(text, "");
    free(text);
    CAPTURE(svg, trace_svg_write(out, &trace, &metrics, NULL));
    ck_assert_ptr_null(strstr(svg, "pattern"));
    free(svg);
}
END_TEST

static Suite *trace_output_suite(void)
{
    Suite *suite = suite_create("trace_output");
    TCase *output = tcase_create("output");
    tcase_add_checked_fixture(output, setup, teardown);
    tcase_add_test(output, test_svg_output);
    tcase_add_test(output, test_svg_marks_policy_changes_and_losses);
    tcase_add_test(output, test_text_timeline);
    tcase_add_test(output, test_table_and_csv);
    tcase_add_test(output, test_comparison_has_one_row_per_trace);
    tcase_add_test(output, test_workload_timeline_shows_levels_and_short_jobs);
    tcase_add_test(output, test_duplicate_names_get_pids_and_stack_has_every_band);
    tcase_add_test(output, test_vm_split_in_every_output);
    suite_add_tcase(suite, output);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(trace_output_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
