"""grade_pagetable.py — tests of the pagetable lab: walk, map, unmap, pagewalk.

kernel/mm/page_table.c compiles unchanged on the host over simulated physical
memory, so tests/unit/test_page_table.c grades the walk, map and unmap case
by case. Then the kernel, which builds every address space with that code:
it must boot, and `pagewalk` must print each level's index and entry for an
address in a running `mem`, ending at the frame holding it.
OSTEP ch. 18-20 (paging; multi-level page tables).
"""
import re

from lab_grade import (TestFailure, boot_to_shell, expect, run_command, system_test, test,
                        unit_tests)

import system_tests  # tests/system/system_tests.py (on the path through lab_grade): reused

unit_tests("page tables (tests/unit)", "page_table", tests={
    "test_index_split": 5,
    "test_map_translate_unmap": 10,
    "test_neighbouring_pages_share_tables": 5,
    "test_map_twice_is_refused": 5,
    "test_flags_reach_the_leaf_only": 5,
    "test_set_flags_changes_permissions": 5,
    "test_walk_stops_at_missing_level": 5,
    "test_free_tables_returns_every_frame": 5,
    "test_out_of_frames_reports_enomem": 5,
})

LEVELS = [("PML4", 4), ("PDPT", 3), ("PD", 2), ("PT", 1)]


@test(10, "the kernel boots on your page tables")
def boots(ctx):
    with boot_to_shell() as vm:
        if "hi" not in run_command(vm, "echo hi"):
            raise TestFailure("the shell does not run programs:\n" + vm.tail())


@test(20, "pagewalk: each level's index and entry, then the frame and offset")
def pagewalk_mapped(ctx):
    with boot_to_shell() as vm:
        pid = re.search(r"\[(\d+)\]", run_command(vm, "mem 7 100 &")).group(1)
        address = expect(vm, rf"\({pid}\) address pointed to by p: (0x[0-9a-f]+)\n").group(1)
        output = run_command(vm, f"pagewalk {pid} {address}")
        value = int(address, 16)
        for name, level in LEVELS:
            index = (value >> (12 + 9 * (level - 1))) & 0x1FF
            if not re.search(rf"(?m)^ *{name} +index +{index}\b.*entry 0x[0-9a-f]+ .*present", output):
                raise TestFailure(f"no {name} line with index {index} for {address}:\n{output}")
        leaf = re.search(r"(?m)^ *PT .*-> frame (0x[0-9a-f]+):?([a-z -]*)$", output)
        if not leaf or not {"present", "writable", "user"} <= set(leaf.group(2).split()):
            raise TestFailure(f"the PT line must name the frame and 'present writable user':\n{output}")
        physical = re.search(r"physical address (0x[0-9a-f]+) \(frame (0x[0-9a-f]+) \+ offset "
                             r"(0x[0-9a-f]+)\)", output)
        if not physical or int(physical.group(2), 16) != int(leaf.group(1), 16) or \
                int(physical.group(3), 16) != value & 0xFFF or \
                int(physical.group(1), 16) != int(leaf.group(1), 16) + (value & 0xFFF):
            raise TestFailure(f"physical address is not the leaf's frame + the offset:\n{output}")


@test(10, "pagewalk: an unmapped address stops at the missing level")
def pagewalk_unmapped(ctx):
    with boot_to_shell() as vm:
        pid = re.search(r"\[(\d+)\]", run_command(vm, "mem 7 100 &")).group(1)
        output = run_command(vm, f"pagewalk {pid} 0x7f0000000000")
        if not re.search(r"(?m)^ *PML4 +index +254\b.*not present", output) or \
                "not mapped" not in output:
            raise TestFailure(f"no 'not present' / 'not mapped' for an unmapped address:\n{output}")


@test(10, "OSTEP's mem pair: one address, two processes, two frames")
def mem_pair(ctx):
    system_test(system_tests.test_mem_pair_same_address_different_frames)
