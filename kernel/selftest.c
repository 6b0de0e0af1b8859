/*
 * selftest.c — in-kernel checks that only a running kernel can answer.
 *
 * Host unit tests cover the pure logic; these check the same parts wired to
 * real hardware under QEMU: that timer interrupts arrive, that the frame
 * allocator and kernel heap work through the real page tables, that the
 * kernel mapped itself with the right permissions (page 0 absent, text not
 * writable, data not executable), that `syscall` enters with interrupts
 * masked, and that the self-tests themselves run with interrupts off, as
 * the rest of the kernel does. `test=boot` runs them and ends QEMU with a
 * success or failure status; `test=panic-*` break the kernel on purpose so a test can check
 * the panic report (`panic-stack-overflow` recurses until the kernel stack
 * hits its guard page); `test=watchdog` spins with interrupts off until the
 * watchdog reports it.
 * OSTEP ch. 6 (timer), ch. 17 (free space), ch. 18-20 (paging).
 */
#include "kernel/selftest.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/arch/x86_64/msr.h"
#include "kernel/arch/x86_64/qemu_exit.h"
#include "kernel/console.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page_table.h"
#include "kernel/mm/pmm.h"
#include "kernel/mm/vm_kernel.h"
#include "kernel/proc/proc.h"
#include "kernel/timer.h"
#include "lib/string.h"

#define FRAMES_TO_ALLOCATE 64
#define RFLAGS_IF (1UL << 9)
#define HEAP_BLOCKS 200
#define UNMAPPED_KERNEL_ADDRESS 0xffffc7ff00000000ULL

static int passed, failed;

static void expect(bool condition, const char *what)
{
    kprintf("selftest: %-48s %s\n", what, condition ? "ok" : "FAILED");
    if (condition)
        passed++;
    else
        failed++;
}

/* Self-tests run with interrupts off, as all kernel code does (see
 * interrupts_off.h), so one that calls the scheduler, pipes or the tty meets
 * the same rule as a system call. Only this wait opens them, as the idle
 * loop does, and closes them again before going on. */
static bool timer_advances(void)
{
    uint64_t start = timer_ticks();
    while (timer_ticks() < start + 5)
        cpu_enable_interrupts_and_halt(); /* each tick wakes us */
    interrupts_disable();
    return timer_uptime_ms() > 0;
}

static bool frames_distinct_and_returned(void)
{
    uint64_t frames[FRAMES_TO_ALLOCATE];
    size_t free_before = pmm_free_frames();
    bool ok = true;
    for (int i = 0; i < FRAMES_TO_ALLOCATE; i++) {
        frames[i] = pmm_alloc_zeroed();
        ok = ok && frames[i] != 0 && (frames[i] & (PAGE_SIZE - 1)) == 0;
        for (int j = 0; ok && j < i; j++)
            ok = frames[j] != frames[i];
        if (ok) /* the frame is really usable memory: write and read it back */
            memset(phys_to_virt(frames[i]), i, PAGE_SIZE);
    }
    for (int i = 0; ok && i < FRAMES_TO_ALLOCATE; i++)
        ok = *(uint8_t *)phys_to_virt(frames[i] + PAGE_SIZE - 1) == (uint8_t)i;
    ok = ok && pmm_free_frames() == free_before - FRAMES_TO_ALLOCATE;
    for (int i = 0; i < FRAMES_TO_ALLOCATE; i++)
        if (frames[i])
            pmm_unref(frames[i]);
    return ok && pmm_free_frames() == free_before;
}

static bool heap_round_trip(void)
{
    static uint8_t *blocks[HEAP_BLOCKS];
    size_t in_use_before = kmalloc_bytes_in_use();
    bool ok = true;
    for (int i = 0; i < HEAP_BLOCKS; i++) {
        size_t size = (size_t)(i * 37 % 5000) + 1;
        blocks[i] = kmalloc(size);
        ok = ok && blocks[i] && ((uintptr_t)blocks[i] & 15) == 0;
        if (blocks[i])
            memset(blocks[i], i, size);
    }
    for (int i = 0; i < HEAP_BLOCKS; i++) {
        size_t size = (size_t)(i * 37 % 5000) + 1;
        ok = ok && blocks[i] && blocks[i][size - 1] == (uint8_t)i && blocks[i][0] == (uint8_t)i;
    }
    for (int i = 0; i < HEAP_BLOCKS; i += 2)
        kfree(blocks[i]);
    for (int i = 1; i < HEAP_BLOCKS; i += 2)
        kfree(blocks[i]);
    uint8_t *big = kmalloc(256 * 1024); /* needs the heap to grow */
    ok = ok && big != NULL;
    if (big)
        big[256 * 1024 - 1] = 1;
    kfree(big);
    return ok && kmalloc_check() && kmalloc_bytes_in_use() == in_use_before;
}

static bool kernel_mapped_with_least_permission(void)
{
    extern char __text_start[], __data_start[];
    uint64_t pml4 = vm_kernel_pml4();
    uint64_t *text = page_table_find_entry(pml4, (uint64_t)__text_start);
    uint64_t *data = page_table_find_entry(pml4, (uint64_t)__data_start);
    uint64_t *direct_page_zero = page_table_find_entry(pml4, DIRECT_MAP_BASE);
    return !page_table_translate(pml4, 0, NULL) && text && (*text & PTE_PRESENT) &&
           !(*text & PTE_WRITABLE) && data && (*data & PTE_WRITABLE) &&
           (!direct_page_zero || !(*direct_page_zero & PTE_PRESENT));
}

/* SFMASK is the list of rflags bits `syscall` clears: IF among them is what
 * makes "the kernel runs with interrupts disabled" true from the first
 * instruction of syscall_entry. DF and AC matter to C code, TF and NT to
 * the way back. */
static bool syscall_masks_interrupts(void)
{
    uint64_t wanted = (1UL << 9) | (1UL << 10) | (1UL << 8) | (1UL << 18) | (1UL << 14);
    return (rdmsr(MSR_SFMASK) & wanted) == wanted;
}

static void run_boot_checks(void)
{
    expect(!(interrupts_save_disable() & RFLAGS_IF), "self-tests run with interrupts off");
    expect(timer_advances(), "timer interrupts advance the tick count");
    expect(frames_distinct_and_returned(), "frame allocator: distinct, usable, returned");
    expect(heap_round_trip(), "kernel heap: alloc, verify, free, grow, check");
    expect(kernel_mapped_with_least_permission(), "kernel page tables: page 0 absent, W^X");
    expect(syscall_masks_interrupts(), "syscall entry masks IF, DF, TF, AC, NT");
    kprintf("selftest: %d passed, %d failed\n", passed, failed);
    qemu_exit(failed == 0 ? QEMU_EXIT_SUCCESS : QEMU_EXIT_FAILURE);
}

/* noinline keeps each of these as its own frame, so the panic report's
 * backtrace shows the chain a reader expects. */
__attribute__((noinline)) static void selftest_write_unmapped_kernel_address(void)
{
    *(volatile uint64_t *)UNMAPPED_KERNEL_ADDRESS = 42;
}

__attribute__((noinline)) static void selftest_free_twice(void)
{
    void *block = kmalloc(64);
    kfree(block);
    kfree(block);
}

/* Never true; keeps the recursion below from being infinite in gcc's eyes. */
static volatile bool stop_recursing;

__attribute__((noinline)) static uint64_t selftest_recurse_without_end(uint64_t depth)
{
    volatile uint8_t frame_filler[200];
    frame_filler[0] = (uint8_t)depth;
    if (stop_recursing)
        return depth;
    return selftest_recurse_without_end(depth + 1) + frame_filler[0];
}

/* Runs the recursion on the kernel stack of a real (never scheduled)
 * process, so it meets that stack's guard page as any process's would. */
__attribute__((noinline)) static void selftest_overflow_kernel_stack(void)
{
    int error = 0;
    struct proc *victim = proc_alloc("stack-overflow", &error);
    if (!victim) {
        kprintf("selftest: cannot make a process (error %d)\n", error);
        return;
    }
    cpu_this()->current = victim;
    __asm__ volatile("mov %0, %%rsp\n\t"
                     "xor %%edi, %%edi\n\t"
                     "call *%1"
                     :
                     : "r"(victim->kernel_stack_top), "r"(selftest_recurse_without_end)
                     : "memory", "rdi");
}

__attribute__((noinline)) static void selftest_spin_with_interrupts_off(void)
{
    interrupts_disable();
    for (;;)
        __asm__ volatile("pause");
}

void selftest_run(const char *name)
{
    if (strcmp(name, "boot") == 0)
        run_boot_checks();
    else if (strcmp(name, "panic-page-fault") == 0)
        selftest_write_unmapped_kernel_address();
    else if (strcmp(name, "panic-invalid-opcode") == 0)
        __asm__ volatile("ud2");
    else if (strcmp(name, "panic-double-free") == 0)
        selftest_free_twice();
    else if (strcmp(name, "panic-stack-overflow") == 0)
        selftest_overflow_kernel_stack();
    else if (strcmp(name, "watchdog") == 0)
        selftest_spin_with_interrupts_off();
    else if (strcmp(name, "monitor") == 0)
        return; /* the console test drives the monitor itself */
    else
        kprintf("selftest: unknown test '%s'\n", name);
}
