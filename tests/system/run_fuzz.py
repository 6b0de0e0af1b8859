#!/usr/bin/env python3
"""run_fuzz.py — a long seeded system-call fuzzing run: `make fuzz`.

Boots Prism under TCG with a swap disk (as `make run` has), types
`fuzz SEED CALLS WORKERS` at the shell and streams the fuzzer's own lines
(and any kernel panic) to the terminal. The timeout grows with CALLS and is
generous (the machine is shared): it only ends a run that hangs. Exit status 0 when the fuzzer printed "fuzz: ok",
1 otherwise, with the console's tail. Python 3 standard library only.
OSTEP ch. 6 (the kernel must survive whatever user code asks).
"""
import argparse
import re
import sys
import time

from qemu import Qemu, TestFailure


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--calls", type=int, default=1000000)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--kargs", default="", help="kernel command line, e.g. sched=lottery")
    parser.add_argument("--swap", default="64M", help="swap disk size as make run has; 0: none")
    args = parser.parse_args()
    timeout = 300 + args.calls // 100  # ~30x what 10^6 calls took on an idle host
    started = time.monotonic()
    with Qemu(args.kargs, swap=None if args.swap in ("", "0") else args.swap) as vm:
        vm.expect(r"\$ ", timeout=60)
        vm.send(f"fuzz {args.seed} {args.calls} {args.workers}\r")
        try:
            match = vm.expect(r"fuzz: (ok|FAILED)[^\n]*\n|KERNEL PANIC[^\n]*\n|usage: fuzz[^\n]*\n",
                              timeout=timeout)
        except TestFailure as failure:
            print(f"fuzz: no result within {timeout} s (a hang?)\n{failure}")
            return 1
        for line in vm.output.splitlines():
            if line.startswith("fuzz:") or "PANIC" in line:
                print(line)
        if "PANIC" in match.group(0):
            print(vm.tail())
        print(f"fuzz: {time.monotonic() - started:.0f} s on the host (boot included)")
        return 0 if match.group(0).startswith("fuzz: ok") else 1


if __name__ == "__main__":
    sys.exit(main())
