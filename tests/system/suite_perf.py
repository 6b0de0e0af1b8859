"""suite_perf.py — wait queues and the scaling benchmark, seen from the shell.

waittest kills a process blocked on each kind of wait queue (pipe read, pipe
write, waitpid, tty read, sleep): each wait would last a day or for ever, so
a kill that does not reach the queue hangs the test. `bench --background N`
must start its N blocked processes, print its rows and leave none behind,
and refuse bad arguments in one line with a non-zero status.
OSTEP ch. 30 (condition variables), ch. 6 (measuring).
"""
import re

from system_tests import boot_to_shell
from qemu import TestFailure


def test_kill_reaches_every_wait_queue(context):
    with boot_to_shell() as vm:
        vm.send("waittest\r")
        match = vm.expect(r"waittest: (\d+) passed, (\d+) failed", timeout=120)
        if match.group(2) != "0" or int(match.group(1)) < 8:
            failures = [l for l in vm.output.splitlines() if "FAILED" in l]
            raise TestFailure("in-guest failures:\n" + "\n".join(failures) + vm.tail())
        vm.expect(r"\$ ")


def test_bench_background_rows_and_cleanup(context):
    with boot_to_shell() as vm:
        vm.send("bench --background 40 getpid pipe fork\r")
        vm.expect(r"bench: with 40 background \(BLOCKED, asleep\) and 0 ready", timeout=120)
        for label in ("getpid", "pipe round trip", "fork\\+exit\\+wait"):
            vm.expect(rf"bench: {label}.* +\d+ cycles \(median of \d+\)\n", timeout=120)
        vm.expect(r"\$ ", timeout=60)
        vm.send("ps\r")
        listing = vm.expect(r"\n\$ ").string
        listing = listing[listing.rfind("PID"):]
        if re.search(r"(?m) bench$", listing):
            raise TestFailure("bench left background processes behind:\n" + listing)


def test_bench_bad_arguments(context):
    with boot_to_shell() as vm:
        for command, message in (("bench --background", r"bench: --background needs a count"),
                                 ("bench --ready -3", r"bench: --ready needs a count"),
                                 ("bench --background 9999999", r"bench: --background needs"),
                                 ("bench nosuchrow", r"bench: no row or option nosuchrow")):
            vm.send(command + "\r")
            vm.expect(message)
            vm.expect(r"\$ ")
            vm.send("exit\r")  # the shell exits with the last command's status
            vm.expect(r"init: shell exited \(status 2\)")
            vm.expect(r"\$ ", timeout=30)
        vm.send("bench --ready 2 getpid\r")  # rr, the default, has no priorities
        vm.expect(r"bench: --ready needs priorities; rr has none")
        vm.expect(r"\$ ", timeout=60)
        vm.send("ps\r")
        listing = vm.expect(r"\n\$ ").string
        if re.search(r"(?m) bench$", listing[listing.rfind("PID"):]):
            raise TestFailure("a refused --ready left spinners behind:\n" + vm.tail())


def test_bench_ready_spinners_under_prio(context):
    with boot_to_shell("sched=prio") as vm:
        vm.send("bench --background 5 --ready 5 getpid pipe\r")
        vm.expect(r"bench: with 5 background \(BLOCKED, asleep\) and 5 ready \(spinning\) "
                  r"processes, policy prio", timeout=120)
        vm.expect(r"bench: pipe round trip.* +\d+ cycles", timeout=300)
        vm.expect(r"\$ ", timeout=60)


ALL_TESTS = [
    test_kill_reaches_every_wait_queue,
    test_bench_background_rows_and_cleanup,
    test_bench_bad_arguments,
    test_bench_ready_spinners_under_prio,
]
