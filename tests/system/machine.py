"""machine.py — one line naming the machine a measurement ran on.

`make bench` and `make bench-boot` print it before their figures, because
under QEMU's TCG every figure scales with the host: its CPU model and clock,
how many cores it has and how busy they are (the load average), and the QEMU
version. Standard library only. OSTEP: measurement infrastructure.
"""
import os
import platform
import subprocess


def cpu_model():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def qemu_version():
    try:
        first = subprocess.run(["qemu-system-x86_64", "--version"], stdout=subprocess.PIPE,
                               text=True, check=False).stdout.splitlines()[0]
        return first.replace("QEMU emulator version ", "QEMU ")
    except (OSError, IndexError):
        return "QEMU ?"


def describe():
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    return (f"machine: {cpu_model()}, {os.cpu_count()} cores, load average {load}, "
            f"{qemu_version()} (TCG); figures vary with the host and its load")
