/*
 * test_file_pipe_tty.c — open files, descriptor tables, pipes, the tty line
 * discipline, the initrd and the file system calls, run on the host.
 *
 * The real file.c, pipe.c, tty.c, initrd.c, ustar.c and sys_file.c run over
 * fs_stubs.h: blocking is simulated by letting a hook (the "other process")
 * run until it wakes the sleeper, the initrd is a ustar archive built in
 * memory, a copy to user memory can be made to "sleep" while another
 * reader runs (as a page-in from swap would), and every case ends by
 * proving the kernel heap holds nothing.
 * OSTEP ch. 5 (pipes, dup2, fork), ch. 30 (bounded buffer), ch. 39 (files).
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/fs/file.h"
#include "kernel/fs/initrd.h"
#include "kernel/fs/pipe.h"
#include "kernel/proc/proc.h"
#include "kernel/syscall/sys_file.h"
#include "kernel/tty.h"
#include "lib/errno.h"
#include "lib/syscall_abi.h"
#include "tests/unit/fs_stubs.h"

static struct proc child_process; /* the other side of a simulated fork */
static struct file *reader, *writer;
static char drained[12000]; /* what drain_some and drain_all took out of the pipe */
static size_t drained_length, drain_size;

static void setup(void)
{
    stub_build_initrd();
    initrd_init(stub_archive, stub_archive_size);
    stub_console_clear();
}

/* Whatever a case left open is closed here; then the heap must be empty. */
static void teardown(void)
{
    fd_table_close_all(&stub_process);
    fd_table_close_all(&child_process);
    ck_assert_int_eq(stub_live_allocations, 0);
}

static void open_pipe(void)
{
    ck_assert_int_eq(pipe_create(&reader, &writer), 0);
}

static long write_text(struct file *f, const char *text)
{
    return file_write(f, USER(text), strlen(text));
}

/* Clears the count bytes it may fill: a read shorter than count leaves a string. */
static long read_into(struct file *f, char *buffer, size_t count)
{
    memset(buffer, 0, count);
    return file_read(f, USER(buffer), count);
}

static void drain_some(void)
{
    long got = file_read(reader, USER(drained + drained_length), drain_size);
    ck_assert_int_gt(got, 0);
    drained_length += (size_t)got;
}

/* Reads to end of file: the writer must be closed. */
static void drain_all(void)
{
    long got;
    while ((got = file_read(reader, USER(drained + drained_length), 4096)) > 0)
        drained_length += (size_t)got;
    ck_assert_int_eq(got, 0);
}

static void close_the_reader(void)
{
    file_put(reader);
}

static void kill_the_process(void)
{
    stub_process.pending_signal = SIGKILL;
}

/* ---- pipes ------------------------------------------------------------ */

START_TEST(test_pipe_keeps_order_then_reports_end_of_file)
{
    char buffer[32];
    open_pipe();
    ck_assert_int_eq(write_text(writer, "hello"), 5);
    ck_assert_int_eq(write_text(writer, " world"), 6);
    ck_assert_int_eq(read_into(reader, buffer, 3), 3);
    ck_assert_mem_eq(buffer, "hel", 3);
    file_put(writer);
    ck_assert_int_eq(read_into(reader, buffer, sizeof(buffer)), 8); /* what was left */
    ck_assert_str_eq(buffer, "lo world");
    ck_assert_int_eq(read_into(reader, buffer, sizeof(buffer)), 0);
    ck_assert_int_eq(read_into(reader, buffer, sizeof(buffer)), 0); /* and stays there */
    ck_assert_int_eq(stub_blocks, 0);
    file_put(reader);
}
END_TEST

START_TEST(test_pipe_ring_wraps_around_its_end)
{
    static char first[3000], second[2500], out[3000];
    for (size_t i = 0; i < sizeof(second); i++)
        second[i] = (char)(i * 7 + i / 256);
    open_pipe();
    ck_assert_int_eq(file_write(writer, USER(first), sizeof(first)), 3000);
    ck_assert_int_eq(read_into(reader, out, sizeof(out)), 3000);
    /* Bytes 3000..5499: the ring's last 1096 bytes, then its first 1404. */
    ck_assert_int_eq(file_write(writer, USER(second), sizeof(second)), 2500);
    ck_assert_int_eq(read_into(reader, out, sizeof(out)), 2500);
    ck_assert_mem_eq(out, second, sizeof(second));
    file_put(writer);
    file_put(reader);
}
END_TEST

START_TEST(test_pipe_without_a_reader_is_epipe_even_for_a_sleeping_writer)
{
    static char full[PIPE_BUFFER_SIZE];
    char buffer[4];
    open_pipe();
    ck_assert_int_eq(read_into(writer, buffer, sizeof(buffer)), -EBADF);
    ck_assert_int_eq(write_text(reader, "x"), -EBADF);
    ck_assert_int_eq(file_write(writer, USER(full), sizeof(full)), PIPE_BUFFER_SIZE);
    stub_other_process = close_the_reader; /* while the writer waits for room */
    ck_assert_int_eq(write_text(writer, "x"), -EPIPE);
    ck_assert_int_eq(stub_blocks, 1);
    ck_assert_int_eq(write_text(writer, "x"), -EPIPE); /* and no more waiting */
    ck_assert_int_eq(stub_blocks, 1);
    file_put(writer);
}
END_TEST

/* The forked child writes once, then exits. */
static void child_writes_then_exits(void)
{
    if (stub_turns == 1)
        ck_assert_int_eq(write_text(fd_get(&child_process, 1), "x"), 1);
    else
        fd_table_close_all(&child_process);
}

START_TEST(test_pipe_reader_sleeps_until_every_copy_of_the_write_end_closes)
{
    char buffer[8];
    open_pipe();
    ck_assert_int_eq(fd_install(&stub_process, reader), 0);
    ck_assert_int_eq(fd_install(&stub_process, writer), 1);
    fd_table_copy(&stub_process, &child_process);
    ck_assert_ptr_eq(fd_get(&child_process, 1), writer);
    ck_assert_int_eq(fd_close(&stub_process, 1), 0); /* the child still holds it */
    stub_other_process = child_writes_then_exits;
    ck_assert_int_eq(read_into(reader, buffer, sizeof(buffer)), 1);
    ck_assert_str_eq(buffer, "x");
    ck_assert_int_eq(stub_blocks, 1);
    ck_assert_int_eq(read_into(reader, buffer, sizeof(buffer)), 0);
    ck_assert_int_eq(stub_blocks, 2);
    ck_assert_int_eq(stub_turns, 2);
}
END_TEST

START_TEST(test_pipe_small_write_waits_for_room_for_all_of_it)
{
    static char big[4000], small[200];
    memset(big, 'b', sizeof(big));
    memset(small, 's', sizeof(small));
    open_pipe();
    ck_assert_int_eq(file_write(writer, USER(big), sizeof(big)), 4000);
    stub_other_process = drain_some;
    drain_size = 100;
    ck_assert_int_eq(file_write(writer, USER(small), sizeof(small)), 200);
    ck_assert_int_eq(stub_blocks, 2); /* 96 free, then 196, then 296 >= 200 */
    file_put(writer);
    drain_all();
    ck_assert_uint_eq(drained_length, 4200);
    ck_assert_mem_eq(drained, big, 4000);
    ck_assert_mem_eq(drained + 4000, small, 200);
    file_put(reader);
}
END_TEST

START_TEST(test_pipe_large_write_arrives_whole_and_in_order)
{
    static char data[10000];
    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (char)(i * 7 + i / 251);
    open_pipe();
    stub_other_process = drain_some;
    drain_size = 1000;
    ck_assert_int_eq(file_write(writer, USER(data), sizeof(data)), 10000);
    /* Pieces of 4096, 4096, 1808, each waiting for room for all of it: the
     * second after five drains (the fifth finds 96 bytes), the third after two. */
    ck_assert_int_eq(stub_blocks, 7);
    file_put(writer);
    drain_all();
    ck_assert_uint_eq(drained_length, sizeof(data));
    ck_assert_mem_eq(drained, data, sizeof(data));
    file_put(reader);
}
END_TEST

START_TEST(test_pipe_killed_sleepers_get_eintr_or_their_count)
{
    static char data[2 * PIPE_BUFFER_SIZE];
    char buffer[8];
    open_pipe();
    stub_other_process = kill_the_process;
    ck_assert_int_eq(read_into(reader, buffer, sizeof(buffer)), -EINTR);
    stub_process.pending_signal = 0;
    /* The first piece went in; the second waited and was killed. */
    ck_assert_int_eq(file_write(writer, USER(data), sizeof(data)), PIPE_BUFFER_SIZE);
    ck_assert_int_eq(stub_process.pending_signal, SIGKILL);
    stub_process.pending_signal = 0;
    ck_assert_int_eq(write_text(writer, "x"), -EINTR); /* still full: nothing moved */
    ck_assert_int_eq(stub_blocks, 3);
    stub_process.pending_signal = 0;
    file_put(writer);
    drain_all();
    ck_assert_uint_eq(drained_length, PIPE_BUFFER_SIZE);
    file_put(reader);
}
END_TEST

START_TEST(test_pipe_bad_buffers_and_no_memory_lose_nothing)
{
    char buffer[8];
    open_pipe();
    ck_assert_int_eq(write_text(writer, "xyz"), 3);
    ck_assert_int_eq(file_read(reader, USER(STUB_UNMAPPED), 3), -EFAULT);
    ck_assert_int_eq(file_read(reader, 0, 3), -EFAULT);
    ck_assert_int_eq(file_write(writer, USER(STUB_UNMAPPED), 3), -EFAULT);
    stub_allocations_until_failure = 0; /* the bounce buffer */
    ck_assert_int_eq(read_into(reader, buffer, sizeof(buffer)), -ENOMEM);
    stub_allocations_until_failure = 0;
    ck_assert_int_eq(write_text(writer, "w"), -ENOMEM);
    ck_assert_int_eq(read_into(reader, buffer, sizeof(buffer)), 3);
    ck_assert_str_eq(buffer, "xyz");
    /* A buffer that runs into unmapped memory: the good first piece counts. */
    uint64_t straddling = USER(STUB_UNMAPPED - PIPE_BUFFER_SIZE);
    ck_assert_int_eq(file_write(writer, straddling, 2 * PIPE_BUFFER_SIZE), PIPE_BUFFER_SIZE);
    file_put(writer);
    drain_all();
    ck_assert_uint_eq(drained_length, PIPE_BUFFER_SIZE);
    file_put(reader);
}
END_TEST

/* ---- the console file and descriptor tables --------------------------- */

START_TEST(test_console_writes_go_out_in_pieces_of_4096)
{
    static char text[10000];
    for (size_t i = 0; i < sizeof(text); i++)
        text[i] = (char)('a' + i % 26);
    struct file *console = file_open_console();
    ck_assert_int_eq(file_write(console, USER(text), sizeof(text)), 10000);
    ck_assert_uint_eq(stub_console_writes, 3);
    ck_assert_uint_eq(stub_console_write_sizes[0], 4096);
    ck_assert_uint_eq(stub_console_write_sizes[1], 4096);
    ck_assert_uint_eq(stub_console_write_sizes[2], 10000 - 8192);
    ck_assert_mem_eq(stub_console_text, text, sizeof(text));
    stub_console_clear();
    ck_assert_int_eq(file_write(console, USER(text), 4096), 4096);
    ck_assert_int_eq(file_write(console, USER(text), 0), 0);
    ck_assert_int_eq(file_write(console, USER(STUB_UNMAPPED), 10), -EFAULT);
    ck_assert_uint_eq(stub_console_writes, 1);
    file_put(console);
}
END_TEST

START_TEST(test_fd_install_takes_the_lowest_free_descriptor)
{
    ck_assert_int_eq(fd_table_init_console(&stub_process), 0);
    struct file *console = fd_get(&stub_process, 0);
    ck_assert_ptr_nonnull(console);
    ck_assert_ptr_eq(fd_get(&stub_process, 1), console);
    ck_assert_ptr_eq(fd_get(&stub_process, 2), console);
    open_pipe();
    ck_assert_int_eq(fd_install(&stub_process, reader), 3);
    ck_assert_int_eq(fd_install(&stub_process, writer), 4);
    ck_assert_int_eq(fd_close(&stub_process, 1), 0);
    ck_assert_ptr_null(fd_get(&stub_process, 1));
    ck_assert_int_eq(fd_close(&stub_process, 1), -EBADF);
    ck_assert_int_eq(fd_close(&stub_process, -1), -EBADF);
    ck_assert_int_eq(fd_close(&stub_process, PROC_MAX_FILES), -EBADF);
    ck_assert_ptr_null(fd_get(&stub_process, -1));
    ck_assert_ptr_null(fd_get(&stub_process, PROC_MAX_FILES));
    ck_assert_int_eq(fd_install(&stub_process, file_open_console()), 1);
    ck_assert_int_eq(sys_dup(0, 0, 0, 0, 0, 0), 5);
    ck_assert_int_eq(fd_close(&stub_process, 3), 0); /* the only read end */
    ck_assert_int_eq(sys_write(4, USER("x"), 1, 0, 0, 0), -EPIPE);
}
END_TEST

START_TEST(test_full_descriptor_table_is_emfile_and_leaks_nothing)
{
    int fds[2] = {-7, -7};
    for (int fd = 0; fd < PROC_MAX_FILES; fd++)
        ck_assert_int_eq(fd_install(&stub_process, file_open_console()), fd);
    struct file *extra = file_open_console();
    ck_assert_int_eq(fd_install(&stub_process, extra), -EMFILE);
    ck_assert_int_eq(write_text(extra, "ok"), 2); /* still the caller's */
    file_put(extra);
    ck_assert_int_eq(sys_dup(0, 0, 0, 0, 0, 0), -EMFILE);
    ck_assert_int_eq(sys_open(USER("bin/sh"), O_RDONLY, 0, 0, 0, 0), -EMFILE);
    ck_assert_int_eq(sys_pipe(USER(fds), 0, 0, 0, 0, 0), -EMFILE);
    ck_assert_int_eq(sys_close(7, 0, 0, 0, 0, 0), 0);
    ck_assert_int_eq(sys_pipe(USER(fds), 0, 0, 0, 0, 0), -EMFILE); /* needs two */
    ck_assert_ptr_null(fd_get(&stub_process, 7));                  /* given back */
    ck_assert_int_eq(fds[0], -7);
    ck_assert_int_eq(stub_live_allocations, PROC_MAX_FILES - 1);
}
END_TEST

START_TEST(test_fork_shares_open_files_and_their_offset)
{
    char buffer[32];
    ck_assert_int_eq(sys_open(USER("/etc/motd"), O_RDONLY, 0, 0, 0, 0), 0);
    open_pipe();
    ck_assert_int_eq(fd_install(&stub_process, writer), 1);
    file_put(reader);
    fd_table_copy(&stub_process, &child_process);
    ck_assert_ptr_eq(fd_get(&child_process, 0), fd_get(&stub_process, 0));
    ck_assert_ptr_null(fd_get(&child_process, 2));
    ck_assert_int_eq(read_into(fd_get(&stub_process, 0), buffer, 8), 8);
    fd_table_close_all(&stub_process);
    for (int fd = 0; fd < PROC_MAX_FILES; fd++)
        ck_assert_ptr_null(stub_process.files[fd]);
    /* The child's copies outlive the parent's, and the offset moved for both. */
    ck_assert_int_eq(read_into(fd_get(&child_process, 0), buffer, sizeof(buffer)), 9);
    ck_assert_str_eq(buffer, "to Prism\n");
    ck_assert_int_eq(write_text(fd_get(&child_process, 1), "x"), -EPIPE);
    fd_table_close_all(&child_process);
    ck_assert_int_eq(stub_live_allocations, 0);
}
END_TEST

START_TEST(test_dup_shares_an_offset_and_dup2_replaces_its_target)
{
    char buffer[32];
    int fds[2];
    ck_assert_int_eq(sys_open(USER("etc/motd"), O_RDONLY, 0, 0, 0, 0), 0);
    ck_assert_int_eq(sys_dup(0, 0, 0, 0, 0, 0), 1);
    ck_assert_int_eq(sys_read(0, USER(buffer), 8, 0, 0, 0), 8);
    ck_assert_int_eq(sys_read(1, USER(buffer), 3, 0, 0, 0), 3);
    ck_assert_mem_eq(buffer, "to ", 3);
    ck_assert_int_eq(sys_dup2(0, 0, 0, 0, 0, 0), 0); /* to itself: nothing closed */
    ck_assert_int_eq(sys_read(0, USER(buffer), 3, 0, 0, 0), 3);
    ck_assert_int_eq(sys_dup2(0, 99, 0, 0, 0, 0), -EBADF);
    ck_assert_int_eq(sys_dup2(9, 1, 0, 0, 0, 0), -EBADF);
    ck_assert_int_eq(sys_dup2((uint64_t)-1, 1, 0, 0, 0, 0), -EBADF);
    ck_assert_ptr_eq(fd_get(&stub_process, 1), fd_get(&stub_process, 0)); /* untouched */
    ck_assert_int_eq(sys_dup2(0, 5, 0, 0, 0, 0), 5);                      /* an empty slot */
    ck_assert_int_eq(sys_read(5, USER(buffer), 32, 0, 0, 0), 3);
    ck_assert_int_eq(sys_pipe(USER(fds), 0, 0, 0, 0, 0), 0);
    ck_assert_int_eq(fds[0], 2);
    ck_assert_int_eq(fds[1], 3);
    /* Over the only read end: closing it leaves the pipe without a reader. */
    ck_assert_int_eq(sys_dup2(3, 2, 0, 0, 0, 0), 2);
    ck_assert_int_eq(sys_write(2, USER("x"), 1, 0, 0, 0), -EPIPE);
    ck_assert_int_eq(sys_write(3, USER("x"), 1, 0, 0, 0), -EPIPE);
}
END_TEST

/* ---- the initrd ------------------------------------------------------- */

static void expect_found(const char *path, size_t data_offset, size_t size)
{
    const void *data = NULL;
    size_t found_size = 0;
    ck_assert_msg(initrd_find(path, &data, &found_size) == 0, "\"%s\" not found", path);
    ck_assert_ptr_eq(data, stub_archive + data_offset); /* in place: nothing copied */
    ck_assert_uint_eq(found_size, size);
}

static void expect_missing(const char *path)
{
    const void *data;
    size_t size;
    ck_assert_msg(initrd_find(path, &data, &size) == -ENOENT, "\"%s\" found", path);
}

START_TEST(test_initrd_finds_files_by_path_and_bare_program_name)
{
    char long_name[300];
    initrd_init(stub_archive, stub_archive_size);
    ck_assert_str_eq(stub_console_text, "initrd: 4 files, 3 KiB\n");
    ck_assert(initrd_present());
    expect_found("/bin/sh", STUB_SH_DATA, 13);
    expect_found("bin/sh", STUB_SH_DATA, 13);
    expect_found(".//bin/sh", STUB_SH_DATA, 13);
    expect_found("sh", STUB_SH_DATA, 13); /* a bare name is a program in bin/ */
    expect_found("cat", STUB_CAT_DATA, STUB_CAT_SIZE);
    expect_found("/etc/motd", STUB_MOTD_DATA, 17); /* stored as "./etc/motd" */
    expect_found("bin/games/snake", STUB_SNAKE_DATA, 6);
    expect_missing("games/snake"); /* only a bare name gets "bin/" in front */
    expect_missing("snake");
    expect_missing("motd");
    expect_missing("bin"); /* directories are not files */
    expect_missing("etc");
    expect_missing("bin/");
    expect_missing("");
    expect_missing("/");
    expect_missing("sh/");
    memset(long_name, 's', sizeof(long_name) - 1);
    long_name[sizeof(long_name) - 1] = '\0';
    expect_missing(long_name);
}
END_TEST

START_TEST(test_initrd_lists_regular_files_for_readdir)
{
    static const char *const names[] = {"bin/cat", "bin/sh", "etc/motd", "bin/games/snake"};
    static const uint64_t sizes[] = {STUB_CAT_SIZE, 13, 17, 6};
    char name[INITRD_NAME_MAX];
    uint64_t size = 0;
    for (int i = 0; i < 4; i++) { /* no directories, no "./" */
        ck_assert_int_eq(initrd_entry(i, name, sizeof(name), &size), 0);
        ck_assert_str_eq(name, names[i]);
        ck_assert_uint_eq(size, sizes[i]);
    }
    ck_assert_int_eq(initrd_entry(4, name, sizeof(name), &size), -ENOENT);
    ck_assert_int_eq(initrd_entry(-1, name, sizeof(name), &size), -ENOENT);
    ck_assert_int_eq(initrd_entry(1, name, 7, &size), 0); /* "bin/sh" and its NUL */
    ck_assert_int_eq(initrd_entry(1, name, 6, &size), -ENAMETOOLONG);
}
END_TEST

START_TEST(test_initrd_damage_cuts_the_archive_short)
{
    char name[INITRD_NAME_MAX];
    uint64_t size;
    stub_archive[STUB_SH_HEADER + 148] ^= 1; /* a checksum digit of bin/sh's header */
    initrd_init(stub_archive, stub_archive_size);
    ck_assert_str_eq(stub_console_text,
                     "initrd: damaged header at byte 4096 of 8704; using the 1 files before it\n");
    ck_assert(initrd_present());
    expect_found("cat", STUB_CAT_DATA, STUB_CAT_SIZE);
    expect_missing("sh");
    expect_missing("etc/motd"); /* intact, but past the damage */
    ck_assert_int_eq(initrd_entry(1, name, sizeof(name), &size), -ENOENT);

    stub_build_initrd();
    stub_archive[257] = 'X'; /* the first header's magic */
    stub_console_clear();
    initrd_init(stub_archive, stub_archive_size);
    ck_assert_ptr_nonnull(strstr(stub_console_text, "not a ustar archive"));
    ck_assert(!initrd_present());
    expect_missing("cat");
    ck_assert_int_eq(initrd_entry(0, name, sizeof(name), &size), -ENOENT);

    initrd_init(NULL, 0);
    ck_assert(!initrd_present());
    expect_missing("sh");
    stub_archive_size = 0;
    stub_archive_add("bin/", '5', NULL, 0);
    stub_archive_end();
    stub_console_clear();
    initrd_init(stub_archive, stub_archive_size);
    ck_assert_str_eq(stub_console_text, "initrd: 0 files, 0 KiB\n");
    ck_assert(!initrd_present()); /* a directory alone holds no programs */
}
END_TEST

/* ---- system call arguments -------------------------------------------- */

START_TEST(test_sys_open_read_write_close_check_their_arguments)
{
    char buffer[32], long_path[300];
    memset(long_path, 'p', sizeof(long_path));
    ck_assert_int_eq(sys_open(USER("sh"), 1, 0, 0, 0, 0), -EINVAL); /* read-only */
    ck_assert_int_eq(sys_open(USER(STUB_UNMAPPED), O_RDONLY, 0, 0, 0, 0), -EFAULT);
    ck_assert_int_eq(sys_open(0, O_RDONLY, 0, 0, 0, 0), -EFAULT);
    ck_assert_int_eq(sys_open(USER(long_path), O_RDONLY, 0, 0, 0, 0), -ENAMETOOLONG);
    ck_assert_int_eq(sys_open(USER("nope"), O_RDONLY, 0, 0, 0, 0), -ENOENT);
    stub_allocations_until_failure = 0;
    ck_assert_int_eq(sys_open(USER("sh"), O_RDONLY, 0, 0, 0, 0), -ENOMEM);
    ck_assert_int_eq(sys_open(USER("sh"), O_RDONLY, 0, 0, 0, 0), 0); /* none was used */

    ck_assert_int_eq(sys_read(0, USER(buffer), 5, 0, 0, 0), 5);
    ck_assert_mem_eq(buffer, "#!sh ", 5);
    /* A huge count is cut to 1 MiB before the range check, not refused. */
    ck_assert_int_eq(sys_read(0, USER(buffer), UINT64_MAX, 0, 0, 0), 8);
    ck_assert_mem_eq(buffer, "program\n", 8);
    ck_assert_int_eq(sys_read(0, USER(buffer), sizeof(buffer), 0, 0, 0), 0);
    ck_assert_int_eq(sys_read(0, USER_HALF_END - 4, 8, 0, 0, 0), -EFAULT);
    ck_assert_int_eq(sys_write(0, USER("x"), 1, 0, 0, 0), -EBADF);
    ck_assert_int_eq(sys_read((uint64_t)-1, USER(buffer), 1, 0, 0, 0), -EBADF);
    ck_assert_int_eq(sys_read(PROC_MAX_FILES, USER(buffer), 1, 0, 0, 0), -EBADF);
    ck_assert_int_eq(sys_read(1, USER(buffer), 1, 0, 0, 0), -EBADF);
    ck_assert_int_eq(sys_read(1ULL << 32, USER(buffer), 1, 0, 0, 0), -EBADF); /* not fd 0 */
    ck_assert_int_eq(sys_close(1ULL << 32, 0, 0, 0, 0, 0), -EBADF);
    ck_assert_int_eq(sys_close((uint64_t)-3, 0, 0, 0, 0, 0), -EBADF);
    ck_assert_ptr_nonnull(fd_get(&stub_process, 0));
    ck_assert_int_eq(sys_close(0, 0, 0, 0, 0, 0), 0);
    ck_assert_int_eq(sys_close(0, 0, 0, 0, 0, 0), -EBADF);
}
END_TEST

/* Closes the descriptor the process is blocked reading, then writes. */
static void close_fd_0_and_write(void)
{
    ck_assert_int_eq(sys_close(0, 0, 0, 0, 0, 0), 0);
    ck_assert_int_eq(sys_write(1, USER("late"), 4, 0, 0, 0), 4);
}

START_TEST(test_sys_pipe_checks_its_pointer_and_memory)
{
    int fds[2] = {-7, -7};
    char buffer[16];
    ck_assert_int_eq(sys_pipe(USER(STUB_UNMAPPED), 0, 0, 0, 0, 0), -EFAULT);
    ck_assert_int_eq(sys_pipe(0, 0, 0, 0, 0, 0), -EFAULT);
    for (int failing = 0; failing < 4; failing++) { /* pipe, buffer, read end, write end */
        stub_allocations_until_failure = failing;
        ck_assert_int_eq(sys_pipe(USER(fds), 0, 0, 0, 0, 0), -ENOMEM);
        ck_assert_int_eq(stub_live_allocations, 0);
    }
    for (int fd = 0; fd < PROC_MAX_FILES; fd++) /* no descriptor left behind */
        ck_assert_ptr_null(stub_process.files[fd]);
    stub_allocations_until_failure = 4; /* one past the last: all four were tried */
    ck_assert_int_eq(sys_pipe(USER(fds), 0, 0, 0, 0, 0), 0);
    stub_allocations_until_failure = -1;
    ck_assert_int_eq(fds[0], 0);
    ck_assert_int_eq(fds[1], 1);
    ck_assert_int_eq(sys_write(1, USER("ping"), 4, 0, 0, 0), 4);
    ck_assert_int_eq(sys_read(0, USER(buffer), sizeof(buffer), 0, 0, 0), 4);
    ck_assert_mem_eq(buffer, "ping", 4);
    /* The call holds its own reference: the file outlives the descriptor. */
    stub_other_process = close_fd_0_and_write;
    ck_assert_int_eq(sys_read(0, USER(buffer), sizeof(buffer), 0, 0, 0), 4);
    ck_assert_mem_eq(buffer, "late", 4);
    ck_assert_int_eq(sys_write(1, USER("x"), 1, 0, 0, 0), -EPIPE); /* now it is gone */
}
END_TEST

START_TEST(test_sys_readdir_and_set_foreground_check_their_arguments)
{
    char name[64];
    ck_assert_int_eq(sys_readdir(0, USER(name), sizeof(name), 0, 0, 0), STUB_CAT_SIZE);
    ck_assert_str_eq(name, "bin/cat");
    ck_assert_int_eq(sys_readdir(2, USER(name), UINT64_MAX, 0, 0, 0), 17);
    ck_assert_str_eq(name, "etc/motd");
    ck_assert_int_eq(sys_readdir(4, USER(name), sizeof(name), 0, 0, 0), -ENOENT);
    ck_assert_int_eq(sys_readdir((uint64_t)-1, USER(name), sizeof(name), 0, 0, 0), -EINVAL);
    ck_assert_int_eq(sys_readdir(1ULL << 32, USER(name), sizeof(name), 0, 0, 0), -ENOENT);
    ck_assert_int_eq(sys_readdir(0, USER(STUB_UNMAPPED), 64, 0, 0, 0), -EFAULT);
    ck_assert_int_eq(sys_readdir(1, USER(name), 6, 0, 0, 0), -ENAMETOOLONG);
    ck_assert_int_eq(sys_readdir(1, USER(name), 7, 0, 0, 0), 13);
    ck_assert_str_eq(name, "bin/sh");
    ck_assert_int_eq(sys_set_foreground((uint64_t)-1, 0, 0, 0, 0, 0), -EINVAL);
    ck_assert_int_eq(sys_set_foreground(1ULL << 31, 0, 0, 0, 0, 0), -EINVAL);
    ck_assert_int_eq(tty_foreground(), 0);
    ck_assert_int_eq(sys_set_foreground(7, 0, 0, 0, 0, 0), 0);
    ck_assert_int_eq(tty_foreground(), 7);
    ck_assert_int_eq(sys_set_foreground(0, 0, 0, 0, 0, 0), 0);
    ck_assert_int_eq(tty_foreground(), 0);
}
END_TEST

/* Reader 1's copy to user memory sleeps (a page-in) and reader 2 takes the
 * front of the pipe meanwhile: reader 1 must get the bytes after those, not
 * the same ones again, and nothing may be lost. */
static char other_reader_got[8];

static void other_reader_reads_three(void)
{
    ck_assert_int_eq(read_into(reader, other_reader_got, 3), 3);
}

START_TEST(test_pipe_reader_whose_copy_sleeps_gets_no_stale_bytes)
{
    char buffer[8] = {0};
    open_pipe();
    ck_assert_int_eq(write_text(writer, "abcdef"), 6);
    stub_copy_out_sleeps = other_reader_reads_three;
    ck_assert_int_eq(read_into(reader, buffer, 3), 3);
    ck_assert_str_eq(other_reader_got, "abc");
    ck_assert_str_eq(buffer, "def");
    file_put(writer);
    ck_assert_int_eq(read_into(reader, buffer, 3), 0); /* all six read exactly once */
    file_put(reader);
}
END_TEST

/* ---- the tty ------------------------------------------------------------ */

static long read_tty(char *buffer, size_t count)
{
    memset(buffer, 0, 32);
    return tty_read(USER(buffer), count);
}

static void type_z(void)
{
    stub_type("z\n");
}

static void press_ctrl_c(void)
{
    stub_type("\x03");
}

START_TEST(test_tty_edits_the_line_before_read_sees_it)
{
    char buffer[32];
    stub_type("abc\b\bd\n");
    ck_assert_int_eq(read_tty(buffer, 32), 3);
    ck_assert_str_eq(buffer, "ad\n");
    ck_assert_str_eq(stub_console_text, "abc\b \b\b \bd\n");
    stub_console_clear();
    stub_type("\b");
    ck_assert_uint_eq(stub_console_length, 0); /* nothing to erase, nothing echoed */
    stub_type("x\x7fy\x01\tz\r");              /* DEL erases; ^A is dropped; \r is Enter */
    ck_assert_int_eq(read_tty(buffer, 32), 4);
    ck_assert_str_eq(buffer, "y\tz\n");
    stub_type("q\n\b\br\n"); /* Backspace cannot reach into a finished line */
    ck_assert_int_eq(read_tty(buffer, 32), 2);
    ck_assert_str_eq(buffer, "q\n");
    ck_assert_int_eq(read_tty(buffer, 32), 2);
    ck_assert_str_eq(buffer, "r\n");
}
END_TEST

START_TEST(test_tty_reads_part_of_a_line_and_never_past_its_end)
{
    char buffer[32];
    stub_type("hello\nworld\n");
    ck_assert_int_eq(read_tty(buffer, 2), 2);
    ck_assert_str_eq(buffer, "he");
    ck_assert_int_eq(read_tty(buffer, 32), 4);
    ck_assert_str_eq(buffer, "llo\n");
    ck_assert_int_eq(read_tty(buffer, 0), 0);
    ck_assert_int_eq(read_tty(buffer, 32), 6);
    ck_assert_str_eq(buffer, "world\n");
    ck_assert_int_eq(stub_blocks, 0);
}
END_TEST

START_TEST(test_tty_ctrl_d_ends_input_or_sends_the_line_as_is)
{
    char buffer[32];
    stub_type("a\n\x04"
              "b\n");
    ck_assert_int_eq(read_tty(buffer, 32), 2);
    ck_assert_int_eq(read_tty(buffer, 32), 0); /* end of input, once */
    ck_assert_int_eq(read_tty(buffer, 32), 2);
    ck_assert_str_eq(buffer, "b\n");
    stub_type("abc\x04");
    ck_assert_int_eq(read_tty(buffer, 32), 3);
    ck_assert_str_eq(buffer, "abc");
    stub_other_process = type_z;
    ck_assert_int_eq(read_tty(buffer, 32), 2);
    ck_assert_int_eq(stub_blocks, 1);
    ck_assert_str_eq(buffer, "z\n");
}
END_TEST

START_TEST(test_tty_ctrl_c_signals_the_foreground_group)
{
    char buffer[32];
    tty_set_foreground(5);
    stub_type("abc\x03"
              "d\n");
    ck_assert_int_eq(stub_signal_pgid, 5);
    ck_assert_int_eq(stub_signal_number, SIGINT);
    ck_assert_str_eq(stub_console_text, "abc^C\nd\n");
    ck_assert_int_eq(read_tty(buffer, 32), 2); /* the interrupted line is gone */
    ck_assert_str_eq(buffer, "d\n");
    /* The group has exited: the waiting reader is interrupted instead. */
    stub_signal_result = -ESRCH;
    stub_other_process = press_ctrl_c;
    ck_assert_int_eq(read_tty(buffer, 32), -EINTR);
    ck_assert_int_eq(stub_blocks, 1);
}
END_TEST

START_TEST(test_tty_ctrl_c_without_a_foreground_interrupts_the_reader)
{
    char buffer[32];
    tty_set_foreground(-3);
    ck_assert_int_eq(tty_foreground(), 0);
    stub_type("\x03"
              "ok\n"); /* pressed before the read began: it does not count */
    ck_assert_int_eq(read_tty(buffer, 32), 3);
    ck_assert_int_eq(stub_signal_pgid, -1); /* nobody was signalled */
    stub_other_process = press_ctrl_c;
    ck_assert_int_eq(read_tty(buffer, 32), -EINTR);
    stub_other_process = kill_the_process;
    ck_assert_int_eq(read_tty(buffer, 32), -EINTR);
    stub_process.pending_signal = 0;
    stub_other_process = type_z;
    ck_assert_int_eq(read_tty(buffer, 32), 2);
    ck_assert_int_eq(stub_blocks, 3);
}
END_TEST

START_TEST(test_tty_limits_keep_room_for_enter_and_the_ring_wraps)
{
    static char line[2048], expected[41];
    for (int i = 0; i < 2000; i++)
        tty_input_char('k');
    tty_input_char('\n');
    ck_assert_uint_eq(stub_console_length, 1025); /* 1023 echoed keys, one bell, the newline */
    ck_assert_int_eq(tty_read(USER(STUB_UNMAPPED), 10), -EFAULT);
    ck_assert_int_eq(tty_read(USER(line), sizeof(line)), 1024); /* the failure took nothing */
    ck_assert_int_eq(line[1022], 'k');
    ck_assert_int_eq(line[1023], '\n');
    for (int i = 0; i < 1000; i++)
        tty_input_char('m');
    stub_type("\n");
    ck_assert_int_eq(tty_read(USER(line), sizeof(line)), 1001);
    for (int i = 0; i < 39; i++)
        expected[i] = (char)('0' + i % 10);
    expected[39] = '\n';
    stub_type(expected); /* positions 2025..2064 cross the ring's end at 2048 */
    ck_assert_int_eq(tty_read(USER(line), sizeof(line)), 40);
    ck_assert_mem_eq(line, expected, 40);

    for (int i = 0; i < 128; i++) /* as many lines as the queue holds */
        stub_type("x\n");
    stub_console_clear();
    stub_type("y\n");
    ck_assert_str_eq(stub_console_text, "y"); /* Enter was not taken, nor echoed */
    ck_assert_int_eq(tty_read(USER(line), sizeof(line)), 2);
    stub_type("\n");
    for (int i = 1; i < 128; i++)
        ck_assert_int_eq(tty_read(USER(line), sizeof(line)), 2);
    ck_assert_int_eq(tty_read(USER(line), sizeof(line)), 2);
    ck_assert_mem_eq(line, "y\n", 2);
}
END_TEST

/* A full buffer has no room even for another Enter: it is dropped like any
 * key, and never overwrites the oldest unread byte. */
START_TEST(test_tty_enter_on_a_full_buffer_is_dropped)
{
    static char line[2048];
    for (int i = 0; i < 1023; i++)
        tty_input_char('k');
    tty_input_char('\n');
    tty_input_char('\n'); /* no room left for this one */
    ck_assert_int_eq(tty_read(USER(line), sizeof(line)), 1024);
    ck_assert_int_eq(line[0], 'k');
    ck_assert_int_eq(line[1023], '\n');
    stub_type("x\n"); /* no phantom empty line was queued by the dropped Enter */
    ck_assert_int_eq(tty_read(USER(line), sizeof(line)), 2);
    ck_assert_mem_eq(line, "x\n", 2);
}
END_TEST

/* The same for two readers of the terminal. */
static char other_tty_reader_got[8];

static void other_tty_reader_reads_a_line(void)
{
    ck_assert_int_eq(tty_read(USER(other_tty_reader_got), sizeof(other_tty_reader_got)), 3);
}

START_TEST(test_tty_reader_whose_copy_sleeps_gets_no_stale_line)
{
    char buffer[32];
    memset(other_tty_reader_got, 0, sizeof(other_tty_reader_got));
    stub_type("ab\ncd\n");
    stub_copy_out_sleeps = other_tty_reader_reads_a_line;
    ck_assert_int_eq(read_tty(buffer, 32), 3);
    ck_assert_str_eq(other_tty_reader_got, "ab\n");
    ck_assert_str_eq(buffer, "cd\n");
}
END_TEST

int main(void)
{
    const TTest *tests[] = {
        test_tty_enter_on_a_full_buffer_is_dropped,
        test_pipe_keeps_order_then_reports_end_of_file,
        test_pipe_ring_wraps_around_its_end,
        test_pipe_without_a_reader_is_epipe_even_for_a_sleeping_writer,
        test_pipe_reader_sleeps_until_every_copy_of_the_write_end_closes,
        test_pipe_small_write_waits_for_room_for_all_of_it,
        test_pipe_large_write_arrives_whole_and_in_order,
        test_pipe_killed_sleepers_get_eintr_or_their_count,
        test_pipe_bad_buffers_and_no_memory_lose_nothing,
        test_console_writes_go_out_in_pieces_of_4096,
        test_fd_install_takes_the_lowest_free_descriptor,
        test_full_descriptor_table_is_emfile_and_leaks_nothing,
        test_fork_shares_open_files_and_their_offset,
        test_dup_shares_an_offset_and_dup2_replaces_its_target,
        test_initrd_finds_files_by_path_and_bare_program_name,
        test_initrd_lists_regular_files_for_readdir,
        test_initrd_damage_cuts_the_archive_short,
        test_sys_open_read_write_close_check_their_arguments,
        test_sys_pipe_checks_its_pointer_and_memory,
        test_sys_readdir_and_set_foreground_check_their_arguments,
        test_tty_edits_the_line_before_read_sees_it,
        test_tty_reads_part_of_a_line_and_never_past_its_end,
        test_tty_ctrl_d_ends_input_or_sends_the_line_as_is,
        test_tty_ctrl_c_signals_the_foreground_group,
        test_tty_ctrl_c_without_a_foreground_interrupts_the_reader,
        test_tty_limits_keep_room_for_enter_and_the_ring_wraps,
        test_pipe_reader_whose_copy_sleeps_gets_no_stale_bytes,
        test_tty_reader_whose_copy_sleeps_gets_no_stale_line,
    };
    Suite *suite = suite_create("file_pipe_tty");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
        tcase_add_test(tc, tests[i]);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    /* The tty, the initrd and the stubs keep static state: every case needs
     * a fresh process, whatever CK_FORK says. */
    srunner_set_fork_status(runner, CK_FORK);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
