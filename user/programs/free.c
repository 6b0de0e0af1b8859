/*
 * free — physical memory at a glance: total, used and free, how many frames
 * are shared copy-on-write between processes, and the kernel's own use.
 * OSTEP ch. 18 (physical frames), ch. 23 (copy-on-write sharing).
 */
#include "user/lib/prism.h"
#include "user/lib/stdio.h"
#include "user/lib/args.h"
#include "user/lib/describe.h"

int main(int argc, char **argv)
{
    struct args args;
    args_begin(&args, argc, argv, "", "show physical memory: frames total, used, free, shared");
    if (args_finish(&args) < 0)
        return args.status;
    struct mem_info info;
    int result = meminfo(&info);
    if (result < 0) {
        dprintf(STDERR_FILENO, "free: %s\n", strerror(result));
        return 1;
    }
    unsigned long kib = info.page_size / 1024;
    unsigned long used = info.total_frames - info.free_frames;
    printf("%-8s %10s %10s %10s %10s\n", "", "total-KB", "used-KB", "free-KB", "shared-KB");
    printf("%-8s %10lu %10lu %10lu %10lu\n", "memory", (unsigned long)info.total_frames * kib,
           used * kib, (unsigned long)info.free_frames * kib,
           (unsigned long)info.shared_frames * kib);
    printf("frames: %lu total, %lu used, %lu free, %lu shared (copy-on-write)\n",
           (unsigned long)info.total_frames, used, (unsigned long)info.free_frames,
           (unsigned long)info.shared_frames);
    printf("kernel: heap %lu bytes in use (%lu frames), page tables %lu frames\n",
           (unsigned long)info.kernel_heap_bytes, (unsigned long)info.kernel_heap_frames,
           (unsigned long)info.kernel_table_frames);
    return 0;
}
