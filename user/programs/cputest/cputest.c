/*
 * cputest.c — the in-guest test of per-process CPU state: run by `make check`.
 *
 * A process's CPU state is all of it, not only the general registers: two
 * processes that hand the CPU back and forth (through pipes and yield) each
 * keep their own FPU control word, MXCSR, mm0 and xmm12, and their own fs/gs
 * selectors and bases; user code can compute with `double`; fork copies the
 * FPU state and exec resets it. The case table below also runs
 * return_cases.c's: registers exact through sysret and iretq, bad returns
 * kill only the process, rsp aligned at _start.
 * `cputest NAME` runs one case; `cputest` runs them all; `cputest spin`
 * spins in user mode without system calls until killed (a target for NMIs).
 * OSTEP ch. 6 (Limited Direct Execution: saving and restoring a process's
 * registers on a switch, returning from a trap).
 */
#include "lib/string.h"
#include "user/lib/args.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"
#include "user/programs/cputest/cputest.h"

#define ROUNDS 40
#define USER_DATA_SELECTOR 0x1b /* the GDT's user data segment, RPL 3 */

static int passed, failed; /* by check(), for the last line */

void check(bool ok, const char *name)
{
    printf("cputest: %-50s %s\n", name, ok ? "ok" : "FAILED");
    if (ok)
        passed++;
    else
        failed++;
}

/* ---- FPU/SSE state ---------------------------------------------------- */

/* What the tests set and read back. mm0 is the x87 register file seen as
 * MMX; xmm12 is one gcc's code here has no reason to touch. */
struct fpu_probe {
    uint16_t control_word;
    uint32_t mxcsr;
    uint64_t mm0;
    uint64_t xmm12;
};

static void fpu_set(const struct fpu_probe *values)
{
    __asm__ volatile("fldcw %0\n\t"
                     "ldmxcsr %1\n\t"
                     "movq %2, %%mm0\n\t"
                     "movq %3, %%xmm12"
                     :
                     : "m"(values->control_word), "m"(values->mxcsr), "r"(values->mm0),
                       "r"(values->xmm12)
                     : "xmm12", "mm0");
}

static struct fpu_probe fpu_get(void)
{
    struct fpu_probe values;
    __asm__ volatile("fnstcw %0\n\t"
                     "stmxcsr %1\n\t"
                     "movq %%mm0, %2\n\t"
                     "movq %%xmm12, %3"
                     : "=m"(values.control_word), "=m"(values.mxcsr), "=r"(values.mm0),
                       "=r"(values.xmm12));
    return values;
}

static bool fpu_equal(struct fpu_probe a, struct fpu_probe b)
{
    return a.control_word == b.control_word && a.mxcsr == b.mxcsr && a.mm0 == b.mm0 &&
           a.xmm12 == b.xmm12;
}

/* Two distinct non-default states: precision/rounding in the control word,
 * rounding mode and flush-to-zero in MXCSR, and a pattern in each register. */
static const struct fpu_probe fpu_values[2] = {
    {0x027f, 0x1f80 | 0x6000, 0x1111222233334444UL, 0xaaaabbbbccccddddUL},
    {0x0c7f, 0x1f80 | 0x8000, 0x5555666677778888UL, 0x0123456789abcdefUL},
};

/* ---- fs and gs -------------------------------------------------------- */

static volatile uint64_t fs_targets[2] = {0xf5f5000000000000UL, 0xf5f5000000000001UL};
static volatile uint64_t gs_targets[2] = {0x9595000000000000UL, 0x9595000000000001UL};

static long arch_prctl(long code, unsigned long address)
{
    return syscall_raw(SYS_arch_prctl, code, (long)address, 0, 0, 0, 0);
}

/* The selector in segment register `seg` ("fs" or "gs"), and the word at
 * offset 0 of that segment, i.e. at its base. */
#define SELECTOR(seg)                                                                              \
    ({                                                                                             \
        uint16_t selector_;                                                                        \
        __asm__ volatile("mov %%" seg ", %0" : "=r"(selector_));                                   \
        selector_;                                                                                 \
    })
#define WORD_AT_BASE(seg)                                                                          \
    ({                                                                                             \
        uint64_t word_;                                                                            \
        __asm__ volatile("movq %%" seg ":0, %0" : "=r"(word_));                                    \
        word_;                                                                                     \
    })

/* Process `who` (0 parent, 1 child): process 1 also loads the user data
 * selector into fs and gs (which zeroes their bases), so selectors differ
 * too; then each points its bases at its own target words. */
static void segments_set(int who)
{
    uint16_t selector = who ? USER_DATA_SELECTOR : 0;
    __asm__ volatile("mov %0, %%fs\n\tmov %0, %%gs" : : "r"(selector));
    arch_prctl(ARCH_SET_FS, (unsigned long)&fs_targets[who]);
    arch_prctl(ARCH_SET_GS, (unsigned long)&gs_targets[who]);
}

static bool segments_intact(int who)
{
    uint64_t fs_base = 0, gs_base = 0;
    arch_prctl(ARCH_GET_FS, (unsigned long)&fs_base);
    arch_prctl(ARCH_GET_GS, (unsigned long)&gs_base);
    uint16_t selector = who ? USER_DATA_SELECTOR : 0;
    return fs_base == (unsigned long)&fs_targets[who] &&
           gs_base == (unsigned long)&gs_targets[who] && WORD_AT_BASE("fs") == fs_targets[who] &&
           WORD_AT_BASE("gs") == gs_targets[who] && SELECTOR("fs") == selector &&
           SELECTOR("gs") == selector;
}

/* ---- two processes taking turns --------------------------------------- */

static void fpu_setup(int who)
{
    fpu_set(&fpu_values[who]);
}

static bool fpu_intact(int who)
{
    return fpu_equal(fpu_get(), fpu_values[who]);
}

/* Parent and child each set up their own state, then hand the CPU to each
 * other ROUNDS times through a pair of pipes (each read blocks, so the
 * other process runs in between) and ROUNDS times through yield, checking
 * their own state after every turn. Only pipe and yield wrappers run
 * between set-up and check: no library code that might use the registers. */
static bool taking_turns(void (*setup)(int who), bool (*intact)(int who))
{
    int to_child[2], to_parent[2];
    if (pipe(to_child) < 0 || pipe(to_parent) < 0)
        return false;
    stdout_flush();
    int pid = fork();
    int who = pid == 0 ? 1 : 0;
    char token = 't';
    bool ok = true;
    setup(who);
    for (int round = 0; round < ROUNDS; round++) {
        if (who == 0) {
            write(to_child[1], &token, 1);
            read(to_parent[0], &token, 1);
        } else {
            read(to_child[0], &token, 1);
            write(to_parent[1], &token, 1);
        }
        ok = ok && intact(who);
    }
    for (int round = 0; round < ROUNDS; round++) {
        yield();
        ok = ok && intact(who);
    }
    __asm__ volatile("emms"); /* leave the x87 registers empty for later code */
    if (who == 1)
        _exit(ok ? 0 : 1);
    int status = -1;
    waitpid(pid, &status, 0);
    close(to_child[0]);
    close(to_child[1]);
    close(to_parent[0]);
    close(to_parent[1]);
    return ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void test_fpu_isolation(void)
{
    check(taking_turns(fpu_setup, fpu_intact), "FPU cw, MXCSR, mm0, xmm12 private per process");
}

static void test_segment_isolation(void)
{
    check(taking_turns(segments_set, segments_intact), "fs/gs selectors and bases private");
    segments_set(0);
    arch_prctl(ARCH_SET_FS, 0);
    arch_prctl(ARCH_SET_GS, 0);
}

static void test_arch_prctl_bad_input(void)
{
    uint64_t base;
    bool ok = arch_prctl(ARCH_SET_FS, 0xffff800000000000UL) == -EPERM &&
              arch_prctl(ARCH_SET_GS, 0x0000800000000000UL) == -EPERM &&
              arch_prctl(ARCH_GET_FS, 0xffff800000000000UL) == -EFAULT &&
              arch_prctl(ARCH_GET_GS, 8) == -EFAULT && arch_prctl(0x1234, 0) == -EINVAL &&
              arch_prctl(ARCH_GET_FS, (unsigned long)&base) == 0;
    check(ok, "arch_prctl: bad base -EPERM, pointer -EFAULT, code -EINVAL");
}

/* ---- double ----------------------------------------------------------- */

static volatile int leibniz_terms = 200000;

static double leibniz_pi(void)
{
    double sum = 0;
    for (int k = 0; k < leibniz_terms; k++)
        sum += (k % 2 ? -1.0 : 1.0) / (2.0 * k + 1.0);
    return 4.0 * sum;
}

/* Newton's iteration for the square root, to use division and comparison. */
static double square_root(double x)
{
    double guess = x > 1 ? x : 1;
    for (int i = 0; i < 60; i++)
        guess = 0.5 * (guess + x / guess);
    return guess;
}

static void test_double(void)
{
    double pi = leibniz_pi();
    long micro_pi = (long)(pi * 1e6);
    long root = (long)(square_root(2.0) * 1e9);
    check(micro_pi >= 3141587 && micro_pi <= 3141598 && root == 1414213562,
          "double: pi by Leibniz, sqrt(2) by Newton");
}

/* ---- fork and exec ---------------------------------------------------- */

static void test_fork_copies_fpu(void)
{
    fpu_set(&fpu_values[1]);
    stdout_flush();
    int pid = fork();
    if (pid == 0)
        _exit(fpu_equal(fpu_get(), fpu_values[1]) ? 0 : 1);
    bool parent_ok = fpu_equal(fpu_get(), fpu_values[1]);
    int status = -1;
    waitpid(pid, &status, 0);
    __asm__ volatile("emms");
    check(parent_ok && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "fork: child starts with the parent's FPU state");
}

/* Run first thing in the exec'd program: a clean FNINIT state, default
 * MXCSR, zero registers, null fs/gs with base 0. */
static int exec_child_checks(void)
{
    struct fpu_probe now = fpu_get();
    uint64_t fs_base = 1, gs_base = 1;
    arch_prctl(ARCH_GET_FS, (unsigned long)&fs_base);
    arch_prctl(ARCH_GET_GS, (unsigned long)&gs_base);
    bool ok = now.control_word == 0x037f && now.mxcsr == 0x1f80 && now.mm0 == 0 && now.xmm12 == 0 &&
              fs_base == 0 && gs_base == 0 && SELECTOR("fs") == 0 && SELECTOR("gs") == 0;
    return ok ? 0 : 1;
}

static void test_exec_resets(void)
{
    stdout_flush();
    int pid = fork();
    if (pid == 0) {
        fpu_set(&fpu_values[0]);
        segments_set(1);
        char *argv[] = {"cputest", "exec-child", NULL};
        execv("/bin/cputest", argv);
        _exit(2);
    }
    int status = -1;
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "exec: FPU, MXCSR, fs, gs start from the reset state");
}

struct test_case {
    const char *name;
    void (*run)(void);
};

static const struct test_case cases[] = {
    {"fpu", test_fpu_isolation},
    {"segments", test_segment_isolation},
    {"prctl", test_arch_prctl_bad_input},
    {"double", test_double},
    {"fork", test_fork_copies_fpu},
    {"exec", test_exec_resets},
    {"align", test_start_alignment},
    {"sysret", test_sysret_and_iretq_agree},
    {"syscall", test_syscall_preserves_registers},
    {"badreturn", test_bad_return_kills},
};

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "exec-child") == 0)
        return exec_child_checks();
    if (argc == 2 && strcmp(argv[1], "spin") == 0) {
        /* The line's newline scrolls the VGA screen, slowly under TCG; the
         * "+" written after it returned tells the test that the kernel has
         * finished with this process's output. */
        printf("cputest: spinning in user mode\n");
        stdout_flush();
        write(STDOUT_FILENO, "+", 1);
        for (;;)
            __asm__ volatile("pause"); /* all in user mode: no system call */
    }
    struct args args;
    const char *only = NULL;
    args_begin(&args, argc, argv, "[CASE]",
               "the in-guest test of each process's own CPU state (make check runs it); "
               "CASE runs one");
    if (args_more(&args))
        args_word(&args, "CASE", &only);
    if (args_finish(&args) < 0)
        return args.status;
    bool ran = false;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (!only || strcmp(only, cases[i].name) == 0) {
            cases[i].run();
            ran = true;
        }
    }
    if (!ran) {
        printf("cputest: unknown case '%s' (have fpu segments prctl double fork exec align sysret "
               "syscall badreturn)\n",
               argv[1]);
        return 2;
    }
    printf("cputest: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
