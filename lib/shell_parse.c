/*
 * shell_parse.c — a one-pass parser from a command line to jobs and argv arrays.
 *
 * The line is read left to right once. Blanks separate words; a word (quotes
 * and all) is copied into out->text with its NUL and appended to the command
 * being built; '|', ';' and '&' close that command, and ';' and '&' also close
 * its job. The command and job being built are always the next free slots,
 * jobs[job_count].commands[command_count], so closing one is a counter
 * increment and there is nothing to undo on error. '<' reads one more word,
 * the file name, into the same text but not into argv. Grammar: lib/shell_parse.h.
 * OSTEP ch. 5 (Interlude: Process API).
 */
#include "lib/shell_parse.h"
#include "lib/ctype.h"
#include "lib/errno.h"
#include "lib/string.h"

#include <stddef.h>

#define STRINGIFY(x) #x
#define LIMIT_TEXT(x) STRINGIFY(x)

static const char TOO_LONG[] =
    "line too long (the limit is " LIMIT_TEXT(SHELL_MAX_TEXT) " bytes of words)";
static const char TOO_MANY_JOBS[] =
    "too many jobs on one line (the limit is " LIMIT_TEXT(SHELL_MAX_JOBS) ")";
static const char TOO_MANY_COMMANDS[] =
    "too many commands in one pipeline (the limit is " LIMIT_TEXT(SHELL_MAX_COMMANDS) ")";
static const char TOO_MANY_WORDS[] =
    "too many words in one command (the limit is " LIMIT_TEXT(SHELL_MAX_ARGS) ")";

struct parser {
    const char *cursor; /* the next character to read */
    struct shell_line *out;
    size_t text_used; /* bytes of out->text holding finished or partial words */
    const char *error;
};

static int fail(struct parser *parser, int code, const char *message)
{
    parser->error = message;
    return code;
}

static bool is_operator(char c)
{
    return c == '|' || c == ';' || c == '&' || c == '<' || c == '>';
}

/* The job being built, or NULL when all SHELL_MAX_JOBS slots are finished. */
static struct shell_job *open_job(struct parser *parser)
{
    struct shell_line *out = parser->out;
    return out->job_count < SHELL_MAX_JOBS ? &out->jobs[out->job_count] : NULL;
}

/* The command being built, or NULL when there is no free slot for it. */
static struct shell_command *open_command(struct parser *parser)
{
    struct shell_job *job = open_job(parser);
    if (job == NULL || job->command_count == SHELL_MAX_COMMANDS)
        return NULL;
    return &job->commands[job->command_count];
}

static bool open_command_is_empty(struct parser *parser)
{
    struct shell_command *command = open_command(parser);
    return command == NULL || (command->argc == 0 && command->input == NULL);
}

/* A command with a '<' file must also have a program to run. */
static int check_command(struct parser *parser)
{
    struct shell_command *command = open_command(parser);
    if (command != NULL && command->argc == 0 && command->input != NULL)
        return fail(parser, -EINVAL, "missing command for '<'");
    return 0;
}

static int put_char(struct parser *parser, char c)
{
    if (parser->text_used == SHELL_MAX_TEXT)
        return fail(parser, -E2BIG, TOO_LONG);
    parser->out->text[parser->text_used++] = c;
    return 0;
}

/* Copies the quoted text after an opening quote up to its closing quote. */
static int read_quoted(struct parser *parser, char quote)
{
    const char *cursor = parser->cursor + 1;
    for (; *cursor != quote; cursor++) {
        if (*cursor == '\0')
            return fail(parser, -EINVAL, "unterminated quote");
        if (quote == '"' && *cursor == '\\' && (cursor[1] == '"' || cursor[1] == '\\'))
            cursor++;
        int result = put_char(parser, *cursor);
        if (result < 0)
            return result;
    }
    parser->cursor = cursor + 1;
    return 0;
}

static int add_word(struct parser *parser, char *word)
{
    if (open_job(parser) == NULL)
        return fail(parser, -E2BIG, TOO_MANY_JOBS);
    struct shell_command *command = open_command(parser);
    if (command == NULL)
        return fail(parser, -E2BIG, TOO_MANY_COMMANDS);
    if (command->argc == SHELL_MAX_ARGS)
        return fail(parser, -E2BIG, TOO_MANY_WORDS);
    command->argv[command->argc++] = word; /* argv[argc] stays NULL from the memset */
    return 0;
}

/* Copies one word starting at the cursor, which is not a blank or an
 * operator, into out->text; *word points at it. */
static int read_text(struct parser *parser, char **word)
{
    *word = parser->out->text + parser->text_used;
    int result = 0;
    while (result == 0) {
        char c = *parser->cursor;
        if (c == '\0' || isspace(c) || is_operator(c))
            break;
        if (c == '\'' || c == '"') {
            result = read_quoted(parser, c);
        } else {
            result = put_char(parser, c);
            parser->cursor++;
        }
    }
    return result == 0 ? put_char(parser, '\0') : result;
}

static int read_word(struct parser *parser)
{
    char *word;
    int result = read_text(parser, &word);
    return result == 0 ? add_word(parser, word) : result;
}

/* After '<': the file name. */
static int read_input_file(struct parser *parser)
{
    while (isspace(*parser->cursor))
        parser->cursor++;
    char c = *parser->cursor;
    if (c == '\0' || c == '#' || is_operator(c))
        return fail(parser, -EINVAL, "missing file name after '<'");
    if (open_job(parser) == NULL)
        return fail(parser, -E2BIG, TOO_MANY_JOBS);
    struct shell_command *command = open_command(parser);
    if (command == NULL)
        return fail(parser, -E2BIG, TOO_MANY_COMMANDS);
    if (command->input != NULL)
        return fail(parser, -EINVAL, "more than one '<' for one command");
    if (open_job(parser)->command_count > 0)
        return fail(parser, -EINVAL, "only the first command of a pipeline can read a file ('<')");
    return read_text(parser, &command->input);
}

static int end_command(struct parser *parser)
{
    if (check_command(parser) < 0)
        return -EINVAL;
    if (open_command_is_empty(parser))
        return fail(parser, -EINVAL, "missing command before '|'");
    open_job(parser)->command_count++;
    return 0;
}

/* Ends the job being built at a ';', a '&' or the end of the line. */
static int end_job(struct parser *parser, bool background)
{
    struct shell_job *job = open_job(parser);
    if (check_command(parser) < 0)
        return -EINVAL;
    if (open_command_is_empty(parser)) {
        if (job != NULL && job->command_count > 0)
            return fail(parser, -EINVAL, "missing command after '|'");
        return 0; /* an empty job, like "; ;": nothing to run */
    }
    job->command_count++;
    job->background = background;
    parser->out->job_count++;
    return 0;
}

static int read_operator(struct parser *parser)
{
    char c = *parser->cursor++;
    if (c == '<')
        return read_input_file(parser);
    if (c == '>')
        return fail(parser, -EINVAL, "cannot redirect output ('>'): Prism's files are read-only");
    if (c == '|')
        return end_command(parser);
    if (c == '&' && *parser->cursor == '&')
        return fail(parser, -EINVAL, "'&&' is not supported; use ';' to run one job after another");
    return end_job(parser, c == '&');
}

int shell_parse(const char *line, struct shell_line *out, const char **error)
{
    struct parser parser = {.cursor = line, .out = out, .text_used = 0, .error = NULL};
    memset(out, 0, sizeof *out);
    int result = 0;
    while (result == 0) {
        while (isspace(*parser.cursor))
            parser.cursor++;
        char c = *parser.cursor;
        if (c == '\0' || c == '#') {
            result = end_job(&parser, false);
            break;
        }
        result = is_operator(c) ? read_operator(&parser) : read_word(&parser);
    }
    if (result < 0) {
        out->job_count = 0;
        if (error != NULL)
            *error = parser.error;
    }
    return result;
}
