/*
 * pid_table.c — the hash table of live pids (see pid_table.h).
 *
 * Pure logic over entries embedded in PCBs: proc.c allocates a pid here for
 * every new process, finds processes by pid for the system calls, and
 * removes the pid when the PCB is freed; a host test drives the same code.
 * OSTEP ch. 4 (finding a process by its pid).
 */
#include "kernel/proc/pid_table.h"
#include "kernel/panic.h"
#include "lib/errno.h"

static unsigned bucket_index(unsigned pid)
{
    return pid & (PID_TABLE_BUCKETS - 1);
}

struct pid_entry *pid_table_find(const struct pid_table *table, int pid)
{
    if (pid <= 0 || (unsigned)pid > table->max_pid)
        return NULL;
    for (struct pid_entry *entry = table->buckets[bucket_index((unsigned)pid)]; entry;
         entry = entry->next)
        if (entry->pid == pid)
            return entry;
    return NULL;
}

/* The pid after `pid`: wraps from max_pid to first_reused, never overflows. */
static unsigned next_candidate(const struct pid_table *table, unsigned pid)
{
    return pid >= table->max_pid ? table->first_reused : pid + 1;
}

int pid_table_allocate(struct pid_table *table, struct pid_entry *entry)
{
    if (table->max_pid == 0 || table->first_reused == 0 || table->first_reused > table->max_pid)
        panic("pid_table: pids 1..%u reused from %u make no sense", table->max_pid,
              table->first_reused);
    unsigned candidate = table->last_pid;
    /* Each pid is tried at most once: a full table ends the loop. */
    for (unsigned tries = 0; tries < table->max_pid; tries++) {
        candidate = next_candidate(table, candidate);
        if (pid_table_find(table, (int)candidate) == NULL) {
            table->last_pid = candidate;
            entry->pid = (int)candidate;
            entry->next = table->buckets[bucket_index(candidate)];
            table->buckets[bucket_index(candidate)] = entry;
            table->count++;
            return (int)candidate;
        }
    }
    return -EAGAIN;
}

void pid_table_remove(struct pid_table *table, struct pid_entry *entry)
{
    for (struct pid_entry **link = &table->buckets[bucket_index((unsigned)entry->pid)]; *link;
         link = &(*link)->next) {
        if (*link == entry) {
            *link = entry->next;
            entry->next = NULL;
            table->count--;
            return;
        }
    }
    panic("pid_table: pid %d is not in the table", entry->pid);
}
