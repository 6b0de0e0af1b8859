/*
 * errno.h — error numbers shared by the kernel, user programs and host tests.
 *
 * Prism follows the Linux x86-64 convention: a system call that fails returns
 * the negative of one of these numbers in rax, so user space and the kernel
 * agree on the values below (they are Linux's, so tools and habits carry over).
 * OSTEP ch. 5 (Interlude: Process API) shows why callers must check them.
 */
#ifndef PRISM_LIB_ERRNO_H
#define PRISM_LIB_ERRNO_H

#define EPERM 1         /* operation not permitted */
#define ENOENT 2        /* no such file or program */
#define ESRCH 3         /* no such process */
#define EINTR 4         /* interrupted by a signal (Ctrl-C) */
#define EIO 5           /* input/output error */
#define E2BIG 7         /* argument list too long */
#define ENOEXEC 8       /* not a valid executable */
#define EBADF 9         /* bad file descriptor */
#define ECHILD 10       /* no child to wait for */
#define EAGAIN 11       /* try again (WNOHANG with nothing to reap) */
#define ENOMEM 12       /* out of memory */
#define EFAULT 14       /* bad user address */
#define EBUSY 16        /* resource busy */
#define EEXIST 17       /* already exists */
#define ENODEV 19       /* no such device (no swap disk) */
#define ENOTDIR 20      /* not a directory */
#define EISDIR 21       /* is a directory */
#define EINVAL 22       /* invalid argument */
#define ENFILE 23       /* too many open files in the system */
#define EMFILE 24       /* too many open files in this process */
#define ENOTTY 25       /* not a terminal */
#define ENOSPC 28       /* no space left */
#define ESPIPE 29       /* illegal seek */
#define EPIPE 32        /* write to a pipe with no reader */
#define ERANGE 34       /* result out of range */
#define ENAMETOOLONG 36 /* name too long */
#define ENOSYS 38       /* no such system call */

#endif
