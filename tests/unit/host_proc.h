/*
 * host_proc.h — a bare process for host tests and tools that drive the
 * scheduler without the kernel: the fields proc_alloc (kernel/proc/proc.c)
 * sets before anyone schedules the process, and nothing that needs memory,
 * a kernel stack or a pid table. Used by the policy simulator, the
 * dispatcher's test and bench_pick. OSTEP ch. 4 (the process), ch. 7.
 */
#ifndef PRISM_TESTS_UNIT_HOST_PROC_H
#define PRISM_TESTS_UNIT_HOST_PROC_H

#include "kernel/proc/proc.h"

#include <stdio.h>
#include <string.h>

/* A NEW process with this pid and name, on no list and no queue. */
static inline void host_proc_init(struct proc *p, int pid, const char *name)
{
    memset(p, 0, sizeof(*p));
    p->pid = pid;
    snprintf(p->name, sizeof(p->name), "%s", name);
    p->state = PROC_NEW;
    list_init(&p->children);
    list_init(&p->sibling);
    list_init(&p->all);
    sched_entity_init(&p->sched);
    group_member_init(&p->member); /* in the root group */
}

#endif
