/*
 * syscall_abi.h — the contract between user programs and the kernel.
 *
 * A user program puts a system-call number in rax and up to six arguments in
 * rdi, rsi, rdx, r10, r8, r9, then executes `syscall`; the result comes back
 * in rax, a negative errno value (lib/errno.h) on failure. This is Linux's
 * x86-64 convention, and where Linux has the same call Prism uses its number;
 * Prism's own calls start at 500. Both sides include this header, so the
 * numbers and shared structures cannot drift apart.
 * OSTEP ch. 5 (Process API) and ch. 6 (system calls as protected control
 * transfer).
 */
#ifndef PRISM_LIB_SYSCALL_ABI_H
#define PRISM_LIB_SYSCALL_ABI_H

#include <stdint.h>

/* ---- numbers ---------------------------------------------------------- */
#define SYS_read 0             /* (fd, buffer, count) -> bytes read, 0 at end */
#define SYS_write 1            /* (fd, buffer, count) -> bytes written */
#define SYS_open 2             /* (path, flags) -> fd; initrd files, read-only */
#define SYS_close 3            /* (fd) */
#define SYS_sbrk 12            /* (increment) -> previous break, like sbrk(3) */
#define SYS_ioctl 16           /* (fd, TTY_GET_RAW / TTY_SET_RAW, mode) -> see below */
#define SYS_pipe 22            /* (int fds[2]) -> 0; fds[0] reads, fds[1] writes */
#define SYS_yield 24           /* () -> 0; give up the CPU voluntarily */
#define SYS_dup 32             /* (fd) -> new fd */
#define SYS_dup2 33            /* (fd, new_fd) -> new_fd */
#define SYS_sleep 35           /* (milliseconds) -> 0 */
#define SYS_getpid 39          /* () -> pid */
#define SYS_fork 57            /* () -> child pid in parent, 0 in child */
#define SYS_execv 59           /* (path, argv) -> only returns on error */
#define SYS_exit 60            /* (status) -> never returns */
#define SYS_waitpid 61         /* (pid or -1, int *status, options) -> pid */
#define SYS_kill 62            /* (pid, signal) -> 0 */
#define SYS_uptime 96          /* () -> milliseconds since boot */
#define SYS_setpgid 109        /* (pid or 0, pgid or 0) -> 0 */
#define SYS_getppid 110        /* () -> parent's pid */
#define SYS_arch_prctl 158     /* (ARCH_SET_FS/GS, base) or (ARCH_GET_FS/GS, uint64_t *) -> 0 */
#define SYS_procstat 500       /* (struct proc_stat *array, max) -> count filled */
#define SYS_set_foreground 501 /* (pgid) -> 0; whom Ctrl-C interrupts */
#define SYS_readdir 502        /* (index, char *name, size) -> file size, -ENOENT past end */
#define SYS_meminfo 503        /* (struct mem_info *) -> 0 */
#define SYS_setparam 504       /* (pid, SCHED_PARAM_*, value) -> 0; nice, tickets */
#define SYS_sched 505          /* (policy or NULL, char *text, size[, SCHED_LIST]) -> 0 */
#define SYS_vmmap 506          /* (pid, struct vm_region_info *array, max) -> count */
#define SYS_pagewalk 507       /* (pid, address, struct page_walk_info *) -> 0 */
#define SYS_setname 508        /* (name) -> 0; names the process (trace, ps) */
#define SYS_trace 509          /* (TRACE_OFF / TRACE_ON / TRACE_FLUSH / TRACE_STATUS) */
#define SYS_setcontext 512     /* (const struct user_context *) -> continues there */
#define SYS_arrive_at 520      /* (uptime ms) -> 0; blocks, READY then (an arrival) */
#define SYS_deadline 521       /* (pid or 0, uptime ms, 0 = none) -> 0; the kernel ends it then */
#define SYS_cpu_time 522       /* () -> the caller's CPU time in ns, measured with the TSC */
#define SYS_getpinfo 530       /* (struct pinfo *array, max) -> count filled (labs/syscall) */

#define ARCH_SET_GS 0x1001 /* arch_prctl codes, Linux's values */
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004
#define SYS_swap 540 /* (SWAP_STATS / SWAP_POLICY / SWAP_LOCAL_FRAMES, argument, buffer) */
#define SYS_vm 560   /* (VM_OP_PROBE / _RUN / _STATS / _WALK, ...): lib/vm_abi.h */

#define SYS_group 545 /* (GROUP_CREATE, const struct group_spec *) or (GROUP_LIST, info *, max) */

#define SWAP_STATS 0        /* buffer: struct swap_stats */
#define SWAP_POLICY 1       /* argument: new replacement policy name or 0; buffer: char[16] */
#define SWAP_LOCAL_FRAMES 2 /* argument: private frame limit for the caller (0 = none) */

/* SYS_group. GROUP_CREATE: the caller (in no group, not init) makes a new
 * group and joins it as its pid 1; its children are members too; the group
 * ends when its last member is reaped. Returns the group's id (1 .. 16).
 * GROUP_LIST: fills an array of struct group_info (all groups from outside,
 * only its own from inside a group); returns how many. */
#define GROUP_CREATE 0
#define GROUP_LIST 1
#define GROUP_CPU_MIN 1   /* cpu_weight: the group's share, relative to the others' */
#define GROUP_CPU_MAX 100 /* ... and to the root's (everything outside groups), which is 100 */
#define GROUP_NAME_SIZE 16

#define TRACE_OFF 0
#define TRACE_ON 1
#define TRACE_FLUSH 2  /* write out everything recorded so far; returns events dropped */
#define TRACE_STATUS 3 /* 1 if tracing is on, else 0 */

/* ---- flags and encodings ---------------------------------------------- */
#define WNOHANG 1 /* waitpid: return 0 instead of blocking */

/* ioctl on the console (-ENOTTY on anything else): raw mode gives read()
 * every byte at once, unechoed, for a program that edits its own line. */
#define TTY_GET_RAW 1 /* -> 1 raw, 0 canonical */
#define TTY_SET_RAW 2 /* (1 raw, 0 canonical) -> the mode before */

#define O_RDONLY 0

/* Signals. Prism delivers no handlers: every signal below ends the process;
 * the number tells its parent why. */
#define SIGINT 2   /* Ctrl-C */
#define SIGILL 4   /* illegal or privileged instruction */
#define SIGTRAP 5  /* int3 */
#define SIGFPE 8   /* divide error */
#define SIGKILL 9  /* kill */
#define SIGSEGV 11 /* bad memory access, general protection */
#define SIGPIPE 13 /* write to a pipe nobody reads */
#define SIGTERM 15 /* kill's default */
#define SIGSYS 31  /* bad system call number */

/* waitpid status, encoded as on Linux so the usual macros read naturally:
 * normal exit puts the code in bits 8-15, death by signal the signal in 0-6. */
#define W_EXITCODE(code) (((code)&0xff) << 8)
#define W_SIGNALED(sig) ((sig)&0x7f)
#ifndef WIFEXITED /* a host test may already have the C library's (same meaning) */
#define WIFEXITED(status) (((status)&0x7f) == 0)
#define WEXITSTATUS(status) (((status) >> 8) & 0xff)
#define WIFSIGNALED(status) (((status)&0x7f) != 0)
#define WTERMSIG(status) ((status)&0x7f)
#endif

#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

/* exec's argument area: at most EXEC_MAX_ARGS strings, together at most
 * EXEC_MAX_ARG_BYTES bytes counting each one's NUL; more is -E2BIG. */
#define EXEC_MAX_ARGS 32
#define EXEC_MAX_ARG_BYTES 4096

/* SYS_sched's fourth argument: instead of describing the policy, list every
 * one in the registry with the parameter it takes: "rr fifo prio=nice ...". */
#define SCHED_LIST 1

#define SCHED_PARAM_NICE_ID 1    /* -20 .. 19, lower runs more (prio, cfs, mlfq ignore) */
#define SCHED_PARAM_TICKETS_ID 2 /* 1 .. 10000 (lottery, stride) */
#define SCHED_PARAM_EXPECTED_ID                                                                    \
    3 /* ms > 0: expected run time of the next CPU burst (sjf, stcf)                               \
       */

/* ---- shared structures ------------------------------------------------ */
enum proc_state_code { /* OSTEP's process states (ch. 4) */
                       PROC_STATE_NEW,
                       PROC_STATE_READY,
                       PROC_STATE_RUNNING,
                       PROC_STATE_BLOCKED,
                       PROC_STATE_ZOMBIE,
};

#define PROC_NAME_MAX 16

/* One process as `ps` sees it (SYS_procstat). */
struct proc_stat {
    int32_t pid, ppid, pgid;
    int32_t state; /* enum proc_state_code */
    char name[PROC_NAME_MAX];
    uint64_t cpu_ticks;            /* timer ticks spent running */
    uint64_t cpu_ms;               /* CPU time in milliseconds, measured with the TSC */
    uint64_t created_ms;           /* when it was forked */
    uint64_t first_run_ms;         /* when it first ran (response time) */
    uint64_t voluntary_switches;   /* gave up the CPU: sleep, wait, read, yield */
    uint64_t involuntary_switches; /* preempted at the end of its time slice */
    uint64_t page_faults;
    uint64_t copy_on_write_faults;
    uint64_t resident_pages;
    int64_t policy_value;   /* priority, tickets... (policy specific) */
    char policy_label[8];   /* what policy_value means: "nice", "tickets" */
    uint64_t major_faults;  /* faults that read the page back from swap */
    uint64_t swapped_pages; /* pages out on the swap disk now */
    int32_t group;          /* its container group's id; 0 = the root group (none) */
    int32_t reserved;
};

/* One process as OSTEP's getpinfo reports it (SYS_getpinfo, the syscall lab):
 * `scheduled` counts the times the dispatcher gave it the CPU. */
struct pinfo {
    int32_t pid;
    int32_t state;      /* enum proc_state_code */
    uint64_t ticks;     /* timer ticks it has run */
    uint64_t scheduled; /* times it was picked to run */
    char name[PROC_NAME_MAX];
};

/* A new group (SYS_group, GROUP_CREATE). */
struct group_spec {
    char name[GROUP_NAME_SIZE]; /* NUL-terminated, not empty */
    uint32_t cpu_weight;        /* GROUP_CPU_MIN .. GROUP_CPU_MAX */
    uint32_t reserved;          /* 0 */
    uint64_t mem_limit_bytes;   /* 0 = no limit; rounded up to pages, at most all of RAM */
};

/* One group as `group ls` sees it (SYS_group, GROUP_LIST). */
struct group_info {
    int32_t id;
    uint32_t cpu_weight;
    int32_t members; /* processes in it, zombies included */
    int32_t reserved;
    uint64_t mem_limit_pages; /* 0 = none */
    uint64_t mem_used_pages;  /* frames charged to it now */
    uint64_t cpu_ms;          /* CPU time its members used */
    char name[GROUP_NAME_SIZE];
};

/* Every register a user program sees (SYS_setcontext). rflags keeps only
 * the arithmetic flags and DF; the kernel sets IF and clears the rest. */
struct user_context {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rip, rflags;
};

/* Physical memory as `free` sees it (SYS_meminfo). */
struct mem_info {
    uint64_t page_size;
    uint64_t total_frames;
    uint64_t free_frames;
    uint64_t shared_frames;       /* referenced by more than one mapping (COW) */
    uint64_t kernel_heap_bytes;   /* kmalloc bytes in use */
    uint64_t kernel_heap_frames;  /* frames the kernel heap holds (it never shrinks) */
    uint64_t kernel_table_frames; /* frames in the kernel's page tables (kept for reuse) */
};

/* Swapping as `vmstat` sees it (SYS_swap, SWAP_STATS). */
struct swap_stats {
    uint64_t minor_faults; /* resolved without the disk: demand-zero, copy-on-write */
    uint64_t major_faults; /* the page had to be read from swap */
    uint64_t page_ins, page_outs, evictions;
    uint64_t free_frames, total_frames;
    uint64_t slots_total, slots_used; /* 0 total: swap is off */
    uint64_t resident_tracked;        /* evictable user pages in memory now */
    uint64_t user_frame_limit;        /* userframes=N, 0 = none */
};

/* One region of an address space as `vmmap` shows it (SYS_vmmap). */
#define VM_REGION_READ 1
#define VM_REGION_WRITE 2
#define VM_REGION_EXECUTE 4
enum vm_region_kind { VM_KIND_TEXT, VM_KIND_RODATA, VM_KIND_DATA, VM_KIND_HEAP, VM_KIND_STACK };

struct vm_region_info {
    uint64_t start, end;     /* [start, end) */
    uint32_t kind;           /* enum vm_region_kind */
    uint32_t permissions;    /* VM_REGION_* */
    uint64_t resident_pages; /* pages with a frame behind them now */
    uint64_t swapped_pages;  /* pages out on the swap disk now */
};

/* The walk through the four page-table levels for one address (SYS_pagewalk). */
struct page_walk_info {
    uint64_t address;
    int32_t step_count; /* levels visited: 1..4 (fewer if an entry was missing) */
    int32_t mapped;     /* 1 if the walk reached a frame */
    struct {
        int32_t level;  /* 4 = PML4, 3 = PDPT, 2 = PD, 1 = PT */
        uint32_t index; /* entry used at this level (9 bits of the address) */
        uint64_t table; /* physical address of the table */
        uint64_t entry; /* raw entry: frame address | flags */
    } steps[4];
    uint64_t physical_address;
};

#endif
