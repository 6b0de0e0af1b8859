/*
 * vm_exit.h — reading a #VMEXIT: what happened, and how long the
 * instruction that caused it was.
 *
 * After an exit the VMCB holds an exit code and two words of detail. For
 * port I/O the first word says which port, in or out, how wide, string or
 * not. The guest's rip still points at the instruction that exited; to
 * resume after it the monitor must know its length. QEMU's SVM does not
 * offer NRIP-save (the CPU writing the next rip for us), so the length is
 * decoded from the instruction bytes here: prefixes, then the opcode, which
 * must be the one the exit code says it was.
 * Pure functions of their arguments: host tests drive them (test_vm_exit.c).
 * OSTEP appendix B (the VMM handles what the guest's privileged
 * instructions trap into).
 */
#ifndef PRISM_KERNEL_VIRT_VM_EXIT_H
#define PRISM_KERNEL_VIRT_VM_EXIT_H

#include "lib/vm_abi.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* SVM exit codes the monitor knows (AMD APM vol. 2 appendix C). */
#define VM_SVM_EXIT_INTR 0x60
#define VM_SVM_EXIT_NMI 0x61
#define VM_SVM_EXIT_CPUID 0x72
#define VM_SVM_EXIT_HLT 0x78
#define VM_SVM_EXIT_IOIO 0x7b
#define VM_SVM_EXIT_MSR 0x7c
#define VM_SVM_EXIT_SHUTDOWN 0x7f
#define VM_SVM_EXIT_NPF 0x400
#define VM_SVM_EXIT_INVALID (~0ULL)

#define VM_INSTRUCTION_MAX 15 /* x86 instructions are at most 15 bytes */

/* One port access, from EXITINFO1 of an IOIO exit. */
struct vm_io_access {
    bool in;        /* IN (else OUT) */
    bool string;    /* INS/OUTS */
    bool repeat;    /* REP prefix */
    unsigned bytes; /* 1, 2 or 4 */
    uint16_t port;
};

void vm_io_decode(uint64_t exit_info_1, struct vm_io_access *access);

/* Which counter an exit code belongs to. */
enum vm_exit_kind vm_exit_kind_of(uint64_t exit_code, uint64_t exit_info_1);

/* A short name for an exit code: "IOIO", "CPUID", "HLT", "exception 14"...
 * buffer is used for the numbered ones (at least 24 bytes). */
const char *vm_exit_name(uint64_t exit_code, char *buffer, size_t size);

/* The length of the instruction in bytes[0..count) that caused an exit
 * with this code (IOIO, CPUID or HLT), or 0 if the bytes are not such an
 * instruction (the monitor then ends the VM instead of guessing). */
unsigned vm_instruction_length(uint64_t exit_code, const uint8_t *bytes, size_t count);

/* Whether a virtual interrupt may be injected now: the guest's IF is set
 * and it is not in the one-instruction shadow after sti or mov ss. */
bool vm_interrupt_window_open(uint64_t guest_rflags, uint32_t interrupt_state);

#endif
