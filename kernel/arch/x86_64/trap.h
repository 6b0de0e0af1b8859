/*
 * trap.h — the trap frame: the machine state saved when an interrupt,
 * exception or (later) system call enters the kernel.
 *
 * trap_entry.asm builds it on the kernel stack; C reads and may change it, and
 * the return path restores the CPU from it. The layout below is the order of
 * the pushes, lowest address first: general registers (pushed by the stub),
 * then vector and error code (stub), then what the CPU itself pushed.
 * OSTEP ch. 6 (Limited Direct Execution): trap, handler, return-from-trap.
 */
#ifndef PRISM_ARCH_TRAP_H
#define PRISM_ARCH_TRAP_H

#include <stdint.h>

struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;                   /* which of the 256 IDT entries fired */
    uint64_t error_code;               /* pushed by the CPU for some exceptions, else 0 */
    uint64_t rip, cs, rflags, rsp, ss; /* the interrupted context */
};

#define TRAP_PAGE_FAULT 14
#define TRAP_IRQ_BASE 32 /* PIC lines 0..15 arrive as vectors 32..47 */
#define TRAP_IRQ_TIMER (TRAP_IRQ_BASE + 0)
#define TRAP_IRQ_KEYBOARD (TRAP_IRQ_BASE + 1)
#define TRAP_IRQ_SERIAL (TRAP_IRQ_BASE + 4)

void idt_init(void);

/* Called by trap_entry.asm for every vector; dispatches to handlers. */
void trap_dispatch(struct trap_frame *frame);

/* The exception's name ("page fault") or NULL for non-exception vectors. */
const char *trap_exception_name(uint64_t vector);

/* Prints every register in the frame (used by the panic report). */
void trap_print_frame(const struct trap_frame *frame);

#endif
