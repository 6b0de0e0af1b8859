#!/usr/bin/env python3
"""compare_replace.py — one memory workload under every page-replacement policy.

`make compare-replace WORKLOAD=80-20` calls this. WORKLOAD is a memhog
pattern (seq, loop, random, 80-20) or a whole memhog command line
("memhog 2 loop 5"). For each policy it boots Prism under QEMU (TCG) with
`replace=POLICY userframes=FRAMES trace=1` and a fresh swap disk, runs the
workload at the shell, and hands the trace to replace_report.py, which
draws build/replace-WORKLOAD-POLICY.svg (resident pages over time); the
rows go into build/compare-replace-WORKLOAD.md (faults, major faults,
evictions, hit rate — hit rate from memhog's own count of accesses).
Python standard library only.
OSTEP ch. 22 (comparing policies on the chapter's workloads, Figs. 22.6-22.9).
"""
import argparse
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))

from qemu import BUILD, Qemu  # noqa: E402

POLICIES = ["fifo", "random", "clock", "lru"]
PATTERNS = ["seq", "loop", "random", "80-20"]
REPORT = os.path.join(ROOT, "tools", "replace_report.py")


def command_for(workload, mib, passes):
    if workload in PATTERNS:
        return f"memhog {mib} {workload} {passes}"
    if workload.startswith("memhog "):
        return workload
    raise SystemExit(f"compare-replace: WORKLOAD must be one of {' '.join(PATTERNS)} "
                     f"or a memhog command line, not '{workload}'")


def run_policy(name, command, policy, frames, kargs):
    trace = os.path.join(BUILD, f"trace-replace-{name}-{policy}.log")
    if os.path.exists(trace):
        os.remove(trace)
    line = f"replace={policy} userframes={frames} trace=1 {kargs}".strip()
    with Qemu(line, swap="64M", extra=("-debugcon", f"file:{trace}")) as vm:
        vm.expect(r"\$ ", timeout=60)
        vm.send(command + "\r")
        match = vm.expect(r"memhog: .* (\d+) accesses in (\d+) ms", timeout=1800)
        vm.expect(r"memhog: verified every page", timeout=600)
    return trace, int(match.group(1)), int(match.group(2))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workload", default="80-20")
    parser.add_argument("--policies", default=",".join(POLICIES))
    parser.add_argument("--frames", type=int, default=128)
    parser.add_argument("--mib", type=int, default=1)
    parser.add_argument("--passes", type=int, default=4)
    parser.add_argument("--kargs", default="")
    args = parser.parse_args()
    command = command_for(args.workload, args.mib, args.passes)
    name = re.sub(r"[^A-Za-z0-9-]+", "_", args.workload).strip("_")
    rows = []
    for policy in args.policies.split(","):
        print(f"compare-replace: '{command}' under {policy}, {args.frames} frames ...",
              flush=True)
        trace, accesses, milliseconds = run_policy(name, command, policy, args.frames, args.kargs)
        svg = os.path.join(BUILD, f"replace-{name}-{policy}.svg")
        row = os.path.join(BUILD, f"replace-{name}-{policy}.json")
        subprocess.run([sys.executable, REPORT, trace, "--policy", policy, "--accesses",
                        str(accesses), "--svg", svg, "--json", row, "--title",
                        f"{command} under {policy}, {args.frames} frames ({milliseconds} ms)"],
                       check=True)
        rows.append(row)
    table = os.path.join(BUILD, f"compare-replace-{name}.md")
    subprocess.run([sys.executable, REPORT, "--compare", table] + rows, check=True)
    print(f"compare-replace: wrote {table}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
