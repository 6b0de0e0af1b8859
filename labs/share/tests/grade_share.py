"""grade_share.py — tests of the share lab: lottery and stride.

Host tests on the simulated clock (tests/unit/test_sched_policies.c's
lottery and stride cases, graded one by one, and this lab's check_share.c:
exact stride shares, lottery shares within five standard deviations), then
stride in the real kernel: two spinners holding 300 and 100 tickets.
OSTEP ch. 9 (Scheduling: Proportional Share).
"""
import re

from lab_grade import TestFailure, boot_to_shell, check_program, expect, run_command, test, unit_tests

POLICY_SOURCES = ["tests/unit/sched_sim.c", "kernel/sched/lottery.c", "kernel/sched/stride.c",
                  "kernel/sched/ready_heap.c"]

unit_tests("share (tests/unit)", "sched_policies", case="lottery, stride, cfs", tests={
    "test_lottery_shares_follow_tickets": 10,
    "test_lottery_same_seed_same_schedule": 5,
    "test_tickets_parameter": 5,
    "test_stride_shares_are_exact": 15,
    "test_sleeper_cannot_bank_credit": 10,
    "test_pick_is_the_smallest_key": 10,
})

check_program("share lab", "check_share.c", sources=POLICY_SOURCES, tests={
    "test_stride_three_way_shares_are_exact": 10,
    "test_stride_newcomer_joins_at_the_current_pass": 5,
    "test_lottery_shares_within_a_statistical_bound": 10,
    "test_lottery_is_random_not_round_robin": 5,
})


def cpu_ms(listing, pid):
    row = re.search(rf"(?m)^ *{pid} +\d+ +\d+ +\S+ +tickets +\d+ +(\d+) ", listing)
    if not row:
        raise TestFailure(f"no ps row with tickets for pid {pid}:\n{listing}")
    return int(row.group(1))


@test(15, "stride in the kernel: 300 vs 100 tickets give a 3:1 CPU share")
def stride_in_kernel(ctx):
    with boot_to_shell("sched=stride") as vm:
        first = re.search(r"\[(\d+)\]", run_command(vm, "cpu A -c &"))
        second = re.search(r"\[(\d+)\]", run_command(vm, "cpu B -c &"))
        if not first or not second:
            raise TestFailure("no job numbers for the spinners:\n" + vm.tail())
        a, b = first.group(1), second.group(1)
        run_command(vm, f"tickets {a} 300")
        run_command(vm, f"tickets {b} 100")
        before = run_command(vm, "ps")
        for _ in range(3):  # three more seconds of A's own CPU time
            expect(vm, r"(?m)^(?:\$ )?A$", timeout=60)
        after = run_command(vm, "ps")
        used_a = cpu_ms(after, a) - cpu_ms(before, a)
        used_b = cpu_ms(after, b) - cpu_ms(before, b)
        if used_b <= 0 or not 2.4 <= used_a / used_b <= 3.6:
            raise TestFailure(f"A ran {used_a} ms, B {used_b} ms: not 3:1\n{before}\n{after}")
