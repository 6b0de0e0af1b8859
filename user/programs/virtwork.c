/*
 * virtwork UNITS — the tiny guest's work, as a plain Prism process.
 *
 * Each unit is the same busy loop the tiny guest OS (user/guest/tiny.c)
 * runs in its tasks — a million increments of a volatile counter — and ends
 * with one letter written out (one system call here, one port-I/O exit in
 * the guest). `virtcompare` runs it plain and in a group beside `vm tiny`
 * running the guest, so the three columns do the same work.
 * OSTEP ch. 4-6 (a process is the unit of CPU virtualization).
 */
#include "user/lib/args.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"

#define SPINS_PER_UNIT 1000000 /* as tiny.c's */

int main(int argc, char **argv)
{
    struct args args;
    long units = 48;
    args_begin(&args, argc, argv, "[UNITS]",
               "the tiny guest's busy work as a process: UNITS units of a million spins");
    args_optional_number(&args, "UNITS", 0, 100000, &units); /* 0: start-up only */
    if (args_finish(&args) < 0)
        return args.status;
    write(STDOUT_FILENO, "virtwork: start\n", 16);
    for (long unit = 0; unit < units; unit++) {
        for (volatile unsigned long spin = 0; spin < SPINS_PER_UNIT; spin++)
            ;
        write(STDOUT_FILENO, unit % 2 ? "B" : "A", 1);
    }
    write(STDOUT_FILENO, "\nvirtwork: done\n", 16);
    return 0;
}
