/*
 * syscall.c — the user side of the system-call boundary: registers in, `syscall`.
 *
 * Every wrapper funnels into invoke(), which places the number in rax and the
 * arguments in rdi, rsi, rdx, r10, r8, r9 (Linux's x86-64 convention; r10
 * replaces rcx because `syscall` itself overwrites rcx with the return address
 * and r11 with rflags). The kernel preserves every other register. The result
 * is passed back untouched: negative errno on failure (see prism.h).
 * OSTEP ch. 6 (limited direct execution: the trap into the kernel).
 */
#include "user/lib/prism.h"

static inline long invoke(long number, long arg1, long arg2, long arg3, long arg4, long arg5,
                          long arg6)
{
    register long r10 __asm__("r10") = arg4;
    register long r8 __asm__("r8") = arg5;
    register long r9 __asm__("r9") = arg6;
    long result;
    /* "memory": the kernel reads and writes our buffers behind the compiler's back */
    __asm__ volatile("syscall"
                     : "=a"(result)
                     : "a"(number), "D"(arg1), "S"(arg2), "d"(arg3), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return result;
}

#define ARG(value) ((long)(value))

long syscall_raw(long number, long arg1, long arg2, long arg3, long arg4, long arg5, long arg6)
{
    return invoke(number, arg1, arg2, arg3, arg4, arg5, arg6);
}

long read(int fd, void *buffer, unsigned long count)
{
    return invoke(SYS_read, fd, ARG(buffer), ARG(count), 0, 0, 0);
}

long write(int fd, const void *buffer, unsigned long count)
{
    return invoke(SYS_write, fd, ARG(buffer), ARG(count), 0, 0, 0);
}

int open(const char *path, int flags)
{
    return (int)invoke(SYS_open, ARG(path), flags, 0, 0, 0, 0);
}

int close(int fd)
{
    return (int)invoke(SYS_close, fd, 0, 0, 0, 0, 0);
}

int pipe(int fds[2])
{
    return (int)invoke(SYS_pipe, ARG(fds), 0, 0, 0, 0, 0);
}

int dup(int fd)
{
    return (int)invoke(SYS_dup, fd, 0, 0, 0, 0, 0);
}

int dup2(int fd, int new_fd)
{
    return (int)invoke(SYS_dup2, fd, new_fd, 0, 0, 0, 0);
}

int fork(void)
{
    return (int)invoke(SYS_fork, 0, 0, 0, 0, 0, 0);
}

int execv(const char *path, char *const argv[])
{
    return (int)invoke(SYS_execv, ARG(path), ARG(argv), 0, 0, 0, 0);
}

_Noreturn void _exit(int status)
{
    invoke(SYS_exit, status, 0, 0, 0, 0, 0);
    __builtin_unreachable(); /* the kernel never returns from exit */
}

int waitpid(int pid, int *status, int options)
{
    return (int)invoke(SYS_waitpid, pid, ARG(status), options, 0, 0, 0);
}

int kill(int pid, int signal)
{
    return (int)invoke(SYS_kill, pid, signal, 0, 0, 0, 0);
}

int getpid(void)
{
    return (int)invoke(SYS_getpid, 0, 0, 0, 0, 0, 0);
}

int getppid(void)
{
    return (int)invoke(SYS_getppid, 0, 0, 0, 0, 0, 0);
}

int setpgid(int pid, int pgid)
{
    return (int)invoke(SYS_setpgid, pid, pgid, 0, 0, 0, 0);
}

int set_foreground(int pgid)
{
    return (int)invoke(SYS_set_foreground, pgid, 0, 0, 0, 0, 0);
}

int tty_raw(int fd, int raw)
{
    return (int)invoke(SYS_ioctl, fd, raw < 0 ? TTY_GET_RAW : TTY_SET_RAW, raw, 0, 0, 0);
}

int sched_list(char *list, unsigned long size)
{
    return (int)invoke(SYS_sched, 0, (long)list, (long)size, SCHED_LIST, 0, 0);
}

int yield(void)
{
    return (int)invoke(SYS_yield, 0, 0, 0, 0, 0, 0);
}

int sleep_ms(unsigned long milliseconds)
{
    return (int)invoke(SYS_sleep, ARG(milliseconds), 0, 0, 0, 0, 0);
}

long uptime_ms(void)
{
    return invoke(SYS_uptime, 0, 0, 0, 0, 0, 0);
}

void *sbrk(long increment)
{
    return (void *)invoke(SYS_sbrk, increment, 0, 0, 0, 0, 0);
}

int procstat(struct proc_stat *array, int max)
{
    return (int)invoke(SYS_procstat, ARG(array), max, 0, 0, 0, 0);
}

int getpinfo(struct pinfo *array, int max)
{
    return (int)invoke(SYS_getpinfo, ARG(array), max, 0, 0, 0, 0);
}

long readdir(int index, char *name, unsigned long size)
{
    return invoke(SYS_readdir, index, ARG(name), ARG(size), 0, 0, 0);
}

int meminfo(struct mem_info *info)
{
    return (int)invoke(SYS_meminfo, ARG(info), 0, 0, 0, 0, 0);
}

int arrive_at(long uptime_ms)
{
    return (int)invoke(SYS_arrive_at, uptime_ms, 0, 0, 0, 0, 0);
}

int deadline(int pid, long uptime_ms)
{
    return (int)invoke(SYS_deadline, pid, uptime_ms, 0, 0, 0, 0);
}

long cpu_time_ns(void)
{
    return invoke(SYS_cpu_time, 0, 0, 0, 0, 0, 0);
}

int setparam(int pid, int param, long value)
{
    return (int)invoke(SYS_setparam, pid, param, value, 0, 0, 0);
}

int sched(const char *policy, char *description, unsigned long size)
{
    return (int)invoke(SYS_sched, ARG(policy), ARG(description), ARG(size), 0, 0, 0);
}

int group_create(const struct group_spec *spec)
{
    return (int)invoke(SYS_group, GROUP_CREATE, ARG(spec), 0, 0, 0, 0);
}

int group_list(struct group_info *array, int max)
{
    return (int)invoke(SYS_group, GROUP_LIST, ARG(array), max, 0, 0, 0);
}
