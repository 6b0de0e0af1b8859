/*
 * monitor.h — a tiny built-in command line in the kernel, used until user
 * programs and the shell exist, and as a fallback when they cannot start.
 * OSTEP ch. 6 (Limited Direct Execution: the kernel at work without processes).
 */
#ifndef PRISM_KERNEL_MONITOR_H
#define PRISM_KERNEL_MONITOR_H

__attribute__((noreturn)) void monitor_run(void);

#endif
