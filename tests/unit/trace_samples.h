/*
 * trace_samples.h — small scheduling traces whose metrics were worked out by hand.
 *
 * Shared by the trace tests (test_trace_analysis.c checks the numbers,
 * test_trace_output.c the pictures and tables drawn from them). Each trace's
 * comment holds the expected metrics, computed on paper the way OSTEP ch. 7
 * does for FIFO and RR. String macros, so a test that skips one costs nothing.
 */
#ifndef PRISM_TESTS_UNIT_TRACE_SAMPLES_H
#define PRISM_TESTS_UNIT_TRACE_SAMPLES_H

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "tools/trace_analysis.h"
#include "tools/trace_metrics.h"

#define MS 1000 /* microseconds */

/* FIFO, all arrive at 0, lengths 10/20/30 ms. Turnaround 10, 30, 60 (avg 33.33);
 * response = waiting = 0, 10, 30; shares 1/6, 2/6, 3/6. */
#define FIFO_TRACE                                                                                 \
    "# prism-trace 1 hz=100 policy=fifo\n"                                                         \
    "0 fork pid=3 parent=1 name=sh\n0 name pid=3 name=A\n"                                         \
    "0 fork pid=4 parent=1 name=sh\n0 name pid=4 name=B\n"                                         \
    "0 fork pid=5 parent=1 name=sh\n0 name pid=5 name=C\n"                                         \
    "0 switch from=0 to=3 why=start\n"                                                             \
    "10000 exit pid=3 status=0\n10000 switch from=3 to=4 why=exit\n"                               \
    "30000 exit pid=4 status=0\n30000 switch from=4 to=5 why=exit\n"                               \
    "60000 exit pid=5 status=0\n60000 switch from=5 to=0 why=exit\n"

/* RR, 5 ms slices: A 0-5, B 5-10, A 10-15, B 15-20 (exits), A 20-25, 25-30 (a
 * switch to itself splits the slice). A: turnaround 30, response 0, waiting 10,
 * run 20 in 4 intervals; B: turnaround 20, response 5, waiting 10, run 10.
 * While both were alive (0-20) each ran 10 ms: Jain 1.0 (whole runs would give 0.9). */
#define RR_TRACE                                                                                   \
    "# prism-trace 1 hz=200 policy=rr\n"                                                           \
    "0 fork pid=3 parent=1 name=sh\n0 name pid=3 name=A\n"                                         \
    "0 fork pid=4 parent=1 name=sh\n0 name pid=4 name=B\n"                                         \
    "0 switch from=0 to=3 why=start\n"                                                             \
    "5000 switch from=3 to=4 why=preempt\n"                                                        \
    "10000 switch from=4 to=3 why=preempt\n"                                                       \
    "15000 switch from=3 to=4 why=preempt\n"                                                       \
    "20000 exit pid=4 status=0\n20000 switch from=4 to=3 why=exit\n"                               \
    "25000 switch from=3 to=3 why=preempt\n"                                                       \
    "30000 exit pid=3 status=0\n30000 switch from=3 to=0 why=exit\n"

/* io runs 0-10, blocked 10-20, ready 20-30, runs 30-40: run 20, blocked 10,
 * waiting 10, turnaround 40. cpu: ready 0-10, runs 10-30, ready 30-40, runs
 * 40-50: run 30, waiting 20, blocked 0, turnaround 50, response 10. */
#define BLOCK_TRACE                                                                                \
    "# prism-trace 1 hz=100 policy=rr\n"                                                           \
    "0 fork pid=3 parent=1 name=sh\n0 name pid=3 name=io\n"                                        \
    "0 fork pid=4 parent=1 name=sh\n0 name pid=4 name=cpu\n"                                       \
    "0 switch from=0 to=3 why=start\n"                                                             \
    "10000 block pid=3\n10000 switch from=3 to=4 why=block\n"                                      \
    "20000 wake pid=3\n30000 switch from=4 to=3 why=preempt\n"                                     \
    "40000 exit pid=3 status=0\n40000 switch from=3 to=4 why=exit\n"                               \
    "50000 exit pid=4 status=0\n50000 switch from=4 to=0 why=exit\n"

/* `forever` never exits; an unknown event at 35 ms ends the trace. forever:
 * waiting 10, run 25, no completion; only `done` counts in average turnaround. */
#define ALIVE_TRACE                                                                                \
    "# prism-trace 1 policy=rr\n"                                                                  \
    "0 fork pid=3 parent=1 name=sh\n0 name pid=3 name=done\n"                                      \
    "0 fork pid=4 parent=1 name=sh\n0 name pid=4 name=forever\n"                                   \
    "0 switch from=0 to=3 why=start\n"                                                             \
    "10000 exit pid=3 status=0\n10000 switch from=3 to=4 why=exit\n"                               \
    "35000 tick cpu=0\n"

/* rr, then mlfq at 15 ms (said twice: one change), then stride from a repeated
 * header at 25 ms whose clock did not go back (no restart). */
#define POLICY_TRACE                                                                               \
    "# prism-trace 1 policy=rr\n0 switch from=0 to=3 why=start\n"                                  \
    "15000 policy name=mlfq\n18000 policy name=mlfq\n# prism-trace 1 policy=stride\n"              \
    "25000 switch from=3 to=0 why=block\n"

/* A workload under MLFQ: the runner (pid 3) forks the jobs, which name
 * themselves and go to sleep until their arrivals (setup, not measured;
 * long also sets its expected run time then, before time zero).
 * long arrives at 10 ms (time zero), is demoted to level 1 at 20 ms and
 * boosted back at 40 ms; short arrives at 30 ms, runs 0.2 ms and exits.
 * long: arrival 0, response 0, turnaround 40, run 39.8, waiting 0.2;
 * short: arrival 20, response 0, turnaround 0.2. Average turnaround 20.1. */
#define WORKLOAD_TRACE                                                                             \
    "# prism-trace 1 hz=100 policy=mlfq\n"                                                         \
    "0 fork pid=3 parent=1 name=workload\n0 switch from=0 to=3 why=start\n"                        \
    "1000 fork pid=4 parent=3 name=workload\n1000 fork pid=5 parent=3 name=workload\n"             \
    "1000 block pid=3\n1000 switch from=3 to=4 why=block\n1000 name pid=4 name=long\n"             \
    "1500 param pid=4 name=expected value=100\n"                                                   \
    "2000 block pid=4\n2000 switch from=4 to=5 why=block\n2000 name pid=5 name=short\n"            \
    "3000 block pid=5\n3000 switch from=5 to=0 why=block\n"                                        \
    "10000 arrive pid=4\n10000 switch from=0 to=4 why=start\n"                                     \
    "20000 param pid=4 name=level value=1\n"                                                       \
    "30000 arrive pid=5\n30000 switch from=4 to=5 why=preempt\n"                                   \
    "30200 exit pid=5 status=0\n30200 switch from=5 to=4 why=exit\n"                               \
    "40000 boost\n40000 param pid=4 name=level value=0\n"                                          \
    "50000 exit pid=4 status=0\n50000 switch from=4 to=0 why=exit\n"

/* A runs from 0; at 10 ms the kernel lost 7 events, among them the switches
 * away from A, so the next switch (from B, which never ran) must take A off
 * the CPU: A ran 0-20 and waited 20-30, C ran 20-30. */
#define DROPPED_TRACE                                                                              \
    "# prism-trace 1 policy=rr\n0 fork pid=3 parent=1 name=sh\n0 name pid=3 name=A\n"              \
    "0 fork pid=4 parent=1 name=sh\n0 name pid=4 name=B\n"                                         \
    "0 fork pid=5 parent=1 name=sh\n0 name pid=5 name=C\n0 switch from=0 to=3 why=start\n"         \
    "10000 dropped count=7\n20000 switch from=4 to=5 why=preempt\n"                                \
    "30000 exit pid=5 status=0\n"

/* A VM (pid 5) and a spinner (pid 6) under RR. Stretch 1: vmenter 1 ms to
 * vmexit 11 ms, 8 ms guest + 1 ms handling, 41 exits. Stretch 2 lost its
 * vmenter, so it is taken to start 2 + 6 ms before its vmexit at 31 ms:
 * 23-31 ms. The VM ran 0-11 and 21-31 = 21 ms: guest 10, exits 7, host 4;
 * 441 exits, 7000/441 = 15.87 us each. */
#define VM_TRACE                                                                                   \
    "# prism-trace 1 hz=100 policy=rr\n"                                                           \
    "0 fork pid=5 parent=2 name=vm\n0 fork pid=6 parent=2 name=cpu\n"                              \
    "0 switch from=0 to=5 why=start\n1000 vmenter pid=5\n"                                         \
    "11000 vmexit pid=5 reason=intr exits=41 guest_us=8000 handle_us=1000\n"                       \
    "11000 switch from=5 to=6 why=preempt\n21000 switch from=6 to=5 why=preempt\n"                 \
    "31000 vmexit pid=5 reason=hlt exits=400 guest_us=2000 handle_us=6000\n"                       \
    "31000 switch from=5 to=6 why=block\n40000 vmend pid=5 end=0 exits=441\n"                      \
    "40000 exit pid=5 status=0\n"

/* The fixture both trace test programs share: one trace and its metrics,
 * rebuilt from a sample text by load(). (Each test program is its own
 * executable, so these statics exist once per program.) */
static struct trace trace;
static struct trace_metrics metrics;

static void load(const char *text)
{
    trace_free(&trace);
    trace_metrics_free(&metrics);
    trace_read_text(&trace, text, "test", NULL);
    trace_select(&trace, NULL);
    trace_compute_metrics(&trace, &metrics);
}

static void setup(void)
{
    trace_init(&trace);
    memset(&metrics, 0, sizeof metrics);
}

static void teardown(void)
{
    trace_metrics_free(&metrics);
    trace_free(&trace);
}

/* How often needle occurs in text (overlapping matches count). */
static size_t count_of(const char *text, const char *needle)
{
    size_t count = 0;
    for (const char *at = strstr(text, needle); at != NULL; at = strstr(at + 1, needle))
        count++;
    return count;
}

/* Runs a writer (an expression using FILE *out) into a string; the caller frees it. */
#define CAPTURE(buffer, call)                                                                      \
    do {                                                                                           \
        size_t capture_size;                                                                       \
        FILE *out = open_memstream(&(buffer), &capture_size);                                      \
        ck_assert_ptr_nonnull(out);                                                                \
        call;                                                                                      \
        fclose(out);                                                                               \
    } while (0)

#endif
