/*
 * return_cases.c — cputest's cases on leaving the kernel: registers as asked.
 *
 * A system call returns every register exactly, whether the kernel leaves
 * through sysret (when rcx and r11 allow it) or iretq; a return to a
 * non-canonical or kernel-half address kills only the process (SIGSEGV)
 * instead of faulting in ring 0; the stack is 16-byte aligned at _start as
 * the System V ABI requires. cputest.c's case table runs these.
 * OSTEP ch. 6 (Limited Direct Execution: the return-from-trap instruction).
 */
#include "lib/string.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"
#include "user/programs/cputest/cputest.h"

/* ---- returning from a system call: sysret and iretq ------------------- */

/* Offsets in struct user_context (lib/syscall_abi.h) used by the assembly. */
#define CONTEXT_RSP 56

/* Every register, stored at the landings below. Not static: only the
 * assembly writes it, and gcc would put a never-written static in rodata. */
struct user_context context_out;
extern char context_landing[], getpid_landing[];

/* context_enter(in): setcontext with *in (in->rsp is filled in here), so
 * the kernel returns to in->rip with exactly in's registers. At
 * context_landing every register is stored into context_out, then the
 * callee-saved ones come back from the stack (rsp is in->rsp again). */
void context_enter(struct user_context *in);
__asm__(".text\n"
        ".globl context_enter\n"
        "context_enter:\n"
        "    push %rbx\n    push %rbp\n    push %r12\n    push %r13\n    push %r14\n    push %r15\n"
        "    mov %rsp, 56(%rdi)\n"
        "    mov $512, %eax\n" /* SYS_setcontext */
        "    syscall\n"
        "    ud2\n" /* setcontext never returns here */
        ".globl context_landing\n"
        "context_landing:\n"
        "    mov %rax, context_out+0(%rip)\n    mov %rbx, context_out+8(%rip)\n"
        "    mov %rcx, context_out+16(%rip)\n   mov %rdx, context_out+24(%rip)\n"
        "    mov %rsi, context_out+32(%rip)\n   mov %rdi, context_out+40(%rip)\n"
        "    mov %rbp, context_out+48(%rip)\n   mov %rsp, context_out+56(%rip)\n"
        "    mov %r8, context_out+64(%rip)\n    mov %r9, context_out+72(%rip)\n"
        "    mov %r10, context_out+80(%rip)\n   mov %r11, context_out+88(%rip)\n"
        "    mov %r12, context_out+96(%rip)\n   mov %r13, context_out+104(%rip)\n"
        "    mov %r14, context_out+112(%rip)\n  mov %r15, context_out+120(%rip)\n"
        "    pushfq\n    popq context_out+136(%rip)\n"
        "    cld\n"
        "    pop %r15\n    pop %r14\n    pop %r13\n    pop %r12\n    pop %rbp\n    pop %rbx\n"
        "    ret\n");

/* getpid_with(in): an ordinary system call with every register but rax,
 * rcx, r11 and rsp loaded from *in; after it, every register is stored
 * into context_out by context_landing (the stack holds the same six saved
 * registers as context_enter's, so its tail serves both). */
void getpid_with(const struct user_context *in);
__asm__(".text\n"
        ".globl getpid_with\n"
        "getpid_with:\n"
        "    push %rbx\n    push %rbp\n    push %r12\n    push %r13\n    push %r14\n    push %r15\n"
        "    mov 8(%rdi), %rbx\n    mov 24(%rdi), %rdx\n   mov 32(%rdi), %rsi\n"
        "    mov 48(%rdi), %rbp\n   mov 64(%rdi), %r8\n    mov 72(%rdi), %r9\n"
        "    mov 80(%rdi), %r10\n   mov 96(%rdi), %r12\n   mov 104(%rdi), %r13\n"
        "    mov 112(%rdi), %r14\n  mov 120(%rdi), %r15\n  mov 40(%rdi), %rdi\n"
        "    mov $39, %eax\n" /* SYS_getpid */
        "    syscall\n"
        ".globl getpid_landing\n"
        "getpid_landing:\n"
        "    jmp context_landing\n"); /* same frame as context_enter's: store, pop, return */

#define PATTERN_FLAGS 0x0ac3UL /* CF ZF SF OF, IF and the always-one bit 1 */

/* Sixteen distinct register values, none an address the program uses. */
static struct user_context register_pattern(void)
{
    struct user_context in;
    uint64_t *words = (uint64_t *)&in;
    for (int i = 0; i < 16; i++)
        words[i] = 0x5a5a000000000000UL | (uint64_t)(i + 1) << 32 | (uint64_t)(0x1000 * (i + 1));
    in.rip = (uint64_t)context_landing;
    in.rflags = PATTERN_FLAGS;
    return in;
}

static bool same_registers(const struct user_context *a, const struct user_context *b)
{
    return memcmp(a, b, 16 * sizeof(uint64_t)) == 0 && a->rflags == b->rflags;
}

/* With rcx == rip and r11 == rflags, sysret can restore the frame exactly
 * and the kernel takes it; with any other rcx it must use iretq. Both must
 * deliver exactly the registers asked for. */
void test_sysret_and_iretq_agree(void)
{
    struct user_context in = register_pattern();
    in.rcx = in.rip;
    in.r11 = in.rflags;
    context_enter(&in);
    struct user_context via_sysret = context_out;
    bool sysret_ok = same_registers(&via_sysret, &in);

    in = register_pattern(); /* rcx is a pattern value: the frame needs iretq */
    context_enter(&in);
    struct user_context via_iretq = context_out;
    bool iretq_ok = same_registers(&via_iretq, &in);
    check(sysret_ok, "sysret return: every register as the frame holds it");
    check(iretq_ok, "iretq return: every register as the frame holds it");
}

void test_syscall_preserves_registers(void)
{
    struct user_context in = register_pattern();
    getpid_with(&in);
    struct user_context out = context_out;
    bool ok =
        (long)out.rax == getpid() && out.rcx == (uint64_t)getpid_landing && out.r11 == out.rflags;
    uint64_t *a = (uint64_t *)&in, *b = (uint64_t *)&out;
    for (int i = 0; i < 16; i++) {
        bool clobbered_by_abi = i == 0 || i == 2 || i == 7 || i == 11; /* rax rcx rsp r11 */
        ok = ok && (clobbered_by_abi || a[i] == b[i]);
    }
    check(ok, "getpid keeps all registers; rcx = return rip, r11 = rflags");
}

/* A child asks to return to `rip` with stack `rsp`; the kernel must kill it
 * (SIGSEGV) rather than fault in ring 0. Returns the child's status. */
static int return_to(uint64_t rip, uint64_t rsp)
{
    stdout_flush();
    int pid = fork();
    if (pid == 0) {
        struct user_context in = register_pattern();
        in.rip = rip;
        in.rcx = rip; /* so sysret would look eligible, but for the address */
        in.r11 = in.rflags;
        if (rsp) {
            in.rsp = rsp;
            syscall_raw(SYS_setcontext, (long)&in, 0, 0, 0, 0, 0);
        } else {
            context_enter(&in);
        }
        _exit(0);
    }
    int status = -1;
    waitpid(pid, &status, 0);
    return status;
}

static bool killed_by_sigsegv(int status)
{
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
}

void test_bad_return_kills(void)
{
    check(killed_by_sigsegv(return_to(0x0000800000000000UL, 0)),
          "return to non-canonical rip 0x800000000000 kills");
    check(killed_by_sigsegv(return_to(0xffffffff80000000UL, 0)),
          "return to a kernel-half rip kills");
    check(killed_by_sigsegv(return_to((uint64_t)context_landing, 0x8000000000000000UL)),
          "return with a non-canonical rsp kills");
    check(getpid() > 0, "the kernel and this process go on");
}

/* ---- entry -------------------------------------------------------------- */

extern uint64_t crt0_start_rsp; /* user/lib/crt0.asm */

void test_start_alignment(void)
{
    check(crt0_start_rsp % 16 == 0 && crt0_start_rsp != 0, "rsp % 16 == 0 at _start (SysV ABI)");
}
