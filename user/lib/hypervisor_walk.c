/*
 * hypervisor_walk.c — the two-dimensional walk, printed (hypervisor_walk.h).
 * Each step is one line: level, index, which table (guest-physical for the
 * guest's tables, with the host frame that holds it; host-physical for the
 * nested ones) and the entry found. The last line is the chain itself.
 * OSTEP appendix B (VMMs and memory), ch. 20 (multi-level page tables).
 */
#include "user/lib/hypervisor_walk.h"
#include "user/lib/hypervisor.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"

#define ADDRESS_MASK 0x000ffffffffff000UL

static void print_step(const char *table_kind, const struct vm_walk_step *step, uint64_t host)
{
    static const char *const levels[] = {"", "PT", "PD", "PDPT", "PML4"};
    printf("    %-4s index %3u  %s table 0x%08lx", levels[step->level & 7], step->index, table_kind,
           (unsigned long)step->table);
    if (host)
        printf(" (host 0x%08lx)", (unsigned long)host);
    printf("  entry 0x%016lx%s\n", (unsigned long)step->entry,
           (step->entry & 1) ? "" : "  not present");
}

int hypervisor_walk_show(const char *program, int pid, unsigned long address)
{
    struct vm_walk_info info;
    if (hypervisor_walk(pid, address, &info) < 0) {
        dprintf(STDERR_FILENO, "%s: pid %d runs no VM\n", program, pid);
        return 1;
    }
    printf("VM of pid %d, address %#lx\n", pid, address);
    if (info.guest_paging) {
        printf("  1. the guest's page table (CR3 %#lx): guest-virtual -> guest-physical;\n"
               "     each table is itself at a guest-physical address the nested table maps\n",
               (unsigned long)info.guest_cr3);
        for (int i = 0; i < info.guest_step_count; i++)
            print_step("guest", &info.guest_steps[i], info.guest_table_host[i]);
        if (!info.guest_mapped) {
            printf("  not mapped by the guest: a guest page fault, handled by the guest\n");
            return 0;
        }
        printf("     guest-physical %#lx\n", (unsigned long)info.guest_physical);
    } else {
        printf("  1. guest paging is off: the address is guest-physical\n");
    }
    printf("  2. the nested page table (the hypervisor's): guest-physical -> host-physical\n");
    for (int i = 0; i < info.nested_step_count; i++)
        print_step("host", &info.nested_steps[i], 0);
    if (!info.nested_mapped) {
        printf("  not guest RAM: a guest access here is a nested page fault (the VM ends)\n");
        return 0;
    }
    printf("  host-physical %#lx (a Prism frame %#lx)\n", (unsigned long)info.host_physical,
           (unsigned long)(info.host_physical & ADDRESS_MASK));
    if (info.guest_paging)
        printf("  guest-virtual %#lx -> guest-physical %#lx -> host-physical %#lx\n", address,
               (unsigned long)info.guest_physical, (unsigned long)info.host_physical);
    else
        printf("  guest-physical %#lx -> host-physical %#lx\n", address,
               (unsigned long)info.host_physical);
    return 0;
}
