/*
 * file.h — open files and the per-process table of file descriptors.
 *
 * open() and pipe() create a struct file; a descriptor is an index into the
 * process's files[] array that points at one. dup, dup2 and fork make more
 * descriptors point at the same object, which is why it is reference counted
 * and why dup'ed descriptors share one read offset. A file is the console
 * (reads come from the tty line discipline), one end of a pipe, or a read-only
 * file in the initrd. OSTEP ch. 5 (fork shares open files), ch. 39 (files,
 * descriptors, the open file table).
 */
#ifndef PRISM_KERNEL_FS_FILE_H
#define PRISM_KERNEL_FS_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct file;
struct pipe;
struct proc;

/* ---- open file objects ------------------------------------------------ */

/* Each returns a new file holding one reference, or NULL: out of memory
 * (file_open_initrd sets *error to -ENOMEM or -ENOENT). */
struct file *file_open_console(void);
struct file *file_open_initrd(const char *path, int *error);
/* For pipe_create only: one end of an existing pipe. */
struct file *file_open_pipe_end(struct pipe *pipe, bool write_end);

/* True for the console: the one file ioctl applies to. */
bool file_is_console(const struct file *f);

void file_get(struct file *f);
/* Drops one reference; the last one closes the pipe end and frees f. */
void file_put(struct file *f);

/*
 * Copy between the file and the running process's memory at user_buffer.
 * Return the number of bytes moved (0 = end of file), or -EFAULT (bad
 * buffer), -EBADF (file not open in that direction), -EINTR (killed or
 * interrupted while blocked), -EPIPE (no reader left), -ENOMEM. Once some
 * bytes have moved, a later failure returns the count instead of the error.
 */
long file_read(struct file *f, uint64_t user_buffer, size_t count);
long file_write(struct file *f, uint64_t user_buffer, size_t count);

/* ---- descriptor tables (proc->files) ---------------------------------- */

/* Puts f at the lowest free descriptor and returns it; the table takes over
 * the caller's reference. -EMFILE (f untouched) if all are in use. */
int fd_install(struct proc *p, struct file *f);
/* The file behind fd, or NULL if fd is out of range or not open. No
 * reference is taken. */
struct file *fd_get(struct proc *p, int fd);
int fd_close(struct proc *p, int fd); /* 0 or -EBADF */
/* dup2: puts f at fd (0 <= fd < PROC_MAX_FILES), first closing what was
 * there; the table takes over the caller's reference. */
void fd_install_at(struct proc *p, int fd, struct file *f);

/* fork: `to` (an empty table) gets every descriptor of `from`, sharing files. */
void fd_table_copy(struct proc *from, struct proc *to);
/* exit: closes every descriptor. */
void fd_table_close_all(struct proc *p);
/* The first process: descriptors 0, 1 and 2 share one console file.
 * p's table must be empty. 0 or -ENOMEM. */
int fd_table_init_console(struct proc *p);

#endif
