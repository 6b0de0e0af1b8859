/*
 * cat [FILE...] — copies files, or standard input, to standard output.
 *
 * With no FILE (or FILE "-") it reads fd 0, which is the console or the read
 * end of a pipe when the shell put cat in a pipeline (OSTEP ch. 5: the child
 * never knows which; the shell wired fd 0 with dup2 before exec). Files are
 * read from the initrd by name ("bin/sh"). A file that cannot be read is
 * reported on stderr and skipped; the exit status is then 1.
 */
#include "lib/string.h"
#include "user/lib/describe.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"
#include "user/lib/args.h"

#define CHUNK 4096

/* Copies fd to stdout until end of file; returns 0 or a negative errno. */
static long copy_to_stdout(int fd)
{
    static char buffer[CHUNK];
    for (;;) {
        long count = read(fd, buffer, sizeof buffer);
        if (count <= 0)
            return count;
        for (long done = 0; done < count;) {
            long written = write(STDOUT_FILENO, buffer + done, (unsigned long)(count - done));
            if (written < 0)
                return written;
            done += written;
        }
    }
}

static int cat_file(const char *name)
{
    bool is_stdin = strcmp(name, "-") == 0;
    int fd = is_stdin ? STDIN_FILENO : open(name, O_RDONLY);
    long result = fd < 0 ? fd : copy_to_stdout(fd);
    if (!is_stdin && fd >= 0)
        close(fd);
    if (result < 0) {
        dprintf(STDERR_FILENO, "cat: %s: %s\n", is_stdin ? "stdin" : name, strerror((int)result));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct args args;
    args_begin(&args, argc, argv, "[FILE...]",
               "copy each FILE (or stdin, or '-') to stdout: cat /etc/motd");
    while (args_more(&args)) {
        const char *word;
        args_word(&args, "FILE", &word);
    }
    if (args_finish(&args) < 0)
        return args.status;
    if (argc == 1)
        return cat_file("-");
    int status = 0;
    for (int i = 1; i < argc; i++)
        status |= cat_file(argv[i]);
    return status;
}
