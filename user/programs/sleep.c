/*
 * sleep SECONDS — blocks for a while without using the CPU.
 *
 * SECONDS is a whole number or a decimal ("0.5", "2.25", ".1"); digits past
 * the millisecond are ignored. The sleep_ms() system call leaves the process
 * BLOCKED until its timer runs out, the opposite of cpu's spinning, which ps
 * shows as voluntary context switches (OSTEP ch. 4 and ch. 7).
 */
#include "lib/ctype.h"
#include "user/lib/describe.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"

#include <stdbool.h>
#include "user/lib/args.h"

#define MAX_SECONDS 100000000L /* three years: no overflow when multiplied by 1000 */

/* Milliseconds in text, or -EINVAL for anything but digits and one point. */
static long parse_seconds(const char *text)
{
    long whole = 0, fraction = 0, scale = 100;
    const char *cursor = text;
    for (; isdigit(*cursor); cursor++) {
        whole = whole * 10 + (*cursor - '0');
        if (whole > MAX_SECONDS)
            return -EINVAL;
    }
    bool has_digits = cursor != text;
    if (*cursor == '.') {
        for (cursor++; isdigit(*cursor); cursor++, scale /= 10) {
            fraction += (*cursor - '0') * scale;
            has_digits = true;
        }
    }
    if (*cursor != '\0' || !has_digits)
        return -EINVAL;
    return whole * 1000 + fraction;
}

int main(int argc, char **argv)
{
    struct args args;
    const char *text = NULL;
    args_begin(&args, argc, argv, "SECONDS", "wait SECONDS (such as 2 or 0.5)");
    args_text(&args, "SECONDS", &text);
    long milliseconds = text != NULL ? parse_seconds(text) : 0;
    if (milliseconds < 0)
        args_error(&args, "'%s' is not a number of seconds (such as 2 or 0.5)", text);
    if (args_finish(&args) < 0)
        return args.status;
    int result = sleep_ms((unsigned long)milliseconds);
    if (result < 0) {
        dprintf(STDERR_FILENO, "sleep: %s: %s\n", text, strerror(result));
        return 1;
    }
    return 0;
}
