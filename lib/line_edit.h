/*
 * line_edit.h — the shell's line editor: keys in, one edited line out.
 *
 * Where editing lives, and why: the kernel's tty (kernel/tty.c) stays a
 * canonical line discipline (echo, Backspace, Enter, Ctrl-D, and Ctrl-C,
 * which signals the foreground job and flushes all typed-ahead input), which
 * is all `cat` or any other program needs. The shell asks the tty for raw
 * mode while it waits at its prompt (tty_mode() in user/lib/prism.h) and edits
 * the line itself with this state machine, as Unix shells do with readline;
 * before running a job it puts the tty back into canonical mode. Ctrl-C stays
 * the tty's job in both modes. Only the shell pays for history and
 * completion, and the logic is pure (bytes in, terminal text out through a
 * callback), so a host test drives it with byte sequences.
 *
 * Keys: printable characters insert at the cursor; Left/Right (and Ctrl-B/F),
 * Home/End (and Ctrl-A/E) move; Backspace and Delete erase; Ctrl-U erases
 * to the start, Ctrl-K to the end, Ctrl-W the word before the cursor;
 * Ctrl-L clears the screen; Up/Down (Ctrl-P/N) walk the history; Tab
 * completes the first word from the candidates the caller supplies (program
 * names); Enter ends the line; Ctrl-D on an empty line is end of input.
 * A key that would make the line longer than LINE_EDIT_MAX rings the bell
 * and is refused, with a one-line notice the first time on each line.
 * The display assumes the line fits on one terminal row.
 * OSTEP ch. 5 (the shell).
 */
#ifndef PRISM_LIB_LINE_EDIT_H
#define PRISM_LIB_LINE_EDIT_H

#include "lib/key_decode.h"

#include <stdbool.h>
#include <stddef.h>

#define LINE_EDIT_MAX 1023    /* characters in a line, its terminator excluded */
#define LINE_EDIT_HISTORY 32  /* lines remembered, the oldest forgotten first */
#define LINE_EDIT_NAME_MAX 64 /* a completion candidate, its terminator included */

struct line_edit_io {
    /* Shows text on the terminal (echo, cursor moves as '\b', redraws). */
    void (*write)(void *context, const char *text, size_t length);
    /* Copies the index-th completion candidate into name; false past the
     * last. NULL: Tab completes nothing. */
    bool (*candidate)(void *context, int index, char name[LINE_EDIT_NAME_MAX]);
    void *context;
};

enum line_edit_result {
    LINE_EDIT_MORE,         /* keep feeding keys */
    LINE_EDIT_DONE,         /* Enter: line_edit_text() holds the line */
    LINE_EDIT_END_OF_INPUT, /* Ctrl-D on an empty line */
};

struct line_edit {
    struct line_edit_io io;
    const char *prompt;
    struct key_decoder decoder;
    char text[LINE_EDIT_MAX + 1];
    size_t length, cursor; /* cursor: where the next character goes, 0..length */
    bool refusal_shown;    /* the "line full" notice was printed for this line */
    char history[LINE_EDIT_HISTORY][LINE_EDIT_MAX + 1];
    int history_added;             /* lines ever added; the newest is history_added - 1 */
    int history_back;              /* 0: editing a new line; k: showing the k-th newest */
    char draft[LINE_EDIT_MAX + 1]; /* the new line, kept while browsing history */
};

/* Once, before the first line; io is copied. History starts empty. */
void line_edit_init(struct line_edit *editor, const struct line_edit_io *io);

/* Begins a line: empties it and writes the prompt (kept for redraws). */
void line_edit_start(struct line_edit *editor, const char *prompt);

/* Feeds one byte as typed. After LINE_EDIT_DONE the line is in history
 * (unless empty or the same as the newest entry). */
enum line_edit_result line_edit_feed(struct line_edit *editor, char byte);

/* The line being edited, or the one just completed. */
const char *line_edit_text(const struct line_edit *editor);

#endif
