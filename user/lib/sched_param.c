/*
 * sched_param.c — setparam with a refusal that says what to do instead.
 * The policy list comes from the kernel (sched_list: "rr fifo prio=nice
 * ..."), parsed here one blank-separated entry at a time. OSTEP ch. 7-9.
 */
#include "user/lib/sched_param.h"
#include "lib/string.h"
#include "user/lib/args.h"
#include "user/lib/describe.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"

#include <stdbool.h>

#define LIST_SIZE 256

/* Appends word to names (blank-separated), as far as it fits. */
static void append_name(char *names, unsigned long size, const char *word)
{
    size_t length = strlen(names);
    if (length > 0 && length + 1 < size)
        names[length++] = ' ';
    strlcpy(names + length, word, size - length);
}

int sched_policies_with(const char *label, char *names, unsigned long size)
{
    char list[LIST_SIZE];
    int result = sched_list(list, sizeof list);
    if (result < 0)
        return result;
    int count = 0;
    names[0] = '\0';
    for (char *entry = list; *entry != '\0';) {
        char *end = strchr(entry, ' ');
        if (end != NULL)
            *end = '\0';
        char *equals = strchr(entry, '=');
        if (equals != NULL)
            *equals = '\0';
        if (label == NULL || (equals != NULL && strcmp(equals + 1, label) == 0)) {
            append_name(names, size, entry);
            count++;
        }
        entry = end != NULL ? end + 1 : entry + strlen(entry);
    }
    return count;
}

/* The running policy's name: what `sched` prints before its ':'. */
static void current_policy(char *name, unsigned long size)
{
    char description[LIST_SIZE];
    if (sched(0, description, sizeof description) < 0)
        description[0] = '\0';
    char *colon = strchr(description, ':');
    if (colon != NULL)
        *colon = '\0';
    strlcpy(name, description, size);
}

/* Whether word is one of the blank-separated names. */
static bool names_contain(const char *names, const char *word)
{
    size_t length = strlen(word);
    for (const char *at = names; *at != '\0';) {
        const char *end = strchr(at, ' ');
        size_t entry_length = end != NULL ? (size_t)(end - at) : strlen(at);
        if (entry_length == length && strncmp(at, word, length) == 0)
            return true;
        at += entry_length + (end != NULL);
    }
    return false;
}

int sched_param_set(const char *program, int pid, int param, const char *label, long value)
{
    int result = setparam(pid, param, value);
    if (result == 0)
        return 0;
    if (result == -ESRCH) {
        dprintf(STDERR_FILENO, "%s: %d: no such process\n", program, pid);
        return 1;
    }
    char policy[32], having[LIST_SIZE];
    current_policy(policy, sizeof policy);
    int count = sched_policies_with(label, having, sizeof having);
    if (result == -EINVAL && count > 0 && !names_contain(having, policy))
        dprintf(STDERR_FILENO,
                "%s: the %s policy has no %s value (policies with one: %s; switch with: "
                "sched NAME)\n",
                program, policy, label, having);
    else
        dprintf(STDERR_FILENO, "%s: %s %ld for pid %d: %s\n", program, label, value, pid,
                strerror(result));
    return 1;
}

int sched_param_main(int argc, char **argv, int param, const char *label, long min, long max,
                     const char *summary)
{
    struct args args;
    int pid;
    long value;
    args_begin(&args, argc, argv, "PID VALUE", summary);
    args_pid(&args, &pid);
    args_number(&args, "VALUE", min, max, &value);
    if (args_finish(&args) < 0)
        return args.status;
    return sched_param_set(args.program, pid, param, label, value);
}
