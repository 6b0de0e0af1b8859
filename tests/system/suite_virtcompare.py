"""suite_virtcompare.py — containers vs VMs, side by side (make compare-virt).

Runs `virtcompare` in Prism: the tiny guest's CPU-bound and memory-bound
work (lib/vm_work.h) as a process, in a group and in a VM. Each must finish
with status 0 and give back every frame; the VM, whose guest RAM and nested
page tables are Prism frames, must hold more memory while it runs than the
process doing the same work; the process's memory-bound work must hold its
two 256 KiB regions (it touches them); and the table tool must accept the
output. The guest and the process must also leave the same checksums after
the memory-bound work: the same work, done whole. No timing is asserted.
OSTEP appendix B (VMMs), ch. 4-6 (processes).
"""
import os
import sys

from qemu import TestFailure
from system_tests import boot_to_shell

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import compare_virt  # noqa: E402


def test_virtcompare_process_group_vm(context):
    with boot_to_shell() as vm:
        vm.send("virtcompare\r")
        vm.expect(r"virtcompare: vm work=memory [^\n]*\n", timeout=900)
        vm.expect(r"\$ ", timeout=60)
        try:
            rows = compare_virt.parse(vm.output)
        except SystemExit as missing:
            raise TestFailure(str(missing))
    for (mode, work), row in rows.items():
        if row["status"] != 0 or row["leaked"] != 0:
            raise TestFailure(f"{mode} ({work}): status {row['status']}, "
                              f"{row['leaked']} frames leaked")
    process, vm = rows[("process", "cpu")], rows[("vm", "cpu")]
    if vm["peak"] <= process["peak"]:
        raise TestFailure(f"the VM held {vm['peak']} frames, the process "
                          f"{process['peak']}: guest RAM is not counted")
    regions = 2 * compare_virt.REGION_BYTES // 4096
    for mode in ("process", "group"):
        cpu, memory = rows[(mode, "cpu")]["peak"], rows[(mode, "memory")]["peak"]
        # A few frames of slack: kernel heap and pipe pages come and go in both runs.
        if memory < cpu + regions - 16:
            raise TestFailure(f"{mode}: memory-bound work held {memory} frames, CPU-bound "
                              f"{cpu}: its {regions} pages of regions were not seen")
    table = compare_virt.table(rows)
    if table.count("\nvm ") != 2 or compare_virt.svg(rows).count("<rect") != 12:
        raise TestFailure(f"compare_virt's table or picture lost a row:\n{table}")


def test_virtwork_and_guest_do_the_same_memory_work(context):
    """virtwork --memory and the tiny guest run lib/vm_work.h's memory-bound
    work; both print the checksums their two regions were left with, which
    depend on every update in order: they must be equal."""
    checksums = r"memory checksums A (\d+) B (\d+)\r?\n"
    with boot_to_shell() as vm:
        vm.send("virtwork --memory 48\r")
        plain = vm.expect(r"virtwork: " + checksums, timeout=300)
        vm.expect(r"\$ ", timeout=60)
        vm.send("vm --memory tiny\r")
        guest = vm.expect(r"tiny: " + checksums, timeout=300)
        vm.expect(r"vm: tiny ended \(", timeout=60)
    if plain.groups() != guest.groups() or plain.group(1) == plain.group(2):
        raise TestFailure(f"process left checksums {plain.groups()}, guest {guest.groups()}")


ALL_TESTS = [test_virtcompare_process_group_vm, test_virtwork_and_guest_do_the_same_memory_work]
