/*
 * user_copy.h — the only way the kernel touches user memory.
 *
 * A user program hands the kernel pointers in system calls; any of them may
 * be NULL, point into the kernel, be non-canonical, wrap around, or run off
 * the end of what is mapped. These helpers check the whole range against the
 * running process's address space first (faulting in lazily allocated pages)
 * and return -EFAULT instead of ever letting a bad pointer reach the kernel.
 * Rule: a copy may sleep — a page out on swap is read back, or one is written
 * out to make room — and other processes run meanwhile. So a caller holds no
 * pointer into shared kernel state across a copy (the process list, another
 * process's regions): it gathers what it needs first and copies once.
 * OSTEP ch. 6 (the kernel must not trust user pointers), ch. 13.
 */
#ifndef PRISM_KERNEL_MM_USER_COPY_H
#define PRISM_KERNEL_MM_USER_COPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Pure range check: true if [address, address + length) lies inside the user
 * half (length 0 is allowed anywhere below the top). */
bool user_range_valid(uint64_t address, uint64_t length);

/* 0 or -EFAULT. */
int user_copy_in(void *kernel_destination, uint64_t user_source, size_t length);
int user_copy_out(uint64_t user_destination, const void *kernel_source, size_t length);

/* Copies a NUL-terminated string of at most size-1 characters; returns its
 * length, -EFAULT, or -ENAMETOOLONG if no NUL came within size bytes (always,
 * when size is 0: a caller filling a buffer piece by piece gets "too long",
 * not "bad address", once the buffer is full). */
long user_copy_string(char *kernel_destination, uint64_t user_source, size_t size);

#endif
