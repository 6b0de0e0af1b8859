/*
 * tiny.c — a tiny guest OS: the cpu.c spinner idea, one level down.
 *
 * It boots inside a Prism VM (tiny_entry.asm), says hello on its serial
 * port (every byte is an OUT to 0x3f8, which exits to the hypervisor and
 * comes out as the `vm` process's output), asks CPUID who its hypervisor
 * is (and whether it sees the hypervisor bit, VMX or SVM), then time-shares the virtual CPU between
 * two tasks, A and B, on the virtual timer interrupt the hypervisor injects: each tick saves the
 * running task's registers on its stack and resumes the other. Each task
 * does a unit of work and prints its letter, so the output shows the
 * interleaving. When both are done it prints a summary and halts with
 * interrupts off, which powers the VM off. Modes (rdi at entry,
 * lib/vm_abi.h): the demo, forever (never done: for the kill test), N
 * CPUIDs (the exit benchmark), a triple fault, an unemulated port, and
 * memory: the demo with memory-bound units (lib/vm_work.h, each task on
 * its own region), ending with the regions' checksums.
 * Freestanding: no library, nothing from Prism but the image header format.
 * OSTEP appendix B (VMMs), ch. 6-7 (time sharing by a timer interrupt).
 */
#include "lib/vm_abi.h"
#include "lib/vm_work.h"
#include "user/guest/guest_io.h"

#include <stdbool.h>
#include <stdint.h>

#define TASK_STACK_WORDS 1024
#define UNITS_PER_TASK (VM_WORK_UNITS / 2)
#define LETTERS_PER_LINE 48
#define GUEST_CODE 0x08
#define GUEST_DATA 0x10
#define RFLAGS_IF 0x202

void guest_task_start(void);
void guest_triple_fault(void);

struct task {
    uint64_t *rsp; /* saved by guest_timer while not running */
    char letter;
    unsigned units;
    bool done;
};

static struct task tasks[2];
static int running;
static unsigned long ticks, switches, letters;
static bool forever, memory_work;
static uint64_t regions[2][VM_WORK_REGION_BYTES / sizeof(uint64_t)] __attribute__((aligned(4096)));
static uint64_t task_b_stack[TASK_STACK_WORDS] __attribute__((aligned(16)));

static void put_letter(char letter)
{
    /* A task switch may land between these: interrupts off for the pair. */
    __asm__ volatile("cli");
    put_char(letter);
    if (++letters % LETTERS_PER_LINE == 0)
        put_char('\n');
    __asm__ volatile("sti");
}

/* Called by timer_entry with the interrupted task's saved registers. */
uint64_t *guest_timer(uint64_t *saved)
{
    ticks++;
    tasks[running].rsp = saved;
    int other = 1 - running;
    if (!tasks[other].done) {
        running = other;
        switches++;
    }
    return tasks[running].rsp;
}

static void say_hypervisor(void)
{
    uint32_t r[4];
    char name[13];
    cpuid(0x40000000, r);
    for (int i = 0; i < 4; i++) {
        name[i] = (char)(r[1] >> (8 * i));
        name[4 + i] = (char)(r[2] >> (8 * i));
        name[8 + i] = (char)(r[3] >> (8 * i));
    }
    name[12] = '\0';
    put_string("tiny: hypervisor says \"");
    put_string(name);
    put_string("\" (leaves up to ");
    put_hex(r[0], 8);
    cpuid(1, r);
    unsigned hypervisor_bit = r[2] >> 31 & 1, vmx = r[2] >> 5 & 1;
    cpuid(0x80000001, r);
    put_string(")\ntiny: CPUID: hypervisor bit ");
    put_number(hypervisor_bit);
    put_string(", VMX ");
    put_number(vmx);
    put_string(", SVM ");
    put_number(r[2] >> 2 & 1);
    put_string(" (no virtualization of its own)\n");
}

static void run_task(struct task *task)
{
    while (forever || task->units < UNITS_PER_TASK) {
        if (memory_work)
            vm_work_memory_unit(regions[task - tasks], task->letter, task->units);
        else
            vm_work_cpu_unit();
        task->units++;
        if (!forever || task->units % 16 == 0)
            put_letter(task->letter);
    }
    task->done = true;
    while (!tasks[0].done || !tasks[1].done)
        __asm__ volatile("sti; hlt"); /* wait for a tick: the other task may run */
    __asm__ volatile("cli");
    if (letters % LETTERS_PER_LINE != 0)
        put_char('\n');
    put_string("tiny: A did ");
    put_number(tasks[0].units);
    put_string(" units, B did ");
    put_number(tasks[1].units);
    put_string(" units; ");
    put_number(ticks);
    put_string(" timer ticks, ");
    put_number(switches);
    put_string(" task switches\n");
    if (memory_work) {
        put_string("tiny: memory checksums A ");
        put_number(vm_work_checksum(regions[0]));
        put_string(" B ");
        put_number(vm_work_checksum(regions[1]));
        put_char('\n');
    }
    put_string("tiny: halting\n");
    power_off();
}

static void task_b_main(void)
{
    run_task(&tasks[1]);
}

/* B starts as if a timer interrupt had stopped it at its first instruction:
 * an iretq frame, then zeros for the fifteen registers timer_entry pops. */
static void prepare_task_b(void)
{
    uint64_t *sp = &task_b_stack[TASK_STACK_WORDS];
    *--sp = GUEST_DATA;                                    /* ss */
    *--sp = (uint64_t)&task_b_stack[TASK_STACK_WORDS - 9]; /* rsp, as after a call */
    *--sp = RFLAGS_IF;                                     /* rflags */
    *--sp = GUEST_CODE;                                    /* cs */
    *--sp = (uint64_t)task_b_main;                         /* rip */
    for (int i = 0; i < 15; i++)
        *--sp = 0;
    tasks[1].rsp = sp;
}

static void run_cpuid_loop(uint64_t count)
{
    uint32_t r[4];
    for (uint64_t i = 0; i < count; i++)
        cpuid(0, r);
    put_string("tiny: ");
    put_number(count);
    put_string(" CPUIDs done\n");
    power_off();
}

void guest_main(uint64_t mode, uint64_t argument)
{
    put_string("tiny: hello from a guest OS inside a Prism VM\n");
    if (mode == VM_GUEST_CPUID)
        run_cpuid_loop(argument);
    say_hypervisor();
    if (mode == VM_GUEST_CRASH) {
        put_string("tiny: crashing on purpose (triple fault)\n");
        guest_triple_fault();
    }
    if (mode == VM_GUEST_BAD_IO) {
        put_string("tiny: writing to port 0x80, which no one emulates\n");
        out_byte(0x80, 1);
    }
    forever = mode == VM_GUEST_FOREVER;
    memory_work = mode == VM_GUEST_MEMORY;
    tasks[0] = (struct task){.letter = 'A'};
    tasks[1] = (struct task){.letter = 'B'};
    prepare_task_b();
    running = 0;
    put_string("tiny: tasks A and B share this virtual CPU on the virtual timer\n");
    __asm__ volatile("sti");
    run_task(&tasks[0]);
}
