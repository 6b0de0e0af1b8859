"""suite_fidelity.py — Prism's schedulers against the numbers OSTEP prints.

Each book figure is a workload in user/etc/ (one book second = 10 ms, so
a figure runs in about a second); each test boots Prism under the policies
the book uses for that figure, runs the workload with the trace on, reads
every job's turnaround and response from trace_report --csv and compares
them with the book's: within one tick (10 ms at the default 100 Hz) for
deterministic policies, within a stated statistical bound for lottery.
QEMU runs with -icount (compare_sched.ICOUNT): the guest's clock counts
instructions, so the host's load cannot stretch a job's CPU time.
Also: the workload program's messages for bad input.
OSTEP ch. 7 (Figures 7.1-7.7), ch. 8 (MLFQ examples), ch. 9 (lottery, stride).
"""
import os
import subprocess
import sys
import tempfile

from qemu import Qemu, TestFailure
from system_tests import boot_to_shell

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from compare_sched import ICOUNT, workload_kargs  # noqa: E402

TICK_MS = 10.0  # one tick at the default hz=100: the tolerance for deterministic policies


def run_traced(workload, policy, kargs=""):
    """Boots with the workload's own !kargs, runs it traced; the trace's path."""
    trace = os.path.join(tempfile.mkdtemp(prefix="prism-fidelity-"), "trace.log")
    own = workload_kargs(os.path.join(ROOT, "user", "etc", f"{workload}.wl"))
    arguments = " ".join(part for part in (f"sched={policy} trace=1", own, kargs) if part)
    with Qemu(arguments, extra=("-debugcon", f"file:{trace}") + ICOUNT) as vm:
        vm.expect(r"\$ ", timeout=60)
        vm.send(f"workload {workload}\r")
        vm.expect(r"workload: done in \d+ ms \(trace events dropped: 0\)", timeout=240)
        if "arrivals are late" in vm.output:
            raise TestFailure(f"{workload} under {policy}: setup overran the start")
    return trace


def trace_events(trace, kind):
    """(time_ms, {key: value}) of every `kind` event in a raw trace."""
    events = []
    with open(trace) as handle:
        for line in handle:
            words = line.split()
            if len(words) >= 2 and words[1] == kind and words[0].isdigit():
                events.append((int(words[0]) / 1000.0,
                               dict(word.split("=", 1) for word in words[2:] if "=" in word)))
    return events


def origin_ms(trace):
    """The workload's time zero: its first arrival."""
    return trace_events(trace, "arrive")[0][0]


def level_changes(trace, pid, since_ms):
    """[(ms since the start, level)] of one job's MLFQ level changes after
    since_ms (a report of the level it already had, as at its arrival, is no
    change)."""
    start, changes, level = origin_ms(trace), [], None
    for time, fields in trace_events(trace, "param"):
        if fields.get("pid") != str(pid) or fields.get("name") != "level":
            continue
        previous, level = level, int(fields["value"])
        if level != previous and time - start >= since_ms:
            changes.append((round(time - start, 3), level))
    return changes


def job_rows(context, trace):
    """trace_report --csv's rows by job name, times as floats (ms)."""
    if not context.trace_report:
        raise TestFailure("no trace_report tool given")
    result = subprocess.run([context.trace_report, "--csv", trace], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise TestFailure("trace_report failed: " + result.stderr)
    lines = result.stdout.strip().splitlines()
    header = lines[0].split(",")
    rows = {}
    for line in lines[1:]:
        row = dict(zip(header, line.split(",")))
        rows[row["name"]] = {key: float(value) if value else None for key, value in row.items()
                             if key != "name"}
    return rows


def check_figure(context, workload, policy, book, scale_ms, tick_ms=TICK_MS):
    """book: {job: (turnaround, response)} in the book's units; every job's
    measured value must be within one tick of book * scale_ms."""
    trace = run_traced(workload, policy)
    rows = job_rows(context, trace)
    if set(rows) != set(book):
        raise TestFailure(f"{workload} under {policy}: jobs {sorted(rows)}, wanted {sorted(book)}")
    problems = []
    for job, (turnaround, response) in book.items():
        for what, wanted in (("turnaround", turnaround), ("response", response)):
            got = rows[job][f"{what}_ms"]
            if got is None or abs(got - wanted * scale_ms) > tick_ms:
                problems.append(f"{job} {what} {got} ms, book {wanted} s = {wanted * scale_ms} ms")
    if problems:
        raise TestFailure(f"{workload} under {policy}: " + "; ".join(problems))
    return rows, trace


def run_command(vm, command, pattern, timeout=30):
    """Types one command, waits for `pattern` in its output and the next prompt."""
    start = len(vm.output)
    vm.send(command + "\r")
    match = vm.expect(pattern, timeout=timeout)
    vm.expect(r"\$ ", timeout=timeout)
    return match, vm.output[start:]


def test_workload_bad_input_messages(context):
    """A missing file says where to look; a binary or non-workload file is
    refused with the reason; a bad line is FILE:LINE: what; nothing runs."""
    with boot_to_shell() as vm:
        run_command(vm, "workload nosuch",
                    r"workload: no workload file nosuch \(nor /etc/nosuch\.wl\)\s+"
                    r"workload: the shipped workloads are:.* convoy\.wl")
        run_command(vm, "workload /bin/sh",
                    r"workload: /bin/sh: not a workload file \(it holds binary data\)")
        run_command(vm, "workload motd", r"/etc/motd:1: job 'Welcome': arrival 'to' is not")
        run_command(vm, "workload convoy nonsense", r"usage: workload FILE")
        run_command(vm, "expect 1 0", r"expect: refused: an expected run time is 1 to")
        run_command(vm, "expect 1 -5", r"expect: refused: an expected run time is 1 to")
        run_command(vm, "expect 1 soon", r"expect: 'soon' is not a whole number of ms")
        run_command(vm, "tickets 1 0", r"tickets: ")
        run_command(vm, "sched sjf", r"sjf: non-preemptive, shortest expected run time first")
        run_command(vm, "expect 1 250 ; ps", r"expect 250")
        if "jobs from" in vm.output:
            raise TestFailure("a bad workload started jobs:\n" + vm.tail())


# ---- OSTEP ch. 7: one book second = 10 ms (rr.wl: 100 ms) ---------------

def test_figure_7_1_fifo_equal_jobs(context):
    """Fig. 7.1: A, B, C of 10 s at once; FIFO turnaround 10/20/30 (avg 20)."""
    book = {"A": (10, 0), "B": (20, 10), "C": (30, 20)}
    for policy in ("fifo", "sjf"):
        check_figure(context, "equal", policy, book, 10.0)


def test_figure_7_2_convoy_fifo_and_7_3_sjf(context):
    """Fig. 7.2: FIFO with A = 100 s first: avg turnaround 110; Fig. 7.3: SJF 50."""
    check_figure(context, "convoy", "fifo", {"A": (100, 0), "B": (110, 100), "C": (120, 110)},
                 10.0)
    check_figure(context, "convoy", "sjf", {"A": (120, 20), "B": (10, 0), "C": (20, 10)}, 10.0)


def test_figure_7_4_sjf_and_7_5_stcf_late_arrivals(context):
    """Fig. 7.4: B, C arrive at 10 s behind A: SJF avg 103.33; Fig. 7.5: STCF avg 50."""
    check_figure(context, "late", "sjf", {"A": (100, 0), "B": (100, 90), "C": (110, 100)}, 10.0)
    check_figure(context, "late", "stcf", {"A": (120, 0), "B": (10, 0), "C": (20, 10)}, 10.0)


def test_figure_7_6_sjf_and_7_7_rr_response(context):
    """Fig. 7.6/7.7: 5 s jobs; SJF response avg 5, RR (1 s slice) avg 1 and
    turnaround 13/14/15 (one book second = 100 ms: the default quantum)."""
    check_figure(context, "rr", "sjf", {"A": (5, 0), "B": (10, 5), "C": (15, 10)}, 100.0)
    check_figure(context, "rr", "rr", {"A": (13, 0), "B": (14, 1), "C": (15, 2)}, 100.0)


# ---- OSTEP ch. 8: the book's own ms, 1 ms ticks (hz=1000), mlfq.py -n 3 -q 10 -a 1

MLFQ_TICK_MS = 1.0


def near(got, wanted, tolerance=MLFQ_TICK_MS):
    return abs(got - wanted) <= tolerance


def test_figure_8_2_long_job_sinks(context):
    """Fig. 8.2: a long job runs 10 ms at each level and stays at the bottom;
    the trace shows each level change at its time."""
    rows, trace = check_figure(context, "mlfq-long", "mlfq", {"A": (200, 0)}, 1.0, MLFQ_TICK_MS)
    changes = [(t, level) for t, level in level_changes(trace, int(rows["A"]["pid"]), 0.5)]
    if [level for _, level in changes] != [1, 2] or not (
            near(changes[0][0], 10) and near(changes[1][0], 20)):
        raise TestFailure(f"levels of A (ms, level): {changes}; the book: (10, 1), (20, 2)")


def test_figure_8_3_short_job_arrives(context):
    """Fig. 8.3: B (20 ms) arrives at 100 ms while A is at the bottom: B runs at
    once and is done at 120 (turnaround 20, response 0); A ends at 220."""
    check_figure(context, "mlfq-short", "mlfq", {"A": (220, 0), "B": (20, 0)}, 1.0, MLFQ_TICK_MS)


def test_figure_8_5_boost_from_run_start(context):
    """Fig. 8.5: boosts every 50 ms counted from the run's start (mlfq.py -B 50):
    at 50, 100 and 150 ms the long job A is back at level 0."""
    rows = job_rows(context, trace := run_traced("mlfq-boost", "mlfq"))
    start = origin_ms(trace)
    boosts = [round(time - start, 3) for time, _ in trace_events(trace, "boost") if time > start]
    wanted = [50.0 * k for k in range(1, 1 + int(rows["A"]["completion_ms"] // 50))]
    if len(boosts) != len(wanted) or not all(near(b, w) for b, w in zip(boosts, wanted)):
        raise TestFailure(f"boosts at {boosts} ms, wanted {wanted}")
    tops = [t for t, level in level_changes(trace, int(rows["A"]["pid"]), 1) if level == 0]
    if not all(any(near(t, w) for t in tops) for w in wanted):
        raise TestFailure(f"A back at level 0 at {tops} ms, wanted at {wanted}")


def test_figure_8_4_interactive_job_stays_on_top(context):
    """Fig. 8.4 (mlfq.py -S, the book's older rule 4b): B runs 1 ms, waits 9 ms
    for I/O, 15 times, beside the batch job A. Each I/O resets B's allotment,
    so B never leaves level 0 and runs the moment it wakes: turnaround 15 ms
    of CPU + 14 waits of 9 ms = 141 ms, response 0. Without io_stays (rule 4)
    its bursts add up to its 10 ms allotment and it drops a level."""
    trace = run_traced("mlfq-io", "mlfq")
    rows = job_rows(context, trace)
    b = int(rows["B"]["pid"])
    levels = [level for _, level in level_changes(trace, b, 0)]
    if any(level != 0 for level in levels):
        raise TestFailure(f"B's levels with io_stays: {levels}; wanted level 0 throughout")
    for what, wanted in (("turnaround", 141), ("response", 0)):
        got = rows["B"][f"{what}_ms"]
        if got is None or abs(got - wanted) > MLFQ_TICK_MS:
            raise TestFailure(f"B {what} {got} ms, book {wanted} ms")
    trace = run_traced("mlfq-io", "mlfq", "mlfq_io_stays=0")
    levels = [level for _, level in level_changes(trace, int(job_rows(context, trace)["B"]["pid"]), 0)]
    if not any(level > 0 for level in levels):
        raise TestFailure(f"B's levels under rule 4 (io_stays=0): {levels}; wanted a demotion")


def test_figure_8_6_gaming_does_not_pay(context):
    """Fig. 8.6: G gives up the CPU just before each 10 ms slice ends, yet it
    drops a level for every 10 ms it runs (rule 4) and ends at the bottom."""
    rows = job_rows(context, trace := run_traced("mlfq-game", "mlfq"))
    levels = [level for _, level in level_changes(trace, int(rows["G"]["pid"]), 0)]
    if levels[:2] != [1, 2] or levels[-1] != 2:
        raise TestFailure(f"G's levels after it arrived: {levels}; wanted 1, 2 and to stay at 2")
    if rows["A"]["cpu_share"] < 0.5:
        raise TestFailure(f"A got only {rows['A']['cpu_share']:.0%}: the gamer won")


# ---- OSTEP ch. 9 -----------------------------------------------------------

def test_lottery_75_25(context):
    """9.1-9.2: 75:25 tickets over 300 slices of 10 ms: A's share is binomial,
    mean 75%, standard deviation 2.5%; accepted within 4 deviations (65-85%,
    a fair lottery fails that about once in 16,000 runs). The kernel ends the
    run at 3 s even under FIFO, which gives A everything."""
    rows = job_rows(context, run_traced("lottery", "lottery"))
    share = rows["A"]["cpu_share"]
    if not 0.65 <= share <= 0.85:
        raise TestFailure(f"lottery: A got {share:.1%} of the CPU, wanted 65%-85%")
    rows = job_rows(context, run_traced("lottery", "fifo"))
    ended = max(row["completion_ms"] or 1e9 for row in rows.values())
    if ended > 3000 + TICK_MS:
        raise TestFailure(f"fifo: the 3 s deadline ended the jobs at {ended} ms")


def test_stride_100_50_250(context):
    """Fig. 9.3: tickets 100:50:250 give A 2, B 1 and C 5 of every 8 slices:
    over 800 ms of 10 ms slices, runs of 200, 100 and 500 ms (one tick each)."""
    rows = job_rows(context, run_traced("stride", "stride"))
    for job, wanted in (("A", 200), ("B", 100), ("C", 500)):
        got = rows[job]["run_ms"]
        if abs(got - wanted) > TICK_MS:
            raise TestFailure(f"stride: {job} ran {got} ms, book {wanted} ms")


ALL_TESTS = [
    test_workload_bad_input_messages,
    test_figure_7_1_fifo_equal_jobs,
    test_figure_7_2_convoy_fifo_and_7_3_sjf,
    test_figure_7_4_sjf_and_7_5_stcf_late_arrivals,
    test_figure_7_6_sjf_and_7_7_rr_response,
    test_figure_8_2_long_job_sinks,
    test_figure_8_3_short_job_arrives,
    test_figure_8_5_boost_from_run_start,
    test_figure_8_4_interactive_job_stays_on_top,
    test_figure_8_6_gaming_does_not_pay,
    test_lottery_75_25,
    test_stride_100_50_250,
]
