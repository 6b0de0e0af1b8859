"""grade_switch.py — tests of the switch lab: the context switch.

Nothing runs without context_switch.asm and a new process's made-up first
context, so every test boots the kernel: reaching the shell at all, running
commands (fork + exec + wait switch many times), the spinner demo (time
sharing: the timer preempts, the dispatcher switches), and the in-guest
proctest, whose cases are graded one by one. A kernel that hangs at boot
fails the first test after its timeout and the rest at once.
OSTEP ch. 6 (Limited Direct Execution: the context switch).
"""
from lab_grade import TestFailure, boot_to_shell, guest_cases, run_command, system_test, test

import system_tests  # tests/system/system_tests.py (on the path through lab_grade): reused


@test(15, "boots to the shell: init and sh got the CPU")
def boots(ctx):
    with boot_to_shell():
        pass


@test(10, "runs commands: fork, exec and wait switch back and forth")
def runs_commands(ctx):
    with boot_to_shell() as vm:
        for word in ("first", "second", "third"):
            if word not in run_command(vm, f"echo {word}"):
                raise TestFailure(f"`echo {word}` printed nothing:\n" + vm.tail())


@test(25, "the spinner demo: four processes share the CPU, the shell answers")
def spinners(ctx):
    system_test(system_tests.test_spinners_interleave)


guest_cases("proctest", "proctest", {
    "exit status 42 reaches the parent": 5,
    "exec passes argv intact": 5,
    "then blocking wait reaps": 5,
    "an orphan is adopted by init (pid 1)": 5,
    "kill of a spinning process": 5,
    "pipe keeps 20,000 bytes in order": 5,
    "read blocks until the writer writes": 5,
    "sleep 100 ms wakes after >= 100 ms": 5,
    "syscall with NT set returns safely": 5,
    "no frame leaked across all cases": 5,
})
