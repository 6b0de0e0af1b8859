/*
 * lifecycle.h — how processes are born, die and are reaped: fork, exit,
 * waitpid, kill. OSTEP ch. 5 (Interlude: Process API).
 */
#ifndef PRISM_KERNEL_PROC_LIFECYCLE_H
#define PRISM_KERNEL_PROC_LIFECYCLE_H

struct proc;

/* A copy of the running process; returns the child's pid or -errno. */
int proc_fork(void);

/* Ends the running process with a waitpid-encoded status. */
__attribute__((noreturn)) void proc_exit(int status);

/* Reaps a child (pid > 0, or -1 for any); returns its pid, 0 (WNOHANG and
 * none finished) or -errno. *status_out gets the encoded status. */
int proc_wait(int pid, int *status_out, int options);

/* Marks p to die with `signal` (it does so on its way back to user mode). */
int proc_kill(int pid, int signal);

/* Signals every process in a process group (used by Ctrl-C). */
int proc_signal_group(int pgid, int signal);

/* On the way back to user mode: a process with a pending signal exits. */
void proc_deliver_pending_signal(void);

/* Makes the first user process, init, from the initrd program `path`. */
int proc_start_init(const char *path);

#endif
