/*
 * monitor.c — the kernel monitor: read a line from the console, run it.
 *
 * When there are no user programs (no initrd, or init cannot start) there is
 * no shell, yet a student should still be able to type something and see the
 * kernel answer, and tests need a way to drive the console without processes.
 * The monitor waits for keys with `hlt` (the CPU sleeps until the next
 * interrupt), echoes them, handles backspace and Ctrl-C, and knows a few
 * commands that look inside the kernel. OSTEP ch. 6: the kernel waiting for
 * an interrupt is the CPU doing nothing useful, efficiently.
 */
#include "kernel/monitor.h"
#include "kernel/arch/x86_64/instructions.h"
#include "kernel/arch/x86_64/qemu_exit.h"
#include "kernel/console.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/pmm.h"
#include "kernel/timer.h"
#include "lib/string.h"

#define LINE_MAX 128
#define CTRL_C 3
#define DELETE 127

static int wait_for_char(void)
{
    for (;;) {
        interrupts_disable();
        int c = console_try_read_char();
        if (c >= 0) {
            interrupts_enable();
            return c;
        }
        cpu_enable_interrupts_and_halt(); /* sleep until the next interrupt */
    }
}

static void read_line(char *line, size_t size)
{
    size_t length = 0;
    for (;;) {
        int c = wait_for_char();
        if (c == '\n') {
            console_write("\n", 1);
            line[length] = '\0';
            return;
        } else if (c == '\b' || c == DELETE) {
            if (length > 0) {
                length--;
                console_write("\b \b", 3);
            }
        } else if (c == CTRL_C) {
            console_write("^C\n", 3);
            line[0] = '\0';
            return;
        } else if (c >= ' ' && length + 1 < size) {
            line[length++] = (char)c;
            char echo = (char)c;
            console_write(&echo, 1);
        }
    }
}

static void command_free(void)
{
    size_t total = pmm_total_frames(), free = pmm_free_frames();
    kprintf("frames: %lu total, %lu used, %lu free (%lu KiB free); kernel heap: %lu bytes in use\n",
            total, total - free, free, free * PAGE_SIZE / 1024, kmalloc_bytes_in_use());
}

static void command_help(void)
{
    kprintf("kernel monitor commands:\n"
            "  help    this list\n"
            "  uptime  time since boot\n"
            "  free    physical frames and kernel heap use\n"
            "  exit    end QEMU (when started with isa-debug-exit)\n");
}

static void run_command(const char *line)
{
    if (strcmp(line, "") == 0)
        return;
    if (strcmp(line, "help") == 0)
        command_help();
    else if (strcmp(line, "uptime") == 0)
        kprintf("up %lu ms (%lu ticks at %u Hz)\n", timer_uptime_ms(), timer_ticks(), timer_hz());
    else if (strcmp(line, "free") == 0)
        command_free();
    else if (strcmp(line, "exit") == 0)
        qemu_exit(QEMU_EXIT_SUCCESS);
    else
        kprintf("unknown command '%s' (try help)\n", line);
}

void monitor_run(void)
{
    char line[LINE_MAX];
    kprintf("Prism kernel monitor (no user space yet). Type help.\n");
    for (;;) {
        kprintf("prism> ");
        read_line(line, sizeof(line));
        run_command(line);
    }
}
