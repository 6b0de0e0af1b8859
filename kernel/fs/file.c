/*
 * file.c — open file objects and the descriptor tables that point at them.
 *
 * A struct file is shared: every descriptor (in any process) that refers to
 * it holds one reference, and the last file_put closes what is behind it.
 * read and write move bytes between user memory and the file through a
 * kernel bounce buffer, checked by user_copy_in/out, so a bad user pointer
 * costs an -EFAULT and never a kernel fault. Writes go out in pieces of
 * FILE_PIECE_SIZE bytes, each handed over whole: a console line or a pipe
 * message of up to that size is never split by another process's output.
 * OSTEP ch. 39 (the open file table, shared offsets), ch. 5 (fork and dup).
 */
#include "kernel/fs/file.h"
#include "kernel/console.h"
#include "kernel/fs/initrd.h"
#include "kernel/fs/pipe.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/user_copy.h"
#include "kernel/panic.h"
#include "kernel/proc/proc.h"
#include "kernel/tty.h"
#include "lib/errno.h"

#define FILE_PIECE_SIZE 4096 /* the atomic write size: PIPE_BUFFER_SIZE */

_Static_assert(FILE_PIECE_SIZE == PIPE_BUFFER_SIZE, "a piece must fit the pipe whole");

enum file_kind {
    FILE_CONSOLE,    /* reads: the tty's lines; writes: the console */
    FILE_PIPE_READ,  /* the read end of pipe */
    FILE_PIPE_WRITE, /* the write end of pipe */
    FILE_INITRD,     /* a read-only file inside the initrd */
};

struct file {
    enum file_kind kind;
    int references;    /* descriptors (and syscalls in progress) using it */
    struct pipe *pipe; /* pipe ends */
    const char *data;  /* initrd: the file's bytes, inside the archive */
    size_t size;       /* initrd: how many */
    size_t offset;     /* initrd: the next byte to read; shared by dup and fork */
};

static size_t file_min(size_t a, size_t b)
{
    return a < b ? a : b;
}

static struct file *file_alloc(enum file_kind kind)
{
    struct file *f = kzalloc(sizeof(*f));
    if (f != NULL) {
        f->kind = kind;
        f->references = 1;
    }
    return f;
}

struct file *file_open_console(void)
{
    return file_alloc(FILE_CONSOLE);
}

bool file_is_console(const struct file *f)
{
    return f->kind == FILE_CONSOLE;
}

struct file *file_open_initrd(const char *path, int *error)
{
    const void *data;
    size_t size;
    int result = initrd_find(path, &data, &size);
    if (result < 0) {
        *error = result;
        return NULL;
    }
    struct file *f = file_alloc(FILE_INITRD);
    if (f == NULL) {
        *error = -ENOMEM;
        return NULL;
    }
    f->data = data;
    f->size = size;
    return f;
}

struct file *file_open_pipe_end(struct pipe *pipe, bool write_end)
{
    struct file *f = file_alloc(write_end ? FILE_PIPE_WRITE : FILE_PIPE_READ);
    if (f != NULL)
        f->pipe = pipe;
    return f;
}

void file_get(struct file *f)
{
    f->references++;
}

void file_put(struct file *f)
{
    if (f->references <= 0)
        panic("file_put: file %p has no references left", (void *)f);
    if (--f->references > 0)
        return;
    if (f->kind == FILE_PIPE_READ || f->kind == FILE_PIPE_WRITE)
        pipe_close_end(f->pipe, f->kind == FILE_PIPE_WRITE);
    kfree(f);
}

/*
 * The bytes are copied out before they are consumed, so a bad buffer leaves
 * them in the pipe. The copy can sleep (a page of the buffer that was
 * swapped out is read back from disk), and another reader of the same pipe
 * may take bytes meanwhile: then what was peeked is stale and the read
 * starts over (the user buffer is only the caller's once read returns).
 * The pipe holds at most PIPE_BUFFER_SIZE bytes, so one round gets them all.
 */
static long file_read_pipe(struct pipe *pipe, uint64_t user_buffer, size_t count)
{
    if (count == 0)
        return 0;
    for (;;) {
        long waiting = pipe_read_wait(pipe);
        if (waiting <= 0)
            return waiting; /* end of file or -EINTR */
        size_t length = file_min(count, (size_t)waiting);
        char *bounce = kmalloc(length);
        if (bounce == NULL)
            return -ENOMEM;
        uint64_t mark = pipe_peek(pipe, bounce, length);
        int result = user_copy_out(user_buffer, bounce, length);
        kfree(bounce);
        if (result < 0)
            return result;
        if (pipe_consume(pipe, mark, length))
            return (long)length;
    }
}

/* The data already sits in kernel memory: no bounce buffer needed. */
static long file_read_initrd(struct file *f, uint64_t user_buffer, size_t count)
{
    if (f->offset >= f->size)
        return 0;
    size_t length = file_min(count, f->size - f->offset);
    int result = user_copy_out(user_buffer, f->data + f->offset, length);
    if (result < 0)
        return result;
    f->offset += length;
    return (long)length;
}

long file_read(struct file *f, uint64_t user_buffer, size_t count)
{
    switch (f->kind) {
    case FILE_CONSOLE:
        return tty_read(user_buffer, count);
    case FILE_PIPE_READ:
        return file_read_pipe(f->pipe, user_buffer, count);
    case FILE_INITRD:
        return file_read_initrd(f, user_buffer, count);
    case FILE_PIPE_WRITE:
        break;
    }
    return -EBADF;
}

/* One piece, already in kernel memory, to the console or the pipe. */
static long file_write_piece(struct file *f, const char *piece, size_t length)
{
    if (f->kind == FILE_PIPE_WRITE)
        return pipe_write(f->pipe, piece, length);
    console_write(piece, length);
    return (long)length;
}

long file_write(struct file *f, uint64_t user_buffer, size_t count)
{
    if (f->kind != FILE_CONSOLE && f->kind != FILE_PIPE_WRITE)
        return -EBADF;
    if (count == 0)
        return 0;
    size_t bounce_size = file_min(count, FILE_PIECE_SIZE);
    char *bounce = kmalloc(bounce_size);
    if (bounce == NULL)
        return -ENOMEM;

    size_t done = 0;
    long error = 0;
    while (done < count) {
        size_t length = file_min(count - done, bounce_size);
        error = user_copy_in(bounce, user_buffer + done, length);
        if (error < 0)
            break;
        error = file_write_piece(f, bounce, length);
        if (error < 0)
            break;
        done += length;
    }
    kfree(bounce);
    return done > 0 ? (long)done : error;
}

/* ---- descriptor tables ------------------------------------------------ */

int fd_install(struct proc *p, struct file *f)
{
    for (int fd = 0; fd < PROC_MAX_FILES; fd++) {
        if (p->files[fd] == NULL) {
            p->files[fd] = f;
            return fd;
        }
    }
    return -EMFILE;
}

struct file *fd_get(struct proc *p, int fd)
{
    if (fd < 0 || fd >= PROC_MAX_FILES)
        return NULL;
    return p->files[fd];
}

int fd_close(struct proc *p, int fd)
{
    struct file *f = fd_get(p, fd);
    if (f == NULL)
        return -EBADF;
    p->files[fd] = NULL; /* before the put: the slot must never name a freed file */
    file_put(f);
    return 0;
}

void fd_install_at(struct proc *p, int fd, struct file *f)
{
    if (fd < 0 || fd >= PROC_MAX_FILES)
        panic("fd_install_at: descriptor %d out of range", fd);
    struct file *old = p->files[fd];
    p->files[fd] = f;
    if (old != NULL)
        file_put(old);
}

void fd_table_copy(struct proc *from, struct proc *to)
{
    for (int fd = 0; fd < PROC_MAX_FILES; fd++) {
        to->files[fd] = from->files[fd];
        if (to->files[fd] != NULL)
            file_get(to->files[fd]);
    }
}

void fd_table_close_all(struct proc *p)
{
    for (int fd = 0; fd < PROC_MAX_FILES; fd++)
        if (p->files[fd] != NULL)
            fd_close(p, fd);
}

int fd_table_init_console(struct proc *p)
{
    for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++)
        if (p->files[fd] != NULL)
            panic("fd_table_init_console: pid %d already has fd %d", p->pid, fd);
    struct file *console = file_open_console();
    if (console == NULL)
        return -ENOMEM;
    p->files[STDIN_FILENO] = console; /* the reference from file_open_console */
    file_get(console);
    p->files[STDOUT_FILENO] = console;
    file_get(console);
    p->files[STDERR_FILENO] = console;
    return 0;
}
