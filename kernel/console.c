/*
 * console.c — fan-out of kernel text to serial and VGA, fan-in of typed keys.
 *
 * Writers call console_write()/kprintf(); both devices get every character
 * (serial gets "\r\n" for "\n", as terminals expect). Interrupts are held off
 * for the length of one write, so a line printed by one caller is never split
 * by another's output from an interrupt handler. Typed characters wait in a
 * ring buffer until someone reads them; if nobody reads for a while the
 * newest keys are dropped rather than overwriting unread ones.
 * OSTEP ch. 36 (I/O Devices).
 */
#include "kernel/console.h"
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/arch/x86_64/serial.h"
#include "kernel/arch/x86_64/vga.h"
#include "kernel/tty.h"
#include "lib/format.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#define INPUT_BUFFER_SIZE 256 /* power of two: indices wrap with a mask */

static char input_buffer[INPUT_BUFFER_SIZE];
static bool input_goes_to_tty;
static volatile unsigned input_read_index, input_write_index;

void console_init(void)
{
    serial_init();
    vga_init();
}

static void put_char_everywhere(char c)
{
    if (c == '\n')
        serial_write_char('\r');
    serial_write_char(c);
    vga_write_char(c);
}

void console_write(const char *text, size_t length)
{
    uint64_t flags = interrupts_save_disable();
    for (size_t i = 0; i < length; i++)
        put_char_everywhere(text[i]);
    interrupts_restore(flags);
}

void console_attach_tty(void)
{
    input_goes_to_tty = true;
}

void console_input_char(char c)
{
    if (input_goes_to_tty) {
        tty_input_char(c);
        return;
    }
    if (input_write_index - input_read_index == INPUT_BUFFER_SIZE)
        return;
    input_buffer[input_write_index % INPUT_BUFFER_SIZE] = c;
    input_write_index++;
}

int console_try_read_char(void)
{
    uint64_t flags = interrupts_save_disable();
    int c = -1;
    if (input_read_index != input_write_index) {
        c = (unsigned char)input_buffer[input_read_index % INPUT_BUFFER_SIZE];
        input_read_index++;
    }
    interrupts_restore(flags);
    return c;
}

/* kprintf formats into a small buffer and flushes it in whole pieces, so a
 * line is written with one console_write and stays in one piece. */
struct kprintf_buffer {
    char text[256];
    size_t used;
};

static void kprintf_emit(char c, void *context)
{
    struct kprintf_buffer *buffer = context;
    buffer->text[buffer->used++] = c;
    if (buffer->used == sizeof(buffer->text)) {
        console_write(buffer->text, buffer->used);
        buffer->used = 0;
    }
}

int kprintf(const char *fmt, ...)
{
    struct kprintf_buffer buffer = {.used = 0};
    va_list args;
    va_start(args, fmt);
    int count = format_emit(kprintf_emit, &buffer, fmt, args);
    va_end(args);
    console_write(buffer.text, buffer.used);
    return count;
}
