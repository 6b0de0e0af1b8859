"""grade_shell.py — tests of the shell lab: fork, exec, wait, &, ; and |.

Every test boots the student's kernel and types at the shell (user/programs/
sh.c), so each is the process API seen from user space: a command runs with
its arguments, the shell waits for it, `;` runs jobs in order, `&` returns
the prompt at once and reports the job when it ends, `wait` waits, `|`
connects commands and ends when the writer does, Ctrl-C ends only the
foreground job.
OSTEP ch. 5 (Interlude: Process API).
"""
import re

from lab_grade import TestFailure, boot_to_shell, expect, run_command, test


def line_in(output, text):
    return re.search(rf"(?m)^(?:\$ )?{re.escape(text)}$", output) is not None


def needs(output, *lines):
    for text in lines:
        if not line_in(output, text):
            raise TestFailure(f"no line '{text}' in:\n{output}")


@test(10, "runs a program with its arguments")
def runs_program(ctx):
    with boot_to_shell() as vm:
        needs(run_command(vm, "echo hello   'big world'"), "hello big world")


@test(5, "reports a program that does not exist")
def not_found(ctx):
    with boot_to_shell() as vm:
        needs(run_command(vm, "nosuchprogram"), "sh: nosuchprogram: not found")
        needs(run_command(vm, "echo still here"), "still here")


@test(10, "waits for the foreground job before the next prompt")
def waits(ctx):
    with boot_to_shell() as vm:
        output = run_command(vm, "cpu W 2", timeout=60)
        if len(re.findall(r"(?m)^(?:\$ )?W$", output)) != 2:
            raise TestFailure(f"the prompt came back before `cpu W 2` ended:\n{output}")


@test(10, "';' runs jobs one after another, in order")
def sequence(ctx):
    with boot_to_shell() as vm:
        output = run_command(vm, "echo one ; cpu T 1 ; echo three", timeout=60)
        needs(output, "one", "T", "three")
        lines = [l.removeprefix("$ ") for l in output.splitlines()]
        if not lines.index("one") < lines.index("T") < lines.index("three"):
            raise TestFailure(f"out of order:\n{output}")


@test(15, "'&' runs a job in the background and reports it when done")
def background(ctx):
    with boot_to_shell() as vm:
        output = run_command(vm, "cpu B 2 &")
        job = re.search(r"\[(\d+)\]", output)
        if not job:
            raise TestFailure(f"no [pid] after `cpu B 2 &`:\n{output}")
        answered = run_command(vm, "echo meanwhile")
        needs(answered, "meanwhile")
        if len(re.findall(r"(?m)^(?:\$ )?B$", vm.output)) >= 2:
            raise TestFailure("the shell answered only after the background job ended")
        expect(vm, r"(?m)^(?:\$ )?B$", timeout=60)
        run_command(vm, "wait", timeout=60)
        run_command(vm, "echo x")
        if not re.search(rf"\[{job.group(1)}\] done", vm.output):
            raise TestFailure("the finished job was never reported as done:\n" + vm.tail())


@test(10, "'wait' waits for every background job")
def wait_builtin(ctx):
    with boot_to_shell() as vm:
        output = run_command(vm, "cpu P 1 & cpu Q 1 & wait ; echo waited", timeout=60)
        needs(output, "P", "Q", "waited")
        lines = [l.removeprefix("$ ") for l in output.splitlines()]
        if lines.index("waited") < max(lines.index("P"), lines.index("Q")):
            raise TestFailure(f"'waited' came before the jobs ended:\n{output}")


@test(15, "'|' connects two commands")
def pipeline(ctx):
    with boot_to_shell() as vm:
        needs(run_command(vm, "echo one two | cat"), "one two")


@test(10, "a three-stage pipeline ends when its first command does")
def long_pipeline(ctx):
    with boot_to_shell() as vm:
        output = run_command(vm, "ls | cat | cat", timeout=60)
        if "bin/sh" not in output:
            raise TestFailure(f"ls's listing did not come through:\n{output}")
        needs(run_command(vm, "echo after"), "after")


@test(10, "Ctrl-C ends the foreground job, not the shell or a background job")
def ctrl_c(ctx):
    with boot_to_shell() as vm:
        job = re.search(r"\[(\d+)\]", run_command(vm, "cpu G &"))
        if not job:
            raise TestFailure("no [pid] after `cpu G &`:\n" + vm.tail())
        vm.send("cpu F\r")
        expect(vm, r"(?m)^(?:\$ )?F$", timeout=60)
        vm.send("\x03")
        expect(vm, r"\$ ", timeout=30)
        listing = run_command(vm, "ps")
        if not re.search(rf"(?m)^ *{job.group(1)} .*cpu$", listing):
            raise TestFailure(f"the background spinner did not survive Ctrl-C:\n{listing}")
        if len(re.findall(r"(?m)^ *\d+ .* cpu$", listing)) != 1:
            raise TestFailure(f"the foreground spinner is still there:\n{listing}")


@test(5, "reports a job killed by a signal")
def killed_report(ctx):
    with boot_to_shell() as vm:
        output = run_command(vm, "fault null")
        if "killed by signal 11 (SIGSEGV)" not in output:
            raise TestFailure(f"no 'killed by signal 11 (SIGSEGV)':\n{output}")
