/*
 * initrd.c — names to bytes, over the ustar archive GRUB loaded.
 *
 * The archive is checked once, at boot, by walking every header with
 * ustar_next; if a header is damaged the archive is treated as ending just
 * before it, so later lookups can never walk into bad data and one broken
 * entry does not cost the whole shell. Lookups walk the archive again each
 * time: it holds a few dozen files, and a walk reads only their headers.
 * OSTEP ch. 39 (Files and Directories).
 */
#include "kernel/fs/initrd.h"
#include "kernel/console.h"
#include "kernel/fs/ustar.h"
#include "lib/errno.h"
#include "lib/string.h"

#define INITRD_PROGRAM_DIRECTORY "bin/"

static const void *initrd_archive;
static size_t initrd_size; /* only the part that passed the check at boot */
static int initrd_file_count;

static bool initrd_is_regular(const struct ustar_entry *entry)
{
    return entry->type == USTAR_TYPE_REGULAR || entry->type == USTAR_TYPE_REGULAR_OLD;
}

void initrd_init(const void *archive, size_t size)
{
    initrd_archive = archive;
    initrd_size = 0;
    initrd_file_count = 0;
    if (archive == NULL || size == 0) {
        kprintf("initrd: none loaded (no multiboot2 module); no user programs\n");
        return;
    }

    struct ustar_entry entry;
    size_t offset = 0;
    uint64_t file_bytes = 0;
    int result;
    while ((result = ustar_next(archive, size, &offset, &entry)) == 1) {
        if (initrd_is_regular(&entry)) {
            initrd_file_count++;
            file_bytes += entry.size;
        }
    }
    if (result < 0 && offset == 0) {
        kprintf("initrd: not a ustar archive (bad header at byte 0); no user programs\n");
        size = 0;
    } else if (result < 0) {
        /* ustar_next left offset where the bad header starts. */
        kprintf("initrd: damaged header at byte %zu of %zu; using the %d files before it\n", offset,
                size, initrd_file_count);
        size = offset;
    } else {
        kprintf("initrd: %d files, %llu KiB\n", initrd_file_count,
                (unsigned long long)((file_bytes + 1023) / 1024));
    }
    initrd_size = size;
}

bool initrd_present(void)
{
    return initrd_file_count > 0;
}

static int initrd_lookup(const char *path, const void **data, size_t *size)
{
    struct ustar_entry entry;
    int result = ustar_find(initrd_archive, initrd_size, path, &entry);
    if (result < 0)
        return -ENOENT; /* -EINVAL cannot happen: the archive was checked */
    *data = entry.data;
    *size = (size_t)entry.size;
    return 0;
}

int initrd_find(const char *path, const void **data, size_t *size)
{
    if (initrd_size == 0 || path[0] == '\0')
        return -ENOENT;
    if (initrd_lookup(path, data, size) == 0)
        return 0;
    if (strchr(path, '/') != NULL)
        return -ENOENT;

    char program[sizeof(INITRD_PROGRAM_DIRECTORY) + USTAR_NAME_MAX];
    strlcpy(program, INITRD_PROGRAM_DIRECTORY, sizeof(program));
    if (strlcpy(program + sizeof(INITRD_PROGRAM_DIRECTORY) - 1, path, USTAR_NAME_MAX) >=
        USTAR_NAME_MAX)
        return -ENOENT; /* longer than any stored name */
    return initrd_lookup(program, data, size);
}

int initrd_entry(int index, char *name, size_t name_size, uint64_t *file_size)
{
    struct ustar_entry entry;
    size_t offset = 0;
    int seen = 0;

    if (index < 0)
        return -ENOENT;
    while (ustar_next(initrd_archive, initrd_size, &offset, &entry) == 1) {
        if (!initrd_is_regular(&entry) || seen++ != index)
            continue;
        if (strlcpy(name, ustar_strip_leading(entry.name), name_size) >= name_size)
            return -ENAMETOOLONG;
        *file_size = entry.size;
        return 0;
    }
    return -ENOENT;
}
