/*
 * sys_proc.h — system calls about processes, time and memory.
 * OSTEP ch. 5 (Process API).
 */
#ifndef PRISM_KERNEL_SYSCALL_SYS_PROC_H
#define PRISM_KERNEL_SYSCALL_SYS_PROC_H

#include <stdint.h>

/* Every handler takes all six argument registers; most use fewer. */
#define SYSCALL_UNUSED __attribute__((unused))
#define SYSCALL_ARGS                                                                               \
    uint64_t a0 SYSCALL_UNUSED, uint64_t a1 SYSCALL_UNUSED, uint64_t a2 SYSCALL_UNUSED,            \
        uint64_t a3 SYSCALL_UNUSED, uint64_t a4 SYSCALL_UNUSED, uint64_t a5 SYSCALL_UNUSED

long sys_exit(SYSCALL_ARGS);
long sys_fork(SYSCALL_ARGS);
long sys_execv(SYSCALL_ARGS);
long sys_waitpid(SYSCALL_ARGS);
long sys_getpid(SYSCALL_ARGS);
long sys_getppid(SYSCALL_ARGS);
long sys_kill(SYSCALL_ARGS);
long sys_yield(SYSCALL_ARGS);
long sys_sleep(SYSCALL_ARGS);
long sys_uptime(SYSCALL_ARGS);
long sys_sbrk(SYSCALL_ARGS);
long sys_setpgid(SYSCALL_ARGS);
long sys_procstat(SYSCALL_ARGS);
long sys_getpinfo(SYSCALL_ARGS); /* sys_pinfo.c */
long sys_meminfo(SYSCALL_ARGS);
long sys_vmmap(SYSCALL_ARGS); /* sys_memory.c */
long sys_pagewalk(SYSCALL_ARGS);
long sys_setparam(SYSCALL_ARGS); /* sys_sched.c */
long sys_sched(SYSCALL_ARGS);
long sys_setname(SYSCALL_ARGS);
long sys_arrive_at(SYSCALL_ARGS);
long sys_deadline(SYSCALL_ARGS);
long sys_cpu_time(SYSCALL_ARGS);
long sys_trace(SYSCALL_ARGS);

long sys_swap(SYSCALL_ARGS);  /* sys_swap.c */
long sys_group(SYSCALL_ARGS); /* sys_group.c */
long sys_group_set_foreground(SYSCALL_ARGS);

#endif
