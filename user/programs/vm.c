/*
 * vm IMAGE — run a guest OS in a virtual machine; this process is its CPU.
 *
 *   vm tiny                 the tiny guest: banner, tasks A and B time-share
 *   vm tiny KIB             ... with KIB KiB of guest RAM instead of what it asks for
 *   vm --forever tiny       the same, never halting (stop it: Ctrl-C, kill)
 *   vm --memory tiny        the same with memory-bound work (lib/vm_work.h)
 *   vm --cpuid tiny N       N CPUID exits, then halt (what one exit costs)
 *   vm --crash tiny         a triple fault;  vm --bad-io tiny: an unemulated port
 *   vm --check-fpu fpu      run a guest with distinctive FPU/SSE values in this
 *                           process, and check they are unchanged after it
 *   vm --stats PID          the exit counters of the VM process PID runs now
 *   vm --walk PID ADDRESS   ADDRESS through the guest's page table, then the
 *                           guest-physical result through the nested table
 *   vm --probe              can this CPU run VMs (AMD SVM + nested paging)?
 * The guest's serial output is this program's output. At the end: a table
 * of exits by reason, then one summary line starting "vm:". Exit status 0
 * when the guest halted itself, 3 when it crashed or did something Prism
 * does not emulate, 1 when it could not start (no SVM, not a guest image),
 * 4 when --check-fpu found this process's FPU/SSE registers changed.
 * OSTEP appendix B (Virtual Machine Monitors).
 */
#include "lib/string.h"
#include "user/lib/args.h"
#include "user/lib/describe.h"
#include "user/guest/fpu_values.h"
#include "user/lib/hypervisor.h"
#include "user/lib/hypervisor_walk.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"

#define STATUS_CANNOT_START 1
#define STATUS_GUEST_FAILED 3
#define STATUS_FPU_CHANGED 4

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

#define LOAD_MINE FOR_EACH_XMM(XMM_LOAD) "ldmxcsr %[mxcsr_in]\n\tfldcw %[control_word_in]\n\t"
#define READ_BACK FOR_EACH_XMM(XMM_STORE) "stmxcsr %[mxcsr_out]\n\tfnstcw %[control_word_out]\n\t"
#define PUT_DEFAULTS_BACK "ldmxcsr %[mxcsr_reset]\n\tfldcw %[control_word_reset]"

/* --check-fpu: runs the VM with this process's FPU/SSE registers holding
 * its distinctive values (fpu_values.h) and reads them back the moment
 * SYS_vm returns, in one asm statement, so no compiled code can use an xmm
 * register or change MXCSR in between; then puts the defaults back. */
static int run_keeping_fpu(const struct vm_run_request *request, struct vm_report *report,
                           struct fpu_values *after)
{
    static struct fpu_values mine;
    static const uint32_t reset_mxcsr = FPU_RESET_MXCSR;
    static const uint16_t reset_control_word = FPU_RESET_CONTROL_WORD;
    fpu_values_fill(&mine, 0, request->guest_argument);
    long result;
    __asm__ volatile(
        LOAD_MINE "syscall\n\t" READ_BACK PUT_DEFAULTS_BACK
        : "=a"(result), [mxcsr_out] "=m"(after->mxcsr), [control_word_out] "=m"(after->control_word)
        : "0"((long)SYS_vm), "D"((long)VM_OP_RUN), "S"(request),
          "d"(report), [xmm_in] "r"(mine.xmm), [xmm_out] "r"(after->xmm),
          [mxcsr_in] "m"(mine.mxcsr), [control_word_in] "m"(mine.control_word),
          [mxcsr_reset] "m"(reset_mxcsr), [control_word_reset] "m"(reset_control_word)
        : "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
          "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
    return (int)result;
}

/* One line: were this process's FPU/SSE registers the same after its VM? */
static bool report_fpu(const struct fpu_values *after, uint64_t seed)
{
    struct fpu_values mine;
    fpu_values_fill(&mine, 0, seed);
    int n = fpu_values_first_xmm_difference(after, &mine);
    if (after->control_word == mine.control_word && after->mxcsr == mine.mxcsr && n == 16) {
        printf("vm: this process's FPU/SSE state is unchanged by its VM (x87 control word %#06x, "
               "MXCSR %#06x, xmm0-15)\n",
               mine.control_word, mine.mxcsr);
        return true;
    }
    printf("vm: this process's FPU/SSE state CHANGED while it ran the VM: x87 control word %#06x "
           "(was %#06x), MXCSR %#06x (was %#06x)",
           after->control_word, mine.control_word, after->mxcsr, mine.mxcsr);
    if (n < 16)
        printf(", xmm%d %#018lx (was %#018lx)", n, (unsigned long)after->xmm[n][0],
               (unsigned long)mine.xmm[n][0]);
    printf("\n");
    return false;
}

static int run(const char *name, long mode, long argument, long memory_kib, bool check_fpu)
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
    struct fpu_values after;
    int result =
        check_fpu ? run_keeping_fpu(&request, &report, &after) : hypervisor_run(&request, &report);
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
    if (check_fpu && !report_fpu(&after, request.guest_argument))
        return STATUS_FPU_CHANGED;
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

int main(int argc, char **argv)
{
    struct args args;
    args_begin(&args, argc, argv,
               "[--forever | --memory | --crash | --bad-io | --check-fpu] IMAGE [KIB] | "
               "--cpuid IMAGE N | --stats PID | --walk PID ADDRESS | --probe",
               "run a guest OS in a virtual machine (vm tiny); this process is its virtual CPU");
    bool want_stats = args_flag(&args, "--stats"), want_walk = args_flag(&args, "--walk");
    bool want_probe = args_flag(&args, "--probe"), want_cpuid = args_flag(&args, "--cpuid");
    bool forever = args_flag(&args, "--forever"), crash = args_flag(&args, "--crash");
    bool bad_io = args_flag(&args, "--bad-io"), check_fpu = args_flag(&args, "--check-fpu");
    bool memory = args_flag(&args, "--memory");
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
        return want_walk ? hypervisor_walk_show("vm", pid, address) : stats(pid);
    }
    long memory_kib = 0;
    args_word(&args, "IMAGE", &image);
    if (want_cpuid)
        args_number(&args, "N", 0, 100000000L, &count);
    else
        args_optional_number(&args, "KIB", 4, (long)(VM_MEMORY_MAX >> 10), &memory_kib);
    if ((int)forever + (int)crash + (int)bad_io + (int)want_cpuid + (int)check_fpu + (int)memory >
        1)
        args_error(&args, "choose one of --forever, --crash, --bad-io, --cpuid, --check-fpu, "
                          "--memory");
    if (args_finish(&args) < 0)
        return args.status;
    long mode = forever      ? VM_GUEST_FOREVER
                : crash      ? VM_GUEST_CRASH
                : bad_io     ? VM_GUEST_BAD_IO
                : want_cpuid ? VM_GUEST_CPUID
                : memory     ? VM_GUEST_MEMORY
                             : VM_GUEST_DEMO;
    if (check_fpu)
        count = getpid(); /* the guest's argument: the seed of both FPU value sets */
    return run(image, mode, count, memory_kib, check_fpu);
}
