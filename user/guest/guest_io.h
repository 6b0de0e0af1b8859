/*
 * guest_io.h — what every Prism guest OS needs to talk to its hypervisor:
 * serial output (each byte an OUT to 0x3f8, one IOIO exit, which comes out
 * as the `vm` process's output), numbers in decimal and hex, CPUID, and
 * powering off (HLT with interrupts off ends the VM). Shared by the guests
 * in user/guest/ (tiny.c, fpu.c); freestanding, header-only.
 * OSTEP appendix B (the guest's I/O traps into the VMM).
 */
#ifndef PRISM_USER_GUEST_GUEST_IO_H
#define PRISM_USER_GUEST_GUEST_IO_H

#include <stdint.h>

#define GUEST_SERIAL_PORT 0x3f8

static inline void out_byte(uint16_t port, uint8_t value)
{
    __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline void put_char(char c)
{
    out_byte(GUEST_SERIAL_PORT, (uint8_t)c); /* each byte: one IOIO exit */
}

static inline void put_string(const char *s)
{
    while (*s)
        put_char(*s++);
}

static inline void put_number(unsigned long n)
{
    char digits[21];
    int i = 0;
    do
        digits[i++] = (char)('0' + n % 10);
    while ((n /= 10) > 0);
    while (i > 0)
        put_char(digits[--i]);
}

/* "0x" and exactly `digits` hex digits. */
static inline void put_hex(uint64_t n, int digits)
{
    put_string("0x");
    while (digits-- > 0)
        put_char("0123456789abcdef"[(n >> (4 * digits)) & 0xf]);
}

static inline void cpuid(uint32_t leaf, uint32_t out[4])
{
    __asm__ volatile("cpuid"
                     : "=a"(out[0]), "=b"(out[1]), "=c"(out[2]), "=d"(out[3])
                     : "a"(leaf), "c"(0));
}

static inline void power_off(void)
{
    for (;;)
        __asm__ volatile("cli; hlt");
}

#endif
