/*
 * pipe.c — a bounded ring buffer with a blocking reader and writer.
 *
 * The buffer holds PIPE_BUFFER_SIZE bytes between read_position and
 * write_position. Both positions only ever grow (64-bit: they never wrap in
 * practice, and as the size is a power of two the arithmetic stays right
 * even if they did); the byte at position n lives at buffer[n % size].
 * The kernel runs with interrupts off on one CPU, so checking a condition and
 * then blocking cannot miss a wakeup: nothing else runs in between.
 * OSTEP ch. 5 (pipes), ch. 30 (the bounded buffer).
 */
#include "kernel/fs/pipe.h"
#include "kernel/fs/file.h"
#include "kernel/interrupts_off.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/panic.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/scheduler.h"
#include "kernel/sched/wait_queue.h"
#include "lib/errno.h"
#include "lib/string.h"

#include <stdint.h>

struct pipe {
    char *buffer;            /* PIPE_BUFFER_SIZE bytes */
    uint64_t read_position;  /* bytes ever read */
    uint64_t write_position; /* bytes ever written; minus read_position = bytes waiting */
    int readers;             /* open read ends (files, not descriptors) */
    int writers;             /* open write ends */
    /* OSTEP ch. 30's two condition variables of the bounded buffer: readers
     * wait for data (or end of file), writers for space (or no reader). A
     * wake-up may rouse a process whose condition still does not hold (a
     * writer whose piece is bigger than the space freed); every waiter
     * rechecks in a loop, so that only costs a little time. */
    struct wait_queue waiting_for_data;
    struct wait_queue waiting_for_space;
};

static size_t pipe_bytes_waiting(const struct pipe *pipe)
{
    return (size_t)(pipe->write_position - pipe->read_position);
}

static size_t pipe_space_free(const struct pipe *pipe)
{
    return PIPE_BUFFER_SIZE - pipe_bytes_waiting(pipe);
}

static void pipe_free(struct pipe *pipe)
{
    /* A waiter holds an open end, so nobody can still wait on a freed pipe. */
    if (!wait_queue_empty(&pipe->waiting_for_data) || !wait_queue_empty(&pipe->waiting_for_space))
        panic("pipe %p freed with processes waiting on it", (void *)pipe);
    kfree(pipe->buffer);
    kfree(pipe);
}

int pipe_create(struct file **read_end, struct file **write_end)
{
    struct pipe *pipe = kzalloc(sizeof(*pipe));
    if (pipe == NULL)
        return -ENOMEM;
    pipe->buffer = kmalloc(PIPE_BUFFER_SIZE);
    if (pipe->buffer == NULL) {
        kfree(pipe);
        return -ENOMEM;
    }
    pipe->readers = 1;
    pipe->writers = 1;
    wait_queue_init(&pipe->waiting_for_data, "pipe data");
    wait_queue_init(&pipe->waiting_for_space, "pipe space");

    struct file *reader = file_open_pipe_end(pipe, false);
    if (reader == NULL) {
        pipe_free(pipe);
        return -ENOMEM;
    }
    struct file *writer = file_open_pipe_end(pipe, true);
    if (writer == NULL) {
        /* The write end never existed; closing the read end frees the pipe. */
        pipe->writers = 0;
        file_put(reader);
        return -ENOMEM;
    }
    *read_end = reader;
    *write_end = writer;
    return 0;
}

long pipe_read_wait(struct pipe *pipe)
{
    interrupts_assert_off("pipe_read_wait");
    while (pipe_bytes_waiting(pipe) == 0 && pipe->writers > 0) {
        if (proc_current()->pending_signal)
            return -EINTR;
        sched_block(&pipe->waiting_for_data);
    }
    return (long)pipe_bytes_waiting(pipe);
}

uint64_t pipe_peek(const struct pipe *pipe, void *buffer, size_t count)
{
    size_t waiting = pipe_bytes_waiting(pipe);
    if (count > waiting)
        count = waiting;
    size_t start = pipe->read_position % PIPE_BUFFER_SIZE;
    size_t first_piece = PIPE_BUFFER_SIZE - start; /* up to the end of the ring */
    if (first_piece > count)
        first_piece = count;
    memcpy(buffer, pipe->buffer + start, first_piece);
    memcpy((char *)buffer + first_piece, pipe->buffer, count - first_piece);
    return pipe->read_position;
}

/* Writers only append, so the bytes peeked at mark are still the front of
 * the pipe exactly when read_position (which only grows) is still mark. */
bool pipe_consume(struct pipe *pipe, uint64_t mark, size_t count)
{
    if (pipe->read_position != mark)
        return false;
    size_t waiting = pipe_bytes_waiting(pipe);
    pipe->read_position += count < waiting ? count : waiting;
    sched_wakeup(&pipe->waiting_for_space);
    return true;
}

static void pipe_store(struct pipe *pipe, const void *buffer, size_t count)
{
    size_t start = pipe->write_position % PIPE_BUFFER_SIZE;
    size_t first_piece = PIPE_BUFFER_SIZE - start;
    if (first_piece > count)
        first_piece = count;
    memcpy(pipe->buffer + start, buffer, first_piece);
    memcpy(pipe->buffer, (const char *)buffer + first_piece, count - first_piece);
    pipe->write_position += count;
}

/* Waiting for the whole piece (not just some space) keeps writes of up to
 * PIPE_BUFFER_SIZE bytes from interleaving with other writers' bytes. */
long pipe_write(struct pipe *pipe, const void *buffer, size_t count)
{
    interrupts_assert_off("pipe_write");
    if (count > PIPE_BUFFER_SIZE)
        count = PIPE_BUFFER_SIZE;
    for (;;) {
        if (pipe->readers == 0)
            return -EPIPE;
        if (pipe_space_free(pipe) >= count)
            break;
        if (proc_current()->pending_signal)
            return -EINTR;
        sched_block(&pipe->waiting_for_space);
    }
    pipe_store(pipe, buffer, count);
    sched_wakeup(&pipe->waiting_for_data);
    return (long)count;
}

void pipe_close_end(struct pipe *pipe, bool write_end)
{
    interrupts_assert_off("pipe_close_end");
    if (write_end)
        pipe->writers--;
    else
        pipe->readers--;
    if (pipe->readers < 0 || pipe->writers < 0)
        panic("pipe %p: an end was closed twice", (void *)pipe);
    /* Readers must see end of file, writers -EPIPE, instead of waiting on. */
    sched_wakeup(write_end ? &pipe->waiting_for_data : &pipe->waiting_for_space);
    if (pipe->readers == 0 && pipe->writers == 0)
        pipe_free(pipe);
}
