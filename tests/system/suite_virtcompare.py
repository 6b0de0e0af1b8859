"""suite_virtcompare.py — containers vs VMs, side by side (make compare-virt).

Runs `virtcompare` in Prism: the tiny guest's work as a process, in a group
and in a VM. Each must finish with status 0 and give back every frame; the
VM, whose guest RAM and nested page tables are Prism frames, must hold more
memory while it runs than the process doing the same work; and the table
tool must accept the output. No timing is asserted.
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
        vm.expect(r"virtcompare: vm [^\n]*\n", timeout=600)
        vm.expect(r"\$ ", timeout=60)
        try:
            rows = compare_virt.parse(vm.output)
        except SystemExit as missing:
            raise TestFailure(str(missing))
    for mode, row in rows.items():
        if row["status"] != 0 or row["leaked"] != 0:
            raise TestFailure(f"{mode}: status {row['status']}, {row['leaked']} frames leaked")
    if rows["vm"]["peak"] <= rows["process"]["peak"]:
        raise TestFailure(f"the VM held {rows['vm']['peak']} frames, the process "
                          f"{rows['process']['peak']}: guest RAM is not counted")
    if "vm" not in compare_virt.table(rows) or "<rect" not in compare_virt.svg(rows):
        raise TestFailure("compare_virt's table or picture lost a row")


ALL_TESTS = [test_virtcompare_process_group_vm]
