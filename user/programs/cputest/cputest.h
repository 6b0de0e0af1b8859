/*
 * cputest.h — what cputest's two files share: the check that prints and
 * counts one result, and the cases return_cases.c adds to cputest.c's table
 * (cputest.c: each process's own FPU/SSE and fs/gs state; return_cases.c:
 * registers exact on the way out of the kernel). OSTEP ch. 6.
 */
#ifndef PRISM_USER_PROGRAMS_CPUTEST_H
#define PRISM_USER_PROGRAMS_CPUTEST_H

#include <stdbool.h>

/* Prints "cputest: NAME ok" or "... FAILED" and counts it for the summary. */
void check(bool ok, const char *name);

void test_sysret_and_iretq_agree(void);
void test_syscall_preserves_registers(void);
void test_bad_return_kills(void);
void test_start_alignment(void);

#endif
