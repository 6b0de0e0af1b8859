"""system_tests.py — Prism booted under QEMU, checked from the outside.

Each test_* function boots the ISO with a kernel command line, reads the
serial console and the isa-debug-exit status, and raises TestFailure with
the console's tail when something is wrong. ALL_TESTS lists them in order.
"""
import os
import subprocess
import tempfile

from qemu import EXIT_FAILURE, EXIT_SUCCESS, Qemu, TestFailure


class Context:
    def __init__(self, mksymtab=None):
        self.mksymtab = mksymtab


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
        vm.expect(r"modules: none")
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
        vm.expect(r"cmdline: hz: .*; using 100")
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
    with Qemu("test=monitor") as vm:
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


ALL_TESTS = [
    test_boot_banner_and_selftests,
    test_memory_size_follows_machine,
    test_timer_rate_option,
    test_unknown_option_reported,
    test_panic_report_page_fault,
    test_panic_report_invalid_opcode,
    test_panic_on_kernel_double_free,
    test_console_input_drives_monitor,
    test_cpu_without_long_mode,
    test_mksymtab_tool,
]
