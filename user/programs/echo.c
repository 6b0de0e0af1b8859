/*
 * echo ARGS... — prints its arguments separated by blanks, then a newline.
 *
 * The simplest way to see what argv a program received after the shell split
 * and unquoted a line (lib/shell_parse.c). The whole line is one printf
 * buffer, so it reaches the console in one write. OSTEP ch. 5.
 */
#include "user/lib/stdio.h"
#include "user/lib/args.h"

int main(int argc, char **argv)
{
    struct args args;
    args_begin(&args, argc, argv, "[WORD...]", "print the words, separated by blanks");
    while (args_more(&args)) {
        const char *word;
        args_text(&args, "WORD", &word);
    }
    if (args_finish(&args) < 0)
        return args.status;
    for (int i = 1; i < argc; i++)
        printf("%s%s", argv[i], i + 1 < argc ? " " : "");
    putchar('\n');
    return 0;
}
