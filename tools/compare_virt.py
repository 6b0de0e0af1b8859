#!/usr/bin/env python3
"""compare_virt.py — containers vs VMs, measured on one Prism (make compare-virt).

Boots Prism once and runs `virtcompare` in it: the tiny guest OS's work
(lib/vm_work.h: 48 CPU-bound units of a million spins, then 48 memory-bound
units of a million updates sweeping 256 KiB regions) as a plain process, in
a container group (`group run`) and inside the tiny guest in an SVM virtual
machine (`vm tiny`, `vm --memory tiny`). Prints a table of start-up time,
run time (overhead against the plain process doing the same work), memory
held while running and what each can see and limit, and writes an SVG bar
chart beside it (build/compare-virt.svg). Cycles are the guest's rdtsc under QEMU's TCG:
host cycles, on a shared machine — compare columns of one run, not runs.
OSTEP appendix B (VMMs), ch. 4-6 (processes); the README's "Containers vs VMs".
"""
import argparse
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
from qemu import BUILD, Qemu  # noqa: E402

LINE = re.compile(r"virtcompare: (\w+) work=(\w+) startup_cycles=(\d+) run_cycles=(\d+) "
                  r"peak_frames=(\d+) leaked_frames=(-?\d+) status=(-?\d+)")
MODES = ("process", "group", "vm")
WORKS = ("cpu", "memory")
ROWS = tuple((mode, work) for work in WORKS for mode in MODES)
REGION_BYTES = 256 * 1024  # lib/vm_work.h's VM_WORK_REGION_BYTES; virtwork touches two
# What each way of running can see and limit; the tests that check each
# claim are named so a reader can find them.
ISOLATION = {
    "process": ("every process (ps)", "nothing of its own", "-"),
    "group": ("only its members, pids from 1", "CPU weight, memory limit",
              "suite_groups"),
    "vm": ("only its guest's tasks", "its RAM size; a vCPU like any process",
           "suite_virt"),
}


def run(kargs, timeout):
    with Qemu(kargs) as vm:
        vm.expect(r"\$ ", timeout=90)
        vm.send("virtcompare\r")
        vm.expect(r"virtcompare: vm work=memory [^\n]*\n", timeout=timeout)
        return vm.output


def parse(output):
    """{(mode, work): row} for every line; SystemExit naming what is missing."""
    rows = {}
    for match in LINE.finditer(output):
        mode, work, startup, run_cycles, peak, leaked, status = match.groups()
        rows[(mode, work)] = {"startup": int(startup), "run": int(run_cycles),
                              "peak": int(peak), "leaked": int(leaked), "status": int(status)}
    missing = [f"{mode} ({work})" for mode, work in ROWS if (mode, work) not in rows]
    if missing:
        raise SystemExit(f"compare-virt: no result for {', '.join(missing)}:\n{output[-2000:]}")
    return rows


def table(rows):
    lines = [f"{'':9} {'work':6} {'start-up (Mcycles)':>19} {'run (Mcycles)':>14} "
             f"{'vs process':>11} {'memory held':>12} {'leaked':>7}  sees / limits"]
    for mode, work in ROWS:
        row, base = rows[(mode, work)], rows[("process", work)]["run"] or 1
        sees, limits, _ = ISOLATION[mode]
        lines.append(f"{mode:9} {work:6} {row['startup'] / 1e6:19.2f} {row['run'] / 1e6:14.1f} "
                     f"{row['run'] / base:10.2f}x {row['peak'] * 4:8d} KiB {row['leaked']:7d}"
                     f"  {sees} / {limits}")
        if row["status"] != 0:
            lines.append(f"  ({mode}, {work} work, ended with status {row['status']})")
    return "\n".join(lines)


def svg(rows):
    """Four groups of bars (start-up, CPU-bound run, memory-bound run, memory held
    by the memory-bound work), each scaled to its own maximum."""
    metrics = (("start-up", "startup", "cpu", "Mcycles", 1e6),
               ("run, CPU-bound", "run", "cpu", "Mcycles", 1e6),
               ("run, memory-bound", "run", "memory", "Mcycles", 1e6),
               ("memory held", "peak", "memory", "KiB", 0.25))
    colours = {"process": "#4c78a8", "group": "#59a14f", "vm": "#e15759"}
    width, height, top = 880, 260, 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'font-family="sans-serif" font-size="12">',
             '<text x="10" y="20" font-size="14">The same work: process, group, VM '
             '(each metric scaled to its largest)</text>']
    for index, (title, key, work, unit, divisor) in enumerate(metrics):
        x0 = 20 + index * 215
        largest = max(rows[(mode, work)][key] for mode in MODES) or 1
        parts.append(f'<text x="{x0}" y="{height - 10}">{title} ({unit})</text>')
        for bar, mode in enumerate(MODES):
            value = rows[(mode, work)][key]
            h = (height - top - 50) * value / largest
            x, y = x0 + bar * 60, height - 30 - h
            parts.append(f'<rect x="{x}" y="{y:.1f}" width="48" height="{h:.1f}" '
                         f'fill="{colours[mode]}"><title>{mode}</title></rect>')
            parts.append(f'<text x="{x}" y="{y - 4:.1f}">{value / divisor:.1f}</text>')
            parts.append(f'<text x="{x}" y="{height - 18}" font-size="10">{mode}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kargs", default="", help="extra kernel command line")
    parser.add_argument("--out", default=os.path.join(BUILD, "compare-virt.svg"))
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    rows = parse(run(args.kargs, args.timeout))
    print(table(rows))
    with open(args.out, "w") as handle:
        handle.write(svg(rows))
    print(f"picture: {args.out}")
    leaks = [f"{mode} ({work})" for mode, work in ROWS if rows[(mode, work)]["leaked"] != 0]
    if leaks:
        print(f"compare-virt: frames leaked by {', '.join(leaks)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
