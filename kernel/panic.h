/*
 * panic.h — the kernel's last word when one of its own invariants breaks.
 *
 * panic() is for kernel bugs only (a double free, a corrupt heap, an exception
 * in kernel mode); a misbehaving user program is never a reason to panic. It
 * prints the message and a backtrace, then halts (or, under test, ends QEMU
 * with a failure status). Host unit tests supply their own panic() that aborts,
 * so tests can assert that a bug is caught.
 * OSTEP ch. 6 (Limited Direct Execution: traps the kernel cannot handle).
 */
#ifndef PRISM_KERNEL_PANIC_H
#define PRISM_KERNEL_PANIC_H

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

#endif
