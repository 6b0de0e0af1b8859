/*
 * initrd.h — the initial RAM disk: user programs and files, read-only.
 *
 * GRUB loads a ustar archive (built from user/ at `make` time) next to the
 * kernel as a multiboot2 module. initrd_init checks it once at boot; after
 * that exec and open() find files in it by name, and `ls` lists it with
 * readdir. Nothing is copied: every file's bytes stay inside the archive.
 * OSTEP ch. 39 (Files and Directories).
 */
#ifndef PRISM_KERNEL_FS_INITRD_H
#define PRISM_KERNEL_FS_INITRD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/fs/ustar.h"

#define INITRD_NAME_MAX USTAR_NAME_MAX /* the longest name, its NUL included */

/* Walks the archive and prints "initrd: N files, K KiB" or what is wrong.
 * archive may be NULL (no module loaded). A damaged archive is cut short at
 * the first bad header; the files before it stay usable. */
void initrd_init(const void *archive, size_t size);

/* True when an archive with at least one regular file was found. */
bool initrd_present(void);

/*
 * Finds a regular file: "/bin/sh" and "bin/sh" name the same entry, and a
 * bare name with no '/' ("sh") is also looked up as "bin/sh". 0 with *data
 * and *size set, or -ENOENT.
 */
int initrd_find(const char *path, const void **data, size_t *size);

/*
 * The index-th regular file (0, 1, ... in archive order), for readdir: its
 * name without any leading "./" or "/" into name (NUL-terminated) and its
 * size. -ENOENT past the last file, -ENAMETOOLONG if the name does not fit.
 */
int initrd_entry(int index, char *name, size_t name_size, uint64_t *file_size);

#endif
