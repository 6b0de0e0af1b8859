/*
 * pic.c — 8259A programmable interrupt controller pair.
 *
 * The BIOS leaves IRQs 0-7 on vectors 8-15, which collide with CPU
 * exceptions, so we re-program the pair to deliver IRQ n on vector 32+n and
 * start with every line masked; drivers unmask the lines they handle.
 * (SMP will move to the APIC; the PIC is enough for one CPU.)
 * OSTEP ch. 36 (I/O Devices).
 */
#include "kernel/arch/x86_64/pic.h"
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/arch/x86_64/trap.h"

#include <stdint.h>

#define PIC1_COMMAND 0x20
#define PIC1_DATA 0x21
#define PIC2_COMMAND 0xa0
#define PIC2_DATA 0xa1
#define PIC_END_OF_INTERRUPT 0x20
#define PIC_READ_IN_SERVICE 0x0b
#define CASCADE_IRQ 2

static uint16_t irq_mask = 0xffff;

static void write_masks(void)
{
    outb(PIC1_DATA, (uint8_t)irq_mask);
    outb(PIC2_DATA, (uint8_t)(irq_mask >> 8));
}

void pic_init(void)
{
    outb(PIC1_COMMAND, 0x11); /* ICW1: initialise, ICW4 follows */
    io_wait();
    outb(PIC2_COMMAND, 0x11);
    io_wait();
    outb(PIC1_DATA, TRAP_IRQ_BASE); /* ICW2: vector offsets */
    io_wait();
    outb(PIC2_DATA, TRAP_IRQ_BASE + 8);
    io_wait();
    outb(PIC1_DATA, 1 << CASCADE_IRQ); /* ICW3: secondary on line 2 */
    io_wait();
    outb(PIC2_DATA, CASCADE_IRQ);
    io_wait();
    outb(PIC1_DATA, 0x01); /* ICW4: 8086 mode */
    io_wait();
    outb(PIC2_DATA, 0x01);
    io_wait();
    irq_mask = 0xffff & ~(1 << CASCADE_IRQ);
    write_masks();
}

void pic_unmask(int irq)
{
    irq_mask &= (uint16_t) ~(1 << irq);
    write_masks();
}

static bool in_service(uint16_t command_port, int line)
{
    outb(command_port, PIC_READ_IN_SERVICE);
    return inb(command_port) & (1 << line);
}

bool pic_acknowledge(int irq)
{
    if (irq == 7 && !in_service(PIC1_COMMAND, 7))
        return false;
    if (irq == 15 && !in_service(PIC2_COMMAND, 7)) {
        outb(PIC1_COMMAND, PIC_END_OF_INTERRUPT); /* the cascade line was real */
        return false;
    }
    if (irq >= 8)
        outb(PIC2_COMMAND, PIC_END_OF_INTERRUPT);
    outb(PIC1_COMMAND, PIC_END_OF_INTERRUPT);
    return true;
}
