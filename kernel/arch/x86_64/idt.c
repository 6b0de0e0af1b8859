/*
 * idt.c — the interrupt descriptor table: which code runs for each vector.
 *
 * All 256 entries point at the stubs in trap_entry.asm, so no vector can
 * arrive at an empty gate. They are interrupt gates (interrupts stay off on
 * entry until the kernel decides otherwise) callable only by hardware, except
 * int3 (breakpoint), which user programs may raise themselves. The double
 * fault runs on its own stack (IST) so it can be reported even when the
 * kernel stack is what broke; NMI and machine check run on theirs because
 * they can arrive while rsp is still a user's (gdt.h).
 * OSTEP ch. 6: the trap table is set at boot.
 */
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/nmi.h"
#include "kernel/arch/x86_64/trap.h"

#include <stdint.h>

struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attributes;
    uint16_t offset_middle;
    uint32_t offset_high;
    uint32_t reserved;
} __attribute__((packed));

#define GATE_INTERRUPT 0x8e     /* present, ring 0, 64-bit interrupt gate */
#define GATE_USER_CALLABLE 0x60 /* DPL 3: `int n` from ring 3 is allowed */
#define VECTOR_NMI 2
#define VECTOR_BREAKPOINT 3
#define VECTOR_DOUBLE_FAULT 8
#define VECTOR_MACHINE_CHECK 18

/* Which vectors run on a stack of their own (gdt.h says why). */
static uint8_t ist_slot(int vector)
{
    switch (vector) {
    case VECTOR_DOUBLE_FAULT:
        return IST_DOUBLE_FAULT;
    case VECTOR_NMI:
        return IST_NMI;
    case VECTOR_MACHINE_CHECK:
        return IST_MACHINE_CHECK;
    default:
        return 0;
    }
}

extern const uint64_t trap_stub_table[256];

static struct idt_gate idt[256];

void idt_init(void)
{
    for (int vector = 0; vector < 256; vector++) {
        uint64_t handler = trap_stub_table[vector];
        idt[vector] = (struct idt_gate){
            .offset_low = (uint16_t)handler,
            .selector = GDT_KERNEL_CODE,
            .ist = ist_slot(vector),
            .type_attributes = GATE_INTERRUPT,
            .offset_middle = (uint16_t)(handler >> 16),
            .offset_high = (uint32_t)(handler >> 32),
        };
    }
    idt[VECTOR_BREAKPOINT].type_attributes |= GATE_USER_CALLABLE;

    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) pointer = {sizeof(idt) - 1, (uint64_t)idt};
    __asm__ volatile("lidt %0" : : "m"(pointer));
    machine_check_enable(); /* only now can vector 18 be delivered */
}
