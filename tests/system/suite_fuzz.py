"""suite_fuzz.py — a short seeded run of the in-guest system-call fuzzer.

`fuzz SEED CALLS WORKERS` (user/programs/fuzz/) throws calls with hostile
arguments at the kernel from several workers, replaces the ones that die,
and then checks the kernel still runs programs and that free frames and
kernel-heap bytes are back where they started. make check runs a few
thousand calls; `make fuzz` runs a million. The fuzzer's usage errors are
checked too. OSTEP ch. 6 (the kernel must not trust user code).
"""
import re

from system_tests import boot_to_shell
from qemu import Qemu, TestFailure

RESULT = r"fuzz: (ok|FAILED)[^\n]*\n|KERNEL PANIC[^\n]*\n"


def fuzz_lines(vm):
    return "\n".join(line for line in vm.output.splitlines() if line.startswith("fuzz:"))


def test_fuzz_short_seeded_run(context):
    """4000 calls across 4 workers: no panic, no hang, nothing leaked, the
    kernel still runs programs, and workers really died and were replaced."""
    with Qemu(swap="64M") as vm:  # a swap disk, as make run has: the swap calls do work
        vm.expect(r"\$ ", timeout=30)
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


def test_fuzz_under_memory_pressure(context):
    """With 24 user frames and a swap disk, pages go out and come back during
    the calls themselves; a copy to user memory then sleeps. procstat once
    walked the process list across such a sleep and touched a freed process
    (a kernel page fault in 4 runs of 4 with this seed)."""
    with Qemu("userframes=24", swap="64M") as vm:
        vm.expect(r"\$ ", timeout=30)
        vm.send("fuzz 5 60000 8\r")
        match = vm.expect(RESULT, timeout=600)
        if not match.group(0).startswith("fuzz: ok"):
            raise TestFailure("fuzz run failed:\n" + fuzz_lines(vm) + "\n" + vm.tail())
        vm.expect(r"\$ ")
        vm.send("vmstat\r")
        stats = vm.expect(r"\n +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) ")
        if int(stats.group(2)) == 0 or int(stats.group(5)) == 0:
            raise TestFailure("no page went out and came back:\n" + vm.tail())


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
    test_fuzz_under_memory_pressure,
    test_fuzz_rejects_bad_arguments,
]
