/*
 * args.h — one way for every program to read its arguments and complain.
 *
 * A program describes its arguments as it takes them: args_begin names the
 * usage line, then flags (args_flag) and positional arguments in order
 * (args_pid, args_number, args_address, args_word ...), then args_finish.
 * The first thing wrong stops everything and is said in one line on stderr,
 * naming the program, the argument and what was expected:
 *     pagewalk: 'zz' is not an address (usage: pagewalk PID ADDRESS)
 * and the program exits with ARGS_BAD_STATUS; `--help` (or -h) anywhere prints
 * the usage and the summary on stdout and exits 0. After a failure every
 * later call does nothing, so a program checks once, at args_finish:
 *     if (args_finish(&args) < 0)
 *         return args.status;
 * Arguments are only read, never changed. OSTEP ch. 5 (argv, as exec passes it).
 */
#ifndef PRISM_USER_LIB_ARGS_H
#define PRISM_USER_LIB_ARGS_H

#include <stdbool.h>

#define ARGS_BAD_STATUS 2 /* like every Unix tool given a wrong argument */
#define ARGS_MAX 64       /* arguments looked at; more are "too many" */

struct args {
    int argc;
    char **argv;
    const char *program;     /* argv[0], or the name given to args_begin when argv is empty */
    const char *usage;       /* what follows the name: "PID ADDRESS" */
    const char *summary;     /* one line on what the program does, for --help */
    unsigned long long used; /* bit i: argv[i] has been taken */
    int next;                /* the first argument not yet considered positional */
    bool stop;               /* --help was asked for, or something was wrong */
    int status;              /* what main should return once stop is set */
};

void args_begin(struct args *args, int argc, char **argv, const char *usage, const char *summary);

/* True if the option (such as "-c") appears anywhere; takes it out of the
 * positional arguments. */
bool args_flag(struct args *args, const char *option);

/* Whether a positional argument is left to take, and a look at it (NULL if
 * none). Both say none once --help was asked for or something was wrong, so
 * `while (args_more(&args)) args_word(...)` always ends. */
bool args_more(const struct args *args);
const char *args_peek(const struct args *args);

/* Each takes the next positional argument; what names it in messages
 * ("PID", "COUNT"). A missing argument is an error unless the call is the
 * _optional kind, which leaves *value alone when none is left. Return 0, or
 * -1 once anything is wrong. */
int args_word(struct args *args, const char *what, const char **value); /* "-x": unknown option */
int args_text(struct args *args, const char *what, const char **value); /* anything, "-x" too */
int args_number(struct args *args, const char *what, long min, long max, long *value);
int args_optional_number(struct args *args, const char *what, long min, long max, long *value);
int args_pid(struct args *args, int *pid);
int args_optional_pid(struct args *args, int *pid);
int args_address(struct args *args, const char *what, unsigned long *value); /* hex, 0x optional */

/* Reports a problem the program found itself ("'XY' is not a signal"), in
 * the same one-line form; printf-style. Returns -1. */
__attribute__((format(printf, 2, 3))) int args_error(struct args *args, const char *fmt, ...);

/* Every argument must have been taken: a leftover one is an unknown option
 * or an extra argument. Answers --help. Returns 0 to go on, -1 to return
 * args->status from main. */
int args_finish(struct args *args);

/* Where messages go: user/lib/args_print.c writes them to fd 1 (help) or 2
 * (errors); a host test supplies its own to capture them. */
void args_print(int fd, const char *text);

#endif
