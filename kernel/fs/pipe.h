/*
 * pipe.h — a one-way byte channel between processes, kept in the kernel.
 *
 * pipe() returns two open files: bytes written to one come out of the other
 * in order. The shell connects `a | b` by giving a's stdout the write end and
 * b's stdin the read end. Readers wait for data, writers wait for space, and
 * each side learns when the other has closed (end of file, or -EPIPE).
 * OSTEP ch. 5 (pipes and the shell); the blocking is ch. 30's producer and
 * consumer with a bounded buffer.
 */
#ifndef PRISM_KERNEL_FS_PIPE_H
#define PRISM_KERNEL_FS_PIPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PIPE_BUFFER_SIZE 4096 /* a power of two; also the atomic write size */

struct file;
struct pipe;

/* Two new files, each holding one reference: 0 or -ENOMEM. */
int pipe_create(struct file **read_end, struct file **write_end);

/*
 * Reading is split in three so that the caller can copy the bytes to user
 * memory before they leave the pipe: a bad user buffer then loses nothing.
 * pipe_read_wait blocks until bytes are waiting (returns how many) or no
 * writer is left (returns 0: end of file); -EINTR if the process is killed.
 * pipe_peek copies up to count waiting bytes without removing them and
 * returns a mark (where they start); pipe_consume removes count of them
 * (count <= what is waiting) if nobody read the pipe since the mark, and
 * returns false otherwise: the copy to user memory may sleep (a swapped-out
 * page is read back), and another reader may take the same bytes meanwhile.
 */
long pipe_read_wait(struct pipe *pipe);
uint64_t pipe_peek(const struct pipe *pipe, void *buffer, size_t count);
bool pipe_consume(struct pipe *pipe, uint64_t mark, size_t count);

/* Writes all count (<= PIPE_BUFFER_SIZE) bytes in one piece, waiting until
 * they fit: returns count, -EPIPE if no reader is left, -EINTR if killed. */
long pipe_write(struct pipe *pipe, const void *buffer, size_t count);

/* Called by file_put when the last reference to an end goes away; the pipe
 * and its buffer are freed once both ends are closed. */
void pipe_close_end(struct pipe *pipe, bool write_end);

#endif
