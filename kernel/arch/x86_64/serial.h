/*
 * serial.h — the COM1 UART: Prism's main console under QEMU (-serial stdio).
 * OSTEP ch. 36 (I/O Devices): a device is a few registers behind I/O ports.
 */
#ifndef PRISM_ARCH_SERIAL_H
#define PRISM_ARCH_SERIAL_H

void serial_init(void);
void serial_write_char(char c);
/* Interrupt handler for IRQ 4: drains received bytes into the console. */
void serial_handle_interrupt(void);

#endif
