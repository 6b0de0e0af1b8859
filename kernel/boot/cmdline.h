/*
 * cmdline.h — the kernel command line as key=value options.
 *
 * GRUB's `multiboot2 /boot/prism.elf sched=mlfq hz=100` hands the kernel the
 * string "sched=mlfq hz=100"; kmain parses it once and the scheduler, timer
 * and test runner each ask for their own key. This is how an instructor
 * changes policy without rebuilding (OSTEP ch. 7-9 compare those policies).
 */
#ifndef PRISM_KERNEL_BOOT_CMDLINE_H
#define PRISM_KERNEL_BOOT_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#define CMDLINE_MAX_TEXT 512
#define CMDLINE_MAX_OPTIONS 32

/* A bare flag such as `trace` has value "" (never NULL). */
struct cmdline_option {
    const char *key;
    const char *value;
};

/* Keys and values point into text, which holds them NUL-separated. */
struct cmdline {
    char text[CMDLINE_MAX_TEXT];
    struct cmdline_option options[CMDLINE_MAX_OPTIONS];
    size_t count;
};

/* One option the kernel understands, with a line of help for the console. */
struct cmdline_key {
    const char *key;
    const char *help;
};

/*
 * Splits text (may be NULL) into options. Tokens are separated by blanks;
 * `key=value`, `key="value with spaces"` (quotes removed) and bare `flag` are
 * accepted. Returns 0, or -E2BIG when the text or the option count overflows:
 * the options before the first one that did not fit are kept.
 */
int cmdline_parse(struct cmdline *cl, const char *text);

/* The value of the last option named key (later ones override), or NULL. */
const char *cmdline_get(const struct cmdline *cl, const char *key);

/*
 * key's value as a decimal or 0x-hex number in [min, max]. Returns fallback
 * if key is absent (and sets *problem to NULL), or if the value is not a
 * number or out of range (and sets *problem to a sentence naming key, value
 * and range, valid until the next call). problem may be NULL.
 */
long cmdline_get_long(const struct cmdline *cl, const char *key, long fallback, long min, long max,
                      const char **problem);

bool cmdline_key_known(const char *key);

/* The table of known keys, for a help listing; *count_out gets its length. */
const struct cmdline_key *cmdline_known_keys(size_t *count_out);

/*
 * Stores up to max distinct unknown keys, in command-line order, so the
 * kernel can print "cmdline: unknown option 'foo' ignored". Returns how many.
 */
size_t cmdline_unknown(const struct cmdline *cl, const char **unknown, size_t max);

#endif
