/*
 * vm IMAGE — run a guest OS in a virtual machine; this process is its CPU.
 *
 *   vm tiny                 the tiny guest: banner, tasks A and B time-share
 *   vm tiny KIB             ... with KIB KiB of guest RAM instead of what it asks for
 *   vm --forever tiny       the same, never halting (stop it: Ctrl-C, kill)
 *   vm --memory tiny        the same with memory-bound work (lib/vm_work.h)
 *   vm --cpuid tiny N       N CPUID exits, then halt (what one exit costs)
 *   vm --crash tiny         a triple fault;  vm --bad-io tiny: an unemulated port
 *   vm --stats PID          the exit counters of the VM process PID runs now
 *   vm --walk PID ADDRESS   ADDRESS through the guest's page table, then the
 *                           guest-physical result through the nested table
 *   vm --probe              can this CPU run VMs (AMD SVM + nested paging)?
 * The guest's serial output is this program's output. At the end: a table
 * of exits by reason, then one summary line starting "vm:". Exit status 0
 * when the guest halted itself, 3 when it crashed or did something Prism
 * does not emulate, 1 when it could not start (no SVM, not a guest image).
 * OSTEP appendix B (Virtual Machine Monitors).
 */
#include "lib/string.h"
#include "user/lib/args.h"
#include "user/lib/describe.h"
#include "user/lib/hypervisor.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"

#define STATUS_CANNOT_START 1
#define STATUS_GUEST_FAILED 3
#define ADDRESS_MASK 0x000ffffffffff000UL

static char output_buffer[512];

static void print_counters(const struct vm_report *report)
{
    printf("  exits by reason:");
    for (int kind = 0; kind < VM_EXIT_KINDS; kind++)
        if (report->exits[kind])
            printf(" %s %lu", hypervisor_exit_kind_name(kind), (unsigned long)report->exits[kind]);
    printf("\n  timer interrupts injected %lu, serial bytes %lu, guest %lu ms, handling %lu ms\n",
           (unsigned long)report->timer_injected, (unsigned long)report->output_bytes,
           (unsigned long)(report->guest_ns / 1000000),
           (unsigned long)(report->handling_ns / 1000000));
}

static int run(const char *name, long mode, long argument, long memory_kib)
{
    char why[128];
    if (hypervisor_probe(why, sizeof(why)) < 0) {
        dprintf(STDERR_FILENO, "vm: cannot run VMs here: %s\n", why);
        return STATUS_CANNOT_START;
    }
    void *image;
    long size = hypervisor_load_image(name, &image);
    if (size < 0) {
        dprintf(STDERR_FILENO, "vm: %s: %s\n", name, strerror((int)size));
        return STATUS_CANNOT_START;
    }
    struct vm_run_request request = {.image = (uint64_t)image,
                                     .image_bytes = (uint64_t)size,
                                     .guest_mode = (uint64_t)mode,
                                     .guest_argument = (uint64_t)argument,
                                     .memory_bytes = (uint64_t)memory_kib * 1024,
                                     .output_buffer = (uint64_t)output_buffer,
                                     .output_bytes = sizeof(output_buffer)};
    struct vm_report report;
    memset(&report, 0, sizeof(report));
    int result = hypervisor_run(&request, &report);
    if (result < 0) {
        dprintf(STDERR_FILENO, "vm: %s: %s (%s)\n", name,
                report.detail[0] ? report.detail : "refused", strerror(result));
        return STATUS_CANNOT_START;
    }
    stdout_flush();
    print_counters(&report);
    printf("vm: %s ended (%s: %s) after %lu exits; %lu guest frames and %lu table frames "
           "returned\n",
           name, hypervisor_end_name(report.end), report.detail, (unsigned long)report.exits_total,
           (unsigned long)report.memory_frames, (unsigned long)report.table_frames);
    return report.end == VM_END_HALT ? 0 : STATUS_GUEST_FAILED;
}

static int stats(int pid)
{
    struct vm_report report;
    int result = hypervisor_stats(pid, &report);
    if (result < 0) {
        dprintf(STDERR_FILENO, "vm: pid %d runs no VM\n", pid);
        return STATUS_CANNOT_START;
    }
    printf("vm pid %d: %lu exits so far, %lu guest frames, %lu table frames\n", pid,
           (unsigned long)report.exits_total, (unsigned long)report.memory_frames,
           (unsigned long)report.table_frames);
    print_counters(&report);
    return 0;
}

static void print_step(const char *table_kind, const struct vm_walk_step *step, uint64_t host)
{
    static const char *const levels[] = {"", "PT", "PD", "PDPT", "PML4"};
    printf("    %-4s index %3u  %s table 0x%08lx", levels[step->level & 7], step->index, table_kind,
           (unsigned long)step->table);
    if (host)
        printf(" (host 0x%08lx)", (unsigned long)host);
    printf("  entry 0x%016lx%s\n", (unsigned long)step->entry,
           (step->entry & 1) ? "" : "  not present");
}

static int walk(int pid, unsigned long address)
{
    struct vm_walk_info info;
    if (hypervisor_walk(pid, address, &info) < 0) {
        dprintf(STDERR_FILENO, "vm: pid %d runs no VM\n", pid);
        return STATUS_CANNOT_START;
    }
    printf("VM of pid %d, address %#lx\n", pid, address);
    if (info.guest_paging) {
        printf("  1. the guest's page table (CR3 %#lx): guest-virtual -> guest-physical;\n"
               "     each table is itself at a guest-physical address the nested table maps\n",
               (unsigned long)info.guest_cr3);
        for (int i = 0; i < info.guest_step_count; i++)
            print_step("guest", &info.guest_steps[i], info.guest_table_host[i]);
        if (!info.guest_mapped) {
            printf("  not mapped by the guest: a guest page fault, handled by the guest\n");
            return 0;
        }
        printf("     guest-physical %#lx\n", (unsigned long)info.guest_physical);
    } else {
        printf("  1. guest paging is off: the address is guest-physical\n");
    }
    printf("  2. the nested page table (the hypervisor's): guest-physical -> host-physical\n");
    for (int i = 0; i < info.nested_step_count; i++)
        print_step("host", &info.nested_steps[i], 0);
    if (info.nested_mapped)
        printf("  host-physical %#lx (a Prism frame %#lx)\n", (unsigned long)info.host_physical,
               (unsigned long)(info.host_physical & ADDRESS_MASK));
    else
        printf("  not guest RAM: a guest access here is a nested page fault (the VM ends)\n");
    return 0;
}

int main(int argc, char **argv)
{
    struct args args;
    args_begin(
        &args, argc, argv,
        "[--forever | --memory | --crash | --bad-io] IMAGE [KIB] | --cpuid IMAGE N | --stats PID | "
        "--walk PID ADDRESS | --probe",
        "run a guest OS in a virtual machine (vm tiny); this process is its virtual CPU");
    bool want_stats = args_flag(&args, "--stats"), want_walk = args_flag(&args, "--walk");
    bool want_probe = args_flag(&args, "--probe"), want_cpuid = args_flag(&args, "--cpuid");
    bool forever = args_flag(&args, "--forever"), crash = args_flag(&args, "--crash");
    bool bad_io = args_flag(&args, "--bad-io"), memory = args_flag(&args, "--memory");
    int pid = 0;
    unsigned long address = 0;
    const char *image = NULL;
    long count = 0;
    if (want_probe) {
        if (args_finish(&args) < 0)
            return args.status;
        char why[128];
        int result = hypervisor_probe(why, sizeof(why));
        printf("vm: %s%s\n", result == 0 ? "VMs can run: " : "cannot run VMs: ", why);
        return result == 0 ? 0 : STATUS_CANNOT_START;
    }
    if (want_stats || want_walk) {
        args_pid(&args, &pid);
        if (want_walk)
            args_address(&args, "ADDRESS", &address);
        if (args_finish(&args) < 0)
            return args.status;
        return want_walk ? walk(pid, address) : stats(pid);
    }
    long memory_kib = 0;
    args_word(&args, "IMAGE", &image);
    if (want_cpuid)
        args_number(&args, "N", 0, 100000000L, &count);
    else
        args_optional_number(&args, "KIB", 4, (long)(VM_MEMORY_MAX >> 10), &memory_kib);
    if ((int)forever + (int)memory + (int)crash + (int)bad_io + (int)want_cpuid > 1)
        args_error(&args, "choose one of --forever, --crash, --bad-io, --cpuid, --memory");
    if (args_finish(&args) < 0)
        return args.status;
    long mode = forever      ? VM_GUEST_FOREVER
                : crash      ? VM_GUEST_CRASH
                : bad_io     ? VM_GUEST_BAD_IO
                : want_cpuid ? VM_GUEST_CPUID
                : memory     ? VM_GUEST_MEMORY
                             : VM_GUEST_DEMO;
    return run(image, mode, count, memory_kib);
}
