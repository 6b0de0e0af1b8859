/*
 * fpu.c — a guest OS that checks its FPU and SSE registers are its own.
 *
 * It boots like the tiny guest (tiny_entry.asm: the same header, page
 * tables and timer gate), turns SSE on the way a kernel does (CR4.OSFXSR
 * and OSXMMEXCPT), and says what FPU state it found at power-on: a VM
 * starts with a fresh FPU (x87 control word 0x37f, MXCSR 0x1f80, xmm0-15
 * zero), not the registers of the process that runs it. Then it loads its
 * own distinctive values (fpu_values.h) and goes through every kind of
 * exit, round after round: long spins that the host timer interrupts (INTR
 * exits; Prism may run other processes), an OUT, a CPUID, and a HLT that
 * waits for the virtual timer (the vCPU process sleeps meanwhile). After
 * each round it reads its registers back; its last line says whether they
 * were all kept. `vm --check-fpu fpu` runs it (user/programs/vm.c).
 * OSTEP appendix B (VMMs), ch. 6 (a switch saves all of a CPU's registers).
 */
#include "user/guest/fpu_values.h"
#include "user/guest/guest_io.h"

#include <stdbool.h>
#include <stdint.h>

#define ROUNDS 6
#define SPINS_PER_ROUND 20000000
#define CR4_OSFXSR (1UL << 9)
#define CR4_OSXMMEXCPT (1UL << 10)

static unsigned long ticks;

/* Called by tiny_entry.asm's timer gate; one task, so it resumes it. */
uint64_t *guest_timer(uint64_t *saved)
{
    ticks++;
    return saved;
}

/* This file is built without SSE or x87 code, so nothing the compiler
 * emits touches these registers between the asm statements. */
static void fpu_load(const struct fpu_values *v)
{
    __asm__ volatile(FOR_EACH_XMM(XMM_LOAD) : : [xmm_in] "r"(v->xmm) : "memory");
    __asm__ volatile("ldmxcsr %0" : : "m"(v->mxcsr));
    __asm__ volatile("fldcw %0" : : "m"(v->control_word));
}

static void fpu_read(struct fpu_values *v)
{
    __asm__ volatile(FOR_EACH_XMM(XMM_STORE) : : [xmm_out] "r"(v->xmm) : "memory");
    __asm__ volatile("stmxcsr %0" : "=m"(v->mxcsr));
    __asm__ volatile("fnstcw %0" : "=m"(v->control_word));
}

static void enable_sse(void)
{
    uint64_t cr4;
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_OSFXSR | CR4_OSXMMEXCPT));
}

static void say_power_on_state(void)
{
    struct fpu_values now, zero = {0};
    fpu_read(&now);
    put_string("fpu: at power-on: x87 control word ");
    put_hex(now.control_word, 4);
    put_string(", MXCSR ");
    put_hex(now.mxcsr, 4);
    int n = fpu_values_first_xmm_difference(&now, &zero);
    if (n == 16) {
        put_string(", xmm0-15 zero\n");
    } else {
        put_string(", xmm");
        put_number((unsigned long)n);
        put_string(" = ");
        put_hex(now.xmm[n][0], 16);
        put_char('\n');
    }
}

/* True if the registers still hold `mine`; else says the first difference. */
static bool check(const struct fpu_values *mine, int round)
{
    struct fpu_values now;
    fpu_read(&now);
    int n = fpu_values_first_xmm_difference(&now, mine);
    if (now.control_word == mine->control_word && now.mxcsr == mine->mxcsr && n == 16)
        return true;
    put_string("fpu: round ");
    put_number((unsigned long)round);
    put_string(": changed: x87 control word ");
    put_hex(now.control_word, 4);
    put_string(", MXCSR ");
    put_hex(now.mxcsr, 4);
    if (n < 16) {
        put_string(", xmm");
        put_number((unsigned long)n);
        put_string(" = ");
        put_hex(now.xmm[n][0], 16);
    }
    put_string("\nfpu: FPU/SSE state NOT kept\n");
    return false;
}

static void rounds(const struct fpu_values *mine)
{
    uint32_t r[4];
    for (int round = 1; round <= ROUNDS; round++) {
        /* The host timer interrupts the spin (INTR exits), then an OUT, a
         * CPUID, and a HLT that sleeps until the next virtual tick. */
        for (volatile unsigned long spin = 0; spin < SPINS_PER_ROUND; spin++)
            ;
        put_char('.');
        cpuid(0, r);
        __asm__ volatile("sti; hlt; cli");
        if (!check(mine, round))
            return;
    }
    put_string("\nfpu: x87 control word, MXCSR and xmm0-15 kept across ");
    put_number(ROUNDS);
    put_string(" rounds of INTR, OUT, CPUID and HLT exits (");
    put_number(ticks);
    put_string(" timer ticks)\n");
}

void guest_main(uint64_t mode, uint64_t argument)
{
    (void)mode;
    put_string("fpu: hello from a guest OS that checks its FPU is its own\n");
    enable_sse();
    say_power_on_state();
    struct fpu_values mine;
    fpu_values_fill(&mine, 1, argument); /* argument: the seed */
    fpu_load(&mine);
    put_string("fpu: loaded x87 control word ");
    put_hex(mine.control_word, 4);
    put_string(", MXCSR ");
    put_hex(mine.mxcsr, 4);
    put_string(", xmm0 ");
    put_hex(mine.xmm[0][0], 16);
    put_string(" ...\n");
    rounds(&mine);
    put_string("fpu: halting\n");
    power_off();
}
