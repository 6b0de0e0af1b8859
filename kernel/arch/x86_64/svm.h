/*
 * svm.h — AMD SVM, the hardware half of Prism's hypervisor.
 *
 * SVM adds one instruction that matters, VMRUN: it saves part of the host's
 * state, loads a guest's from a 4 KiB control block (the VMCB), and runs the
 * guest until something the VMCB asks to intercept happens (a port access,
 * CPUID, HLT, a host interrupt ...). Then the CPU writes why into the VMCB
 * (#VMEXIT: exit code and two words of detail), restores the host, and
 * continues after VMRUN. Everything else here is set-up: is SVM there, turn
 * it on (EFER.SVME, the host save area), fill a VMCB. The monitor that
 * decides what an exit means is architecture-free, in kernel/virt/.
 * Layouts and numbers: AMD64 APM vol. 2, ch. 15 and appendix B.
 * OSTEP appendix B (Virtual Machine Monitors): "limited direct execution"
 * one level down — the guest runs directly until it traps.
 */
#ifndef PRISM_ARCH_SVM_H
#define PRISM_ARCH_SVM_H

#include <stdbool.h>
#include <stdint.h>

/* Exit codes (VMCB offset 0x70), APM appendix C. */
#define SVM_EXIT_EXCEPTION_BASE 0x40 /* + vector, when an exception is intercepted */
#define SVM_EXIT_INTR 0x60           /* a host interrupt arrived */
#define SVM_EXIT_NMI 0x61
#define SVM_EXIT_CPUID 0x72
#define SVM_EXIT_HLT 0x78
#define SVM_EXIT_IOIO 0x7b
#define SVM_EXIT_MSR 0x7c
#define SVM_EXIT_SHUTDOWN 0x7f /* triple fault */
#define SVM_EXIT_VMRUN 0x80
#define SVM_EXIT_VMMCALL 0x81
#define SVM_EXIT_NPF 0x400       /* nested page fault */
#define SVM_EXIT_INVALID (~0ULL) /* VMRUN refused the VMCB's state */

/* One segment register in the VMCB's compressed form. */
struct svm_segment {
    uint16_t selector;
    uint16_t attributes; /* descriptor bits 40-47 in 0-7, bits 52-55 in 8-11 */
    uint32_t limit;
    uint64_t base;
} __attribute__((packed));

/* The parts of the VMCB Prism reads or writes, at the APM's offsets. */
struct svm_vmcb {
    /* control area */
    uint16_t intercept_cr_read, intercept_cr_write; /* 0x000 */
    uint16_t intercept_dr_read, intercept_dr_write; /* 0x004 */
    uint32_t intercept_exceptions;                  /* 0x008 */
    uint64_t intercepts;                            /* 0x00c: exit codes 0x60.. as bits */
    uint8_t reserved_1[0x40 - 0x14];
    uint64_t iopm_base;  /* 0x040: which ports exit */
    uint64_t msrpm_base; /* 0x048: which MSRs exit */
    uint64_t tsc_offset; /* 0x050 */
    uint32_t asid;       /* 0x058: tags the guest's TLB entries */
    uint8_t tlb_control; /* 0x05c: 1 = flush this ASID's entries at VMRUN */
    uint8_t reserved_2[3];
    uint32_t interrupt_control; /* 0x060: V_INTR_MASKING (bit 24) ... */
    uint32_t interrupt_vector;  /* 0x064 */
    uint32_t interrupt_state;   /* 0x068: bit 0 = guest in an interrupt shadow (sti; mov ss) */
    uint8_t reserved_3[4];
    uint64_t exit_code;            /* 0x070 */
    uint64_t exit_info_1;          /* 0x078 */
    uint64_t exit_info_2;          /* 0x080 */
    uint32_t exit_interrupt_info;  /* 0x088: an event being delivered when the exit came */
    uint32_t exit_interrupt_error; /* 0x08c */
    uint64_t nested_paging;        /* 0x090: bit 0 enables nested paging */
    uint8_t reserved_4[16];
    uint32_t event_inject;       /* 0x0a8: EVENTINJ, delivered at the next VMRUN */
    uint32_t event_inject_error; /* 0x0ac */
    uint64_t nested_cr3;         /* 0x0b0: root of the nested page table */
    uint64_t lbr_control;        /* 0x0b8 */
    uint8_t reserved_5[0x400 - 0xc0];
    /* state save area */
    struct svm_segment es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr; /* 0x400 */
    uint8_t reserved_6[43];
    uint8_t cpl; /* 0x4cb */
    uint8_t reserved_7[4];
    uint64_t efer; /* 0x4d0 */
    uint8_t reserved_8[112];
    uint64_t cr4, cr3, cr0, dr7, dr6, rflags, rip; /* 0x548 */
    uint8_t reserved_9[88];
    uint64_t rsp; /* 0x5d8 */
    uint8_t reserved_10[24];
    uint64_t rax; /* 0x5f8 */
    uint64_t star, lstar, cstar, sfmask, kernel_gs_base;
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip, cr2;
    uint8_t reserved_11[32];
    uint64_t guest_pat; /* 0x668 */
    uint8_t reserved_12[4096 - 0x670];
} __attribute__((packed));

_Static_assert(sizeof(struct svm_vmcb) == 4096, "the VMCB is one page");

/* Intercept bits (struct svm_vmcb.intercepts): bit n is exit code 0x60 + n. */
#define SVM_INTERCEPT(exit_code) (1ULL << ((exit_code)-SVM_EXIT_INTR))
#define SVM_INTERCEPT_IOIO_PROT SVM_INTERCEPT(SVM_EXIT_IOIO) /* ports per the IOPM */
#define SVM_INTERCEPT_MSR_PROT SVM_INTERCEPT(SVM_EXIT_MSR)   /* MSRs per the MSRPM */

#define SVM_V_INTR_MASKING (1U << 24) /* guest IF masks only virtual interrupts */
#define SVM_EVENT_VALID (1U << 31)
#define SVM_EVENT_TYPE_INTERRUPT (0U << 8)

/* The guest's general registers VMRUN does not load (rax and rsp live in
 * the VMCB); svm_run.asm swaps them with the host's around VMRUN. */
struct svm_guest_registers {
    uint64_t rbx, rcx, rdx, rsi, rdi, rbp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

/*
 * FPU/SSE rule: outside svm_run the x87/MMX/SSE registers hold the running
 * process's own user state (the kernel never uses them; cpu_state.c saves
 * and restores them on a switch), and inside it they hold the guest's only
 * while GIF is clear. VMRUN switches none of that state, so svm_run.asm
 * does it in the GIF=0 window: fxsave the host's registers, fxrstor the
 * guest's (struct svm_guest_fpu), VMRUN, fxsave the guest's back, fxrstor
 * the host's, and only then STGI. So no interrupt, NMI, exit handler or
 * process switch ever sees a guest's FPU state, a guest never sees the `vm`
 * process's (nor can change it), and each VM keeps its own across exits and
 * time slices. That is two fxsaves and two fxrstors per exit: eager, like
 * cpu_state.c, and for the same reasons.
 */
struct svm_guest_fpu {
    uint8_t fxsave_area[512] __attribute__((aligned(16))); /* fxsave faults unless 16-aligned */
};

/* A guest's FPU at power-on, as after FNINIT: x87 control word 0x37f,
 * MXCSR 0x1f80 (every exception masked), every register zero. */
void svm_guest_fpu_reset(struct svm_guest_fpu *fpu);

/* Why SVM cannot be used here, or NULL when it can: checks CPUID
 * 0x80000001 ECX bit 2 (SVM), VM_CR.SVMDIS, and CPUID 0x8000000A EDX bit 0
 * (nested paging). Also reports the number of ASIDs. */
const char *svm_unavailable_reason(uint32_t *asid_count);

/* Turns SVM on for this CPU (EFER.SVME, the host save area); idempotent.
 * Only after svm_unavailable_reason() returned NULL. */
void svm_enable(void);

/* Physical addresses of the shared I/O and MSR permission maps (every bit
 * set: every port and every MSR access exits). */
uint64_t svm_io_permission_map(void);
uint64_t svm_msr_permission_map(void);

/*
 * Runs the guest of `vmcb` (its physical address), with the general
 * registers in *guest and the FPU/SSE state in *fpu, until the next
 * #VMEXIT; both are updated to the guest's at the exit.
 * Rule: called with interrupts off (IF clear), by the process whose user
 * FPU state is live (the VM's own vCPU process). Inside, CLGI clears GIF
 * and STI sets IF: while GIF is clear nothing is delivered, and VMRUN sets
 * GIF for the guest, so a host interrupt pending before VMRUN or arriving
 * while the guest runs causes an INTR #VMEXIT (intercepted, with the host's
 * IF set) instead of being lost or delivered to the guest; NMIs likewise.
 * The exit clears GIF again; after the guest's state is saved and the
 * host's restored, STGI lets the pending interrupt in right there, in
 * kernel mode (the timer ticks, the scheduler may mark a preemption, taken
 * later by the caller), and CLI restores the rule before returning.
 */
void svm_run(uint64_t vmcb_physical, struct svm_guest_registers *guest, struct svm_guest_fpu *fpu);

#endif
