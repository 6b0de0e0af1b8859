/*
 * ustar.c — walking a tar archive header by header without trusting it.
 *
 * An archive is a run of 512-byte blocks: a header block per entry, then the
 * entry's data padded to a whole block, and at the end two all-zero blocks.
 * Numbers in a header are ASCII octal; the checksum is the sum of the header's
 * bytes with the checksum field read as eight spaces. Layout: POSIX.1-2017,
 * pax, "ustar Interchange Format". Feeds exec and the initrd file system
 * (OSTEP ch. 39) from ustar_find().
 */
#include "kernel/fs/ustar.h"

#include <stdbool.h>

#include "lib/errno.h"
#include "lib/string.h"

/* Field offsets and lengths inside a header block. */
#define FIELD_NAME 0
#define FIELD_NAME_LENGTH 100
#define FIELD_MODE 100
#define FIELD_MODE_LENGTH 8
#define FIELD_SIZE 124
#define FIELD_SIZE_LENGTH 12
#define FIELD_CHECKSUM 148
#define FIELD_CHECKSUM_LENGTH 8
#define FIELD_TYPE 156
#define FIELD_MAGIC 257
#define FIELD_PREFIX 345
#define FIELD_PREFIX_LENGTH 155

/*
 * Parses an octal field: optional leading spaces, at least one digit, then only
 * NULs or spaces. At most 12 digits fit a field, so the value cannot overflow.
 */
static bool ustar_parse_octal(const uint8_t *field, size_t length, uint64_t *value)
{
    size_t i = 0;
    size_t digits = 0;

    *value = 0;
    while (i < length && field[i] == ' ')
        i++;
    for (; i < length && field[i] >= '0' && field[i] <= '7'; i++, digits++)
        *value = *value * 8 + (uint64_t)(field[i] - '0');
    for (; i < length; i++) {
        if (field[i] != '\0' && field[i] != ' ')
            return false;
    }
    return digits > 0;
}

static bool ustar_block_is_zero(const uint8_t *block)
{
    for (size_t i = 0; i < USTAR_BLOCK_SIZE; i++) {
        if (block[i] != 0)
            return false;
    }
    return true;
}

static bool ustar_checksum_matches(const uint8_t *header)
{
    uint64_t stored;
    uint64_t sum = 0;

    if (!ustar_parse_octal(header + FIELD_CHECKSUM, FIELD_CHECKSUM_LENGTH, &stored))
        return false;
    for (size_t i = 0; i < USTAR_BLOCK_SIZE; i++) {
        bool in_checksum = i >= FIELD_CHECKSUM && i < FIELD_CHECKSUM + FIELD_CHECKSUM_LENGTH;
        sum += in_checksum ? (uint64_t)' ' : header[i];
    }
    return sum == stored;
}

/*
 * POSIX writes "ustar\0" + "00"; GNU tar's own format writes "ustar  \0" and
 * reuses the prefix area for other fields, so only POSIX headers have a prefix.
 */
static bool ustar_magic_is_valid(const uint8_t *header, bool *has_prefix)
{
    if (memcmp(header + FIELD_MAGIC, "ustar", 5) != 0)
        return false;
    *has_prefix = header[FIELD_MAGIC + 5] == '\0';
    return header[FIELD_MAGIC + 5] == '\0' || header[FIELD_MAGIC + 5] == ' ';
}

/* Joins prefix and name (neither need be NUL-terminated in the header). */
static bool ustar_join_name(const uint8_t *header, bool has_prefix, char *name)
{
    const char *stored_name = (const char *)header + FIELD_NAME;
    const char *prefix = (const char *)header + FIELD_PREFIX;
    size_t name_length = strnlen(stored_name, FIELD_NAME_LENGTH);
    size_t prefix_length = has_prefix ? strnlen(prefix, FIELD_PREFIX_LENGTH) : 0;
    size_t length = 0;

    if (prefix_length + 1 + name_length >= USTAR_NAME_MAX)
        return false;
    if (prefix_length > 0) {
        memcpy(name, prefix, prefix_length);
        name[prefix_length] = '/';
        length = prefix_length + 1;
    }
    memcpy(name + length, stored_name, name_length);
    name[length + name_length] = '\0';
    return true;
}

/* Links, devices, FIFOs and directories store no data blocks, whatever size says. */
static bool ustar_type_has_data(char type)
{
    return type < '1' || type > '6';
}

/* Fills entry from a header block; false if any field is malformed. */
static bool ustar_decode_header(const uint8_t *header, struct ustar_entry *entry)
{
    uint64_t mode;
    uint64_t size;
    bool has_prefix;

    if (!ustar_magic_is_valid(header, &has_prefix) || !ustar_checksum_matches(header))
        return false;
    if (!ustar_parse_octal(header + FIELD_MODE, FIELD_MODE_LENGTH, &mode) ||
        !ustar_parse_octal(header + FIELD_SIZE, FIELD_SIZE_LENGTH, &size))
        return false;
    if (!ustar_join_name(header, has_prefix, entry->name))
        return false;
    entry->type = (char)header[FIELD_TYPE];
    entry->mode = (uint32_t)(mode & 07777);
    entry->size = ustar_type_has_data(entry->type) ? size : 0;
    entry->data = header + USTAR_BLOCK_SIZE;
    return true;
}

/*
 * A zero block ends the archive when what follows is another zero block or
 * less than a block; a zero block followed by a header means damage.
 */
static int ustar_zero_block_result(const uint8_t *bytes, size_t archive_size, size_t offset)
{
    size_t next = offset + USTAR_BLOCK_SIZE;

    if (archive_size - next < USTAR_BLOCK_SIZE || ustar_block_is_zero(bytes + next))
        return 0;
    return -EINVAL;
}

int ustar_next(const void *archive, size_t archive_size, size_t *offset, struct ustar_entry *entry)
{
    const uint8_t *bytes = archive;
    size_t data_offset;
    uint64_t padded_size;

    if (*offset == archive_size)
        return 0;
    if (*offset > archive_size || *offset % USTAR_BLOCK_SIZE != 0 ||
        archive_size - *offset < USTAR_BLOCK_SIZE)
        return -EINVAL;
    if (ustar_block_is_zero(bytes + *offset))
        return ustar_zero_block_result(bytes, archive_size, *offset);
    if (!ustar_decode_header(bytes + *offset, entry))
        return -EINVAL;

    data_offset = *offset + USTAR_BLOCK_SIZE;
    if (entry->size > archive_size - data_offset)
        return -EINVAL;
    /* No overflow: size <= archive_size, far below 2^64 - 512. */
    padded_size = (entry->size + USTAR_BLOCK_SIZE - 1) / USTAR_BLOCK_SIZE * USTAR_BLOCK_SIZE;
    if (padded_size > archive_size - data_offset)
        padded_size = archive_size - data_offset; /* the final padding was cut off */
    *offset = data_offset + padded_size;
    return 1;
}

const char *ustar_strip_leading(const char *name)
{
    for (;;) {
        if (name[0] == '/')
            name++;
        else if (name[0] == '.' && name[1] == '/')
            name += 2;
        else
            return name;
    }
}

int ustar_find(const void *archive, size_t archive_size, const char *name,
               struct ustar_entry *entry)
{
    const char *wanted = ustar_strip_leading(name);
    size_t offset = 0;
    int result;

    if (wanted[0] == '\0')
        return -ENOENT;
    while ((result = ustar_next(archive, archive_size, &offset, entry)) == 1) {
        bool regular = entry->type == USTAR_TYPE_REGULAR || entry->type == USTAR_TYPE_REGULAR_OLD;
        if (regular && strcmp(ustar_strip_leading(entry->name), wanted) == 0)
            return 0;
    }
    return result == 0 ? -ENOENT : result;
}
