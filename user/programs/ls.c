/*
 * ls — lists every file in the initrd with its size in bytes.
 *
 * Prism has no directories to walk: the initrd is one flat archive, and the
 * readdir() system call returns its entries by index ("bin/sh" and so on)
 * until -ENOENT says the index is past the end. Not an OSTEP virtualization
 * topic; it is how a student sees which programs exist to run.
 */
#include "user/lib/describe.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"

#define NAME_SIZE 256

int main(void)
{
    char name[NAME_SIZE];
    for (int index = 0;; index++) {
        long size = readdir(index, name, sizeof name);
        if (size == -ENOENT)
            return 0;
        if (size < 0) {
            dprintf(STDERR_FILENO, "ls: entry %d: %s\n", index, strerror((int)size));
            return 1;
        }
        printf("%8ld %s\n", size, name);
    }
}
