/*
 * replace.h — the seam between the swapper and a page-replacement policy.
 *
 * The swapper (kernel/mm/swap.c) decides *when* a page must leave memory:
 * free frames fell below the low watermark, or a set of resident pages is at
 * its frame limit. A policy decides *which* page, through this table of
 * operations — the memory half's counterpart of struct sched_policy. A set
 * (struct replace_set) is the pages a policy chooses among: the kernel has
 * one global set and may give one process a private set (pageref's FRAMES).
 * A policy includes no architecture header: it learns whether a page was
 * used through replace_page_referenced(), which the kernel answers from the
 * page-table entry's accessed bit and a host test from its simulation, so
 * each policy file compiles unchanged into both.
 * Rules: calls are serialized (the kernel runs with interrupts disabled);
 * choose_victim is called only on a non-empty set and does not remove the
 * page it returns (the caller calls replace_set_remove).
 * OSTEP ch. 22 (Swapping: Policies).
 */
#ifndef PRISM_KERNEL_MM_REPLACE_REPLACE_H
#define PRISM_KERNEL_MM_REPLACE_REPLACE_H

#include "lib/list.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One resident, evictable page as a policy sees it (embedded in the
 * kernel's per-frame record, or in a host test's simulated page). */
struct replace_page {
    struct list_node link; /* in its set, in "frame order" (see replace_set_insert) */
    uint32_t age;          /* aging LRU: one bit per timer sample, newest on top */
};

struct replace_set {
    struct list_node pages;
    struct list_node *hand; /* clock: the page to look at next; NULL = the first */
    size_t count;
    size_t limit; /* at most this many pages resident (0 = no limit of its own) */
};

struct replace_policy {
    const char *name;
    void (*admit)(struct replace_page *page); /* page just became resident */
    struct replace_page *(*choose_victim)(struct replace_set *set);
    void (*tick)(struct replace_set *set); /* one timer sample; NULL = not needed */
};

void replace_set_init(struct replace_set *set, size_t limit);
/*
 * A new page takes the place of the last victim: just behind the clock hand,
 * as in a circular buffer of frames where the new page fills the freed frame
 * and the hand has moved on. With no hand (FIFO, random, LRU) that is the
 * tail, so the list head is always the page that came in first.
 */
void replace_set_insert(struct replace_set *set, struct replace_page *page);
/* Leaves the set; a hand pointing at it moves to the next page. */
void replace_set_remove(struct replace_set *set, struct replace_page *page);
bool replace_set_contains(const struct replace_set *set, const struct replace_page *page);

/* Supplied by the kernel (swap.c) or by a host test. Reads the page's
 * "used since last asked" bit and clears it. */
bool replace_page_referenced(struct replace_page *page);

/* The random policy's dice (seedable so experiments repeat). */
void replace_random_seed(uint64_t seed);

extern const struct replace_policy replace_policy_fifo;
extern const struct replace_policy replace_policy_random;
extern const struct replace_policy replace_policy_clock;
extern const struct replace_policy replace_policy_lru;

#define REPLACE_POLICY_COUNT 4
/* fifo, random, clock, lru; clock is the default. */
extern const struct replace_policy *const replace_policies[REPLACE_POLICY_COUNT];
/* The policy named exactly `name`; NULL if none (or name is NULL). */
const struct replace_policy *replace_policy_by_name(const char *name);

#endif
