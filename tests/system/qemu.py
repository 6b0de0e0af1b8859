"""qemu.py — boot a Prism ISO under QEMU and talk to its serial console.

A system test builds an ISO with the kernel command line it wants (GRUB's
config is the only thing that differs, so this takes ~0.2 s), starts QEMU
with the serial port on a pipe and the isa-debug-exit device, and then waits
for text with a timeout, types text, and reads QEMU's exit status. Every wait
is for an event (a line of output, QEMU exiting) with a generous timeout; no
test sleeps to let something happen.
OSTEP: test infrastructure, no chapter of its own.
"""
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, "build")
EXIT_SUCCESS = 33  # kernel wrote QEMU_EXIT_SUCCESS (0x10): (0x10 << 1) | 1
EXIT_FAILURE = 35  # kernel wrote QEMU_EXIT_FAILURE (0x11)


class TestFailure(Exception):
    pass


_iso_cache = {}


def make_iso(kargs="", initrd=True, menu=False):
    """Returns the path of an ISO whose GRUB passes `kargs` to the kernel
    (with menu: GRUB's menu of one entry per policy, as `make run MENU=1`)."""
    key = (kargs, initrd, menu)
    if key in _iso_cache:
        return _iso_cache[key]
    workdir = tempfile.mkdtemp(prefix="prism-iso-")
    isodir = os.path.join(workdir, "isodir")
    shutil.copytree(os.path.join(BUILD, "isodir"), isodir)
    if not initrd:
        initrd_path = os.path.join(isodir, "boot", "initrd.tar")
        if os.path.exists(initrd_path):
            os.remove(initrd_path)
    arguments = ["30", kargs, "menu"] if menu else ["0", kargs]
    config = subprocess.run([os.path.join(ROOT, "tools", "make_grub_cfg.sh"), *arguments],
                            check=True, stdout=subprocess.PIPE, text=True).stdout
    with open(os.path.join(isodir, "boot", "grub", "grub.cfg"), "w") as handle:
        handle.write(config)
    iso = os.path.join(workdir, "prism.iso")
    subprocess.run(["grub-mkrescue", "-o", iso, isodir], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _iso_cache[key] = iso
    return iso


def swap_disk_arguments(size, directory):
    """A fresh sparse swap image of `size` ("64M", "512K" or bytes) in
    `directory`, attached as the first IDE disk like `make run` does with
    build/swap.img. One image per QEMU, so no two tests share swap."""
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    size = str(size)
    number = int(size[:-1]) * units[size[-1].upper()] if size[-1].upper() in units else int(size)
    path = os.path.join(directory, "swap.img")
    with open(path, "wb") as handle:
        handle.truncate(number)
    return ["-drive", f"file={path},format=raw,if=ide,index=0"]


TCG_CPU = "qemu64,+svm,+npt"


class Qemu:
    """One running QEMU; use as a context manager so it is always killed.
    swap="64M" attaches a private swap disk of that size (default: none)."""

    def __init__(self, kargs="", cpu=None, memory="128M", initrd=True, extra=(), monitor="none",
                 menu=False, swap=None):
        iso = make_iso(kargs, initrd, menu)
        command = ["qemu-system-x86_64", "-accel", "tcg", "-m", memory, "-cdrom", iso,
                   "-display", "none", "-monitor", monitor, "-serial", "stdio", "-no-reboot",
                   "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
        self.swap_directory = tempfile.mkdtemp(prefix="prism-swap-") if swap else None
        if swap:
            command += swap_disk_arguments(swap, self.swap_directory)
        # QEMU's default CPU plus SVM with nested paging (kernel/virt/ runs
        # guests with it); the same model as `make run` and the benchmarks.
        command += ["-cpu", cpu or TCG_CPU]
        command += list(extra)
        self.started = time.monotonic()
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT)
        self.output = ""
        self.position = 0  # expect() searches from here on
        self.first_seen = {}
        self.lock = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            chunk = self.process.stdout.read1(4096)
            with self.lock:
                if not chunk:
                    self.lock.notify_all()
                    return
                self.output += chunk.decode("utf-8", "replace").replace("\r", "")
                self.lock.notify_all()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        if self.swap_directory:
            shutil.rmtree(self.swap_directory, ignore_errors=True)
            self.swap_directory = None

    def tail(self, characters=2500):
        return self.output[-characters:]

    def expect(self, pattern, timeout=60):
        """Waits until regex `pattern` appears after the previous match;
        returns the match. Fails with the console's tail on timeout: 60 s by
        default, because other work may load this machine; the timeout only
        bounds a failure, a passing test waits for the event, not the clock.
        Output streams in a few bytes at a time, so a pattern that ends in a
        variable-length group (a number, a word) must end with what follows
        it (\\n, a space), or it may match the first digits only."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                match = regex.search(self.output, self.position)
                if match:
                    self.position = match.end()
                    return match
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (self.process.poll() is not None and not self.reader.is_alive()):
                    raise TestFailure(f"did not see /{pattern}/ within {timeout}s; console:\n"
                                      + self.tail())
                self.lock.wait(min(remaining, 0.5))

    def time_until(self, pattern, timeout=30):
        """Seconds from QEMU's start until `pattern` appeared."""
        self.expect(pattern, timeout)
        return time.monotonic() - self.started

    def send(self, text):
        self.process.stdin.write(text.encode())
        self.process.stdin.flush()

    def wait_exit(self, timeout=60):
        try:
            status = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            raise TestFailure(f"QEMU still running after {timeout}s; console:\n" + self.tail())
        self.reader.join(5)
        return status
