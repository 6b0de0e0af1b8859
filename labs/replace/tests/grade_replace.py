"""grade_replace.py — tests of the replace lab: the clock algorithm and aging LRU.

Host tests on a simulated memory (tests/unit/test_replace.c's clock and
LRU cases, graded one by one, and this lab's check_replace.c: second
chances, the hand's sweep and wrap, aging's shift, the book's table, hot
pages kept on a loop and an 80-20 workload), then both policies in the real
kernel with a small user-frame limit: pageref replays reference strings on
which the FIFO placeholder gives other answers (OSTEP's paging-policy.py
output, access by access).
OSTEP ch. 22 (Swapping: Policies).
"""
import re

from lab_grade import TestFailure, boot_to_shell, check_program, run_command, test, unit_tests

POLICY_SOURCES = ["kernel/mm/replace/fifo.c", "kernel/mm/replace/random.c",
                  "kernel/mm/replace/clock.c", "kernel/mm/replace/lru.c",
                  "kernel/mm/replace/replace_set.c"]
KARGS = "userframes=32"  # the smallest frame limit is 24; pageref adds its own private set
SWAP = "64M"

unit_tests("replace (tests/unit)", "replace", case="policies", tests={
    "test_clock_gives_second_chances": 4,
    "test_clock_unused_page_goes_first": 4,
    "test_remove_moves_the_hand": 4,
    "test_lru_sampled_every_access_matches_book_table": 4,
    "test_lru_has_no_belady_anomaly": 4,
})

check_program("replace lab", "check_replace.c", sources=POLICY_SOURCES, tests={
    "test_clock_spares_a_referenced_page_and_clears_its_bit": 4,
    "test_clock_clears_bits_only_where_the_hand_passes": 4,
    "test_clock_hand_advances_from_where_it_stopped": 3,
    "test_clock_hand_wraps_past_the_list_head": 4,
    "test_clock_all_referenced_takes_one_full_turn": 3,
    "test_clock_second_chance_keeps_a_page_in_use": 3,
    "test_clock_never_evicts_a_hot_page_in_a_loop": 2,
    "test_clock_beats_fifo_on_80_20": 3,
    "test_lru_admit_starts_without_history": 2,
    "test_lru_tick_shifts_the_referenced_bit_in_on_top": 5,
    "test_lru_evicts_the_smallest_age_first_arrival_on_ties": 5,
    "test_lru_matches_ostep_figure_22_5": 3,
    "test_lru_sampled_every_access_is_exact_lru": 4,
    "test_lru_keeps_the_hot_page_of_a_loop": 2,
    "test_lru_beats_fifo_on_80_20": 3,
})

ACCESS = re.compile(r"(?m)^Access: (\d+)  (HIT |MISS) resident \[([\d ]*)\] Replaced:(\S+) ")
FINAL = re.compile(r"FINALSTATS hits (\d+)   misses (\d+)")


def pageref(policy, frames, string):
    """Boots, switches to `policy`, replays `string` with `frames` frames;
    returns [(page, hit, resident pages, replaced)] and (hits, misses)."""
    with boot_to_shell(KARGS, swap=SWAP) as vm:
        switched = run_command(vm, f"replace {policy}")
        if f"replace: {policy}" not in switched:
            raise TestFailure(f"`replace {policy}` printed:\n{switched}")
        printed = run_command(vm, f"pageref {frames} {string}", timeout=60)
    accesses = [(int(page), hit == "HIT ", [int(p) for p in resident.split()], replaced)
                for page, hit, resident, replaced in ACCESS.findall(printed)]
    final = FINAL.search(printed)
    if len(accesses) != len(string.split()) or not final:
        raise TestFailure(f"pageref did not report every access:\n{printed[-2000:]}")
    return accesses, (int(final.group(1)), int(final.group(2))), printed


def outcome(accesses):
    return "".join("h" if hit else "m" for _, hit, _, _ in accesses)


@test(10, "clock in the kernel: a page used again gets its second chance")
def clock_second_chance(ctx):
    # 0,1,2 fill 3 frames; 3 sweeps once round and evicts 0; 1 is used
    # again, so 4 must pass it and evict 2, and the last 1 hits. FIFO
    # evicts 1 for 4 and misses on it (mmmmhmm).
    accesses, _, printed = pageref("clock", 3, "0 1 2 3 1 4 1")
    if outcome(accesses) != "mmmmhmh" or accesses[5][3] != "2":
        raise TestFailure(f"wanted mmmmhmh with 4 replacing 2, got {outcome(accesses)} "
                          f"(4 replaced {accesses[5][3]}):\n{printed}")


HOT_LOOP = "0 1 0 2 0 3 0 4 0 5 0 6 0 1 0 2 0 3 0 4 0 5 0 6"


@test(5, "clock in the kernel: a hot page survives a loop through the other frames")
def clock_hot_page(ctx):
    # 4 frames, page 0 between every two of six cold pages: 0 misses when
    # first touched and at the first eviction (every bit set, a full
    # turn), never again; FIFO throws it out once per lap (9 hits, not 10).
    accesses, (hits, _), printed = pageref("clock", 4, HOT_LOOP)
    hot_misses = sum(1 for page, hit, _, _ in accesses if page == 0 and not hit)
    if hot_misses != 2 or hits != 10:
        raise TestFailure(f"page 0 missed {hot_misses} times (want 2), {hits} hits (want 10):\n"
                          + printed)


BOOK = "0 1 2 0 1 3 0 3 1 2 1"


@test(10, "lru in the kernel: OSTEP's Figure 22.5, access by access")
def lru_book(ctx):
    # pageref sleeps a timer tick between accesses under lru, so aging sees
    # every access and behaves as true LRU: 6 hits (FIFO: 4), 3 evicts 2.
    accesses, final, printed = pageref("lru", 3, BOOK)
    if outcome(accesses) != "mmmhhmhhhmh" or final != (6, 5) or accesses[5][3] != "2":
        raise TestFailure(f"wanted mmmhhmhhhmh, 6 hits, 3 replacing 2; got {outcome(accesses)} "
                          f"{final}:\n{printed}")


BELADY = "1 2 3 4 1 2 5 1 2 3 4 5"


@test(5, "lru in the kernel: more frames never mean more misses (no Belady anomaly)")
def lru_no_belady(ctx):
    _, three, printed_three = pageref("lru", 3, BELADY)
    _, four, printed_four = pageref("lru", 4, BELADY)
    if three[1] != 10 or four[1] != 8:  # FIFO: 9 and 10
        raise TestFailure(f"misses with 3 frames {three[1]} (want 10), with 4 {four[1]} "
                          f"(want 8):\n{printed_three}\n{printed_four}")
