/*
 * ctype.h — character classes for parsing: digits, letters, spaces, case.
 *
 * The kernel's command-line parser, the shell and strtol() all ask "is this a
 * digit / a space?". Prism knows only the C locale's ASCII, so each test is a
 * range comparison rather than a lookup table: any int is a safe argument,
 * including a negative plain char (a byte >= 0x80), which is never in a class.
 * Not an OSTEP topic; it is plumbing for the parsers in OSTEP ch. 5's shell.
 *
 * Host builds (PRISM_HOST): the host's <ctype.h> defines these names as macros,
 * so it is included here first and every name is renamed to prism_<name>.
 * Include system headers before this one, so none of them sees the renaming.
 */
#ifndef PRISM_LIB_CTYPE_H
#define PRISM_LIB_CTYPE_H

#ifdef PRISM_HOST
#include <ctype.h>
#undef isdigit
#undef isxdigit
#undef isspace
#undef isalpha
#undef isalnum
#undef isupper
#undef islower
#undef isprint
#undef toupper
#undef tolower
#define isdigit prism_isdigit
#define isxdigit prism_isxdigit
#define isspace prism_isspace
#define isalpha prism_isalpha
#define isalnum prism_isalnum
#define isupper prism_isupper
#define islower prism_islower
#define isprint prism_isprint
#define toupper prism_toupper
#define tolower prism_tolower
#endif

static inline int isdigit(int c)
{
    return c >= '0' && c <= '9';
}

static inline int isupper(int c)
{
    return c >= 'A' && c <= 'Z';
}

static inline int islower(int c)
{
    return c >= 'a' && c <= 'z';
}

static inline int isalpha(int c)
{
    return isupper(c) || islower(c);
}

static inline int isalnum(int c)
{
    return isalpha(c) || isdigit(c);
}

static inline int isxdigit(int c)
{
    return isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Space, and the five controls '\t' '\n' '\v' '\f' '\r', which are contiguous. */
static inline int isspace(int c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Printable: space through '~'; DEL (0x7f) and all controls are not. */
static inline int isprint(int c)
{
    return c >= ' ' && c <= '~';
}

static inline int toupper(int c)
{
    return islower(c) ? c - 'a' + 'A' : c;
}

static inline int tolower(int c)
{
    return isupper(c) ? c - 'A' + 'a' : c;
}

#endif
