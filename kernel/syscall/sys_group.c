/*
 * sys_group.c — the system call for container groups (group.h).
 *
 * GROUP_CREATE checks a user's group_spec field by field (name, CPU weight,
 * memory limit), sets up the memory owner table the first time (one byte
 * per frame, from the kernel heap, so a kernel that never makes a group
 * never pays for it), and moves the caller into a new group as its pid 1.
 * GROUP_LIST copies out what the caller may see. Pid translation for the
 * other calls happens where each one names a process (group_find_visible,
 * group_pid_of in sys_proc.c, sys_sched.c, sys_memory.c; set_foreground's
 * pgid here, so the tty code stays free of groups).
 * OSTEP ch. 5 (process API), ch. 9 (shares), ch. 13 (memory).
 */
#include "kernel/group/group.h"
#include "kernel/mm/address_space.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/pmm.h"
#include "kernel/mm/user_copy.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/scheduler.h"
#include "kernel/syscall/sys_file.h"
#include "kernel/syscall/sys_proc.h"
#include "lib/errno.h"
#include "lib/string.h"

static int prepare_memory_accounting(void)
{
    if (group_memory_ready())
        return 0;
    size_t span = pmm_frame_span();
    uint8_t *owners = kzalloc(span);
    if (!owners)
        return -ENOMEM;
    group_memory_set_owner_table(owners, span);
    pmm_set_free_hook(group_memory_frame_freed);
    return 0;
}

static long create_group(uint64_t user_spec)
{
    struct group_spec spec;
    if (user_copy_in(&spec, user_spec, sizeof(spec)) < 0)
        return -EFAULT;
    if (spec.name[0] == '\0' || memchr(spec.name, '\0', sizeof(spec.name)) == NULL)
        return -EINVAL;
    if (spec.cpu_weight < GROUP_CPU_MIN || spec.cpu_weight > GROUP_CPU_MAX || spec.reserved != 0)
        return -EINVAL;
    uint64_t total_bytes = (uint64_t)pmm_total_frames() * PAGE_SIZE;
    if (spec.mem_limit_bytes > total_bytes)
        return -EINVAL; /* a limit beyond RAM limits nothing: surely a typo */
    uint64_t limit_pages = (spec.mem_limit_bytes + PAGE_SIZE - 1) / PAGE_SIZE;
    struct proc *p = proc_current();
    if (p->pid == PID_INIT)
        return -EPERM; /* init stays the root's */
    int error = prepare_memory_accounting();
    if (error < 0)
        return error;
    int id = group_create(p, spec.name, spec.cpu_weight, limit_pages);
    if (id > 0) /* what it maps from now on is the group's; what it had stays uncharged */
        p->address_space->group_id = (unsigned)id;
    return id;
}

static long list_groups(uint64_t user_array, uint64_t max)
{
    if ((int64_t)max < 0)
        return -EINVAL;
    struct group_info infos[GROUP_MAX];
    int count = group_list(proc_current(), infos, max < GROUP_MAX ? (int)max : GROUP_MAX);
    if (count == 0)
        return 0;
    int result = user_copy_out(user_array, infos, (size_t)count * sizeof(infos[0]));
    return result < 0 ? result : count;
}

long sys_group(SYSCALL_ARGS)
{
    switch (a0) {
    case GROUP_CREATE:
        return create_group(a1);
    case GROUP_LIST:
        return list_groups(a1, a2);
    default:
        return -EINVAL;
    }
}

/* A shell inside a group names its job by the leader's pid inside; the tty
 * knows real pgids. */
long sys_group_set_foreground(SYSCALL_ARGS)
{
    struct proc *caller = proc_current();
    if (caller->member.group && a0 != 0) {
        if (a0 > INT32_MAX)
            return -EINVAL;
        struct proc *leader = group_find_visible(caller, (int)a0);
        if (!leader)
            return -ESRCH;
        a0 = (uint64_t)leader->pid;
    }
    return sys_set_foreground(a0, a1, a2, a3, a4, a5);
}
