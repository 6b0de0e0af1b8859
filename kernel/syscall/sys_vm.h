/*
 * sys_vm.h — the system call behind `vm` (kernel/virt/ does the work).
 * OSTEP appendix B (Virtual Machine Monitors).
 */
#ifndef PRISM_KERNEL_SYSCALL_SYS_VM_H
#define PRISM_KERNEL_SYSCALL_SYS_VM_H

#include <stdint.h>

/* (VM_OP_*, ...) as lib/vm_abi.h describes. */
long sys_vm(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);

#endif
