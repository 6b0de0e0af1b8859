"""suite_cpustate.py — per-process CPU state, NMIs, stack overflow, watchdog.

Runs the in-guest cputest (FPU/SSE and fs/gs isolation between processes,
double arithmetic, fork and exec semantics of that state, sysret and iretq
returning the same registers, non-canonical returns, _start alignment), and
checks from outside what only the console shows: NMIs from QEMU's monitor
reported without killing anyone, a kernel stack overflow named as such, and
the watchdog catching a kernel stuck with interrupts off.
OSTEP ch. 6 (Limited Direct Execution: registers, traps, the timer).
"""
import os
import re
import socket
import tempfile

from qemu import EXIT_FAILURE, EXIT_SUCCESS, Qemu, TestFailure
from system_tests import boot_to_shell, expect_status


def failures_of(vm, program):
    return "\n".join(l for l in vm.output.splitlines() if l.startswith(program) and "FAILED" in l)


def test_cputest_in_guest(context):
    """Every cputest case passes, and the shell is fine afterwards."""
    with boot_to_shell() as vm:
        vm.send("cputest\r")
        match = vm.expect(r"cputest: (\d+) passed, (\d+) failed", timeout=180)
        if match.group(2) != "0" or int(match.group(1)) < 7:
            raise TestFailure("in-guest failures:\n" + failures_of(vm, "cputest") + "\n" + vm.tail())
        vm.expect(r"\$ ")
        vm.send("echo still alive\r")
        vm.expect(r"still alive")
        # The CPU would kill those processes too (under TCG it faults in ring
        # 3): only the kernel's own report shows that the check before
        # sysret/iretq refused the return instead of leaving it to the CPU.
        for rip, rsp in (("800000000000", "[0-9a-f]+"), ("ffffffff80000000", "[0-9a-f]+"),
                         ("[0-9a-f]+", "8000000000000000")):
            pattern = rf"pid \d+ \(cputest\): return to rip={rip} rsp={rsp} refused"
            if not re.search(pattern, vm.output):
                raise TestFailure(f"no refusal report /{pattern}/:\n" + vm.tail())


class Monitor:
    """QEMU's human monitor on a unix socket (as system_tests' PS/2 test)."""

    def __init__(self):
        self.path = os.path.join(tempfile.mkdtemp(prefix="prism-monitor-"), "monitor.sock")
        self.connection = None

    def option(self):
        return f"unix:{self.path},server,nowait"

    def send(self, command):
        if self.connection is None:
            self.connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.connection.connect(self.path)
        self.connection.sendall(f"{command}\n".encode())

    def close(self):
        if self.connection:
            self.connection.close()


def nmi_until(vm, monitor, mode, pid=None, attempts=100, lost_allowed=5):
    """Sends NMIs until one lands in `mode` ("user" or "kernel"), in process
    `pid` if given; each is waited for before the next is sent. Where an NMI
    lands is up to timing, so some may land elsewhere first. The CPU latches
    one pending NMI: the monitor's and the watchdog's RTC NMI arriving
    together (a loaded host stalls the vCPU) are one NMI, which the watchdog
    claims, so a few may go unreported (nmi.c); more than lost_allowed is a
    kernel that does not report them. After each report the shell must
    answer an echo before the next NMI: an NMI sent while the handler still
    prints is taken right after its iretq, so without that every later one
    lands on the same kernel rip and the guest never gets anywhere."""
    lost = 0
    for attempt in range(attempts):
        monitor.send("nmi")
        try:
            match = vm.expect(r"nmi: non-maskable interrupt in (user|kernel) mode "
                              r"\(pid (\d+), (\S+)\) at rip=[0-9a-f]+: reported, continuing\n",
                              timeout=15)
        except TestFailure:
            lost += 1
            if lost > lost_allowed:
                raise
            continue
        if match.group(1) == mode and pid in (None, match.group(2)):
            return match
        vm.send(f"echo nmi-sync-{attempt}\r")
        vm.expect(rf"(?m)^nmi-sync-{attempt}\r?$")
    raise TestFailure(f"no NMI landed in {mode} mode (pid {pid}) in {attempts} tries:\n"
                      + vm.tail())


def test_nmi_reported_nobody_killed(context):
    """QEMU's `nmi` is reported in one line whether it interrupts a user
    process (which goes on running) or the kernel (which does not panic)."""
    monitor = Monitor()
    with Qemu("", monitor=monitor.option()) as vm:
        vm.expect(r"\$ ", timeout=90)
        vm.send("cputest spin &\r")  # spins in user mode, no system calls
        spinner = vm.expect(r"\[(\d+)\]").group(1)
        vm.expect(r"cputest: spinning in user mode\s*\+", timeout=90)  # its output is done
        match = nmi_until(vm, monitor, "user", spinner)
        if match.group(3) != "cputest":
            raise TestFailure("the NMI in user mode did not name the spinner:\n" + vm.tail())
        vm.send("ps\r")  # the spinner was not killed
        vm.expect(rf"(?m)^ *{spinner} +\d+ +\d+ +(READY|RUNNING) .*cputest$", timeout=90)
        vm.send(f"kill {spinner}\r")
        vm.expect(rf"\[{spinner}\] killed by signal 15", timeout=90)  # reaped: nothing runs now
        nmi_until(vm, monitor, "kernel")  # the shell waits for input: the CPU idles in the kernel
        vm.send("echo after the nmi\r")
        vm.expect(r"(?m)^after the nmi$")
        if re.search(r": killed \(SIG", vm.output) or "PANIC" in vm.output:
            raise TestFailure("an NMI killed something:\n" + vm.tail())
        monitor.close()


def test_machine_check_reported_and_survived(context):
    """A restartable machine check (QEMU's `mce` with MCG_STATUS.RIPV) is
    reported with its bank and address and the system goes on; a second one
    proves the first was acknowledged (MCIP still set would shut down)."""
    monitor = Monitor()
    with Qemu("", monitor=monitor.option()) as vm:
        vm.expect(r"\$ ", timeout=90)
        for bank, address in ((1, "1234"), (2, "abcd000")):
            # status: valid, uncorrected, enabled, address valid; MCG_STATUS: RIPV, MCIP
            monitor.send(f"mce 0 {bank} 0xb400000000000000 0x5 0x{address} 0")
            vm.expect(r"machine check in (user|kernel) mode \(pid \d+, \S+\) at rip=[0-9a-f]+, "
                      r"MCG_STATUS=5", timeout=90)
            vm.expect(rf"bank {bank}: status b400000000000000 address 0*{address}")
            vm.expect(r"machine check: restartable: continuing\n")
            # The handler is done only when the kernel runs the shell again:
            # a second mce before that would land inside it (nmi.c).
            vm.send(f"echo after-mce-{bank}\r")
            vm.expect(rf"(?m)^after-mce-{bank}$")
        vm.send("echo survived\r")
        vm.expect(r"(?m)^survived$")
        monitor.close()


def test_kernel_stack_overflow_report(context):
    """A kernel stack overflow is named as such, with a backtrace, instead of
    the report itself faulting on the guard page ("panic while panicking")."""
    with Qemu("test=panic-stack-overflow") as vm:
        vm.expect(r"KERNEL PANIC: double fault \(vector 8\) in kernel mode")
        vm.expect(r"kernel stack overflow in pid \d+ \(stack-overflow\): ran into its guard page")
        vm.expect(r"rip=ffffffff8[0-9a-f]{7}")
        vm.expect(r"backtrace:")
        vm.expect(r"selftest_recurse_without_end\+0x")
        vm.expect(r"Prism halted")
        expect_status(vm, EXIT_FAILURE)
        if "panic while panicking" in vm.output:
            raise TestFailure("the report faulted:\n" + vm.tail())


def test_watchdog_reports_stuck_kernel(context):
    """A kernel spinning with interrupts off is reported by the watchdog with
    the stuck rip and a backtrace, and under test= QEMU ends with failure."""
    with Qemu("test=watchdog") as vm:
        vm.expect(r"watchdog: no timer interrupt for \d+ s: kernel stuck with interrupts off "
                  r"at rip=ffffffff8[0-9a-f]{7} \(selftest_spin_with_interrupts_off\+0x",
                  timeout=60)
        vm.expect(r"backtrace:")
        vm.expect(r"selftest_run\+0x")
        expect_status(vm, EXIT_FAILURE)


def test_watchdog_quiet_when_healthy(context):
    """The watchdog's NMIs are not reported while the kernel is healthy: an
    idle shell and a spinner for several watchdog periods print nothing."""
    with boot_to_shell() as vm:
        vm.send("cpu W 6\r")
        for _ in range(6):
            vm.expect(r"(?m)^W$", timeout=90)
        vm.expect(r"\$ ", timeout=90)
        if "watchdog" in vm.output or "nmi:" in vm.output:
            raise TestFailure("watchdog or NMI report on a healthy kernel:\n" + vm.tail())


ALL_TESTS = [
    test_cputest_in_guest,
    test_nmi_reported_nobody_killed,
    test_machine_check_reported_and_survived,
    test_kernel_stack_overflow_report,
    test_watchdog_reports_stuck_kernel,
    test_watchdog_quiet_when_healthy,
]
