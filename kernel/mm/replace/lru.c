/*
 * lru.c — least recently used, approximated by aging counters.
 *
 * True LRU would reorder a list on every memory access, which hardware does
 * not report. Instead, on every timer tick each page's 32-bit age is shifted
 * right and the accessed bit (read and cleared) becomes its new top bit; the
 * page with the smallest age was used least recently, to the resolution of
 * one tick and a history of 32 ticks. Ties (e.g. pages untouched for 32
 * ticks) go to the page that came in first. Sampling after every access
 * makes it exact LRU for such a history, which is how the host test checks
 * it against the book's table.
 * OSTEP ch. 22.6-22.7 (Using History: LRU; Approximating LRU).
 */
#include "kernel/mm/replace/replace.h"

#define AGE_TOP_BIT 0x80000000u

static void lru_admit(struct replace_page *page)
{
    /* LAB replace BEGIN: stub
    // TODO(replace): a page that just came in starts with no history.
    (void)page;
    */
    page->age = 0; /* its first use shows up at the next sample */
    /* LAB replace END */
}

static struct replace_page *lru_choose_victim(struct replace_set *set)
{
    /* LAB replace BEGIN: stub
    // TODO(replace): the page with the smallest age; among equal ages, the
    // one nearest the list head (it came in first).
    // The placeholder is FIFO: it takes the list head whatever the ages.
    return list_entry(set->pages.next, struct replace_page, link);
    */
    struct replace_page *victim = NULL;
    list_for_each(node, &set->pages)
    {
        struct replace_page *page = list_entry(node, struct replace_page, link);
        if (!victim || page->age < victim->age)
            victim = page;
    }
    return victim;
    /* LAB replace END */
}

static void lru_tick(struct replace_set *set)
{
    /* LAB replace BEGIN: stub
    // TODO(replace): age every page of the set: shift its age right by one and
    // put its referenced bit (replace_page_referenced) in as the new top bit.
    (void)set;
    */
    list_for_each(node, &set->pages)
    {
        struct replace_page *page = list_entry(node, struct replace_page, link);
        page->age = (page->age >> 1) | (replace_page_referenced(page) ? AGE_TOP_BIT : 0);
    }
    /* LAB replace END */
}

const struct replace_policy replace_policy_lru = {
    .name = "lru",
    .admit = lru_admit,
    .choose_victim = lru_choose_victim,
    .tick = lru_tick,
};
