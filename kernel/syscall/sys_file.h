/*
 * sys_file.h — the file system calls: read, write, open, close, dup, dup2,
 * pipe, readdir, and ioctl and set_foreground for the terminal.
 *
 * The dispatcher calls these with the six argument registers of the syscall
 * instruction (rdi, rsi, rdx, r10, r8, r9); each uses the ones its call needs
 * (lib/syscall_abi.h lists them) and returns a value or a negative errno.
 * All act on the running process's descriptor table.
 * OSTEP ch. 5 (pipe, dup and the shell), ch. 39 (the file API).
 */
#ifndef PRISM_KERNEL_SYSCALL_SYS_FILE_H
#define PRISM_KERNEL_SYSCALL_SYS_FILE_H

#include <stdint.h>

long sys_read(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
long sys_write(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
long sys_open(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
long sys_close(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
long sys_dup(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
long sys_dup2(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
long sys_pipe(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
long sys_readdir(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
long sys_ioctl(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
long sys_set_foreground(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                        uint64_t a5);

#endif
