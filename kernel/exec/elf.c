/*
 * elf.c — validating an untrusted ELF64 executable before exec maps it.
 *
 * The file is a 64-byte header, a table of program headers at e_phoff, and the
 * bytes those headers point at. exec needs only the PT_LOAD entries: each says
 * "map file[offset, offset + filesz) at vaddr, zero the rest up to memsz". Any
 * field can be a lie, so every sum below is checked for wrap-around before it
 * is compared, and headers are copied out with memcpy (the buffer need not be
 * aligned). Layouts: System V ABI, "ELF-64 Object File Format" 1.5. OSTEP ch. 13.
 */
#include "kernel/exec/elf.h"

#include "kernel/mm/layout.h"
#include "lib/errno.h"
#include "lib/string.h"

struct elf64_header {
    uint8_t ident[16]; /* magic, class, data encoding, version, ABI, padding */
    uint16_t type;
    uint16_t machine;
    uint32_t version;
    uint64_t entry;
    uint64_t program_header_offset;
    uint64_t section_header_offset;
    uint32_t flags;
    uint16_t header_size;
    uint16_t program_header_size;
    uint16_t program_header_count;
    uint16_t section_header_size;
    uint16_t section_header_count;
    uint16_t section_name_index;
};

struct elf64_program_header {
    uint32_t type;
    uint32_t flags;
    uint64_t offset;
    uint64_t virtual_address;
    uint64_t physical_address;
    uint64_t file_size;
    uint64_t memory_size;
    uint64_t alignment;
};

_Static_assert(sizeof(struct elf64_header) == 64, "Elf64_Ehdr is 64 bytes");
_Static_assert(sizeof(struct elf64_program_header) == 56, "Elf64_Phdr is 56 bytes");

#define IDENT_CLASS 4
#define IDENT_DATA 5
#define IDENT_VERSION 6
#define CLASS_64 2
#define DATA_LITTLE_ENDIAN 1
#define VERSION_CURRENT 1

#define TYPE_EXEC 2
#define TYPE_DYN 3
#define MACHINE_X86_64 62

#define PROGRAM_LOAD 1
#define PROGRAM_INTERP 3
/* e_phnum's escape value: the real count hides in section header 0. */
#define PROGRAM_HEADER_COUNT_ESCAPE 0xffff

#define FLAG_EXECUTE 1
#define FLAG_WRITE 2

static const uint8_t elf_magic[4] = {0x7f, 'E', 'L', 'F'};

/* Returns NULL when the header describes a static x86-64 executable. */
static const char *elf_check_header(const struct elf64_header *header)
{
    if (header->ident[IDENT_CLASS] != CLASS_64)
        return "not a 64-bit ELF file";
    if (header->ident[IDENT_DATA] != DATA_LITTLE_ENDIAN)
        return "not a little-endian ELF file";
    if (header->ident[IDENT_VERSION] != VERSION_CURRENT || header->version != VERSION_CURRENT)
        return "unknown ELF version";
    if (header->machine != MACHINE_X86_64)
        return "not an x86-64 executable";
    if (header->type == TYPE_DYN)
        return "position-independent executables and shared libraries are not supported";
    if (header->type != TYPE_EXEC)
        return "not an executable (an object file or core dump?)";
    if (header->program_header_size != sizeof(struct elf64_program_header))
        return "program header size is not 56 bytes";
    return NULL;
}

/* Returns NULL when the program header table lies wholly inside the file. */
static const char *elf_check_table(const struct elf64_header *header, size_t file_size)
{
    uint64_t table_size =
        (uint64_t)header->program_header_count * sizeof(struct elf64_program_header);

    if (header->program_header_count == 0)
        return "no loadable segment";
    if (header->program_header_count == PROGRAM_HEADER_COUNT_ESCAPE)
        return "too many program headers";
    if (header->program_header_offset > file_size ||
        table_size > file_size - header->program_header_offset)
        return "program headers lie outside the file";
    return NULL;
}

/*
 * Returns NULL when a PT_LOAD entry with memory_size > 0 can be mapped: its file
 * bytes are inside the file and its pages inside [lowest, highest).
 */
static const char *elf_check_load(const struct elf64_program_header *program, size_t file_size,
                                  uint64_t lowest_address, uint64_t highest_address)
{
    if (program->offset > file_size || program->file_size > file_size - program->offset)
        return "a segment's contents lie outside the file";
    if (program->virtual_address < lowest_address)
        return "a segment lies below the lowest user address";
    if (program->virtual_address > highest_address ||
        program->memory_size > highest_address - program->virtual_address)
        return "a segment extends past the end of user space";
    /* A page is mapped from the file whole, so both must sit at the same offset in it. */
    if (program->virtual_address % PAGE_SIZE != program->offset % PAGE_SIZE)
        return "a segment's address and file offset differ modulo the page size";
    return NULL;
}

/* Page numbers of a segment's first and last byte; memory_size > 0, no wrap (checked). */
static uint64_t elf_first_page(const struct elf_segment *segment)
{
    return segment->virtual_address / PAGE_SIZE;
}

static uint64_t elf_last_page(const struct elf_segment *segment)
{
    return (segment->virtual_address + segment->memory_size - 1) / PAGE_SIZE;
}

/*
 * Two segments in one page would need two sets of permissions for it (text
 * read-only, data writable), which a page table entry cannot express.
 */
static bool elf_segments_share_page(const struct elf_segment *left, const struct elf_segment *right)
{
    return elf_first_page(left) <= elf_last_page(right) &&
           elf_first_page(right) <= elf_last_page(left);
}

/* Appends a checked PT_LOAD entry to image; NULL on success. */
static const char *elf_add_segment(struct elf_image *image,
                                   const struct elf64_program_header *program)
{
    struct elf_segment segment = {
        .virtual_address = program->virtual_address,
        .memory_size = program->memory_size,
        .file_offset = program->offset,
        .file_size = program->file_size,
        .writable = (program->flags & FLAG_WRITE) != 0,
        .executable = (program->flags & FLAG_EXECUTE) != 0,
    };

    if (image->segment_count == ELF_MAX_SEGMENTS)
        return "too many loadable segments";
    for (size_t i = 0; i < image->segment_count; i++) {
        if (elf_segments_share_page(&image->segments[i], &segment))
            return "two loadable segments share a page";
    }
    image->segments[image->segment_count++] = segment;
    return NULL;
}

/* Walks the program header table (already bounds-checked) into image; NULL on success. */
static const char *elf_collect_segments(const uint8_t *bytes, size_t file_size,
                                        const struct elf64_header *header, uint64_t lowest_address,
                                        uint64_t highest_address, struct elf_image *image)
{
    for (size_t i = 0; i < header->program_header_count; i++) {
        struct elf64_program_header program;
        const char *problem;

        memcpy(&program, bytes + header->program_header_offset + i * sizeof(program),
               sizeof(program));
        if (program.type == PROGRAM_INTERP)
            return "dynamically linked executables are not supported";
        if (program.type != PROGRAM_LOAD)
            continue;
        if (program.file_size > program.memory_size)
            return "a segment's file size exceeds its memory size";
        if (program.memory_size == 0)
            continue; /* maps nothing */
        problem = elf_check_load(&program, file_size, lowest_address, highest_address);
        if (problem == NULL)
            problem = elf_add_segment(image, &program);
        if (problem != NULL)
            return problem;
    }
    return NULL;
}

static bool elf_entry_is_executable(const struct elf_image *image)
{
    for (size_t i = 0; i < image->segment_count; i++) {
        const struct elf_segment *segment = &image->segments[i];
        if (segment->executable && image->entry >= segment->virtual_address &&
            image->entry - segment->virtual_address < segment->memory_size)
            return true;
    }
    return false;
}

/* Fills *out or returns why the file cannot be run. */
static const char *elf_parse_checked(const uint8_t *bytes, size_t file_size,
                                     uint64_t lowest_address, uint64_t highest_address,
                                     struct elf_image *out)
{
    struct elf64_header header;
    const char *problem;

    if (file_size < sizeof(elf_magic) || memcmp(bytes, elf_magic, sizeof(elf_magic)) != 0)
        return "not an ELF file";
    if (file_size < sizeof(header))
        return "the ELF header is cut short";
    memcpy(&header, bytes, sizeof(header));
    problem = elf_check_header(&header);
    if (problem == NULL)
        problem = elf_check_table(&header, file_size);
    if (problem != NULL)
        return problem;

    memset(out, 0, sizeof(*out));
    out->entry = header.entry;
    problem = elf_collect_segments(bytes, file_size, &header, lowest_address, highest_address, out);
    if (problem != NULL)
        return problem;
    if (out->segment_count == 0)
        return "no loadable segment";
    if (!elf_entry_is_executable(out))
        return "the entry point is not inside an executable segment";
    return NULL;
}

int elf_parse(const void *file, size_t file_size, uint64_t lowest_address, uint64_t highest_address,
              struct elf_image *out, const char **reason)
{
    const char *problem = elf_parse_checked(file, file_size, lowest_address, highest_address, out);

    if (problem == NULL)
        return 0;
    if (reason != NULL)
        *reason = problem;
    return -ENOEXEC;
}
