#!/usr/bin/env python3
"""bench_memhog.py — memhog's run time against the memory it may use (make bench-memhog).

Boots Prism under QEMU (TCG) once per frame budget, with a fresh swap disk,
`userframes=FRAMES` (the most frames all user processes together may hold
resident: the "RAM size" a class can shrink at will) and `replace=POLICY`,
and runs `memhog MIB PATTERN PASSES` at the shell. Prints one row per
budget: the budget in frames and MiB, memhog's own time, faults, major
faults and hit rate, and whether every page verified. While the workload
fits, time is the cost of first touches; once it does not, every miss is a
major fault (a page read from the IDE disk, and one written to make room),
and time grows with the misses — OSTEP ch. 21's "memory is a cache for the
disk", measured. The machine line says where it ran; the figures are
printed, never judged. Python standard library only. OSTEP ch. 21-22.
"""
import argparse
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))

import machine  # noqa: E402
from qemu import Qemu  # noqa: E402

RESULT = re.compile(r"memhog: \d+ MiB \S+: (\d+) pages, (\d+) accesses in (\d+) ms; "
                    r"faults (\d+) \(major (\d+)\); hit rate ([\d.]+)%")


def run_one(frames, command, policy, timeout):
    with Qemu(f"userframes={frames} replace={policy}", swap="64M") as vm:
        vm.expect(r"\$ ", timeout=90)
        vm.send(command + "\r")
        result = vm.expect(RESULT.pattern, timeout=timeout)
        verified = vm.expect(r"memhog: (verified every page|page \d+ corrupt)", timeout=timeout)
        return result.groups(), verified.group(1).startswith("verified")


def frame_list(text):
    try:
        frames = [int(word) for word in text.split(",")]
    except ValueError:
        raise SystemExit(f"bench-memhog: FRAMES must be numbers separated by commas, not '{text}'")
    if not frames or any(f < 64 for f in frames):
        raise SystemExit("bench-memhog: every frame budget must be at least 64 (init and sh "
                         "need room)")
    return frames


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=4, help="memhog's MiB (default 4)")
    parser.add_argument("--pattern", default="loop", choices=("seq", "loop", "random", "80-20"))
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--policy", default="clock", choices=("fifo", "random", "clock", "lru"))
    parser.add_argument("--frames", default="2048,1280,1024,768,512,256",
                        help="frame budgets to boot with, comma-separated")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per run")
    args = parser.parse_args()
    if not 1 <= args.mib <= 48 or not 1 <= args.passes <= 100:
        raise SystemExit("bench-memhog: MIB must be 1-48 (swap is 64 MiB) and PASSES 1-100")
    command = f"memhog {args.mib} {args.pattern} {args.passes}"
    print(machine.describe())
    print(f"workload: {command}, replace={args.policy}, 64 MiB swap disk "
          f"({args.mib * 256} pages of memhog, plus what init, sh and memhog's code hold)")
    print(f"{'frames':>7} {'MiB':>6} {'time ms':>9} {'accesses':>9} {'faults':>7} "
          f"{'major':>7} {'hit rate':>9}  pages")
    for frames in frame_list(args.frames):
        (pages, accesses, ms, faults, major, hit), verified = run_one(
            frames, command, args.policy, args.timeout)
        print(f"{frames:>7} {frames / 256:>6.2f} {int(ms):>9} {int(accesses):>9} "
              f"{int(faults):>7} {int(major):>7} {hit:>8}%  "
              f"{'all verified' if verified else 'CORRUPT'}", flush=True)
        if not verified:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
