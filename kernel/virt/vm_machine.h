/*
 * vm_machine.h — the VM object, shared by the two halves of the monitor:
 * vm.c (building, tearing down, finding a VM by its process) and vm_loop.c
 * (the VMRUN / handle-exit loop). Nothing outside kernel/virt/ sees it.
 * OSTEP appendix B (Virtual Machine Monitors).
 */
#ifndef PRISM_KERNEL_VIRT_VM_MACHINE_H
#define PRISM_KERNEL_VIRT_VM_MACHINE_H

#include "kernel/arch/x86_64/svm.h"
#include "kernel/virt/nested_paging.h"
#include "lib/vm_abi.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VM_OUTPUT_BUFFER 128 /* guest serial bytes gathered before a write */
#define VM_TIMER_VECTOR 32   /* the guest's timer interrupt vector */

struct vm {
    int pid; /* the vCPU process */
    unsigned asid;
    struct guest_memory memory;
    uint64_t vmcb_physical;
    struct svm_vmcb *vmcb;
    struct svm_guest_registers registers;
    struct svm_guest_fpu fpu; /* the guest's x87/SSE registers (svm.h's FPU rule) */
    struct vm_report report;  /* counters; `end` once it ended */

    uint64_t timer_period;    /* host ticks between virtual timer interrupts */
    uint64_t next_timer_tick; /* host tick when the next one is due */
    bool timer_pending;       /* due, not delivered yet (the guest had IF clear) */

    uint64_t user_output; /* the caller's scratch buffer for fd 1 writes */
    size_t user_output_bytes;
    char output[VM_OUTPUT_BUFFER];
    size_t output_length;

    /* The stretch of guest time since the last vmenter trace event. */
    bool stretch_open;
    uint64_t stretch_exits, stretch_guest_ns, stretch_handling_ns;
};

/* vm_loop.c: runs the VM until it ends; fills vm->report. */
void vm_loop(struct vm *vm);

#endif
