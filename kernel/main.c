/*
 * main.c — kmain(), where the C kernel begins: bring up each part in order.
 *
 * boot.asm arrives here in 64-bit mode on a small boot stack, with the
 * multiboot2 magic and the physical address of GRUB's boot information. The
 * order below matters: the console first (so every later step can report),
 * then traps (so a mistake gives a report instead of a reboot), the boot
 * information and command line, the frame allocator, the kernel's own page
 * tables, the heap, the timer; then the initrd, the scheduler and the first
 * process, init, after which the boot stack becomes the idle process's.
 * Without an initrd the kernel monitor takes over instead.
 * OSTEP ch. 6 (Limited Direct Execution): the OS at boot sets up the trap
 * table and starts the timer before anything else runs.
 */
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/cpu_info.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/arch/x86_64/pic.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/arch/x86_64/watchdog.h"
#include "kernel/boot/boot_memory.h"
#include "kernel/boot/cmdline.h"
#include "kernel/boot/multiboot2.h"
#include "kernel/console.h"
#include "kernel/fs/initrd.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/pmm.h"
#include "kernel/mm/replace/replace.h"
#include "kernel/mm/swap.h"
#include "kernel/mm/vm_kernel.h"
#include "kernel/monitor.h"
#include "kernel/panic.h"
#include "kernel/panic_report.h"
#include "kernel/proc/lifecycle.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/policies.h"
#include "kernel/sched/policy.h"
#include "kernel/sched/scheduler.h"
#include "kernel/selftest.h"
#include "kernel/timer.h"
#include "kernel/trace/trace.h"
#include "kernel/version.h"
#include "lib/errno.h"
#include "lib/string.h"

#define SERIAL_IRQ 4
#define KEYBOARD_IRQ 1

static struct boot_info boot_info;
static struct cmdline kernel_cmdline;

static void print_banner(void)
{
    struct cpu_info cpu;
    cpu_info_read(&cpu);
    kprintf("\nPrism %s (built %s)\n", PRISM_VERSION, PRISM_BUILD);
    kprintf("command line: %s\n", boot_info.cmdline ? boot_info.cmdline : "(none)");
    kprintf("cpu: %s, %s\n", cpu.vendor, cpu.model[0] ? cpu.model : "unknown model");
    kprintf("hypervisor: %s\n", cpu.hypervisor);
}

/* "mlfq_levels=4" is tunable "levels" of policy "mlfq": hands it over and
 * returns true if the key names a policy's tunable (valid or not). */
static bool configure_policy_tunable(const char *key, const char *value_text)
{
    for (int i = 0; i < SCHED_POLICY_COUNT; i++) {
        const struct sched_policy *policy = sched_policies[i];
        size_t length = strlen(policy->name);
        if (strncmp(key, policy->name, length) != 0 || key[length] != '_' || !policy->configure)
            continue;
        char *end;
        long value = strtol(value_text, &end, 0);
        int result = *value_text && !*end ? policy->configure(key + length + 1, value) : -EINVAL;
        if (result == -ENOENT)
            kprintf("cmdline: %s has no tunable '%s' ignored\n", policy->name, key + length + 1);
        else if (result < 0)
            kprintf("cmdline: %s=%s: bad value, ignored\n", key, value_text);
        return true;
    }
    return false;
}

static void parse_command_line(void)
{
    if (cmdline_parse(&kernel_cmdline, boot_info.cmdline ? boot_info.cmdline : "") < 0)
        kprintf("cmdline: too long or too many options; the rest is ignored\n");
    const char *unknown[CMDLINE_MAX_OPTIONS];
    size_t unknown_count = cmdline_unknown(&kernel_cmdline, unknown, CMDLINE_MAX_OPTIONS);
    for (size_t i = 0; i < unknown_count; i++)
        if (!configure_policy_tunable(unknown[i], cmdline_get(&kernel_cmdline, unknown[i])))
            kprintf("cmdline: unknown option '%s' ignored\n", unknown[i]);
}

static const struct sched_policy *policy_from_cmdline(void)
{
    const char *name = cmdline_get(&kernel_cmdline, "sched");
    if (!name)
        return &sched_policy_rr;
    const struct sched_policy *policy = sched_policy_by_name(name);
    if (!policy) {
        kprintf("cmdline: sched=%s: no such policy (have:", name);
        for (int i = 0; i < SCHED_POLICY_COUNT; i++)
            kprintf(" %s", sched_policies[i]->name);
        kprintf("); using rr\n");
        return &sched_policy_rr;
    }
    return policy;
}

static long number_from_cmdline(const char *key, long fallback, long min, long max)
{
    const char *problem = NULL;
    long value = cmdline_get_long(&kernel_cmdline, key, fallback, min, max, &problem);
    if (problem) /* the sentence names the key, the value, the range and the fallback */
        kprintf("%s\n", problem);
    return value;
}

/* The initrd is the module GRUB loaded with the name "initrd" (or the only
 * module); without it there are no programs to run. */
static bool find_initrd(void)
{
    for (size_t i = 0; i < boot_info.module_count; i++) {
        const struct boot_module *module = &boot_info.modules[i];
        bool named = module->name && module->name[0] == 'i';
        if (named || boot_info.module_count == 1) {
            initrd_init(phys_to_virt(module->start), module->end - module->start);
            return initrd_present();
        }
    }
    kprintf("boot: no initrd module was loaded, so there are no user programs to run\n");
    return false;
}

/* Hands the CPU to the first user process; falls back to the kernel monitor
 * when there is no initrd or init cannot start. */
static void start_user_space(void)
{
    if (!find_initrd())
        return;
    proc_init(number_from_cmdline("maxproc", PROC_DEFAULT_MAX, 2, 4096));
    sched_quantum_ticks = (uint64_t)number_from_cmdline("quantum", 10, 1, 1000);
    sched_init(policy_from_cmdline());
    kprintf("sched: policy %s, quantum %lu ticks\n", sched_current_policy()->name,
            (unsigned long)sched_quantum_ticks);
    const char *trace = cmdline_get(&kernel_cmdline, "trace");
    if (trace && strcmp(trace, "0") != 0)
        trace_set_enabled(true);
    const char *init_path = cmdline_get(&kernel_cmdline, "init");
    if (!init_path)
        init_path = "/bin/init";
    int error = proc_start_init(init_path);
    if (error < 0) {
        kprintf("boot: cannot start %s (error %d)\n", init_path, error);
        return;
    }
    console_attach_tty();
    sched_start();
}

__attribute__((noreturn)) void kmain(uint32_t magic, uint64_t boot_info_physical,
                                     bool no_execute_supported)
{
    direct_map_offset = DIRECT_MAP_BASE;
    console_init();
    gdt_init();
    cpu_init();
    idt_init();
    pic_init();

    const char *error = NULL;
    if (multiboot2_parse(magic, phys_to_virt(boot_info_physical), &boot_info, &error) < 0)
        panic("%s", error);
    print_banner();
    parse_command_line();
    panic_set_exit_qemu(cmdline_get(&kernel_cmdline, "test") != NULL);

    boot_memory_report(&boot_info);
    uint64_t physical_end = boot_memory_init(&boot_info, boot_info_physical);
    vm_kernel_init(physical_end, no_execute_supported);
    kmalloc_init();

    timer_init((unsigned)number_from_cmdline("hz", TIMER_DEFAULT_HZ, TIMER_MIN_HZ, TIMER_MAX_HZ));
    watchdog_init(); /* from now on a kernel stuck with interrupts off is reported */
    pic_unmask(SERIAL_IRQ);
    pic_unmask(KEYBOARD_IRQ);
    kprintf("timer: %u Hz; memory: %lu of %lu KiB free\n", timer_hz(),
            pmm_free_frames() * PAGE_SIZE / 1024, pmm_total_frames() * PAGE_SIZE / 1024);
    replace_random_seed((uint64_t)number_from_cmdline("replace_seed", 1, 0, 0x7fffffff));
    swap_init(physical_end, number_from_cmdline("userframes", 0, 0, 1L << 30),
              cmdline_get(&kernel_cmdline, "replace"));

    const char *test = cmdline_get(&kernel_cmdline, "test");
    if (test)
        selftest_run(test); /* with interrupts off, like all kernel code */
    start_user_space();
    interrupts_enable();
    monitor_run();
}
