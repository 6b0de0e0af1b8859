/*
 * ide.h — the ATA (IDE) disk on the primary channel, programmed I/O with interrupts.
 * OSTEP ch. 36 (I/O Devices: the IDE disk driver is the chapter's example).
 */
#ifndef PRISM_KERNEL_DEV_IDE_H
#define PRISM_KERNEL_DEV_IDE_H

#include <stdbool.h>
#include <stdint.h>

#define IDE_IRQ 14

/* Looks for an ATA disk as primary master; registers it with the block
 * layer and returns true if there is one. `model` gets its name (41 bytes). */
bool ide_init(char model[41], uint64_t *sectors_out);

/* IRQ 14: the disk finished a sector (or a command). */
void ide_handle_interrupt(void);

#endif
