/*
 * stdio.c — buffered standard output on top of write(), and exit().
 *
 * Invariant between calls: stdout_buffer[0, stdout_length) is text not yet
 * written that holds no '\n' (every public call ends by writing out complete
 * lines). When the buffer fills mid-call, complete lines go out first, so a
 * line is split only when it alone exceeds STDOUT_BUFFER_SIZE. See stdio.h.
 * Not an OSTEP topic; OSTEP's programs print with it from ch. 5 on.
 */
#include "user/lib/stdio.h"
#include "lib/format.h"
#include "lib/string.h"
#include "user/lib/prism.h"

#define DIRECT_BUFFER_SIZE 1024

static char stdout_buffer[STDOUT_BUFFER_SIZE];
static size_t stdout_length;

/* Writes all of data unless the descriptor fails (then the rest is dropped:
 * there is nowhere to report a failing stdout). */
static void write_all(int fd, const char *data, size_t length)
{
    while (length > 0) {
        long written = write(fd, data, length);
        if (written <= 0)
            return;
        data += written;
        length -= (size_t)written;
    }
}

void stdout_flush(void)
{
    write_all(STDOUT_FILENO, stdout_buffer, stdout_length);
    stdout_length = 0;
}

/* Writes every complete line in one write() and keeps the unfinished tail. */
static void flush_complete_lines(void)
{
    size_t end = stdout_length;
    while (end > 0 && stdout_buffer[end - 1] != '\n')
        end--;
    if (end == 0)
        return;
    write_all(STDOUT_FILENO, stdout_buffer, end);
    memmove(stdout_buffer, stdout_buffer + end, stdout_length - end);
    stdout_length -= end;
}

static void stdout_put(char c, void *context)
{
    (void)context;
    if (stdout_length == STDOUT_BUFFER_SIZE) {
        flush_complete_lines();
        if (stdout_length == STDOUT_BUFFER_SIZE) /* one line fills the buffer */
            stdout_flush();
    }
    stdout_buffer[stdout_length++] = c;
}

int vprintf(const char *fmt, va_list args)
{
    int count = format_emit(stdout_put, NULL, fmt, args);
    flush_complete_lines();
    return count;
}

int printf(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int count = vprintf(fmt, args);
    va_end(args);
    return count;
}

int puts(const char *text)
{
    for (; *text != '\0'; text++)
        stdout_put(*text, NULL);
    stdout_put('\n', NULL);
    flush_complete_lines();
    return 0;
}

int putchar(int c)
{
    stdout_put((char)c, NULL);
    if (c == '\n')
        flush_complete_lines();
    return (unsigned char)c;
}

/* Collects one dprintf's output so it reaches the descriptor in one write(). */
struct direct_output {
    int fd;
    size_t length;
    char data[DIRECT_BUFFER_SIZE];
};

static void direct_put(char c, void *context)
{
    struct direct_output *out = context;
    if (out->length == DIRECT_BUFFER_SIZE) {
        write_all(out->fd, out->data, out->length);
        out->length = 0;
    }
    out->data[out->length++] = c;
}

int vdprintf(int fd, const char *fmt, va_list args)
{
    if (fd == STDOUT_FILENO)
        return vprintf(fmt, args);
    stdout_flush();
    struct direct_output out = {.fd = fd, .length = 0};
    int count = format_emit(direct_put, &out, fmt, args);
    write_all(fd, out.data, out.length);
    return count;
}

int dprintf(int fd, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int count = vdprintf(fd, fmt, args);
    va_end(args);
    return count;
}

int vsnprintf(char *buffer, size_t size, const char *fmt, va_list args)
{
    return format_vsnprintf(buffer, size, fmt, args);
}

int snprintf(char *buffer, size_t size, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int count = vsnprintf(buffer, size, fmt, args);
    va_end(args);
    return count;
}

_Noreturn void exit(int status)
{
    stdout_flush();
    _exit(status);
}
