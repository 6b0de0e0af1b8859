/*
 * panic.c — stop the machine and say why, as precisely as possible.
 *
 * A panic means the kernel broke one of its own rules. The report gives the
 * message (or, for a CPU exception, its vector, name, error code, cr2 and
 * every register) and a backtrace: the kernel is built with frame pointers,
 * so each stack frame starts with the caller's rbp followed by the return
 * address, and symbols.c turns each address into function+offset. Then the
 * CPU halts with interrupts off — or, under test, QEMU exits with a failure
 * status so the test runner notices at once.
 * Rule: the report itself must not fault. A panic is often caused by a bad
 * stack (an overflow into the guard page, a corrupt rbp), so every word the
 * backtrace reads is first checked to be mapped in the current page table.
 * OSTEP ch. 6 (what happens when the kernel itself traps).
 */
#include "kernel/panic.h"
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/arch/x86_64/qemu_exit.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/console.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page_table.h"
#include "kernel/panic_report.h"
#include "kernel/symbols.h"
#include "lib/format.h"

#include <stdarg.h>

#define BACKTRACE_MAX_FRAMES 24

static bool exit_qemu_on_panic;
static volatile bool panicking;

void panic_set_exit_qemu(bool exit_qemu)
{
    exit_qemu_on_panic = exit_qemu;
}

static void print_code_address(uint64_t address)
{
    uint64_t offset = 0;
    const char *name = symbols_lookup(address, &offset);
    if (name)
        kprintf("  %016lx  %s+0x%lx\n", address, name, offset);
    else
        kprintf("  %016lx  ?\n", address);
}

/* True when the 8 bytes at `address` are a mapped kernel address, so reading
 * them cannot fault. Both ends are checked: the word may straddle a page. */
static bool kernel_word_readable(uint64_t address)
{
    uint64_t pml4 = read_cr3() & PTE_ADDRESS_MASK;
    return address >= KERNEL_HALF_START && address + 8 > address &&
           page_table_translate(pml4, address, NULL) &&
           page_table_translate(pml4, address + 7, NULL);
}

/* A frame is two words: the caller's rbp, then the return address. */
static bool plausible_frame_pointer(uint64_t rbp)
{
    return (rbp & 7) == 0 && kernel_word_readable(rbp) && kernel_word_readable(rbp + 8);
}

static bool kernel_text_address(uint64_t address)
{
    extern char __text_start[], __text_end[];
    return address >= (uint64_t)__text_start && address < (uint64_t)__text_end;
}

void panic_print_backtrace(uint64_t rip, uint64_t rbp, uint64_t rsp)
{
    kprintf("backtrace:\n");
    print_code_address(rip);
    /* gcc gives leaf functions no frame of their own, so their caller is
     * missing from the rbp chain; the word on top of the stack is then the
     * return address into it. Shown with "?" because it is a guess. */
    if (rsp && (rsp & 7) == 0 && kernel_word_readable(rsp)) {
        uint64_t top_of_stack = *(const uint64_t *)rsp;
        bool chain_has_it =
            plausible_frame_pointer(rbp) && ((const uint64_t *)rbp)[1] == top_of_stack;
        if (kernel_text_address(top_of_stack) && !chain_has_it) {
            kprintf("  ? (caller of a leaf function)\n");
            print_code_address(top_of_stack - 1);
        }
    }
    for (int depth = 0; depth < BACKTRACE_MAX_FRAMES && plausible_frame_pointer(rbp); depth++) {
        const uint64_t *frame = (const uint64_t *)rbp;
        uint64_t return_address = frame[1];
        if (return_address < KERNEL_IMAGE_BASE)
            break;
        print_code_address(return_address - 1); /* -1: inside the call */
        if (frame[0] <= rbp)
            break; /* frames must go up the stack; anything else is garbage */
        rbp = frame[0];
    }
}

__attribute__((noreturn)) static void stop_machine(void)
{
    kprintf("Prism halted.\n");
    if (exit_qemu_on_panic)
        qemu_exit(QEMU_EXIT_FAILURE);
    for (;;) {
        interrupts_disable();
        cpu_halt();
    }
}

static void begin_panic(void)
{
    interrupts_disable();
    if (panicking) {
        kprintf("\npanic while panicking\n");
        stop_machine();
    }
    panicking = true;
}

void panic(const char *fmt, ...)
{
    begin_panic();
    char message[256];
    va_list args;
    va_start(args, fmt);
    format_vsnprintf(message, sizeof(message), fmt, args);
    va_end(args);
    kprintf("\nKERNEL PANIC: %s\n", message);
    const uint64_t *own_frame = __builtin_frame_address(0);
    panic_print_backtrace(own_frame[1] - 1, own_frame[0], 0); /* start at the caller */
    stop_machine();
}

bool panic_in_progress(void)
{
    return panicking;
}

void panic_from_trap(const struct trap_frame *frame, const char *diagnosis)
{
    begin_panic();
    kprintf("\nKERNEL PANIC: %s (vector %lu) in kernel mode, error code 0x%lx\n",
            trap_exception_name(frame->vector), frame->vector, frame->error_code);
    if (diagnosis)
        kprintf("  %s\n", diagnosis);
    if (frame->vector == TRAP_PAGE_FAULT)
        kprintf("  page fault at address cr2=%016lx (%s, %s)\n", read_cr2(),
                frame->error_code & 1 ? "protection violation" : "page not present",
                frame->error_code & 2 ? "write" : (frame->error_code & 16 ? "execute" : "read"));
    trap_print_frame(frame);
    panic_print_backtrace(frame->rip, frame->rbp, frame->rsp);
    stop_machine();
}

void panic_report_stuck(const struct trap_frame *frame, const char *what)
{
    kprintf("\n%s\n", what);
    trap_print_frame(frame);
    panic_print_backtrace(frame->rip, frame->rbp, frame->rsp);
    if (exit_qemu_on_panic) {
        kprintf("Prism stopped: a test must not hang.\n");
        qemu_exit(QEMU_EXIT_FAILURE);
    }
}
