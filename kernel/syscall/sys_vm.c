/*
 * sys_vm.c — SYS_vm: probe for SVM, run a VM, read a running VM's counters,
 * walk a guest address through both page tables (lib/vm_abi.h).
 *
 * Every structure is copied in or out whole, so a bad pointer is -EFAULT
 * before anything happens (or, for the report, after the VM ended: the VM
 * itself is gone either way). VM_OP_RUN returns only when the VM ends —
 * the caller is the virtual CPU for all that time.
 * OSTEP appendix B (Virtual Machine Monitors), ch. 6 (system calls).
 */
#include "kernel/syscall/sys_vm.h"
#include "kernel/mm/user_copy.h"
#include "kernel/virt/vm.h"
#include "lib/errno.h"
#include "lib/vm_abi.h"

#define PROBE_TEXT_MAX 128

long sys_vm(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
    (void)a4;
    (void)a5;
    switch (a0) {
    case VM_OP_PROBE: {
        char why[PROBE_TEXT_MAX];
        int result = vm_probe(why, sizeof(why));
        uint64_t size = a2 < sizeof(why) ? a2 : sizeof(why);
        if (size > 0) {
            why[size - 1] = '\0';
            if (user_copy_out(a1, why, size) < 0)
                return -EFAULT;
        }
        return result;
    }
    case VM_OP_RUN: {
        struct vm_run_request request;
        struct vm_report report;
        if (user_copy_in(&request, a1, sizeof(request)) < 0)
            return -EFAULT;
        if (!user_range_valid(a2, sizeof(report)))
            return -EFAULT;
        long result = vm_run(&request, &report);
        if (user_copy_out(a2, &report, sizeof(report)) < 0)
            return -EFAULT;
        return result;
    }
    case VM_OP_STATS: {
        struct vm_report report;
        int result = vm_stats((int)a1, &report);
        if (result < 0)
            return result;
        return user_copy_out(a2, &report, sizeof(report));
    }
    case VM_OP_WALK: {
        struct vm_walk_info walk;
        int result = vm_walk((int)a1, a2, &walk);
        if (result < 0)
            return result;
        return user_copy_out(a3, &walk, sizeof(walk));
    }
    default:
        return -EINVAL;
    }
}
