/*
 * format.h — printf-style formatting, one implementation for every printer.
 *
 * format_emit() turns a format and its arguments into characters and hands
 * each one to a caller-supplied function: the kernel's console printer sends
 * them to the serial port, user printf buffers them for write(), and
 * format_snprintf() stores them in a bounded string. Not an OSTEP topic;
 * it is the printf that OSTEP's examples call from ch. 5 on.
 *
 * Supported: %d %i %u %x %X %o %p %s %c %%; length modifiers hh h l ll z t j;
 * flags - 0 + space #; width and precision, either may be '*'. Prism's choices
 * where C leaves room: %p prints "0x" and the hex digits with no padding
 * ("0xffffffff80100000", NULL is "0x0"); a NULL %s prints "(null)", cut by the
 * precision like any string; a conversion Prism does not know (%f, %n, %q)
 * is printed as written, flags and all, and consumes no argument.
 */
#ifndef PRISM_LIB_FORMAT_H
#define PRISM_LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Receives one output character; context is whatever the caller passed along. */
typedef void (*format_emit_fn)(char c, void *context);

/* Formats into emit, one character per call; returns how many it emitted. */
__attribute__((format(printf, 3, 0))) int format_emit(format_emit_fn emit, void *context,
                                                      const char *fmt, va_list args);

/*
 * C99 vsnprintf/snprintf: writes at most size - 1 characters and a NUL when
 * size > 0 (buf may be NULL when size is 0); returns the length the whole
 * output would have had, so a result >= size means it was truncated.
 */
__attribute__((format(printf, 3, 0))) int format_vsnprintf(char *buf, size_t size, const char *fmt,
                                                           va_list args);
__attribute__((format(printf, 3, 4))) int format_snprintf(char *buf, size_t size, const char *fmt,
                                                          ...);

#endif
