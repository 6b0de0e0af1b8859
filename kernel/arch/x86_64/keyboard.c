/*
 * keyboard.c — PS/2 keyboard: scancodes (set 1) to characters.
 *
 * Each key press or release raises IRQ 1 with one scancode byte in port 0x60;
 * releases have bit 7 set. We track Shift and Ctrl ourselves and turn
 * Ctrl+letter into the matching control character (Ctrl-C is 0x03), exactly
 * what the serial console delivers, so console.c sees one kind of input.
 * For the same reason the editing keys (arrows, Home, End, Delete: 0xe0 and
 * a second byte) become the ANSI escape sequences a serial terminal sends
 * for them, and one decoder (lib/key_decode.c) serves both.
 * OSTEP ch. 36 (I/O Devices).
 */
#include "kernel/arch/x86_64/keyboard.h"
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/console.h"

#include <stdbool.h>

#define KEYBOARD_DATA_PORT 0x60
#define SCANCODE_RELEASED 0x80
#define SCANCODE_LEFT_SHIFT 0x2a
#define SCANCODE_RIGHT_SHIFT 0x36
#define SCANCODE_CTRL 0x1d
#define SCANCODE_EXTENDED 0xe0

/* Scancode set 1, US layout; 0 means "no character". */
// clang-format off
static const char unshifted[128] = {
    0,   27,  '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=', '\b', '\t',
    'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', '\n', 0,  'a', 's',
    'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0,  '\\', 'z', 'x', 'c', 'v',
    'b', 'n', 'm', ',', '.', '/', 0,   '*', 0,   ' ',
};
static const char shifted[128] = {
    0,   27,  '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', '\b', '\t',
    'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\n', 0,  'A', 'S',
    'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0,   '|', 'Z', 'X', 'C', 'V',
    'B', 'N', 'M', '<', '>', '?', 0,   '*', 0,   ' ',
};
// clang-format on

static bool shift_held, ctrl_held, extended;

/* The sequence for an extended key (after 0xe0), or NULL for keys without one. */
static const char *extended_key_sequence(uint8_t key)
{
    switch (key) {
    case 0x48:
        return "\033[A"; /* Up */
    case 0x50:
        return "\033[B"; /* Down */
    case 0x4d:
        return "\033[C"; /* Right */
    case 0x4b:
        return "\033[D"; /* Left */
    case 0x47:
        return "\033[H"; /* Home */
    case 0x4f:
        return "\033[F"; /* End */
    case 0x53:
        return "\033[3~"; /* Delete */
    default:
        return NULL;
    }
}

void keyboard_handle_interrupt(void)
{
    uint8_t scancode = inb(KEYBOARD_DATA_PORT);
    bool released = scancode & SCANCODE_RELEASED;
    uint8_t key = scancode & ~SCANCODE_RELEASED;

    if (scancode == SCANCODE_EXTENDED) {
        extended = true; /* right Ctrl, arrows...: the next byte names the key */
        return;
    }
    bool was_extended = extended;
    extended = false;
    if (key == SCANCODE_LEFT_SHIFT || key == SCANCODE_RIGHT_SHIFT) {
        shift_held = !released;
        return;
    }
    if (key == SCANCODE_CTRL) {
        ctrl_held = !released;
        return;
    }
    if (released)
        return;
    if (was_extended) {
        const char *sequence = extended_key_sequence(key);
        for (; sequence != NULL && *sequence != '\0'; sequence++)
            console_input_char(*sequence);
        if (key != 0x1c && key != 0x35)
            return; /* keypad Enter and '/' fall through as their plain keys */
    }

    char c = shift_held ? shifted[key] : unshifted[key];
    if (c == 0)
        return;
    if (ctrl_held && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
        c = (char)((c & 0x1f)); /* Ctrl-A = 1 ... Ctrl-C = 3 ... */
    console_input_char(c);
}
