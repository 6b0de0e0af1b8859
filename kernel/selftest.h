/*
 * selftest.h — checks the kernel runs on itself when booted with test=NAME,
 * for the QEMU system tests in tests/system/.
 * OSTEP ch. 6, 17, 18-20 (what the checks cover).
 */
#ifndef PRISM_KERNEL_SELFTEST_H
#define PRISM_KERNEL_SELFTEST_H

/* Runs the named test; the test ends QEMU with a status. Unknown names are
 * reported and the kernel goes on to the monitor. */
void selftest_run(const char *name);

#endif
