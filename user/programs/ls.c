/*
 * ls [PATH...] — lists the files in the initrd with their sizes in bytes.
 *
 * Prism has no directories to walk: the initrd is one flat archive, and the
 * readdir() system call returns its entries by index ("bin/sh" and so on)
 * until -ENOENT says the index is past the end. A PATH names a file
 * (/etc/motd) or the folder its entries share (/bin, etc); a leading '/' is
 * optional, and a PATH nothing matches is an error. Not an OSTEP
 * virtualization topic; it is how a student sees which programs exist to run.
 */
#include "lib/string.h"
#include "user/lib/args.h"
#include "user/lib/describe.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"

#include <stdbool.h>

#define NAME_SIZE 256

/* name is path itself, or lies inside it; path has no leading or trailing '/'. */
static bool matches(const char *name, const char *path, size_t length)
{
    if (length == 0)
        return true;
    return strncmp(name, path, length) == 0 && (name[length] == '\0' || name[length] == '/');
}

/* Lists the entries under path; returns 0, or 1 after a message. */
static int list(const char *path)
{
    while (*path == '/')
        path++;
    size_t length = strlen(path);
    while (length > 0 && path[length - 1] == '/')
        length--;
    char name[NAME_SIZE];
    int shown = 0;
    for (int index = 0;; index++) {
        long size = readdir(index, name, sizeof name);
        if (size == -ENOENT)
            break;
        if (size < 0) {
            dprintf(STDERR_FILENO, "ls: entry %d: %s\n", index, strerror((int)size));
            return 1;
        }
        if (matches(name, path, length)) {
            printf("%8ld %s\n", size, name);
            shown++;
        }
    }
    return shown > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    struct args args;
    args_begin(&args, argc, argv, "[PATH...]",
               "list the initrd's files (all, or those at or under each PATH) with sizes");
    const char *paths[ARGS_MAX];
    int count = 0;
    while (args_more(&args) && count < ARGS_MAX)
        args_word(&args, "PATH", &paths[count++]);
    if (args_finish(&args) < 0)
        return args.status;
    if (count == 0)
        return list("") == 0 ? 0 : 1;
    int status = 0;
    for (int i = 0; i < count; i++) {
        int result = list(paths[i]);
        if (result < 0)
            dprintf(STDERR_FILENO, "ls: %s: no such file or directory\n", paths[i]);
        if (result != 0)
            status = 1;
    }
    return status;
}
