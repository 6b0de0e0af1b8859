/*
 * cpu_info.c — identify the processor and the hypervisor through CPUID.
 *
 * Leaf 0 gives the vendor, leaves 0x80000002-4 the model (brand) string, and
 * when leaf 1 sets the "hypervisor present" bit (ECX bit 31), leaf 0x40000000
 * gives the hypervisor's signature: QEMU's software emulator (TCG) answers
 * "TCGTCGTCGTCG" and KVM "KVMKVMKVM". The banner shows this because timing
 * figures only mean something when one knows which of them produced them.
 * OSTEP ch. 2 (Introduction: the machine the OS virtualizes).
 */
#include "kernel/arch/x86_64/cpu_info.h"
#include "kernel/arch/x86_64/instructions.h"

#include <stdbool.h>
#include <stdint.h>

#define CPUID_HYPERVISOR_PRESENT (1U << 31)

static void copy_registers(char *out, const uint32_t *registers, int count)
{
    for (int i = 0; i < count * 4; i++)
        out[i] = (char)(registers[i / 4] >> (8 * (i % 4)));
    out[count * 4] = '\0';
}

static bool same_text(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static void trim_leading_spaces(char *text)
{
    int skip = 0;
    while (text[skip] == ' ')
        skip++;
    int i = 0;
    do
        text[i] = text[i + skip];
    while (text[i++]);
}

void cpu_info_read(struct cpu_info *info)
{
    uint32_t r[4];
    cpuid(0, 0, r);
    uint32_t vendor_order[3] = {r[1], r[3], r[2]}; /* EBX, EDX, ECX */
    copy_registers(info->vendor, vendor_order, 3);

    cpuid(0x80000000, 0, r);
    info->model[0] = '\0';
    if (r[0] >= 0x80000004) {
        uint32_t brand[12];
        for (uint32_t leaf = 0; leaf < 3; leaf++)
            cpuid(0x80000002 + leaf, 0, &brand[leaf * 4]);
        copy_registers(info->model, brand, 12);
        trim_leading_spaces(info->model);
    }

    cpuid(1, 0, r);
    info->hypervisor_id[0] = '\0';
    info->hypervisor = "none (bare metal)";
    if (!(r[2] & CPUID_HYPERVISOR_PRESENT))
        return;
    cpuid(0x40000000, 0, r);
    uint32_t signature[3] = {r[1], r[2], r[3]};
    copy_registers(info->hypervisor_id, signature, 3);
    if (same_text(info->hypervisor_id, "TCGTCGTCGTCG"))
        info->hypervisor = "TCG (QEMU software emulation)";
    else if (same_text(info->hypervisor_id, "KVMKVMKVM"))
        info->hypervisor = "KVM (hardware virtualization)";
    else
        info->hypervisor = info->hypervisor_id;
}
