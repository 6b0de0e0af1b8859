/*
 * random.h — a small seedable pseudo-random number generator.
 *
 * Lottery scheduling draws a winning ticket on every pick, and a teaching
 * kernel wants the same seed to give the same schedule, run after run, so
 * experiments can be repeated. The generator is xorshift64* (Marsaglia's
 * xorshift with a multiplicative output step), seeded through splitmix64 so
 * that nearby seeds (1, 2, 3 ...) still give unrelated sequences. Not for
 * cryptography. OSTEP ch. 9 (Scheduling: Proportional Share).
 */
#ifndef PRISM_LIB_RANDOM_H
#define PRISM_LIB_RANDOM_H

#include <stdint.h>

/* Invariant: state != 0 once seeded (xorshift would stay at 0 forever). */
struct random_state {
    uint64_t state;
};

/* Any seed is fine, 0 included; equal seeds give equal sequences. */
void random_seed(struct random_state *random, uint64_t seed);

/* The next 64 pseudo-random bits. An unseeded (zeroed) state seeds itself with 0. */
uint64_t random_next(struct random_state *random);

/* Uniform in 0 .. bound - 1, without modulo bias; 0 when bound is 0. */
uint64_t random_below(struct random_state *random, uint64_t bound);

#endif
