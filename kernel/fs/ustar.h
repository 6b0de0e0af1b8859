/*
 * ustar.h — reading the initrd, a POSIX ustar (tar) archive, in place.
 *
 * GRUB loads the archive as a multiboot2 module; the kernel finds user
 * programs in it by name ("/bin/sh") and exec reads their bytes straight out of
 * the archive, so an entry's data points into the archive and nothing is copied
 * or allocated. The archive may be damaged: every header is checked (magic,
 * checksum, octal fields, sizes against the archive's end) before use.
 * OSTEP ch. 39 (Files and Directories) describes what the entries stand for.
 */
#ifndef PRISM_KERNEL_FS_USTAR_H
#define PRISM_KERNEL_FS_USTAR_H

#include <stddef.h>
#include <stdint.h>

#define USTAR_BLOCK_SIZE 512
#define USTAR_NAME_MAX 256 /* bytes in entry.name, the NUL included */

/* Entry types (the header's typeflag byte). */
#define USTAR_TYPE_REGULAR '0'
#define USTAR_TYPE_REGULAR_OLD '\0'
#define USTAR_TYPE_HARD_LINK '1'
#define USTAR_TYPE_SYMLINK '2'
#define USTAR_TYPE_DIRECTORY '5'

struct ustar_entry {
    char name[USTAR_NAME_MAX]; /* prefix + "/" + name as stored, NUL-terminated */
    char type;                 /* a USTAR_TYPE_* value, or another typeflag byte */
    const void *data;          /* size bytes inside the archive */
    uint64_t size;             /* 0 for links, devices, FIFOs and directories */
    uint32_t mode;             /* permission bits, e.g. 0755 */
};

/*
 * Reads the header at *offset (a multiple of 512; start at 0). Returns 1 with
 * *entry filled and *offset moved past the entry's data (rounded up to 512
 * bytes, or to archive_size if the archive ends inside that padding); 0 at the
 * end of the archive (*offset == archive_size, or a zero block followed by a
 * zero block or by less than a block); -EINVAL if a header or its data is
 * malformed or cut short (a zero block followed by a header counts as damage),
 * or the joined name does not fit in entry->name. pax headers
 * ('x', 'g') and GNU long names ('L') come back as entries of their own and are
 * not interpreted: build the initrd with `tar --format=ustar`.
 */
int ustar_next(const void *archive, size_t archive_size, size_t *offset, struct ustar_entry *entry);

/*
 * Finds the regular file called name. A leading "./" or "/" (repeated or not)
 * is ignored on both sides, so "/bin/sh", "bin/sh" and "./bin/sh" all match an
 * entry stored as "./bin/sh" or "bin/sh". Returns 0 with *entry filled,
 * -ENOENT if no regular file has that name, or -EINVAL if the archive is
 * malformed before the file is reached. The first entry of that name wins.
 */
int ustar_find(const void *archive, size_t archive_size, const char *name,
               struct ustar_entry *entry);

/* Skips any run of leading "./" and "/", so "/bin/sh", "./bin/sh" and
 * "bin/sh" all name the same entry. */
const char *ustar_strip_leading(const char *name);

#endif
