/*
 * nmi.c — NMI and machine check: interrupts that arrive even with IF clear.
 *
 * Neither is a fault of the code that was running, so neither kills the
 * running process nor panics the kernel when it can be survived:
 *  - an NMI is either the watchdog's periodic tick (watchdog.c decides) or
 *    a signal from outside — a board's NMI button, a parity or I/O-check
 *    error (port 0x61 says which), QEMU's monitor `nmi`. It is reported in
 *    one line and the interrupted code continues. The CPU latches only one
 *    pending NMI, so an outside NMI that arrives with the watchdog's (before
 *    the CPU has taken either) is the same NMI, claimed by the watchdog:
 *    its report line is lost, nothing else is;
 *  - a machine check is the CPU reporting a hardware error. The banks are
 *    read and cleared and the error is reported; if MCG_STATUS.RIPV says
 *    the interrupted rip is valid the code continues there, otherwise
 *    nothing can continue safely and the kernel panics.
 * Both run on their own IST stacks (gdt.h), so they must never switch
 * processes or sleep: trap.c returns straight to the interrupted code.
 * The code here never relies on GS: an NMI can arrive in the instructions
 * between `syscall` and swapgs, when GS still holds the user's base.
 * OSTEP ch. 6 (interrupts and the kernel's control of the machine).
 */
#include "kernel/arch/x86_64/nmi.h"
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/arch/x86_64/msr.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/arch/x86_64/watchdog.h"
#include "kernel/console.h"
#include "kernel/panic.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/scheduler.h"

#define SYSTEM_CONTROL_PORT_B 0x61
#define PORT_B_PARITY_ERROR (1 << 7)
#define PORT_B_IO_CHECK (1 << 6)
#define CPUID_EDX_MCE (1U << 7)
#define CPUID_EDX_MCA (1U << 14)
#define CR4_MCE (1UL << 6)
#define MCG_CAP_CTL_PRESENT (1UL << 8)
#define MCG_STATUS_RIPV (1UL << 0) /* the interrupted rip may be resumed */
#define MCI_STATUS_VALID (1UL << 63)
#define MCI_STATUS_ADDRESS_VALID (1UL << 58)

static unsigned machine_check_banks;

void machine_check_enable(void)
{
    uint32_t regs[4];
    cpuid(1, 0, regs);
    if (!(regs[3] & CPUID_EDX_MCE) || !(regs[3] & CPUID_EDX_MCA))
        return; /* without MCA a machine check stays a shutdown */
    uint64_t capabilities = rdmsr(MSR_MCG_CAP);
    machine_check_banks = (unsigned)(capabilities & 0xff);
    if (capabilities & MCG_CAP_CTL_PRESENT)
        wrmsr(MSR_MCG_CTL, ~0UL);
    for (unsigned bank = 0; bank < machine_check_banks; bank++) {
        wrmsr(MSR_MC0_CTL + 4 * bank, ~0UL); /* report every error class */
        wrmsr(MSR_MC0_CTL + 4 * bank + 1, 0);
    }
    write_cr4(read_cr4() | CR4_MCE);
}

/* "in user mode (pid 5, cpu)" or "in kernel mode (pid 0, idle)". */
static void print_where(const struct trap_frame *frame)
{
    struct proc *p = proc_current();
    kprintf("in %s mode (pid %d, %s) at rip=%lx", (frame->cs & 3) == 3 ? "user" : "kernel",
            p ? p->pid : 0, p ? p->name : "boot", frame->rip);
}

void nmi_handle(struct trap_frame *frame)
{
    if (watchdog_handle_nmi(frame))
        return;
    uint8_t port_b = inb(SYSTEM_CONTROL_PORT_B);
    kprintf("nmi: non-maskable interrupt ");
    print_where(frame);
    kprintf("%s%s: reported, continuing\n", port_b & PORT_B_PARITY_ERROR ? ", parity error" : "",
            port_b & PORT_B_IO_CHECK ? ", I/O channel check" : "");
}

void machine_check_handle(struct trap_frame *frame)
{
    uint64_t status = rdmsr(MSR_MCG_STATUS);
    kprintf("machine check ");
    print_where(frame);
    kprintf(", MCG_STATUS=%lx\n", status);
    for (unsigned bank = 0; bank < machine_check_banks; bank++) {
        uint64_t bank_status = rdmsr(MSR_MC0_CTL + 4 * bank + 1);
        if (!(bank_status & MCI_STATUS_VALID))
            continue;
        kprintf("  bank %u: status %016lx", bank, bank_status);
        if (bank_status & MCI_STATUS_ADDRESS_VALID)
            kprintf(" address %016lx", rdmsr(MSR_MC0_CTL + 4 * bank + 2));
        kprintf("\n");
        wrmsr(MSR_MC0_CTL + 4 * bank + 1, 0);
    }
    if (!(status & MCG_STATUS_RIPV))
        panic("machine check: the interrupted code cannot be resumed (MCG_STATUS.RIPV clear)");
    kprintf("machine check: restartable: continuing\n");
    /* Last: MCIP left set would make the next one a shutdown, but clearing it
     * lets the next one in on this same IST stack, over this handler's frame;
     * only the few instructions back to iretq may remain after it. */
    wrmsr(MSR_MCG_STATUS, 0);
}
