/*
 * console.h — the kernel's terminal: text out to every screen, keys in.
 *
 * Output goes to the serial port and the VGA screen together; input from the
 * serial port and the PS/2 keyboard lands in one buffer. Interrupt handlers
 * feed input, readers take it. OSTEP ch. 36 (I/O Devices).
 */
#ifndef PRISM_KERNEL_CONSOLE_H
#define PRISM_KERNEL_CONSOLE_H

#include <stddef.h>

void console_init(void);

/* Writes all of text atomically: no other output lands inside it. */
void console_write(const char *text, size_t length);

/* Called from interrupt handlers with each character typed. */
void console_input_char(char c);

/* From now on typed characters go to the tty line discipline (tty.c), which
 * serves user processes, instead of the kernel monitor's buffer. */
void console_attach_tty(void);

/* Returns the next typed character, or -1 if none is waiting. */
int console_try_read_char(void);

/* kprintf formats like printf (see lib/format.h) and writes to the console. */
__attribute__((format(printf, 1, 2))) int kprintf(const char *fmt, ...);

#endif
