/*
 * fs_stubs.h — the world around the file code, for host tests of files,
 * pipes, the tty and the initrd.
 *
 * file.c, pipe.c, tty.c and sys_file.c call into the scheduler, the heap, the
 * console, user_copy and the process core. Here the heap counts live blocks
 * (so a test can prove nothing leaked) and can be told to fail; user memory
 * is host memory except one unmapped range; the console records what it was
 * given; and sched_block lets "another process" (a test hook) run turn after
 * turn until someone wakes the sleeper's channel. A ustar builder stands in
 * for the initrd GRUB would load, stub_type for the keyboard. Defines
 * functions: include it from exactly one file of a test program, after the
 * system headers.
 * OSTEP ch. 5 (pipes, fork), ch. 30 (sleep and wakeup), ch. 39 (files).
 */
#ifndef PRISM_TESTS_UNIT_FS_STUBS_H
#define PRISM_TESTS_UNIT_FS_STUBS_H

#include <check.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/console.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/user_copy.h"
#include "kernel/panic.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/scheduler.h"
#include "kernel/tty.h"
#include "lib/errno.h"
#include "lib/format.h"
#include "tests/unit/host_panic.h"

#define STUB_MAX_TURNS 100 /* a sleeper nobody wakes in this many turns never wakes */
#define STUB_CONSOLE_BYTES 65536
#define STUB_CONSOLE_WRITES 64
#define STUB_ARCHIVE_BYTES (32 * 512)

/* ---- the running process and the scheduler ----------------------------- */

static struct proc stub_process;
static void (*stub_other_process)(void);    /* what runs while the process sleeps */
static int stub_blocks;                     /* sched_block calls */
static int stub_turns;                      /* times stub_other_process ran */
static struct wait_queue *stub_sleeping_on; /* the sleeper's queue, NULL if none */
static bool stub_woken;

struct proc *proc_current(void)
{
    return &stub_process;
}

/* Like the real scheduler, returns only once the queue is woken or the
 * process has a signal pending; others run (the hook) in the meantime. */
void sched_block(struct wait_queue *queue)
{
    ck_assert_msg(stub_sleeping_on == NULL, "the test's other process tried to sleep");
    stub_blocks++;
    stub_sleeping_on = queue;
    stub_woken = false;
    for (int turn = 0; !stub_woken && stub_process.pending_signal == 0; turn++) {
        ck_assert_msg(stub_other_process != NULL && turn < STUB_MAX_TURNS,
                      "would sleep forever: nobody woke the queue it waits on");
        stub_turns++;
        stub_other_process();
    }
    stub_sleeping_on = NULL;
}

void sched_wakeup(struct wait_queue *queue)
{
    if (queue != NULL && queue == stub_sleeping_on)
        stub_woken = true;
}

/* ---- the kernel heap --------------------------------------------------- */

static long stub_live_allocations;
static int stub_allocations_until_failure = -1; /* 0: the next one fails; -1: none */

static bool stub_allocation_fails(void)
{
    if (stub_allocations_until_failure < 0)
        return false;
    return stub_allocations_until_failure-- == 0;
}

static void *stub_counted(void *block)
{
    if (block != NULL)
        stub_live_allocations++;
    return block;
}

void *kmalloc(size_t size)
{
    return stub_allocation_fails() ? NULL : stub_counted(malloc(size));
}

void *kzalloc(size_t size)
{
    return stub_allocation_fails() ? NULL : stub_counted(calloc(1, size));
}

void kfree(void *block)
{
    if (block != NULL) {
        stub_live_allocations--;
        free(block);
    }
}

/* ---- user memory: host memory, but NULL and STUB_UNMAPPED fault --------- */

#define STUB_HOLE_BYTES 8192
static char stub_user_memory[2 * STUB_HOLE_BYTES]; /* the upper half faults */
#define STUB_UNMAPPED (stub_user_memory + STUB_HOLE_BYTES)

#define USER(pointer) ((uint64_t)(uintptr_t)(pointer))

static bool stub_faults(uint64_t address, size_t length)
{
    uint64_t hole = USER(STUB_UNMAPPED);
    if (length == 0)
        return false;
    return address == 0 || (address < hole + STUB_HOLE_BYTES && address + length > hole);
}

bool user_range_valid(uint64_t address, uint64_t length)
{
    if (address >= USER_HALF_END)
        return length == 0 && address == USER_HALF_END;
    return length <= USER_HALF_END - address;
}

int user_copy_in(void *kernel_destination, uint64_t user_source, size_t length)
{
    if (!user_range_valid(user_source, length) || stub_faults(user_source, length))
        return -EFAULT;
    memcpy(kernel_destination, (const void *)(uintptr_t)user_source, length);
    return 0;
}

/* If set, runs once inside the next user_copy_out, before it copies: the
 * "other process" that runs while the copy sleeps on a swapped-out page. */
static void (*stub_copy_out_sleeps)(void);

int user_copy_out(uint64_t user_destination, const void *kernel_source, size_t length)
{
    if (stub_copy_out_sleeps) {
        void (*other_process)(void) = stub_copy_out_sleeps;
        stub_copy_out_sleeps = NULL;
        other_process();
    }
    if (!user_range_valid(user_destination, length) || stub_faults(user_destination, length))
        return -EFAULT;
    memcpy((void *)(uintptr_t)user_destination, kernel_source, length);
    return 0;
}

long user_copy_string(char *kernel_destination, uint64_t user_source, size_t size)
{
    if (stub_faults(user_source, 1))
        return -EFAULT;
    const char *source = (const char *)(uintptr_t)user_source;
    size_t length = strnlen(source, size);
    if (length == size)
        return -ENAMETOOLONG;
    memcpy(kernel_destination, source, length + 1);
    return (long)length;
}

/* ---- console, panic, signals ------------------------------------------- */

static char stub_console_text[STUB_CONSOLE_BYTES]; /* everything written, NUL-terminated */
static size_t stub_console_length;
static size_t stub_console_writes;
static size_t stub_console_write_sizes[STUB_CONSOLE_WRITES];

void console_write(const char *text, size_t length)
{
    if (stub_console_writes < STUB_CONSOLE_WRITES)
        stub_console_write_sizes[stub_console_writes] = length;
    stub_console_writes++;
    ck_assert_uint_lt(stub_console_length + length, sizeof(stub_console_text));
    memcpy(stub_console_text + stub_console_length, text, length);
    stub_console_length += length;
}

int kprintf(const char *fmt, ...)
{
    char line[512];
    va_list args;
    va_start(args, fmt);
    int length = format_vsnprintf(line, sizeof(line), fmt, args);
    va_end(args);
    console_write(line, strlen(line));
    return length;
}

static int stub_signal_pgid = -1;
static int stub_signal_number = -1;
static int stub_signal_result = 1; /* processes signalled; negative: group gone */

int proc_signal_group(int pgid, int signal)
{
    stub_signal_pgid = pgid;
    stub_signal_number = signal;
    return stub_signal_result;
}

/* ---- a ustar archive built in memory, as tar --format=ustar would ------- */

static uint8_t stub_archive[STUB_ARCHIVE_BYTES];
static size_t stub_archive_size;

/* length - 1 zero-padded octal digits, then a NUL. */
static void stub_octal(uint8_t *field, size_t length, uint64_t value)
{
    for (size_t i = length - 1; i > 0; i--, value >>= 3)
        field[i - 1] = (uint8_t)('0' + (value & 7));
    field[length - 1] = '\0';
}

/* Appends a header and size bytes of data, padded to whole blocks. The
 * checksum is the sum of all 512 bytes with its own field counted as spaces,
 * stored as six digits, a NUL and a space. Returns the header's offset. */
static size_t stub_archive_add(const char *name, char type, const void *data, size_t size)
{
    size_t at = stub_archive_size;
    size_t padded = (size + 511) / 512 * 512;
    uint8_t *header = stub_archive + at;
    ck_assert_uint_le(at + 512 + padded, sizeof(stub_archive));
    memset(header, 0, 512 + padded);
    ck_assert_uint_lt(strlen(name), 100); /* fits the name field: no prefix needed */
    memcpy(header, name, strlen(name));
    stub_octal(header + 100, 8, type == '5' ? 0755 : 0644);
    stub_octal(header + 108, 8, 0); /* uid and gid: root, as --owner=0 --group=0 */
    stub_octal(header + 116, 8, 0);
    stub_octal(header + 124, 12, size);
    stub_octal(header + 136, 12, 1700000000); /* mtime */
    header[156] = (uint8_t)type;
    memcpy(header + 257, "ustar", 6); /* the POSIX magic, its NUL included */
    memcpy(header + 263, "00", 2);    /* the version: no NUL */
    unsigned sum = 8 * ' ';
    for (size_t i = 0; i < 512; i++)
        sum += (i >= 148 && i < 156) ? 0 : header[i];
    stub_octal(header + 148, 7, sum);
    header[155] = ' ';
    if (size > 0)
        memcpy(header + 512, data, size);
    stub_archive_size = at + 512 + padded;
    return at;
}

static void stub_archive_end(void)
{
    ck_assert_uint_le(stub_archive_size + 1024, sizeof(stub_archive));
    memset(stub_archive + stub_archive_size, 0, 1024);
    stub_archive_size += 1024;
}

/* The standard archive (offsets of headers and data):
 *   0 "bin/" (directory)   512 "bin/cat", 3000 bytes at 1024
 *   4096 "bin/sh", 13 bytes at 4608   5120 "./etc/" (directory)
 *   5632 "./etc/motd", 17 bytes at 6144   6656 "bin/games/snake", 6 bytes
 *   at 7168   7680 two zero blocks, 8704 in all */
#define STUB_SH_TEXT "#!sh program\n"
#define STUB_MOTD_TEXT "Welcome to Prism\n"
#define STUB_CAT_SIZE 3000
#define STUB_CAT_DATA 1024
#define STUB_SH_HEADER 4096
#define STUB_SH_DATA 4608
#define STUB_MOTD_DATA 6144
#define STUB_SNAKE_DATA 7168
#define STUB_ARCHIVE_SIZE 8704

static void stub_build_initrd(void)
{
    static char cat_bytes[STUB_CAT_SIZE];
    for (size_t i = 0; i < STUB_CAT_SIZE; i++)
        cat_bytes[i] = (char)(i * 13 + i / 512);
    stub_archive_size = 0;
    stub_archive_add("bin/", '5', NULL, 0);
    stub_archive_add("bin/cat", '0', cat_bytes, STUB_CAT_SIZE);
    ck_assert_uint_eq(stub_archive_add("bin/sh", '0', STUB_SH_TEXT, 13), STUB_SH_HEADER);
    stub_archive_add("./etc/", '5', NULL, 0);
    stub_archive_add("./etc/motd", '0', STUB_MOTD_TEXT, 17);
    stub_archive_add("bin/games/snake", '0', "snake\n", 6);
    stub_archive_end();
    ck_assert_uint_eq(stub_archive_size, STUB_ARCHIVE_SIZE);
}

/* ---- the keyboard and the screen --------------------------------------- */

static void stub_type(const char *text)
{
    for (; *text != '\0'; text++)
        tty_input_char(*text);
}

static void stub_console_clear(void)
{
    memset(stub_console_text, 0, sizeof(stub_console_text));
    stub_console_length = 0;
    stub_console_writes = 0;
}

#endif
