/*
 * fuzz.h — the seam between the fuzzer's supervisor (fuzz.c) and its workers
 * (worker.c): a worker is started in a fresh child with its progress pipe,
 * its seed and how many calls it may make. OSTEP ch. 6.
 */
#ifndef PRISM_USER_PROGRAMS_FUZZ_H
#define PRISM_USER_PROGRAMS_FUZZ_H

#include <stdint.h>

#define MAX_WORKERS 12  /* the supervisor holds a pipe per worker in 16 descriptors */
#define LIFE_CALLS 2000 /* calls one worker makes before it retires */
#define PROGRESS_FD 15  /* PROC_MAX_FILES - 1: where a worker counts its calls */

/* Runs in the fresh child: keeps only progress_fd (as PROGRESS_FD), makes at
 * most `calls` calls drawn from `seed`, writing each batch's count to the
 * pipe, then exits 0 (or dies of a call). Never returns. */
__attribute__((noreturn)) void worker_start(int progress_fd, uint64_t seed, unsigned long calls);

#endif
