"""grade_syscall.py — tests of the syscall lab: getpinfo and pinfo.

pinfotest (user/programs/pinfotest.c) runs once in the guest; each of its
cases is one graded test here, so a getpinfo that gets the pointer checks
right but the counts wrong still earns the pointer points. The pinfo program
is checked by typing it at the shell.
OSTEP ch. 5-6 (system calls; checking user pointers).
"""
import re

from lab_grade import TestFailure, boot_to_shell, run_command, test

_pinfotest = {}


def pinfotest_output():
    """pinfotest's lines, from one boot shared by every case below."""
    if "output" not in _pinfotest:
        _pinfotest["output"] = None
        with boot_to_shell() as vm:
            _pinfotest["output"] = run_command(vm, "pinfotest", timeout=120)
    if _pinfotest["output"] is None:
        raise TestFailure("pinfotest did not run to its summary (see the first case)")
    return _pinfotest["output"]


def pinfotest_case(points, case):
    @test(points, f"getpinfo: {case}")
    def run(ctx):
        output = pinfotest_output()
        match = re.search(rf"pinfotest: {re.escape(case)} +(ok|FAILED)", output)
        if not match:
            raise TestFailure(f"case '{case}' did not run; pinfotest printed:\n{output[-2000:]}")
        if match.group(1) != "ok":
            raise TestFailure(f"case '{case}' FAILED")


for points, case in [
        (10, "lists init, the shell and itself"),
        (5, "the caller is RUNNING, scheduled, named"),
        (5, "init and the shell are BLOCKED"),
        (5, "ticks count the CPU time used"),
        (10, "a child that yields 10 times is scheduled 11+"),
        (5, "a reaped child is gone"),
        (5, "max 1 fills exactly one entry"),
        (5, "max 0 fills nothing"),
        (5, "NULL array: -EFAULT"),
        (5, "kernel array: -EFAULT"),
        (5, "read-only (text) array: -EFAULT"),
        (5, "array running off the heap: -EFAULT"),
        (3, "negative max: -EINVAL"),
        (2, "absurd max: -EINVAL"),
        (5, "non-canonical array: -EFAULT"),
]:
    pinfotest_case(points, case)


@test(20, "pinfo: prints a header and one line per process")
def pinfo_prints_table(ctx):
    with boot_to_shell() as vm:
        output = run_command(vm, "pinfo")
        if not re.search(r"PID +STATE +TICKS +SCHEDULED +NAME", output):
            raise TestFailure(f"no header line in:\n{output}")
        for pattern in (r"(?m)^ +1 +BLOCKED +\d+ +\d+ +init$", r"(?m)^ +2 +BLOCKED +\d+ +\d+ +sh$",
                        r"(?m)^ +\d+ +RUNNING +\d+ +[1-9]\d* +pinfo$"):
            if not re.search(pattern, output):
                raise TestFailure(f"no line matching /{pattern}/ in:\n{output}")
        if vm.process.poll() is not None or "KERNEL PANIC" in vm.output:
            raise TestFailure("the kernel died:\n" + vm.tail())
