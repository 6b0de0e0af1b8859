/*
 * sys_memory.c — system calls that let students look inside address spaces.
 *
 * vmmap lists a process's regions (like Linux's /proc/PID/maps) with how many
 * of each region's pages have a frame behind them right now — which is how
 * lazy allocation becomes visible. pagewalk follows one virtual address
 * through the four levels of a process's page table and reports each level's
 * index and entry, ending at the physical frame (or where the walk stops).
 * Any process may inspect any other it can see (a member of a container
 * group sees only its group): this is a teaching kernel.
 * OSTEP ch. 18-20 (Paging: the page-table walk), ch. 13 (address spaces).
 */
#include "kernel/group/group.h"
#include "kernel/mm/address_space.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page_table.h"
#include "kernel/mm/swap.h"
#include "kernel/mm/user_copy.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/scheduler.h"
#include "kernel/syscall/sys_proc.h"
#include "lib/errno.h"
#include "lib/string.h"

static struct proc *process_to_inspect(uint64_t pid)
{
    if (pid > INT32_MAX)
        return NULL;
    struct proc *p = pid == 0 ? proc_current() : group_find_visible(proc_current(), (int)pid);
    return p && p->address_space ? p : NULL;
}

static uint32_t region_permissions(const struct region *region)
{
    uint32_t permissions = VM_REGION_READ;
    if (region->page_flags & PTE_WRITABLE)
        permissions |= VM_REGION_WRITE;
    if (!(region->page_flags & PTE_NO_EXECUTE))
        permissions |= VM_REGION_EXECUTE;
    return permissions;
}

/* The regions are described first and copied out once: a copy may sleep (a
 * page coming back from swap), and the process inspected may exit meanwhile,
 * taking its regions with it. */
long sys_vmmap(SYSCALL_ARGS)
{
    struct proc *p = process_to_inspect(a0);
    if (!p)
        return -ESRCH;
    if ((int64_t)a2 < 0)
        return -EINVAL;
    struct address_space *as = p->address_space;
    size_t count = a2 < (uint64_t)as->region_count ? (size_t)a2 : (size_t)as->region_count;
    if (count == 0)
        return 0;
    struct vm_region_info *infos = kmalloc(count * sizeof(*infos));
    if (!infos)
        return -ENOMEM;
    for (size_t i = 0; i < count; i++) {
        const struct region *region = &as->regions[i];
        infos[i] = (struct vm_region_info){
            .start = region->start,
            .end = region->end,
            .kind = (uint32_t)region->kind,
            .permissions = region_permissions(region),
            .resident_pages = as_resident_pages(as, region->start, region->end),
            .swapped_pages = swap_swapped_pages(as, region->start, region->end),
        };
    }
    int result = user_copy_out(a1, infos, count * sizeof(*infos));
    kfree(infos);
    return result < 0 ? result : (long)count;
}

long sys_pagewalk(SYSCALL_ARGS)
{
    struct proc *p = process_to_inspect(a0);
    if (!p)
        return -ESRCH;
    if (a1 >= USER_HALF_END)
        return -EINVAL; /* only the user half differs between processes */
    struct page_walk walk;
    page_table_walk(p->address_space->pml4, a1, &walk);
    struct page_walk_info info;
    memset(&info, 0, sizeof(info));
    info.address = a1;
    info.step_count = walk.step_count;
    info.mapped = walk.mapped;
    info.physical_address = walk.physical_address;
    for (int i = 0; i < walk.step_count; i++) {
        info.steps[i].level = walk.steps[i].level;
        info.steps[i].index = walk.steps[i].index;
        info.steps[i].table = walk.steps[i].table;
        info.steps[i].entry = walk.steps[i].entry;
    }
    return user_copy_out(a2, &info, sizeof(info));
}
