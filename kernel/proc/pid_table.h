/*
 * pid_table.h — from a pid to its process in O(1): a hash table of live pids.
 *
 * kill, waitpid, setparam, vmmap and pagewalk name a process by pid, and
 * fork needs a pid nobody uses. Scanning the process list for either (as
 * xv6 scans its proc[] array) makes each call cost O(processes). Here every
 * live pid sits in one of PID_TABLE_BUCKETS chains, chosen by its low bits;
 * pids are handed out in increasing order, so live pids spread evenly and
 * a chain holds about processes / PID_TABLE_BUCKETS entries (at most a few
 * with maxproc <= 4096). Allocation counts up from the last pid handed out,
 * skipping pids still in use, and wraps from max_pid back to first_reused
 * (pid 1 stays init's); as far fewer processes can exist than pids, a free
 * pid is found after about one try. The counter is unsigned and checked
 * before it can pass max_pid, so no arithmetic overflows.
 * The entry is embedded in the PCB (intrusive, like lib/list.h): insertion
 * never allocates, and a zero-initialised table (PID_TABLE_INIT) is empty.
 * OSTEP ch. 4 (the process list and how the OS finds a process).
 */
#ifndef PRISM_KERNEL_PROC_PID_TABLE_H
#define PRISM_KERNEL_PROC_PID_TABLE_H

#include <stddef.h>

#define PID_TABLE_BUCKETS 1024 /* a power of two: the bucket is pid's low bits */
#define PID_MAX 32767          /* as Linux's default pid_max: short pids in ps */

struct pid_entry {
    int pid;                /* the key, set by pid_table_allocate */
    struct pid_entry *next; /* the next entry in the same bucket */
};

struct pid_table {
    struct pid_entry *buckets[PID_TABLE_BUCKETS];
    unsigned last_pid;     /* the last pid handed out; 0 = none yet */
    unsigned max_pid;      /* pids are 1 .. max_pid */
    unsigned first_reused; /* after the wrap, counting restarts here */
    size_t count;          /* live entries */
};

/* An empty table handing out 1, 2, ... max_pid, then first_reused ... */
#define PID_TABLE_INIT(max, reused_from)                                                           \
    {                                                                                              \
        .max_pid = (max), .first_reused = (reused_from)                                            \
    }

/* Gives entry the next free pid and adds it; -EAGAIN when every pid from
 * first_reused to max_pid is live. */
int pid_table_allocate(struct pid_table *table, struct pid_entry *entry);

/* The entry with this pid, or NULL (also for pids out of range). */
struct pid_entry *pid_table_find(const struct pid_table *table, int pid);

/* Takes a live entry out; its pid may be handed out again. */
void pid_table_remove(struct pid_table *table, struct pid_entry *entry);

#endif
