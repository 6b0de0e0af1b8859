/*
 * ide.c — an ATA disk driver: programmed I/O, one interrupt per sector.
 *
 * The protocol (OSTEP ch. 36's example, ATA-1 through ATA-8 all keep it):
 * the primary channel's registers sit at ports 0x1F0-0x1F7 and 0x3F6.
 *   1. Wait until the drive is not busy (status BSY clear) and ready (DRDY).
 *   2. Write the sector count, the 28-bit LBA (ports 0x1F3-0x1F5 and the low
 *      nibble of 0x1F6, whose 0xE0 also selects the master in LBA mode) and
 *      then the command (0x20 READ SECTORS, 0x30 WRITE SECTORS) to 0x1F7.
 *   3. Read: for each sector the drive raises IRQ 14 when its 512 bytes are
 *      ready (DRQ set); the handler reads them from the data port 0x1F0.
 *      Write: the driver waits for DRQ once, writes the first sector; the
 *      drive interrupts when it has taken each sector, and the handler
 *      writes the next one; the interrupt after the last ends the command.
 *   4. Reading the status register acknowledges the interrupt; ERR or DF in
 *      it means the command failed (the request completes with -EIO).
 * The CPU copies every byte itself (PIO: no DMA), but it does not wait for
 * the disk's mechanics: between interrupts other processes run.
 * Rule: called with interrupts disabled; one request at a time (block.c's
 * queue head). A stale or spurious IRQ (BSY still set, or no DRQ while data
 * is expected) is ignored.
 * OSTEP ch. 36 (I/O Devices), ch. 37 (Hard Disk Drives).
 */
#include "kernel/dev/ide.h"
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/arch/x86_64/pic.h"
#include "kernel/dev/block.h"
#include "lib/errno.h"

#define IDE_DATA 0x1F0
#define IDE_SECTOR_COUNT 0x1F2
#define IDE_LBA_LOW 0x1F3
#define IDE_LBA_MID 0x1F4
#define IDE_LBA_HIGH 0x1F5
#define IDE_DRIVE 0x1F6
#define IDE_STATUS 0x1F7 /* reading it acknowledges the interrupt */
#define IDE_COMMAND 0x1F7
#define IDE_CONTROL 0x3F6    /* writing: nIEN (bit 1) masks the drive's interrupt */
#define IDE_ALT_STATUS 0x3F6 /* reading: status without acknowledging */

#define STATUS_BSY 0x80
#define STATUS_DRDY 0x40
#define STATUS_DF 0x20
#define STATUS_DRQ 0x08
#define STATUS_ERR 0x01

#define COMMAND_READ_SECTORS 0x20
#define COMMAND_WRITE_SECTORS 0x30
#define COMMAND_IDENTIFY 0xEC
#define CONTROL_NO_INTERRUPTS 0x02

#define WORDS_PER_SECTOR 256
#define POLL_LIMIT 10000000 /* status reads before giving up on a dead drive */

static struct block_request *active; /* the request the drive is working on */

/* 400 ns for the drive to post a new status: four reads of the alternate status. */
static void settle(void)
{
    for (int i = 0; i < 4; i++)
        inb(IDE_ALT_STATUS);
}

/* Waits until BSY is clear; returns the status, or 0xFF if it never clears. */
static uint8_t wait_not_busy(void)
{
    for (long i = 0; i < POLL_LIMIT; i++) {
        uint8_t status = inb(IDE_STATUS);
        if (!(status & STATUS_BSY))
            return status;
    }
    return 0xFF;
}

static bool failed(uint8_t status)
{
    return status & (STATUS_ERR | STATUS_DF);
}

static void issue(const struct block_request *request)
{
    wait_not_busy();
    outb(IDE_DRIVE, (uint8_t)(0xE0 | ((request->sector >> 24) & 0x0F)));
    settle();
    outb(IDE_SECTOR_COUNT, (uint8_t)request->sector_count); /* callers send <= 255 */
    outb(IDE_LBA_LOW, (uint8_t)request->sector);
    outb(IDE_LBA_MID, (uint8_t)(request->sector >> 8));
    outb(IDE_LBA_HIGH, (uint8_t)(request->sector >> 16));
    outb(IDE_COMMAND, request->write ? COMMAND_WRITE_SECTORS : COMMAND_READ_SECTORS);
}

static void *sector_buffer(struct block_request *request)
{
    return (char *)request->buffer + (uint64_t)request->sectors_done * BLOCK_SECTOR_SIZE;
}

/* Write: after the command the drive asks for the first sector with DRQ. */
static int send_first_sector(struct block_request *request)
{
    uint8_t status = wait_not_busy();
    if (failed(status) || !(status & STATUS_DRQ))
        return -EIO;
    port_write_words(IDE_DATA, sector_buffer(request), WORDS_PER_SECTOR);
    return 0;
}

static void ide_start(struct block_request *request)
{
    active = request;
    request->sectors_done = 0;
    outb(IDE_CONTROL, 0); /* interrupts on */
    issue(request);
    if (request->write && send_first_sector(request) < 0) {
        active = NULL;
        block_request_done(request, -EIO);
    }
}

void ide_handle_interrupt(void)
{
    uint8_t status = inb(IDE_STATUS); /* acknowledges the drive's interrupt */
    struct block_request *request = active;
    if (!request || (status & STATUS_BSY))
        return; /* stale (a polled command's) or early: not ours to act on */
    if (failed(status)) {
        active = NULL;
        block_request_done(request, -EIO);
        return;
    }
    if (!request->write) {
        if (!(status & STATUS_DRQ))
            return; /* spurious: no data yet */
        port_read_words(IDE_DATA, sector_buffer(request), WORDS_PER_SECTOR);
        request->sectors_done++;
    } else {
        request->sectors_done++; /* the drive took the sector we sent last */
        if (request->sectors_done < request->sector_count) {
            port_write_words(IDE_DATA, sector_buffer(request), WORDS_PER_SECTOR);
            return;
        }
    }
    if (request->sectors_done == request->sector_count) {
        active = NULL;
        block_request_done(request, 0);
    }
}

/* The same protocol with the drive's interrupt masked, watching the status
 * register instead: only for boot, before any process can sleep. */
static int ide_transfer_polled(struct block_request *request)
{
    outb(IDE_CONTROL, CONTROL_NO_INTERRUPTS);
    issue(request);
    int result = 0;
    for (unsigned i = 0; i < request->sector_count && result == 0; i++) {
        settle();
        uint8_t status = wait_not_busy();
        if (failed(status) || !(status & STATUS_DRQ)) {
            result = -EIO;
            break;
        }
        if (request->write)
            port_write_words(IDE_DATA, sector_buffer(request), WORDS_PER_SECTOR);
        else
            port_read_words(IDE_DATA, sector_buffer(request), WORDS_PER_SECTOR);
        request->sectors_done++;
    }
    settle();
    if (result == 0 && failed(wait_not_busy()))
        result = -EIO;
    outb(IDE_CONTROL, 0);
    request->done = true;
    request->error = result;
    return result;
}

static struct block_driver ide_driver = {
    .name = "ide0",
    .start = ide_start,
    .transfer_polled = ide_transfer_polled,
};

/* IDENTIFY DEVICE: 256 words about the drive; words 60-61 count its
 * 28-bit-addressable sectors, words 27-46 hold its model, two characters
 * per word with the first in the high byte. */
bool ide_init(char model[41], uint64_t *sectors_out)
{
    outb(IDE_CONTROL, CONTROL_NO_INTERRUPTS);
    outb(IDE_DRIVE, 0xA0); /* master */
    settle();
    if (inb(IDE_STATUS) == 0xFF)
        return false; /* floating bus: no controller or no drive */
    outb(IDE_SECTOR_COUNT, 0);
    outb(IDE_LBA_LOW, 0);
    outb(IDE_LBA_MID, 0);
    outb(IDE_LBA_HIGH, 0);
    outb(IDE_COMMAND, COMMAND_IDENTIFY);
    settle();
    if (inb(IDE_STATUS) == 0)
        return false; /* no drive */
    uint8_t status = wait_not_busy();
    if (inb(IDE_LBA_MID) != 0 || inb(IDE_LBA_HIGH) != 0)
        return false; /* an ATAPI (CD) or SATA device, not an ATA disk */
    for (long i = 0; i < POLL_LIMIT && !(status & (STATUS_DRQ | STATUS_ERR)); i++)
        status = inb(IDE_STATUS);
    if (failed(status) || !(status & STATUS_DRQ))
        return false;
    uint16_t identify[WORDS_PER_SECTOR];
    port_read_words(IDE_DATA, identify, WORDS_PER_SECTOR);
    for (int i = 0; i < 20; i++) {
        model[2 * i] = (char)(identify[27 + i] >> 8);
        model[2 * i + 1] = (char)identify[27 + i];
    }
    int end = 40;
    while (end > 0 && model[end - 1] == ' ')
        end--;
    model[end] = '\0';
    uint64_t sectors = (uint64_t)identify[60] | ((uint64_t)identify[61] << 16);
    *sectors_out = sectors;
    ide_driver.sectors = sectors;
    block_register(&ide_driver);
    pic_unmask(IDE_IRQ);
    outb(IDE_CONTROL, 0);
    return true;
}
