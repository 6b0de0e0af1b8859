/*
 * symbols.h — turning a code address into "function+0x1a" for backtraces.
 *
 * The table is generated: the build links the kernel once with an empty table,
 * runs `nm -n --defined-only` on it, feeds that to tools/mksymtab, and links
 * again with the result. kernel.ld places .rodata after .text, so the table's
 * size cannot move any function between the two links. panic() and the
 * exception handlers call symbols_lookup() for each return address they find.
 * OSTEP ch. 6 (reading a trap report: which function was running).
 */
#ifndef PRISM_KERNEL_SYMBOLS_H
#define PRISM_KERNEL_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

/*
 * A text symbol, or (name == NULL) the end of a text range: addresses from
 * there up to the next named symbol belong to no function.
 */
struct kernel_symbol {
    uint64_t address;
    const char *name;
};

/* How far past a symbol an address may lie and still be named after it. */
#define SYMBOLS_MAX_DISTANCE (1024 * 1024)

/* Sorted by address; defined by the file that tools/mksymtab writes. */
extern const struct kernel_symbol kernel_symbols[];
extern const size_t kernel_symbol_count;

/*
 * The name of the function holding address, and its distance from the
 * function's start in *offset_out (may be NULL). NULL when address lies
 * before the first symbol, in a range closed by an end marker, or more than
 * SYMBOLS_MAX_DISTANCE past the closest symbol below it.
 */
const char *symbols_lookup(uint64_t address, uint64_t *offset_out);

/* The same search over any sorted table (used for the kernel's and in tests). */
const char *symbols_lookup_in(const struct kernel_symbol *table, size_t count, uint64_t address,
                              uint64_t *offset_out);

#endif
