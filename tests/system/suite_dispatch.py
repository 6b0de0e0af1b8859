"""suite_dispatch.py — the dispatcher's ownership of run queues, from the shell.

Issue 13, defect 1: one `nice` or `tickets` command hung the kernel, because
sys_setparam and the policy's set_param both re-queued the process. These
tests type the issue's exact reproductions and then check that the system
still answers, and run the in-guest `schedtest` (setparam on a RUNNING,
READY, BLOCKED and ZOMBIE process under every policy). A kernel panic or a
hang (a wait that times out) fails them.
OSTEP ch. 7-9 (policies and their parameters).
"""
from qemu import Qemu, TestFailure
from system_tests import letter_lines

PROMPT = r"\$ "


def no_panic(vm):
    if "KERNEL PANIC" in vm.output:
        raise TestFailure("the kernel panicked; console:\n" + vm.tail())


def test_nice_on_a_spinner_under_prio(context):
    """`cpu A 3 &`, `nice PID 5` under prio, `wait`, then any command works."""
    with Qemu("sched=prio") as vm:
        vm.expect(PROMPT, timeout=30)
        vm.send("cpu A 3 &\r")
        pid = vm.expect(r"\[(\d+)\]").group(1)
        vm.expect(PROMPT)
        vm.send(f"nice {pid} 5\r")
        vm.expect(PROMPT, timeout=30)
        vm.send("wait\r")
        vm.expect(PROMPT, timeout=60)
        vm.send("echo still-alive\r")
        vm.expect(r"(?m)^(?:\$ )?still-alive$", timeout=30)
        letters = letter_lines(vm.output)
        if letters.count("A") != 3:
            raise TestFailure(f"the spinner printed A {letters.count('A')} times, not 3")
        no_panic(vm)


def test_tickets_on_a_running_spinner_under_lottery(context):
    """`tickets PID 10` on a spinner under lottery: it keeps printing and the
    shell keeps echoing."""
    with Qemu("sched=lottery") as vm:
        vm.expect(PROMPT, timeout=30)
        vm.send("cpu A &\r")
        pid = vm.expect(r"\[(\d+)\]").group(1)
        vm.expect(r"(?m)^(?:\$ )?A$", timeout=30)
        vm.send(f"tickets {pid} 10\r")
        vm.expect(PROMPT, timeout=30)
        for _ in range(2):
            vm.expect(r"(?m)^(?:\$ )?A$", timeout=30)
        vm.send("echo shell-echoes\r")
        vm.expect(r"(?m)^(?:\$ )?shell-echoes$", timeout=30)
        vm.send(f"kill {pid}\r")
        vm.expect(PROMPT, timeout=30)
        vm.send("wait\r")  # reports the background job's end
        vm.expect(rf"\[{pid}\] killed by signal 15", timeout=30)
        no_panic(vm)


def test_schedtest_in_guest(context):
    """setparam on every process state under every policy, in the guest."""
    with Qemu("") as vm:
        vm.expect(PROMPT, timeout=30)
        vm.send("schedtest\r")
        match = vm.expect(r"schedtest: (\d+) passed, (\d+) failed|KERNEL PANIC", timeout=240)
        no_panic(vm)
        if match.group(2) != "0" or int(match.group(1)) < 80:
            failures = [l for l in vm.output.splitlines() if "FAILED" in l]
            raise TestFailure(f"{match.group(0)}:\n" + "\n".join(failures))
        vm.expect(PROMPT)
        vm.send("sched\r")
        vm.expect(r"(?m)^(?:\$ )?rr: ", timeout=30)
        vm.send("echo still-alive\r")
        vm.expect(r"(?m)^(?:\$ )?still-alive$", timeout=30)
        no_panic(vm)


ALL_TESTS = [
    test_nice_on_a_spinner_under_prio,
    test_tickets_on_a_running_spinner_under_lottery,
    test_schedtest_in_guest,
]
