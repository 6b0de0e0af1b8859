/*
 * exec.h — replacing a process's program with one from the initrd.
 * OSTEP ch. 5 (exec) and ch. 13 (what an address space holds).
 */
#ifndef PRISM_KERNEL_EXEC_EXEC_H
#define PRISM_KERNEL_EXEC_EXEC_H

#include "lib/syscall_abi.h" /* EXEC_MAX_ARGS, EXEC_MAX_ARG_BYTES */

struct proc;

/* Builds a fresh address space for p from the ELF program at path with the
 * given (kernel) argument strings, NULL-terminated; on success p's old space
 * is freed and its trap frame enters the new program. On failure p is
 * unchanged. Returns 0 or -ENOENT, -ENOEXEC, -ENOMEM, -E2BIG. */
int exec_load(struct proc *p, const char *path, char *const argv[]);

#endif
