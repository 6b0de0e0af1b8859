/*
 * test_group.c — host tests for container groups: kernel/group/group.c
 * (lifetime, pid translation), group_memory.c (charges) and group_sched.c
 * (the dispatcher's group level), over bare PCBs.
 *
 * Memory: a limit of 3 pages takes 3 reservations and refuses the 4th;
 * a freed frame gives its page back whoever frees it; a reservation that got
 * no frame is given back; a frame is charged once however it is shared;
 * root frames are never charged; closing a group with a frame still charged
 * panics (the no-leak assertion). Pids: the maker is 1 inside, its children
 * 2, 3; from the root everyone has its real pid; from inside, outsiders are
 * invisible (pid 0, not found) and members are found by their pid inside;
 * groups do not nest; GROUP_MAX groups, then -EAGAIN; the last member out
 * ends the group and frees its slot. Scheduling: two groups at 3:1, each
 * with a spinner always READY, and the group level's picks over 400
 * decisions charged one slice each are exactly 300 and 100.
 * OSTEP ch. 4-5 (pids), ch. 9 (proportional share), ch. 13 (memory).
 */
#include <check.h>
#include <signal.h>
#include <stdlib.h>

#include "kernel/group/group.h"
#include "kernel/group/group_memory.h"
#include "kernel/group/group_sched.h"
#include "lib/errno.h"
#include "tests/unit/host_panic.h"
#include "tests/unit/host_proc.h"

#define FRAMES 64
#define FRAME(n) ((uint64_t)(n) << 12)
#define PROCS 40

uint64_t sched_quantum_ticks = 10;
static uint8_t owners[FRAMES];
static struct proc procs[PROCS];

void trace_group(int pid, int group_id, const char *name)
{
    (void)pid;
    (void)group_id;
    (void)name;
}

void trace_group_end(int group_id, const char *name)
{
    (void)group_id;
    (void)name;
}

/* The kernel's pid table, for a root viewer: procs[i] has real pid 100 + i. */
struct proc *proc_find(int pid)
{
    return pid >= 100 && pid < 100 + PROCS ? &procs[pid - 100] : NULL;
}

static void setup(void)
{
    memset(owners, 0, sizeof owners);
    group_memory_set_owner_table(owners, FRAMES);
    for (int i = 0; i < PROCS; i++) {
        host_proc_init(&procs[i], 100 + i, "p");
        procs[i].state = PROC_RUNNING;
    }
}

/* Every group made in a test ends in it (the slots are static). */
static void leave_all(void)
{
    for (int i = PROCS; i-- > 0;)
        group_leave(&procs[i]);
}

/* ---- memory -------------------------------------------------------------- */

START_TEST(limit_refuses_the_page_past_it)
{
    group_memory_open(1, 3);
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(group_memory_reserve(1), 0);
        group_memory_commit(1, FRAME(10 + i));
    }
    ck_assert(!group_memory_has_room(1, 1));
    ck_assert_int_eq(group_memory_reserve(1), -ENOMEM);
    ck_assert_uint_eq(group_memory_used(1), 3);
    group_memory_frame_freed(FRAME(11));
    ck_assert_uint_eq(group_memory_used(1), 2);
    ck_assert(group_memory_has_room(1, 1));
    ck_assert(!group_memory_has_room(1, 2));
    ck_assert_int_eq(group_memory_reserve(1), 0);
    group_memory_unreserve(1); /* no frame came: nothing stays charged */
    group_memory_frame_freed(FRAME(10));
    group_memory_frame_freed(FRAME(12));
    ck_assert_uint_eq(group_memory_used(1), 0);
    group_memory_close(1);
}
END_TEST

START_TEST(a_frame_is_charged_once_and_root_frames_never)
{
    group_memory_open(2, 0); /* no limit: still counted */
    ck_assert_int_eq(group_memory_reserve(2), 0);
    group_memory_commit(2, FRAME(5));
    /* shared copy-on-write by three members: pmm counts the owners; the
     * group sees the frame once, and only its last unref frees it */
    ck_assert_uint_eq(group_memory_used(2), 1);
    group_memory_frame_freed(FRAME(6)); /* a root frame: nobody's charge */
    ck_assert_uint_eq(group_memory_used(2), 1);
    ck_assert_int_eq(group_memory_reserve(GROUP_ROOT_ID), 0);
    group_memory_commit(GROUP_ROOT_ID, FRAME(7));
    ck_assert_uint_eq(owners[7], 0);
    ck_assert(group_memory_has_room(GROUP_ROOT_ID, 1000000));
    group_memory_frame_freed(FRAME(5));
    group_memory_frame_freed(FRAME(5)); /* reused by the root since: no double uncharge */
    ck_assert_uint_eq(group_memory_used(2), 0);
    group_memory_close(2);
}
END_TEST

START_TEST(closing_with_a_charge_panics)
{
    group_memory_open(3, 10);
    ck_assert_int_eq(group_memory_reserve(3), 0);
    group_memory_commit(3, FRAME(1));
    group_memory_close(3); /* a leak: SIGABRT */
}
END_TEST

START_TEST(committing_a_charged_frame_panics)
{
    group_memory_open(4, 10);
    group_memory_reserve(4);
    group_memory_commit(4, FRAME(2));
    group_memory_reserve(4);
    group_memory_commit(4, FRAME(2)); /* charged twice: SIGABRT */
}
END_TEST

/* ---- pids ---------------------------------------------------------------- */

START_TEST(members_count_from_one_and_outsiders_are_invisible)
{
    struct proc *maker = &procs[0], *child = &procs[1], *grandchild = &procs[2];
    struct proc *outsider = &procs[3];
    int id = group_create(maker, "box", 50, 0);
    ck_assert_int_ge(id, 1);
    ck_assert_int_eq(group_fork(maker, child), 0);
    ck_assert_int_eq(group_fork(child, grandchild), 0);
    ck_assert_int_eq(group_fork(outsider, &procs[4]), 0); /* a root child stays in the root */
    ck_assert_ptr_null(procs[4].member.group);
    /* inside */
    ck_assert_int_eq(group_pid_of(maker, maker), 1);
    ck_assert_int_eq(group_pid_of(maker, child), 2);
    ck_assert_int_eq(group_pid_of(child, grandchild), 3);
    ck_assert_int_eq(group_pid_of(child, outsider), 0);
    ck_assert_ptr_eq(group_find_visible(grandchild, 1), maker);
    ck_assert_ptr_eq(group_find_visible(maker, 3), grandchild);
    ck_assert_ptr_null(group_find_visible(maker, outsider->pid));
    ck_assert_ptr_null(group_find_visible(maker, 4));
    ck_assert(!group_can_see(maker, outsider));
    /* outside: real pids, everyone found */
    ck_assert_int_eq(group_pid_of(outsider, child), child->pid);
    ck_assert_ptr_eq(group_find_visible(outsider, child->pid), child);
    ck_assert(group_can_see(outsider, grandchild));
    ck_assert_uint_eq(group_id_of(child), (unsigned)id);
    ck_assert_uint_eq(group_id_of(outsider), GROUP_ROOT_ID);
    /* no nesting */
    ck_assert_int_eq(group_create(child, "inner", 10, 0), -EPERM);
    /* the last one out ends it; a pid inside is reused only after the wrap */
    group_leave(child);
    ck_assert_ptr_nonnull(group_by_id((unsigned)id));
    ck_assert_int_eq(group_fork(maker, &procs[5]), 0);
    ck_assert_int_eq(group_pid_of(maker, &procs[5]), 4);
    group_leave(maker);
    group_leave(grandchild);
    group_leave(&procs[5]);
    ck_assert_ptr_null(group_by_id((unsigned)id));
    leave_all();
}
END_TEST

START_TEST(at_most_group_max_groups)
{
    for (int i = 0; i < GROUP_MAX; i++)
        ck_assert_int_eq(group_create(&procs[i], "g", 100, 0), i + 1);
    ck_assert_int_eq(group_create(&procs[GROUP_MAX], "one too many", 100, 0), -EAGAIN);
    struct group_info infos[GROUP_MAX];
    ck_assert_int_eq(group_list(&procs[GROUP_MAX], infos, GROUP_MAX), GROUP_MAX);
    ck_assert_int_eq(group_list(&procs[3], infos, GROUP_MAX), 1); /* inside: only its own */
    ck_assert_int_eq(infos[0].id, 4);
    leave_all();
    ck_assert_int_eq(group_list(&procs[GROUP_MAX], infos, GROUP_MAX), 0);
}
END_TEST

/* ---- the group level ----------------------------------------------------- */

START_TEST(two_groups_at_3_to_1_get_exactly_3_to_1_picks)
{
    struct proc *high = &procs[0], *low = &procs[1];
    group_create(low, "low", 25, 0);
    group_create(high, "high", 75, 0);
    struct proc idle;
    host_proc_init(&idle, PID_IDLE, "idle");
    high->state = low->state = PROC_READY;
    group_sched_enqueue(high);
    group_sched_enqueue(low);
    int picks_high = 0, picks_low = 0;
    for (int i = 0; i < 400; i++) {
        ck_assert(group_sched_any_ready());
        bool root_turn = true;
        struct proc *next = group_sched_pick(&root_turn);
        ck_assert(!root_turn);
        ck_assert(next == high || next == low);
        picks_high += next == high;
        picks_low += next == low;
        group_sched_switched(&idle, next, 0);
        group_sched_switched(next, &idle, 3000000); /* one 3 ms slice each time */
        group_sched_enqueue(next);                  /* a spinner: READY again */
    }
    ck_assert_int_eq(picks_high, 300);
    ck_assert_int_eq(picks_low, 100);
    /* the root, when it has a READY process, is an entity like the others */
    group_sched_root_joins();
    bool root_turn = false;
    for (int i = 0; i < 8 && !root_turn; i++) {
        struct proc *next = group_sched_pick(&root_turn);
        if (next) {
            group_sched_switched(next, &idle, 3000000);
            group_sched_enqueue(next);
        }
    }
    ck_assert(root_turn);
    group_sched_root_leaves();
    group_sched_dequeue(high);
    group_sched_dequeue(low);
    ck_assert(!group_sched_any_ready());
    leave_all();
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("group");
    TCase *memory = tcase_create("memory");
    tcase_add_checked_fixture(memory, setup, NULL);
    tcase_add_test(memory, limit_refuses_the_page_past_it);
    tcase_add_test(memory, a_frame_is_charged_once_and_root_frames_never);
    tcase_add_test_raise_signal(memory, closing_with_a_charge_panics, SIGABRT);
    tcase_add_test_raise_signal(memory, committing_a_charged_frame_panics, SIGABRT);
    suite_add_tcase(suite, memory);
    TCase *pids = tcase_create("pids");
    tcase_add_checked_fixture(pids, setup, NULL);
    tcase_add_test(pids, members_count_from_one_and_outsiders_are_invisible);
    tcase_add_test(pids, at_most_group_max_groups);
    suite_add_tcase(suite, pids);
    TCase *sched = tcase_create("sched");
    tcase_add_checked_fixture(sched, setup, NULL);
    tcase_add_test(sched, two_groups_at_3_to_1_get_exactly_3_to_1_picks);
    suite_add_tcase(suite, sched);
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
