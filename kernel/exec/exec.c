/*
 * exec.c — turning a file into a running program.
 *
 * exec finds the program in the initrd, checks it with the ELF parser (which
 * rejects anything malformed before a single page is mapped), and builds a
 * brand-new address space: each loadable segment with the permissions its
 * flags ask for (text read+execute, rodata read-only, data read+write, no
 * execute), an empty heap right after the last segment, and a stack region
 * near the top of the user half whose top page holds the argument strings
 * and the argv array. Only when all of that succeeded is the old address
 * space thrown away, so a failed exec leaves the caller exactly as it was.
 * OSTEP ch. 5 (exec), ch. 13 (address space layout).
 */
#include "kernel/exec/exec.h"
#include "kernel/arch/x86_64/cpu_state.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/exec/elf.h"
#include "kernel/fs/initrd.h"
#include "kernel/group/group.h"
#include "kernel/mm/address_space.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page_table.h"
#include "kernel/mm/swap.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/scheduler.h"
#include "kernel/trace/trace.h"
#include "lib/errno.h"
#include "lib/string.h"

#define USER_RFLAGS 0x202             /* IF set: user code always runs with interrupts on */
#define LOWEST_USER_ADDRESS PAGE_SIZE /* page 0 stays unmapped */
#define STACK_REGION_START (USER_STACK_TOP - USER_STACK_LIMIT)

/* Copies bytes into an address space that is not loaded, page by page
 * through the direct map (the pages must already be mapped). */
static int copy_into_space(struct address_space *as, uint64_t address, const void *source,
                           size_t length)
{
    const char *bytes = source;
    while (length > 0) {
        uint64_t physical;
        if (!page_table_translate(as->pml4, address, &physical))
            return -EFAULT;
        size_t chunk = PAGE_SIZE - (address & (PAGE_SIZE - 1));
        if (chunk > length)
            chunk = length;
        memcpy(phys_to_virt(physical), bytes, chunk);
        bytes += chunk;
        address += chunk;
        length -= chunk;
    }
    return 0;
}

static uint64_t segment_page_flags(const struct elf_segment *segment)
{
    uint64_t flags = PTE_USER;
    if (segment->writable)
        flags |= PTE_WRITABLE;
    if (!segment->executable)
        flags |= PTE_NO_EXECUTE;
    return flags;
}

static enum region_kind segment_kind(const struct elf_segment *segment)
{
    if (segment->executable)
        return REGION_TEXT;
    return segment->writable ? REGION_DATA : REGION_RODATA;
}

static int load_segment(struct address_space *as, const uint8_t *file,
                        const struct elf_segment *segment)
{
    uint64_t start = PAGE_ROUND_DOWN(segment->virtual_address);
    uint64_t end = PAGE_ROUND_UP(segment->virtual_address + segment->memory_size);
    int result =
        as_add_region(as, start, end, segment_page_flags(segment), segment_kind(segment), false);
    for (uint64_t page = start; result == 0 && page < end; page += PAGE_SIZE)
        result = as_map_zeroed_page(as, page, NULL);
    if (result == 0 && segment->file_size > 0)
        result = copy_into_space(as, segment->virtual_address, file + segment->file_offset,
                                 segment->file_size);
    return result;
}

/* Lays out argument strings and the argv array at the top of the stack;
 * returns the initial stack pointer (16-byte aligned) and argv's address. */
static int build_stack(struct address_space *as, char *const argv[], uint64_t *stack_pointer,
                       uint64_t *argv_address, int *argc_out)
{
    static char block[EXEC_MAX_ARG_BYTES + (EXEC_MAX_ARGS + 1) * sizeof(uint64_t) + 32];
    int argc = 0;
    size_t string_bytes = 0;
    while (argv && argv[argc]) {
        if (argc == EXEC_MAX_ARGS)
            return -E2BIG;
        string_bytes += strlen(argv[argc]) + 1;
        argc++;
    }
    if (string_bytes > EXEC_MAX_ARG_BYTES)
        return -E2BIG;

    uint64_t strings_start = USER_STACK_TOP - string_bytes;
    uint64_t array_start = (strings_start - (argc + 1) * sizeof(uint64_t)) & ~15UL;
    size_t block_size = USER_STACK_TOP - array_start;
    uint64_t *array = (uint64_t *)block;
    char *strings = block + (strings_start - array_start);
    for (int i = 0; i < argc; i++) {
        size_t length = strlen(argv[i]) + 1;
        memcpy(strings, argv[i], length);
        array[i] = strings_start + (uint64_t)(strings - (block + (strings_start - array_start)));
        strings += length;
    }
    array[argc] = 0;

    for (uint64_t page = PAGE_ROUND_DOWN(array_start); page < USER_STACK_TOP; page += PAGE_SIZE) {
        int result = as_map_zeroed_page(as, page, NULL);
        if (result < 0)
            return result;
    }
    int result = copy_into_space(as, array_start, block, block_size);
    *stack_pointer = array_start;
    *argv_address = array_start;
    *argc_out = argc;
    return result;
}

static int build_address_space(const uint8_t *file, size_t size, char *const argv[],
                               unsigned group_id, struct address_space **as_out,
                               struct trap_frame *frame)
{
    struct elf_image image;
    const char *reason = NULL;
    if (elf_parse(file, size, LOWEST_USER_ADDRESS, STACK_REGION_START - PAGE_SIZE, &image,
                  &reason) < 0)
        return -ENOEXEC;
    struct address_space *as = as_create();
    if (!as)
        return -ENOMEM;
    as->group_id = group_id; /* its frames count against the group's limit from the start */
    int result = 0;
    uint64_t highest_end = 0;
    for (size_t i = 0; result == 0 && i < image.segment_count; i++) {
        result = load_segment(as, file, &image.segments[i]);
        uint64_t end =
            PAGE_ROUND_UP(image.segments[i].virtual_address + image.segments[i].memory_size);
        if (end > highest_end)
            highest_end = end;
    }
    if (result == 0) {
        as->heap_start = as->heap_break = highest_end;
        result = as_add_region(as, highest_end, highest_end,
                               PTE_USER | PTE_WRITABLE | PTE_NO_EXECUTE, REGION_HEAP, true);
    }
    if (result == 0)
        result = as_add_region(as, STACK_REGION_START, USER_STACK_TOP,
                               PTE_USER | PTE_WRITABLE | PTE_NO_EXECUTE, REGION_STACK, true);
    uint64_t stack_pointer = 0, argv_address = 0;
    int argc = 0;
    if (result == 0)
        result = build_stack(as, argv, &stack_pointer, &argv_address, &argc);
    if (result < 0) {
        as_destroy(as);
        return result;
    }
    memset(frame, 0, sizeof(*frame));
    frame->rip = image.entry;
    frame->rsp = stack_pointer;
    frame->rdi = (uint64_t)argc;
    frame->rsi = argv_address;
    frame->cs = GDT_USER_CODE;
    frame->ss = GDT_USER_DATA;
    frame->rflags = USER_RFLAGS;
    *as_out = as;
    return 0;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int exec_load(struct proc *p, const char *path, char *const argv[])
{
    const void *file;
    size_t size;
    int result = initrd_find(path, &file, &size);
    if (result < 0)
        return result;
    struct address_space *new_space = NULL;
    struct trap_frame frame;
    result = build_address_space(file, size, argv, group_id_of(p), &new_space, &frame);
    if (result < 0)
        return result;

    struct address_space *old_space = p->address_space;
    p->address_space = new_space;
    if (p == proc_current())
        as_activate(new_space);
    as_destroy(old_space);
    swap_adopt(new_space); /* built: its pages may be evicted from now on */
    *p->trap_frame = frame;
    cpu_state_exec(p); /* a new program starts with a clean FPU and no fs/gs */
    proc_set_name(p, base_name(path));
    trace_exec(p->pid, p->name);
    return 0;
}
