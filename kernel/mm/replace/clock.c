/*
 * clock.c — second chance: sweep a hand round the frames, sparing used pages.
 *
 * The hand looks at one page at a time. A page used since the hand last
 * passed (its accessed bit, set by the MMU on every access) gets a second
 * chance: the bit is cleared and the hand moves on. The first page found
 * unused is the victim; the hand stops just past it, and the page that
 * replaces it is put where it was (replace_set_insert). After at most one
 * full turn every bit is clear, so the sweep always ends.
 * OSTEP ch. 22.8 (Approximating LRU: the clock algorithm).
 */
#include "kernel/mm/replace/replace.h"

static void clock_admit(struct replace_page *page)
{
    (void)page;
}

static struct replace_page *clock_choose_victim(struct replace_set *set)
{
    /* LAB replace BEGIN: stub
    // TODO(replace): start at the hand (set->hand; NULL = the first page) and
    // go round the circle, skipping the list head. A page whose
    // replace_page_referenced() is true gets a second chance (that call has
    // cleared its bit); the first page found unused is the victim. Leave the
    // hand on the page just past it (wrapping to the first page; NULL if the
    // victim is the only page), never on the list head.
    // The placeholder is FIFO: it takes the list head and never moves the hand.
    return list_entry(set->pages.next, struct replace_page, link);
    */
    struct list_node *node = set->hand ? set->hand : set->pages.next;
    for (;;) {
        if (node == &set->pages) /* the list is a circle that skips its head */
            node = node->next;
        struct replace_page *page = list_entry(node, struct replace_page, link);
        if (!replace_page_referenced(page)) {
            struct list_node *after = node->next;
            set->hand = after == &set->pages ? set->pages.next : after;
            if (set->hand == node) /* a set of one page: the newcomer goes at the end */
                set->hand = NULL;
            return page;
        }
        node = node->next;
    }
    /* LAB replace END */
}

const struct replace_policy replace_policy_clock = {
    .name = "clock",
    .admit = clock_admit,
    .choose_victim = clock_choose_victim,
    .tick = NULL,
};
