#!/usr/bin/env python3
"""run_tests.py — Prism's test runner: host unit tests, then QEMU system tests.

`make check` calls this with the unit-test binaries it built. Each Check
program prints a summary line ("100%: Checks: 12, Failures: 0, Errors: 0"),
which is parsed into passed/failed counts. Then every system test in
tests/system/ boots the kernel under QEMU (TCG), talks to its serial console
and checks what it prints and how QEMU exits. The last line is always
"N passed, N failed"; the exit status is non-zero when anything failed.
Python 3 standard library only.
OSTEP: test infrastructure for every chapter the kernel covers (4-9, 13-23).
"""
import argparse
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "system"))

import importlib  # noqa: E402
import qemu  # noqa: E402  (tests/system/qemu.py)
import system_tests  # noqa: E402  (tests/system/system_tests.py)


def system_suites():
    """system_tests.py first, then every tests/system/suite_*.py in name order.
    Each module lists its tests in ALL_TESTS; a new subsystem adds its own
    suite file instead of growing one long file."""
    modules = [system_tests]
    for entry in sorted(os.listdir(os.path.join(HERE, "system"))):
        if entry.startswith("suite_") and entry.endswith(".py"):
            modules.append(importlib.import_module(entry[:-3]))
    return modules

CHECK_SUMMARY = re.compile(r"(\d+)%: Checks: (\d+), Failures: (\d+), Errors: (\d+)")


def run_unit_binary(path):
    """Runs one Check program; returns (passed, failed)."""
    result = subprocess.run([path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, timeout=300)
    match = CHECK_SUMMARY.search(result.stdout)
    name = os.path.basename(path)
    if not match:
        print(f"FAIL unit {name}: no Check summary (exit {result.returncode})")
        print(result.stdout[-3000:])
        return 0, 1
    checks, failures, errors = (int(g) for g in match.groups()[1:])
    failed = failures + errors
    if result.returncode != 0 and failed == 0:
        failed = 1  # crashed after the summary, e.g. a sanitizer report
    status = "ok  " if failed == 0 else "FAIL"
    print(f"{status} unit {name}: {checks - failures - errors} of {checks} checks passed")
    if failed:
        print("\n".join(line for line in result.stdout.splitlines()
                        if ":F:" in line or ":E:" in line or "ERROR" in line)[-3000:])
    return checks - failures - errors, failed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--unit", nargs="*", default=[])
    parser.add_argument("--mksymtab", default=None)
    parser.add_argument("--trace-report", default=None)
    parser.add_argument("--only", default=None, help="run only system tests matching this")
    parser.add_argument("--no-unit", action="store_true")
    args = parser.parse_args()

    passed = failed = 0
    started = time.monotonic()
    if not args.no_unit and args.only is None:
        for binary in args.unit:
            p, f = run_unit_binary(binary)
            passed += p
            failed += f

    context = system_tests.Context(mksymtab=args.mksymtab, trace_report=args.trace_report)
    tests = [test for module in system_suites() for test in module.ALL_TESTS]
    for test in tests:
        if args.only and args.only not in test.__name__:
            continue
        name = test.__name__.removeprefix("test_")
        try:
            test(context)
            print(f"ok   qemu {name}")
            passed += 1
        except qemu.TestFailure as failure:
            print(f"FAIL qemu {name}: {failure}")
            failed += 1
        except Exception as error:  # a broken test counts as failed; the others still run
            print(f"FAIL qemu {name}: {type(error).__name__}: {error}")
            failed += 1
    print(f"(took {time.monotonic() - started:.1f} s)")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
