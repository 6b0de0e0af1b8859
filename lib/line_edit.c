/*
 * line_edit.c — the line editor's state machine (see line_edit.h).
 *
 * The terminal's cursor always sits at the prompt's end plus editor->cursor.
 * Every edit changes text[] first and then repaints only what moved: the
 * tail from the first changed character, blanks over what the line lost,
 * and '\b' back to the cursor ('\b' moves left without erasing, on a serial
 * terminal and on Prism's VGA console alike). History is a ring of
 * LINE_EDIT_HISTORY lines; browsing copies an entry into text[], so editing
 * a recalled line never changes the history. OSTEP ch. 5.
 */
#include "lib/line_edit.h"
#include "lib/string.h"

#define CONTROL(letter) ((letter)&0x1f)
#define BELL "\a"

static const char full_notice[] = "\n(line full: a line holds at most 1023 characters)\n";
_Static_assert(LINE_EDIT_MAX == 1023, "full_notice states the limit");

/* ---- terminal output --------------------------------------------------- */

static void emit(const struct line_edit *editor, const char *text, size_t length)
{
    if (length > 0)
        editor->io.write(editor->io.context, text, length);
}

static void emit_string(const struct line_edit *editor, const char *text)
{
    emit(editor, text, strlen(text));
}

static void emit_repeated(const struct line_edit *editor, char c, size_t count)
{
    char chunk[32];
    memset(chunk, c, sizeof chunk);
    for (; count > sizeof chunk; count -= sizeof chunk)
        emit(editor, chunk, sizeof chunk);
    emit(editor, chunk, count);
}

static void move_left(const struct line_edit *editor, size_t count)
{
    emit_repeated(editor, '\b', count);
}

/* The terminal's cursor is at from; text[from..] changed and the line used
 * to be old_length long. Repaints from there and puts the cursor back. */
static void repaint_from(const struct line_edit *editor, size_t from, size_t old_length)
{
    emit(editor, editor->text + from, editor->length - from);
    size_t blanks = old_length > editor->length ? old_length - editor->length : 0;
    emit_repeated(editor, ' ', blanks);
    move_left(editor, editor->length - editor->cursor + blanks);
}

/* The prompt and the whole line, as after Ctrl-L or a completion listing. */
static void redraw_line(const struct line_edit *editor)
{
    emit_string(editor, editor->prompt);
    emit(editor, editor->text, editor->length);
    move_left(editor, editor->length - editor->cursor);
}

/* ---- changing the text ------------------------------------------------- */

/* Inserts length bytes at the cursor, or refuses them all if they do not fit. */
static bool insert_text(struct line_edit *editor, const char *text, size_t length)
{
    if (editor->length + length > LINE_EDIT_MAX) {
        emit_string(editor, BELL);
        if (!editor->refusal_shown) {
            editor->refusal_shown = true;
            emit_string(editor, full_notice);
            redraw_line(editor);
        }
        return false;
    }
    size_t at = editor->cursor;
    memmove(editor->text + at + length, editor->text + at, editor->length - at);
    memcpy(editor->text + at, text, length);
    editor->length += length;
    editor->text[editor->length] = '\0';
    editor->cursor += length;
    emit(editor, editor->text + at, editor->length - at);
    move_left(editor, editor->length - editor->cursor);
    return true;
}

/* Removes text[from..to) where from <= cursor <= to; the cursor ends at from. */
static void erase_range(struct line_edit *editor, size_t from, size_t to)
{
    if (from == to)
        return;
    size_t old_length = editor->length;
    move_left(editor, editor->cursor - from);
    memmove(editor->text + from, editor->text + to, editor->length - to);
    editor->length -= to - from;
    editor->text[editor->length] = '\0';
    editor->cursor = from;
    repaint_from(editor, from, old_length);
}

/* Shows replacement instead of the current line, cursor at its end. */
static void replace_text(struct line_edit *editor, const char *replacement)
{
    size_t old_length = editor->length;
    move_left(editor, editor->cursor);
    strlcpy(editor->text, replacement, sizeof editor->text);
    editor->length = strlen(editor->text);
    editor->cursor = editor->length;
    repaint_from(editor, 0, old_length);
}

static void move_to(struct line_edit *editor, size_t position)
{
    if (position < editor->cursor)
        move_left(editor, editor->cursor - position);
    else
        emit(editor, editor->text + editor->cursor, position - editor->cursor);
    editor->cursor = position;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Ctrl-W: the blanks before the cursor and the word before them. */
static void erase_word_before_cursor(struct line_edit *editor)
{
    size_t from = editor->cursor;
    while (from > 0 && is_blank(editor->text[from - 1]))
        from--;
    while (from > 0 && !is_blank(editor->text[from - 1]))
        from--;
    erase_range(editor, from, editor->cursor);
}

/* ---- history ----------------------------------------------------------- */

static int history_available(const struct line_edit *editor)
{
    return editor->history_added < LINE_EDIT_HISTORY ? editor->history_added : LINE_EDIT_HISTORY;
}

/* The back-th newest line, 1 being the newest. */
static const char *history_entry(const struct line_edit *editor, int back)
{
    return editor->history[(editor->history_added - back) % LINE_EDIT_HISTORY];
}

static void history_add(struct line_edit *editor)
{
    if (editor->length == 0)
        return;
    if (editor->history_added > 0 && strcmp(history_entry(editor, 1), editor->text) == 0)
        return;
    strlcpy(editor->history[editor->history_added % LINE_EDIT_HISTORY], editor->text,
            sizeof editor->history[0]);
    editor->history_added++;
}

static void history_move(struct line_edit *editor, int step)
{
    int back = editor->history_back + step;
    if (back < 0 || back > history_available(editor)) {
        emit_string(editor, BELL);
        return;
    }
    if (editor->history_back == 0)
        strlcpy(editor->draft, editor->text, sizeof editor->draft);
    editor->history_back = back;
    replace_text(editor, back == 0 ? editor->draft : history_entry(editor, back));
}

/* ---- completion -------------------------------------------------------- */

/* Where the first word starts, or -1 if the cursor is not inside it. */
static long first_word_start(const struct line_edit *editor)
{
    size_t start = 0;
    while (start < editor->cursor && is_blank(editor->text[start]))
        start++;
    for (size_t i = start; i < editor->cursor; i++)
        if (is_blank(editor->text[i]))
            return -1;
    return (long)start;
}

static void list_candidates(struct line_edit *editor, const char *prefix, size_t prefix_length)
{
    char name[LINE_EDIT_NAME_MAX];
    emit_string(editor, "\n");
    for (int i = 0; editor->io.candidate(editor->io.context, i, name); i++) {
        if (strncmp(name, prefix, prefix_length) != 0)
            continue;
        emit_string(editor, name);
        emit_string(editor, "  ");
    }
    emit_string(editor, "\n");
    redraw_line(editor);
}

/* Tab: a unique match is completed and followed by a blank; several share
 * their common prefix, and when that adds nothing they are listed. */
static void complete(struct line_edit *editor)
{
    long start = first_word_start(editor);
    if (editor->io.candidate == NULL || start < 0) {
        emit_string(editor, BELL);
        return;
    }
    char prefix[LINE_EDIT_NAME_MAX];
    size_t prefix_length = editor->cursor - (size_t)start;
    if (prefix_length >= sizeof prefix) {
        emit_string(editor, BELL);
        return;
    }
    memcpy(prefix, editor->text + start, prefix_length);
    prefix[prefix_length] = '\0';

    char name[LINE_EDIT_NAME_MAX], common[LINE_EDIT_NAME_MAX];
    int matches = 0;
    for (int i = 0; editor->io.candidate(editor->io.context, i, name); i++) {
        if (strncmp(name, prefix, prefix_length) != 0)
            continue;
        if (matches++ == 0) {
            strlcpy(common, name, sizeof common);
            continue;
        }
        size_t same = 0;
        while (common[same] != '\0' && common[same] == name[same])
            same++;
        common[same] = '\0';
    }
    if (matches == 0) {
        emit_string(editor, BELL);
        return;
    }
    size_t common_length = strlen(common);
    if (common_length > prefix_length)
        insert_text(editor, common + prefix_length, common_length - prefix_length);
    else if (matches > 1)
        list_candidates(editor, prefix, prefix_length);
    if (matches == 1 &&
        (editor->cursor == editor->length || !is_blank(editor->text[editor->cursor])))
        insert_text(editor, " ", 1);
}

/* ---- keys -------------------------------------------------------------- */

static enum line_edit_result control_key(struct line_edit *editor, char c)
{
    switch (c) {
    case '\r':
    case '\n':
        move_to(editor, editor->length);
        emit_string(editor, "\n");
        history_add(editor);
        return LINE_EDIT_DONE;
    case CONTROL('D'):
        if (editor->length == 0)
            return LINE_EDIT_END_OF_INPUT;
        erase_range(editor, editor->cursor, editor->cursor + (editor->cursor < editor->length));
        break;
    case CONTROL('C'): /* only if the tty passed it on: drop the line */
        emit_string(editor, "^C\n");
        line_edit_start(editor, editor->prompt);
        break;
    case '\b':
    case 127:
        if (editor->cursor > 0)
            erase_range(editor, editor->cursor - 1, editor->cursor);
        break;
    case CONTROL('A'):
        move_to(editor, 0);
        break;
    case CONTROL('E'):
        move_to(editor, editor->length);
        break;
    case CONTROL('B'):
        move_to(editor, editor->cursor - (editor->cursor > 0));
        break;
    case CONTROL('F'):
        move_to(editor, editor->cursor + (editor->cursor < editor->length));
        break;
    case CONTROL('U'):
        erase_range(editor, 0, editor->cursor);
        break;
    case CONTROL('K'):
        erase_range(editor, editor->cursor, editor->length);
        break;
    case CONTROL('W'):
        erase_word_before_cursor(editor);
        break;
    case CONTROL('L'):
        emit_string(editor, "\033[H\033[2J");
        redraw_line(editor);
        break;
    case CONTROL('P'):
        history_move(editor, 1);
        break;
    case CONTROL('N'):
        history_move(editor, -1);
        break;
    case '\t':
        complete(editor);
        break;
    default:
        break; /* other control characters mean nothing here */
    }
    return LINE_EDIT_MORE;
}

enum line_edit_result line_edit_feed(struct line_edit *editor, char byte)
{
    char c = 0;
    switch (key_decode(&editor->decoder, byte, &c)) {
    case KEY_CHAR:
        if ((unsigned char)c >= ' ' && c != 127) {
            insert_text(editor, &c, 1);
            return LINE_EDIT_MORE;
        }
        return control_key(editor, c);
    case KEY_LEFT:
        return control_key(editor, CONTROL('B'));
    case KEY_RIGHT:
        return control_key(editor, CONTROL('F'));
    case KEY_HOME:
        return control_key(editor, CONTROL('A'));
    case KEY_END:
        return control_key(editor, CONTROL('E'));
    case KEY_UP:
        return control_key(editor, CONTROL('P'));
    case KEY_DOWN:
        return control_key(editor, CONTROL('N'));
    case KEY_DELETE:
        if (editor->cursor < editor->length)
            erase_range(editor, editor->cursor, editor->cursor + 1);
        return LINE_EDIT_MORE;
    default:
        return LINE_EDIT_MORE; /* in the middle of a sequence, or one we ignore */
    }
}

void line_edit_start(struct line_edit *editor, const char *prompt)
{
    editor->prompt = prompt;
    editor->decoder = (struct key_decoder){0};
    editor->text[0] = '\0';
    editor->length = editor->cursor = 0;
    editor->refusal_shown = false;
    editor->history_back = 0;
    emit_string(editor, prompt);
}

void line_edit_init(struct line_edit *editor, const struct line_edit_io *io)
{
    memset(editor, 0, sizeof *editor);
    editor->io = *io;
    editor->prompt = "";
}

const char *line_edit_text(const struct line_edit *editor)
{
    return editor->text;
}
