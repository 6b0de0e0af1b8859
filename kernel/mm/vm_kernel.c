/*
 * vm_kernel.c — the kernel half of the address space, built once at boot.
 *
 * boot.asm mapped 4 GiB with 2 MiB pages three times over, all writable and
 * executable, including an identity map that makes NULL a valid address. Here
 * the kernel maps itself properly: each section of its image with the least
 * permission it needs (text read+execute, rodata read, data read+write), all
 * of physical memory once at DIRECT_MAP_BASE (no-execute, page 0 left out),
 * and nothing in the lower half, which from now on belongs to user processes.
 * The PML4 slots the kernel uses get their tables now, so address spaces made
 * later can share them by copying the top-level entries.
 * OSTEP ch. 18-20 (Paging), ch. 23 (Complete VM Systems: the kernel half).
 */
#include "kernel/mm/vm_kernel.h"
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page_table.h"
#include "kernel/mm/pmm.h"
#include "kernel/panic.h"

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __kernel_end[];

static uint64_t kernel_pml4;

static uint64_t image_physical(const char *virtual_address)
{
    return (uint64_t)virtual_address - KERNEL_IMAGE_BASE;
}

static void map_range_or_panic(uint64_t virtual_start, uint64_t virtual_end,
                               uint64_t physical_start, uint64_t flags)
{
    for (uint64_t offset = 0; virtual_start + offset < virtual_end; offset += PAGE_SIZE) {
        int result =
            page_table_map(kernel_pml4, virtual_start + offset, physical_start + offset, flags);
        if (result < 0)
            panic("vm_kernel: cannot map %lx (error %d)", virtual_start + offset, result);
    }
}

static void map_kernel_image(void)
{
    uint64_t text = (uint64_t)__text_start, rodata = (uint64_t)__rodata_start;
    uint64_t data = (uint64_t)__data_start, end = (uint64_t)__kernel_end;
    map_range_or_panic(text, PAGE_ROUND_UP((uint64_t)__text_end), image_physical(__text_start),
                       PTE_GLOBAL);
    map_range_or_panic(rodata, PAGE_ROUND_UP((uint64_t)__rodata_end),
                       image_physical(__rodata_start), PTE_GLOBAL | PTE_NO_EXECUTE);
    map_range_or_panic(data, end, image_physical(__data_start),
                       PTE_GLOBAL | PTE_WRITABLE | PTE_NO_EXECUTE);
}

/* The first 2 MiB get 4 KiB pages so page 0 can stay unmapped (a NULL
 * physical pointer turned virtual still faults); the rest uses 2 MiB pages,
 * which need 512 times fewer table entries. */
static void map_physical_memory(uint64_t physical_end)
{
    uint64_t flags = PTE_GLOBAL | PTE_WRITABLE | PTE_NO_EXECUTE;
    map_range_or_panic(DIRECT_MAP_BASE + PAGE_SIZE, DIRECT_MAP_BASE + HUGE_PAGE_SIZE, PAGE_SIZE,
                       flags);
    for (uint64_t physical = HUGE_PAGE_SIZE; physical < physical_end; physical += HUGE_PAGE_SIZE) {
        if (page_table_map_huge(kernel_pml4, DIRECT_MAP_BASE + physical, physical, flags) < 0)
            panic("vm_kernel: cannot direct-map physical %lx", physical);
    }
}

/* Gives a kernel PML4 slot its next-level table now, so that later copies of
 * the kernel half (one per process) all point at the same table. */
static void preallocate_pml4_slot(uint64_t virtual_address)
{
    uint64_t *top = phys_to_virt(kernel_pml4);
    unsigned index = page_table_index(virtual_address, 4);
    if (top[index] & PTE_PRESENT)
        return;
    uint64_t table = pmm_alloc_zeroed();
    if (!table)
        panic("vm_kernel: out of memory for kernel page tables");
    top[index] = table | PTE_PRESENT | PTE_WRITABLE;
}

void vm_kernel_init(uint64_t physical_end, bool no_execute_supported)
{
    page_table_set_no_execute_supported(no_execute_supported);
    kernel_pml4 = page_table_create();
    if (!kernel_pml4)
        panic("vm_kernel: no memory for the kernel page table");
    map_kernel_image();
    map_physical_memory(PAGE_ROUND_UP(physical_end));
    for (uint64_t address = KERNEL_HEAP_BASE; address < KERNEL_HEAP_LIMIT;
         address += 512ULL * 1024 * 1024 * 1024)
        preallocate_pml4_slot(address);
    preallocate_pml4_slot(KERNEL_STACKS_BASE);
    write_cr3(kernel_pml4);
}

size_t vm_kernel_table_frames(void)
{
    return page_table_count_tables(kernel_pml4, page_table_index(KERNEL_HALF_START, 4),
                                   PAGE_TABLE_ENTRIES - 1);
}

uint64_t vm_kernel_pml4(void)
{
    return kernel_pml4;
}

bool vm_kernel_heap_grow(uintptr_t old_end, size_t bytes)
{
    for (size_t offset = 0; offset < bytes; offset += PAGE_SIZE) {
        uint64_t frame = pmm_alloc();
        if (!frame || page_table_map(kernel_pml4, old_end + offset, frame,
                                     PTE_GLOBAL | PTE_WRITABLE | PTE_NO_EXECUTE) < 0) {
            if (frame)
                pmm_unref(frame);
            while (offset > 0) { /* undo the pages mapped so far */
                offset -= PAGE_SIZE;
                pmm_unref(page_table_unmap(kernel_pml4, old_end + offset));
                invlpg(old_end + offset);
            }
            return false;
        }
    }
    return true;
}
