/*
 * interrupts_off.c — the check behind the kernel's one concurrency rule
 * (see interrupts_off.h for the rule and who relies on it).
 *
 * Reading IF and clearing it are one instruction sequence here: when the
 * check fails, interrupts stay off, so the panic report itself cannot be
 * interleaved with an interrupt.
 * OSTEP ch. 6 (Limited Direct Execution: the kernel masks interrupts).
 */
#include "kernel/interrupts_off.h"
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/panic.h"

#define RFLAGS_IF (1ull << 9)

void interrupts_assert_off(const char *where)
{
    if (interrupts_save_disable() & RFLAGS_IF)
        panic("interrupts enabled in %s: the kernel must run with interrupts disabled", where);
}
