/*
 * pagewalk PID ADDRESS — follow one virtual address through a process's
 * four-level page table: at each level the 9-bit index taken from the
 * address, the entry found there, its flags and the next table (or frame).
 * Try the same address in two `mem` processes: same indices, different frames.
 * `pagewalk --vm PID ADDRESS`: PID runs a VM (`vm`), ADDRESS is guest-virtual:
 * the guest's own walk, then the nested one (user/lib/hypervisor_walk.c).
 * OSTEP ch. 20 (Paging: Smaller Tables — multi-level page tables).
 */
#include "kernel/mm/swap_entry.h"
#include "lib/string.h"
#include "user/lib/args.h"
#include "user/lib/hypervisor_walk.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"
#include "user/lib/vm.h"

#define ENTRY_ADDRESS_MASK 0x000ffffffffff000UL
#define MAX_REGIONS 16

/* LAB pagetable BEGIN */
static const char *level_name(int level)
{
    static const char *const names[] = {"", "PT", "PD", "PDPT", "PML4"};
    return level >= 1 && level <= 4 ? names[level] : "?";
}

static void print_flags(unsigned long entry)
{
    static const struct {
        unsigned long bit;
        const char *name;
    } flags[] = {{1UL << 0, "present"},       {1UL << 1, "writable"},   {1UL << 2, "user"},
                 {1UL << 5, "accessed"},      {1UL << 6, "dirty"},      {1UL << 7, "huge"},
                 {1UL << 9, "copy-on-write"}, {1UL << 63, "no-execute"}};
    for (unsigned i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
        if (entry & flags[i].bit)
            printf(" %s", flags[i].name);
}

/* What happens on a first touch of an unmapped address: a region that
 * holds it is backed lazily (demand-zero), anything else faults. */
static void explain_unmapped(int pid, unsigned long address)
{
    static struct vm_region_info regions[MAX_REGIONS];
    int count = vmmap(pid, regions, MAX_REGIONS);
    for (int i = 0; i < count; i++)
        if (address >= regions[i].start && address < regions[i].end) {
            printf("  not mapped yet: it is in the %s region, so a first touch maps a frame "
                   "(demand-zero)\n",
                   vm_kind_name(regions[i].kind));
            return;
        }
    printf("  not mapped: no region holds it, so touching it kills the process (SIGSEGV)\n");
}
/* LAB pagetable END */

int main(int argc, char **argv)
{
    struct args args;
    int pid;
    unsigned long address;
    args_begin(&args, argc, argv, "[--vm] PID ADDRESS",
               "walk PID's four page-table levels for ADDRESS (hex, e.g. 0x401000); with --vm, "
               "PID runs a VM and ADDRESS is guest-virtual: the guest's walk, then the nested one");
    bool in_vm = args_flag(&args, "--vm");
    args_pid(&args, &pid);
    args_address(&args, "ADDRESS", &address);
    if (args_finish(&args) < 0)
        return args.status;
    if (in_vm)
        return hypervisor_walk_show("pagewalk", pid, address);
    struct page_walk_info walk;
    int result = pagewalk(pid, address, &walk);
    if (result < 0) {
        if (result == -ESRCH)
            dprintf(STDERR_FILENO, "pagewalk: %d: no such process\n", pid);
        else
            dprintf(STDERR_FILENO, "pagewalk: %#lx: not a user address\n", address);
        return 1;
    }
    /* LAB pagetable BEGIN: stub
    // TODO(pagetable): print the walk as the handout shows
    (void)walk;
    printf("pagewalk: printing the walk is not written yet (labs/pagetable)\n");
    */
    printf("pid %d, virtual address %#lx\n", pid, address);
    for (int i = 0; i < walk.step_count; i++) {
        unsigned long entry = walk.steps[i].entry;
        printf("  %-4s index %3u  table 0x%08lx  entry 0x%016lx  ->",
               level_name(walk.steps[i].level), walk.steps[i].index,
               (unsigned long)walk.steps[i].table, entry);
        if (walk.steps[i].level == 1 && swap_entry_is_swapped(entry)) {
            printf(" not present: swapped out to slot %lu (sectors %lu-%lu of the swap disk)\n",
                   (unsigned long)swap_entry_slot(entry), (unsigned long)swap_entry_slot(entry) * 8,
                   (unsigned long)swap_entry_slot(entry) * 8 + 7);
            printf("  on the swap disk: a touch is a major fault that reads it back\n");
            return 0;
        }
        if (!(entry & 1)) {
            printf(" not present\n");
            break;
        }
        printf(" %-5s 0x%08lx", walk.steps[i].level == 1 ? "frame" : "table",
               entry & ENTRY_ADDRESS_MASK);
        print_flags(entry);
        printf("\n");
    }
    if (walk.mapped)
        printf("  physical address %#lx (frame %#lx + offset %#lx)\n",
               (unsigned long)walk.physical_address,
               (unsigned long)walk.physical_address & ~0xfffUL, address & 0xfffUL);
    else
        explain_unmapped(pid, address);
    /* LAB pagetable END */
    return 0;
}
