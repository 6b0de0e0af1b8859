#!/usr/bin/env python3
"""run_bench.py — boot Prism under TCG, run the in-guest `bench`, print it.

`make bench` calls this. It runs every row once with no other processes,
then the rows whose cost could grow with the number of processes (getpid,
pipe round trip, fork+exit+wait) again with 100 and 500 processes BLOCKED
in the background, and prints those three runs side by side as the README's
scaling table. The host tool bench_pick (the cost of one scheduling decision
per policy) is run by the Makefile after this. The figures are cycles per
operation (rdtsc, median of many runs); they are printed, never judged.
OSTEP ch. 6 (measure syscalls and switches, the chapter's homework), ch. 23.
"""
import argparse
import re
import sys

import machine
from qemu import TCG_CPU, Qemu

SCALING_ROWS = "getpid pipe fork"
BACKGROUND_COUNTS = (0, 100, 500)
ROW = re.compile(r"^bench: (.+?) +(\d+) cycles \(median of \d+\)$")


def run(vm, command, timeout):
    """Types one bench command and returns its rows as {label: cycles}."""
    start = len(vm.output)
    vm.send(command + "\r")
    vm.expect(r"\n\$ ", timeout=timeout)
    rows = {}
    for line in vm.output[start:].splitlines():
        if line.startswith("bench:"):
            print(line, flush=True)
        match = ROW.match(line)
        if match:
            rows[match.group(1)] = int(match.group(2))
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kargs", default="", help="kernel command line, e.g. sched=prio")
    parser.add_argument("--cpu", default=None,
                        help="QEMU CPU model (default qemu64,+svm,+npt); e.g. qemu64, to "
                             "check the figures do not depend on SVM being offered")
    args = parser.parse_args()
    print(machine.describe())
    print(f"cpu model: {args.cpu or TCG_CPU}")
    with Qemu(args.kargs, cpu=args.cpu, swap="64M") as vm:  # the swap rows need a disk, as make run has
        vm.expect(r"\$ ", timeout=60)
        scaling = {0: run(vm, "bench", timeout=600)}
        for count in BACKGROUND_COUNTS[1:]:
            scaling[count] = run(vm, f"bench --background {count} {SCALING_ROWS}", timeout=600)
    labels = [label for label in scaling[0] if all(label in scaling[n] for n in scaling)]
    labels = [label for label in labels if label.split(" ")[0] in ("getpid", "pipe", "fork+exit+wait")]
    print()
    print("bench: cycles against BLOCKED background processes  "
          + "".join(f"{n:>10}" for n in BACKGROUND_COUNTS) + "   500/0")
    for label in labels:
        figures = [scaling[n][label] for n in BACKGROUND_COUNTS]
        ratio = figures[-1] / figures[0] if figures[0] else 0
        print(f"bench: {label[:44]:<44}" + "".join(f"{f:>10}" for f in figures) + f"   {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
