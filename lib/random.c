/*
 * random.c — xorshift64* seeded by splitmix64 (see random.h for why).
 *
 * random_below() avoids modulo bias by rejection: of the 2^64 raw values, the
 * lowest (2^64 mod bound) are thrown away, so every remainder is reached by
 * exactly the same number of raw values. At most half the raw values can be
 * rejected, so the expected number of draws is below two.
 * OSTEP ch. 9 (Scheduling: Proportional Share, the lottery's random draw).
 */
#include "lib/random.h"

/* splitmix64's output function: a bijection, so distinct seeds stay distinct. */
static uint64_t random_mix(uint64_t value)
{
    value += 0x9e3779b97f4a7c15ull;
    value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ull;
    value = (value ^ (value >> 27)) * 0x94d049bb133111ebull;
    return value ^ (value >> 31);
}

void random_seed(struct random_state *random, uint64_t seed)
{
    uint64_t state = random_mix(seed);
    random->state = state ? state : 0x9e3779b97f4a7c15ull;
}

uint64_t random_next(struct random_state *random)
{
    if (random->state == 0)
        random_seed(random, 0);
    uint64_t x = random->state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    random->state = x;
    return x * 0x2545f4914f6cdd1dull;
}

uint64_t random_below(struct random_state *random, uint64_t bound)
{
    if (bound == 0)
        return 0;
    uint64_t rejected_below = (0 - bound) % bound; /* 2^64 mod bound */
    uint64_t value;
    do {
        value = random_next(random);
    } while (value < rejected_below);
    return value % bound;
}
