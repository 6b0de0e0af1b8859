/*
 * block.c — the request queue between disk users and the disk driver.
 *
 * A request lives on its caller's kernel stack: the caller cannot return
 * before the request is done, because it sleeps until then. The queue is a
 * list, served in arrival order; the head is the request the disk is
 * working on. Completion (from the driver's interrupt) wakes the caller and
 * starts the next request, so the disk never idles while work is queued.
 * The caller waits on its request's own wait queue, so a completion wakes
 * exactly one process. It may be woken early (a kill interrupts sleeps): it
 * goes back to sleep until `done`, since the disk still uses its buffer.
 * OSTEP ch. 36.4-36.5 (interrupts; waiting without spinning), ch. 37.
 */
#include "kernel/dev/block.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/scheduler.h"
#include "lib/errno.h"

static const struct block_driver *driver;
static struct list_node queue = LIST_HEAD_INIT(queue);
static unsigned queued;

void block_register(const struct block_driver *new_driver)
{
    driver = new_driver;
}

const struct block_driver *block_device(void)
{
    return driver;
}

unsigned block_queue_length(void)
{
    return queued;
}

/* Only a real process can sleep; at boot the idle context polls. */
static bool caller_can_block(void)
{
    struct proc *p = proc_current();
    return p && p->pid != PID_IDLE;
}

static int submit(struct block_request *request)
{
    if (!driver)
        return -ENODEV;
    if (request->sector_count == 0 || request->sector >= driver->sectors ||
        request->sector_count > driver->sectors - request->sector)
        return -EINVAL;
    if (!caller_can_block()) {
        if (queued != 0) /* the disk is busy: wait for it by polling too */
            return -EBUSY;
        return driver->transfer_polled(request);
    }
    wait_queue_init(&request->waiter, "disk");
    list_push_back(&queue, &request->link);
    if (queued++ == 0)
        driver->start(request);
    while (!request->done)
        sched_block(&request->waiter);
    return request->error;
}

int block_read(uint64_t sector, unsigned count, void *buffer)
{
    struct block_request request = {
        .sector = sector, .sector_count = count, .buffer = buffer, .write = false};
    return submit(&request);
}

int block_write(uint64_t sector, unsigned count, const void *buffer)
{
    struct block_request request = {
        .sector = sector, .sector_count = count, .buffer = (void *)buffer, .write = true};
    return submit(&request);
}

void block_request_done(struct block_request *request, int error)
{
    list_remove(&request->link);
    queued--;
    request->error = error;
    request->done = true;
    sched_wakeup(&request->waiter);
    if (!list_empty(&queue))
        driver->start(list_entry(queue.next, struct block_request, link));
}
