/*
 * gdt.c — the 64-bit global descriptor table and task-state segment.
 *
 * In long mode segments barely matter for addressing, but the GDT still says
 * which code runs in ring 0 and which in ring 3, and the TSS tells the CPU
 * which stack to load when an interrupt or exception moves it from ring 3 to
 * ring 0 (rsp0) or needs a guaranteed-good stack (IST entries). The boot GDT
 * from boot.asm is replaced here by this one. OSTEP ch. 6.
 */
#include "kernel/arch/x86_64/gdt.h"

#include <stddef.h>

struct task_state_segment {
    uint32_t reserved0;
    uint64_t rsp[3]; /* stack for entering ring 0, 1, 2 */
    uint64_t reserved1;
    uint64_t ist[7]; /* interrupt stack table, slots 1..7 */
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t io_bitmap_offset; /* past the limit: no port is allowed in ring 3 */
} __attribute__((packed));

struct descriptor_pointer {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

/* Access byte bits: present, ring, code/data, executable, writable. */
#define SEG_PRESENT (1ULL << 47)
#define SEG_RING3 (3ULL << 45)
#define SEG_CODE_OR_DATA (1ULL << 44)
#define SEG_EXECUTABLE (1ULL << 43)
#define SEG_WRITABLE (1ULL << 41)
#define SEG_LONG_MODE (1ULL << 53)
#define SEG_TSS_AVAILABLE (0x9ULL << 40)

static uint64_t gdt[7];
static struct task_state_segment tss;
#define IST_STACK_BYTES 8192 /* a panic report or an NMI backtrace fits */
static uint8_t ist_stacks[3][IST_STACK_BYTES] __attribute__((aligned(16)));

static void load_gdt_and_segments(void)
{
    struct descriptor_pointer pointer = {sizeof(gdt) - 1, (uint64_t)gdt};
    __asm__ volatile("lgdt %0\n\t"
                     "mov %1, %%ds\n\t"
                     "mov %1, %%es\n\t"
                     "mov %1, %%ss\n\t"
                     "pushq %2\n\t" /* reload CS with a far return */
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "ltr %w3"
                     :
                     : "m"(pointer), "r"((uint64_t)GDT_KERNEL_DATA), "i"(GDT_KERNEL_CODE),
                       "r"((uint16_t)GDT_TSS)
                     : "rax", "memory");
}

void gdt_init(void)
{
    uint64_t tss_base = (uint64_t)&tss;
    uint64_t tss_limit = sizeof(tss) - 1;

    gdt[0] = 0;
    gdt[1] = SEG_PRESENT | SEG_CODE_OR_DATA | SEG_EXECUTABLE | SEG_LONG_MODE;
    gdt[2] = SEG_PRESENT | SEG_CODE_OR_DATA | SEG_WRITABLE;
    gdt[3] = SEG_PRESENT | SEG_RING3 | SEG_CODE_OR_DATA | SEG_WRITABLE;
    gdt[4] = SEG_PRESENT | SEG_RING3 | SEG_CODE_OR_DATA | SEG_EXECUTABLE | SEG_LONG_MODE;
    /* A TSS descriptor is 16 bytes: base and limit scattered over two slots. */
    gdt[5] = SEG_PRESENT | SEG_TSS_AVAILABLE | (tss_limit & 0xffff) |
             ((tss_base & 0xffffff) << 16) | ((tss_base >> 24 & 0xff) << 56);
    gdt[6] = tss_base >> 32;

    tss.io_bitmap_offset = sizeof(tss);
    for (int slot = 1; slot <= 3; slot++)
        tss.ist[slot - 1] = (uint64_t)ist_stacks[slot - 1] + IST_STACK_BYTES;
    load_gdt_and_segments();
}

void gdt_set_kernel_stack(uint64_t stack_top)
{
    tss.rsp[0] = stack_top;
}
