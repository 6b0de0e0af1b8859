/*
 * symbols.c — binary search of the generated symbol table.
 *
 * The greatest symbol at or below an address names the function that holds
 * it, provided nothing closes the range in between: mksymtab turns the linker
 * script's end-of-text marker into a nameless entry, and a symbol farther
 * than SYMBOLS_MAX_DISTANCE below is taken to be unrelated. No allocation, no
 * locks, so panic() may call it in any state. OSTEP ch. 6 (a trap saves the
 * rip that a backtrace starts from).
 */
#include "kernel/symbols.h"

const char *symbols_lookup_in(const struct kernel_symbol *table, size_t count, uint64_t address,
                              uint64_t *offset_out)
{
    /* Invariant: table[0 .. low) <= address < table[high .. count). */
    size_t low = 0, high = count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (table[middle].address <= address)
            low = middle + 1;
        else
            high = middle;
    }
    if (low == 0)
        return NULL;
    const struct kernel_symbol *symbol = &table[low - 1];
    uint64_t offset = address - symbol->address;
    if (symbol->name == NULL || offset >= SYMBOLS_MAX_DISTANCE)
        return NULL;
    if (offset_out != NULL)
        *offset_out = offset;
    return symbol->name;
}

const char *symbols_lookup(uint64_t address, uint64_t *offset_out)
{
    return symbols_lookup_in(kernel_symbols, kernel_symbol_count, address, offset_out);
}
