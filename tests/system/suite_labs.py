"""suite_labs.py — the labs' tooling, run by `make check`.

Two tests: the marker tool's host tests (tests/labs/test_lab_tool.py, every
malformed-marker case and exact stub substitution), and one real starter —
the cheapest lab's — generated from this tree, built and graded: it must
build and score below full with that lab's tests failing. `make check-labs`
does the same for every lab and also grades the reference (labs/README.md).
OSTEP: none; teaching infrastructure.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

from qemu import ROOT, TestFailure

CHEAPEST_LAB = "syscall"  # two short boots; the host-only labs compile Check programs


def test_lab_marker_tool(context):
    result = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "labs", "test_lab_tool.py")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
    if result.returncode != 0:
        raise TestFailure("tests/labs/test_lab_tool.py failed:\n" + result.stdout[-3000:])


def test_lab_starter_grades_below_full(context):
    workdir = tempfile.mkdtemp(prefix="prism-lab-check-")
    try:
        starter = os.path.join(workdir, CHEAPEST_LAB)
        made = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "lab.py"), "starter",
                               CHEAPEST_LAB, starter, "--reuse-build", os.path.join(ROOT, "build")],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if made.returncode != 0:
            raise TestFailure("make lab failed: " + made.stdout)
        graded = subprocess.run(["make", "--no-print-directory", "-C", starter, "grade"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                timeout=900)
        score = re.search(r"(?m)^Score: (\d+)/(\d+)$", graded.stdout)
        if not score:
            raise TestFailure("the starter's make grade printed no score:\n" + graded.stdout[-3000:])
        if "does not build" in graded.stdout or int(score.group(1)) >= int(score.group(2)):
            raise TestFailure("the starter must build and score below full:\n" + graded.stdout)
        if not re.search(r"(?m)\sFAIL\s+0/\d+", graded.stdout):
            raise TestFailure("no test of the lab failed on its starter:\n" + graded.stdout)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


ALL_TESTS = [test_lab_marker_tool, test_lab_starter_grades_below_full]
