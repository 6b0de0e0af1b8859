/*
 * host_panic.h — panic() for host unit tests: print the message and abort,
 * so a test can assert that a kernel bug is caught (Check sees SIGABRT).
 * Define it in exactly one file per test program (include this once).
 * OSTEP ch. 6 (the kernel's last resort when its own rules break).
 */
#ifndef PRISM_TESTS_UNIT_HOST_PANIC_H
#define PRISM_TESTS_UNIT_HOST_PANIC_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void panic(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    fputc('\n', stderr);
    abort();
}

#endif
