/*
 * sys_file.c — the file system calls, where user arguments are checked.
 *
 * Every argument arrives as a raw 64-bit register a program chose, so each
 * is validated before use: descriptors must lie in 0..PROC_MAX_FILES-1 (a
 * negative int, sign-extended, is huge and fails the same test), lengths are
 * clamped, and pointers go through user_copy. The work itself is in file.c,
 * pipe.c, initrd.c and tty.c. Parameters a call does not use are ignored.
 * OSTEP ch. 5 (pipe and dup2 build the shell's pipelines), ch. 39 (files).
 */
#include "kernel/syscall/sys_file.h"
#include "kernel/fs/file.h"
#include "kernel/fs/initrd.h"
#include "kernel/fs/pipe.h"
#include "kernel/mm/user_copy.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/scheduler.h"
#include "kernel/tty.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "lib/syscall_abi.h"

#pragma GCC diagnostic ignored "-Wunused-parameter" /* the fixed six-register signature */

/* One read or write moves at most this much; asking for more is a short
 * read or write, which callers must handle anyway. */
#define SYS_FILE_MAX_TRANSFER (1024 * 1024)
#define SYS_FILE_PATH_MAX 256

static bool sys_fd_in_range(uint64_t fd)
{
    return fd < PROC_MAX_FILES;
}

static struct file *sys_file_lookup(uint64_t fd)
{
    return sys_fd_in_range(fd) ? fd_get(proc_current(), (int)fd) : NULL;
}

/*
 * The extra reference keeps the file alive for the whole call, even while
 * the caller blocks in it; a descriptor table entry alone is only as stable
 * as everyone who might close it.
 */
static long sys_transfer(uint64_t fd, uint64_t user_buffer, uint64_t count, bool is_write)
{
    struct file *f = sys_file_lookup(fd);
    if (f == NULL)
        return -EBADF;
    if (count > SYS_FILE_MAX_TRANSFER)
        count = SYS_FILE_MAX_TRANSFER;
    if (!user_range_valid(user_buffer, count))
        return -EFAULT;
    file_get(f);
    long result = is_write ? file_write(f, user_buffer, count) : file_read(f, user_buffer, count);
    file_put(f);
    return result;
}

long sys_read(uint64_t fd, uint64_t user_buffer, uint64_t count, uint64_t a3, uint64_t a4,
              uint64_t a5)
{
    return sys_transfer(fd, user_buffer, count, false);
}

long sys_write(uint64_t fd, uint64_t user_buffer, uint64_t count, uint64_t a3, uint64_t a4,
               uint64_t a5)
{
    return sys_transfer(fd, user_buffer, count, true);
}

long sys_open(uint64_t user_path, uint64_t flags, uint64_t a2, uint64_t a3, uint64_t a4,
              uint64_t a5)
{
    char path[SYS_FILE_PATH_MAX];
    long length = user_copy_string(path, user_path, sizeof(path));
    if (length < 0)
        return length; /* -EFAULT or -ENAMETOOLONG */
    if (flags != O_RDONLY)
        return -EINVAL; /* the initrd is read-only */

    int error;
    struct file *f = file_open_initrd(path, &error);
    if (f == NULL)
        return error;
    int fd = fd_install(proc_current(), f);
    if (fd < 0)
        file_put(f);
    return fd;
}

long sys_close(uint64_t fd, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
    if (!sys_fd_in_range(fd))
        return -EBADF;
    return fd_close(proc_current(), (int)fd);
}

long sys_dup(uint64_t fd, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
    struct file *f = sys_file_lookup(fd);
    if (f == NULL)
        return -EBADF;
    file_get(f);
    int new_fd = fd_install(proc_current(), f);
    if (new_fd < 0)
        file_put(f);
    return new_fd;
}

long sys_dup2(uint64_t fd, uint64_t new_fd, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
    struct file *f = sys_file_lookup(fd);
    if (f == NULL || !sys_fd_in_range(new_fd))
        return -EBADF;
    if (fd == new_fd)
        return (long)new_fd; /* closing the target first would close fd itself */
    file_get(f);
    fd_install_at(proc_current(), (int)new_fd, f);
    return (long)new_fd;
}

long sys_pipe(uint64_t user_fds, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
    struct proc *p = proc_current();
    struct file *read_end, *write_end;
    int result = pipe_create(&read_end, &write_end);
    if (result < 0)
        return result;

    int fds[2];
    fds[0] = fd_install(p, read_end);
    if (fds[0] < 0) {
        file_put(read_end);
        file_put(write_end);
        return fds[0];
    }
    fds[1] = fd_install(p, write_end);
    if (fds[1] < 0) {
        fd_close(p, fds[0]);
        file_put(write_end);
        return fds[1];
    }
    if (user_copy_out(user_fds, fds, sizeof(fds)) < 0) {
        /* The program cannot know the numbers, so it could never close them. */
        fd_close(p, fds[0]);
        fd_close(p, fds[1]);
        return -EFAULT;
    }
    return 0;
}

long sys_readdir(uint64_t index, uint64_t user_name, uint64_t name_size, uint64_t a3, uint64_t a4,
                 uint64_t a5)
{
    if ((int64_t)index < 0)
        return -EINVAL;
    if (index > INT32_MAX)
        return -ENOENT; /* far past the last file */

    char name[INITRD_NAME_MAX];
    uint64_t file_size;
    size_t size = name_size < sizeof(name) ? (size_t)name_size : sizeof(name);
    int result = initrd_entry((int)index, name, size, &file_size);
    if (result < 0)
        return result;
    if (user_copy_out(user_name, name, strlen(name) + 1) < 0)
        return -EFAULT;
    return (long)file_size;
}

long sys_set_foreground(uint64_t pgid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                        uint64_t a5)
{
    if ((int64_t)pgid < 0 || pgid > INT32_MAX)
        return -EINVAL;
    tty_set_foreground((int)pgid);
    return 0;
}

long sys_ioctl(uint64_t fd, uint64_t request, uint64_t mode, uint64_t a3, uint64_t a4, uint64_t a5)
{
    struct file *f = sys_file_lookup(fd);
    if (f == NULL)
        return -EBADF;
    if (!file_is_console(f))
        return -ENOTTY;
    bool was_raw = tty_is_raw();
    switch (request) {
    case TTY_GET_RAW:
        return was_raw;
    case TTY_SET_RAW:
        if (mode > 1)
            return -EINVAL;
        tty_set_raw(mode == 1);
        return was_raw;
    default:
        return -EINVAL;
    }
}
