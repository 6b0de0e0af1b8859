/*
 * hypervisor_walk.h — printing the two-dimensional page walk of an address
 * in a running VM, shared by `vm --walk PID ADDRESS` and `pagewalk --vm PID
 * ADDRESS`: the guest's own walk (guest-virtual -> guest-physical, each of
 * its tables itself at a guest-physical address), then the nested walk
 * (guest-physical -> host-physical), then the whole chain on one line.
 * OSTEP appendix B (VMMs and memory), ch. 20 (multi-level page tables).
 */
#ifndef PRISM_USER_LIB_HYPERVISOR_WALK_H
#define PRISM_USER_LIB_HYPERVISOR_WALK_H

/* Walks `address` in the VM that process `pid` runs (SYS_vm VM_OP_WALK) and
 * prints it. Returns 0, or 1 after "PROGRAM: pid N runs no VM" on stderr. */
int hypervisor_walk_show(const char *program, int pid, unsigned long address);

#endif
