/*
 * args_print.c — where args.c's messages go in a real program: straight to
 * the descriptor with one write(), unbuffered, so a message printed just
 * before exit is never lost. A host test links its own args_print instead.
 * OSTEP ch. 5.
 */
#include "lib/string.h"
#include "user/lib/args.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"

void args_print(int fd, const char *text)
{
    stdout_flush(); /* whatever the program printed comes first */
    write(fd, text, strlen(text));
}
