/*
 * host_stubs.h — the rest of the kernel, for host tests of its memory code.
 *
 * Address-space, page-fault and user-copy code call into parts of the kernel
 * a user program does not have. This header supplies them: panic() aborts (so
 * a test can expect SIGABRT), kmalloc is malloc, a host buffer stands in for
 * physical memory, a small kernel PML4 plays the shared upper half, and
 * proc_current() returns one process whose address space the test sets.
 * It defines functions: include it from exactly one file of a test program,
 * after the system headers.
 * OSTEP ch. 13-23 (the memory code these stand-ins let run on the host).
 */
#ifndef PRISM_TESTS_UNIT_HOST_STUBS_H
#define PRISM_TESTS_UNIT_HOST_STUBS_H

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/mm/kmalloc.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page_table.h"
#include "kernel/mm/pmm.h"
#include "kernel/mm/vm_kernel.h"
#include "kernel/panic.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/scheduler.h"
#include "tests/unit/host_panic.h"

static void *host_memory;
static uint64_t host_kernel_pml4;
static struct proc host_current_process;

void *kmalloc(size_t size)
{
    return malloc(size);
}

void *kzalloc(size_t size)
{
    return calloc(1, size);
}

void kfree(void *ptr)
{
    free(ptr);
}

uint64_t vm_kernel_pml4(void)
{
    return host_kernel_pml4;
}

struct proc *proc_current(void)
{
    return &host_current_process;
}

/* Fresh "RAM" of `bytes`, every byte `junk` (so code that forgets to clear a
 * frame is caught), handed to the pmm; then a kernel PML4 for as_create to
 * share, using the first and the last slot of the upper half. */
static void host_memory_init(size_t bytes, unsigned char junk)
{
    host_memory = aligned_alloc(PAGE_SIZE, bytes);
    ck_assert_ptr_nonnull(host_memory);
    memset(host_memory, junk, bytes);
    direct_map_offset = (uintptr_t)host_memory;
    struct phys_range usable = {0, bytes};
    ck_assert_int_eq(pmm_init(&usable, 1, NULL, 0), 0);
    host_kernel_pml4 = page_table_create();
    ck_assert_uint_ne(host_kernel_pml4, 0);
    ck_assert_int_eq(page_table_map(host_kernel_pml4, DIRECT_MAP_BASE, pmm_alloc(), PTE_WRITABLE),
                     0);
    ck_assert_int_eq(page_table_map(host_kernel_pml4, KERNEL_IMAGE_BASE, pmm_alloc(), 0), 0);
    host_current_process = (struct proc){.pid = PID_INIT};
}

static void host_memory_free(void)
{
    free(host_memory);
    host_memory = NULL;
}

#endif
