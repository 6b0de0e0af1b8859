/*
 * key_decode.h — bytes from a terminal become keys: characters, arrows,
 * Home, End, Delete.
 *
 * A serial terminal sends an editing key as an ANSI escape sequence (Left is
 * ESC [ D, Delete is ESC [ 3 ~); the PS/2 driver (kernel/arch/x86_64/
 * keyboard.c) turns the same keys into the same sequences, so this one
 * decoder serves both. The shell's line editor (lib/line_edit.c) reads keys
 * through it, and the tty's canonical mode uses it to drop sequences it has
 * no use for instead of echoing "[D" into a line. Pure logic: no I/O, so the
 * kernel, user programs and host tests share it.
 * OSTEP ch. 36 (I/O devices: what a terminal actually sends).
 */
#ifndef PRISM_LIB_KEY_DECODE_H
#define PRISM_LIB_KEY_DECODE_H

enum key_code {
    KEY_PENDING, /* the byte began or continued a sequence: no key yet */
    KEY_CHAR,    /* an ordinary byte (printable or control), in *c */
    KEY_UP,
    KEY_DOWN,
    KEY_RIGHT,
    KEY_LEFT,
    KEY_HOME,
    KEY_END,
    KEY_DELETE,
    KEY_UNKNOWN, /* a whole sequence this decoder does not name: ignore it */
};

#define KEY_ESCAPE 27

/* The decoder's state between bytes; zero-initialised means "no sequence". */
struct key_decoder {
    int state;     /* 0: none, 1: after ESC, 2: after ESC [, 3: after ESC O */
    int parameter; /* the first number inside ESC [ ... ~ */
};

/* Feeds one byte; returns the key it completes (its character in *c for
 * KEY_CHAR) or KEY_PENDING in the middle of a sequence. */
enum key_code key_decode(struct key_decoder *decoder, char byte, char *c);

#endif
