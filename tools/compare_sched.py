#!/usr/bin/env python3
"""compare_sched.py — one workload under every scheduling policy, side by side.

`make compare-sched WORKLOAD=lottery [POLICIES=fifo,rr] [KARGS="hz=1000"]`
calls this. For each policy it boots Prism under QEMU (TCG) with
`sched=POLICY trace=1`, the workload's own `!kargs` line and then KARGS (so
KARGS wins), QEMU's debug port written to build/trace-WORKLOAD-POLICY.log,
runs `workload WORKLOAD` at the shell and waits for it to finish, QEMU's
clock counting instructions (ICOUNT) so a loaded host cannot skew the times. Then the
trace tool draws build/sched-WORKLOAD-POLICY.svg for each, one picture with
every policy stacked on one time axis (build/sched-WORKLOAD-all.svg) and the
comparison table build/compare-WORKLOAD.md (average turnaround, response,
waiting, Jain's fairness index), with paths relative to the current directory.
Python standard library only.
OSTEP ch. 7-9 (comparing policies on one workload, as the chapters do).
"""
import argparse
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))

from qemu import BUILD, Qemu  # noqa: E402



def registered_policies():
    """Every policy in the kernel's registry (kernel/sched/policies.c), in its order."""
    with open(os.path.join(ROOT, "kernel", "sched", "policies.c")) as handle:
        return re.findall(r"&sched_policy_(\w+)", handle.read())


POLICIES = registered_policies()

# The guest's clock counts instructions (2^3 ns each) instead of following the
# host's: a run's timing then depends on the kernel and the policy alone, not
# on how loaded the host is (a descheduled QEMU would otherwise show up as CPU
# time of whichever job was running). sleep=off: idle time passes at once.
ICOUNT = ("-icount", "shift=3,sleep=off")


def workload_kargs(path):
    """The kernel arguments a workload asks for on its `!kargs` line ('' if none)."""
    with open(path) as handle:
        for line in handle:
            match = re.match(r"\s*!kargs\s+(.*\S)", line)
            if match:
                return match.group(1)
    return ""


def run_policy(workload, policy, kargs):
    trace = os.path.join(BUILD, f"trace-{workload}-{policy}.log")
    if os.path.exists(trace):
        os.remove(trace)
    arguments = " ".join(part for part in (f"sched={policy} trace=1", kargs) if part)
    with Qemu(arguments, extra=("-debugcon", f"file:{trace}") + ICOUNT) as vm:
        vm.expect(r"\$ ", timeout=60)
        vm.send(f"workload {workload}\r")
        vm.expect(r"workload: done in \d+ ms", timeout=300)
    return trace


def relative(path):
    return os.path.relpath(path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workload", default="lottery")
    parser.add_argument("--report", required=True, help="path of the trace_report tool")
    parser.add_argument("--policies", default="", help="comma-separated subset (default: all)")
    parser.add_argument("--kargs", default="", help="extra kernel command line")
    args = parser.parse_args()
    source = os.path.join(ROOT, "user", "etc", f"{args.workload}.wl")
    if not os.path.exists(source):
        shipped = sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, "user", "etc"))
                         if name.endswith(".wl"))
        print(f"compare-sched: no workload user/etc/{args.workload}.wl "
              f"(shipped: {', '.join(shipped)})", file=sys.stderr)
        return 1
    policies = [p for p in args.policies.replace(" ", ",").split(",") if p] or POLICIES
    unknown = [p for p in policies if p not in POLICIES]
    if unknown:
        print(f"compare-sched: unknown policy {', '.join(unknown)} "
              f"(choose from {','.join(POLICIES)})", file=sys.stderr)
        return 1
    kargs = " ".join(part for part in (workload_kargs(source), args.kargs) if part)
    traces = []
    for policy in policies:
        print(f"compare-sched: {args.workload} under {policy}"
              f"{' with ' + kargs if kargs else ''} ...", flush=True)
        trace = relative(run_policy(args.workload, policy, kargs))
        svg = relative(os.path.join(BUILD, f"sched-{args.workload}-{policy}.svg"))
        subprocess.run([args.report, "--svg", svg, "--title",
                        f"{args.workload} under {policy}", "--table", trace], check=True)
        print(f"compare-sched: wrote {svg}")
        traces.append(trace)
    table = relative(os.path.join(BUILD, f"compare-{args.workload}.md"))
    stack = relative(os.path.join(BUILD, f"sched-{args.workload}-all.svg"))
    subprocess.run([args.report, "--compare", table, "--stack", stack, "--title",
                    f"{args.workload} under {', '.join(policies)}"] + traces, check=True)
    print(f"compare-sched: wrote {table} and {stack}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
