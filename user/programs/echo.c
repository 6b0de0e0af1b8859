/*
 * echo ARGS... — prints its arguments separated by blanks, then a newline.
 *
 * The simplest way to see what argv a program received after the shell split
 * and unquoted a line (lib/shell_parse.c). The whole line is one printf
 * buffer, so it reaches the console in one write. OSTEP ch. 5.
 */
#include "user/lib/stdio.h"

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        printf("%s%s", argv[i], i + 1 < argc ? " " : "");
    putchar('\n');
    return 0;
}
