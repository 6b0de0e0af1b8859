/*
 * watchdog.c — a second clock that notices when the first one stops.
 *
 * The PIT's tick is a maskable interrupt, so a kernel stuck in a loop with
 * interrupts off (a corrupt run queue, a spin that never ends) never sees
 * it again and the machine goes silent. The watchdog needs a clock that
 * interrupts cannot mask: the CMOS real-time clock's periodic interrupt
 * (IRQ 8, 2 Hz here) routed through the I/O APIC with delivery mode NMI.
 * The 8259 PIC keeps delivering everything else (its IRQ 8 line stays
 * masked); the I/O APIC, which sees the same ISA lines, has every pin
 * masked but this one.
 *
 * Each RTC NMI compares the PIT tick count with the one it saw last time.
 * After WATCHDOG_SILENT_SAMPLES NMIs (4 s) without a tick, the kernel has
 * been running with interrupts off for that long, which nothing in Prism
 * legitimately does: the report gives the stuck rip, the registers and the
 * backtrace of the code the NMI interrupted (panic.c), once per stall. Under
 * test= it ends QEMU with a failure status, so a hang fails a test at once.
 * Counting NMIs, not elapsed time, keeps a host that paused QEMU from
 * looking like a stall: a paused guest receives one late RTC NMI, not eight.
 *
 * The I/O APIC sits at physical 0xfec00000 on QEMU's pc machine and on
 * virtually every PC (the ACPI MADT would say so; Prism does not parse
 * ACPI). Without one, the watchdog reports that it is off.
 * OSTEP ch. 6 (the timer interrupt: how the OS keeps control).
 */
#include "kernel/arch/x86_64/watchdog.h"
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/console.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page_table.h"
#include "kernel/mm/vm_kernel.h"
#include "kernel/panic_report.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/scheduler.h"
#include "kernel/symbols.h"
#include "kernel/timer.h"
#include "lib/format.h"

#define WATCHDOG_HZ 2
#define WATCHDOG_SILENT_SAMPLES (4 * WATCHDOG_HZ) /* 4 seconds without a tick */

#define CMOS_INDEX 0x70 /* bit 7 of the index disables NMIs: always written clear */
#define CMOS_DATA 0x71
#define RTC_REGISTER_A 0x0a /* low nibble: periodic rate, 32768 >> (rate - 1) Hz */
#define RTC_REGISTER_B 0x0b
#define RTC_REGISTER_C 0x0c /* reading it acknowledges the interrupt */
#define RTC_RATE_2_HZ 0x0f
#define RTC_B_PERIODIC_ENABLE (1 << 6)
#define RTC_C_PERIODIC_FLAG (1 << 6)
#define RTC_IRQ 8

#define IO_APIC_PHYSICAL 0xfec00000UL
#define IO_APIC_SELECT 0x00 /* write a register number here ... */
#define IO_APIC_WINDOW 0x10 /* ... then read or write it here */
#define IO_APIC_VERSION 0x01
#define IO_APIC_REDIRECTION(pin) (0x10 + 2 * (pin)) /* low word; high word at +1 */
#define REDIRECT_DELIVER_NMI (4U << 8)              /* edge-triggered, active high */

static volatile uint32_t *io_apic;
static bool armed;
static uint64_t last_ticks;
static unsigned silent_samples;
static bool reported;

static uint8_t cmos_read(uint8_t index)
{
    outb(CMOS_INDEX, index);
    return inb(CMOS_DATA);
}

static void cmos_write(uint8_t index, uint8_t value)
{
    outb(CMOS_INDEX, index);
    outb(CMOS_DATA, value);
}

static uint32_t io_apic_read(uint32_t reg)
{
    io_apic[IO_APIC_SELECT / 4] = reg;
    return io_apic[IO_APIC_WINDOW / 4];
}

static void io_apic_write(uint32_t reg, uint32_t value)
{
    io_apic[IO_APIC_SELECT / 4] = reg;
    io_apic[IO_APIC_WINDOW / 4] = value;
}

/* The I/O APIC's registers, uncached, where the direct map would put them. */
static bool map_io_apic(void)
{
    uint64_t virtual_address = (uint64_t)phys_to_virt(IO_APIC_PHYSICAL);
    if (!page_table_translate(vm_kernel_pml4(), virtual_address, NULL) &&
        page_table_map(vm_kernel_pml4(), virtual_address, IO_APIC_PHYSICAL,
                       PTE_WRITABLE | PTE_NO_EXECUTE | PTE_GLOBAL | PTE_CACHE_DISABLE |
                           PTE_WRITE_THROUGH) < 0)
        return false;
    io_apic = (volatile uint32_t *)virtual_address;
    uint32_t version = io_apic_read(IO_APIC_VERSION);
    return version != 0xffffffff && ((version >> 16) & 0xff) >= RTC_IRQ;
}

static uint8_t boot_cpu_apic_id(void)
{
    uint32_t regs[4];
    cpuid(1, 0, regs);
    return (uint8_t)(regs[1] >> 24);
}

void watchdog_init(void)
{
    if (!map_io_apic()) {
        kprintf("watchdog: no I/O APIC at %lx: off\n", IO_APIC_PHYSICAL);
        return;
    }
    last_ticks = timer_ticks();
    io_apic_write(IO_APIC_REDIRECTION(RTC_IRQ) + 1, (uint32_t)boot_cpu_apic_id() << 24);
    io_apic_write(IO_APIC_REDIRECTION(RTC_IRQ), REDIRECT_DELIVER_NMI | 2);
    cmos_write(RTC_REGISTER_A, (uint8_t)((cmos_read(RTC_REGISTER_A) & 0xf0) | RTC_RATE_2_HZ));
    cmos_write(RTC_REGISTER_B, cmos_read(RTC_REGISTER_B) | RTC_B_PERIODIC_ENABLE);
    armed = true;
    cmos_read(RTC_REGISTER_C); /* clears a pending flag: the first edge can come */
}

static void report_stall(const struct trap_frame *frame)
{
    static char what[192];
    uint64_t offset = 0;
    const char *function = symbols_lookup(frame->rip, &offset);
    struct proc *p = proc_current();
    format_snprintf(what, sizeof(what),
                    "watchdog: no timer interrupt for %u s: kernel stuck with interrupts off at "
                    "rip=%lx (%s+0x%lx) in pid %d (%s)",
                    WATCHDOG_SILENT_SAMPLES / WATCHDOG_HZ, frame->rip, function ? function : "?",
                    offset, p ? p->pid : 0, p ? p->name : "boot");
    panic_report_stuck(frame, what);
}

bool watchdog_handle_nmi(const struct trap_frame *frame)
{
    if (!armed || !(cmos_read(RTC_REGISTER_C) & RTC_C_PERIODIC_FLAG))
        return false;
    uint64_t ticks = timer_ticks();
    if (ticks != last_ticks || panic_in_progress()) {
        last_ticks = ticks;
        silent_samples = 0;
        reported = false;
        return true;
    }
    if (++silent_samples >= WATCHDOG_SILENT_SAMPLES && !reported) {
        reported = true;
        report_stall(frame);
    }
    return true;
}
