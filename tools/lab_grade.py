#!/usr/bin/env python3
"""lab_grade.py — `make grade`: run one lab's tests and print the score.

A lab's tests are the Python files in labs/NAME/tests/ (and, with
GRADE_EXTRA=DIR, the Python files in DIR: an instructor's private tests in
the same format). Each file registers tests with the decorators below; the
grader runs them in file order and prints one line per test with its points,
then `Score: N/M`, as MIT's gradelib does. Details of every failure go to
build/grade-NAME.log.

  from lab_grade import test, check_program, unit_tests, boot_to_shell

  @test(10, "pinfo lists init and the shell")
  def pinfo_lists_init(ctx):
      with boot_to_shell() as vm:
          vm.send("pinfo\\r")
          vm.expect(r"init")          # raises TestFailure with the console's tail

  check_program("mlfq rules", "check_mlfq.c", sources=["kernel/sched/mlfq.c", ...],
                tests={"test_rule1_higher_level_runs_first": 10, ...})
  unit_tests("mlfq (tests/unit)", "sched_policies", case="mlfq",
             tests={"test_mlfq_tunables": 5})
  guest_cases("getpinfo", "pinfotest", {"NULL array: -EFAULT": 5})

  import system_tests           # tests/system/system_tests.py: reuse its tests
  @test(25, "the spinner demo")
  def spinners(ctx):
      system_test(system_tests.test_spinners_interleave)

check_program compiles labs/NAME/tests/FILE.c (Check, ASan + UBSan, like
tests/unit/) and gives each listed Check test its points; unit_tests does the
same for tests of an existing tests/unit/ program (unit_case: a whole TCase,
all or nothing); guest_cases grades an in-guest test program's cases. Every test has a
timeout; each QEMU test boots its own machine, so a panic or a hang costs only
the tests it breaks. The kernel is built once (`make all`) before the tests;
if it does not build, every test that needs it fails and the rest still run.
Python 3 standard library only.
OSTEP: grading for the labs on chapters 5-9 and 18-23.
"""
import argparse
import importlib.util
import os
import re
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))

from qemu import Qemu, TestFailure  # noqa: E402,F401  (tests/system/qemu.py; tests import TestFailure from here)

if __name__ == "__main__":  # the tests' `import lab_grade` must find this very module
    sys.modules["lab_grade"] = sys.modules[__name__]

BUILD = os.path.join(ROOT, "build")
CHECK_TIMEOUT = 120  # seconds for one Check program
BOOT_TIMEOUT = 30    # seconds from QEMU start to the shell prompt (~0.5 s normally)

_tests = []          # (points, name, function), in registration order
_current_dir = None  # folder of the test file being loaded
_state = {"kernel_built": None, "log": None}


class Context:
    """Handed to every test: where the lab's files are."""

    def __init__(self, lab, directory):
        self.lab = lab
        self.directory = directory  # folder of the test file
        self.root = ROOT


def test(points, name):
    """Registers the decorated function(ctx) as a test worth `points`."""
    def register(function):
        directory = _current_dir

        def run(context):
            context.directory = directory
            function(context)
        _tests.append((points, name, run, True))
        return function
    return register


def need_kernel():
    if not _state["kernel_built"]:
        raise TestFailure("the kernel did not build (see `make all`)")


def boot_to_shell(kargs="", timeout=BOOT_TIMEOUT, **options):
    """A Qemu (use `with`) that has printed the shell's first prompt."""
    need_kernel()
    key = (kargs, tuple(sorted(options.items())))
    if key in _boot_failures:  # a kernel that hung once hangs again: do not wait twice
        raise TestFailure("the kernel did not reach the shell in an earlier test:\n"
                          + _boot_failures[key])
    vm = Qemu(kargs, **options)
    try:
        expect(vm, r"\$ ", timeout=timeout)
    except TestFailure as failure:
        vm.kill()
        _boot_failures[key] = str(failure)[-1500:]
        raise
    return vm


def system_test(function):
    """Runs one of tests/system's test functions (they boot their own QEMU),
    failing at once if the kernel could not boot in an earlier test."""
    boot_to_shell().kill()
    function(None)


def expect(vm, pattern, timeout=30):
    """vm.expect(pattern), but a kernel panic fails at once instead of
    waiting out the timeout (a panicked kernel halts; QEMU stays up)."""
    pattern = pattern.removeprefix("(?m)")  # applied to the whole alternation below
    match = vm.expect(rf"(?m)(?:{pattern})|KERNEL PANIC[^\n]*", timeout=timeout)
    if match.group(0).startswith("KERNEL PANIC"):
        raise TestFailure("the kernel panicked:\n" + vm.tail())
    return match


def run_command(vm, command, timeout=30):
    """Types `command` at the shell; returns what it printed before the next
    prompt (the echoed command line and the prompt itself left out)."""
    start = len(vm.output)
    vm.send(command + "\r")
    expect(vm, r"\n\$ ", timeout=timeout)
    text = vm.output[start:vm.position]
    lines = text.splitlines()
    if lines and lines[0].strip().endswith(command.strip()):
        lines = lines[1:]
    if lines and lines[-1].startswith("$"):
        lines = lines[:-1]
    return "\n".join(lines)


_boot_failures = {}  # boot_to_shell's options -> why that boot failed
_guest_runs = {}  # (program, kargs) -> its output, or None if it did not finish


def guest_cases(label, program, cases, kargs="", timeout=180):
    """One graded test per entry of cases {case name: points}: the in-guest
    test program prints "PROGRAM: CASE ... ok" or "... FAILED" per case. It
    runs once, in one boot shared by its cases (if it hangs or the kernel
    panics, only its cases fail)."""
    def output():
        key = (program, kargs)
        if key not in _guest_runs:
            _guest_runs[key] = None
            with boot_to_shell(kargs) as vm:
                _guest_runs[key] = run_command(vm, program, timeout=timeout)
        if _guest_runs[key] is None:
            raise TestFailure(f"{program} did not run to its end (see its first case)")
        return _guest_runs[key]

    for case, points in cases.items():
        def run(context, case=case):
            printed = output()
            match = re.search(rf"{re.escape(program)}: {re.escape(case)} +(ok|FAILED)", printed)
            if not match:
                raise TestFailure(f"case '{case}' did not run; {program} printed:\n"
                                  + printed[-2000:])
            if match.group(1) != "ok":
                raise TestFailure(f"case '{case}' FAILED:\n" + "\n".join(
                    line for line in printed.splitlines() if case in line))
        _tests.append((points, f"{label}: {case}", run, True))


def _log(text):
    _state["log"].write(text + "\n")
    _state["log"].flush()


def _host_flags():
    cflags = os.environ.get("PRISM_HOST_CFLAGS")
    libs = os.environ.get("PRISM_CHECK_LIBS")
    if not cflags or not libs:
        raise TestFailure("run through `make grade` (host compiler flags come from the Makefile)")
    return cflags.split(), libs.split()


CHECK_RESULT = re.compile(r"^[^:\n]*:\d+:([PFE]):[^:\n]*:([A-Za-z0-9_]+):\d+:\s*(.*)$", re.MULTILINE)
_unit_builds = {}  # unit -> whether `make build/host/test_UNIT` succeeded
_check_runs = {}  # binary -> {test name: (passed, message)} or an error string


def _children(pid):
    """Pids of pid's live children (from /proc; empty where there is none)."""
    children = []
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(entry))
    return children


def _kill_with_children(pid):
    """Ends a timed-out Check program and its test children. Check's fork
    mode runs each test in a child with its own process group, which the
    program would kill at the test's timeout; killing the program alone
    would leave a child stuck in an endless loop running for ever. So:
    stop the program (it forks no more), kill its children, then it."""
    try:
        os.kill(pid, signal.SIGSTOP)
    except ProcessLookupError:
        return
    for child in _children(pid):
        try:
            os.kill(child, signal.SIGKILL)
        except ProcessLookupError:
            pass
    os.kill(pid, signal.SIGKILL)


def _run_check(binary, environment=None):
    key = (binary, tuple(sorted((environment or {}).items())))
    if key in _check_runs:
        return _check_runs[key]
    # Check writes every test's verdict to CK_LOG_FILE_NAME, whatever
    # verbosity the program asked for; a fork per test isolates crashes.
    log_file = os.path.join(BUILD, "labs", os.path.basename(binary) + ".results")
    os.makedirs(os.path.dirname(log_file), exist_ok=True)
    if os.path.exists(log_file):
        os.remove(log_file)
    env = dict(os.environ, CK_LOG_FILE_NAME=log_file, CK_FORK="yes", CK_DEFAULT_TIMEOUT="60")
    env.update(environment or {})
    process = subprocess.Popen([binary], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env=env, cwd=ROOT)
    try:
        output, _ = process.communicate(timeout=CHECK_TIMEOUT)
    except subprocess.TimeoutExpired:
        _kill_with_children(process.pid)
        output, _ = process.communicate()
        output = (output or "") + f"\n(timed out after {CHECK_TIMEOUT} s)"
    if os.path.exists(log_file):
        with open(log_file, errors="replace") as handle:
            output += "\n" + handle.read()
    _log(f"--- {os.path.relpath(binary, ROOT)} {environment or ''}\n{output}")
    results = {}
    for verdict, name, message in CHECK_RESULT.findall(output):
        passed = verdict == "P" and results.get(name, (True, ""))[0]
        results[name] = (passed, message if verdict != "P" else results.get(name, (True, ""))[1])
    _check_runs[key] = results
    return results


def _build_check(name, source, sources):
    """Compiles a lab's Check program into build/labs/; returns its path."""
    cflags, libs = _host_flags()
    binary = os.path.join(BUILD, "labs", name)
    os.makedirs(os.path.dirname(binary), exist_ok=True)
    library = sorted(os.path.join("lib", f) for f in os.listdir(os.path.join(ROOT, "lib"))
                     if f.endswith(".c"))
    command = ["gcc", *cflags, "-o", binary, source, *sources, *library, *libs]
    result = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, timeout=CHECK_TIMEOUT)
    _log(f"--- $ {' '.join(command)}\n{result.stdout}")
    if result.returncode != 0:
        first = next((line for line in result.stdout.splitlines() if "error" in line),
                     result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "")
        raise TestFailure(f"does not compile: {first}")
    return binary


def check_program(label, source_name, sources, tests):
    """Registers one test per entry of tests {Check test name: points}; the
    Check program labs/NAME/tests/source_name is compiled with `sources`."""
    directory = _current_dir
    source = os.path.relpath(os.path.join(directory, source_name), ROOT)
    binary_name = os.path.splitext(os.path.basename(source_name))[0]
    built = {}

    def results():
        if "binary" not in built:
            try:
                built["binary"] = _build_check(binary_name, source, sources)
            except TestFailure as failure:
                built["binary"] = failure
        if isinstance(built["binary"], TestFailure):
            raise built["binary"]
        return _run_check(built["binary"])

    _register_check_tests(label, tests, results)


def _register_check_tests(label, tests, results):
    """One graded test per {Check test name: points}; results() gives the
    Check program's {name: (passed, message)} (run once, then cached)."""
    for check_name, points in tests.items():
        def run(context, check_name=check_name):
            outcome = results().get(check_name)
            if outcome is None:
                raise TestFailure(f"{check_name}: no result (crashed or timed out?)")
            if not outcome[0]:
                raise TestFailure(f"{check_name}: {outcome[1]}")
        pretty = check_name.removeprefix("test_").replace("_", " ")
        _tests.append((points, f"{label}: {pretty}", run, False))


def _unit_results(unit, case=None):
    """Builds tests/unit/test_UNIT.c through the Makefile and runs it (only
    TCase `case` if given); returns {Check test name: (passed, message)}."""
    target = os.path.join("build", "host", f"test_{unit}")
    if unit not in _unit_builds:
        made = subprocess.run(["make", "--no-print-directory", target], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        _log(f"--- make {target}\n{made.stdout}")
        _unit_builds[unit] = made.returncode == 0
    if not _unit_builds[unit]:
        raise TestFailure(f"tests/unit/test_{unit}.c does not build (see the log)")
    return _run_check(os.path.join(ROOT, target), {"CK_RUN_CASE": case} if case else None)


def unit_tests(label, unit, tests, case=None):
    """One graded test per entry of tests {Check test name: points}, taken
    from an existing tests/unit/test_UNIT.c (a loop test passes only if every
    iteration does)."""
    _register_check_tests(label, tests, lambda: _unit_results(unit, case))


def unit_case(label, unit, case, points):
    """One test: every Check test of TCase `case` in tests/unit/test_UNIT.c passes."""
    def run(context):
        outcome = _unit_results(unit, case)
        if not outcome:
            raise TestFailure(f"no test of case '{case}' ran")
        failed = [name for name, (passed, _) in outcome.items() if not passed]
        if failed:
            raise TestFailure(f"{len(failed)} of {len(outcome)} failed: {', '.join(failed)}")
    _tests.append((points, label, run, False))


def _load(path):
    global _current_dir
    _current_dir = os.path.dirname(os.path.abspath(path))
    name = "lab_tests_" + re.sub(r"\W", "_", os.path.relpath(path, ROOT))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)


def test_files(directory):
    if not os.path.isdir(directory):
        raise SystemExit(f"grade: no test folder {directory}")
    return [os.path.join(directory, f) for f in sorted(os.listdir(directory)) if f.endswith(".py")]


def main(argv):
    parser = argparse.ArgumentParser(prog="lab_grade.py")
    parser.add_argument("lab", nargs="?", default="")
    parser.add_argument("--extra", default="", help="folder of private tests (GRADE_EXTRA)")
    args = parser.parse_args(argv)
    labs_dir = os.path.join(ROOT, "labs")
    labs = sorted(d for d in os.listdir(labs_dir)
                  if os.path.isfile(os.path.join(labs_dir, d, "README.md"))) \
        if os.path.isdir(labs_dir) else []
    lab = args.lab or (labs[0] if len(labs) == 1 else "")
    if not lab:
        print(f"grade: say which lab: make grade LAB=NAME (labs: {', '.join(labs)})",
              file=sys.stderr)
        return 2
    if lab not in labs:
        print(f"grade: unknown lab '{lab}' (labs: {', '.join(labs) or 'none'})", file=sys.stderr)
        return 2
    files = test_files(os.path.join(labs_dir, lab, "tests"))
    if args.extra:
        files += test_files(os.path.abspath(args.extra))
    os.makedirs(BUILD, exist_ok=True)
    log_path = os.path.join(BUILD, f"grade-{lab}.log")
    _state["log"] = open(log_path, "w")
    for path in files:
        _load(path)

    made = subprocess.run(["make", "--no-print-directory", "all"], cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    _state["kernel_built"] = made.returncode == 0
    _log(f"--- make all (exit {made.returncode})\n{made.stdout}")
    if not _state["kernel_built"]:
        print("grade: the kernel does not build; see " + os.path.relpath(log_path, ROOT))

    score = full = 0
    width = max((len(name) for _, name, _, _ in _tests), default=20)
    for points, name, run, _ in _tests:
        started = time.monotonic()
        try:
            run(Context(lab, _current_dir))
            verdict, got = "OK", points
        except TestFailure as failure:
            verdict, got = "FAIL", 0
            _log(f"=== FAIL {name}\n{failure}")
        except Exception as error:  # a broken test is a failed test, not a crashed grader
            verdict, got = "FAIL", 0
            _log(f"=== FAIL {name} (test raised {type(error).__name__})\n{error}")
        score += got
        full += points
        print(f"{name:<{width}}  {verdict:<4} {got:>3}/{points:<3} "
              f"({time.monotonic() - started:.1f} s)", flush=True)
    if score != full:
        print(f"(details of each failure: {os.path.relpath(log_path, ROOT)})")
    print(f"Score: {score}/{full}")
    return 0 if score == full else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
