/*
 * sys_proc.c — system calls about processes, time and memory.
 *
 * Each call checks its arguments (numbers in range, every user pointer
 * through user_copy) and then asks the process, scheduler or memory code to
 * do the work. Results are values or negative errno codes.
 * OSTEP ch. 5 (Interlude: Process API).
 */
#include "kernel/syscall/sys_proc.h"
#include "kernel/exec/exec.h"
#include "kernel/group/group.h"
#include "kernel/mm/swap.h"
#include "kernel/mm/address_space.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/pmm.h"
#include "kernel/mm/user_copy.h"
#include "kernel/mm/vm_kernel.h"
#include "kernel/proc/lifecycle.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/policy.h"
#include "kernel/sched/scheduler.h"
#include "kernel/timer.h"
#include "lib/errno.h"
#include "lib/string.h"

#define PATH_MAX 256
#define SLEEP_MAX_MS (24UL * 3600 * 1000) /* a day: longer is surely a bug */

long sys_exit(SYSCALL_ARGS)
{
    proc_exit(W_EXITCODE((int)a0));
}

long sys_fork(SYSCALL_ARGS)
{
    int pid = proc_fork();
    if (pid <= 0)
        return pid;
    return group_pid_of(proc_current(), proc_find(pid)); /* a member's child: its pid inside */
}

/* Copies argv (an array of user pointers ending in NULL) into kernel memory. */
static long copy_arguments(uint64_t user_argv, char **argv, char *strings)
{
    size_t used = 0;
    for (int i = 0;; i++) {
        uint64_t pointer;
        if (user_copy_in(&pointer, user_argv + (uint64_t)i * sizeof(uint64_t), sizeof(pointer)) < 0)
            return -EFAULT;
        if (pointer == 0) {
            argv[i] = NULL;
            return i;
        }
        if (i == EXEC_MAX_ARGS)
            return -E2BIG;
        long length = user_copy_string(strings + used, pointer, EXEC_MAX_ARG_BYTES - used);
        if (length == -ENAMETOOLONG)
            return -E2BIG;
        if (length < 0)
            return length;
        argv[i] = strings + used;
        used += (size_t)length + 1;
    }
}

long sys_execv(SYSCALL_ARGS)
{
    char path[PATH_MAX];
    long result = user_copy_string(path, a0, sizeof(path));
    if (result < 0)
        return result;
    char **argv = kmalloc((EXEC_MAX_ARGS + 2) * sizeof(char *));
    char *strings = kmalloc(EXEC_MAX_ARG_BYTES);
    if (!argv || !strings) {
        result = -ENOMEM;
    } else if (a1 == 0) { /* no argv: the program still gets its name */
        argv[0] = path;
        argv[1] = NULL;
        result = 0;
    } else {
        result = copy_arguments(a1, argv, strings);
    }
    if (result >= 0)
        result = exec_load(proc_current(), path, argv);
    kfree(argv);
    kfree(strings);
    return result;
}

long sys_waitpid(SYSCALL_ARGS)
{
    int status = 0;
    /* Check the status pointer before reaping: a zombie reaped into a bad
     * pointer would lose its status for good. */
    if (a1 != 0 && user_copy_out(a1, &status, sizeof(status)) < 0)
        return -EFAULT;
    int pid = proc_wait((int)a0, &status, (int)a2);
    if (pid > 0 && a1 != 0 && user_copy_out(a1, &status, sizeof(status)) < 0)
        return -EFAULT;
    return pid;
}

/* Pids cross the boundary translated (group.h): a member of a container
 * group sees its group's own numbering, everyone else real pids. */
long sys_getpid(SYSCALL_ARGS)
{
    struct proc *p = proc_current();
    return group_pid_of(p, p);
}

long sys_getppid(SYSCALL_ARGS)
{
    struct proc *p = proc_current();
    return p->parent ? group_pid_of(p, p->parent) : 0; /* 0: the parent is outside the group */
}

long sys_kill(SYSCALL_ARGS)
{
    if ((int64_t)a0 <= 0 || a0 > INT32_MAX)
        return -EINVAL; /* no process groups or "everyone" through kill */
    struct proc *target = group_find_visible(proc_current(), (int)a0);
    if (!target)
        return -ESRCH; /* also a process outside the caller's group */
    return proc_kill(target->pid, (int)a1);
}

long sys_yield(SYSCALL_ARGS)
{
    sched_yield();
    return 0;
}

long sys_sleep(SYSCALL_ARGS)
{
    if (a0 > SLEEP_MAX_MS)
        return -EINVAL;
    uint64_t ticks = (a0 * timer_hz() + 999) / 1000; /* round up: never wake early */
    if (ticks > 0)
        sched_sleep_ticks(ticks);
    return proc_current()->pending_signal ? -EINTR : 0;
}

long sys_uptime(SYSCALL_ARGS)
{
    return (long)timer_uptime_ms();
}

long sys_sbrk(SYSCALL_ARGS)
{
    return as_sbrk(proc_current()->address_space, (long)a0);
}

long sys_setpgid(SYSCALL_ARGS)
{
    struct proc *caller = proc_current();
    if (a0 > INT32_MAX || a1 > INT32_MAX)
        return -EINVAL;
    struct proc *target = a0 == 0 ? caller : group_find_visible(caller, (int)a0);
    if (!target || (target != caller && target->parent != caller))
        return -ESRCH;
    int pgid = a1 == 0 ? target->pid : (int)a1;
    if (pgid <= 0)
        return -EINVAL;
    if (a1 != 0 && caller->member.group) { /* a pgid inside is a member's pid inside */
        struct proc *leader = group_find_visible(caller, pgid);
        if (!leader)
            return -EPERM;
        pgid = leader->pid;
    }
    target->pgid = pgid;
    return 0;
}

/* A pgid is a leader's real pid: as viewer sees it, or 0 if it cannot. */
static int visible_pgid(const struct proc *viewer, int pgid)
{
    struct proc *leader = proc_find(pgid);
    if (!viewer->member.group)
        return pgid;
    return leader ? group_pid_of(viewer, leader) : 0;
}

static void fill_stat(const struct proc *viewer, const struct proc *p, struct proc_stat *stat)
{
    unsigned hz = timer_hz();
    memset(stat, 0, sizeof(*stat));
    stat->pid = group_pid_of(viewer, p);
    stat->ppid = p->parent ? group_pid_of(viewer, p->parent) : 0;
    stat->pgid = visible_pgid(viewer, p->pgid);
    stat->group = (int32_t)group_id_of(p);
    stat->state = (int32_t)p->state;
    strlcpy(stat->name, p->name, sizeof(stat->name));
    stat->cpu_ticks = p->accounting.cpu_ticks;
    stat->cpu_ms = sched_cpu_ns(p) / 1000000; /* the TSC's count, not whole ticks */
    stat->created_ms = p->accounting.created_tick * 1000 / hz;
    stat->first_run_ms = p->accounting.first_run_tick * 1000 / hz;
    stat->voluntary_switches = p->accounting.voluntary_switches;
    stat->involuntary_switches = p->accounting.involuntary_switches;
    stat->page_faults = p->accounting.page_faults;
    stat->copy_on_write_faults = p->accounting.copy_on_write_faults;
    if (p->address_space)
        stat->resident_pages = as_resident_pages(p->address_space, 0, USER_HALF_END);
    stat->major_faults = p->accounting.major_faults;
    if (p->address_space)
        stat->swapped_pages = swap_swapped_pages(p->address_space, 0, USER_HALF_END);
    const struct sched_policy *policy = sched_current_policy();
    if (policy->show_param) {
        const char *label = "";
        long value = 0;
        policy->show_param(p, &label, &value);
        strlcpy(stat->policy_label, label, sizeof(stat->policy_label));
        stat->policy_value = value;
    }
}

/* All entries are filled first and copied out once: a copy may sleep (a page
 * coming back from swap), and a process on the list may be freed meanwhile. */
long sys_procstat(SYSCALL_ARGS)
{
    if ((int64_t)a1 < 0)
        return -EINVAL;
    size_t count = a1 < proc_count() ? (size_t)a1 : proc_count();
    if (count == 0)
        return 0;
    struct proc_stat *stats = kmalloc(count * sizeof(*stats));
    if (!stats)
        return -ENOMEM;
    size_t filled = 0;
    struct proc *viewer = proc_current();
    list_for_each(node, &proc_list)
    {
        if (filled == count)
            break;
        struct proc *p = list_entry(node, struct proc, all);
        if (group_can_see(viewer, p)) /* inside a group: its members only */
            fill_stat(viewer, p, &stats[filled++]);
    }
    int result = user_copy_out(a0, stats, filled * sizeof(*stats));
    kfree(stats);
    return result < 0 ? result : (long)filled;
}

long sys_meminfo(SYSCALL_ARGS)
{
    struct mem_info info = {
        .page_size = PAGE_SIZE,
        .total_frames = pmm_total_frames(),
        .free_frames = pmm_free_frames(),
        .shared_frames = pmm_shared_frames(),
        .kernel_heap_bytes = kmalloc_bytes_in_use(),
        .kernel_heap_frames = kmalloc_heap_frames(),
        .kernel_table_frames = vm_kernel_table_frames(),
    };
    return user_copy_out(a0, &info, sizeof(info));
}
