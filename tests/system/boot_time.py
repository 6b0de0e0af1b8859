#!/usr/bin/env python3
"""boot_time.py — how long from starting QEMU until Prism's banner appears.

Boots the ISO five times under TCG and prints, after the machine it ran on,
each time to the banner and to the shell prompt and their medians. A
measurement, never a test: it prints figures and always succeeds.
OSTEP: measurement infrastructure, no chapter of its own.
"""
import statistics
import sys

import machine
from qemu import Qemu

RUNS = 5


def main():
    print(machine.describe())
    times, prompt_times = [], []
    for _ in range(RUNS):
        with Qemu("") as vm:  # one boot, both marks
            times.append(vm.time_until(r"Prism \d+\.\d+\.\d+ \(built"))
            prompt_times.append(vm.time_until(r"\$ "))
    print("boot to banner (s): " + " ".join(f"{t:.3f}" for t in times))
    print("boot to shell prompt (s): " + " ".join(f"{t:.3f}" for t in prompt_times))
    print(f"median: {statistics.median(times):.3f} s to the banner, "
          f"{statistics.median(prompt_times):.3f} s to the prompt, over {RUNS} runs (TCG)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
