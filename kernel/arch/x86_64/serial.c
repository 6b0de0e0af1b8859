/*
 * serial.c — COM1 (16550 UART) driver: polled output, interrupt-driven input.
 *
 * Output polls the line-status register, which is simple and safe from any
 * context, including panic. Input raises IRQ 4 for each received byte; the
 * handler hands bytes to console.c, which buffers them for readers. Under
 * QEMU the UART is wired to the terminal that ran `make run`.
 * OSTEP ch. 36 (I/O Devices): programmed I/O and interrupts.
 */
#include "kernel/arch/x86_64/serial.h"
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/console.h"

#define COM1 0x3f8
#define REG_DATA 0         /* receive / transmit buffer (DLAB=0) */
#define REG_INTERRUPTS 1   /* interrupt enable (DLAB=0) */
#define REG_DIVISOR_LOW 0  /* baud divisor (DLAB=1) */
#define REG_DIVISOR_HIGH 1 /* baud divisor (DLAB=1) */
#define REG_FIFO 2
#define REG_LINE_CONTROL 3
#define REG_MODEM_CONTROL 4
#define REG_LINE_STATUS 5
#define LINE_STATUS_DATA_READY 0x01
#define LINE_STATUS_TRANSMIT_EMPTY 0x20

void serial_init(void)
{
    outb(COM1 + REG_INTERRUPTS, 0x00);
    outb(COM1 + REG_LINE_CONTROL, 0x80); /* DLAB on: next two are the divisor */
    outb(COM1 + REG_DIVISOR_LOW, 0x01);  /* 115200 baud */
    outb(COM1 + REG_DIVISOR_HIGH, 0x00);
    outb(COM1 + REG_LINE_CONTROL, 0x03);  /* 8 data bits, no parity, 1 stop */
    outb(COM1 + REG_FIFO, 0xc7);          /* FIFOs on, cleared, 14-byte trigger */
    outb(COM1 + REG_MODEM_CONTROL, 0x0b); /* DTR, RTS, OUT2 (routes the IRQ) */
    outb(COM1 + REG_INTERRUPTS, 0x01);    /* interrupt when a byte arrives */
}

void serial_write_char(char c)
{
    while (!(inb(COM1 + REG_LINE_STATUS) & LINE_STATUS_TRANSMIT_EMPTY))
        ;
    outb(COM1 + REG_DATA, (uint8_t)c);
}

void serial_handle_interrupt(void)
{
    while (inb(COM1 + REG_LINE_STATUS) & LINE_STATUS_DATA_READY) {
        char c = (char)inb(COM1 + REG_DATA);
        console_input_char(c == '\r' ? '\n' : c); /* terminals send CR for Enter */
    }
}
