/*
 * vga.h — the 80x25 VGA text screen, Prism's second console (make run GUI=1).
 * OSTEP ch. 36 (I/O Devices): memory-mapped I/O.
 */
#ifndef PRISM_ARCH_VGA_H
#define PRISM_ARCH_VGA_H

void vga_init(void);
void vga_write_char(char c);

#endif
