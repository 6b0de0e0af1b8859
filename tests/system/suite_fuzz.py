"""suite_fuzz.py — a short seeded run of the in-guest system-call fuzzer.

`fuzz SEED CALLS WORKERS` (user/programs/fuzz.c) throws calls with hostile
arguments at the kernel from several workers, replaces the ones that die,
and then checks the kernel still runs programs and that free frames and
kernel-heap bytes are back where they started. make check runs a few
thousand calls; `make fuzz` runs a million. The fuzzer's usage errors are
checked too. OSTEP ch. 6 (the kernel must not trust user code).
"""
import re

from system_tests import boot_to_shell
from qemu import TestFailure

RESULT = r"fuzz: (ok|FAILED)[^\n]*\n|KERNEL PANIC[^\n]*\n"


def fuzz_lines(vm):
    return "\n".join(line for line in vm.output.splitlines() if line.startswith("fuzz:"))


def test_fuzz_short_seeded_run(context):
    """4000 calls across 4 workers: no panic, no hang, nothing leaked, the
    kernel still runs programs, and workers really died and were replaced."""
    with boot_to_shell() as vm:
        vm.send("fuzz 7 4000 4\r")
        match = vm.expect(RESULT, timeout=300)
        if not match.group(0).startswith("fuzz: ok"):
            raise TestFailure("fuzz run failed:\n" + fuzz_lines(vm) + "\n" + vm.tail())
        summary = re.search(r"fuzz: (\d+) calls made in \d+ ms by (\d+) worker lives, (\d+) ended",
                            vm.output)
        if not summary or summary.group(1) != "4000" or int(summary.group(2)) <= 4 \
                or int(summary.group(3)) == 0:
            raise TestFailure("no respawned workers or calls missing:\n" + fuzz_lines(vm))
        vm.expect(r"\$ ")
        vm.send("echo alive\r")
        vm.expect(r"(?m)^(?:\$ )?alive$")


def test_fuzz_rejects_bad_arguments(context):
    with boot_to_shell() as vm:
        for arguments, complaint in (("x", r"'x' is not a number \(SEED\)"),
                                     ("1 0", r"CALLS 0 is out of range"),
                                     ("1 10 13", r"WORKERS 13 is out of range \(1 to 12\)"),
                                     ("1 2 3 4", r"unexpected argument '4'"),
                                     ("1 5x", r"'5x' is not a number \(CALLS\)")):
            vm.send(f"fuzz {arguments}\r")
            vm.expect(r"fuzz: " + complaint + r".*\(usage: fuzz \[SEED \[CALLS \[WORKERS\]\]\]\)")
            vm.expect(r"\$ ")
        if "fuzz: seed" in vm.output:
            raise TestFailure("fuzz started with bad arguments:\n" + vm.tail())


ALL_TESTS = [
    test_fuzz_short_seeded_run,
    test_fuzz_rejects_bad_arguments,
]
