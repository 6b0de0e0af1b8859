/*
 * segments — a program of eight loadable segments, the most exec accepts.
 *
 * Linked by segments.ld: besides text, rodata and data it has five more
 * segments (read-only, read+write, executable, read-only, read+write), so its
 * address space needs ten regions once heap and stack are added. It checks
 * that every segment holds what the file put there, that the writable ones
 * take writes, that the executable one runs, that a write to a read-only one
 * kills (in a child), and that vmmap lists all ten regions. Prints one line
 * and exits 0 when all is well, 1 otherwise. The regression test for an
 * address space that held only eight regions: such an exec failed -ENOMEM.
 * OSTEP ch. 13 (address spaces), ch. 5 (exec).
 */
#include "user/lib/args.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"
#include "user/lib/vm.h"

#define SEGMENTS 8
#define EXPECTED_REGIONS (SEGMENTS + 2) /* and heap and stack */

__attribute__((section(".extra1"), used)) static const volatile long first_constant = 0x1111;
__attribute__((section(".extra2"), used)) static volatile long first_variable = 0x2222;
__attribute__((section(".extra4"), used)) static const volatile long second_constant = 0x4444;
__attribute__((section(".extra5"), used)) static volatile long second_variable = 0x5555;

__attribute__((section(".extra3"), noinline, used)) static long add_extra(long value)
{
    return value + 0x3333;
}

static int write_read_only_segment(void)
{
    *(volatile long *)&first_constant = 0; /* must be killed here */
    return 0;
}

static bool survives(int (*fn)(void))
{
    stdout_flush();
    int pid = fork();
    if (pid == 0)
        _exit(fn());
    int status = 0;
    waitpid(pid, &status, 0);
    return !WIFSIGNALED(status);
}

int main(int argc, char **argv)
{
    struct args args;
    args_begin(&args, argc, argv, "",
               "a program of eight loadable segments checks its own regions");
    if (args_finish(&args) < 0)
        return args.status;
    long (*volatile call)(long) = add_extra; /* through a pointer: a real call */
    bool contents = first_constant == 0x1111 && first_variable == 0x2222 &&
                    second_constant == 0x4444 && second_variable == 0x5555 && call(1) == 0x3334;
    first_variable++;
    second_variable++;
    bool writes = first_variable == 0x2223 && second_variable == 0x5556;
    bool protected = !survives(write_read_only_segment);
    static struct vm_region_info regions[EXPECTED_REGIONS + 4];
    int count = vmmap(0, regions, EXPECTED_REGIONS + 4);
    bool ok = contents && writes && protected && count == EXPECTED_REGIONS;
    printf("segments: %d loadable segments, %d regions, contents %s, writes %s, read-only %s: %s\n",
           SEGMENTS, count, contents ? "ok" : "WRONG", writes ? "ok" : "LOST",
           protected ? "kills" : "WRITABLE", ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
