"""system_tests.py — Prism booted under QEMU, checked from the outside.

Each test_* function boots the ISO with a kernel command line, reads the
serial console and the isa-debug-exit status, and raises TestFailure with
the console's tail when something is wrong. ALL_TESTS lists them in order.
OSTEP ch. 4-9 (processes, scheduling) and 13-23 (memory), seen from outside.
"""
import os
import socket
import re
import subprocess
import tempfile

from qemu import EXIT_FAILURE, EXIT_SUCCESS, Qemu, TestFailure


class Context:
    def __init__(self, mksymtab=None, trace_report=None):
        self.mksymtab = mksymtab
        self.trace_report = trace_report


def expect_status(vm, wanted, timeout=60):
    status = vm.wait_exit(timeout)
    if status != wanted:
        raise TestFailure(f"QEMU exit status {status}, wanted {wanted}; console:\n" + vm.tail())


def test_boot_banner_and_selftests(context):
    with Qemu("test=boot") as vm:
        vm.expect(r"Prism \d+\.\d+\.\d+ \(built [^)]+\)")
        vm.expect(r"command line: test=boot")
        vm.expect(r"cpu: \w+, \S")
        vm.expect(r"hypervisor: TCG")
        vm.expect(r"memory: 1[0-2]\d MiB usable in \d+ regions")  # -m 128M
        vm.expect(r"module: 'initrd' \d+ KiB")
        vm.expect(r"timer: 100 Hz; memory: \d+ of \d+ KiB free")
        vm.expect(r"selftest: (\d+) passed, 0 failed")
        expect_status(vm, EXIT_SUCCESS)
        if "FAILED" in vm.output:
            raise TestFailure("a self-test failed:\n" + vm.tail())


def test_memory_size_follows_machine(context):
    with Qemu("test=boot", memory="512M") as vm:
        vm.expect(r"memory: (50\d|51\d) MiB usable")
        vm.expect(r"selftest: \d+ passed, 0 failed")
        expect_status(vm, EXIT_SUCCESS)


def test_timer_rate_option(context):
    with Qemu("test=boot hz=1000") as vm:
        vm.expect(r"timer: 1000 Hz")
        expect_status(vm, EXIT_SUCCESS)
    with Qemu("test=boot hz=5") as vm:
        vm.expect(r"cmdline: hz=5 is out of range \d+\.\.\d+; using 100\n")
        vm.expect(r"timer: 100 Hz")
        expect_status(vm, EXIT_SUCCESS)


def test_unknown_option_reported(context):
    with Qemu("test=boot frobnicate=3") as vm:
        vm.expect(r"cmdline: unknown option 'frobnicate' ignored")
        vm.expect(r"selftest: \d+ passed, 0 failed")
        expect_status(vm, EXIT_SUCCESS)


def test_panic_report_page_fault(context):
    with Qemu("test=panic-page-fault") as vm:
        vm.expect(r"KERNEL PANIC: page fault \(vector 14\) in kernel mode, error code 0x2")
        vm.expect(r"cr2=ffffc7ff00000000 \(page not present, write\)")
        vm.expect(r"rax=[0-9a-f]{16} rbx=")
        vm.expect(r"r15=[0-9a-f]{16}")
        vm.expect(r"rip=ffffffff8[0-9a-f]{7}")
        vm.expect(r"backtrace:")
        vm.expect(r"selftest_write_unmapped_kernel_address\+0x")
        vm.expect(r"selftest_run\+0x")
        vm.expect(r"kmain\+0x")
        expect_status(vm, EXIT_FAILURE)


def test_panic_report_invalid_opcode(context):
    with Qemu("test=panic-invalid-opcode") as vm:
        vm.expect(r"KERNEL PANIC: invalid opcode \(vector 6\)")
        vm.expect(r"backtrace:\n  [0-9a-f]{16}  selftest_run\+0x")
        expect_status(vm, EXIT_FAILURE)


def test_panic_on_kernel_double_free(context):
    with Qemu("test=panic-double-free") as vm:
        vm.expect(r"KERNEL PANIC: .*double free")
        vm.expect(r"selftest_free_twice\+0x")
        expect_status(vm, EXIT_FAILURE)


def test_console_input_drives_monitor(context):
    # Without an initrd there are no programs: the kernel says so and falls
    # back to its built-in monitor.
    with Qemu("test=monitor", initrd=False) as vm:
        vm.expect(r"modules: none")
        vm.expect(r"no initrd module was loaded")
        vm.expect(r"prism> ")
        vm.send("uptime\r")
        vm.expect(r"up \d+ ms \(\d+ ticks at 100 Hz\)")
        vm.expect(r"prism> ")
        vm.send("fre\x7fee\r")  # a typo fixed with backspace (DEL)
        vm.expect(r"frames: \d+ total, \d+ used, \d+ free")
        vm.send("bogus\r")
        vm.expect(r"unknown command 'bogus'")
        vm.send("exit\r")
        expect_status(vm, EXIT_SUCCESS)


def test_ps2_keyboard_input(context):
    """Keys pressed on the PS/2 keyboard (QEMU's sendkey) reach the console
    just as serial input does, shift included."""
    directory = tempfile.mkdtemp(prefix="prism-monitor-")
    path = os.path.join(directory, "monitor.sock")
    with Qemu("test=monitor", initrd=False, monitor=f"unix:{path},server,nowait") as vm:
        vm.expect(r"prism> ")
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.connect(path)
        for key in ["u", "p", "t", "i", "m", "e", "ret", "shift-h", "i", "ret"]:
            connection.sendall(f"sendkey {key}\n".encode())
        vm.expect(r"up \d+ ms")
        vm.expect(r"unknown command 'Hi'")
        connection.close()


def test_cpu_without_long_mode(context):
    with Qemu("", cpu="qemu32") as vm:
        vm.expect(r"Prism: this CPU has no 64-bit long mode", timeout=30)
        # The kernel halts on purpose; QEMU must not have rebooted or exited.
        if vm.process.poll() is not None:
            raise TestFailure("QEMU exited instead of halting:\n" + vm.tail())


def test_mksymtab_tool(context):
    if not context.mksymtab:
        raise TestFailure("no mksymtab binary given")
    listing = ("ffffffff80100000 T kmain\n"
               "ffffffff80100040 t helper\n"
               "ffffffff80200000 D some_data\n"
               "ffffffff80100080 W weak_function\n")
    generated = subprocess.run([context.mksymtab], input=listing, stdout=subprocess.PIPE,
                               text=True, check=True).stdout
    for name in ("kmain", "helper", "weak_function"):
        if f'"{name}' not in generated and name not in generated:
            raise TestFailure(f"{name} missing from generated table:\n{generated}")
    if "some_data" in generated:
        raise TestFailure("data symbol leaked into the code symbol table")
    with tempfile.TemporaryDirectory() as directory:
        source = os.path.join(directory, "symtab.c")
        with open(source, "w") as handle:
            handle.write(generated)
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        result = subprocess.run(["gcc", "-std=gnu11", "-Wall", "-Wextra", "-Werror", "-c",
                                 "-I", root, source, "-o", os.path.join(directory, "s.o")],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
            raise TestFailure("generated table does not compile:\n" + result.stdout)


PROMPT = r"\$ $"


def boot_to_shell(kargs=""):
    vm = Qemu(kargs)
    vm.expect(r"\$ ", timeout=30)
    return vm


def test_proctest_in_guest(context):
    """fork/exec/wait/exit, orphans, zombies, kill, pipes, sleep, every user
    fault kind and bad pointer; ends with the free-frame count check."""
    with boot_to_shell() as vm:
        vm.send("proctest\r")
        match = vm.expect(r"proctest: (\d+) passed, (\d+) failed", timeout=180)
        if match.group(2) != "0" or int(match.group(1)) < 40:
            failures = [l for l in vm.output.splitlines() if "FAILED" in l]
            raise TestFailure("in-guest failures:\n" + "\n".join(failures))
        vm.expect(r"\$ ")
        vm.send("echo still alive\r")
        vm.expect(r"still alive")


def test_process_exhaustion(context):
    """Forking until the process limit (maxproc, default 1024) fails cleanly."""
    with boot_to_shell() as vm:
        vm.send("proctest exhaustion\r")
        vm.expect(r"fork until the limit fails cleanly, all reaped +ok", timeout=240)
        match = vm.expect(r"proctest: (\d+) passed, (\d+) failed", timeout=60)
        if match.group(2) != "0":
            raise TestFailure("exhaustion case failed:\n" + vm.tail())


def letter_lines(text):
    """The spinners' output lines (a prompt may stand in front of one)."""
    lines = (line[2:] if line.startswith("$ ") else line for line in text.splitlines())
    return [line for line in lines if line in ("A", "B", "C", "D")]


def test_spinners_interleave(context):
    """OSTEP's cpu demo: four spinners share one CPU; the shell still answers."""
    with boot_to_shell() as vm:
        start = len(vm.output)
        vm.send("cpu A 3 & cpu B 3 & cpu C 3 & cpu D 3 &\r")
        for _ in range(4):
            vm.expect(r"\[\d+\]")
        vm.send("echo hi\r")
        vm.expect(r"(?m)^(?:\$ )?hi$", timeout=20)
        if len(letter_lines(vm.output[start:])) >= 12:
            raise TestFailure("the shell answered only after the spinners finished")
        for _ in range(12):
            vm.expect(r"(?m)^(?:\$ )?[ABCD]$", timeout=30)
        vm.send("wait\r")
        vm.expect(r"\$ ", timeout=30)
        letters = letter_lines(vm.output[start:])
        for letter in "ABCD":
            if letters.count(letter) != 3:
                raise TestFailure(f"{letter} printed {letters.count(letter)} times: {letters}")
        last_start = max(letters.index(letter) for letter in "ABCD")
        for letter in "ABCD":
            if letters[:last_start].count(letter) >= 3:
                raise TestFailure(f"{letter} ran three times before all started: {letters}")


def test_ps_kill_and_ctrl_c(context):
    """Background jobs with `& ;`, ps shows them, kill ends them, Ctrl-C ends
    only the foreground job."""
    with boot_to_shell() as vm:
        vm.send("cpu A & ; cpu B & ;\r")
        first = vm.expect(r"\[(\d+)\]").group(1)
        second = vm.expect(r"\[(\d+)\]").group(1)
        vm.send("ps\r")
        for pid in (first, second):
            vm.expect(rf"(?m)^ *{pid} +\d+ +\d+ +(READY|RUNNING) .*cpu$")
        vm.send("cpu F\r")
        vm.expect(r"(?m)^(?:\$ )?F$", timeout=20)
        vm.send("\x03")
        vm.expect(r"\$ ", timeout=20)
        vm.send(f"kill {first}\r")
        vm.expect(r"\$ ")
        vm.send("ps\r")
        listing = vm.expect(r"\$ ").string
        vm.send(f"kill -9 {second}\r")
        vm.expect(rf"\[{first}\] killed by signal 15|\[{second}\] killed by signal 9", timeout=20)
        tail = listing[listing.rfind("PID"):]
        if re.search(r"(?m)^ *\d+ .* cpu$", tail) and re.search(rf"(?m)^ *{first} ", tail):
            raise TestFailure("killed spinner still listed:\n" + tail)
        if not re.search(rf"(?m)^ *{second} ", tail):
            raise TestFailure("Ctrl-C or kill ended the background spinner too:\n" + tail)


def test_pipeline_and_init_restarts_shell(context):
    with boot_to_shell() as vm:
        vm.send("echo one two | cat\r")
        vm.expect(r"(?m)^(?:\$ )?one two$")
        vm.send("ls | cat\r")
        vm.expect(r"bin/sh")
        vm.send("exit 3\r")
        vm.expect(r"init: shell exited")
        vm.expect(r"\$ ", timeout=20)
        vm.send("echo back\r")
        vm.expect(r"(?m)^(?:\$ )?back$")


def test_memtest_in_guest(context):
    """Isolation, demand-zero, copy-on-write, stack growth and guard, -EFAULT
    on every bad-pointer shape, out-of-memory survived, no frame leaked."""
    with boot_to_shell() as vm:
        vm.send("memtest\r")
        match = vm.expect(r"memtest: (\d+) passed, (\d+) failed", timeout=180)
        if match.group(2) != "0" or int(match.group(1)) < 20:
            failures = [l for l in vm.output.splitlines() if "FAILED" in l]
            raise TestFailure("in-guest failures:\n" + "\n".join(failures))
        vm.send("echo alive\r")
        vm.expect(r"(?m)^(?:\$ )?alive$")


def test_mem_pair_same_address_different_frames(context):
    """OSTEP's mem demo: same virtual address, independent values, and the
    page-table walk leads to two different physical frames."""
    with boot_to_shell() as vm:
        vm.send("mem 1 30 & mem 100 30 &\r")
        first = vm.expect(r"\[(\d+)\]").group(1)
        second = vm.expect(r"\[(\d+)\]").group(1)
        # \n anchors: output arrives in pieces and a number may be cut short
        a = vm.expect(rf"\({first}\) address pointed to by p: (0x[0-9a-f]+)\n").group(1)
        b = vm.expect(rf"\({second}\) address pointed to by p: (0x[0-9a-f]+)\n").group(1)
        if a != b:
            raise TestFailure(f"addresses differ: {a} vs {b}")
        vm.expect(rf"\({first}\) value of p: 2\b", timeout=20)
        vm.expect(rf"\({second}\) value of p: 10[12]\b", timeout=20)
        frames = []
        for pid in (first, second):
            vm.send(f"pagewalk {pid} {a}\r")
            vm.expect(r"PML4 index +\d+")
            vm.expect(r"PDPT index")
            vm.expect(r"PD +index")
            vm.expect(r"PT +index")
            frames.append(vm.expect(r"physical address (0x[0-9a-f]+) ").group(1))
        if frames[0] == frames[1]:
            raise TestFailure(f"both processes map {a} to the same frame {frames[0]}")
        vm.send(f"vmmap {first}\r")
        vm.expect(r"r-x +text")
        vm.expect(r"rw- +heap")
        vm.expect(r"rw- +stack")
        vm.send(f"kill {first} {second}\r")
        vm.expect(r"\$ ")


def test_bench_runs_to_the_end(context):
    """The benchmark finishes and reports every figure (values are not judged)."""
    with boot_to_shell() as vm:
        vm.send("bench\r")
        for label in ("getpid", "pipe round trip", "fork\\+exit\\+wait",
                      "fork\\+exec\\+wait", "demand-zero", "copy-on-write fault",
                      "16 MiB touched", "copying 16 MiB"):
            vm.expect(rf"bench: .*{label}.* +\d+ cycles", timeout=120)


# Every policy in the kernel's registry, in its order (the GRUB menu's too).
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "kernel", "sched",
                       "policies.c")) as _registry:
    POLICIES = re.findall(r"&sched_policy_(\w+)", _registry.read())


def test_boot_with_each_policy(context):
    """sched=NAME on the command line selects the policy; `sched` reports it."""
    for policy in POLICIES:
        with Qemu(f"sched={policy}") as vm:
            vm.expect(rf"sched: policy {policy}, quantum 10 ticks")
            vm.expect(r"\$ ", timeout=30)
            vm.send("sched\r")
            vm.expect(rf"(?m)^(?:\$ )?{policy}: ")
            vm.send("echo ok-\r")
            vm.expect(r"(?m)^(?:\$ )?ok-$")
    with Qemu("sched=mlfq mlfq_levels=4 mlfq_bogus=1") as vm:
        vm.expect(r"mlfq has no tunable 'bogus'")
        vm.expect(r"\$ ", timeout=30)
        vm.send("sched\r")
        vm.expect(r"(?m)^(?:\$ )?mlfq: .*levels=4")


def test_grub_menu_lists_every_policy(context):
    """MENU=1: GRUB offers one entry per policy; the fourth boots mlfq."""
    with Qemu("", menu=True) as vm:
        for policy in POLICIES:
            vm.expect(rf"Prism, scheduling policy {policy}", timeout=30)
        vm.send("\x1b[B\x1b[B\x1b[B")  # three times arrow-down
        vm.expect(r"\*Prism, scheduling policy mlfq")
        vm.send("\r")
        vm.expect(r"sched: policy mlfq, quantum 10 ticks", timeout=30)


def test_switch_policy_while_spinners_run(context):
    """`sched stride` and `sched cfs` with four spinners running: none is lost."""
    trace = os.path.join(tempfile.mkdtemp(prefix="prism-trace-"), "trace.log")
    with Qemu("trace=1", extra=("-debugcon", f"file:{trace}")) as vm:
        vm.expect(r"\$ ", timeout=30)
        vm.send("cpu A 8 & cpu B 8 & cpu C 8 & cpu D 8 &\r")
        for _ in range(4):
            vm.expect(r"(?m)^(?:\$ )?[ABCD]$", timeout=30)
        for policy in ("stride", "cfs", "mlfq"):
            vm.send(f"sched {policy}\r")
            vm.expect(rf"(?m)^(?:\$ )?{policy}: ")
            seen = set()
            start = len(vm.output)
            while seen != set("ABCD"):
                vm.expect(r"(?m)^(?:\$ )?[ABCD]$", timeout=30)
                seen = set(letter_lines(vm.output[start:]))
        vm.send("wait\r")
        vm.expect(r"\$ ", timeout=60)
    with open(trace) as handle:
        text = handle.read()
    for policy in ("stride", "cfs", "mlfq"):
        if f"policy name={policy}" not in text:
            raise TestFailure(f"no policy change to {policy} in the trace")


def run_workload_traced(policy, workload, kargs=""):
    trace = os.path.join(tempfile.mkdtemp(prefix="prism-trace-"), "trace.log")
    with Qemu(f"sched={policy} trace=1 {kargs}".strip(), extra=("-debugcon", f"file:{trace}")) as vm:
        vm.expect(r"\$ ", timeout=30)
        vm.send(f"workload /etc/{workload}.wl\r")
        vm.expect(r"workload: done in \d+ ms \(trace events dropped: 0\)", timeout=120)
    return trace


def csv_rows(context, *arguments):
    if not context.trace_report:
        raise TestFailure("no trace_report tool given")
    result = subprocess.run([context.trace_report, "--csv", *arguments], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise TestFailure("trace_report failed: " + result.stderr)
    lines = result.stdout.strip().splitlines()
    header = lines[0].split(",")
    return [dict(zip(header, line.split(","))) for line in lines[1:]]


def test_proportional_share_from_trace(context):
    """3:1 tickets give A about 75% under lottery (generous tolerance) and
    close to exactly 75% under stride; the trace parses and every process
    that ran appears in the tool's table. quantum=2 makes 150 draws in the
    3 s, so a fair lottery's share lies within 55%-95% by a wide margin
    (with 30 draws, 55% was only 2.5 standard deviations below 75%)."""
    for policy, low, high in (("lottery", 0.55, 0.95), ("stride", 0.68, 0.82)):
        trace = run_workload_traced(policy, "lottery", "quantum=2")
        rows = {row["name"]: row for row in csv_rows(context, trace)}
        if set(rows) != {"A", "B"}:
            raise TestFailure(f"{policy}: jobs in the table: {sorted(rows)}")
        share = float(rows["A"]["cpu_share"])
        if not low <= share <= high:
            raise TestFailure(f"{policy}: A got {share:.1%} of the CPU, wanted {low:.0%}-{high:.0%}")
        with open(trace) as handle:
            ran = set(re.findall(r" switch from=\d+ to=(\d+) ", handle.read())) - {"0"}
        listed = {row["pid"] for row in csv_rows(context, "--all", trace)}
        if not ran <= listed:
            raise TestFailure(f"{policy}: pids that ran but are not in the table: {ran - listed}")


def test_top_shows_cpu_shares(context):
    """top's refresh: a lone spinner gets most of the CPU in the last second."""
    with boot_to_shell() as vm:
        vm.send("cpu Z 4 & ; top 2\r")
        pid = vm.expect(r"\[(\d+)\]").group(1)
        vm.expect(r"top - up \d+ s - rr: quantum=10 ticks", timeout=20)
        vm.expect(r"top - up \d+ s", timeout=20)  # the second refresh: a full second
        share = vm.expect(rf"(?m)^ *{pid} +\w+ +(\d+)\.\d +.* cpu\r?$").group(1)
        if int(share) < 50:
            raise TestFailure(f"a lone spinner got only {share}% of the CPU:\n" + vm.tail())


ALL_TESTS = [
    test_boot_banner_and_selftests,
    test_memory_size_follows_machine,
    test_timer_rate_option,
    test_unknown_option_reported,
    test_panic_report_page_fault,
    test_panic_report_invalid_opcode,
    test_panic_on_kernel_double_free,
    test_console_input_drives_monitor,
    test_ps2_keyboard_input,
    test_cpu_without_long_mode,
    test_mksymtab_tool,
    test_proctest_in_guest,
    test_process_exhaustion,
    test_spinners_interleave,
    test_ps_kill_and_ctrl_c,
    test_pipeline_and_init_restarts_shell,
    test_memtest_in_guest,
    test_mem_pair_same_address_different_frames,
    test_bench_runs_to_the_end,
    test_boot_with_each_policy,
    test_grub_menu_lists_every_policy,
    test_switch_policy_while_spinners_run,
    test_proportional_share_from_trace,
    test_top_shows_cpu_shares,
]
