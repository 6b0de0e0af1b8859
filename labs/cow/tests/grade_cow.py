"""grade_cow.py — tests of the cow lab: demand-zero and copy-on-write faults.

The fault path and fork's sharing compile on the host over simulated memory,
so tests/unit/test_user_copy.c grades them case by case. Then the kernel:
memtest (user/programs/memtest.c) runs once in the guest and its demand-zero
and copy-on-write cases are graded one by one, and OSTEP's mem pair must
show one address with two values.
OSTEP ch. 21-23 (demand paging; copy-on-write in complete VM systems).
"""
from lab_grade import guest_cases, system_test, test, unit_tests

import system_tests  # tests/system/system_tests.py (on the path through lab_grade): reused

unit_tests("faults (tests/unit)", "user_copy", tests={
    "test_copy_in_faults_in_a_demand_zero_heap_page": 5,
    "test_fork_shares_frames_copy_on_write": 10,
    "test_write_after_fork_copies_then_reclaims": 10,
    "test_fault_demand_zero_and_copy_on_write_resolve": 10,
    "test_fault_that_is_the_programs_bug_fails": 5,
    "test_fault_out_of_memory_is_reported": 5,
})

guest_cases("memtest", "memtest", {
    "child does not see the parent's later write": 5,
    "parent does not see the child's write": 5,
    "64 MiB sbrk + 3 touches uses ~3 frames": 5,
    "untouched heap bytes read as zero": 5,
    "fork does not copy 256 touched pages": 5,
    "each first write copies one page": 5,
    "child sees its own writes": 5,
    "parent keeps its values": 5,
    "stack grows to 4 MiB on demand": 5,
    "no frame leaked across all cases": 5,
})


@test(5, "OSTEP's mem pair: one address, two processes, two values")
def mem_pair(ctx):
    system_test(system_tests.test_mem_pair_same_address_different_frames)
