/*
 * test_line_edit.c — host tests for lib/key_decode.c and lib/line_edit.c.
 *
 * Feeds the byte sequences a serial terminal (or keyboard.c for PS/2 keys)
 * sends and checks two things: the line the shell would run, and what a
 * terminal shows after interpreting the editor's output. The terminal here is
 * a one-row model that understands exactly what the editor may send:
 * printable characters overwrite, '\b' moves left without erasing, '\n'
 * starts a new row, '\a' rings, ESC [ H ESC [ 2 J clears.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/line_edit.h"

#define ROW_MAX 2048

static struct terminal {
    char row[ROW_MAX + 1]; /* the row the cursor is on */
    size_t column;
    int bells, clears, rows_started;
    char all[64 * 1024]; /* everything written, for "was X shown" checks */
    size_t all_length;
} terminal;

static void terminal_write(void *context, const char *text, size_t length)
{
    (void)context;
    for (size_t i = 0; i < length; i++) {
        char c = text[i];
        ck_assert_uint_lt(terminal.all_length, sizeof terminal.all);
        terminal.all[terminal.all_length++] = c;
        if (c == '\033' && strncmp(text + i, "\033[H\033[2J", 7) == 0) {
            memset(terminal.row, 0, sizeof terminal.row);
            terminal.column = 0;
            terminal.clears++;
            i += 6;
        } else if (c == '\b') {
            ck_assert_uint_gt(terminal.column, 0); /* never left of the row's start */
            terminal.column--;
        } else if (c == '\n') {
            memset(terminal.row, 0, sizeof terminal.row);
            terminal.column = 0;
            terminal.rows_started++;
        } else if (c == '\a') {
            terminal.bells++;
        } else {
            ck_assert_msg((unsigned char)c >= ' ', "control byte %d sent", c);
            ck_assert_uint_lt(terminal.column, ROW_MAX);
            terminal.row[terminal.column++] = c;
        }
    }
}

/* The row as shown, trailing blanks dropped. */
static const char *shown(void)
{
    static char copy[ROW_MAX + 1];
    memcpy(copy, terminal.row, sizeof copy);
    size_t length = strnlen(copy, ROW_MAX);
    for (size_t i = 0; i < length; i++)
        if (copy[i] == '\0')
            copy[i] = ' ';
    while (length > 0 && copy[length - 1] == ' ')
        copy[--length] = '\0';
    return copy;
}

static const char *const programs[] = {"cat", "cpu", "clear", "echo", "kill", "ps", "sched", NULL};

static bool program_candidate(void *context, int index, char name[LINE_EDIT_NAME_MAX])
{
    (void)context;
    for (int i = 0; programs[i] != NULL; i++)
        if (i == index) {
            strcpy(name, programs[i]);
            return true;
        }
    return false;
}

static struct line_edit *editor;

static void setup(void)
{
    memset(&terminal, 0, sizeof terminal);
    editor = malloc(sizeof *editor);
    ck_assert_ptr_nonnull(editor);
    struct line_edit_io io = {.write = terminal_write, .candidate = program_candidate};
    line_edit_init(editor, &io);
    line_edit_start(editor, "$ ");
}

static void teardown(void)
{
    free(editor);
}

/* Feeds bytes; returns the result of the last one. */
static enum line_edit_result type(const char *bytes)
{
    enum line_edit_result result = LINE_EDIT_MORE;
    for (; *bytes != '\0'; bytes++) {
        ck_assert_int_eq(result, LINE_EDIT_MORE); /* nothing after the line ended */
        result = line_edit_feed(editor, *bytes);
    }
    return result;
}

/* Types bytes (no Enter) and checks the line, the row and the cursor. */
static void assert_editing(const char *bytes, const char *line, size_t cursor)
{
    ck_assert_int_eq(type(bytes), LINE_EDIT_MORE);
    ck_assert_str_eq(line_edit_text(editor), line);
    char expected[ROW_MAX];
    snprintf(expected, sizeof expected, "$ %s", line);
    for (size_t end = strlen(expected); end > 0 && expected[end - 1] == ' '; end--)
        expected[end - 1] = '\0'; /* shown() drops trailing blanks too */
    ck_assert_str_eq(shown(), expected);
    ck_assert_uint_eq(terminal.column, 2 + cursor);
}

static void assert_runs(const char *bytes, const char *line)
{
    ck_assert_int_eq(type(bytes), LINE_EDIT_DONE);
    ck_assert_str_eq(line_edit_text(editor), line);
    line_edit_start(editor, "$ ");
}

#define LEFT "\033[D"
#define RIGHT "\033[C"
#define UP "\033[A"
#define DOWN "\033[B"
#define HOME "\033[H"
#define END "\033[F"
#define DELETE "\033[3~"

/* ---- the decoder -------------------------------------------------------- */

START_TEST(decoder_names_every_editing_key)
{
    static const struct {
        const char *bytes;
        enum key_code key;
    } cases[] = {
        {"\033[A", KEY_UP},       {"\033[B", KEY_DOWN},     {"\033[C", KEY_RIGHT},
        {"\033[D", KEY_LEFT},     {"\033OA", KEY_UP},       {"\033OD", KEY_LEFT},
        {"\033[H", KEY_HOME},     {"\033[F", KEY_END},      {"\033OH", KEY_HOME},
        {"\033OF", KEY_END},      {"\033[1~", KEY_HOME},    {"\033[7~", KEY_HOME},
        {"\033[4~", KEY_END},     {"\033[8~", KEY_END},     {"\033[3~", KEY_DELETE},
        {"\033[5~", KEY_UNKNOWN}, {"\033[1;5C", KEY_RIGHT}, {"\033x", KEY_UNKNOWN},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct key_decoder decoder = {0};
        const char *bytes = cases[i].bytes;
        char c = 0;
        size_t length = strlen(bytes);
        for (size_t j = 0; j + 1 < length; j++)
            ck_assert_int_eq(key_decode(&decoder, bytes[j], &c), KEY_PENDING);
        ck_assert_msg(key_decode(&decoder, bytes[length - 1], &c) == cases[i].key, "case %zu", i);
        ck_assert_int_eq(key_decode(&decoder, 'z', &c), KEY_CHAR); /* back to plain bytes */
        ck_assert_int_eq(c, 'z');
    }
}
END_TEST

START_TEST(decoder_passes_plain_and_control_bytes)
{
    struct key_decoder decoder = {0};
    char c = 0;
    ck_assert_int_eq(key_decode(&decoder, 'a', &c), KEY_CHAR);
    ck_assert_int_eq(c, 'a');
    ck_assert_int_eq(key_decode(&decoder, 3, &c), KEY_CHAR);
    ck_assert_int_eq(c, 3);
    ck_assert_int_eq(key_decode(&decoder, '[', &c), KEY_CHAR); /* '[' alone is a character */
    ck_assert_int_eq(c, '[');
}
END_TEST

/* ---- editing ------------------------------------------------------------ */

START_TEST(plain_typing_and_enter)
{
    assert_editing("echo abc", "echo abc", 8);
    assert_runs("\r", "echo abc");
    ck_assert_int_eq(terminal.rows_started, 1);
    assert_runs("ls\n", "ls");
}
END_TEST

START_TEST(left_left_then_insert)
{
    assert_editing("echo abc" LEFT LEFT, "echo abc", 6);
    assert_editing("X", "echo aXbc", 7);
    assert_runs("\r", "echo aXbc");
}
END_TEST

START_TEST(right_stops_at_the_end_and_left_at_the_start)
{
    assert_editing("ab" RIGHT RIGHT, "ab", 2);
    assert_editing(LEFT LEFT LEFT LEFT, "ab", 0);
    ck_assert_int_eq(terminal.bells, 0);
    assert_editing(RIGHT "-", "a-b", 2);
}
END_TEST

START_TEST(home_end_and_delete)
{
    assert_editing("bcd" HOME, "bcd", 0);
    assert_editing("a", "abcd", 1);
    assert_editing(END "e", "abcde", 5);
    assert_editing("\033[1~" DELETE, "bcde", 0);
    assert_editing("\033[4~" LEFT DELETE, "bcd", 3);
    assert_editing(DELETE, "bcd", 3);         /* at the end: nothing to delete */
    assert_editing("\001x\005y", "xbcdy", 5); /* Ctrl-A, Ctrl-E */
}
END_TEST

START_TEST(backspace_in_the_middle)
{
    assert_editing("abcd" LEFT "\x7f", "abd", 2);
    assert_editing("\b\b\b", "d", 0);
    assert_runs("\r", "d");
}
END_TEST

START_TEST(ctrl_u_and_ctrl_w_and_ctrl_k)
{
    assert_editing("echo one two  ", "echo one two  ", 14);
    assert_editing("\027", "echo one ", 9);
    assert_editing("\027", "echo ", 5);
    assert_editing("xyz" LEFT LEFT "\025", "yz", 0);
    assert_editing("ab" LEFT "\013", "a", 1);
    assert_editing("bc" LEFT "\025", "c", 0);
}
END_TEST

START_TEST(ctrl_l_clears_and_redraws)
{
    assert_editing("ps" LEFT "\014", "ps", 1);
    ck_assert_int_eq(terminal.clears, 1);
}
END_TEST

START_TEST(ctrl_d_ends_input_only_on_an_empty_line)
{
    assert_editing("ab" LEFT "\004", "a", 1);
    assert_editing("\025", "", 0);
    ck_assert_int_eq(type("\004"), LINE_EDIT_END_OF_INPUT);
}
END_TEST

START_TEST(unknown_sequences_leave_nothing_behind)
{
    assert_editing("a\033[5~\033[2;5~\033x\033[200~b", "ab", 2);
}
END_TEST

START_TEST(over_long_line_is_refused_visibly)
{
    for (int i = 0; i < LINE_EDIT_MAX; i++)
        ck_assert_int_eq(line_edit_feed(editor, 'x'), LINE_EDIT_MORE);
    ck_assert_int_eq(terminal.bells, 0);
    ck_assert_int_eq(type("yz"), LINE_EDIT_MORE);
    ck_assert_int_eq(terminal.bells, 2);
    ck_assert_uint_eq(strlen(line_edit_text(editor)), LINE_EDIT_MAX);
    ck_assert_ptr_nonnull(strstr(terminal.all, "line full"));
    ck_assert_ptr_null(strstr(strstr(terminal.all, "line full") + 1, "line full")); /* once */
    ck_assert_uint_eq(terminal.column, 2 + LINE_EDIT_MAX); /* the line was redrawn */
    ck_assert_int_eq(type("\b"), LINE_EDIT_MORE);
    ck_assert_uint_eq(strlen(line_edit_text(editor)), LINE_EDIT_MAX - 1);
}
END_TEST

/* ---- history ------------------------------------------------------------ */

START_TEST(up_recalls_and_down_returns_to_the_draft)
{
    assert_runs("echo one\r", "echo one");
    assert_runs("echo two\r", "echo two");
    assert_editing("dra", "dra", 3);
    assert_editing(UP, "echo two", 8);
    assert_editing(UP, "echo one", 8);
    assert_editing(UP, "echo one", 8); /* nothing older */
    ck_assert_int_eq(terminal.bells, 1);
    assert_editing(DOWN, "echo two", 8);
    assert_editing(DOWN, "dra", 3);
    assert_editing(UP "\b\bXY", "echo tXY", 8);
    assert_runs("\r", "echo tXY");
    assert_editing(UP UP, "echo two", 8); /* the recalled entry was not changed */
}
END_TEST

START_TEST(history_skips_empty_and_repeated_lines)
{
    assert_runs("ps\r", "ps");
    assert_runs("ps\r", "ps");
    assert_runs("\r", "");
    assert_runs("ls\r", "ls");
    assert_editing(UP UP, "ps", 2);
    assert_editing(UP, "ps", 2);
    ck_assert_int_eq(terminal.bells, 1);
}
END_TEST

START_TEST(history_keeps_the_newest_entries)
{
    char line[32];
    for (int i = 0; i < LINE_EDIT_HISTORY + 5; i++) {
        snprintf(line, sizeof line, "echo %d\r", i);
        ck_assert_int_eq(type(line), LINE_EDIT_DONE);
        line_edit_start(editor, "$ ");
    }
    for (int i = 0; i < LINE_EDIT_HISTORY; i++)
        type(UP);
    snprintf(line, sizeof line, "echo %d", 5);
    ck_assert_str_eq(line_edit_text(editor), line);
    ck_assert_int_eq(terminal.bells, 0);
    type(UP);
    ck_assert_int_eq(terminal.bells, 1);
}
END_TEST

/* ---- completion --------------------------------------------------------- */

START_TEST(tab_completes_a_unique_program)
{
    assert_editing("ech\t", "echo ", 5);
    assert_editing("hi", "echo hi", 7);
    assert_runs("\r", "echo hi");
    assert_editing("  sch\t", "  sched ", 8);
}
END_TEST

START_TEST(tab_extends_a_common_prefix_then_lists)
{
    assert_editing("c\t", "c", 1); /* cat, cpu, clear: no common extension */
    ck_assert_ptr_nonnull(strstr(terminal.all, "cat  cpu  clear  \n$ c"));
    assert_editing("l\t", "clear ", 6);
}
END_TEST

START_TEST(tab_outside_the_first_word_or_without_match_rings)
{
    assert_editing("echo ca\t", "echo ca", 7);
    assert_editing("\025zz\t", "zz", 2);
    ck_assert_int_eq(terminal.bells, 2);
}
END_TEST

static Suite *line_edit_suite(void)
{
    Suite *suite = suite_create("line_edit");
    TCase *decoder = tcase_create("decoder");
    tcase_add_test(decoder, decoder_names_every_editing_key);
    tcase_add_test(decoder, decoder_passes_plain_and_control_bytes);
    suite_add_tcase(suite, decoder);

    TCase *editing = tcase_create("editing");
    tcase_add_checked_fixture(editing, setup, teardown);
    tcase_add_test(editing, plain_typing_and_enter);
    tcase_add_test(editing, left_left_then_insert);
    tcase_add_test(editing, right_stops_at_the_end_and_left_at_the_start);
    tcase_add_test(editing, home_end_and_delete);
    tcase_add_test(editing, backspace_in_the_middle);
    tcase_add_test(editing, ctrl_u_and_ctrl_w_and_ctrl_k);
    tcase_add_test(editing, ctrl_l_clears_and_redraws);
    tcase_add_test(editing, ctrl_d_ends_input_only_on_an_empty_line);
    tcase_add_test(editing, unknown_sequences_leave_nothing_behind);
    tcase_add_test(editing, over_long_line_is_refused_visibly);
    suite_add_tcase(suite, editing);

    TCase *history = tcase_create("history");
    tcase_add_checked_fixture(history, setup, teardown);
    tcase_add_test(history, up_recalls_and_down_returns_to_the_draft);
    tcase_add_test(history, history_skips_empty_and_repeated_lines);
    tcase_add_test(history, history_keeps_the_newest_entries);
    suite_add_tcase(suite, history);

    TCase *completion = tcase_create("completion");
    tcase_add_checked_fixture(completion, setup, teardown);
    tcase_add_test(completion, tab_completes_a_unique_program);
    tcase_add_test(completion, tab_extends_a_common_prefix_then_lists);
    tcase_add_test(completion, tab_outside_the_first_word_or_without_match_rings);
    suite_add_tcase(suite, completion);
    return suite;
}

int main(void)
{
    SRunner *runner = srunner_create(line_edit_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? 0 : 1;
}
