/*
 * interrupts_off.h — the kernel's one concurrency rule, and its check.
 *
 * Rule: the kernel runs with interrupts disabled. System calls (SFMASK clears
 * IF), exceptions and device interrupts (interrupt gates) all enter that way,
 * and nothing turns them back on except the idle loop's sti;hlt (and the
 * boot self-test that waits for timer ticks the same way, and the monitor,
 * which runs without processes) and VMRUN's window in svm_run.asm. There IF
 * is set only between CLGI and STGI: with GIF clear the host takes no
 * interrupt and no NMI at all; VMRUN sets GIF for the guest, and a host
 * interrupt that is pending at VMRUN or arrives while the guest runs (the
 * host's IF=1 governs it, whatever the guest's IF) ends the guest with an
 * INTR #VMEXIT (an NMI with an NMI exit), which clears GIF again. Only once
 * the host's registers and FPU are back does STGI let that interrupt in, at
 * that one instruction in svm_vmrun, in kernel mode (so it marks a
 * preemption but switches nothing), and CLI follows before svm_run returns
 * (which asserts the rule before and after). Self-tests (test=) run with them off.
 * On one CPU that makes every kernel path atomic: checking a condition and
 * blocking on it, or taking a process off a queue and putting it back, cannot
 * be interleaved with an interrupt handler that touches the same state. Code
 * that relies on the rule asserts it at its entry (the dispatcher, block and
 * wake, pipes, the tty), so breaking it panics with the name of the place
 * instead of corrupting a queue once in a million interrupts.
 * OSTEP ch. 6 (Limited Direct Execution) and ch. 26-28 (why disabling
 * interrupts is a lock on one CPU, and only there).
 */
#ifndef PRISM_KERNEL_INTERRUPTS_OFF_H
#define PRISM_KERNEL_INTERRUPTS_OFF_H

#ifdef PRISM_HOST
/* Host unit tests have no interrupts: the rule holds by construction. */
static inline void interrupts_assert_off(const char *where)
{
    (void)where;
}
#else
/* Panics ("interrupts enabled in WHERE") unless interrupts are disabled.
 * Cheap: reads the flags register. */
void interrupts_assert_off(const char *where);
#endif

#endif
