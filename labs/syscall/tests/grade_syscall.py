"""grade_syscall.py — tests of the syscall lab: getpinfo and pinfo.

pinfotest (user/programs/pinfotest.c) runs once in the guest; each of its
cases is one graded test here, so a getpinfo that gets the pointer checks
right but the counts wrong still earns the pointer points. The pinfo program
is checked by typing it at the shell.
OSTEP ch. 5-6 (system calls; checking user pointers).
"""
import re

from lab_grade import TestFailure, boot_to_shell, guest_cases, run_command, test

guest_cases("getpinfo", "pinfotest", {
    "lists init, the shell and itself": 10,
    "the caller is RUNNING, scheduled, named": 5,
    "init and the shell are BLOCKED": 5,
    "ticks count the CPU time used": 5,
    "a child that yields 10 times is scheduled 11+": 10,
    "a reaped child is gone": 5,
    "max 1 fills exactly one entry": 5,
    "max 0 fills nothing": 5,
    "NULL array: -EFAULT": 5,
    "kernel array: -EFAULT": 5,
    "read-only (text) array: -EFAULT": 5,
    "array running off the heap: -EFAULT": 5,
    "negative max: -EINVAL": 3,
    "absurd max: -EINVAL": 2,
    "non-canonical array: -EFAULT": 5,
})


@test(15, "pinfo: prints a header and one line per process")
def pinfo_prints_table(ctx):
    with boot_to_shell() as vm:
        output = run_command(vm, "pinfo")
        if not re.search(r"PID +STATE +TICKS +SCHEDULED +NAME", output):
            raise TestFailure(f"no header line in:\n{output}")
        for pattern in (r"(?m)^ +1 +BLOCKED +\d+ +\d+ +init$", r"(?m)^ +2 +BLOCKED +\d+ +\d+ +sh$",
                        r"(?m)^ +\d+ +RUNNING +\d+ +[1-9]\d* +pinfo$"):
            if not re.search(pattern, output):
                raise TestFailure(f"no line matching /{pattern}/ in:\n{output}")


@test(5, "pinfo in a container group: only its members, pids from 1")
def pinfo_inside_a_group(ctx):
    with boot_to_shell() as vm:
        output = run_command(vm, "group run pinfo")
        rows = [line for line in output.splitlines() if re.match(r"^ +\d+ +[A-Z]+ ", line)]
        if len(rows) != 1 or not re.match(r"^ +1 +RUNNING +\d+ +\d+ +pinfo$", rows[0]):
            raise TestFailure("inside `group run`, pinfo must list only itself, as pid 1 "
                              f"(group_can_see, group_pid_of):\n{output}")
