/*
 * vmmap [PID] — the regions of a process's address space, like Linux's
 * /proc/PID/maps: start, end, permissions, kind, and how many pages are
 * resident (have a physical frame right now). Heap and stack regions are
 * mostly not resident until touched: lazy allocation made visible.
 * OSTEP ch. 13 (Address Spaces), ch. 23 (lazy allocation).
 */
#include "lib/string.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"
#include "user/lib/vm.h"
#include "user/lib/args.h"

#define MAX_REGIONS 16

int main(int argc, char **argv)
{
    struct args args;
    int pid = getpid();
    args_begin(&args, argc, argv, "[PID]",
               "list the regions of PID's address space (default: vmmap's own)");
    args_optional_pid(&args, &pid);
    if (args_finish(&args) < 0)
        return args.status;
    static struct vm_region_info regions[MAX_REGIONS];
    int count = vmmap(pid, regions, MAX_REGIONS);
    if (count < 0) {
        dprintf(STDERR_FILENO, "vmmap: %d: no such process\n", pid);
        return 1;
    }
    printf("%-18s %-18s %-4s %-7s %9s %9s %8s\n", "START", "END", "PERM", "KIND", "SIZE-KB",
           "RESIDENT", "SWAPPED");
    for (int i = 0; i < count; i++) {
        const struct vm_region_info *r = &regions[i];
        char permissions[4] = {'r', r->permissions & VM_REGION_WRITE ? 'w' : '-',
                               r->permissions & VM_REGION_EXECUTE ? 'x' : '-', '\0'};
        printf("%016lx   %016lx   %-4s %-7s %9lu %9lu %8lu\n", (unsigned long)r->start,
               (unsigned long)r->end, permissions, vm_kind_name(r->kind),
               (unsigned long)(r->end - r->start) / 1024, (unsigned long)r->resident_pages,
               (unsigned long)r->swapped_pages);
    }
    return 0;
}
