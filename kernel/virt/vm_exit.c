/*
 * vm_exit.c — decoding exits and instruction lengths (vm_exit.h).
 *
 * EXITINFO1 of an IOIO exit (AMD APM vol. 2 §15.10.2): bit 0 IN, bit 2
 * string, bit 3 REP, bits 4-6 operand size (one bit each for 8, 16, 32),
 * bits 16-31 the port. Instruction lengths: legacy prefixes (operand and
 * address size, segment, REP, LOCK) and one REX byte may precede the opcode;
 * OUT/IN with an 8-bit port number carry one more byte; CPUID is 0F A2; HLT
 * is F4.
 * OSTEP appendix B (Virtual Machine Monitors).
 */
#include "kernel/virt/vm_exit.h"
#include "lib/format.h"

#define IOIO_IN (1UL << 0)
#define IOIO_STRING (1UL << 2)
#define IOIO_REPEAT (1UL << 3)
#define IOIO_SIZE_8 (1UL << 4)
#define IOIO_SIZE_16 (1UL << 5)
#define RFLAGS_IF (1UL << 9)
#define PREFIXES_MAX 4

void vm_io_decode(uint64_t exit_info_1, struct vm_io_access *access)
{
    access->in = exit_info_1 & IOIO_IN;
    access->string = exit_info_1 & IOIO_STRING;
    access->repeat = exit_info_1 & IOIO_REPEAT;
    access->bytes = (exit_info_1 & IOIO_SIZE_8) ? 1 : (exit_info_1 & IOIO_SIZE_16) ? 2 : 4;
    access->port = (uint16_t)(exit_info_1 >> 16);
}

enum vm_exit_kind vm_exit_kind_of(uint64_t exit_code, uint64_t exit_info_1)
{
    switch (exit_code) {
    case VM_SVM_EXIT_IOIO:
        return (exit_info_1 & IOIO_IN) ? VM_EXIT_IO_IN : VM_EXIT_IO_OUT;
    case VM_SVM_EXIT_CPUID:
        return VM_EXIT_CPUID;
    case VM_SVM_EXIT_HLT:
        return VM_EXIT_HLT;
    case VM_SVM_EXIT_INTR:
        return VM_EXIT_INTR;
    case VM_SVM_EXIT_NMI:
        return VM_EXIT_NMI;
    case VM_SVM_EXIT_NPF:
        return VM_EXIT_NPF;
    case VM_SVM_EXIT_SHUTDOWN:
        return VM_EXIT_SHUTDOWN;
    default:
        return VM_EXIT_OTHER;
    }
}

const char *vm_exit_name(uint64_t exit_code, char *buffer, size_t size)
{
    switch (exit_code) {
    case VM_SVM_EXIT_INTR:
        return "INTR";
    case VM_SVM_EXIT_NMI:
        return "NMI";
    case VM_SVM_EXIT_CPUID:
        return "CPUID";
    case VM_SVM_EXIT_HLT:
        return "HLT";
    case VM_SVM_EXIT_IOIO:
        return "IOIO";
    case VM_SVM_EXIT_MSR:
        return "MSR";
    case VM_SVM_EXIT_SHUTDOWN:
        return "SHUTDOWN";
    case VM_SVM_EXIT_NPF:
        return "NPF";
    case VM_SVM_EXIT_INVALID:
        return "VMEXIT_INVALID";
    }
    if (exit_code >= 0x40 && exit_code < 0x60)
        format_snprintf(buffer, size, "exception %lu", (unsigned long)(exit_code - 0x40));
    else
        format_snprintf(buffer, size, "exit %#lx", (unsigned long)exit_code);
    return buffer;
}

static bool is_legacy_prefix(uint8_t byte)
{
    switch (byte) {
    case 0x66: /* operand size */
    case 0x67: /* address size */
    case 0x26: /* segments: es cs ss ds fs gs */
    case 0x2e:
    case 0x36:
    case 0x3e:
    case 0x64:
    case 0x65:
    case 0xf0: /* lock */
    case 0xf2: /* repne */
    case 0xf3: /* rep */
        return true;
    default:
        return false;
    }
}

unsigned vm_instruction_length(uint64_t exit_code, const uint8_t *bytes, size_t count)
{
    size_t at = 0;
    while (at < count && at < PREFIXES_MAX && is_legacy_prefix(bytes[at]))
        at++;
    if (at < count && (bytes[at] & 0xf0) == 0x40) /* REX */
        at++;
    if (at >= count)
        return 0;
    uint8_t opcode = bytes[at];
    switch (exit_code) {
    case VM_SVM_EXIT_IOIO:
        if (opcode >= 0xe4 && opcode <= 0xe7) /* in/out with imm8 port */
            return (unsigned)at + 2 <= count ? (unsigned)at + 2 : 0;
        if ((opcode >= 0xec && opcode <= 0xef) || (opcode >= 0x6c && opcode <= 0x6f))
            return (unsigned)at + 1; /* port in dx; ins/outs */
        return 0;
    case VM_SVM_EXIT_CPUID:
        return opcode == 0x0f && at + 1 < count && bytes[at + 1] == 0xa2 ? (unsigned)at + 2 : 0;
    case VM_SVM_EXIT_HLT:
        return opcode == 0xf4 ? (unsigned)at + 1 : 0;
    default:
        return 0;
    }
}

bool vm_interrupt_window_open(uint64_t guest_rflags, uint32_t interrupt_state)
{
    return (guest_rflags & RFLAGS_IF) && !(interrupt_state & 1);
}
