/*
 * monitor.h — a tiny built-in command line in the kernel, the fallback when
 * user programs cannot start (no initrd, or no init in it).
 * OSTEP ch. 6 (Limited Direct Execution: the kernel at work without processes).
 */
#ifndef PRISM_KERNEL_MONITOR_H
#define PRISM_KERNEL_MONITOR_H

__attribute__((noreturn)) void monitor_run(void);

#endif
