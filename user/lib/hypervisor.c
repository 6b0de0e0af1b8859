/*
 * hypervisor.c — the SYS_vm wrappers and image loading (hypervisor.h).
 * OSTEP appendix B (Virtual Machine Monitors).
 */
#include "user/lib/hypervisor.h"
#include "lib/string.h"
#include "user/lib/malloc.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"

#define PATH_MAX_BYTES 96
#define READ_CHUNK 4096

int hypervisor_probe(char *why, size_t size)
{
    return (int)syscall_raw(SYS_vm, VM_OP_PROBE, (long)why, (long)size, 0, 0, 0);
}

int hypervisor_run(const struct vm_run_request *request, struct vm_report *report)
{
    return (int)syscall_raw(SYS_vm, VM_OP_RUN, (long)request, (long)report, 0, 0, 0);
}

int hypervisor_stats(int pid, struct vm_report *report)
{
    return (int)syscall_raw(SYS_vm, VM_OP_STATS, pid, (long)report, 0, 0, 0);
}

int hypervisor_walk(int pid, unsigned long address, struct vm_walk_info *walk)
{
    return (int)syscall_raw(SYS_vm, VM_OP_WALK, pid, (long)address, (long)walk, 0, 0);
}

long hypervisor_load_image(const char *name, void **image)
{
    char path[PATH_MAX_BYTES];
    if (strchr(name, '/'))
        snprintf(path, sizeof(path), "%s", name);
    else
        snprintf(path, sizeof(path), "/guest/%s.img", name);
    int fd = open(path, O_RDONLY);
    if (fd < 0 && !strchr(name, '/'))
        fd = open(name, O_RDONLY); /* any other file: the kernel says if it is a guest */
    if (fd < 0)
        return fd;
    size_t capacity = READ_CHUNK, size = 0;
    char *buffer = malloc(capacity);
    for (;;) {
        if (!buffer) {
            close(fd);
            return -ENOMEM;
        }
        if (size == capacity) {
            if (capacity > VM_IMAGE_MAX) /* larger than any image: stop reading */
                break;
            char *bigger = realloc(buffer, capacity * 2);
            if (!bigger)
                free(buffer);
            buffer = bigger;
            capacity *= 2;
            continue;
        }
        long got = read(fd, buffer + size, capacity - size);
        if (got < 0) {
            free(buffer);
            close(fd);
            return got;
        }
        if (got == 0)
            break;
        size += (size_t)got;
    }
    close(fd);
    *image = buffer;
    return (long)size;
}

const char *hypervisor_exit_kind_name(int kind)
{
    static const char *const names[VM_EXIT_KINDS] = {
        [VM_EXIT_IO_OUT] = "out", [VM_EXIT_IO_IN] = "in",          [VM_EXIT_CPUID] = "cpuid",
        [VM_EXIT_HLT] = "hlt",    [VM_EXIT_INTR] = "intr",         [VM_EXIT_NMI] = "nmi",
        [VM_EXIT_NPF] = "npf",    [VM_EXIT_SHUTDOWN] = "shutdown", [VM_EXIT_OTHER] = "other"};
    return kind >= 0 && kind < VM_EXIT_KINDS ? names[kind] : "?";
}

const char *hypervisor_end_name(int end)
{
    static const char *const names[] = {"running",   "halt",   "shutdown",
                                        "unhandled", "killed", "invalid"};
    return end >= 0 && end <= VM_END_INVALID ? names[end] : "?";
}
