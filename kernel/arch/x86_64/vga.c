/*
 * vga.c — VGA text-mode output: memory-mapped cells plus a hardware cursor.
 *
 * The screen is 80x25 cells at physical 0xb8000, each a character byte and a
 * colour byte; the kernel reaches it through the direct map. When the cursor
 * runs off the bottom, everything scrolls up a line. The CRT controller's
 * cursor registers are set after each character so the blinking cursor
 * follows the text. Like a serial terminal, '\b' moves left without erasing
 * (erasing is "\b \b"), and the one escape sequence Prism's programs send,
 * ESC [ H ESC [ 2 J (clear), clears the screen; other sequences are dropped.
 * OSTEP ch. 36 (I/O Devices): memory-mapped I/O.
 */
#include "kernel/arch/x86_64/vga.h"
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/mm/layout.h"

#include <stdbool.h>
#include <stdint.h>

#define VGA_PHYSICAL 0xb8000
#define VGA_COLUMNS 80
#define VGA_ROWS 25
#define VGA_COLOUR 0x07 /* light grey on black */
#define CRT_INDEX 0x3d4
#define CRT_DATA 0x3d5

static volatile uint16_t *screen;
static int cursor_row, cursor_column;

static uint16_t blank_cell(void)
{
    return (uint16_t)(VGA_COLOUR << 8 | ' ');
}

static void move_hardware_cursor(void)
{
    uint16_t position = (uint16_t)(cursor_row * VGA_COLUMNS + cursor_column);
    outb(CRT_INDEX, 0x0f);
    outb(CRT_DATA, (uint8_t)(position & 0xff));
    outb(CRT_INDEX, 0x0e);
    outb(CRT_DATA, (uint8_t)(position >> 8));
}

static void scroll_up_one_line(void)
{
    for (int cell = 0; cell < (VGA_ROWS - 1) * VGA_COLUMNS; cell++)
        screen[cell] = screen[cell + VGA_COLUMNS];
    for (int column = 0; column < VGA_COLUMNS; column++)
        screen[(VGA_ROWS - 1) * VGA_COLUMNS + column] = blank_cell();
    cursor_row = VGA_ROWS - 1;
}

void vga_init(void)
{
    screen = phys_to_virt(VGA_PHYSICAL);
    for (int cell = 0; cell < VGA_ROWS * VGA_COLUMNS; cell++)
        screen[cell] = blank_cell();
    cursor_row = cursor_column = 0;
    move_hardware_cursor();
}

/* ESC [ parameters final: 'J' clears the screen, 'H' homes the cursor. */
static bool vga_escape_sequence(char c)
{
    static int state; /* 0: none, 1: after ESC, 2: inside ESC [ */
    if (state == 0 && c != '\033')
        return false;
    if (state == 0 || (state == 1 && c == '[')) {
        state++;
        return true;
    }
    if (state == 2 && c >= 0x20 && c < 0x40)
        return true; /* parameters */
    state = 0;
    if (c == 'J')
        for (int cell = 0; cell < VGA_ROWS * VGA_COLUMNS; cell++)
            screen[cell] = blank_cell();
    if (c == 'H' || c == 'J')
        cursor_row = cursor_column = 0;
    move_hardware_cursor();
    return true;
}

void vga_write_char(char c)
{
    if (!screen || vga_escape_sequence(c))
        return;
    switch (c) {
    case '\n':
        cursor_column = 0;
        cursor_row++;
        break;
    case '\r':
        cursor_column = 0;
        break;
    case '\b':
        if (cursor_column > 0)
            cursor_column--;
        break;
    case '\t':
        cursor_column = (cursor_column + 8) & ~7;
        break;
    default:
        screen[cursor_row * VGA_COLUMNS + cursor_column] = (uint16_t)(VGA_COLOUR << 8 | (uint8_t)c);
        cursor_column++;
    }
    if (cursor_column >= VGA_COLUMNS) {
        cursor_column = 0;
        cursor_row++;
    }
    if (cursor_row >= VGA_ROWS)
        scroll_up_one_line();
    move_hardware_cursor();
}
