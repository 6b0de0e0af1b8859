/*
 * test_tty_modes.c — the tty's raw mode, Ctrl-C's flush of type-ahead, and
 * canonical mode's handling of editing keys, run on the host.
 *
 * The real tty.c, file.c and sys_file.c (with the rest of the file code they
 * link against) run over fs_stubs.h, as in test_file_pipe_tty.c: stub_type
 * is the keyboard, and a hook stands in for keys typed while a reader sleeps.
 * OSTEP ch. 5 (Ctrl-C and the shell), ch. 36 (terminals as devices).
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/fs/file.h"
#include "kernel/fs/initrd.h"
#include "kernel/fs/pipe.h"
#include "kernel/syscall/sys_file.h"
#include "kernel/tty.h"
#include "lib/errno.h"
#include "lib/syscall_abi.h"
#include "tests/unit/fs_stubs.h"

static char buffer[64];

static void setup(void)
{
    stub_build_initrd(); /* unused here, but the file code links against it */
    initrd_init(stub_archive, stub_archive_size);
    stub_console_clear();
}

static void teardown(void)
{
    fd_table_close_all(&stub_process);
    ck_assert_int_eq(stub_live_allocations, 0);
}

static long read_tty(size_t count)
{
    memset(buffer, 0, sizeof buffer);
    return tty_read(USER(buffer), count);
}

static void type_ok(void)
{
    stub_type("ok\n");
}

static void press_ctrl_c(void)
{
    stub_type("\x03");
}

START_TEST(ctrl_c_discards_lines_typed_ahead_of_the_job)
{
    tty_set_foreground(5);
    stub_type("kill 1\nls\nps\npartial"); /* typed while the job ran */
    stub_type("\x03");
    ck_assert_int_eq(stub_signal_pgid, 5);
    tty_set_foreground(0);
    stub_other_process = type_ok;
    ck_assert_int_eq(read_tty(sizeof buffer), 3); /* none of the typed-ahead lines */
    ck_assert_str_eq(buffer, "ok\n");
    ck_assert_int_eq(stub_blocks, 1);
}
END_TEST

START_TEST(canonical_mode_drops_editing_key_sequences)
{
    stub_type("a\033[Db\033[3~\033[1;5Cc\033OA\n");
    ck_assert_int_eq(read_tty(sizeof buffer), 4);
    ck_assert_str_eq(buffer, "abc\n");
    ck_assert_str_eq(stub_console_text, "abc\n");
}
END_TEST

START_TEST(canonical_mode_erases_words_and_lines)
{
    stub_type("cat one  two\x17\x17three\n");
    ck_assert_int_eq(read_tty(sizeof buffer), 10);
    ck_assert_str_eq(buffer, "cat three\n");
    stub_type("junk\x15ok\x17\x17\x15x\n"); /* nothing left to erase: no echo */
    ck_assert_int_eq(read_tty(sizeof buffer), 2);
    ck_assert_str_eq(buffer, "x\n");
    stub_type("a\n\x15\x17"
              "b\n"); /* a finished line is out of reach */
    ck_assert_int_eq(read_tty(sizeof buffer), 2);
    ck_assert_int_eq(read_tty(sizeof buffer), 2);
    ck_assert_str_eq(buffer, "b\n");
}
END_TEST

START_TEST(raw_mode_gives_every_byte_at_once_unechoed)
{
    tty_set_raw(true);
    ck_assert(tty_is_raw());
    stub_type("l\033[D\b\r\x04");
    ck_assert_uint_eq(stub_console_length, 0);
    ck_assert_int_eq(read_tty(1), 1);
    ck_assert_str_eq(buffer, "l");
    ck_assert_int_eq(read_tty(sizeof buffer), 6);
    ck_assert_str_eq(buffer, "\033[D\b\r\x04");
    stub_other_process = press_ctrl_c; /* at the prompt: the reader is interrupted */
    ck_assert_int_eq(read_tty(sizeof buffer), -EINTR);
    ck_assert_str_eq(stub_console_text, "^C\n");
}
END_TEST

START_TEST(switching_modes_keeps_unread_input)
{
    stub_type("echo a\npart");
    tty_set_raw(true); /* the queued line and the typed part become bytes */
    ck_assert_int_eq(read_tty(sizeof buffer), 11);
    ck_assert_str_eq(buffer, "echo a\npart");
    stub_type("ls\rx");
    tty_set_raw(false); /* unread raw bytes are processed as if typed now */
    ck_assert(!tty_is_raw());
    ck_assert_str_eq(stub_console_text, "echo a\npartls\nx");
    ck_assert_int_eq(read_tty(sizeof buffer), 3);
    ck_assert_str_eq(buffer, "ls\n");
    stub_type("y\n");
    ck_assert_int_eq(read_tty(sizeof buffer), 3);
    ck_assert_str_eq(buffer, "xy\n");
}
END_TEST

START_TEST(ctrl_c_in_raw_mode_discards_unread_bytes)
{
    tty_set_raw(true);
    stub_type("abc\x03");
    stub_type("d");
    ck_assert_int_eq(read_tty(sizeof buffer), 1);
    ck_assert_str_eq(buffer, "d");
}
END_TEST

START_TEST(sys_ioctl_applies_to_the_console_only)
{
    ck_assert_int_eq(fd_table_init_console(&stub_process), 0);
    ck_assert_int_eq(sys_ioctl(0, TTY_GET_RAW, 0, 0, 0, 0), 0);
    ck_assert_int_eq(sys_ioctl(0, TTY_SET_RAW, 1, 0, 0, 0), 0);
    ck_assert(tty_is_raw());
    ck_assert_int_eq(sys_ioctl(1, TTY_GET_RAW, 0, 0, 0, 0), 1);
    ck_assert_int_eq(sys_ioctl(0, TTY_SET_RAW, 2, 0, 0, 0), -EINVAL);
    ck_assert_int_eq(sys_ioctl(0, 99, 0, 0, 0, 0), -EINVAL);
    ck_assert_int_eq(sys_ioctl(0, TTY_SET_RAW, 0, 0, 0, 0), 1);
    ck_assert(!tty_is_raw());
    ck_assert_int_eq(sys_ioctl(9, TTY_GET_RAW, 0, 0, 0, 0), -EBADF);
    ck_assert_int_eq(sys_ioctl((uint64_t)-1, TTY_GET_RAW, 0, 0, 0, 0), -EBADF);
    int fds[2];
    ck_assert_int_eq(sys_pipe(USER(fds), 0, 0, 0, 0, 0), 0);
    ck_assert_int_eq(sys_ioctl((uint64_t)fds[0], TTY_GET_RAW, 0, 0, 0, 0), -ENOTTY);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("tty_modes");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, ctrl_c_discards_lines_typed_ahead_of_the_job);
    tcase_add_test(tc, canonical_mode_drops_editing_key_sequences);
    tcase_add_test(tc, canonical_mode_erases_words_and_lines);
    tcase_add_test(tc, raw_mode_gives_every_byte_at_once_unechoed);
    tcase_add_test(tc, switching_modes_keeps_unread_input);
    tcase_add_test(tc, ctrl_c_in_raw_mode_discards_unread_bytes);
    tcase_add_test(tc, sys_ioctl_applies_to_the_console_only);
    suite_add_tcase(suite, tc);
    SRunner *runner = srunner_create(suite);
    srunner_set_fork_status(runner, CK_FORK); /* the tty keeps static state */
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
