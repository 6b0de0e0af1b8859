/*
 * vm_loop.c — the vCPU: VMRUN, handle the exit, VMRUN again (vm_machine.h).
 *
 * Each turn: end the loop if the process has a signal; raise the virtual
 * timer if its tick has come and inject it (EVENTINJ) when the guest can
 * take an interrupt; VMRUN; then decide what the exit means:
 *   IOIO      OUT to 0x3f8 is a byte of serial output (gathered, then
 *             written to the process's fd 1); IN from 0x3fd says the
 *             transmitter is ready; the UART's other registers are ignored;
 *             any other port ends the VM.
 *   CPUID     the host's answer, with the hypervisor bit set, SVM hidden
 *             and leaf 0x40000000 naming Prism.
 *   HLT       with IF clear: the guest powered off, the VM ends. With IF
 *             set: wait for the next virtual tick, blocked on the sleepers'
 *             queue like any sleeping process (a halted guest costs no CPU).
 *   INTR/NMI  a host interrupt, already taken in svm_run: the timer may
 *             have ended this process's slice, so let the scheduler decide.
 *   anything else (a triple fault, an MSR, a nested page fault ...) ends
 *             the VM with a one-line report naming the exit.
 * rip moves past an emulated instruction by its decoded length (no NRIP).
 * The guest's FPU/SSE registers live in vm->fpu between VMRUNs; svm_run
 * swaps them with this process's own (svm.h states the rule).
 * OSTEP appendix B (Virtual Machine Monitors), ch. 6 (the timer keeps the
 * host in control), ch. 7 (the vCPU is scheduled like any process).
 */
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/console.h"
#include "kernel/fs/file.h"
#include "kernel/mm/user_copy.h"
#include "kernel/panic.h"
#include "kernel/proc/proc.h"
#include "kernel/sched/scheduler.h"
#include "kernel/timer.h"
#include "kernel/trace/trace.h"
#include "kernel/virt/vm_exit.h"
#include "kernel/virt/vm_machine.h"
#include "lib/format.h"
#include "lib/string.h"

#define SERIAL_DATA 0x3f8
#define SERIAL_LAST 0x3ff
#define SERIAL_LINE_STATUS 0x3fd
#define SERIAL_TRANSMIT_READY 0x60 /* THR empty, transmitter idle */
#define RFLAGS_IF (1UL << 9)
#define CR0_PG (1UL << 31)
#define CPUID_HYPERVISOR_LEAF 0x40000000U

enum step { VM_GO_ON, VM_STOP };

static void flush_output(struct vm *vm)
{
    if (vm->output_length == 0)
        return;
    struct file *out = fd_get(proc_current(), 1);
    size_t length = vm->output_length;
    if (length > vm->user_output_bytes)
        length = vm->user_output_bytes;
    if (out && length > 0 && user_copy_out(vm->user_output, vm->output, length) == 0)
        file_write(out, vm->user_output, length); /* may block (a full pipe) */
    vm->output_length = 0;
}

static enum step stop(struct vm *vm, enum vm_end end, const char *fmt, uint64_t value)
{
    vm->report.end = end;
    format_snprintf(vm->report.detail, sizeof(vm->report.detail), fmt, (unsigned long)value);
    return VM_STOP;
}

static bool skip_instruction(struct vm *vm, uint64_t exit_code)
{
    uint8_t bytes[VM_INSTRUCTION_MAX];
    struct svm_vmcb *vmcb = vm->vmcb;
    memset(bytes, 0, sizeof(bytes));
    /* Read what we can: the instruction may end near the end of a page. */
    size_t count = sizeof(bytes);
    while (count > 0 && guest_memory_read_virtual(&vm->memory, vmcb->cr0 & CR0_PG, vmcb->cr3,
                                                  vmcb->rip, bytes, count) < 0)
        count--;
    unsigned length = vm_instruction_length(exit_code, bytes, count);
    if (length == 0)
        return false;
    vmcb->rip += length;
    vmcb->interrupt_state = 0; /* an sti shadow covered only the instruction skipped */
    return true;
}

static enum step handle_io(struct vm *vm)
{
    struct svm_vmcb *vmcb = vm->vmcb;
    struct vm_io_access io;
    vm_io_decode(vmcb->exit_info_1, &io);
    bool serial = io.port >= SERIAL_DATA && io.port <= SERIAL_LAST;
    if (io.string || !serial)
        return stop(vm, VM_END_UNHANDLED,
                    io.string ? "string I/O at port %#lx is not emulated"
                              : "I/O port %#lx is not emulated",
                    io.port);
    if (!skip_instruction(vm, VM_SVM_EXIT_IOIO))
        return stop(vm, VM_END_UNHANDLED, "cannot decode the I/O instruction at %#lx", vmcb->rip);
    if (io.in) {
        uint64_t value = io.port == SERIAL_LINE_STATUS ? SERIAL_TRANSMIT_READY : 0;
        uint64_t mask = io.bytes == 1 ? 0xff : io.bytes == 2 ? 0xffff : 0xffffffff;
        vmcb->rax = io.bytes == 4 ? value : (vmcb->rax & ~mask) | value;
    } else if (io.port == SERIAL_DATA) {
        char byte = (char)vmcb->rax;
        vm->output[vm->output_length++] = byte;
        vm->report.output_bytes++;
        if (byte == '\n' || vm->output_length == sizeof(vm->output))
            flush_output(vm);
    }
    return VM_GO_ON;
}

static enum step handle_cpuid(struct vm *vm)
{
    struct svm_vmcb *vmcb = vm->vmcb;
    uint32_t leaf = (uint32_t)vmcb->rax, r[4];
    if (!skip_instruction(vm, VM_SVM_EXIT_CPUID))
        return stop(vm, VM_END_UNHANDLED, "cannot decode CPUID at %#lx", vmcb->rip);
    if (leaf == CPUID_HYPERVISOR_LEAF) {
        r[0] = CPUID_HYPERVISOR_LEAF;
        memcpy(&r[1], "Prism VMM   ", 12); /* ebx, ecx, edx: the hypervisor's name */
    } else {
        cpuid(leaf, (uint32_t)vm->registers.rcx, r);
        if (leaf == 1)
            r[2] = (r[2] | (1U << 31)) & ~(1U << 5); /* hypervisor present; no VMX */
        if (leaf == 0x80000001U)
            r[2] &= ~(1U << 2); /* no SVM inside the guest */
    }
    vmcb->rax = r[0];
    vm->registers.rbx = r[1];
    vm->registers.rcx = r[2];
    vm->registers.rdx = r[3];
    return VM_GO_ON;
}

static void raise_timer_if_due(struct vm *vm)
{
    uint64_t now = timer_ticks();
    if (now >= vm->next_timer_tick) {
        vm->timer_pending = true;
        vm->next_timer_tick = now + vm->timer_period;
    }
}

/* Delivers the pending virtual timer interrupt at the next VMRUN, unless an
 * event interrupted by the last exit must be delivered again first. */
static void inject_events(struct vm *vm)
{
    struct svm_vmcb *vmcb = vm->vmcb;
    if (vmcb->exit_interrupt_info & SVM_EVENT_VALID) {
        vmcb->event_inject = vmcb->exit_interrupt_info;
        vmcb->event_inject_error = vmcb->exit_interrupt_error;
        vmcb->exit_interrupt_info = 0;
        return;
    }
    if (vm->timer_pending && vm_interrupt_window_open(vmcb->rflags, vmcb->interrupt_state)) {
        vmcb->event_inject = SVM_EVENT_VALID | SVM_EVENT_TYPE_INTERRUPT | VM_TIMER_VECTOR;
        vm->timer_pending = false;
        vm->report.timer_injected++;
    }
}

static void trace_stretch_end(struct vm *vm, uint64_t exit_code)
{
    if (!vm->stretch_open)
        return;
    char name[24];
    trace_vm_exit(vm->pid, vm_exit_name(exit_code, name, sizeof(name)), vm->stretch_exits,
                  vm->stretch_guest_ns / 1000, vm->stretch_handling_ns / 1000);
    vm->stretch_open = false;
}

static enum step handle_hlt(struct vm *vm)
{
    struct svm_vmcb *vmcb = vm->vmcb;
    if (!skip_instruction(vm, VM_SVM_EXIT_HLT))
        return stop(vm, VM_END_UNHANDLED, "cannot decode HLT at %#lx", vmcb->rip);
    if (!(vmcb->rflags & RFLAGS_IF))
        return stop(vm, VM_END_HALT, "HLT with interrupts off at %#lx: powered off", vmcb->rip - 1);
    raise_timer_if_due(vm);
    if (!vm->timer_pending) {
        flush_output(vm);
        trace_stretch_end(vm, VM_SVM_EXIT_HLT);
        sched_sleep_ticks(vm->next_timer_tick - timer_ticks());
    }
    return VM_GO_ON;
}

static enum step handle_exit(struct vm *vm)
{
    struct svm_vmcb *vmcb = vm->vmcb;
    char name[24];
    switch (vmcb->exit_code) {
    case VM_SVM_EXIT_IOIO:
        return handle_io(vm);
    case VM_SVM_EXIT_CPUID:
        return handle_cpuid(vm);
    case VM_SVM_EXIT_HLT:
        return handle_hlt(vm);
    case VM_SVM_EXIT_INTR:
    case VM_SVM_EXIT_NMI:
        return VM_GO_ON; /* taken in svm_run already */
    case VM_SVM_EXIT_SHUTDOWN:
        return stop(vm, VM_END_SHUTDOWN, "triple fault (SHUTDOWN exit) at rip %#lx", vmcb->rip);
    case VM_SVM_EXIT_NPF:
        return stop(vm, VM_END_UNHANDLED, "nested page fault: guest-physical %#lx is not RAM",
                    vmcb->exit_info_2);
    case VM_SVM_EXIT_INVALID:
        return stop(vm, VM_END_INVALID, "VMRUN refused the guest state (VMEXIT_INVALID)", 0);
    default:
        vm->report.end = VM_END_UNHANDLED;
        format_snprintf(vm->report.detail, sizeof(vm->report.detail),
                        "unhandled exit %s (code %#lx) at rip %#lx",
                        vm_exit_name(vmcb->exit_code, name, sizeof(name)),
                        (unsigned long)vmcb->exit_code, (unsigned long)vmcb->rip);
        return VM_STOP;
    }
}

void vm_loop(struct vm *vm)
{
    struct proc *self = proc_current();
    struct svm_vmcb *vmcb = vm->vmcb;
    /* svm_run parks the live FPU registers as the host's: they must be the
     * vCPU process's own, so no process but the VM's may run its loop. */
    if (self->pid != vm->pid)
        panic("vm_loop: pid %d runs the VM of pid %d", self->pid, vm->pid);
    vm->next_timer_tick = timer_ticks() + vm->timer_period;
    for (;;) {
        if (self->pending_signal) {
            vm->report.end = VM_END_KILLED;
            format_snprintf(vm->report.detail, sizeof(vm->report.detail),
                            "the vm process got signal %d", self->pending_signal);
            break;
        }
        raise_timer_if_due(vm);
        inject_events(vm);
        if (!vm->stretch_open) {
            trace_vm_enter(vm->pid);
            vm->stretch_open = true;
            vm->stretch_exits = vm->stretch_guest_ns = vm->stretch_handling_ns = 0;
        }
        uint64_t entered = timer_now_ns();
        svm_run(vm->vmcb_physical, &vm->registers, &vm->fpu);
        uint64_t exited = timer_now_ns();
        vmcb->tlb_control = 0;
        vmcb->event_inject = 0;

        uint64_t code = vmcb->exit_code;
        vm->report.exits[vm_exit_kind_of(code, vmcb->exit_info_1)]++;
        vm->report.exits_total++;
        vm->report.guest_ns += exited - entered;
        vm->stretch_exits++;
        vm->stretch_guest_ns += exited - entered;
        vm->report.exit_code = code;
        vm->report.exit_info_1 = vmcb->exit_info_1;
        vm->report.exit_info_2 = vmcb->exit_info_2;
        vm->report.rip = vmcb->rip;

        enum step next = handle_exit(vm);
        uint64_t handled = timer_now_ns();
        if (vm->stretch_open) { /* a HLT that blocked closed it, with its time */
            vm->report.handling_ns += handled - exited;
            vm->stretch_handling_ns += handled - exited;
        }
        if (next == VM_STOP) {
            trace_stretch_end(vm, code);
            break;
        }
        if (code == VM_SVM_EXIT_INTR) {
            trace_stretch_end(vm, code); /* Prism's turn: the slice may be over */
            sched_preempt_if_due();
        }
    }
    flush_output(vm);
    trace_vm_end(vm->pid, vm->report.end, vm->report.exits_total);
}
