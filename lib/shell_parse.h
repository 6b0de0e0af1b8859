/*
 * shell_parse.h — turning one typed command line into jobs, pipelines and argv.
 *
 * The shell (user/programs/sh.c) reads a line, hands it here, and gets back
 * what to fork and exec: a list of jobs, each a pipeline of commands, each an
 * argv array ready for execv(). Parsing touches no system call, so the same
 * code runs in the shell and in a host unit test. All storage is inside the
 * caller's struct shell_line: nothing is allocated, and every limit is checked.
 * OSTEP ch. 5 (Interlude: Process API) builds exactly this shell.
 *
 * The grammar, a small subset of POSIX sh:
 *   - words are split on blanks (space, tab, newline, ...);
 *   - 'single quotes' keep everything literally; "double quotes" keep
 *     everything except \" and \\, which stand for " and \; quoted text may
 *     sit next to plain text in one word (a'b c'd is the word "ab cd"), and
 *     '' is an empty word; a backslash outside double quotes is an ordinary
 *     character;
 *   - '|' joins the commands of a pipeline, ';' ends a foreground job and
 *     '&' ends a background job; the end of the line acts like ';';
 *   - '#' at the start of a word comments out the rest of the line (a#b is
 *     one word);
 *   - an empty job ("; ;", "a & ;", a trailing ';' or '&') is ignored, but an
 *     empty command inside a pipeline ("a | | b", "| a", "a |") is an error,
 *     and so is "&&" (Prism's shell has no conditional jobs);
 *   - '< FILE' makes a command read its standard input from FILE (an initrd
 *     file such as /etc/motd); only the first command of a pipeline may have
 *     one, and only one. '>' is refused with a message: Prism's files are
 *     read-only, so there is nowhere to write. Both end a word (cat<f works);
 *   - '$' has no special meaning.
 */
#ifndef PRISM_LIB_SHELL_PARSE_H
#define PRISM_LIB_SHELL_PARSE_H

#include <stdbool.h>

#define SHELL_MAX_JOBS 16    /* jobs on one line */
#define SHELL_MAX_COMMANDS 8 /* commands in one pipeline */
#define SHELL_MAX_ARGS 32    /* words in one command */
#define SHELL_MAX_TEXT 1024  /* bytes of all words, each with its NUL */

/* One program to run: argv[0 .. argc - 1] are words, argv[argc] is NULL. */
struct shell_command {
    int argc; /* >= 1 after a successful parse */
    char *argv[SHELL_MAX_ARGS + 1];
    char *input; /* the file after '<', or NULL: keep the shell's stdin */
};

/* command[0] | command[1] | ... , run in the background when background is true. */
struct shell_job {
    int command_count; /* >= 1 after a successful parse */
    bool background;
    struct shell_command commands[SHELL_MAX_COMMANDS];
};

/* A whole line; the argv pointers point into text, so the struct owns all words. */
struct shell_line {
    int job_count; /* 0 for a blank line or a comment */
    struct shell_job jobs[SHELL_MAX_JOBS];
    char text[SHELL_MAX_TEXT];
};

/*
 * Parses line (NUL-terminated; a trailing newline is just a blank) into *out.
 * Returns 0 on success. On failure returns -EINVAL for a syntax error or
 * -E2BIG when a limit above is exceeded, sets out->job_count to 0, and sets
 * *error (when error is not NULL) to a message the shell prints after "sh: ",
 * such as "unterminated quote" or "missing command before '|'".
 */
int shell_parse(const char *line, struct shell_line *out, const char **error);

#endif
