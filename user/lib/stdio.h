/*
 * stdio.h — printf and friends for user programs, and exit().
 *
 * Output is formatted by lib/format.c. Standard output is line-buffered: text
 * collects in a 4096-byte buffer and each call hands every completed line to
 * write() in one piece, so lines from processes sharing the console never
 * interleave mid-line (the kernel prints each write of up to 4096 bytes
 * atomically). An unfinished line ("$ ") waits for stdout_flush(); call it
 * before read() of a reply and before fork(), or the child inherits, and
 * later prints, a copy of the pending text. Any other descriptor (stderr, a
 * pipe) is unbuffered: each dprintf() is one write() of up to 1024 bytes.
 * Not an OSTEP topic; it is the printf OSTEP's programs call from ch. 5 on.
 */
#ifndef PRISM_USER_LIB_STDIO_H
#define PRISM_USER_LIB_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define STDOUT_BUFFER_SIZE 4096

/* Standard output, buffered by line. */
__attribute__((format(printf, 1, 2))) int printf(const char *fmt, ...);
__attribute__((format(printf, 1, 0))) int vprintf(const char *fmt, va_list args);
int puts(const char *text); /* text and a newline */
int putchar(int c);
void stdout_flush(void); /* writes whatever is buffered, finished line or not */

/* Any descriptor: fd 1 goes through the stdout buffer, others are written at
 * once (after flushing stdout, so the two streams stay in order). */
__attribute__((format(printf, 2, 3))) int dprintf(int fd, const char *fmt, ...);
__attribute__((format(printf, 2, 0))) int vdprintf(int fd, const char *fmt, va_list args);

/* Strings: C99 semantics (see lib/format.h). */
__attribute__((format(printf, 3, 4))) int snprintf(char *buffer, size_t size, const char *fmt, ...);
__attribute__((format(printf, 3, 0))) int vsnprintf(char *buffer, size_t size, const char *fmt,
                                                    va_list args);

/* Flushes stdout, then ends the process with status (crt0 calls this after main). */
_Noreturn void exit(int status);

#endif
