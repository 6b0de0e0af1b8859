/*
 * test_trace_analysis.c — host tests for reading a scheduling trace and its metrics.
 *
 * Checks tools/trace_format.c (the tolerance rules: unknown events and keys
 * ignored, malformed lines skipped and counted), tools/trace_analysis.c (the
 * replay: blocks, wakes, lost events, restarts, reused pids) and
 * tools/trace_metrics.c (turnaround, response, waiting, shares, Jain's index)
 * against traces whose numbers were worked out by hand (trace_samples.h).
 * OSTEP ch. 7-9 (turnaround, response, fairness).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/trace_samples.h"
#include "tools/trace_vm.h"
#include "tools/trace_metrics.h"

static const struct trace_process_metrics *row(const char *name)
{
    for (size_t i = 0; i < metrics.count; i++)
        if (strcmp(metrics.rows[i].process->name, name) == 0)
            return &metrics.rows[i];
    ck_abort_msg("no row for %s", name);
    return NULL;
}

static const struct trace_process_metrics *row_of_pid(int pid)
{
    for (size_t i = 0; i < metrics.count; i++)
        if (metrics.rows[i].process->pid == pid)
            return &metrics.rows[i];
    ck_abort_msg("no row for pid %d", pid);
    return NULL;
}

START_TEST(test_parse_fields)
{
    struct trace_event event;
    ck_assert_int_eq(trace_parse_line("1500 switch from=3 to=4 why=block\n", &event),
                     TRACE_LINE_EVENT);
    ck_assert_int_eq(event.kind, TRACE_EVENT_SWITCH);
    ck_assert_int_eq(event.time_us, 1500);
    ck_assert_int_eq(event.pid, 3);
    ck_assert_int_eq(event.other_pid, 4);
    ck_assert_int_eq(event.reason, TRACE_SWITCH_BLOCK);
    ck_assert_int_eq(trace_parse_line("7 switch from=3 to=4 why=migrate", &event),
                     TRACE_LINE_EVENT);
    ck_assert_int_eq(event.reason, TRACE_SWITCH_OTHER);
    ck_assert_int_eq(trace_parse_line("9 exit pid=5 status=-2", &event), TRACE_LINE_EVENT);
    ck_assert_int_eq(event.value, -2);
    ck_assert_int_eq(trace_parse_line("# prism-trace 1 hz=250 policy=mlfq", &event),
                     TRACE_LINE_EVENT);
    ck_assert_int_eq(event.kind, TRACE_EVENT_HEADER);
    ck_assert_int_eq(event.hz, 250);
    ck_assert_str_eq(event.name, "mlfq");
    ck_assert_int_eq(trace_parse_line("# just a comment", &event), TRACE_LINE_BLANK);
    ck_assert_int_eq(trace_parse_line("", &event), TRACE_LINE_BLANK);
}
END_TEST

START_TEST(test_parse_ignores_what_is_unknown)
{
    struct trace_event event;
    ck_assert_int_eq(trace_parse_line("42 page_fault pid=3 address=4096", &event),
                     TRACE_LINE_EVENT);
    ck_assert_int_eq(event.kind, TRACE_EVENT_UNKNOWN);
    ck_assert_int_eq(event.time_us, 42);
    ck_assert_int_eq(trace_parse_line("43 block cpu=1 pid=8 level=2", &event), TRACE_LINE_EVENT);
    ck_assert_int_eq(event.kind, TRACE_EVENT_BLOCK);
    ck_assert_int_eq(event.pid, 8);
    ck_assert_int_eq(
        trace_parse_line("44 name pid=3 name=a_name_longer_than_the_limit_of_31", &event),
        TRACE_LINE_EVENT);
    ck_assert_str_eq(event.name, "a_name_longer_than_the_limit_of"); /* 31 characters */
}
END_TEST

START_TEST(test_parse_rejects_malformed)
{
    static const char *const lines[] = {
        "garbage",
        "abc block pid=3",
        "-5 block pid=3",
        "10",
        "10 block",
        "10 block pid=x",
        "10 block pid=-1",
        "10 block pid=3 stray",
        "10 fork pid=3 parent=1",
        "10 exit pid=3",
        "10 exit pid=3 status=1x",
        "10 switch from=1 to=2",
        "10 name pid=3 name=",
        "10 dropped count=-1",
        "99999999999999999999 block pid=1",
        "# prism-trace one",
    };
    struct trace_event event;
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        ck_assert_msg(trace_parse_line(lines[i], &event) == TRACE_LINE_MALFORMED, "accepted \"%s\"",
                      lines[i]);
}
END_TEST

START_TEST(test_fifo_metrics)
{
    load(FIFO_TRACE);
    ck_assert_uint_eq(metrics.count, 3);
    const char *names[] = {"A", "B", "C"};
    int64_t turnaround[] = {10, 30, 60}, response[] = {0, 10, 30};
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(row(names[i])->turnaround_us, turnaround[i] * MS);
        ck_assert_int_eq(row(names[i])->response_us, response[i] * MS);
        ck_assert_int_eq(row(names[i])->waiting_us, response[i] * MS);
        ck_assert_int_eq(row(names[i])->run_us, (i + 1) * 10 * MS);
    }
    ck_assert_double_eq_tol(metrics.turnaround.value_us / MS, 33.333, 0.001);
    ck_assert_double_eq_tol(metrics.response.value_us / MS, 13.333, 0.001);
    ck_assert_double_eq_tol(row("C")->cpu_share, 0.5, 1e-9);
    /* Only A ran while all three were alive (0-10 ms). */
    ck_assert(metrics.jain_over_window);
    ck_assert_double_eq_tol(metrics.jain_index, 1.0 / 3.0, 1e-9);
}
END_TEST

START_TEST(test_round_robin_metrics)
{
    load(RR_TRACE);
    ck_assert_int_eq(row("A")->turnaround_us, 30 * MS);
    ck_assert_int_eq(row("B")->turnaround_us, 20 * MS);
    ck_assert_int_eq(row("A")->response_us, 0);
    ck_assert_int_eq(row("B")->response_us, 5 * MS);
    ck_assert_int_eq(row("A")->waiting_us, 10 * MS);
    ck_assert_int_eq(row("B")->waiting_us, 10 * MS);
    ck_assert_int_eq(row("A")->run_us, 20 * MS);
    ck_assert_uint_eq(row("A")->process->interval_count, 4 + 2); /* 4 running, 2 ready */
    ck_assert_double_eq_tol(row("A")->cpu_share, 2.0 / 3.0, 1e-9);
    ck_assert_int_eq(metrics.window_end_us, 20 * MS);
    ck_assert_double_eq_tol(metrics.jain_index, 1.0, 1e-9);
}
END_TEST

static void assert_block_metrics(void)
{
    ck_assert_int_eq(row("io")->run_us, 20 * MS);
    ck_assert_int_eq(row("io")->blocked_us, 10 * MS);
    ck_assert_int_eq(row("io")->waiting_us, 10 * MS);
    ck_assert_int_eq(row("io")->turnaround_us, 40 * MS);
    ck_assert_int_eq(row("cpu")->run_us, 30 * MS);
    ck_assert_int_eq(row("cpu")->waiting_us, 20 * MS);
    ck_assert_int_eq(row("cpu")->blocked_us, 0);
    ck_assert_int_eq(row("cpu")->response_us, 10 * MS);
    const struct trace_process *io = row("io")->process;
    ck_assert_uint_eq(io->mark_count, 3);
    ck_assert_int_eq(io->marks[0].kind, TRACE_MARK_BLOCK);
    ck_assert_int_eq(io->marks[1].kind, TRACE_MARK_WAKE);
    ck_assert_int_eq(io->marks[1].time_us, 20 * MS);
    ck_assert_int_eq(io->marks[2].kind, TRACE_MARK_EXIT);
}

START_TEST(test_block_and_wake)
{
    load(BLOCK_TRACE);
    assert_block_metrics();
}
END_TEST

START_TEST(test_block_after_its_switch)
{
    /* The kernel may log the switch before the block: same intervals, one block mark. */
    char *swapped = strdup(BLOCK_TRACE);
    char *at = strstr(swapped, "10000 block pid=3\n10000 switch from=3 to=4 why=block\n");
    ck_assert_ptr_nonnull(at);
    memcpy(at, "10000 switch from=3 to=4 why=block\n10000 block pid=3\n", 53);
    load(swapped);
    free(swapped);
    assert_block_metrics();
}
END_TEST

START_TEST(test_switch_alone_tells_the_state)
{
    /* The stream starts mid-run and has no block event: the switch's `why` and
     * the first sighting must do. pid 3: blocked 1-3, ready 3-4, runs 4-6 ms. */
    load("1000 switch from=3 to=4 why=block\n3000 wake pid=3\n"
         "4000 switch from=4 to=3 why=preempt\n6000 exit pid=3 status=0\n");
    ck_assert_int_eq(row_of_pid(3)->arrival_us, 1 * MS);
    ck_assert_int_eq(row_of_pid(3)->blocked_us, 2 * MS);
    ck_assert_int_eq(row_of_pid(3)->waiting_us, 1 * MS);
    ck_assert_int_eq(row_of_pid(3)->run_us, 2 * MS);
    ck_assert_int_eq(row_of_pid(3)->process->marks[0].kind, TRACE_MARK_BLOCK);
}
END_TEST

START_TEST(test_alive_at_end)
{
    load(ALIVE_TRACE);
    ck_assert_int_eq(trace.end_us, 35 * MS); /* an unknown event still moves the clock */
    ck_assert_int_eq(row("forever")->completion_us, TRACE_TIME_NONE);
    ck_assert_int_eq(row("forever")->turnaround_us, TRACE_TIME_NONE);
    ck_assert_int_eq(row("forever")->run_us, 25 * MS);
    ck_assert_uint_eq(metrics.turnaround.count, 1);
    ck_assert_double_eq_tol(metrics.turnaround.value_us, 10 * MS, 1e-6);
    ck_assert_uint_eq(metrics.response.count, 2);
    ck_assert_double_eq_tol(metrics.jain_index, 0.5, 1e-9); /* 10:0 while both lived */
}
END_TEST

START_TEST(test_policy_changes)
{
    load(POLICY_TRACE);
    char policy[64];
    trace_describe_policy(&trace, policy, sizeof policy);
    ck_assert_str_eq(policy, "rr -> mlfq -> stride");
    ck_assert_uint_eq(trace.marker_count, 2);
    ck_assert_int_eq(trace.markers[0].time_us, 15 * MS);
    ck_assert_int_eq(trace.markers[1].time_us, 25 * MS);
    ck_assert_int_eq(trace.session, 0); /* a header without a clock reset is no restart */
}
END_TEST

START_TEST(test_dropped_events)
{
    load(DROPPED_TRACE);
    ck_assert_int_eq(trace.dropped_events, 7);
    ck_assert_uint_eq(trace.marker_count, 1);
    ck_assert_int_eq(trace.markers[0].kind, TRACE_MARKER_DROPPED);
    ck_assert_int_eq(row("A")->run_us, 20 * MS);
    ck_assert_int_eq(row("A")->waiting_us, 10 * MS);
    ck_assert_int_eq(row("B")->first_run_us, TRACE_TIME_NONE);
    ck_assert_int_eq(row("C")->run_us, 10 * MS);
}
END_TEST

START_TEST(test_malformed_lines_skipped)
{
    char text[2048];
    snprintf(text, sizeof text,
             "# prism-trace 1 hz=100 policy=fifo\n# a comment\ngarbage\n"
             "0 page_fault pid=3 address=4096\n0 block pid=three\n0 switch from=1\n%s",
             FIFO_TRACE + strlen("# prism-trace 1 hz=100 policy=fifo\n"));
    char *warnings;
    CAPTURE(warnings, trace_read_text(&trace, text, "t.log", out));
    trace_select(&trace, NULL);
    trace_compute_metrics(&trace, &metrics);
    ck_assert_uint_eq(trace.malformed_count, 3);
    ck_assert_uint_eq(trace.unknown_count, 1);
    ck_assert_ptr_nonnull(strstr(warnings, "t.log:3: malformed line, skipped: garbage"));
    ck_assert_uint_eq(count_of(warnings, "t.log:"), 3);
    free(warnings);
    ck_assert_double_eq_tol(metrics.turnaround.value_us / MS, 33.333, 0.001);
}
END_TEST

START_TEST(test_time_going_back_skipped)
{
    load("0 switch from=0 to=3 why=start\n10000 name pid=3 name=A\n5000 block pid=3\n"
         "20000 exit pid=3 status=0\n");
    ck_assert_uint_eq(trace.out_of_order_count, 1);
    ck_assert_int_eq(row("A")->blocked_us, 0);
    ck_assert_int_eq(row("A")->run_us, 20 * MS);
}
END_TEST

START_TEST(test_restart_starts_new_lives)
{
    /* The kernel rebooted at 20 ms: pid 3 of the first boot never finished. */
    load("# prism-trace 1 policy=rr\n0 name pid=3 name=A\n0 switch from=0 to=3 why=start\n"
         "10000 switch from=3 to=0 why=preempt\n20000 tick\n"
         "# prism-trace 1 policy=fifo\n0 name pid=3 name=A2\n0 switch from=0 to=3 why=start\n"
         "5000 exit pid=3 status=0\n");
    ck_assert_uint_eq(metrics.count, 2);
    ck_assert_int_eq(row("A")->completion_us, TRACE_TIME_NONE);
    ck_assert_int_eq(row("A")->waiting_us, 10 * MS); /* until the restart, not the end */
    ck_assert_int_eq(row("A2")->arrival_us, 20 * MS);
    ck_assert_int_eq(row("A2")->turnaround_us, 5 * MS);
    ck_assert_int_eq(trace.end_us, 25 * MS);
    ck_assert_int_eq(trace.markers[0].kind, TRACE_MARKER_RESTART);
}
END_TEST

START_TEST(test_selection_rules)
{
    /* No process names itself: those that ran, except idle (pid 0). */
    static const char text[] = "0 switch from=0 to=1 why=start\n0 fork pid=2 parent=1 name=sh\n"
                               "5000 switch from=1 to=3 why=preempt\n"
                               "9000 switch from=3 to=0 why=block\n";
    load(text);
    ck_assert_uint_eq(metrics.count, 2);
    ck_assert_int_eq(metrics.rows[0].process->pid, 1);
    ck_assert_int_eq(metrics.rows[1].process->pid, 3);
    ck_assert_int_eq(metrics.rows[1].arrival_us, 5 * MS); /* first seen, no fork */
    int pids[] = {0, 2};
    ck_assert_uint_eq(trace_select(&trace, &(struct trace_selection){.pids = pids, .pid_count = 2}),
                      2);
    ck_assert(trace.processes[0].selected && !trace.processes[1].selected);
    ck_assert_uint_eq(trace_select(&trace, &(struct trace_selection){.all = true}), 4);
    load(FIFO_TRACE); /* named jobs only: idle ran too but is not one */
    ck_assert_uint_eq(metrics.count, 3);
}
END_TEST

START_TEST(test_pid_reused_after_exit)
{
    load("0 fork pid=3 parent=1 name=sh\n0 name pid=3 name=first\n0 switch from=0 to=3 why=start\n"
         "4000 exit pid=3 status=0\n4000 switch from=3 to=0 why=exit\n"
         "6000 fork pid=3 parent=1 name=sh\n6000 name pid=3 name=second\n"
         "7000 switch from=0 to=3 why=preempt\n9000 exit pid=3 status=1\n");
    ck_assert_uint_eq(metrics.count, 2);
    ck_assert_int_eq(row("first")->turnaround_us, 4 * MS);
    ck_assert_int_eq(row("second")->arrival_us, 6 * MS);
    ck_assert_int_eq(row("second")->response_us, 1 * MS);
    ck_assert_int_eq(row("second")->process->exit_status, 1);
}
END_TEST

START_TEST(test_jain_index)
{
    ck_assert_double_eq_tol(trace_jain_index((double[]){5, 5, 5}, 3), 1.0, 1e-12);
    ck_assert_double_eq_tol(trace_jain_index((double[]){3, 1}, 2), 0.8, 1e-12);
    ck_assert_double_eq_tol(trace_jain_index((double[]){1, 0, 0, 0}, 4), 0.25, 1e-12);
    ck_assert(trace_jain_index((double[]){0, 0}, 2) < 0);
    ck_assert(trace_jain_index(NULL, 0) < 0);
}
END_TEST

START_TEST(test_workload_jobs_measured_from_arrival)
{
    load(WORKLOAD_TRACE);
    ck_assert_uint_eq(metrics.count, 2); /* the jobs only: not the runner, not idle */
    ck_assert_int_eq(trace.origin_us, 10 * MS);
    const struct trace_process_metrics *longer = row_of_pid(4), *shorter = row_of_pid(5);
    ck_assert_int_eq(longer->arrival_us, 0);
    ck_assert_int_eq(longer->response_us, 0);
    ck_assert_int_eq(longer->turnaround_us, 40 * MS);
    ck_assert_int_eq(longer->run_us, 39800);
    ck_assert_int_eq(longer->waiting_us, 200);
    ck_assert_int_eq(longer->blocked_us, 0); /* sleeping until its arrival was setup */
    ck_assert_int_eq(shorter->arrival_us, 20 * MS);
    ck_assert_int_eq(shorter->response_us, 0);
    ck_assert_int_eq(shorter->turnaround_us, 200);
    ck_assert_double_eq_tol(metrics.turnaround.value_us, 20100.0, 0.01);
    int64_t level = -1;
    ck_assert(!trace_param_at(longer->process, "level", 19 * MS, &level));
    ck_assert(trace_param_at(longer->process, "level", 39 * MS, &level));
    ck_assert_int_eq(level, 1);
    ck_assert(trace_param_at(longer->process, "level", 40 * MS, &level));
    ck_assert_int_eq(level, 0);
    size_t boosts = 0;
    for (size_t i = 0; i < trace.marker_count; i++)
        boosts += trace.markers[i].kind == TRACE_MARKER_BOOST;
    ck_assert_uint_eq(boosts, 1);
}
END_TEST

/* Container groups: `group` events put a process in a group (trace_report's
 * csv column); `group_end` is known too, so neither counts as unknown. */
START_TEST(test_vm_stretches)
{
    struct trace_event event;
    ck_assert_int_eq(
        trace_parse_line("7 vmexit pid=5 reason=io exits=3 guest_us=40 handle_us=9", &event),
        TRACE_LINE_EVENT);
    ck_assert_int_eq(event.kind, TRACE_EVENT_VM_EXIT);
    ck_assert_str_eq(event.name, "io");
    ck_assert_int_eq(event.value, 3);
    ck_assert_int_eq(event.guest_us, 40);
    ck_assert_int_eq(event.handle_us, 9);
    ck_assert_int_eq(trace_parse_line("7 vmexit pid=5 reason=io exits=3 guest_us=40", &event),
                     TRACE_LINE_MALFORMED);
    ck_assert_int_eq(
        trace_parse_line("7 vmexit pid=5 reason=io exits=3 guest_us=4x handle_us=1", &event),
        TRACE_LINE_MALFORMED);
    ck_assert_int_eq(
        trace_parse_line("7 vmexit pid=5 reason=io exits=-1 guest_us=4 handle_us=1", &event),
        TRACE_LINE_MALFORMED);

    load(VM_TRACE);
    const struct trace_process *vm = &trace.processes[0], *cpu = &trace.processes[1];
    ck_assert(vm->vm);
    ck_assert(!cpu->vm);
    ck_assert_uint_eq(vm->stretch_count, 2);
    ck_assert_int_eq(vm->stretches[0].start_us, 1 * MS);
    ck_assert_int_eq(vm->stretches[0].end_us, 11 * MS);
    ck_assert_int_eq(vm->stretches[1].start_us, 23 * MS); /* its vmenter was lost */
    ck_assert_int_eq(vm->stretches[1].end_us, 31 * MS);
    ck_assert_int_eq(vm->vm_guest_us, 10 * MS);
    ck_assert_int_eq(vm->vm_handle_us, 7 * MS);
    ck_assert_int_eq(vm->vm_exits, 441);
    ck_assert_int_eq(vm->time_in_state_us[TRACE_STATE_RUNNING], 21 * MS);
    int64_t guest, handle;
    trace_vm_split(vm, 1 * MS, 6 * MS, &guest, &handle); /* half of stretch 1 */
    ck_assert_int_eq(guest, 4 * MS);
    ck_assert_int_eq(handle, 500);
    trace_vm_split(vm, 23 * MS, 27 * MS, &guest, &handle);
    ck_assert_int_eq(guest, 1 * MS);
    ck_assert_int_eq(handle, 3 * MS);
    trace_vm_split(vm, 11 * MS, 23 * MS, &guest, &handle); /* between the stretches */
    ck_assert_int_eq(guest + handle, 0);
    trace_vm_split(vm, 0, 40 * MS, &guest, &handle);
    ck_assert_int_eq(guest, 10 * MS);
    ck_assert_int_eq(handle, 7 * MS);
}
END_TEST

START_TEST(test_group_events)
{
    struct trace_event event;
    ck_assert_int_eq(trace_parse_line("5 group pid=3 group=2 name=box", &event), TRACE_LINE_EVENT);
    ck_assert_int_eq(event.kind, TRACE_EVENT_GROUP);
    ck_assert_int_eq(event.pid, 3);
    ck_assert_int_eq(event.other_pid, 2);
    ck_assert_str_eq(event.name, "box");
    ck_assert_int_eq(trace_parse_line("6 group pid=3 name=box", &event), TRACE_LINE_MALFORMED);
    ck_assert_int_eq(trace_parse_line("7 group_end group=2 name=box", &event), TRACE_LINE_EVENT);
    ck_assert_int_eq(event.kind, TRACE_EVENT_GROUP_END);
    load("# prism-trace 1 hz=100 policy=rr\n"
         "0 fork pid=3 parent=1 name=a\n"
         "0 group pid=3 group=2 name=box\n"
         "0 fork pid=4 parent=1 name=b\n"
         "0 switch from=0 to=3 why=start\n"
         "10000 switch from=3 to=4 why=preempt\n"
         "20000 exit pid=4 status=0\n"
         "20000 switch from=4 to=3 why=exit\n"
         "30000 exit pid=3 status=0\n"
         "30000 switch from=3 to=0 why=exit\n"
         "30000 group_end group=2 name=box\n");
    ck_assert_int_eq(row_of_pid(3)->process->group, 2);
    ck_assert_int_eq(row_of_pid(4)->process->group, 0);
    ck_assert_uint_eq(trace.unknown_count, 0);
    ck_assert_uint_eq(trace.malformed_count, 0);
}
END_TEST

static Suite *trace_suite(void)
{
    Suite *suite = suite_create("trace_analysis");
    TCase *parse = tcase_create("parse");
    tcase_add_test(parse, test_parse_fields);
    tcase_add_test(parse, test_parse_ignores_what_is_unknown);
    tcase_add_test(parse, test_parse_rejects_malformed);
    suite_add_tcase(suite, parse);
    TCase *replay = tcase_create("replay");
    tcase_add_checked_fixture(replay, setup, teardown);
    tcase_add_test(replay, test_fifo_metrics);
    tcase_add_test(replay, test_round_robin_metrics);
    tcase_add_test(replay, test_block_and_wake);
    tcase_add_test(replay, test_block_after_its_switch);
    tcase_add_test(replay, test_switch_alone_tells_the_state);
    tcase_add_test(replay, test_alive_at_end);
    tcase_add_test(replay, test_policy_changes);
    tcase_add_test(replay, test_dropped_events);
    tcase_add_test(replay, test_malformed_lines_skipped);
    tcase_add_test(replay, test_time_going_back_skipped);
    tcase_add_test(replay, test_restart_starts_new_lives);
    tcase_add_test(replay, test_selection_rules);
    tcase_add_test(replay, test_pid_reused_after_exit);
    tcase_add_test(replay, test_jain_index);
    tcase_add_test(replay, test_group_events);
    tcase_add_test(replay, test_vm_stretches);
    tcase_add_test(replay, test_workload_jobs_measured_from_arrival);
    suite_add_tcase(suite, replay);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(trace_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
