/*
 * tty.c — canonical-mode line editing between the keyboard and read().
 *
 * One ring buffer holds, in order, the completed lines nobody has read yet
 * and then the line being typed:
 *   read_position <= edit_start <= edit_end,  edit_end - read_position <= size.
 * Typing appends at edit_end, Backspace takes back from it, Enter appends
 * '\n' and moves edit_start up to close the line. Where each completed line
 * ends is queued in line_ends, so a line ended by Ctrl-D (no '\n') and an
 * empty one (end of input) are told apart without stealing a byte value.
 * The interrupt handler changes only the typed line and the queue's tail;
 * readers take only completed lines, and run with interrupts off.
 *
 * Raw mode (tty_set_raw) is for a program that edits lines itself, the
 * shell at its prompt (lib/line_edit.h says why editing lives there): no
 * echo, no editing, every byte readable at once, so edit_start follows
 * edit_end and line_ends is unused. Switching to raw makes whatever was
 * typed readable as it stands; switching back runs the bytes nobody has read
 * through canonical processing, as if they were typed now. In both modes
 * Ctrl-C is the tty's: it discards everything typed and not yet read (a
 * job's type-ahead must not run after the job was interrupted) and signals
 * the foreground group. Canonical mode drops the escape sequences of editing
 * keys (lib/key_decode.h) rather than echoing "[D" into a line, and has
 * Unix's Ctrl-U (erase the line) and Ctrl-W (erase the word) besides
 * Backspace.
 * OSTEP ch. 5 (the shell, Ctrl-C), ch. 36 (I/O devices, interrupts).
 */
#include "kernel/tty.h"
#include "kernel/console.h"
#include "kernel/interrupts_off.h"
#include "kernel/mm/user_copy.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/scheduler.h"
#include "kernel/sched/wait_queue.h"
#include "lib/errno.h"
#include "lib/key_decode.h"
#include "lib/syscall_abi.h"

#include <stdbool.h>

#define TTY_BUFFER_SIZE 1024 /* a power of two, so positions may wrap */
#define TTY_MAX_LINES 128    /* completed lines (and ends of input) queued */

/* In the process core: sends signal to every process in group pgid;
 * negative if there is no such process. Safe in an interrupt handler. */
extern int proc_signal_group(int pgid, int signal);

static struct tty {
    char buffer[TTY_BUFFER_SIZE];
    uint64_t read_position;            /* the next byte read() returns */
    uint64_t edit_start;               /* end of the completed lines, start of the typed one */
    uint64_t edit_end;                 /* end of the line being typed */
    uint64_t line_ends[TTY_MAX_LINES]; /* where each completed line ends */
    uint64_t lines_completed;          /* line_ends[lines_read .. lines_completed) wait */
    uint64_t lines_read;
    uint64_t interrupt_count; /* Ctrl-C presses with no foreground group */
    int foreground_pgid;
    bool raw;
    bool refused;               /* a key of the typed line was refused: the bell rang */
    struct key_decoder decoder; /* canonical mode: editing keys' sequences are dropped */
    struct wait_queue readers;  /* processes waiting for a completed line */
} tty = {.readers = WAIT_QUEUE_INIT(tty.readers, "tty input")};

static void tty_echo(const char *text, size_t length)
{
    console_write(text, length);
}

static bool tty_is_printable(char c)
{
    return (c >= ' ' && c < 127) || c == '\t';
}

/* One byte is always kept free so that Enter can end the line. */
static void tty_insert(char c)
{
    if (tty.edit_end - tty.read_position >= TTY_BUFFER_SIZE - 1) {
        if (!tty.refused)
            tty_echo("\a", 1); /* full: the key is refused, and the bell says so once */
        tty.refused = true;
        return;
    }
    tty.buffer[tty.edit_end % TTY_BUFFER_SIZE] = c;
    tty.edit_end++;
    tty_echo(&c, 1);
}

static void tty_erase(void)
{
    if (tty.edit_end == tty.edit_start)
        return;
    tty.edit_end--;
    tty_echo("\b \b", 3);
}

static char tty_last_typed(void)
{
    return tty.buffer[(tty.edit_end - 1) % TTY_BUFFER_SIZE];
}

/* Ctrl-W: the blanks before the cursor, then the word before them. */
static void tty_erase_word(void)
{
    while (tty.edit_end != tty.edit_start && tty_last_typed() == ' ')
        tty_erase();
    while (tty.edit_end != tty.edit_start && tty_last_typed() != ' ')
        tty_erase();
}

/* Ctrl-U: the whole typed line. */
static void tty_erase_line(void)
{
    while (tty.edit_end != tty.edit_start)
        tty_erase();
}

/* Enter (with_newline) or Ctrl-D; Ctrl-D on an empty line queues an empty
 * line, which read() reports as end of input. */
static void tty_complete_line(bool with_newline)
{
    if (tty.lines_completed - tty.lines_read == TTY_MAX_LINES)
        return; /* nobody is reading; the line stays open until they do */
    if (with_newline && tty.edit_end - tty.read_position >= TTY_BUFFER_SIZE)
        return; /* no room even for the newline: drop this Enter like a key */
    if (with_newline) {
        tty.buffer[tty.edit_end % TTY_BUFFER_SIZE] = '\n';
        tty.edit_end++;
        tty_echo("\n", 1);
    }
    tty.line_ends[tty.lines_completed % TTY_MAX_LINES] = tty.edit_end;
    tty.lines_completed++;
    tty.edit_start = tty.edit_end;
    tty.refused = false;
    sched_wakeup(&tty.readers);
}

/* Everything typed and not yet read, completed lines included, is gone. */
static void tty_discard_input(void)
{
    tty.read_position = tty.edit_start = tty.edit_end;
    tty.lines_read = tty.lines_completed;
    tty.decoder = (struct key_decoder){0};
    tty.refused = false;
}

/* With no foreground group (or none left to signal), Ctrl-C interrupts
 * whoever is waiting for a line instead, so a prompt can start over. */
static void tty_interrupt(void)
{
    tty_echo("^C\n", 3);
    tty_discard_input();
    if (tty.foreground_pgid > 0 && proc_signal_group(tty.foreground_pgid, SIGINT) >= 0)
        return;
    tty.interrupt_count++;
    sched_wakeup(&tty.readers);
}

/* Raw mode: the byte is readable at once, unechoed (dropped if the ring is full). */
static void tty_insert_raw(char c)
{
    if (tty.edit_end - tty.read_position >= TTY_BUFFER_SIZE)
        return;
    tty.buffer[tty.edit_end % TTY_BUFFER_SIZE] = c;
    tty.edit_end++;
    tty.edit_start = tty.edit_end;
    sched_wakeup(&tty.readers);
}

static void tty_input_canonical(char c)
{
    if (key_decode(&tty.decoder, c, &c) != KEY_CHAR)
        return; /* part of an arrow key's sequence, or the end of one */
    switch (c) {
    case '\n':
    case '\r':
        tty_complete_line(true);
        break;
    case TTY_CONTROL_D:
        tty_complete_line(false);
        break;
    case TTY_CONTROL_C:
        tty_interrupt();
        break;
    case '\b':
    case 127:
        tty_erase();
        break;
    case TTY_CONTROL_U:
        tty_erase_line();
        break;
    case TTY_CONTROL_W:
        tty_erase_word();
        break;
    default:
        if (tty_is_printable(c))
            tty_insert(c);
        break;
    }
}

void tty_input_char(char c)
{
    interrupts_assert_off("tty_input_char");
    if (c == TTY_CONTROL_C)
        tty_interrupt();
    else if (tty.raw)
        tty_insert_raw(c);
    else
        tty_input_canonical(c);
}

void tty_set_raw(bool raw)
{
    if (raw == tty.raw)
        return;
    tty.raw = raw;
    if (raw) { /* the typed line and every queued one become plain bytes */
        tty.edit_start = tty.edit_end;
        tty.lines_read = tty.lines_completed;
        tty.decoder = (struct key_decoder){0};
        return;
    }
    static char unread[TTY_BUFFER_SIZE]; /* interrupts are off: one caller at a time */
    size_t count = (size_t)(tty.edit_end - tty.read_position);
    for (size_t i = 0; i < count; i++)
        unread[i] = tty.buffer[(tty.read_position + i) % TTY_BUFFER_SIZE];
    tty.edit_start = tty.edit_end = tty.read_position;
    for (size_t i = 0; i < count; i++)
        tty_input_canonical(unread[i]);
}

bool tty_is_raw(void)
{
    return tty.raw;
}

/* Copies length bytes from the ring starting at position, in at most two
 * pieces (the ring may wrap), without consuming them. */
static int tty_copy_out(uint64_t user_buffer, uint64_t position, size_t length)
{
    if (length == 0)
        return 0;
    size_t start = position % TTY_BUFFER_SIZE;
    size_t first_piece = TTY_BUFFER_SIZE - start;
    if (first_piece > length)
        first_piece = length;
    int result = user_copy_out(user_buffer, tty.buffer + start, first_piece);
    if (result == 0 && length > first_piece)
        result = user_copy_out(user_buffer + first_piece, tty.buffer, length - first_piece);
    return result;
}

long tty_read(uint64_t user_buffer, size_t count)
{
    interrupts_assert_off("tty_read");
    if (count == 0)
        return 0;
    uint64_t interrupts_seen = tty.interrupt_count;
    uint64_t position, line_end;
    size_t length;
    do { /* again when another reader took the bytes while the copy slept */
        while (tty.raw ? tty.read_position == tty.edit_start
                       : tty.lines_read == tty.lines_completed) {
            if (proc_current()->pending_signal || tty.interrupt_count != interrupts_seen)
                return -EINTR;
            sched_block(&tty.readers);
        }
        position = tty.read_position;
        line_end = tty.raw ? tty.edit_start : tty.line_ends[tty.lines_read % TTY_MAX_LINES];
        uint64_t left_in_line = line_end - position;
        length = count < left_in_line ? count : (size_t)left_in_line;
        /* The copy may sleep (a swapped-out page of the buffer comes back). */
        int result = tty_copy_out(user_buffer, position, length);
        if (result < 0)
            return result; /* nothing consumed: the line is still there */
        if (tty.interrupt_count != interrupts_seen)
            return -EINTR; /* Ctrl-C while the copy slept: the input is gone */
    } while (tty.read_position != position);
    tty.read_position += length;
    if (tty.read_position == line_end && !tty.raw)
        tty.lines_read++; /* an empty line (end of input) is used up here too */
    return (long)length;
}

void tty_set_foreground(int pgid)
{
    tty.foreground_pgid = pgid > 0 ? pgid : 0;
}

int tty_foreground(void)
{
    return tty.foreground_pgid;
}
