/*
 * proctest.h — what proctest's two files share: the check that prints and
 * counts one result, and the pipe cases pipe_cases.c adds to the run in
 * proctest.c. OSTEP ch. 5.
 */
#ifndef PRISM_USER_PROGRAMS_PROCTEST_H
#define PRISM_USER_PROGRAMS_PROCTEST_H

#include <stdbool.h>

/* Prints "proctest: NAME ok" or "... FAILED DETAIL" and counts it. */
void check(bool ok, const char *name, const char *detail);

void test_pipes(void);

#endif
