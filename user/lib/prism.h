/*
 * prism.h — the system calls a Prism user program can make, one C function each.
 *
 * Each wrapper loads its number (lib/syscall_abi.h) and arguments into
 * registers and executes `syscall`; the kernel's answer comes straight back.
 * There is no global errno: a call that fails returns the negative errno value
 * itself (-ENOENT, -ECHILD, ... from lib/errno.h), so check `result < 0` and
 * print strerror(result) (user/lib/describe.h). sbrk() returns a pointer, so
 * its failure is a pointer in the last page of the address space; test it with
 * sbrk_failed(). OSTEP ch. 5 (Process API) and ch. 6 (limited direct execution).
 */
#ifndef PRISM_USER_LIB_PRISM_H
#define PRISM_USER_LIB_PRISM_H

#include "lib/errno.h"
#include "lib/syscall_abi.h"

#include <stdbool.h>

/* Files: the console is fds 0-2; open() reads files in the initrd ("bin/sh"). */
long read(int fd, void *buffer, unsigned long count); /* 0 at end of file */
long write(int fd, const void *buffer, unsigned long count);
int open(const char *path, int flags); /* flags: O_RDONLY */
int close(int fd);
int pipe(int fds[2]); /* fds[0] reads what fds[1] writes */
int dup(int fd);
int dup2(int fd, int new_fd); /* makes new_fd a copy of fd, closing it first */

/* Processes. */
int fork(void);                                  /* child's pid in the parent, 0 in the child */
int execv(const char *path, char *const argv[]); /* "/bin/NAME" or "NAME"; returns only on error */
_Noreturn void _exit(int status); /* ends the process at once; see exit() in stdio.h */
int waitpid(int pid, int *status, int options); /* pid -1: any child; WNOHANG: 0 if none done */
int kill(int pid, int signal);
int getpid(void);
int getppid(void);
int setpgid(int pid, int pgid); /* 0 means "the calling process" / "pgid = pid" */
int set_foreground(int pgid);   /* the group Ctrl-C interrupts; 0 = none */
int yield(void);

/* The terminal: raw 1 makes every typed byte readable at once, unechoed (for a
 * program that edits its own line); 0 restores canonical lines; -1 only asks.
 * Returns the mode before, or -ENOTTY when fd is not the console. */
int tty_raw(int fd, int raw);

/* Time. */
int sleep_ms(unsigned long milliseconds);
long uptime_ms(void); /* milliseconds since boot */

/* Memory: the heap is the range from the end of bss to the break. */
void *sbrk(long increment); /* moves the break; returns the old one */

static inline bool sbrk_failed(void *result)
{
    return (unsigned long)result >= (unsigned long)-4095; /* -1 .. -4095: a negative errno */
}

/* Looking inside the kernel. */
int procstat(struct proc_stat *array, int max); /* fills up to max entries; returns how many */
int getpinfo(struct pinfo *array, int max);     /* the same, OSTEP-sized (labs/syscall) */
long readdir(int index, char *name, unsigned long size); /* entry's size; -ENOENT past the end */
int meminfo(struct mem_info *info);

/* Scheduling: set a process's SCHED_PARAM_NICE_ID, _TICKETS_ID or _EXPECTED_ID;
 * switch the policy (NULL keeps it) and get its description. */
int setparam(int pid, int param, long value);

/* A workload's clock, kept by the kernel: block until uptime_ms and then
 * become READY as a job arriving (its accounting starts then); have the
 * kernel end a process (0 = me) at uptime_ms (0 cancels); my CPU time in ns. */
int arrive_at(long uptime_ms);
int deadline(int pid, long uptime_ms);
long cpu_time_ns(void);
int sched(const char *policy, char *description, unsigned long size);
/* Every policy the kernel has, with the parameter it takes: "rr fifo prio=nice ...". */
int sched_list(char *list, unsigned long size);

/* Container groups (SYS_group): make one and join it as its pid 1 (the
 * group's id), or list what the caller can see (how many). */
int group_create(const struct group_spec *spec);
int group_list(struct group_info *array, int max);

/* Any system call by number, for tests that probe the kernel's checks. */
long syscall_raw(long number, long arg1, long arg2, long arg3, long arg4, long arg5, long arg6);

#endif
