/*
 * describe.h — words for the numbers the kernel hands back: errors and signals.
 *
 * System calls fail with a negative errno and waitpid reports deaths as signal
 * numbers; programs print these for people ("kill: 77: no such process",
 * "killed by signal 11 (SIGSEGV)"), and kill reads signal names back in.
 * OSTEP ch. 5 (why callers must check and report what the kernel says).
 */
#ifndef PRISM_USER_LIB_DESCRIBE_H
#define PRISM_USER_LIB_DESCRIBE_H

/* "no such process" for ESRCH or -ESRCH; "unknown error" for others. */
const char *strerror(int error);

/* "SIGSEGV" for 11; NULL for a number syscall_abi.h does not name. */
const char *signal_name(int signal);

/* Reads "9", "KILL" or "SIGKILL" (any case); returns the number, or -EINVAL. */
int signal_from_name(const char *name);

#endif
