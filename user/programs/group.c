/*
 * group — run a program in a new container group, or list the groups.
 *
 *   group run [--cpu WEIGHT] [--mem SIZE] [--name NAME] PROGRAM [ARG...]
 *   group ls
 *
 * run forks; the child makes a group (SYS_group) and joins it as the
 * group's pid 1, then execs PROGRAM, so the program and everything it forks
 * share the group's CPU weight (1..100, default 100, as the root's; the
 * group level of the scheduler splits the CPU between busy groups in
 * proportion), its memory limit (SIZE in bytes, or with K, M or G; default
 * none) and its own pid numbering. group waits for the program and exits
 * with its status (128 + the signal if it was killed); the group ends when
 * its last member is reaped. ls prints one line per group: id, name, weight,
 * memory limit and use, members and CPU time (inside a group: only its own).
 * The child prepares every page its error path writes before it joins, so
 * refusing a program that does not fit (exec fails with ENOMEM) cannot
 * itself run into the limit: the refusal is one line, and the shell goes on.
 * OSTEP ch. 5 (fork, exec, wait), ch. 9 (shares); Linux's cgroups and
 * namespaces, much simplified.
 */
#include "lib/string.h"
#include "user/lib/args.h"
#include "user/lib/describe.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"

#define MESSAGE_MAX 160
#define KIB 1024UL

struct run_options {
    long cpu;
    unsigned long mem_bytes; /* 0 = no limit */
    const char *mem_text;
    const char *name;
    char *argv[ARGS_MAX + 1];
};

static char message[MESSAGE_MAX]; /* the child's error line: made private before it joins */

/* "8M", "512K", "4096": bytes; false if it is not a size. */
static bool parse_size(const char *text, unsigned long *bytes)
{
    unsigned long value = 0;
    const char *c = text;
    if (*c < '0' || *c > '9')
        return false;
    for (; *c >= '0' && *c <= '9'; c++) {
        if (value > (1UL << 40))
            return false;
        value = value * 10 + (unsigned long)(*c - '0');
    }
    unsigned long unit = 1;
    if (*c == 'K' || *c == 'k')
        unit = KIB;
    else if (*c == 'M' || *c == 'm')
        unit = KIB * KIB;
    else if (*c == 'G' || *c == 'g')
        unit = KIB * KIB * KIB;
    if (unit != 1)
        c++;
    if (*c != '\0' || value == 0 || value > (1UL << 40) / unit)
        return false;
    *bytes = value * unit;
    return true;
}

static void parse_run(struct args *args, struct run_options *options)
{
    options->cpu = GROUP_CPU_MAX;
    while (args_more(args) && args_peek(args)[0] == '-') {
        const char *option;
        args_text(args, "OPTION", &option);
        const char *value = NULL;
        if (strcmp(option, "--cpu") == 0) {
            args_number(args, "--cpu WEIGHT", GROUP_CPU_MIN, GROUP_CPU_MAX, &options->cpu);
        } else if (strcmp(option, "--mem") == 0) {
            if (args_text(args, "--mem SIZE", &value) == 0 &&
                !parse_size(value, &options->mem_bytes))
                args_error(args, "'%s' is not a size (such as 4096, 512K or 8M)", value);
            options->mem_text = value;
        } else if (strcmp(option, "--name") == 0) {
            if (args_text(args, "--name NAME", &value) == 0 &&
                (value[0] == '\0' || strlen(value) >= GROUP_NAME_SIZE))
                args_error(args, "a group name has 1 to %d characters", GROUP_NAME_SIZE - 1);
            options->name = value;
        } else {
            args_error(args, "unknown option '%s'", option);
        }
    }
    int count = 0;
    const char *word;
    if (args_text(args, "PROGRAM", &word) == 0)
        options->argv[count++] = (char *)word;
    while (args_more(args) && count < ARGS_MAX && args_text(args, "ARG", &word) == 0)
        options->argv[count++] = (char *)word;
    options->argv[count] = NULL;
    struct mem_info info;
    if (options->mem_bytes && meminfo(&info) == 0 &&
        options->mem_bytes > info.total_frames * info.page_size)
        args_error(args, "--mem %s is more than all of memory (%lu KiB)", options->mem_text,
                   (unsigned long)(info.total_frames * info.page_size / KIB));
}

/* In the child: says one line and ends, writing only pages it already owns. */
static _Noreturn void child_fails(int status, const char *what, int error)
{
    int length = snprintf(message, sizeof message, "group: %s: %s\n", what, strerror(error));
    write(STDERR_FILENO, message, (unsigned long)length);
    _exit(status);
}

static _Noreturn void run_child(const struct run_options *options)
{
    struct group_spec spec;
    memset(&spec, 0, sizeof spec);
    strlcpy(spec.name, options->name ? options->name : options->argv[0], sizeof spec.name);
    spec.cpu_weight = (uint32_t)options->cpu;
    spec.mem_limit_bytes = options->mem_bytes;
    /* Touch what the error path writes (this buffer, the stack below it)
     * while the pages still count against nobody. */
    snprintf(message, sizeof message, "group: %s: %s\n", options->argv[0], strerror(-ENOMEM));
    int id = group_create(&spec);
    if (id < 0)
        child_fails(1, "cannot make a group", id);
    int error = execv(options->argv[0], options->argv);
    if (error == -ENOMEM) {
        int length =
            snprintf(message, sizeof message,
                     "group: %s does not fit in the group's memory limit%s%s\n", options->argv[0],
                     options->mem_text ? " of " : "", options->mem_text ? options->mem_text : "");
        write(STDERR_FILENO, message, (unsigned long)length);
        _exit(126);
    }
    if (error == -ENOENT) {
        int length = snprintf(message, sizeof message, "group: %s: not found\n", options->argv[0]);
        write(STDERR_FILENO, message, (unsigned long)length);
        _exit(127);
    }
    child_fails(126, options->argv[0], error);
}

static int run(const struct run_options *options)
{
    stdout_flush();
    int pid = fork();
    if (pid < 0) {
        dprintf(STDERR_FILENO, "group: fork: %s\n", strerror(pid));
        return 1;
    }
    if (pid == 0)
        run_child(options);
    int status = 0;
    int result;
    while ((result = waitpid(pid, &status, 0)) == -EINTR)
        ; /* Ctrl-C reaches the program too (same pgid): wait for it */
    if (result < 0) {
        dprintf(STDERR_FILENO, "group: waitpid: %s\n", strerror(result));
        return 1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void print_pages(unsigned long pages)
{
    if (pages * 4 >= 10 * KIB)
        printf(" %7luM", pages * 4 / KIB);
    else
        printf(" %7luK", pages * 4);
}

static int list(void)
{
    struct group_info infos[32]; /* more than the kernel ever has */
    int count = group_list(infos, (int)(sizeof infos / sizeof infos[0]));
    if (count < 0) {
        dprintf(STDERR_FILENO, "group: %s\n", strerror(count));
        return 1;
    }
    printf("%3s %-15s %4s %8s %8s %7s %8s\n", "ID", "NAME", "CPU", "MEM-MAX", "MEM-USED", "MEMBERS",
           "CPU-MS");
    for (int i = 0; i < count; i++) {
        const struct group_info *g = &infos[i];
        printf("%3d %-15.*s %4u", g->id, GROUP_NAME_SIZE, g->name, g->cpu_weight);
        if (g->mem_limit_pages)
            print_pages((unsigned long)g->mem_limit_pages);
        else
            printf(" %8s", "none");
        print_pages((unsigned long)g->mem_used_pages);
        printf(" %7d %8lu\n", g->members, (unsigned long)g->cpu_ms);
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct args args;
    args_begin(&args, argc, argv,
               "run [--cpu WEIGHT] [--mem SIZE] [--name NAME] PROGRAM [ARG...] | ls",
               "run PROGRAM in a new container group (CPU weight 1-100, memory limit, own pids), "
               "or list the groups");
    const char *command = NULL;
    struct run_options options;
    memset(&options, 0, sizeof options);
    if (args_word(&args, "COMMAND (run or ls)", &command) == 0) {
        if (strcmp(command, "run") == 0)
            parse_run(&args, &options);
        else if (strcmp(command, "ls") != 0)
            args_error(&args, "unknown command '%s' (run or ls)", command);
    }
    if (args_finish(&args) < 0)
        return args.status;
    return strcmp(command, "ls") == 0 ? list() : run(&options);
}
