"""grade_mlfq.py — tests of the mlfq lab: OSTEP's five rules.

Host tests on the simulated clock (tests/unit/test_sched_policies.c's mlfq
cases, graded one by one, and this lab's check_mlfq.c), then the policy in
the real kernel: a CPU hog must sink to the bottom level, as ps shows.
OSTEP ch. 8 (The Multi-Level Feedback Queue).
"""
import re

from lab_grade import TestFailure, boot_to_shell, check_program, expect, run_command, test, unit_tests

POLICY_SOURCES = ["tests/unit/sched_sim.c", "kernel/sched/mlfq.c"]

unit_tests("mlfq rules (tests/unit)", "sched_policies", case="mlfq", tests={
    "test_mlfq_demotes_a_job_that_uses_its_allotment": 15,
    "test_mlfq_rule4_a_job_that_yields_early_is_still_demoted": 15,
    "test_mlfq_interactive_job_stays_on_top_between_boosts": 10,
    "test_mlfq_new_job_runs_before_demoted_jobs": 10,
    "test_mlfq_boost_moves_every_job_to_the_top": 10,
    "test_mlfq_tunables": 5,
})

check_program("mlfq lab", "check_mlfq.c", sources=POLICY_SOURCES, tests={
    "test_rule2_each_level_has_its_own_slice": 10,
    "test_rule3_child_of_a_demoted_job_starts_on_top": 5,
    "test_rule5_boost_period_is_the_tunable": 10,
})


@test(10, "mlfq in the kernel: a CPU hog sinks to the bottom level")
def hog_sinks(ctx):
    with boot_to_shell("sched=mlfq mlfq_boost=0") as vm:
        output = run_command(vm, "cpu H -c 2 &")
        pid = re.search(r"\[(\d+)\]", output)
        if not pid:
            raise TestFailure(f"no job number after `cpu H -c 2 &`:\n{output}")
        expect(vm, r"(?m)^(?:\$ )?H$", timeout=60)  # a second of its own CPU: 100 ticks
        listing = run_command(vm, "ps")
        row = re.search(rf"(?m)^ *{pid.group(1)} .*$", listing)
        if not row or "level 2" not in row.group(0):
            raise TestFailure(f"the hog (pid {pid.group(1)}) is not on level 2:\n{listing}")
