/*
 * keyboard.h — the PS/2 keyboard, input for the VGA console (make run GUI=1).
 * OSTEP ch. 36 (I/O Devices): interrupt-driven input.
 */
#ifndef PRISM_ARCH_KEYBOARD_H
#define PRISM_ARCH_KEYBOARD_H

/* Interrupt handler for IRQ 1: translates one scancode into console input. */
void keyboard_handle_interrupt(void);

#endif
