/*
 * block.h — the block layer: one disk, a queue of requests, waiting callers.
 *
 * A caller (the swapper) asks for sectors to be read or written and waits;
 * the request joins a first-come-first-served queue; the driver (ide.c)
 * works on the request at the head and reports it done from its interrupt
 * handler, which wakes the caller and starts the next request. While the
 * disk works the caller is BLOCKED and other processes run — the point of
 * interrupt-driven I/O. Because requests are served strictly in order, a
 * read queued after a write of the same sectors sees the written data.
 * Before there is any process to block (boot) the driver polls instead.
 * OSTEP ch. 36 (I/O Devices), ch. 37 (Hard Disk Drives: request queues).
 */
#ifndef PRISM_KERNEL_DEV_BLOCK_H
#define PRISM_KERNEL_DEV_BLOCK_H

#include "kernel/sched/wait_queue.h"
#include "lib/list.h"

#include <stdbool.h>
#include <stdint.h>

#define BLOCK_SECTOR_SIZE 512

struct block_request {
    uint64_t sector;
    unsigned sector_count;
    unsigned sectors_done; /* the driver's progress */
    void *buffer;          /* sector_count * 512 bytes */
    bool write;
    bool done;
    int error; /* 0 or -EIO, valid once done */
    struct list_node link;
    struct wait_queue waiter; /* the caller, until done */
};

/* What a driver offers the block layer. */
struct block_driver {
    const char *name;
    uint64_t sectors;                             /* capacity */
    void (*start)(struct block_request *request); /* begin; completes via block_request_done */
    int (*transfer_polled)(struct block_request *request); /* whole request, no interrupts */
};

void block_register(const struct block_driver *driver);
const struct block_driver *block_device(void); /* NULL: no disk */

/* Reads or writes whole sectors; returns 0, -EIO, -EINVAL (past the end) or
 * -ENODEV. The calling process blocks until the disk is done. */
int block_read(uint64_t sector, unsigned count, void *buffer);
int block_write(uint64_t sector, unsigned count, const void *buffer);

/* Called by the driver, from its interrupt handler, when the head request is done. */
void block_request_done(struct block_request *request, int error);

/* Requests waiting or in progress (for tests and vmstat). */
unsigned block_queue_length(void);

#endif
