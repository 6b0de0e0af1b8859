/*
 * trace.h — user-side wrappers for naming a process and controlling the
 * kernel's scheduling trace (lib/syscall_abi.h: SYS_setname, SYS_trace).
 * OSTEP ch. 7-9: measuring what a policy did.
 */
#ifndef PRISM_USER_LIB_TRACE_H
#define PRISM_USER_LIB_TRACE_H

#include "user/lib/prism.h"

/* Names this process (ps, trace); at most 15 characters are kept. */
static inline int setname(const char *name)
{
    return (int)syscall_raw(SYS_setname, (long)name, 0, 0, 0, 0, 0);
}

/* TRACE_ON, TRACE_OFF, TRACE_FLUSH (returns events dropped), TRACE_STATUS. */
static inline long trace_control(int operation)
{
    return syscall_raw(SYS_trace, operation, 0, 0, 0, 0, 0);
}

#endif
