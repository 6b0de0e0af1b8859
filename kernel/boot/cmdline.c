/*
 * cmdline.c — splitting the kernel command line into key=value options.
 *
 * The text is copied into struct cmdline as "key\0value\0" pairs, so every
 * option points into memory the kernel owns once GRUB's memory is reused.
 * GRUB 2's multiboot2 loader drops the kernel's file name and passes only what
 * follows it; other loaders (GRUB Legacy, some multiboot v1 paths) put the
 * path first, so a leading word that starts with '/' is skipped as that path
 * (no option begins with '/'). Read by kmain, the timer, the scheduler and
 * the test runner; OSTEP ch. 7-9 explain the policies it selects.
 */
#include "kernel/boot/cmdline.h"

#include "lib/errno.h"

static const struct cmdline_key known_keys[] = {
    {"hz", "timer interrupts per second, e.g. hz=100"},
    {"sched", "scheduling policy by name, e.g. sched=mlfq"},
    {"quantum", "timer ticks in one time slice, e.g. quantum=10"},
    {"test", "run the named built-in test instead of the shell, then exit QEMU"},
    {"init", "path of the first user program, e.g. init=/bin/sh"},
    {"console", "where console output goes, e.g. console=serial"},
    {"trace", "stream scheduling and memory events out of the trace port"},
    {"maxproc", "most processes that may exist at once"},
    {"replace", "page-replacement policy by name, e.g. replace=clock"},
    {"userframes", "most evictable user pages in memory at once (needs swap), e.g. userframes=64"},
    {"replace_seed", "seed of the random replacement policy"},
};

#define KNOWN_KEY_COUNT (sizeof(known_keys) / sizeof(known_keys[0]))

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool text_equal(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static const char *skip_blanks(const char *source)
{
    while (is_blank(*source))
        source++;
    return source;
}

/* A quote toggles quoting and is dropped; blanks inside quotes do not split. */
static const char *skip_token(const char *source)
{
    bool quoted = false;
    for (; *source != '\0' && (quoted || !is_blank(*source)); source++) {
        if (*source == '"')
            quoted = !quoted;
    }
    return source;
}

/*
 * Copies the token at *source into cl->text from *used on, as key\0value\0
 * (the first unquoted '=' splits them), and fills *option. An unclosed quote
 * runs to the end of the line. Returns false, leaving *used as it was, if the
 * token does not fit.
 */
static bool copy_token(struct cmdline *cl, size_t *used, const char **source,
                       struct cmdline_option *option)
{
    size_t position = *used;
    const char *value = NULL;
    bool quoted = false;
    const char *s = *source;
    for (; *s != '\0' && (quoted || !is_blank(*s)); s++) {
        if (*s == '"') {
            quoted = !quoted;
            continue;
        }
        if (position + 1 >= CMDLINE_MAX_TEXT)
            return false;
        bool splits = *s == '=' && !quoted && value == NULL;
        cl->text[position++] = splits ? '\0' : *s;
        if (splits)
            value = &cl->text[position];
    }
    cl->text[position++] = '\0';
    option->key = &cl->text[*used];
    option->value = value != NULL ? value : "";
    *used = position;
    *source = s;
    return true;
}

int cmdline_parse(struct cmdline *cl, const char *text)
{
    cl->count = 0;
    cl->text[0] = '\0';
    if (text == NULL)
        return 0;
    const char *source = skip_blanks(text);
    if (*source == '/')
        source = skip_blanks(skip_token(source));

    size_t used = 0;
    while (*source != '\0') {
        if (cl->count == CMDLINE_MAX_OPTIONS)
            return -E2BIG;
        if (!copy_token(cl, &used, &source, &cl->options[cl->count]))
            return -E2BIG;
        cl->count++;
        source = skip_blanks(source);
    }
    return 0;
}

const char *cmdline_get(const struct cmdline *cl, const char *key)
{
    for (size_t i = cl->count; i > 0; i--) {
        if (text_equal(cl->options[i - 1].key, key))
            return cl->options[i - 1].value;
    }
    return NULL;
}

enum number_parse { NUMBER_OK, NUMBER_INVALID, NUMBER_TOO_BIG };

static int digit_value(char c, unsigned base)
{
    int digit = -1;
    if (c >= '0' && c <= '9')
        digit = c - '0';
    else if (c >= 'a' && c <= 'f')
        digit = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
        digit = c - 'A' + 10;
    return digit >= 0 && (unsigned)digit < base ? digit : -1;
}

/* Optional sign, then decimal digits or 0x and hex digits, nothing else. */
static enum number_parse parse_long(const char *text, long *value_out)
{
    bool negative = *text == '-';
    if (*text == '-' || *text == '+')
        text++;
    unsigned base = 10;
    if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        text += 2;
    }
    if (*text == '\0')
        return NUMBER_INVALID;

    unsigned long limit = (unsigned long)__LONG_MAX__ + (negative ? 1 : 0);
    unsigned long magnitude = 0;
    for (; *text != '\0'; text++) {
        int digit = digit_value(*text, base);
        if (digit < 0)
            return NUMBER_INVALID;
        if (magnitude > (limit - (unsigned long)digit) / base)
            return NUMBER_TOO_BIG;
        magnitude = magnitude * base + (unsigned long)digit;
    }
    /* Negating in unsigned arithmetic reaches LONG_MIN without overflow. */
    *value_out = negative ? (long)(0 - magnitude) : (long)magnitude;
    return NUMBER_OK;
}

#define PROBLEM_TEXT_MAX 160

/* Boot is single-threaded, so one buffer for the last problem is enough. */
static char problem_text[PROBLEM_TEXT_MAX];
static size_t problem_length;

static void problem_put_char(char c)
{
    if (problem_length + 1 < PROBLEM_TEXT_MAX) {
        problem_text[problem_length++] = c;
        problem_text[problem_length] = '\0';
    }
}

static void problem_append(const char *text)
{
    for (; *text != '\0'; text++)
        problem_put_char(*text);
}

static void problem_append_long(long value)
{
    char digits[20];
    size_t count = 0;
    unsigned long magnitude = value < 0 ? 0 - (unsigned long)value : (unsigned long)value;
    do {
        digits[count++] = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude != 0);
    if (value < 0)
        problem_put_char('-');
    while (count > 0)
        problem_put_char(digits[--count]);
}

static const char *describe_problem(const char *key, const char *value, bool is_number, long min,
                                    long max, long fallback)
{
    problem_length = 0;
    problem_append("cmdline: ");
    problem_append(key);
    problem_append("=");
    problem_append(value);
    if (is_number) {
        problem_append(" is out of range ");
        problem_append_long(min);
        problem_append("..");
        problem_append_long(max);
    } else {
        problem_append(" is not a number (decimal or 0x hex)");
    }
    problem_append("; using ");
    problem_append_long(fallback);
    return problem_text;
}

long cmdline_get_long(const struct cmdline *cl, const char *key, long fallback, long min, long max,
                      const char **problem)
{
    const char *unused_problem;
    if (problem == NULL)
        problem = &unused_problem;
    *problem = NULL;
    const char *value = cmdline_get(cl, key);
    if (value == NULL)
        return fallback;

    long number = 0;
    enum number_parse result = parse_long(value, &number);
    if (result == NUMBER_OK && number >= min && number <= max)
        return number;
    *problem = describe_problem(key, value, result != NUMBER_INVALID, min, max, fallback);
    return fallback;
}

bool cmdline_key_known(const char *key)
{
    for (size_t i = 0; i < KNOWN_KEY_COUNT; i++) {
        if (text_equal(known_keys[i].key, key))
            return true;
    }
    return false;
}

const struct cmdline_key *cmdline_known_keys(size_t *count_out)
{
    *count_out = KNOWN_KEY_COUNT;
    return known_keys;
}

static bool already_listed(const char **list, size_t count, const char *key)
{
    for (size_t i = 0; i < count; i++) {
        if (text_equal(list[i], key))
            return true;
    }
    return false;
}

size_t cmdline_unknown(const struct cmdline *cl, const char **unknown, size_t max)
{
    size_t found = 0;
    for (size_t i = 0; i < cl->count && found < max; i++) {
        const char *key = cl->options[i].key;
        if (!cmdline_key_known(key) && !already_listed(unknown, found, key))
            unknown[found++] = key;
    }
    return found;
}
