/*
 * fifo.c — first in, first out: evict the page that has been resident longest.
 *
 * Ignores use entirely, which is why it can do worse with more memory
 * (Belady's anomaly: 1,2,3,4,1,2,5,1,2,3,4,5 misses 9 times in 3 frames and
 * 10 times in 4; the host test checks both).
 * OSTEP ch. 22.4 (A Simple Policy: FIFO).
 */
#include "kernel/mm/replace/replace.h"

static void fifo_admit(struct replace_page *page)
{
    (void)page;
}

/* The list head is the oldest arrival (replace_set_insert keeps it so
 * whenever no clock hand is set). */
static struct replace_page *fifo_choose_victim(struct replace_set *set)
{
    struct list_node *oldest = set->hand ? set->hand : set->pages.next;
    return list_entry(oldest, struct replace_page, link);
}

const struct replace_policy replace_policy_fifo = {
    .name = "fifo",
    .admit = fifo_admit,
    .choose_victim = fifo_choose_victim,
    .tick = NULL,
};
