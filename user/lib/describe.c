/*
 * describe.c — tables from errno and signal numbers to their names.
 *
 * Two small lookup tables, kept in the order of lib/errno.h and
 * lib/syscall_abi.h so a new entry there has an obvious place here. The
 * wording follows the comments in lib/errno.h, in lower case like
 * the rest of Prism's messages. OSTEP ch. 5.
 */
#include "user/lib/describe.h"
#include "lib/ctype.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "lib/syscall_abi.h"

#include <stdbool.h>
#include <stddef.h>

struct number_name {
    int number;
    const char *name;
};

static const struct number_name error_names[] = {
    {EPERM, "operation not permitted"},
    {ENOENT, "no such file or directory"},
    {ESRCH, "no such process"},
    {EINTR, "interrupted"},
    {EIO, "input/output error"},
    {E2BIG, "argument list too long"},
    {ENOEXEC, "not a valid executable"},
    {EBADF, "bad file descriptor"},
    {ECHILD, "no child processes"},
    {EAGAIN, "try again"},
    {ENOMEM, "out of memory"},
    {EFAULT, "bad address"},
    {EBUSY, "resource busy"},
    {EEXIST, "already exists"},
    {ENODEV, "no such device"},
    {ENOTDIR, "not a directory"},
    {EISDIR, "is a directory"},
    {EINVAL, "invalid argument"},
    {ENFILE, "too many open files in the system"},
    {EMFILE, "too many open files"},
    {ENOTTY, "not a terminal"},
    {ENOSPC, "no space left"},
    {ESPIPE, "illegal seek"},
    {EPIPE, "broken pipe"},
    {ERANGE, "result out of range"},
    {ENAMETOOLONG, "name too long"},
    {ENOSYS, "no such system call"},
};

static const struct number_name signal_names[] = {
    {SIGINT, "SIGINT"},   {SIGILL, "SIGILL"},   {SIGTRAP, "SIGTRAP"},
    {SIGFPE, "SIGFPE"},   {SIGKILL, "SIGKILL"}, {SIGSEGV, "SIGSEGV"},
    {SIGPIPE, "SIGPIPE"}, {SIGTERM, "SIGTERM"}, {SIGSYS, "SIGSYS"},
};

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

static const char *lookup(const struct number_name *table, size_t count, int number)
{
    for (size_t i = 0; i < count; i++)
        if (table[i].number == number)
            return table[i].name;
    return NULL;
}

const char *strerror(int error)
{
    const char *text = lookup(error_names, COUNT(error_names), error < 0 ? -error : error);
    return text != NULL ? text : "unknown error";
}

const char *signal_name(int signal)
{
    return lookup(signal_names, COUNT(signal_names), signal);
}

/* Compares ignoring ASCII case: "kill" names SIGKILL as well as "KILL". */
static bool same_word(const char *left, const char *right)
{
    for (; *left != '\0' && *right != '\0'; left++, right++)
        if (toupper(*left) != toupper(*right))
            return false;
    return *left == *right;
}

int signal_from_name(const char *name)
{
    if (isdigit(*name)) {
        char *end;
        long number = strtol(name, &end, 10);
        return *end == '\0' && number > 0 && number < 128 ? (int)number : -EINVAL;
    }
    for (size_t i = 0; i < COUNT(signal_names); i++) {
        const char *full = signal_names[i].name; /* "SIGKILL"; "KILL" is full + 3 */
        if (same_word(name, full) || same_word(name, full + 3))
            return signal_names[i].number;
    }
    return -EINVAL;
}
