/*
 * clear — clears the terminal: the serial terminal and the VGA screen.
 *
 * Writes the ANSI sequences "cursor home" and "erase the screen", which
 * every terminal emulator understands and Prism's VGA console (vga.c)
 * interprets too; the shell's Ctrl-L sends the same. OSTEP ch. 36.
 */
#include "user/lib/args.h"
#include "user/lib/prism.h"

int main(int argc, char **argv)
{
    struct args args;
    args_begin(&args, argc, argv, "", "clear the screen");
    if (args_finish(&args) < 0)
        return args.status;
    write(STDOUT_FILENO, "\033[H\033[2J", 7);
    return 0;
}
