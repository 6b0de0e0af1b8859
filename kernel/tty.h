/*
 * tty.h — the console's line discipline: typed keys become lines to read.
 *
 * The keyboard and serial interrupt handlers pass each typed character to
 * tty_input_char. Like a Unix terminal in canonical mode it echoes it, lets
 * Backspace fix the line, and hands a line to read() only once Enter ends it.
 * Ctrl-D on an empty line means end of input; Ctrl-C interrupts the
 * foreground process group (the shell's current job) and discards every key
 * typed ahead of it.
 * OSTEP ch. 5 (the shell, signals from the keyboard), ch. 36 (I/O devices).
 */
#ifndef PRISM_KERNEL_TTY_H
#define PRISM_KERNEL_TTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TTY_CONTROL_C 3
#define TTY_CONTROL_D 4
#define TTY_CONTROL_U 21
#define TTY_CONTROL_W 23

/* From interrupt handlers: '\n' for Enter, 3 Ctrl-C, 4 Ctrl-D, '\b' or 127
 * Backspace, 21 Ctrl-U (erase the line), 23 Ctrl-W (erase the word before
 * the cursor). Never blocks or allocates. */
void tty_input_char(char c);

/*
 * Blocks until a whole line has been typed, then copies up to count bytes of
 * it to user_buffer in the running process; the rest of the line stays for
 * the next read. Returns the bytes copied (the line's '\n' included), 0 at
 * end of input (Ctrl-D on an empty line), -EFAULT, or -EINTR when the process
 * is killed or Ctrl-C is pressed while no foreground group is set.
 */
long tty_read(uint64_t user_buffer, size_t count);

/*
 * Raw mode hands every byte to read() as it arrives, unechoed and unedited,
 * for a program that edits its own line (the shell's prompt); canonical mode
 * (the default) is the line discipline above. Ctrl-C works in both: it
 * discards all unread input and interrupts, as described below.
 */
void tty_set_raw(bool raw);
bool tty_is_raw(void);

/* The process group Ctrl-C sends SIGINT to; 0 means none. */
void tty_set_foreground(int pgid);
int tty_foreground(void);

#endif
