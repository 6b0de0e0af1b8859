/*
 * pinfotest — the in-guest test of the getpinfo system call (labs/syscall).
 *
 * Checks what a correct getpinfo must do: list every process with the right
 * pid and state, count ticks and times scheduled as they happen, fill no more
 * than `max` entries, and answer every bad argument (NULL, kernel, read-only,
 * partly unmapped arrays; a negative or absurd max) with an error instead of
 * a crash. One line per case ("ok" or "FAILED"), then a summary line.
 * OSTEP ch. 5-6 (system calls must check every pointer they are given).
 */
#include "lib/string.h"
#include "user/lib/args.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"

#define CAPACITY 64
#define KERNEL_ADDRESS 0xffffffff80000000UL

static int passed, failed;
static struct pinfo table[CAPACITY + 1];

static void check(bool ok, const char *name)
{
    printf("pinfotest: %-44s %s\n", name, ok ? "ok" : "FAILED");
    if (ok)
        passed++;
    else
        failed++;
}

static struct pinfo *find(int count, int pid)
{
    for (int i = 0; i < count; i++)
        if (table[i].pid == pid)
            return &table[i];
    return NULL;
}

static void test_lists_processes(void)
{
    int count = getpinfo(table, CAPACITY);
    struct pinfo *self = find(count, getpid());
    struct pinfo *init = find(count, 1);
    struct pinfo *parent = find(count, getppid());
    check(count >= 3 && init && parent && init != parent, "lists init, the shell and itself");
    check(self && self->state == PROC_STATE_RUNNING && self->scheduled >= 1 &&
              strcmp(self->name, "pinfotest") == 0,
          "the caller is RUNNING, scheduled, named");
    check(init && init->state == PROC_STATE_BLOCKED && parent &&
              parent->state == PROC_STATE_BLOCKED,
          "init and the shell are BLOCKED");
}

static void test_ticks_grow(void)
{
    getpinfo(table, CAPACITY);
    struct pinfo before = *find(CAPACITY, getpid());
    long start = uptime_ms();
    while (uptime_ms() - start < 200) /* burn ~20 ticks of CPU */
        ;
    int count = getpinfo(table, CAPACITY);
    struct pinfo *after = find(count, getpid());
    check(after && after->ticks >= before.ticks + 5, "ticks count the CPU time used");
}

static void test_scheduled_counts_yields(void)
{
    int ready[2], release[2];
    pipe(ready);
    pipe(release);
    stdout_flush();
    int pid = fork();
    if (pid == 0) {
        for (int i = 0; i < 10; i++)
            yield();
        char byte = 'y';
        write(ready[1], &byte, 1);
        read(release[0], &byte, 1);
        _exit(0);
    }
    char byte;
    read(ready[0], &byte, 1);
    int count = getpinfo(table, CAPACITY);
    struct pinfo *child = find(count, pid);
    check(child && child->scheduled >= 11 && child->state != PROC_STATE_RUNNING,
          "a child that yields 10 times is scheduled 11+");
    write(release[1], &byte, 1);
    int status = 0;
    waitpid(pid, &status, 0);
    count = getpinfo(table, CAPACITY);
    check(find(count, pid) == NULL, "a reaped child is gone");
}

static void test_max_is_respected(void)
{
    memset(table, 0x5a, sizeof(table));
    int count = getpinfo(table, 1);
    unsigned char *after = (unsigned char *)&table[1];
    bool untouched = true;
    for (unsigned i = 0; i < sizeof(table[1]); i++)
        untouched = untouched && after[i] == 0x5a;
    check(count == 1 && untouched, "max 1 fills exactly one entry");
    check(getpinfo(table, 0) == 0, "max 0 fills nothing");
}

static void test_bad_arguments(void)
{
    check(getpinfo(NULL, CAPACITY) == -EFAULT, "NULL array: -EFAULT");
    check(getpinfo((struct pinfo *)KERNEL_ADDRESS, CAPACITY) == -EFAULT, "kernel array: -EFAULT");
    check(getpinfo((struct pinfo *)(unsigned long)check, CAPACITY) == -EFAULT,
          "read-only (text) array: -EFAULT");
    /* One entry's room below the end of the heap's last page, then nothing
     * is mapped: the second entry runs off. */
    unsigned long top = ((unsigned long)sbrk(0) + 4095) & ~4095UL;
    struct pinfo *edge = (struct pinfo *)(top - sizeof(struct pinfo));
    check(getpinfo(edge, CAPACITY) == -EFAULT, "array running off the heap: -EFAULT");
    check(getpinfo(table, -1) == -EINVAL, "negative max: -EINVAL");
    check(getpinfo(table, 1 << 30) == -EINVAL, "absurd max: -EINVAL");
    check(syscall_raw(SYS_getpinfo, (long)0x0000800000000000UL, 1, 0, 0, 0, 0) == -EFAULT,
          "non-canonical array: -EFAULT");
}

int main(int argc, char **argv)
{
    struct args args;
    args_begin(&args, argc, argv, "", "the in-guest test of getpinfo (make check runs it)");
    if (args_finish(&args) < 0)
        return args.status;
    test_lists_processes();
    test_ticks_grow();
    test_scheduled_counts_yields();
    test_max_is_respected();
    test_bad_arguments();
    printf("pinfotest: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
