/*
 * cpu_info.h — what CPU (and which hypervisor) Prism is running on, from CPUID.
 * OSTEP ch. 2 (Introduction).
 */
#ifndef PRISM_ARCH_CPU_INFO_H
#define PRISM_ARCH_CPU_INFO_H

struct cpu_info {
    char vendor[13];        /* "GenuineIntel", "AuthenticAMD" */
    char model[49];         /* the brand string, e.g. "QEMU Virtual CPU" */
    char hypervisor_id[13]; /* "TCGTCGTCGTCG", "KVMKVMKVM", or "" */
    const char *hypervisor; /* "TCG (QEMU software emulation)", "KVM", ... */
};

void cpu_info_read(struct cpu_info *info);

#endif
