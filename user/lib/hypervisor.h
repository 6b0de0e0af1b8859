/*
 * hypervisor.h — user-side calls to Prism's hypervisor (SYS_vm), for `vm`
 * and `bench`: probe, run, read counters, walk, and load a guest image.
 * OSTEP appendix B (Virtual Machine Monitors).
 */
#ifndef PRISM_USER_LIB_HYPERVISOR_H
#define PRISM_USER_LIB_HYPERVISOR_H

#include "lib/vm_abi.h"

#include <stddef.h>

/* 0 if this machine can run VMs; else -ENODEV with the reason in why. */
int hypervisor_probe(char *why, size_t size);
/* Runs a VM until it ends (the caller is its vCPU). */
int hypervisor_run(const struct vm_run_request *request, struct vm_report *report);
int hypervisor_stats(int pid, struct vm_report *report);
int hypervisor_walk(int pid, unsigned long address, struct vm_walk_info *walk);

/* Reads a guest image by name: "tiny" means /guest/tiny.img (or, if there
 * is none, the file "tiny" itself); a name with a '/' is a path. Returns the size (malloc'd *image)
 * or a negative errno. */
long hypervisor_load_image(const char *name, void **image);

/* "out", "in", "cpuid", "hlt", "intr" ... for enum vm_exit_kind. */
const char *hypervisor_exit_kind_name(int kind);
/* "halt", "shutdown", "unhandled", "killed", "invalid" for enum vm_end. */
const char *hypervisor_end_name(int end);

#endif
