/*
 * vm.h — a virtual machine, and the vCPU loop that runs it.
 *
 * A VM is owned by the process that asked for it (`vm IMAGE` calls SYS_vm):
 * that process *is* the virtual CPU. vm_run() builds the machine — guest RAM
 * behind nested page tables (nested_paging.h), a VMCB, the image copied in —
 * and then loops on the caller's behalf: VMRUN, handle the exit, VMRUN
 * again. While it loops the process is an ordinary Prism process: the host
 * timer still interrupts it (an INTR exit hands the CPU back to Prism, whose
 * policy may switch to someone else), a HLT blocks it on the sleepers'
 * queue until the next virtual timer tick, and a signal ends the loop. When
 * the VM ends, every frame it had goes back, and the report says why.
 * OSTEP appendix B (Virtual Machine Monitors).
 */
#ifndef PRISM_KERNEL_VIRT_VM_H
#define PRISM_KERNEL_VIRT_VM_H

#include "lib/vm_abi.h"

#include <stddef.h>
#include <stdint.h>

/* Why this machine cannot run VMs (filled into why), or 0. */
int vm_probe(char *why, size_t size);

/* Runs a VM for the calling process until it ends. `request` is already
 * copied into the kernel (its pointers are the caller's, checked here).
 * Returns 0 with *report filled (how it ended), or a negative errno with a
 * one-line reason in report->detail: -ENODEV (no SVM), -ENOEXEC (not a
 * guest image), -EFBIG-like -EINVAL (does not fit), -ENOMEM, -EBUSY (too
 * many VMs at once), -EFAULT. */
long vm_run(const struct vm_run_request *request, struct vm_report *report);

/* The counters so far of the VM run by process `pid`: 0 or -ESRCH. */
int vm_stats(int pid, struct vm_report *report);

/* The two-dimensional walk of `address` in the VM run by `pid`. */
int vm_walk(int pid, uint64_t address, struct vm_walk_info *walk);

#endif
