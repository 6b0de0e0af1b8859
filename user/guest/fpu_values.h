/*
 * fpu_values.h — the FPU/SSE values of the FPU isolation check, shared by
 * the fpu guest (user/guest/fpu.c) and `vm --check-fpu` (user/programs/vm.c).
 *
 * VMRUN switches no x87/SSE state; Prism's monitor gives each VM its own
 * (kernel/arch/x86_64/svm.h, the FPU rule). To see that, the `vm` process
 * loads one set of distinctive values before it runs the VM and the guest
 * loads another; each checks its own set after exits, halts and time
 * slices. The xmm values carry a seed (the vm process's pid, which it also
 * passes to the guest as its argument), so two VMs running side by side,
 * and their two vm processes, all hold different values. Each set is an
 * x87 control word, an MXCSR and xmm0-15, loaded and read back by the
 * FOR_EACH_XMM string macros inside one asm statement (the operand names
 * xmm_in / xmm_out point at the 16 x 16-byte array).
 * OSTEP ch. 6 (a switch saves all of a CPU's registers), appendix B.
 */
#ifndef PRISM_USER_GUEST_FPU_VALUES_H
#define PRISM_USER_GUEST_FPU_VALUES_H

#include <stdint.h>

struct fpu_values {
    uint64_t xmm[16][2]; /* xmm0-15, low quadword first */
    uint32_t mxcsr;
    uint16_t control_word; /* x87 */
};

/* A fresh FPU: FNINIT's control word, every SIMD exception masked. */
#define FPU_RESET_CONTROL_WORD 0x037f
#define FPU_RESET_MXCSR 0x1f80

/* The guest's: rounding down (x87 and SSE); xmm n holds "gues", the seed,
 * the half and n. */
#define FPU_GUEST_CONTROL_WORD 0x077f
#define FPU_GUEST_MXCSR 0x3f80
#define FPU_GUEST_XMM_BASE 0x6775657300000000ULL

/* The vm process's: rounding toward zero; xmm n holds "vmpr", ... */
#define FPU_HOST_CONTROL_WORD 0x0f7f
#define FPU_HOST_MXCSR 0x7f80
#define FPU_HOST_XMM_BASE 0x766d707200000000ULL

#define FOR_EACH_XMM(X)                                                                            \
    X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)
#define XMM_LOAD(n) "movdqu " #n "*16(%[xmm_in]), %%xmm" #n "\n\t"
#define XMM_STORE(n) "movdqu %%xmm" #n ", " #n "*16(%[xmm_out])\n\t"

/* Fills v with the guest's (guest = 1) or the vm process's set. */
static inline void fpu_values_fill(struct fpu_values *v, int guest, uint64_t seed)
{
    uint64_t base = (guest ? FPU_GUEST_XMM_BASE : FPU_HOST_XMM_BASE) | (seed & 0xffff) << 16;
    for (uint64_t n = 0; n < 16; n++)
        for (uint64_t half = 0; half < 2; half++)
            v->xmm[n][half] = base | half << 8 | n;
    v->mxcsr = guest ? FPU_GUEST_MXCSR : FPU_HOST_MXCSR;
    v->control_word = guest ? FPU_GUEST_CONTROL_WORD : FPU_HOST_CONTROL_WORD;
}

/* The first xmm register (0-15) in which a and b differ, 16 if none. */
static inline int fpu_values_first_xmm_difference(const struct fpu_values *a,
                                                  const struct fpu_values *b)
{
    int n = 0;
    while (n < 16 && a->xmm[n][0] == b->xmm[n][0] && a->xmm[n][1] == b->xmm[n][1])
        n++;
    return n;
}

#endif
