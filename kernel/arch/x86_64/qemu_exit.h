/*
 * qemu_exit.h — ends a QEMU run with a status, for automated tests.
 *
 * QEMU's isa-debug-exit device (-device isa-debug-exit,iobase=0xf4,iosize=4)
 * exits the emulator when a value is written to its port, with exit status
 * (value << 1) | 1. Without the device the write does nothing, so calling this
 * on real hardware or a plain `make run` is harmless.
 * Test infrastructure; OSTEP has no chapter on it (see ch. 6 for port I/O).
 */
#ifndef PRISM_ARCH_QEMU_EXIT_H
#define PRISM_ARCH_QEMU_EXIT_H

#include "kernel/arch/x86_64/instructions.h"

#define QEMU_EXIT_PORT 0xf4
#define QEMU_EXIT_SUCCESS 0x10 /* QEMU exits with status 33 */
#define QEMU_EXIT_FAILURE 0x11 /* QEMU exits with status 35 */

static inline void qemu_exit(uint8_t value)
{
    outb(QEMU_EXIT_PORT, value);
}

#endif
