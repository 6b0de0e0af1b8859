/*
 * vm_abi.h — the contract between a guest image, the `vm` program and the
 * kernel's hypervisor (kernel/virt/).
 *
 * A guest image is a flat binary that starts with struct vm_image_header:
 * the kernel copies the whole file to guest-physical load_address and starts
 * the guest in 64-bit long mode at `entry` with CR3 = page_table (the image
 * brings its own page tables, so the guest owns its address translation from
 * its first instruction), rdi = the mode and rsi = the argument `vm` passes.
 * SYS_vm (lib/syscall_abi.h) takes one of the VM_OP_* operations below.
 * OSTEP appendix B (Virtual Machine Monitors).
 */
#ifndef PRISM_LIB_VM_ABI_H
#define PRISM_LIB_VM_ABI_H

#include <stdint.h>

#define VM_IMAGE_MAGIC "PRISMVM1" /* 8 bytes, no NUL */
#define VM_IMAGE_VERSION 1
#define VM_MEMORY_MAX (16UL << 20) /* guest RAM at most 16 MiB */
#define VM_IMAGE_MAX (1UL << 20)   /* an image at most 1 MiB */

struct vm_image_header {
    char magic[8];         /* VM_IMAGE_MAGIC */
    uint32_t version;      /* VM_IMAGE_VERSION */
    uint32_t header_bytes; /* sizeof(struct vm_image_header) */
    uint64_t load_address; /* guest-physical address of the image's first byte (page aligned) */
    uint64_t entry;        /* first rip (guest-virtual) */
    uint64_t page_table;   /* guest-physical address of the guest's PML4: its first CR3 */
    uint64_t memory_bytes; /* guest RAM it wants (a multiple of 4 KiB) */
    uint64_t image_bytes;  /* the image's own size */
};

/* SYS_vm operations. */
#define VM_OP_PROBE 0 /* (char *why, size) -> 0 if SVM with nested paging works, else -ENODEV */
#define VM_OP_RUN 1   /* (struct vm_run_request *, struct vm_report *) -> 0 or -errno */
#define VM_OP_STATS 2 /* (pid, struct vm_report *) -> 0; counters of a running VM */
#define VM_OP_WALK 3  /* (pid, address, struct vm_walk_info *) -> 0 */

/* Guest modes (rdi at entry): what the tiny guest does. */
#define VM_GUEST_DEMO 0    /* banner, tasks A and B time-shared, halt */
#define VM_GUEST_FOREVER 1 /* the same, never halting */
#define VM_GUEST_CPUID 2   /* rsi CPUID instructions, then halt (the exit benchmark) */
#define VM_GUEST_CRASH 3   /* a triple fault */
#define VM_GUEST_BAD_IO 4  /* an access to a port Prism does not emulate */
#define VM_GUEST_MEMORY 5  /* the demo with memory-bound work (lib/vm_work.h) */

struct vm_run_request {
    uint64_t image; /* user pointer to the image */
    uint64_t image_bytes;
    uint64_t memory_bytes;   /* 0: what the image header asks for */
    uint64_t guest_mode;     /* rdi at entry */
    uint64_t guest_argument; /* rsi at entry */
    uint64_t output_buffer;  /* user scratch buffer the guest's serial output goes out through */
    uint64_t output_bytes;   /* its size (16 .. 4096; 0 discards the guest's output) */
    uint64_t timer_ticks;    /* virtual timer period in host ticks (0: 1) */
};

/* How a VM ended. */
enum vm_end {
    VM_END_RUNNING,   /* (VM_OP_STATS of a running VM) */
    VM_END_HALT,      /* HLT with interrupts off: the guest powered itself off */
    VM_END_SHUTDOWN,  /* triple fault */
    VM_END_UNHANDLED, /* an exit (or a port) Prism does not emulate */
    VM_END_KILLED,    /* the vm process got a signal */
    VM_END_INVALID,   /* VMRUN refused the guest's state */
};

/* Exit counters, by reason. */
enum vm_exit_kind {
    VM_EXIT_IO_OUT, /* OUT: serial output */
    VM_EXIT_IO_IN,  /* IN: serial status */
    VM_EXIT_CPUID,
    VM_EXIT_HLT,
    VM_EXIT_INTR, /* a host interrupt (the timer): Prism's turn */
    VM_EXIT_NMI,
    VM_EXIT_NPF, /* nested page fault: outside guest RAM */
    VM_EXIT_SHUTDOWN,
    VM_EXIT_OTHER,
    VM_EXIT_KINDS
};

struct vm_report {
    int32_t end;        /* enum vm_end */
    int32_t pid;        /* the vCPU process */
    uint64_t exit_code; /* the exit that ended the VM (SVM code) */
    uint64_t exit_info_1, exit_info_2;
    uint64_t rip; /* guest rip at that exit */
    uint64_t exits[VM_EXIT_KINDS];
    uint64_t exits_total;
    uint64_t guest_ns;       /* time between VMRUN and #VMEXIT */
    uint64_t handling_ns;    /* time in the monitor handling exits */
    uint64_t timer_injected; /* virtual timer interrupts delivered (EVENTINJ) */
    uint64_t output_bytes;   /* serial bytes the guest wrote */
    uint64_t memory_frames;  /* guest RAM frames */
    uint64_t table_frames;   /* nested page-table frames (PML4 included) and the VMCB */
    char detail[64];         /* what the end means, one line: "HLT with interrupts off" */
};

/* The two-dimensional walk (VM_OP_WALK): address as a guest-virtual
 * address through the guest's own tables (each table's guest-physical
 * address itself goes through the nested tables), and the resulting
 * guest-physical address through the nested tables to a host frame. */
struct vm_walk_step {
    int32_t level; /* 4 = PML4 ... 1 = PT */
    uint32_t index;
    uint64_t table; /* guest: guest-physical; nested: host-physical */
    uint64_t entry;
};

struct vm_walk_info {
    uint64_t guest_cr3;
    int32_t guest_paging; /* 0: guest paging off, address is guest-physical */
    int32_t guest_step_count;
    struct vm_walk_step guest_steps[4];
    uint64_t guest_table_host[4]; /* host-physical address of each guest table */
    int32_t guest_mapped;
    int32_t nested_step_count;
    uint64_t guest_physical;
    struct vm_walk_step nested_steps[4];
    int32_t nested_mapped;
    int32_t reserved;
    uint64_t host_physical;
};

#endif
