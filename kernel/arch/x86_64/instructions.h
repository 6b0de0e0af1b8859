/*
 * instructions.h — C names for the x86-64 instructions C cannot express.
 *
 * Port I/O, control registers, model-specific registers, interrupt masking
 * and halting. Each wrapper is one instruction; the "memory" clobbers stop the
 * compiler from moving memory accesses across ones whose order matters
 * (enabling interrupts, switching page tables). Only arch code includes this.
 * OSTEP ch. 6 (Limited Direct Execution): these are the privileged operations
 * that only the kernel may perform.
 */
#ifndef PRISM_ARCH_INSTRUCTIONS_H
#define PRISM_ARCH_INSTRUCTIONS_H

#include <stdint.h>

static inline void outb(uint16_t port, uint8_t value)
{
    __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t value;
    __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

static inline void outw(uint16_t port, uint16_t value)
{
    __asm__ volatile("outw %0, %1" : : "a"(value), "Nd"(port));
}

/* Moves `count` 16-bit words between a port and memory (ATA PIO data). */
static inline void port_read_words(uint16_t port, void *buffer, uint64_t count)
{
    __asm__ volatile("rep insw" : "+D"(buffer), "+c"(count) : "d"(port) : "memory");
}

static inline void port_write_words(uint16_t port, const void *buffer, uint64_t count)
{
    __asm__ volatile("rep outsw" : "+S"(buffer), "+c"(count) : "d"(port) : "memory");
}

/* A write to an unused port takes ~1 µs: long enough for old PIC chips. */
static inline void io_wait(void)
{
    outb(0x80, 0);
}

static inline void interrupts_enable(void)
{
    __asm__ volatile("sti" ::: "memory");
}

static inline void interrupts_disable(void)
{
    __asm__ volatile("cli" ::: "memory");
}

static inline uint64_t interrupts_save_disable(void)
{
    uint64_t flags;
    __asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
    return flags;
}

static inline void interrupts_restore(uint64_t flags)
{
    if (flags & (1 << 9)) /* IF was set */
        interrupts_enable();
}

static inline void cpu_halt(void)
{
    __asm__ volatile("hlt" ::: "memory");
}

/* sti takes effect after the next instruction, so no interrupt can slip in
 * between the check that made us idle and the hlt that waits for one. */
static inline void cpu_enable_interrupts_and_halt(void)
{
    __asm__ volatile("sti; hlt" ::: "memory");
}

static inline uint64_t read_cr2(void)
{
    uint64_t value;
    __asm__ volatile("mov %%cr2, %0" : "=r"(value));
    return value;
}

static inline uint64_t read_cr0(void)
{
    uint64_t value;
    __asm__ volatile("mov %%cr0, %0" : "=r"(value));
    return value;
}

static inline uint64_t read_cr4(void)
{
    uint64_t value;
    __asm__ volatile("mov %%cr4, %0" : "=r"(value));
    return value;
}

static inline void write_cr0(uint64_t value)
{
    __asm__ volatile("mov %0, %%cr0" : : "r"(value) : "memory");
}

static inline void write_cr4(uint64_t value)
{
    __asm__ volatile("mov %0, %%cr4" : : "r"(value) : "memory");
}

#ifdef PRISM_HOST
/*
 * Host unit tests run the kernel's memory code (address spaces, page faults,
 * user copies) as an ordinary user program, where these instructions would
 * trap. There CR3 is a plain variable and there is no TLB to flush. The
 * variable is per translation unit, which is enough: the code that switches
 * page tables reads back only what it wrote itself.
 */
static uint64_t host_cr3;

static inline uint64_t read_cr3(void)
{
    return host_cr3;
}

static inline void write_cr3(uint64_t value)
{
    host_cr3 = value;
}

static inline void invlpg(uint64_t virtual_address)
{
    (void)virtual_address;
}
#else
static inline uint64_t read_cr3(void)
{
    uint64_t value;
    __asm__ volatile("mov %%cr3, %0" : "=r"(value));
    return value;
}

/* Loading CR3 also flushes every non-global TLB entry. */
static inline void write_cr3(uint64_t value)
{
    __asm__ volatile("mov %0, %%cr3" : : "r"(value) : "memory");
}

static inline void invlpg(uint64_t virtual_address)
{
    __asm__ volatile("invlpg (%0)" : : "r"(virtual_address) : "memory");
}
#endif

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t low, high;
    __asm__ volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(msr));
    return ((uint64_t)high << 32) | low;
}

static inline void wrmsr(uint32_t msr, uint64_t value)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)));
}

static inline uint64_t rdtsc(void)
{
    uint32_t low, high;
    __asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
    return ((uint64_t)high << 32) | low;
}

static inline void cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
    __asm__ volatile("cpuid"
                     : "=a"(out[0]), "=b"(out[1]), "=c"(out[2]), "=d"(out[3])
                     : "a"(leaf), "c"(subleaf));
}

#endif
