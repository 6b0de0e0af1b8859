/*
 * trace_format.c — splits a trace line into fields and checks them (format v1).
 *
 * A table says which keys each known event needs; everything else about a
 * line is tolerated, because the kernel's format will grow: unknown events
 * keep only their time, unknown keys are skipped, later keys win. What cannot
 * be read is reported as malformed, never guessed. OSTEP ch. 7's events.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tools/trace_format.h"

#define TOKENS_MAX 32

/* Which keys a known event needs; NULL where the event has no such field. */
struct event_syntax {
    const char *word;
    enum trace_event_kind kind;
    const char *pid_key, *other_pid_key, *name_key, *value_key;
};

static const struct event_syntax event_syntaxes[] = {
    {"switch", TRACE_EVENT_SWITCH, "from", "to", "why", NULL},
    {"fork", TRACE_EVENT_FORK, "pid", "parent", "name", NULL},
    {"exec", TRACE_EVENT_EXEC, "pid", NULL, "name", NULL},
    {"name", TRACE_EVENT_NAME, "pid", NULL, "name", NULL},
    {"block", TRACE_EVENT_BLOCK, "pid", NULL, NULL, NULL},
    {"wake", TRACE_EVENT_WAKE, "pid", NULL, NULL, NULL},
    {"exit", TRACE_EVENT_EXIT, "pid", NULL, NULL, "status"},
    {"policy", TRACE_EVENT_POLICY, NULL, NULL, "name", NULL},
    {"param", TRACE_EVENT_PARAM, "pid", NULL, "name", "value"},
    {"dropped", TRACE_EVENT_DROPPED, NULL, NULL, NULL, "count"},
    {"arrive", TRACE_EVENT_ARRIVE, "pid", NULL, NULL, NULL},
    {"boost", TRACE_EVENT_BOOST, NULL, NULL, NULL, NULL},
    {"group", TRACE_EVENT_GROUP, "pid", "group", "name", NULL},
    {"group_end", TRACE_EVENT_GROUP_END, NULL, "group", "name", NULL},
    {"vmenter", TRACE_EVENT_VM_ENTER, "pid", NULL, NULL, NULL},
    {"vmexit", TRACE_EVENT_VM_EXIT, "pid", NULL, "reason", "exits"},
    {"vmend", TRACE_EVENT_VM_END, "pid", NULL, NULL, "exits"},
};

static const char *const switch_reason_words[] = {
    [TRACE_SWITCH_PREEMPT] = "preempt", [TRACE_SWITCH_BLOCK] = "block",
    [TRACE_SWITCH_EXIT] = "exit",       [TRACE_SWITCH_YIELD] = "yield",
    [TRACE_SWITCH_START] = "start",
};

void trace_copy_name(char destination[TRACE_NAME_SIZE], const char *source)
{
    size_t length = strnlen(source, TRACE_NAME_SIZE - 1);
    memcpy(destination, source, length);
    destination[length] = '\0';
}

static bool parse_integer(const char *text, int64_t minimum, int64_t maximum, int64_t *value)
{
    if (text == NULL || text[0] == '\0' || text[0] == ' ' || text[0] == '+')
        return false;
    char *end;
    errno = 0;
    long long parsed = strtoll(text, &end, 10);
    if (*end != '\0' || errno == ERANGE || parsed < minimum || parsed > maximum)
        return false;
    *value = parsed;
    return true;
}

/* The value of the last `key=...` among the fields, or NULL. */
static const char *field_value(char *const *tokens, size_t count, const char *key)
{
    size_t key_length = strlen(key);
    const char *value = NULL;
    for (size_t i = 0; i < count; i++)
        if (strncmp(tokens[i], key, key_length) == 0 && tokens[i][key_length] == '=')
            value = tokens[i] + key_length + 1;
    return value;
}

static bool parse_pid(char *const *fields, size_t count, const char *key, int *pid)
{
    int64_t value;
    if (key == NULL)
        return true;
    if (!parse_integer(field_value(fields, count, key), 0, INT_MAX, &value))
        return false;
    *pid = (int)value;
    return true;
}

static enum trace_line_result parse_header(char *const *tokens, size_t count,
                                           struct trace_event *event)
{
    if (count < 2 || strcmp(tokens[1], "prism-trace") != 0)
        return TRACE_LINE_BLANK; /* an ordinary comment */
    event->kind = TRACE_EVENT_HEADER;
    if (count < 3 || !parse_integer(tokens[2], 1, INT_MAX, &event->value))
        return TRACE_LINE_MALFORMED;
    const char *hz = field_value(tokens + 3, count - 3, "hz");
    if (hz != NULL && !parse_integer(hz, 1, INT_MAX, &event->hz))
        return TRACE_LINE_MALFORMED;
    const char *policy = field_value(tokens + 3, count - 3, "policy");
    if (policy != NULL)
        trace_copy_name(event->name, policy);
    return TRACE_LINE_EVENT;
}

static enum trace_line_result parse_fields(const struct event_syntax *syntax, char *const *fields,
                                           size_t count, struct trace_event *event)
{
    for (size_t i = 0; i < count; i++)
        if (strchr(fields[i], '=') == NULL)
            return TRACE_LINE_MALFORMED;
    if (!parse_pid(fields, count, syntax->pid_key, &event->pid) ||
        !parse_pid(fields, count, syntax->other_pid_key, &event->other_pid))
        return TRACE_LINE_MALFORMED;
    if (syntax->name_key != NULL) {
        const char *name = field_value(fields, count, syntax->name_key);
        if (name == NULL || name[0] == '\0')
            return TRACE_LINE_MALFORMED;
        trace_copy_name(event->name, name);
    }
    if (syntax->value_key != NULL) {
        bool counts = event->kind == TRACE_EVENT_DROPPED || event->kind == TRACE_EVENT_VM_EXIT ||
                      event->kind == TRACE_EVENT_VM_END;
        int64_t minimum = counts ? 0 : INT64_MIN;
        if (!parse_integer(field_value(fields, count, syntax->value_key), minimum, INT64_MAX,
                           &event->value))
            return TRACE_LINE_MALFORMED;
    }
    if (event->kind == TRACE_EVENT_VM_EXIT &&
        (!parse_integer(field_value(fields, count, "guest_us"), 0, INT64_MAX, &event->guest_us) ||
         !parse_integer(field_value(fields, count, "handle_us"), 0, INT64_MAX, &event->handle_us)))
        return TRACE_LINE_MALFORMED;
    event->reason = TRACE_SWITCH_OTHER;
    for (size_t i = 0; i < sizeof switch_reason_words / sizeof switch_reason_words[0]; i++)
        if (event->kind == TRACE_EVENT_SWITCH && strcmp(event->name, switch_reason_words[i]) == 0)
            event->reason = (enum trace_switch_reason)i;
    return TRACE_LINE_EVENT;
}

static enum trace_line_result parse_tokens(char *const *tokens, size_t count,
                                           struct trace_event *event)
{
    if (count == 0)
        return TRACE_LINE_BLANK;
    if (tokens[0][0] == '#')
        return strcmp(tokens[0], "#") == 0 ? parse_header(tokens, count, event) : TRACE_LINE_BLANK;
    if (count < 2 || tokens[0][0] < '0' || tokens[0][0] > '9' ||
        !parse_integer(tokens[0], 0, INT64_MAX, &event->time_us))
        return TRACE_LINE_MALFORMED;
    event->kind = TRACE_EVENT_UNKNOWN;
    for (size_t i = 0; i < sizeof event_syntaxes / sizeof event_syntaxes[0]; i++) {
        if (strcmp(tokens[1], event_syntaxes[i].word) == 0) {
            event->kind = event_syntaxes[i].kind;
            return parse_fields(&event_syntaxes[i], tokens + 2, count - 2, event);
        }
    }
    return TRACE_LINE_EVENT;
}

enum trace_line_result trace_parse_line(const char *line, struct trace_event *event)
{
    memset(event, 0, sizeof *event);
    event->time_us = TRACE_TIME_NONE;
    char *copy = strdup(line);
    if (copy == NULL)
        abort();
    char *tokens[TOKENS_MAX];
    size_t count = 0;
    char *cursor = copy;
    /* Splitting on runs of blanks is kinder than the v1 promise of single spaces. */
    for (char *token; count < TOKENS_MAX && (token = strsep(&cursor, " \t\r\n")) != NULL;)
        if (token[0] != '\0')
            tokens[count++] = token;
    enum trace_line_result result = parse_tokens(tokens, count, event);
    free(copy);
    return result;
}
