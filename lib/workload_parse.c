/*
 * workload_parse.c — the workload file format of workload_parse.h.
 *
 * Line by line: a directive (!duration, !kargs) or a job. Each word of a job
 * line is checked on its own and the first bad one is named in the message,
 * so "3: 'cpu:abc': cpu wants a whole number of ms" points at the mistake.
 * Nothing is half-accepted: a file with any bad line yields no jobs at all.
 * OSTEP ch. 7-9 (the workloads the chapters reason about).
 */
#include "lib/workload_parse.h"
#include "lib/ctype.h"
#include "lib/format.h"
#include "lib/string.h"

#include <stdarg.h>

struct parser {
    int line;
    int *error_line;
    char *error;
    size_t error_size;
};

__attribute__((format(printf, 2, 3))) static int fail(struct parser *parser, const char *format,
                                                      ...)
{
    va_list arguments;
    va_start(arguments, format);
    format_vsnprintf(parser->error, parser->error_size, format, arguments);
    va_end(arguments);
    *parser->error_line = parser->line;
    return -1;
}

static char *next_word(char **cursor)
{
    while (**cursor && isspace((unsigned char)**cursor))
        (*cursor)++;
    if (!**cursor)
        return NULL;
    char *word = *cursor;
    while (**cursor && !isspace((unsigned char)**cursor))
        (*cursor)++;
    if (**cursor)
        *(*cursor)++ = '\0';
    return word;
}

/* A whole decimal number in [minimum, maximum]: no sign other than '-', no trailing junk. */
static bool read_number(const char *text, long minimum, long maximum, long *value)
{
    const char *digits = text[0] == '-' ? text + 1 : text;
    if (!isdigit((unsigned char)digits[0]))
        return false;
    char *end;
    long parsed = strtol(text, &end, 10);
    if (*end != '\0' || parsed < minimum || parsed > maximum)
        return false;
    *value = parsed;
    return true;
}

static int parse_burst(struct parser *parser, struct workload_job *job, char *word, bool cpu)
{
    const char *number = word + (cpu ? 4 : 3);
    long ms;
    if (!read_number(number, 1, WORKLOAD_MAX_MS, &ms))
        return fail(parser, "'%s': %s wants a whole number of ms from 1 to %ld", word,
                    cpu ? "cpu" : "io", WORKLOAD_MAX_MS);
    if (job->burst_count == WORKLOAD_MAX_BURSTS)
        return fail(parser, "job '%s' has more than %d bursts", job->name, WORKLOAD_MAX_BURSTS);
    job->bursts[job->burst_count++] = cpu ? ms : -ms;
    return 0;
}

static int parse_option(struct parser *parser, struct workload_job *job, char *word)
{
    char *equals = strchr(word, '=');
    long value;
    if (equals == NULL)
        return fail(parser,
                    "'%s' is not a burst or an option (want cpu:MS, io:MS, tickets=N, nice=N, "
                    "expected=MS)",
                    word);
    *equals = '\0';
    const char *key = word, *text = equals + 1;
    if (strcmp(key, "tickets") == 0) {
        if (!read_number(text, 1, WORKLOAD_MAX_TICKETS, &value))
            return fail(parser, "tickets=%s: tickets must be 1 to %d", text, WORKLOAD_MAX_TICKETS);
        job->tickets = value;
    } else if (strcmp(key, "nice") == 0) {
        if (!read_number(text, -20, 19, &value))
            return fail(parser, "nice=%s: nice must be -20 to 19", text);
        job->nice = value;
        job->nice_given = true;
    } else if (strcmp(key, "expected") == 0) {
        if (!read_number(text, 1, WORKLOAD_MAX_MS, &value))
            return fail(parser, "expected=%s: the expected run time must be 1 to %ld ms", text,
                        WORKLOAD_MAX_MS);
        job->expected_ms = value;
    } else {
        return fail(parser, "unknown option '%s=' (want tickets=, nice= or expected=)", key);
    }
    return 0;
}

static int parse_job(struct parser *parser, struct workload *workload, char *line)
{
    if (workload->job_count == WORKLOAD_MAX_JOBS)
        return fail(parser, "more than %d jobs", WORKLOAD_MAX_JOBS);
    struct workload_job *job = &workload->jobs[workload->job_count];
    memset(job, 0, sizeof(*job));
    char *cursor = line, *name = next_word(&cursor), *arrival = next_word(&cursor);
    if (strlen(name) >= WORKLOAD_NAME_MAX)
        return fail(parser, "job name '%s' is longer than %d characters", name,
                    WORKLOAD_NAME_MAX - 1);
    if (strchr(name, ':') || strchr(name, '='))
        return fail(parser, "'%s' is not a job name (a line is: NAME ARRIVAL_MS cpu:MS ...)", name);
    for (int i = 0; i < workload->job_count; i++)
        if (strcmp(workload->jobs[i].name, name) == 0)
            return fail(parser, "a second job named '%s' (names label the results)", name);
    strlcpy(job->name, name, sizeof(job->name));
    if (arrival == NULL)
        return fail(parser, "job '%s' has no arrival time (a line is: NAME ARRIVAL_MS cpu:MS ...)",
                    name);
    if (arrival[0] == '-' && isdigit((unsigned char)arrival[1]))
        return fail(parser, "job '%s': arrival %s is negative", name, arrival);
    if (!read_number(arrival, 0, WORKLOAD_MAX_MS, &job->arrival_ms))
        return fail(parser, "job '%s': arrival '%s' is not a whole number of ms", name, arrival);
    for (char *word; (word = next_word(&cursor)) != NULL;) {
        int result = strncmp(word, "cpu:", 4) == 0  ? parse_burst(parser, job, word, true)
                     : strncmp(word, "io:", 3) == 0 ? parse_burst(parser, job, word, false)
                                                    : parse_option(parser, job, word);
        if (result < 0)
            return result;
    }
    if (workload_cpu_ms(job) == 0)
        return fail(parser, "job '%s' has no cpu:MS burst", name);
    workload->job_count++;
    return 0;
}

static int parse_directive(struct parser *parser, struct workload *workload, char *line)
{
    char *cursor = line, *word = next_word(&cursor);
    if (strcmp(word, "!duration") == 0) {
        char *value = next_word(&cursor);
        if (value == NULL || !read_number(value, 1, WORKLOAD_MAX_MS, &workload->duration_ms) ||
            next_word(&cursor) != NULL)
            return fail(parser, "!duration wants one whole number of ms from 1 to %ld",
                        WORKLOAD_MAX_MS);
        return 0;
    }
    if (strcmp(word, "!kargs") == 0) {
        while (*cursor && isspace((unsigned char)*cursor))
            cursor++;
        if (*cursor == '\0')
            return fail(parser, "!kargs wants kernel arguments, e.g. !kargs quantum=1");
        if (strlcpy(workload->kargs, cursor, sizeof(workload->kargs)) >= sizeof(workload->kargs))
            return fail(parser, "!kargs is longer than %d characters", WORKLOAD_KARGS_MAX - 1);
        return 0;
    }
    return fail(parser, "unknown directive '%s' (want !duration or !kargs)", word);
}

int workload_parse(char *text, struct workload *workload, int *error_line, char *error,
                   size_t error_size)
{
    struct parser parser = {0, error_line, error, error_size};
    memset(workload, 0, sizeof(*workload));
    workload->duration_ms = -1;
    for (const char *c = text; *c; c++)
        if (!isprint((unsigned char)*c) && !isspace((unsigned char)*c))
            return fail(&parser, "not a workload file (it holds binary data)");
    for (char *line = text; line && *line;) {
        parser.line++;
        char *end = strchr(line, '\n');
        if (end)
            *end = '\0';
        while (isspace((unsigned char)*line))
            line++;
        int result = 0;
        if (*line == '!')
            result = parse_directive(&parser, workload, line);
        else if (*line && *line != '#')
            result = parse_job(&parser, workload, line);
        if (result < 0) {
            workload->job_count = 0;
            return result;
        }
        line = end ? end + 1 : NULL;
    }
    if (workload->job_count == 0) {
        parser.line = 0;
        return fail(&parser, "no jobs in it (a line is: NAME ARRIVAL_MS cpu:MS ...)");
    }
    return 0;
}

long workload_cpu_ms(const struct workload_job *job)
{
    long total = 0;
    for (int i = 0; i < job->burst_count; i++)
        if (job->bursts[i] > 0)
            total += job->bursts[i];
    return total;
}
