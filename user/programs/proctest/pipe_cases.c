/*
 * pipe_cases.c — proctest's pipe cases: bytes in order, EOF, EPIPE, blocking.
 *
 * A child writes 20,000 bytes (more than a pipe holds, so the writer must
 * block and be woken) and the parent reads them back in order until EOF; a
 * write with no reader is -EPIPE; a read on an empty pipe waits until a
 * writer writes. proctest.c runs test_pipes among its cases.
 * OSTEP ch. 5 (pipe, the shell's plumbing) and ch. 4 (blocked processes).
 */
#include "lib/string.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"
#include "user/programs/proctest/proctest.h"

void test_pipes(void)
{
    int fds[2];
    check(pipe(fds) == 0, "pipe creates two descriptors", NULL);
    stdout_flush();
    int pid = fork();
    if (pid == 0) {
        close(fds[0]);
        char chunk[100];
        for (int i = 0; i < 200; i++) { /* 20,000 bytes: more than the pipe holds */
            memset(chunk, 'a' + i % 26, sizeof(chunk));
            write(fds[1], chunk, sizeof(chunk));
        }
        _exit(0);
    }
    close(fds[1]);
    static char received[20000];
    long total = 0, n;
    while ((n = read(fds[0], received + total, sizeof(received) - total)) > 0)
        total += n;
    bool ordered = total == 20000;
    for (long i = 0; ordered && i < total; i++)
        ordered = received[i] == 'a' + (i / 100) % 26;
    check(ordered, "pipe keeps 20,000 bytes in order", NULL);
    check(n == 0, "read returns 0 (EOF) when writers close", NULL);
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);

    pipe(fds);
    close(fds[0]);
    check(write(fds[1], "x", 1) == -EPIPE, "write with no reader: -EPIPE", NULL);
    close(fds[1]);

    pipe(fds);
    long start = uptime_ms();
    pid = fork();
    if (pid == 0) {
        sleep_ms(200);
        write(fds[1], "late", 4);
        _exit(0);
    }
    char buffer[8];
    n = read(fds[0], buffer, sizeof(buffer));
    long waited = uptime_ms() - start;
    check(n == 4 && waited >= 190, "read blocks until the writer writes", NULL);
    close(fds[0]);
    close(fds[1]);
    waitpid(pid, &status, 0);
}
