/*
 * virtwork [--memory] [UNITS] — the tiny guest's work, as a plain Prism process.
 *
 * The work is lib/vm_work.h's, the very code the tiny guest OS
 * (user/guest/tiny.c) runs in its tasks: CPU-bound units of a million spins,
 * or with --memory, memory-bound units of a million read-modify-writes
 * sweeping a 256 KiB region. Units alternate between two regions, as the
 * guest's tasks A and B each work on their own, and each ends with one
 * letter written out (one system call here, one port-I/O exit in the
 * guest). After memory work the regions' checksums are printed: the same
 * numbers as `vm --memory tiny` prints for the same work. `virtcompare`
 * runs this plain and in a group beside `vm tiny`, so the columns do the
 * same work. With --hold it waits, its memory still held, until its stdin
 * is closed: how virtcompare samples its memory at its largest. The regions come from sbrk, only
 * with --memory: each page's first touch is a demand-zero fault here (exec would map bss eagerly,
 * and the CPU-bound runs would hold them too), while a guest's RAM is allocated up front. OSTEP ch.
 * 4-6 (a process is the unit of CPU virtualization), ch. 18-20.
 */
#include "lib/vm_work.h"
#include "user/lib/args.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"

int main(int argc, char **argv)
{
    struct args args;
    long units = VM_WORK_UNITS;
    args_begin(&args, argc, argv, "[--memory] [--hold] [UNITS]",
               "the tiny guest's work as a process: UNITS units (48) of a million spins, or of a "
               "million memory updates with --memory");
    bool memory = args_flag(&args, "--memory"), hold = args_flag(&args, "--hold");
    args_optional_number(&args, "UNITS", 0, 100000, &units); /* 0: start-up only */
    if (args_finish(&args) < 0)
        return args.status;
    uint64_t *regions[2] = {NULL, NULL};
    if (memory) {
        char *heap = sbrk((long)(2 * VM_WORK_REGION_BYTES));
        if (sbrk_failed(heap)) {
            dprintf(STDERR_FILENO, "virtwork: no memory for the 2 x %lu KiB regions\n",
                    VM_WORK_REGION_BYTES / 1024);
            return 1;
        }
        regions[0] = (uint64_t *)heap;
        regions[1] = (uint64_t *)(heap + VM_WORK_REGION_BYTES);
    }
    write(STDOUT_FILENO, "virtwork: start\n", 16);
    for (long unit = 0; unit < units; unit++) {
        if (memory)
            vm_work_memory_unit(regions[unit % 2], unit % 2 ? 'B' : 'A', (unsigned long)unit / 2);
        else
            vm_work_cpu_unit();
        write(STDOUT_FILENO, unit % 2 ? "B" : "A", 1);
    }
    write(STDOUT_FILENO, "\nvirtwork: done\n", 16);
    if (memory)
        printf("virtwork: memory checksums A %lu B %lu\n",
               (unsigned long)vm_work_checksum(regions[0]),
               (unsigned long)vm_work_checksum(regions[1]));
    stdout_flush();
    if (hold) { /* still holding every region: wait until stdin is closed */
        char byte;
        while (read(STDIN_FILENO, &byte, 1) > 0)
            ;
    }
    return 0;
}
