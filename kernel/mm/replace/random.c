/*
 * random.c — evict a page chosen uniformly at random.
 *
 * No history, no anomaly-proof guarantee, but no pathological workload
 * either: on a looping reference string one frame too small, where FIFO and
 * LRU miss every time, random still hits sometimes. Seeded (replace_seed=
 * on the command line) so an experiment repeats exactly.
 * OSTEP ch. 22.5 (Another Simple Policy: Random).
 */
#include "kernel/mm/replace/replace.h"
#include "lib/random.h"

static struct random_state dice;

void replace_random_seed(uint64_t seed)
{
    random_seed(&dice, seed);
}

static void random_admit(struct replace_page *page)
{
    (void)page;
}

static struct replace_page *random_choose_victim(struct replace_set *set)
{
    uint64_t index = random_below(&dice, set->count);
    struct list_node *node = set->pages.next;
    while (index-- > 0)
        node = node->next;
    return list_entry(node, struct replace_page, link);
}

const struct replace_policy replace_policy_random = {
    .name = "random",
    .admit = random_admit,
    .choose_victim = random_choose_victim,
    .tick = NULL,
};
