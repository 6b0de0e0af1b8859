/*
 * panic_report.h — the kernel's crash report for traps and the switch that
 * makes a panic end QEMU during automated tests. See panic.h for panic().
 * OSTEP ch. 6 (Limited Direct Execution).
 */
#ifndef PRISM_KERNEL_PANIC_REPORT_H
#define PRISM_KERNEL_PANIC_REPORT_H

#include <stdbool.h>
#include <stdint.h>

struct trap_frame;

/* A CPU exception in kernel mode: report vector, error code, `diagnosis`
 * (the cause in words when the caller knows it, e.g. "kernel stack overflow
 * in pid 3 (sh)", or NULL), registers, backtrace; then stop. */
__attribute__((noreturn)) void panic_from_trap(const struct trap_frame *frame,
                                               const char *diagnosis);

/* The kernel is stuck but not (yet) broken, e.g. the watchdog saw no timer
 * tick for seconds: prints `what`, the registers and backtrace of `frame`
 * and returns — except under test, where QEMU ends with a failure status. */
void panic_report_stuck(const struct trap_frame *frame, const char *what);

/* True once a panic has begun (the watchdog stays quiet then). */
bool panic_in_progress(void);

/* Under test (test= on the command line) a panic exits QEMU with failure. */
void panic_set_exit_qemu(bool exit_qemu);

/* Prints the chain of callers starting at rip and frame pointer rbp; rsp
 * (0 if unknown) lets it recover the caller of a frameless leaf function. */
void panic_print_backtrace(uint64_t rip, uint64_t rbp, uint64_t rsp);

#endif
