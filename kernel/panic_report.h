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

/* A CPU exception in kernel mode: report vector, error code, registers,
 * backtrace; then stop. */
__attribute__((noreturn)) void panic_from_trap(const struct trap_frame *frame);

/* Under test (test= on the command line) a panic exits QEMU with failure. */
void panic_set_exit_qemu(bool exit_qemu);

/* Prints the chain of callers starting at rip and frame pointer rbp; rsp
 * (0 if unknown) lets it recover the caller of a frameless leaf function. */
void panic_print_backtrace(uint64_t rip, uint64_t rbp, uint64_t rsp);

#endif
