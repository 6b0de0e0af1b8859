/*
 * fault KIND — misbehaves on purpose, so tests can watch the kernel stop it.
 *
 * Limited direct execution (OSTEP ch. 6) lets a program run at full speed only
 * because the hardware traps anything it may not do: touch memory it does
 * not own (ch. 13-18), execute a privileged instruction, divide by zero, ask
 * for a system call that does not exist. Each KIND below does one such thing;
 * the kernel must kill the process with a signal and keep running. The
 * pointers are volatile so the compiler cannot see the crime and replace it
 * with something else. If the process survives it says so and exits 0.
 */
#include "lib/string.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"

#include <stdint.h>
#include "user/lib/args.h"

static volatile int sink;            /* results go here so no load is optimized away */
static volatile int stop_depth = -1; /* never reached; hides the recursion's end */
static unsigned char data_code[64];  /* writable, so never executable */

int main(int argc, char **argv);

/* The address passes through a volatile variable: a constant NULL would let
 * gcc replace the load with a ud2 of its own. */
static void load(uintptr_t address)
{
    volatile int *volatile pointer = (volatile int *)address;
    sink = *pointer;
}

static void store(uintptr_t address)
{
    volatile int *volatile pointer = (volatile int *)address;
    *pointer = 1;
}

static int recurse(int depth)
{
    volatile char frame[256]; /* eat stack quickly, and keep each frame alive */
    frame[0] = (char)depth;
    if (depth == stop_depth)
        return 0;
    return recurse(depth + 1) + frame[0];
}

static int returns_seven(void)
{
    return 7;
}

/* 64 bytes hold all of returns_seven (about ten); what follows it is still
 * mapped text, so the copy itself cannot fault. */
static void do_exec_data(void)
{
    memcpy(data_code, (const void *)(uintptr_t)returns_seven, sizeof data_code);
    int (*function)(void) = (int (*)(void))(uintptr_t)data_code;
    sink = function();
}

/* Both operands are volatile: knowing the dividend is 1, gcc would skip the
 * idiv (1 / x is 0 or +-1 for any x it may assume nonzero). */
static void do_div0(void)
{
    volatile int dividend = 1, divisor = 0;
    sink = dividend / divisor;
}

struct fault_kind {
    const char *name;
    const char *description;
    void (*run)(void);
};

static void do_null(void)
{
    load(0);
}

static void do_wild(void)
{
    store(0x123456789000UL);
}

static void do_kernel(void)
{
    load(0xffffffff80100000UL);
}

static void do_write_text(void)
{
    store((uintptr_t)main);
}

static void do_ud2(void)
{
    __asm__ volatile("ud2");
}

static void do_hlt(void)
{
    __asm__ volatile("hlt");
}

static void do_cli(void)
{
    __asm__ volatile("cli");
}

static void do_io(void)
{
    __asm__ volatile("outb %0, %1" : : "a"((uint8_t)0), "Nd"((uint16_t)0x80));
}

static void do_int3(void)
{
    __asm__ volatile("int3");
}

static void do_gp(void)
{
    load(0x8000000000000000UL);
}

static void do_badsys(void)
{
    sink = (int)syscall_raw(9999, 0, 0, 0, 0, 0, 0);
}

static void do_stack_overflow(void)
{
    sink = recurse(0);
}

/* Not a fault: a system call made with the NT flag set (user code may set
 * it). The kernel must clear it on entry or its own iretq would fault; the
 * process survives and exits 0. */
static void do_nt_syscall(void)
{
    __asm__ volatile("pushfq; orq $0x4000, (%%rsp); popfq" ::: "memory", "cc");
    sink = getpid();
    __asm__ volatile("pushfq; andq $~0x4000, (%%rsp); popfq" ::: "memory", "cc");
}

/* Single-stepping (TF) set by the program itself: the kernel masks it while
 * it runs, and the trap after the next user instruction kills the process. */
static void do_trap_flag(void)
{
    __asm__ volatile("pushfq; orq $0x100, (%%rsp); popfq; nop" ::: "memory", "cc");
    sink = getpid();
}

/* A system call with a non-canonical stack pointer: the kernel keeps its own
 * stack, returns, and the program dies on its next push. */
static void do_bad_stack_syscall(void)
{
    __asm__ volatile("mov %%rsp, %%r12\n\t"
                     "movabs $0x8000000000000000, %%rsp\n\t"
                     "mov $39, %%eax\n\t"
                     "syscall\n\t"
                     "push %%rax\n\t"
                     "mov %%r12, %%rsp"
                     :
                     :
                     : "rax", "rcx", "r11", "r12", "memory");
}

static const struct fault_kind kinds[] = {
    {"null", "read address 0", do_null},
    {"wild", "write an unmapped user address", do_wild},
    {"kernel", "read kernel memory", do_kernel},
    {"write-text", "write into its own code", do_write_text},
    {"ud2", "execute an undefined instruction", do_ud2},
    {"hlt", "halt the CPU (privileged)", do_hlt},
    {"cli", "disable interrupts (privileged)", do_cli},
    {"io", "write an I/O port (privileged)", do_io},
    {"div0", "divide by zero", do_div0},
    {"int3", "hit a breakpoint", do_int3},
    {"gp", "use a non-canonical address", do_gp},
    {"badsys", "make system call 9999", do_badsys},
    {"stack-overflow", "recurse without end", do_stack_overflow},
    {"exec-data", "run code copied into data", do_exec_data},
    {"nt-syscall", "system call with the NT flag set (survives)", do_nt_syscall},
    {"trap-flag", "single-step itself (TF)", do_trap_flag},
    {"bad-stack-syscall", "system call with a non-canonical rsp", do_bad_stack_syscall},
};

#define KIND_COUNT (sizeof kinds / sizeof kinds[0])

static void list_kinds(void)
{
    printf("KIND is one of:\n");
    for (size_t i = 0; i < KIND_COUNT; i++)
        printf("  %-15s %s\n", kinds[i].name, kinds[i].description);
}

int main(int argc, char **argv)
{
    struct args args;
    const char *kind = NULL;
    args_begin(&args, argc, argv, "KIND", "make one kind of fault happen (the kinds are below)");
    args_word(&args, "KIND", &kind);
    size_t chosen = 0;
    while (kind != NULL && chosen < KIND_COUNT && strcmp(kind, kinds[chosen].name) != 0)
        chosen++;
    if (kind != NULL && chosen == KIND_COUNT)
        args_error(&args, "'%s' is not a kind of fault (`fault --help` lists them)", kind);
    if (args_finish(&args) < 0) {
        if (args.status == 0)
            list_kinds();
        return args.status;
    }
    printf("fault: doing %s\n", kinds[chosen].name);
    stdout_flush();
    kinds[chosen].run();
    printf("fault: %s did not fault (result %d)\n", kinds[chosen].name, sink);
    return 0;
}
