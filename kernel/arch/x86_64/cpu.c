/*
 * cpu.c — per-CPU set-up: GS base, the syscall MSRs, the kernel stack on entry.
 *
 * `syscall` needs three model-specific registers: STAR (which segments to
 * load), LSTAR (where to jump: syscall_entry.asm) and SFMASK (which rflags
 * bits to clear — we clear IF so the kernel runs with interrupts off, and DF,
 * TF, AC, NT for a predictable C environment). EFER.SCE turns the instruction on.
 * OSTEP ch. 6 (Limited Direct Execution): the OS tells the hardware where its
 * trap handlers are at boot.
 */
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/cpu_state.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/arch/x86_64/msr.h"

#define EFER_SYSCALL_ENABLE (1UL << 0)
#define RFLAGS_TF (1UL << 8)
#define RFLAGS_IF (1UL << 9)
#define RFLAGS_DF (1UL << 10)
#define RFLAGS_NT (1UL << 14)
#define RFLAGS_AC (1UL << 18)

extern void syscall_entry(void);

struct cpu cpu_boot;

void cpu_init(void)
{
    cpu_boot.self = &cpu_boot;
    cpu_boot.id = 0;
    wrmsr(MSR_GS_BASE, (uint64_t)&cpu_boot);
    wrmsr(MSR_KERNEL_GS_BASE, 0);

    /* STAR[47:32]: kernel CS (SS = +8). STAR[63:48]: base for sysret, from
     * which the CPU derives user SS (+8) and user CS (+16) — hence the GDT
     * order kernel code, kernel data, user data, user code. */
    uint64_t star = ((uint64_t)GDT_KERNEL_CODE << 32) | ((uint64_t)(GDT_KERNEL_DATA | 3) << 48);
    wrmsr(MSR_STAR, star);
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    /* NT must go too: user code can set it with popf, and iretq with NT set
     * would fault inside the kernel on the way back. */
    wrmsr(MSR_SFMASK, RFLAGS_IF | RFLAGS_DF | RFLAGS_TF | RFLAGS_AC | RFLAGS_NT);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SYSCALL_ENABLE);
    cpu_state_enable(); /* user programs may use the FPU and SSE */
}

void cpu_set_kernel_stack(uint64_t stack_top)
{
    cpu_boot.syscall_kernel_rsp = stack_top;
    gdt_set_kernel_stack(stack_top);
}
