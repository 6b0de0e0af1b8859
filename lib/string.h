/*
 * string.h — memory and string routines, and number parsing, for all of Prism.
 *
 * The kernel has no libc, yet gcc emits calls to memcpy, memset, memmove and
 * memcmp on its own (struct copies, zeroed arrays), so the kernel build must
 * define exactly the standard names with the standard meanings. User programs
 * link the same code. Semantics are C11's; the one departure is that strtol and
 * strtoul clamp on overflow without setting errno (there is no errno here).
 * Not an OSTEP topic; OSTEP ch. 5's programs lean on these from the first page.
 *
 * Host builds (PRISM_HOST) link these next to the host's libc and ASan, which
 * own the standard names. So under PRISM_HOST every name below becomes
 * prism_<name> (in lib/string.c too): a host test that calls memcpy() calls
 * Prism's, and libc keeps its own.
 * Rule: include system headers (<check.h>, <stdlib.h>, ...) BEFORE this one.
 * A system header read after the renaming would declare prism_ names or, with
 * _FORTIFY_SOURCE, define inline wrappers that hide Prism's code. This header
 * pulls in the host's <string.h> and <stdlib.h> itself for the same reason.
 */
#ifndef PRISM_LIB_STRING_H
#define PRISM_LIB_STRING_H

#include <stddef.h>

#ifdef PRISM_HOST
#include <string.h>
#include <stdlib.h>
#define memcpy prism_memcpy
#define memmove prism_memmove
#define memset prism_memset
#define memcmp prism_memcmp
#define memchr prism_memchr
#define strlen prism_strlen
#define strnlen prism_strnlen
#define strcmp prism_strcmp
#define strncmp prism_strncmp
#define strchr prism_strchr
#define strrchr prism_strrchr
#define strcpy prism_strcpy
#define strncpy prism_strncpy
#define strlcpy prism_strlcpy
#define strcat prism_strcat
#define strstr prism_strstr
#define strtol prism_strtol
#define strtoul prism_strtoul
#define atoi prism_atoi
#endif

/* Memory: byte arrays of known length; bytes compare as unsigned char. */
void *memcpy(void *restrict dest, const void *restrict src, size_t n); /* no overlap */
void *memmove(void *dest, const void *src, size_t n);                  /* overlap is fine */
void *memset(void *dest, int value, size_t n);
int memcmp(const void *left, const void *right, size_t n);
void *memchr(const void *haystack, int value, size_t n);

/* Strings: NUL-terminated. */
size_t strlen(const char *text);
size_t strnlen(const char *text, size_t limit); /* reads at most limit bytes */
int strcmp(const char *left, const char *right);
int strncmp(const char *left, const char *right, size_t n);
char *strchr(const char *text, int c); /* c == '\0' finds the terminator */
char *strrchr(const char *text, int c);
char *strcpy(char *restrict dest, const char *restrict src);
/* Copies at most n bytes, pads with NULs; leaves dest unterminated if src is too long. */
char *strncpy(char *restrict dest, const char *restrict src, size_t n);
/* Always terminates when size > 0; returns strlen(src), so >= size means truncated. */
size_t strlcpy(char *restrict dest, const char *restrict src, size_t size);
char *strcat(char *restrict dest, const char *restrict src);
char *strstr(const char *haystack, const char *needle); /* "" is found at haystack */

/*
 * Numbers: leading spaces, an optional sign, then digits in base 2..36; base 0
 * reads "0x1f" as hex, "017" as octal, else decimal. *end (if end != NULL) is
 * set past the last digit, or to text itself when there are no digits. Out of
 * range values clamp to LONG_MIN/LONG_MAX (ULONG_MAX for strtoul).
 */
long strtol(const char *text, char **end, int base);
unsigned long strtoul(const char *text, char **end, int base); /* "-1" is ULONG_MAX */
int atoi(const char *text);

#endif
