/*
 * string.c — memory and string routines, and strtol, shared by kernel and user.
 *
 * Byte loops throughout, written to be read. The one concession to speed is
 * bulk copying and filling (the kernel's page copies on copy-on-write
 * faults, a program's big memcpy): memcpy, memmove and memset move whole
 * blocks, then words, then bytes. A block is loaded completely before any
 * of it is stored — 256 bytes through xmm0-15 where SSE is allowed (user
 * programs), 64 bytes through eight general registers where it is not (the
 * kernel); memset, which loads nothing, stores 256-byte blocks in both.
 * Measured under QEMU TCG on 16 MiB (bench, `make bench`): a word at a
 * time 151 M cycles, rep movsq 151 M, rep movsb 1.2 G, 64-byte blocks 40 M,
 * 256-byte SSE blocks 30 M; glibc's memcpy 77 M. Loads and stores that
 * alternate between two pages are what is slow there (each switch between
 * source and destination costs a software-TLB lookup), so the wider the
 * block, the fewer switches. Under PRISM_HOST, lib/string.h renames every
 * function here to prism_<name>. Semantics: see lib/string.h.
 * OSTEP: library code used by every chapter (ch. 14 Interlude: Memory API).
 */
#include "lib/string.h"
#include "lib/ctype.h"

#include <stdbool.h>
#include <stdint.h>

/* A word that may alias any object, so word-wise copies break no aliasing rule. */
typedef uint64_t __attribute__((may_alias)) memory_word;
#define WORD_SIZE sizeof(memory_word)

static bool word_aligned(const void *address)
{
    return (uintptr_t)address % WORD_SIZE == 0;
}

/* True when both pointers reach word alignment after the same number of bytes. */
static bool same_alignment(const void *to, const void *from)
{
    return ((uintptr_t)to - (uintptr_t)from) % WORD_SIZE == 0;
}

/* One lane of a block: 16 bytes in an xmm register where the compiler may use
 * SSE, else 8 in a general register. aligned(1): any address will do. */
#ifdef __SSE2__
typedef unsigned char block_lane __attribute__((vector_size(16), may_alias, aligned(1)));
#define BLOCK_LANES 16 /* xmm0-15: 256 bytes */
#else
typedef uint64_t __attribute__((may_alias, aligned(1))) block_lane;
#define BLOCK_LANES 8 /* eight of the general registers: 64 bytes */
#endif
#define BLOCK_BYTES (BLOCK_LANES * sizeof(block_lane))

/* Copies n / BLOCK_BYTES whole blocks, each loaded entirely before it is
 * stored; returns how many bytes that was. Safe for overlap when to <= from:
 * a block's stores never reach source bytes not yet loaded. */
static size_t copy_blocks(unsigned char *to, const unsigned char *from, size_t n)
{
    size_t copied = 0;
    for (; n - copied >= BLOCK_BYTES; copied += BLOCK_BYTES) {
        const block_lane *source = (const block_lane *)(from + copied);
        block_lane *destination = (block_lane *)(to + copied);
        block_lane lanes[BLOCK_LANES]; /* unrolled, so these are registers */
#pragma GCC unroll 16
        for (int i = 0; i < BLOCK_LANES; i++)
            lanes[i] = source[i];
#pragma GCC unroll 16
        for (int i = 0; i < BLOCK_LANES; i++)
            destination[i] = lanes[i];
    }
    return copied;
}

/* Lowest address first: safe for overlap only when to <= from. */
static void copy_forward(unsigned char *to, const unsigned char *from, size_t n)
{
    size_t blocks = copy_blocks(to, from, n);
    to += blocks;
    from += blocks;
    n -= blocks;
    if (same_alignment(to, from)) {
        for (; n > 0 && !word_aligned(to); n--)
            *to++ = *from++;
        for (; n >= WORD_SIZE; n -= WORD_SIZE, to += WORD_SIZE, from += WORD_SIZE)
            *(memory_word *)to = *(const memory_word *)from;
    }
    for (; n > 0; n--)
        *to++ = *from++;
}

/* Highest address first: safe for overlap when to > from. */
static void copy_backward(unsigned char *to, const unsigned char *from, size_t n)
{
    to += n;
    from += n;
    if (same_alignment(to, from)) {
        for (; n > 0 && !word_aligned(to); n--)
            *--to = *--from;
        for (; n >= WORD_SIZE; n -= WORD_SIZE) {
            to -= WORD_SIZE;
            from -= WORD_SIZE;
            *(memory_word *)to = *(const memory_word *)from;
        }
    }
    for (; n > 0; n--)
        *--to = *--from;
}

void *memcpy(void *restrict dest, const void *restrict src, size_t n)
{
    copy_forward(dest, src, n);
    return dest;
}

void *memmove(void *dest, const void *src, size_t n)
{
    if ((uintptr_t)dest <= (uintptr_t)src)
        copy_forward(dest, src, n);
    else
        copy_backward(dest, src, n);
    return dest;
}

/* memset loads nothing, so its blocks need no registers to hold them: 256
 * bytes per turn of the loop in both builds (a page is 16 turns). */
#define SET_BLOCK_BYTES 256
#define SET_BLOCK_LANES (SET_BLOCK_BYTES / sizeof(block_lane))

void *memset(void *dest, int value, size_t n)
{
    unsigned char *to = dest;
    unsigned char byte = (unsigned char)value;
    if (n >= SET_BLOCK_BYTES) {
        block_lane lane;
        for (size_t i = 0; i < sizeof(lane); i++)
            ((unsigned char *)&lane)[i] = byte;
        for (; n >= SET_BLOCK_BYTES; n -= SET_BLOCK_BYTES, to += SET_BLOCK_BYTES)
#pragma GCC unroll 32
            for (size_t i = 0; i < SET_BLOCK_LANES; i++)
                ((block_lane *)to)[i] = lane;
    }
    for (; n > 0 && !word_aligned(to); n--)
        *to++ = byte;
    /* Multiplying by 0x0101...01 copies the byte into all eight lanes. */
    memory_word pattern = byte * (~(memory_word)0 / 0xff);
    for (; n >= WORD_SIZE; n -= WORD_SIZE, to += WORD_SIZE)
        *(memory_word *)to = pattern;
    for (; n > 0; n--)
        *to++ = byte;
    return dest;
}

int memcmp(const void *left, const void *right, size_t n)
{
    const unsigned char *a = left;
    const unsigned char *b = right;
    for (; n > 0; n--, a++, b++) {
        if (*a != *b)
            return *a - *b;
    }
    return 0;
}

void *memchr(const void *haystack, int value, size_t n)
{
    const unsigned char *cursor = haystack;
    for (; n > 0; n--, cursor++) {
        if (*cursor == (unsigned char)value)
            return (void *)cursor;
    }
    return NULL;
}

size_t strlen(const char *text)
{
    size_t length = 0;
    while (text[length] != '\0')
        length++;
    return length;
}

size_t strnlen(const char *text, size_t limit)
{
    size_t length = 0;
    while (length < limit && text[length] != '\0')
        length++;
    return length;
}

int strcmp(const char *left, const char *right)
{
    return strncmp(left, right, SIZE_MAX);
}

int strncmp(const char *left, const char *right, size_t n)
{
    const unsigned char *a = (const unsigned char *)left;
    const unsigned char *b = (const unsigned char *)right;
    for (; n > 0; n--, a++, b++) {
        if (*a != *b)
            return *a - *b;
        if (*a == '\0')
            return 0;
    }
    return 0;
}

char *strchr(const char *text, int c)
{
    for (;; text++) {
        if (*text == (char)c)
            return (char *)text;
        if (*text == '\0')
            return NULL;
    }
}

char *strrchr(const char *text, int c)
{
    const char *last = NULL;
    for (;; text++) {
        if (*text == (char)c)
            last = text;
        if (*text == '\0')
            return (char *)last;
    }
}

char *strcpy(char *restrict dest, const char *restrict src)
{
    return memcpy(dest, src, strlen(src) + 1);
}

char *strncpy(char *restrict dest, const char *restrict src, size_t n)
{
    size_t length = strnlen(src, n);
    memcpy(dest, src, length);
    memset(dest + length, '\0', n - length);
    return dest;
}

size_t strlcpy(char *restrict dest, const char *restrict src, size_t size)
{
    size_t length = strlen(src);
    if (size > 0) {
        size_t copied = length < size ? length : size - 1;
        memcpy(dest, src, copied);
        dest[copied] = '\0';
    }
    return length;
}

char *strcat(char *restrict dest, const char *restrict src)
{
    strcpy(dest + strlen(dest), src);
    return dest;
}

char *strstr(const char *haystack, const char *needle)
{
    size_t needle_length = strlen(needle);
    for (;; haystack++) {
        if (strncmp(haystack, needle, needle_length) == 0)
            return (char *)haystack;
        if (*haystack == '\0')
            return NULL;
    }
}

/* The value of c as a digit in bases up to 36; 36 or more means "not a digit". */
static int digit_value(char c)
{
    if (isdigit(c))
        return c - '0';
    if (isalpha(c))
        return tolower(c) - 'a' + 10;
    return 36;
}

/* What strtol and strtoul share: the text's magnitude, sign and end. */
struct parsed_number {
    unsigned long magnitude;
    bool negative;
    bool overflow; /* the digits exceeded ULONG_MAX; magnitude is meaningless */
    const char *end;
};

/* Settles base 0 and skips a "0x" prefix; a "0x" with no hex digit after it is
 * the number 0 followed by text "x...", as C requires. */
static const char *skip_base_prefix(const char *cursor, int *base)
{
    bool hex_prefix = cursor[0] == '0' && tolower(cursor[1]) == 'x' && digit_value(cursor[2]) < 16;
    if ((*base == 0 || *base == 16) && hex_prefix) {
        *base = 16;
        return cursor + 2;
    }
    if (*base == 0)
        *base = cursor[0] == '0' ? 8 : 10;
    return cursor;
}

static struct parsed_number parse_number(const char *text, int base)
{
    struct parsed_number parsed = {.end = text};
    if (base < 0 || base == 1 || base > 36)
        return parsed;
    const char *cursor = text;
    while (isspace(*cursor))
        cursor++;
    parsed.negative = *cursor == '-';
    if (*cursor == '-' || *cursor == '+')
        cursor++;
    cursor = skip_base_prefix(cursor, &base);
    const char *first_digit = cursor;
    for (int digit; (digit = digit_value(*cursor)) < base; cursor++) {
        if (parsed.magnitude > (~0UL - (unsigned long)digit) / (unsigned long)base)
            parsed.overflow = true;
        else
            parsed.magnitude = parsed.magnitude * (unsigned long)base + (unsigned long)digit;
    }
    if (cursor != first_digit)
        parsed.end = cursor;
    return parsed;
}

long strtol(const char *text, char **end, int base)
{
    struct parsed_number parsed = parse_number(text, base);
    if (end != NULL)
        *end = (char *)parsed.end;
    /* Clamping also yields exactly LONG_MIN for "-9223372036854775808". */
    if (parsed.overflow || parsed.magnitude > (unsigned long)__LONG_MAX__)
        return parsed.negative ? -__LONG_MAX__ - 1 : __LONG_MAX__;
    return parsed.negative ? -(long)parsed.magnitude : (long)parsed.magnitude;
}

unsigned long strtoul(const char *text, char **end, int base)
{
    struct parsed_number parsed = parse_number(text, base);
    if (end != NULL)
        *end = (char *)parsed.end;
    if (parsed.overflow)
        return ~0UL;
    return parsed.negative ? 0 - parsed.magnitude : parsed.magnitude;
}

int atoi(const char *text)
{
    return (int)strtol(text, NULL, 10);
}
