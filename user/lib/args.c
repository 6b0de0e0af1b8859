/*
 * args.c — taking a program's arguments one at a time, with one-line errors.
 *
 * argv is never reordered: a bit per argument records which have been taken
 * (by a flag anywhere, or as the next positional one), so flags may sit
 * anywhere and args_finish can name the first argument nobody took. Numbers
 * are decimal and must be whole words in range ("5x" and "" are errors,
 * unlike a bare strtol). Pure logic over argv with lib/ helpers; output goes
 * through args_print, so a host test (tests/unit/test_args.c) checks every
 * message. OSTEP ch. 5.
 */
#include "user/lib/args.h"
#include "lib/format.h"
#include "lib/string.h"

#include <stdarg.h>

#define MESSAGE_SIZE 256
#define PID_MAX 0x7fffffffL

static bool is_help(const char *word)
{
    return strcmp(word, "--help") == 0 || strcmp(word, "-h") == 0;
}

static bool is_taken(const struct args *args, int index)
{
    return index >= ARGS_MAX || (args->used >> index & 1);
}

static void take(struct args *args, int index)
{
    if (index < ARGS_MAX)
        args->used |= 1ULL << index;
}

void args_begin(struct args *args, int argc, char **argv, const char *usage, const char *summary)
{
    *args = (struct args){.argc = argc, .argv = argv, .usage = usage, .summary = summary};
    args->program = argc > 0 && argv[0] != NULL ? argv[0] : "?";
    const char *slash = strrchr(args->program, '/');
    if (slash != NULL)
        args->program = slash + 1;
    args->used = 1; /* argv[0] */
    args->next = 1;
    for (int i = 1; i < argc; i++)
        if (is_help(argv[i]))
            args->stop = true; /* answered by args_finish; status stays 0 */
}

/* Appends to a message, never past its end (a cut message still ends in '\n'). */
__attribute__((format(printf, 3, 4))) static void append(char message[MESSAGE_SIZE], size_t *length,
                                                         const char *fmt, ...)
{
    va_list list;
    va_start(list, fmt);
    if (*length < MESSAGE_SIZE - 1)
        *length +=
            (size_t)format_vsnprintf(message + *length, MESSAGE_SIZE - 1 - *length, fmt, list);
    va_end(list);
    if (*length > MESSAGE_SIZE - 2)
        *length = MESSAGE_SIZE - 2;
}

static void print_usage_line(const struct args *args, int fd, const char *before, const char *after)
{
    char message[MESSAGE_SIZE];
    size_t length = 0;
    append(message, &length, "%susage: %s%s%s%s", before, args->program,
           args->usage[0] != '\0' ? " " : "", args->usage, after);
    message[length] = '\n';
    message[length + 1] = '\0';
    args_print(fd, message);
}

static int args_verror(struct args *args, const char *fmt, va_list list)
{
    if (args->stop)
        return -1;
    char problem[MESSAGE_SIZE], before[MESSAGE_SIZE];
    format_vsnprintf(problem, sizeof problem, fmt, list);
    format_snprintf(before, sizeof before, "%s: %s (", args->program, problem);
    print_usage_line(args, 2, before, ")");
    args->stop = true;
    args->status = ARGS_BAD_STATUS;
    return -1;
}

int args_error(struct args *args, const char *fmt, ...)
{
    va_list list;
    va_start(list, fmt);
    args_verror(args, fmt, list);
    va_end(list);
    return -1;
}

bool args_flag(struct args *args, const char *option)
{
    bool found = false;
    for (int i = 1; i < args->argc && i < ARGS_MAX; i++)
        if (!is_taken(args, i) && strcmp(args->argv[i], option) == 0) {
            take(args, i);
            found = true;
        }
    return found;
}

/* The index of the next untaken argument, or argc. */
static int next_index(const struct args *args)
{
    int i = args->next;
    while (i < args->argc && i < ARGS_MAX && is_taken(args, i))
        i++;
    return i < ARGS_MAX ? i : args->argc;
}

/* False once stopped: nothing more will be taken, so a loop over it ends. */
bool args_more(const struct args *args)
{
    return !args->stop && next_index(args) < args->argc;
}

const char *args_peek(const struct args *args)
{
    return args_more(args) ? args->argv[next_index(args)] : NULL;
}

/* Takes the next positional argument into *word; with required, a missing
 * one is an error. Returns 1 taken, 0 none left, -1 stopped. */
static int take_next(struct args *args, const char *what, bool required, const char **word)
{
    if (args->stop)
        return -1;
    int index = next_index(args);
    if (index >= args->argc)
        return required ? args_error(args, "missing %s", what) : 0;
    take(args, index);
    args->next = index + 1;
    *word = args->argv[index];
    return 1;
}

int args_text(struct args *args, const char *what, const char **value)
{
    return take_next(args, what, true, value) < 0 ? -1 : 0;
}

/* A word that looks like an option is one: "ls -l" must not look for a file "-l". */
int args_word(struct args *args, const char *what, const char **value)
{
    const char *word = NULL;
    if (args_text(args, what, &word) < 0)
        return -1;
    if (word[0] == '-' && word[1] != '\0')
        return args_error(args, "unknown option '%s'", word);
    *value = word;
    return 0;
}

static int parse_number(struct args *args, const char *what, const char *word, long min, long max,
                        long *value)
{
    char *end;
    long number = strtol(word, &end, 10);
    if (end == word || *end != '\0')
        return args_error(args, "'%s' is not a number (%s)", word, what);
    if (number < min || number > max)
        return args_error(args, "%s %s is out of range (%ld to %ld)", what, word, min, max);
    *value = number;
    return 0;
}

int args_number(struct args *args, const char *what, long min, long max, long *value)
{
    const char *word;
    if (take_next(args, what, true, &word) < 0)
        return -1;
    return parse_number(args, what, word, min, max, value);
}

int args_optional_number(struct args *args, const char *what, long min, long max, long *value)
{
    const char *word;
    int taken = take_next(args, what, false, &word);
    if (taken <= 0)
        return taken;
    return parse_number(args, what, word, min, max, value);
}

int args_pid(struct args *args, int *pid)
{
    long value;
    if (args_number(args, "PID", 1, PID_MAX, &value) < 0)
        return -1;
    *pid = (int)value;
    return 0;
}

int args_optional_pid(struct args *args, int *pid)
{
    long value = *pid;
    if (args_optional_number(args, "PID", 1, PID_MAX, &value) < 0)
        return -1;
    *pid = (int)value;
    return 0;
}

int args_address(struct args *args, const char *what, unsigned long *value)
{
    const char *word;
    if (take_next(args, what, true, &word) < 0)
        return -1;
    const char *digits =
        strncmp(word, "0x", 2) == 0 || strncmp(word, "0X", 2) == 0 ? word + 2 : word;
    char *end;
    unsigned long address = strtoul(digits, &end, 16);
    if (end == digits || *end != '\0' || digits[0] == '-' || digits[0] == '+' ||
        strlen(digits) > 16)
        return args_error(args, "'%s' is not an address (%s, in hex)", word, what);
    *value = address;
    return 0;
}

int args_finish(struct args *args)
{
    if (args->stop && args->status == 0) {
        print_usage_line(args, 1, "", "");
        args_print(1, "  ");
        args_print(1, args->summary);
        args_print(1, "\n");
        return -1;
    }
    if (args->stop)
        return -1;
    if (args->argc > ARGS_MAX)
        return args_error(args, "too many arguments (%d)", args->argc - 1);
    for (int i = 1; i < args->argc; i++) {
        if (is_taken(args, i))
            continue;
        const char *word = args->argv[i];
        if (word[0] == '-' && word[1] != '\0')
            return args_error(args, "unknown option '%s'", word);
        return args_error(args, "unexpected argument '%s'", word);
    }
    return 0;
}
