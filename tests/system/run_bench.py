#!/usr/bin/env python3
"""run_bench.py — boot Prism under TCG, run the in-guest `bench`, print it.

`make bench` calls this. The figures are cycles per operation (rdtsc, median
of many runs); they are printed, never judged.
OSTEP ch. 6 (measure syscalls and switches, the chapter's homework), ch. 23.
"""
import sys

from qemu import Qemu


def main():
    with Qemu("", swap="64M") as vm:
        vm.expect(r"\$ ", timeout=30)
        start = len(vm.output)
        vm.send("bench\r")
        vm.expect(r"bench: copying 16 MiB.*\n", timeout=300)
        for line in vm.output[start:].splitlines():
            if line.startswith("bench:"):
                print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
