#!/usr/bin/env python3
"""compare_sched.py — one workload under every scheduling policy, side by side.

`make compare-sched WORKLOAD=lottery` calls this. For each policy it boots
Prism under QEMU (TCG) with `sched=POLICY trace=1`, QEMU's debug port written
to build/trace-WORKLOAD-POLICY.log, runs `workload /etc/WORKLOAD.wl` at the
shell and waits for it to finish. Then the trace tool draws
build/sched-WORKLOAD-POLICY.svg for each and writes the comparison table
build/compare-WORKLOAD.md (average turnaround, response, waiting, Jain's
fairness index). Python standard library only.
OSTEP ch. 7-9 (comparing policies on one workload, as the chapters do).
"""
import argparse
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))

from qemu import BUILD, Qemu  # noqa: E402

POLICIES = ["fifo", "rr", "prio", "mlfq", "lottery", "stride", "cfs"]


def run_policy(workload, policy):
    trace = os.path.join(BUILD, f"trace-{workload}-{policy}.log")
    if os.path.exists(trace):
        os.remove(trace)
    with Qemu(f"sched={policy} trace=1", extra=("-debugcon", f"file:{trace}")) as vm:
        vm.expect(r"\$ ", timeout=60)
        vm.send(f"workload /etc/{workload}.wl\r")
        vm.expect(r"workload: done in \d+ ms", timeout=300)
    return trace


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workload", default="lottery")
    parser.add_argument("--report", required=True, help="path of the trace_report tool")
    parser.add_argument("--policies", default=",".join(POLICIES))
    args = parser.parse_args()
    if not os.path.exists(os.path.join(ROOT, "user", "etc", f"{args.workload}.wl")):
        print(f"compare-sched: no workload user/etc/{args.workload}.wl", file=sys.stderr)
        return 1
    traces = []
    for policy in args.policies.split(","):
        print(f"compare-sched: {args.workload} under {policy} ...", flush=True)
        trace = run_policy(args.workload, policy)
        svg = os.path.join(BUILD, f"sched-{args.workload}-{policy}.svg")
        subprocess.run([args.report, "--svg", svg, "--title",
                        f"{args.workload} under {policy}", "--table", trace], check=True)
        print(f"compare-sched: wrote {svg}")
        traces.append(trace)
    table = os.path.join(BUILD, f"compare-{args.workload}.md")
    subprocess.run([args.report, "--compare", table] + traces, check=True)
    print(f"compare-sched: wrote {table}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
