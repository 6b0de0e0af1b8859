/*
 * svm.c — finding, enabling and entering AMD SVM (see svm.h).
 *
 * The state shared by every VM lives in the kernel image, not in frames, so
 * running a VM never changes the free-frame count by itself: the host save
 * area (VM_HSAVE_PA: where VMRUN parks the host), the host state VMSAVE
 * keeps, and the I/O and MSR permission maps (12 KiB and 8 KiB, physically
 * contiguous, which the kernel image is and separate frames are not).
 * Every bit of both maps is set: every port access and every MSR access by
 * a guest exits, and the monitor decides (kernel/virt/vm_exit.c). The
 * host's FPU/SSE registers are parked in host_fpu for the GIF=0 window of
 * each VMRUN (svm.h states the rule; one CPU, so one area).
 * OSTEP appendix B (Virtual Machine Monitors); AMD APM vol. 2 ch. 15.
 */
#include "kernel/arch/x86_64/svm.h"
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/arch/x86_64/msr.h"
#include "kernel/interrupts_off.h"
#include "kernel/mm/layout.h"
#include "kernel/panic.h"
#include "lib/string.h"

#include <stddef.h>

#define CPUID_EXTENDED_MAX 0x80000000U
#define CPUID_EXTENDED_FEATURES 0x80000001U
#define CPUID_SVM_FEATURES 0x8000000aU
#define CPUID_ECX_SVM (1U << 2)
#define CPUID_SVM_EDX_NESTED_PAGING (1U << 0)
#define MSR_VM_CR 0xc0010114
#define VM_CR_SVM_DISABLED (1U << 4)
#define MSR_VM_HSAVE_PA 0xc0010117
#define EFER_SVME (1U << 12)

#define IO_MAP_BYTES (3 * 4096)
#define MSR_MAP_BYTES (2 * 4096)

_Static_assert(offsetof(struct svm_vmcb, iopm_base) == 0x040, "VMCB layout");
_Static_assert(offsetof(struct svm_vmcb, interrupt_control) == 0x060, "VMCB layout");
_Static_assert(offsetof(struct svm_vmcb, exit_code) == 0x070, "VMCB layout");
_Static_assert(offsetof(struct svm_vmcb, event_inject) == 0x0a8, "VMCB layout");
_Static_assert(offsetof(struct svm_vmcb, nested_cr3) == 0x0b0, "VMCB layout");
_Static_assert(offsetof(struct svm_vmcb, cpl) == 0x4cb, "VMCB layout");
_Static_assert(offsetof(struct svm_vmcb, efer) == 0x4d0, "VMCB layout");
_Static_assert(offsetof(struct svm_vmcb, cr4) == 0x548, "VMCB layout");
_Static_assert(offsetof(struct svm_vmcb, rip) == 0x578, "VMCB layout");
_Static_assert(offsetof(struct svm_vmcb, rsp) == 0x5d8, "VMCB layout");
_Static_assert(offsetof(struct svm_vmcb, rax) == 0x5f8, "VMCB layout");
_Static_assert(offsetof(struct svm_vmcb, guest_pat) == 0x668, "VMCB layout");

static uint8_t host_save_area[4096] __attribute__((aligned(4096)));
static uint8_t host_state[4096] __attribute__((aligned(4096)));
static uint8_t io_permission_map[IO_MAP_BYTES] __attribute__((aligned(4096)));
static uint8_t msr_permission_map[MSR_MAP_BYTES] __attribute__((aligned(4096)));
static struct svm_guest_fpu host_fpu; /* the vm process's user FPU/SSE during VMRUN */
static bool enabled;

void svm_vmrun(uint64_t vmcb_physical, struct svm_guest_registers *guest,
               uint64_t host_state_physical, struct svm_guest_fpu *guest_fpu,
               struct svm_guest_fpu *host_fpu); /* svm_run.asm */

#define FX_CONTROL_WORD 0 /* offsets in the fxsave image (AMD APM vol. 2 §11.4.4) */
#define FX_MXCSR 24
#define FNINIT_CONTROL_WORD 0x037f /* all x87 exceptions masked, 64-bit precision */
#define MXCSR_DEFAULT 0x1f80       /* all SIMD exceptions masked, round to nearest */

/* The kernel image is linked at KERNEL_IMAGE_BASE + its physical address. */
static uint64_t image_physical(const void *address)
{
    return (uint64_t)address - KERNEL_IMAGE_BASE;
}

const char *svm_unavailable_reason(uint32_t *asid_count)
{
    uint32_t r[4];
    *asid_count = 0;
    cpuid(CPUID_EXTENDED_MAX, 0, r);
    if (r[0] < CPUID_SVM_FEATURES)
        return "this CPU has no SVM (AMD-V): CPUID has no leaf 0x8000000a";
    cpuid(CPUID_EXTENDED_FEATURES, 0, r);
    if (!(r[2] & CPUID_ECX_SVM))
        return "this CPU has no SVM (AMD-V): CPUID 0x80000001 ECX bit 2 is clear";
    if (rdmsr(MSR_VM_CR) & VM_CR_SVM_DISABLED)
        return "SVM is disabled by the firmware (VM_CR.SVMDIS)";
    cpuid(CPUID_SVM_FEATURES, 0, r);
    *asid_count = r[1];
    if (!(r[3] & CPUID_SVM_EDX_NESTED_PAGING))
        return "this CPU's SVM has no nested paging (CPUID 0x8000000a EDX bit 0): "
               "QEMU needs -cpu qemu64,+svm,+npt";
    if (r[1] < 2)
        return "this CPU's SVM has no guest ASIDs";
    return NULL;
}

void svm_enable(void)
{
    if (enabled)
        return;
    memset(io_permission_map, 0xff, sizeof(io_permission_map));
    memset(msr_permission_map, 0xff, sizeof(msr_permission_map));
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
    wrmsr(MSR_VM_HSAVE_PA, image_physical(host_save_area));
    enabled = true;
}

uint64_t svm_io_permission_map(void)
{
    return image_physical(io_permission_map);
}

uint64_t svm_msr_permission_map(void)
{
    return image_physical(msr_permission_map);
}

void svm_guest_fpu_reset(struct svm_guest_fpu *fpu)
{
    uint16_t control_word = FNINIT_CONTROL_WORD;
    uint32_t mxcsr = MXCSR_DEFAULT;
    memset(fpu, 0, sizeof(*fpu));
    memcpy(fpu->fxsave_area + FX_CONTROL_WORD, &control_word, sizeof(control_word));
    memcpy(fpu->fxsave_area + FX_MXCSR, &mxcsr, sizeof(mxcsr));
}

void svm_run(uint64_t vmcb_physical, struct svm_guest_registers *guest, struct svm_guest_fpu *fpu)
{
    interrupts_assert_off("svm_run");
    if ((uintptr_t)fpu->fxsave_area % 16 != 0) /* fxrstor would #GP inside the GIF=0 window */
        panic("svm_run: guest FPU area %p is not 16-byte aligned", (void *)fpu);
    svm_vmrun(vmcb_physical, guest, image_physical(host_state), fpu, &host_fpu);
    interrupts_assert_off("svm_run after VMRUN"); /* the stub's CLI after STGI */
}
