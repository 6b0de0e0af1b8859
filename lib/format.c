/*
 * format.c — the printf engine behind kprintf, user printf and format_snprintf.
 *
 * Each conversion goes through two steps: parse "%-08.3lx" into a struct
 * format_spec (flags, width, precision, length), then print the argument as
 * a field of sign, prefix, zeros, digits and space padding. The output never
 * touches memory itself; it goes out one character at a time through the
 * caller's emit function, so the same code serves a serial port and a buffer.
 * Not an OSTEP topic; it is the printf that OSTEP's examples call from ch. 5 on.
 */
#include "lib/format.h"
#include "lib/ctype.h"
#include "lib/string.h"

#include <stdbool.h>
#include <stdint.h>

/* The argument's type, as named by the length modifier. */
enum format_length {
    LENGTH_INT, /* none: int */
    LENGTH_CHAR,
    LENGTH_SHORT,
    LENGTH_LONG,
    LENGTH_LONG_LONG,
    LENGTH_SIZE,
    LENGTH_PTRDIFF,
    LENGTH_INTMAX,
};

struct format_spec {
    bool left_justify;   /* '-': pad on the right; beats '0' */
    bool zero_pad;       /* '0': pad numbers with zeros; ignored with a precision */
    bool plus_sign;      /* '+': "+5"; beats ' ' */
    bool space_sign;     /* ' ': " 5", so columns line up with negatives */
    bool alternate_form; /* '#': "0x" before nonzero hex, a leading 0 in octal */
    int width;           /* minimum field width, 0 = none */
    int precision;       /* -1 = none; digits for numbers, maximum length for %s */
    enum format_length length;
    char conversion;
};

struct format_output {
    format_emit_fn emit;
    void *context;
    int count;
};

/* Enough digits for any 64-bit value in octal, the longest base printed. */
#define FORMAT_MAX_DIGITS 22

static void output_char(struct format_output *out, char c)
{
    out->emit(c, out->context);
    out->count++;
}

static void output_repeat(struct format_output *out, char c, int times)
{
    for (; times > 0; times--)
        output_char(out, c);
}

static void output_text(struct format_output *out, const char *text, size_t length)
{
    for (size_t i = 0; i < length; i++)
        output_char(out, text[i]);
}

static bool parse_flag(struct format_spec *spec, char flag)
{
    switch (flag) {
    case '-':
        spec->left_justify = true;
        return true;
    case '0':
        spec->zero_pad = true;
        return true;
    case '+':
        spec->plus_sign = true;
        return true;
    case ' ':
        spec->space_sign = true;
        return true;
    case '#':
        spec->alternate_form = true;
        return true;
    default:
        return false;
    }
}

/* A width or precision: digits (saturating at INT_MAX) or '*' for an int argument. */
static const char *parse_count(const char *cursor, int *count, va_list *args)
{
    if (*cursor == '*') {
        *count = va_arg(*args, int);
        return cursor + 1;
    }
    for (*count = 0; isdigit(*cursor); cursor++) {
        int digit = *cursor - '0';
        *count = *count > (__INT_MAX__ - digit) / 10 ? __INT_MAX__ : *count * 10 + digit;
    }
    return cursor;
}

static const char *parse_length(const char *cursor, enum format_length *length)
{
    switch (*cursor) {
    case 'h':
        *length = cursor[1] == 'h' ? LENGTH_CHAR : LENGTH_SHORT;
        return cursor[1] == 'h' ? cursor + 2 : cursor + 1;
    case 'l':
        *length = cursor[1] == 'l' ? LENGTH_LONG_LONG : LENGTH_LONG;
        return cursor[1] == 'l' ? cursor + 2 : cursor + 1;
    case 'z':
        *length = LENGTH_SIZE;
        return cursor + 1;
    case 't':
        *length = LENGTH_PTRDIFF;
        return cursor + 1;
    case 'j':
        *length = LENGTH_INTMAX;
        return cursor + 1;
    default:
        *length = LENGTH_INT;
        return cursor;
    }
}

/* Parses what follows a '%' up to the conversion letter, taking '*' arguments. */
static const char *parse_spec(const char *cursor, struct format_spec *spec, va_list *args)
{
    *spec = (struct format_spec){.precision = -1};
    while (parse_flag(spec, *cursor))
        cursor++;
    cursor = parse_count(cursor, &spec->width, args);
    if (spec->width < 0) { /* a negative '*' width means '-' and its magnitude */
        spec->left_justify = true;
        spec->width = spec->width == -__INT_MAX__ - 1 ? __INT_MAX__ : -spec->width;
    }
    if (*cursor == '.') {
        cursor = parse_count(cursor + 1, &spec->precision, args);
        if (spec->precision < 0) /* a negative '*' precision counts as none */
            spec->precision = -1;
    }
    cursor = parse_length(cursor, &spec->length);
    spec->conversion = *cursor;
    return cursor;
}

/* Reads a signed argument of the spec's length, narrowed as C's promotions require. */
static intmax_t fetch_signed(enum format_length length, va_list *args)
{
    switch (length) {
    case LENGTH_CHAR:
        return (signed char)va_arg(*args, int);
    case LENGTH_SHORT:
        return (short)va_arg(*args, int);
    case LENGTH_LONG:
        return va_arg(*args, long);
    case LENGTH_LONG_LONG:
        return va_arg(*args, long long);
    case LENGTH_SIZE: /* the signed type of size_t's width */
        return (ptrdiff_t)va_arg(*args, size_t);
    case LENGTH_PTRDIFF:
        return va_arg(*args, ptrdiff_t);
    case LENGTH_INTMAX:
        return va_arg(*args, intmax_t);
    default:
        return va_arg(*args, int);
    }
}

static uintmax_t fetch_unsigned(enum format_length length, va_list *args)
{
    switch (length) {
    case LENGTH_CHAR:
        return (unsigned char)va_arg(*args, unsigned int);
    case LENGTH_SHORT:
        return (unsigned short)va_arg(*args, unsigned int);
    case LENGTH_LONG:
        return va_arg(*args, unsigned long);
    case LENGTH_LONG_LONG:
        return va_arg(*args, unsigned long long);
    case LENGTH_SIZE:
        return va_arg(*args, size_t);
    case LENGTH_PTRDIFF: /* the unsigned type of ptrdiff_t's width */
        return (size_t)va_arg(*args, ptrdiff_t);
    case LENGTH_INTMAX:
        return va_arg(*args, uintmax_t);
    default:
        return va_arg(*args, unsigned int);
    }
}

/* Writes value's digits so they end just before end; returns where they start. */
static char *write_digits(char *end, uintmax_t value, unsigned base, bool uppercase)
{
    const char *alphabet = uppercase ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        *--end = alphabet[value % base];
        value /= base;
    } while (value != 0);
    return end;
}

static const char *integer_prefix(const struct format_spec *spec, uintmax_t magnitude)
{
    if (spec->conversion == 'p')
        return "0x";
    if (spec->alternate_form && magnitude != 0 && spec->conversion == 'x')
        return "0x";
    if (spec->alternate_form && magnitude != 0 && spec->conversion == 'X')
        return "0X";
    return "";
}

/*
 * Prints [padding][sign][prefix][zeros][digits][padding]. sign is '-', '+',
 * ' ' or 0 for none. A precision of 0 prints the value 0 as no digits at all.
 */
static void print_integer(struct format_output *out, const struct format_spec *spec,
                          uintmax_t magnitude, char sign)
{
    char conversion = spec->conversion;
    unsigned base = conversion == 'o' ? 8 : conversion == 'u' || conversion == 'd' ? 10 : 16;
    char buffer[FORMAT_MAX_DIGITS];
    char *end = buffer + sizeof buffer;
    char *digits = end;
    if (magnitude != 0 || spec->precision != 0)
        digits = write_digits(end, magnitude, base, conversion == 'X');
    int digit_count = (int)(end - digits);
    int zeros = spec->precision > digit_count ? spec->precision - digit_count : 0;
    if (conversion == 'o' && spec->alternate_form && zeros == 0 &&
        (digit_count == 0 || *digits != '0'))
        zeros = 1; /* '#' octal always starts with 0 */
    const char *prefix = integer_prefix(spec, magnitude);
    int prefix_length = (int)strlen(prefix);
    int field = (sign != 0) + prefix_length + zeros + digit_count;
    int padding = spec->width > field ? spec->width - field : 0;
    bool pad_with_zeros = spec->zero_pad && !spec->left_justify && spec->precision < 0;
    if (!spec->left_justify && !pad_with_zeros)
        output_repeat(out, ' ', padding);
    if (sign != 0)
        output_char(out, sign);
    output_text(out, prefix, (size_t)prefix_length);
    output_repeat(out, '0', zeros + (pad_with_zeros ? padding : 0));
    output_text(out, digits, (size_t)digit_count);
    if (spec->left_justify)
        output_repeat(out, ' ', padding);
}

static void print_signed(struct format_output *out, struct format_spec *spec, va_list *args)
{
    intmax_t value = fetch_signed(spec->length, args);
    /* 0 - (uintmax_t)value is |value| even for INTMAX_MIN, where -value overflows. */
    uintmax_t magnitude = value < 0 ? 0 - (uintmax_t)value : (uintmax_t)value;
    char sign = value < 0 ? '-' : spec->plus_sign ? '+' : spec->space_sign ? ' ' : 0;
    spec->conversion = 'd'; /* %i is the same conversion */
    print_integer(out, spec, magnitude, sign);
}

/* Prints length characters of text, padded with spaces to the field width. */
static void print_text(struct format_output *out, const struct format_spec *spec, const char *text,
                       size_t length)
{
    int padding = spec->width > 0 && (size_t)spec->width > length ? spec->width - (int)length : 0;
    if (!spec->left_justify)
        output_repeat(out, ' ', padding);
    output_text(out, text, length);
    if (spec->left_justify)
        output_repeat(out, ' ', padding);
}

static void print_string(struct format_output *out, const struct format_spec *spec,
                         const char *text)
{
    if (text == NULL)
        text = "(null)";
    size_t length = spec->precision >= 0 ? strnlen(text, (size_t)spec->precision) : strlen(text);
    print_text(out, spec, text, length);
}

/* Prints the conversion whose '%' is at percent; returns the first character after it. */
static const char *print_conversion(struct format_output *out, const char *percent, va_list *args)
{
    struct format_spec spec;
    const char *cursor = parse_spec(percent + 1, &spec, args);
    char c;
    switch (spec.conversion) {
    case 'd':
    case 'i':
        print_signed(out, &spec, args);
        break;
    case 'u':
    case 'x':
    case 'X':
    case 'o':
        print_integer(out, &spec, fetch_unsigned(spec.length, args), 0);
        break;
    case 'p':
        print_integer(out, &spec, (uintptr_t)va_arg(*args, void *), 0);
        break;
    case 's':
        print_string(out, &spec, va_arg(*args, const char *));
        break;
    case 'c':
        c = (char)va_arg(*args, int);
        print_text(out, &spec, &c, 1);
        break;
    case '%':
        output_char(out, '%');
        break;
    case '\0': /* the format ended inside a conversion: print what there was */
        output_text(out, percent, (size_t)(cursor - percent));
        return cursor;
    default:
        output_text(out, percent, (size_t)(cursor + 1 - percent));
        break;
    }
    return cursor + 1;
}

int format_emit(format_emit_fn emit, void *context, const char *fmt, va_list args)
{
    struct format_output out = {.emit = emit, .context = context, .count = 0};
    va_list remaining; /* a copy, so helpers can take its address and advance it */
    va_copy(remaining, args);
    const char *cursor = fmt;
    while (*cursor != '\0') {
        if (*cursor == '%')
            cursor = print_conversion(&out, cursor, &remaining);
        else
            output_char(&out, *cursor++);
    }
    va_end(remaining);
    return out.count;
}

/* A buffer that keeps the first size - 1 characters and counts all of them. */
struct bounded_buffer {
    char *buffer;
    size_t size;
    size_t length; /* characters offered so far, stored or not */
};

static void emit_to_buffer(char c, void *context)
{
    struct bounded_buffer *bounded = context;
    if (bounded->length + 1 < bounded->size)
        bounded->buffer[bounded->length] = c;
    bounded->length++;
}

int format_vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
    struct bounded_buffer bounded = {.buffer = buf, .size = size, .length = 0};
    int total = format_emit(emit_to_buffer, &bounded, fmt, args);
    if (size > 0)
        buf[bounded.length < size ? bounded.length : size - 1] = '\0';
    return total;
}

int format_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int total = format_vsnprintf(buf, size, fmt, args);
    va_end(args);
    return total;
}
