"""suite_mm.py — memory-management behaviour seen from the shell.

memtest (system_tests.py) checks virtual memory from inside the guest; these
tests check what a user at the prompt sees of it: a program with eight
loadable segments (the most exec accepts) runs, with ten regions in its
address space, and says what is wrong in one line when misused.
OSTEP ch. 13 (address spaces), ch. 5 (exec).
"""
from system_tests import boot_to_shell
from qemu import TestFailure


def test_eight_segment_program_runs(context):
    """An address space once held only eight regions, so an ELF with seven or
    eight loadable segments (plus heap and stack) failed exec with -ENOMEM."""
    with boot_to_shell() as vm:
        vm.send("segments\r")
        match = vm.expect(r"segments: 8 loadable segments, (\d+) regions, .*: (ok|FAILED)\n",
                          timeout=60)
        if match.group(2) != "ok" or match.group(1) != "10":
            raise TestFailure("segments reported a problem:\n" + vm.tail())
        vm.expect(r"\$ ")
        vm.send("segments extra\r")
        vm.expect(r"segments: unexpected argument 'extra' \(usage: segments\)")
        vm.expect(r"\$ ")


ALL_TESTS = [
    test_eight_segment_program_runs,
]
