/*
 * mem VALUE [N] — OSTEP's mem.c: one integer, its address, and its value.
 *
 * It allocates an int, prints its pid and the int's virtual address, then
 * adds one and prints it every second (forever, or N times). Run two at once
 * (`mem 1 & mem 100 &`): both print the SAME address, yet each counts up on
 * its own, because each process has its own page table mapping that virtual
 * address to a different physical frame (`pagewalk PID ADDRESS` shows it).
 * OSTEP ch. 2 (Introduction: virtualizing memory) and ch. 13.
 */
#include "lib/string.h"
#include "user/lib/malloc.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"
#include "user/lib/args.h"

int main(int argc, char **argv)
{
    struct args args;
    long value, rounds = -1;
    args_begin(&args, argc, argv, "VALUE [N]",
               "store VALUE on the heap, print its address, add 1 each second (N times)");
    args_number(&args, "VALUE", -1000000000L, 1000000000L, &value);
    args_optional_number(&args, "N", 1, 1000000000L, &rounds);
    if (args_finish(&args) < 0)
        return args.status;
    int *p = malloc(sizeof(int));
    if (!p) {
        dprintf(STDERR_FILENO, "mem: out of memory\n");
        return 1;
    }
    printf("(%d) address pointed to by p: %p\n", getpid(), (void *)p);
    *p = (int)value;
    for (long i = 0; rounds < 0 || i < rounds; i++) {
        sleep_ms(1000);
        *p = *p + 1;
        printf("(%d) value of p: %d\n", getpid(), *p);
    }
    free(p);
    return 0;
}
