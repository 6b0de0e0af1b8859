/*
 * elf.h — checking an ELF64 executable and listing what exec must map.
 *
 * exec (OSTEP ch. 5) turns a file into an address space (ch. 13): each PT_LOAD
 * segment becomes a range of user pages, filled from the file and then zeroed
 * up to its memory size, and the new process starts at the entry point.
 * elf_parse() only reads and checks a byte buffer (the file is untrusted, so
 * every offset and size is bounds- and overflow-checked); it allocates and maps
 * nothing. Only static x86-64 executables (ET_EXEC, no PT_INTERP) are accepted.
 */
#ifndef PRISM_KERNEL_EXEC_ELF_H
#define PRISM_KERNEL_EXEC_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * One range to map: [virtual_address, virtual_address + memory_size), whose
 * first file_size bytes come from the file at file_offset and the rest are zero.
 * Invariants after elf_parse(): file_size <= memory_size, memory_size > 0,
 * virtual_address % 4096 == file_offset % 4096, and no two segments touch the
 * same page.
 */
struct elf_segment {
    uint64_t virtual_address, memory_size, file_offset, file_size;
    bool writable, executable; /* readable is implied */
};

#define ELF_MAX_SEGMENTS 8

struct elf_image {
    uint64_t entry; /* inside an executable segment */
    struct elf_segment segments[ELF_MAX_SEGMENTS];
    size_t segment_count; /* 1..ELF_MAX_SEGMENTS, in program-header order */
};

/*
 * Checks file[0, file_size) and fills *out. Every segment must lie within
 * [lowest_address, highest_address) (the kernel passes a floor that keeps
 * page 0 unmapped, and USER_HALF_END). Returns 0, or -ENOEXEC with *reason set
 * to a short sentence for the user ("dynamic executables are not supported").
 * reason may be NULL; *out is only meaningful on success.
 */
int elf_parse(const void *file, size_t file_size, uint64_t lowest_address, uint64_t highest_address,
              struct elf_image *out, const char **reason);

#endif
