/*
 * sys_pinfo.c — getpinfo: a snapshot of every process's scheduling record.
 *
 * OSTEP's xv6 projects add this call to watch a scheduler work: for each
 * process its pid, state, the timer ticks it has run and how many times it
 * was scheduled. The kernel already keeps all of it in the PCB; the system
 * call's job is the careful part, copying it into an array the user program
 * owns. Every entry goes out through user_copy_out, so a NULL, kernel,
 * read-only or too-short array gives -EFAULT, never a kernel fault.
 * Inside a container group the caller sees only its group's members, with
 * the pids it knows them by (kernel/group/group.h), as ps and kill do.
 * "Times scheduled" needs no counter of its own: each time the dispatcher
 * gives a process the CPU ends in exactly one voluntary or involuntary switch,
 * or is still going on.
 * OSTEP ch. 5-6 (system calls; checking user pointers), the xv6 lottery project.
 */
#include "kernel/group/group.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/user_copy.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/scheduler.h"
#include "kernel/syscall/sys_proc.h"
#include "lib/errno.h"
#include "lib/string.h"

#define PINFO_MAX_ENTRIES 4096 /* more than any process limit: a larger max is a bug */

/* LAB syscall BEGIN: stub
long sys_getpinfo(SYSCALL_ARGS)
{
    // TODO(syscall): fill the array at a0 with up to a1 struct pinfo, one per
    // process on proc_list the caller can see (group_can_see), pids as it sees
    // them (group_pid_of); return how many, -EINVAL or -EFAULT (handout).
    return -ENOSYS;
}
*/
static void fill_pinfo(const struct proc *viewer, const struct proc *p, struct pinfo *info)
{
    memset(info, 0, sizeof(*info));
    info->pid = group_pid_of(viewer, p);
    info->state = (int32_t)p->state;
    info->ticks = p->accounting.cpu_ticks;
    info->scheduled = p->accounting.voluntary_switches + p->accounting.involuntary_switches +
                      (p->state == PROC_RUNNING ? 1 : 0);
    strlcpy(info->name, p->name, sizeof(info->name));
}

/* (struct pinfo *array, max) -> entries filled, in process-list order.
 * The list is read into a snapshot before anything is copied: a copy may
 * sleep (a page coming back from swap) while other processes are freed. */
long sys_getpinfo(SYSCALL_ARGS)
{
    int64_t max = (int64_t)a1;
    if (max < 0 || max > PINFO_MAX_ENTRIES)
        return -EINVAL;
    size_t count = (size_t)max < proc_count() ? (size_t)max : proc_count();
    if (count == 0)
        return 0;
    struct pinfo *snapshot = kmalloc(count * sizeof(*snapshot));
    if (!snapshot)
        return -ENOMEM;
    long filled = 0;
    const struct proc *viewer = proc_current();
    list_for_each(node, &proc_list)
    {
        const struct proc *p = list_entry(node, struct proc, all);
        if ((size_t)filled == count)
            break;
        if (group_can_see(viewer, p))
            fill_pinfo(viewer, p, &snapshot[filled++]);
    }
    int copied = user_copy_out(a0, snapshot, (size_t)filled * sizeof(*snapshot));
    kfree(snapshot);
    return copied < 0 ? -EFAULT : filled;
}
/* LAB syscall END */
