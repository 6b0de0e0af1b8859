/*
 * replace_set.c — the pages a replacement policy chooses among, and the
 * registry of policies by name.
 *
 * Every policy shares one representation: a list in "frame order", which is
 * insertion order for FIFO and the circle the clock hand sweeps. Keeping the
 * list here means switching policy at run time moves nothing: the new
 * policy reads the same list (aging counters start from what they were).
 * OSTEP ch. 22 (Swapping: Policies).
 */
#include "kernel/mm/replace/replace.h"
#include "lib/string.h"

const struct replace_policy *const replace_policies[REPLACE_POLICY_COUNT] = {
    &replace_policy_fifo,
    &replace_policy_random,
    &replace_policy_clock,
    &replace_policy_lru,
};

const struct replace_policy *replace_policy_by_name(const char *name)
{
    for (int i = 0; name && i < REPLACE_POLICY_COUNT; i++)
        if (strcmp(replace_policies[i]->name, name) == 0)
            return replace_policies[i];
    return NULL;
}

void replace_set_init(struct replace_set *set, size_t limit)
{
    list_init(&set->pages);
    set->hand = NULL;
    set->count = 0;
    set->limit = limit;
}

void replace_set_insert(struct replace_set *set, struct replace_page *page)
{
    struct list_node *before = set->hand ? set->hand : &set->pages;
    list_insert_between(&page->link, before->prev, before);
    set->count++;
}

void replace_set_remove(struct replace_set *set, struct replace_page *page)
{
    if (set->hand == &page->link) {
        struct list_node *next = page->link.next;
        set->hand = next == &set->pages ? NULL : next;
    }
    list_remove(&page->link);
    set->count--;
}

bool replace_set_contains(const struct replace_set *set, const struct replace_page *page)
{
    for (const struct list_node *node = set->pages.next; node != &set->pages; node = node->next)
        if (node == &page->link)
            return true;
    return false;
}
