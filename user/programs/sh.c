/*
 * sh — Prism's shell: read a line, fork a child per command, exec, wait.
 *
 * This is the shell of OSTEP ch. 5. lib/shell_parse.c turns a line into jobs;
 * this file runs them. Each command is a fork() whose child rewires fds 0 and
 * 1 with dup2() for pipes and then execv()s the program; the parent closes its
 * copies of every pipe end (a reader sees end of file only when no writer is
 * left) and waits. A pipeline forms one process group, led by its first
 * command; both the child and the shell call setpgid(), so the group exists
 * whichever runs first. A foreground job's group is handed to set_foreground()
 * so Ctrl-C reaches it and not the shell; at the prompt Ctrl-C only drops the
 * typed line (read() fails with -EINTR; the kernel echoes "^C" and a newline,
 * so the shell prints nothing more). Background jobs ('&') get an empty
 * pipe as stdin, so they never steal the shell's input, and are reaped before
 * each prompt. Builtins (help, wait, exit) run inside the shell, even with '&';
 * inside a pipeline they run in the forked child. '< FILE' reopens a
 * command's stdin in the child.
 *
 * When stdin is the console the shell shows /etc/motd once, and at each
 * prompt it switches the tty to raw mode and edits the line itself with
 * lib/line_edit.c (arrows, Home/End, Delete, Ctrl-U/W/L, history, Tab
 * completion of program names; that header says why editing lives here). It
 * reads one byte per read(), so keys typed after Enter stay in the tty, and
 * switches back to canonical mode before it runs the line: type-ahead is then
 * the tty's, which Ctrl-C discards. Any other stdin (a pipe) is read in lines.
 */
#include "lib/line_edit.h"
#include "lib/shell_parse.h"
#include "lib/string.h"
#include "user/lib/args.h"
#include "user/lib/describe.h"
#include "user/lib/prism.h"
#include "user/lib/stdio.h"

#include <stdbool.h>

#define LINE_SIZE 1024 /* the longest line, its newline included */
#define MAX_BACKGROUND_JOBS 32
#define STATUS_NOT_FOUND 127
#define STATUS_CANNOT_RUN 126
#define STATUS_SYNTAX_ERROR 2
#define MAX_PROGRAM_NAMES 96
#define PROMPT "$ "

/* A background pipeline, reported once its last member has been reaped. */
struct background_job {
    int leader; /* pid of the first command and the group; 0 = a free slot */
    int pids[SHELL_MAX_COMMANDS];
    int member_count;
    int running;     /* members not yet reaped */
    int last_status; /* waitpid status of the pipeline's last command */
};

static struct background_job background_jobs[MAX_BACKGROUND_JOBS];
static int last_status; /* of the last foreground job, as a shell's $? (128 + signal if killed) */

/* ---- builtins ---------------------------------------------------------- */

static void reap_background_jobs(int options);

static const char *const builtin_names[] = {"help", "wait", "exit", NULL};

static bool is_builtin(const char *name)
{
    for (int i = 0; builtin_names[i] != NULL; i++)
        if (strcmp(name, builtin_names[i]) == 0)
            return true;
    return false;
}

/* The programs in the initrd's bin/, read once: they never change. */
static char program_names[MAX_PROGRAM_NAMES][LINE_EDIT_NAME_MAX];
static int program_count = -1;

static void load_program_names(void)
{
    if (program_count >= 0)
        return;
    program_count = 0;
    char name[128];
    for (int index = 0; readdir(index, name, sizeof name) >= 0; index++)
        if (strncmp(name, "bin/", 4) == 0 && program_count < MAX_PROGRAM_NAMES)
            strlcpy(program_names[program_count++], name + 4, LINE_EDIT_NAME_MAX);
}

static void print_programs(void)
{
    load_program_names();
    printf("Programs:");
    for (int i = 0; i < program_count; i++)
        printf(" %s", program_names[i]);
    putchar('\n');
}

static int builtin_help(void)
{
    puts("A line holds jobs separated by ';' (run, then wait) or '&' (run in the\n"
         "background); a job is commands joined by '|'; 'cmd < FILE' reads FILE.\n"
         "'Single' and \"double\" quotes group words; # starts a comment.\n"
         "Builtins: help, wait (for all background jobs), exit [CODE].\n"
         "Editing: Left/Right, Home/End, Backspace/Delete, Ctrl-U/K/W erase, Ctrl-L\n"
         "clears, Up/Down recall earlier lines, Tab completes a program name.\n"
         "Ctrl-C ends the foreground job and drops what was typed ahead;\n"
         "Ctrl-D on an empty line leaves the shell. Every program answers --help.");
    print_programs();
    return 0;
}

static int builtin_exit(const struct shell_command *command)
{
    long code = last_status;
    if (command->argc > 2) {
        dprintf(STDERR_FILENO, "sh: exit: too many arguments\n");
        return STATUS_SYNTAX_ERROR;
    }
    if (command->argc == 2) {
        char *end;
        code = strtol(command->argv[1], &end, 10);
        if (end == command->argv[1] || *end != '\0') {
            dprintf(STDERR_FILENO, "sh: exit: %s: not a number\n", command->argv[1]);
            return STATUS_SYNTAX_ERROR;
        }
    }
    exit((int)(code & 0xff));
}

static int run_builtin(const struct shell_command *command)
{
    bool is_exit = strcmp(command->argv[0], "exit") == 0;
    if (!is_exit && command->argc > 1) { /* help and wait take none: say so, do nothing */
        dprintf(STDERR_FILENO, "sh: %s: takes no arguments ('%s' given)\n", command->argv[0],
                command->argv[1]);
        return STATUS_SYNTAX_ERROR;
    }
    if (strcmp(command->argv[0], "help") == 0)
        return builtin_help();
    if (strcmp(command->argv[0], "wait") == 0) {
        reap_background_jobs(0);
        return 0;
    }
    return builtin_exit(command);
}

/* ---- starting a job ---------------------------------------------------- */

static void close_if_open(int fd)
{
    if (fd >= 0)
        close(fd);
}

/* A pipe's read end with its write end closed: reading it gives end of file. */
static int empty_input(void)
{
    int fds[2];
    if (pipe(fds) < 0)
        return -1; /* the job shares the console instead */
    close(fds[1]);
    return fds[0];
}

/* In the child: join the job's group, read stdin from input and write stdout
 * to pipe_fds[1] (-1: keep the shell's), and close every pipe end it holds. */
_Noreturn static void run_child(const struct shell_command *command, int group, int input,
                                int pipe_fds[2])
{
    /* LAB shell BEGIN: stub
    // TODO(shell): join the job's group, take stdin from input and stdout from
    // pipe_fds[1] when set (dup2, then close what is left), run a builtin or
    // execv the program; report "sh: NAME: not found" (127) or the error (126).
    (void)command;
    (void)group;
    (void)input;
    (void)pipe_fds;
    exit(STATUS_CANNOT_RUN);
    */
    setpgid(0, group); /* group 0: a new group led by this process */
    if (input >= 0) {
        dup2(input, STDIN_FILENO);
        close(input);
    }
    if (command->input != NULL) {
        int file = open(command->input, O_RDONLY);
        if (file < 0) {
            dprintf(STDERR_FILENO, "sh: %s: %s\n", command->input, strerror(file));
            exit(1);
        }
        dup2(file, STDIN_FILENO);
        close(file);
    }
    if (pipe_fds[1] >= 0) {
        dup2(pipe_fds[1], STDOUT_FILENO);
        close(pipe_fds[1]);
        close(pipe_fds[0]);
    }
    if (is_builtin(command->argv[0]))
        exit(run_builtin(command));
    int error = execv(command->argv[0], command->argv);
    if (error == -ENOENT) {
        dprintf(STDERR_FILENO, "sh: %s: not found\n", command->argv[0]);
        exit(STATUS_NOT_FOUND);
    }
    dprintf(STDERR_FILENO, "sh: %s: %s\n", command->argv[0], strerror(error));
    exit(STATUS_CANNOT_RUN);
    /* LAB shell END */
}

/* Forks every command of job, connected by pipes; fills pids (pids[0] leads
 * the group) and returns how many started, fewer if a pipe or fork failed. */
static int start_job(const struct shell_job *job, int pids[SHELL_MAX_COMMANDS])
{
    /* LAB shell BEGIN: stub
    // TODO(shell): fork each command of the job, connected by pipes; the
    // child calls run_child. Return how many started.
    (void)job;
    (void)pids;
    (void)empty_input;
    (void)close_if_open;
    (void)run_child;
    dprintf(STDERR_FILENO, "sh: running programs is not written yet (labs/shell)\n");
    return 0;
    */
    int input = job->background ? empty_input() : -1; /* read end for the next command */
    int group = 0;
    int started = 0;
    stdout_flush(); /* a child must not inherit, and print again, buffered text */
    for (int i = 0; i < job->command_count; i++) {
        int pipe_fds[2] = {-1, -1};
        int error = i + 1 < job->command_count ? pipe(pipe_fds) : 0;
        int pid = error < 0 ? error : fork();
        if (pid == 0)
            run_child(&job->commands[i], group, input, pipe_fds);
        close_if_open(input);
        close_if_open(pipe_fds[1]);
        input = pipe_fds[0];
        if (pid < 0) {
            dprintf(STDERR_FILENO, "sh: %s: %s\n", error < 0 ? "pipe" : "fork", strerror(pid));
            break;
        }
        group = group == 0 ? pid : group;
        setpgid(pid, group); /* may fail harmlessly if the child got there first */
        pids[started++] = pid;
    }
    close_if_open(input);
    return started;
    /* LAB shell END */
}

/* ---- waiting ----------------------------------------------------------- */

static int exit_code(int status)
{
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* "killed by signal 11 (SIGSEGV)", after prefix. */
static void print_killed(const char *prefix, int signal)
{
    const char *name = signal_name(signal);
    if (name != NULL)
        printf("%skilled by signal %d (%s)\n", prefix, signal, name);
    else
        printf("%skilled by signal %d\n", prefix, signal);
}

/* Waits for every member of a foreground job, then reports deaths by signal.
 * Ctrl-C needs no report: the kernel has already echoed "^C" and a newline. */
static void wait_for_foreground(const int pids[], int count)
{
    /* LAB shell BEGIN: stub
    // TODO(shell): hand Ctrl-C to the job, wait for every member, report a
    // death by signal, keep the last command's exit code in last_status.
    (void)pids;
    (void)count;
    (void)exit_code;
    */
    set_foreground(pids[0]);
    for (int i = 0; i < count; i++) {
        int status = 0;
        int result;
        do
            result = waitpid(pids[i], &status, 0);
        while (result == -EINTR);
        if (result < 0)
            continue;
        if (WIFSIGNALED(status) && WTERMSIG(status) != SIGINT)
            print_killed("", WTERMSIG(status));
        if (i == count - 1)
            last_status = exit_code(status);
    }
    set_foreground(0);
    /* LAB shell END */
}

static void report_background(int leader, int status)
{
    char prefix[16];
    snprintf(prefix, sizeof prefix, "[%d] ", leader);
    if (WIFSIGNALED(status))
        print_killed(prefix, WTERMSIG(status));
    else if (WEXITSTATUS(status) != 0)
        printf("[%d] exit %d\n", leader, WEXITSTATUS(status));
    else
        printf("[%d] done\n", leader);
}

/* Books one reaped background process; reports its job when it was the last. */
static void note_background_exit(int pid, int status)
{
    for (int j = 0; j < MAX_BACKGROUND_JOBS; j++) {
        struct background_job *job = &background_jobs[j];
        for (int i = 0; job->leader != 0 && i < job->member_count; i++) {
            if (job->pids[i] != pid)
                continue;
            if (i == job->member_count - 1)
                job->last_status = status;
            if (--job->running == 0) {
                report_background(job->leader, job->last_status);
                job->leader = 0;
            }
            return;
        }
    }
    report_background(pid, status); /* started when the job table was full */
}

/* Reaps finished children: with WNOHANG only those already done, with 0 all
 * of them (the wait builtin), until none is left. */
static void reap_background_jobs(int options)
{
    for (;;) {
        int status = 0;
        int pid = waitpid(-1, &status, options);
        if (pid <= 0)
            return;
        note_background_exit(pid, status);
    }
}

static void remember_background(const int pids[], int count)
{
    for (int j = 0; j < MAX_BACKGROUND_JOBS; j++) {
        struct background_job *job = &background_jobs[j];
        if (job->leader != 0)
            continue;
        *job = (struct background_job){.leader = pids[0], .member_count = count, .running = count};
        memcpy(job->pids, pids, (size_t)count * sizeof pids[0]);
        return;
    }
}

/* ---- the command loop -------------------------------------------------- */

static void run_job(const struct shell_job *job)
{
    const struct shell_command *first = &job->commands[0];
    if (job->command_count == 1 && is_builtin(first->argv[0])) {
        last_status = run_builtin(first);
        return;
    }
    int pids[SHELL_MAX_COMMANDS];
    /* LAB shell BEGIN: stub
    // TODO(shell): start the job; remember a background job and print [PID],
    // or wait for a foreground one.
    (void)remember_background;
    (void)wait_for_foreground;
    last_status = start_job(job, pids) > 0 ? 0 : STATUS_CANNOT_RUN;
    */
    int count = start_job(job, pids);
    if (count == 0) {
        last_status = STATUS_CANNOT_RUN;
    } else if (job->background) {
        remember_background(pids, count);
        printf("[%d]\n", pids[0]);
    } else {
        wait_for_foreground(pids, count);
    }
    /* LAB shell END */
}

static void run_line(const char *line)
{
    static struct shell_line parsed; /* about 34 KiB: too big for the stack */
    const char *error;
    if (shell_parse(line, &parsed, &error) < 0) {
        dprintf(STDERR_FILENO, "sh: %s\n", error);
        last_status = STATUS_SYNTAX_ERROR;
        return;
    }
    /* LAB shell BEGIN: stub
    // TODO(shell): run every job of the line in order (';' and '&' separate them)
    if (parsed.job_count > 0)
        run_job(&parsed.jobs[0]);
    */
    for (int j = 0; j < parsed.job_count; j++)
        run_job(&parsed.jobs[j]);
    /* LAB shell END */
}

/* Input arrives in whatever pieces read() returns (a line from the console,
 * any chunk from a pipe); pending holds what is read but not yet used. */
static char pending[LINE_SIZE];
static size_t pending_length;
static bool skipping_long_line; /* drop input up to the next newline */

/* Moves the next complete line out of pending into line (without its '\n'). */
static bool take_line(char line[LINE_SIZE])
{
    char *newline = memchr(pending, '\n', pending_length);
    if (newline == NULL)
        return false;
    size_t length = (size_t)(newline - pending);
    memcpy(line, pending, length);
    line[length] = '\0';
    pending_length -= length + 1;
    memmove(pending, newline + 1, pending_length);
    return true;
}

/* Reads one line into line: 1, or 0 at end of input, -E2BIG once a line too
 * long to hold has been skipped, -EINTR after Ctrl-C dropped the typed line. */
static long read_line(char line[LINE_SIZE])
{
    for (;;) {
        if (take_line(line)) {
            if (!skipping_long_line)
                return 1;
            skipping_long_line = false;
            return -E2BIG;
        }
        if (pending_length == LINE_SIZE) { /* full, and still no newline */
            pending_length = 0;
            skipping_long_line = true;
        }
        long count = read(STDIN_FILENO, pending + pending_length, LINE_SIZE - pending_length);
        if (count == -EINTR) {
            pending_length = 0;
            skipping_long_line = false;
        }
        if (count < 0)
            return count;
        if (count == 0 && pending_length == 0 && !skipping_long_line)
            return 0;
        if (count == 0) /* the last line lacks its newline: supply it */
            pending[pending_length++] = '\n';
        pending_length += (size_t)count;
    }
}

/* ---- the interactive prompt ------------------------------------------ */

static struct line_edit editor; /* about 66 KiB with its history */

static void editor_write(void *context, const char *text, size_t length)
{
    (void)context;
    write(STDOUT_FILENO, text, length);
}

/* Builtins first, then the programs in bin/. */
static bool editor_candidate(void *context, int index, char name[LINE_EDIT_NAME_MAX])
{
    (void)context;
    int builtins = (int)(sizeof builtin_names / sizeof builtin_names[0]) - 1;
    load_program_names();
    if (index < builtins)
        strlcpy(name, builtin_names[index], LINE_EDIT_NAME_MAX);
    else if (index - builtins < program_count)
        strlcpy(name, program_names[index - builtins], LINE_EDIT_NAME_MAX);
    else
        return false;
    return true;
}

/* Like read_line, from the console in raw mode through the line editor. */
static long read_edited_line(char line[LINE_SIZE])
{
    _Static_assert(LINE_EDIT_MAX < LINE_SIZE, "an edited line fits the shell's buffer");
    tty_raw(STDIN_FILENO, 1);
    line_edit_start(&editor, PROMPT);
    long result;
    for (;;) {
        char c;
        result = read(STDIN_FILENO, &c, 1);
        if (result <= 0)
            break; /* -EINTR: Ctrl-C, the kernel echoed "^C\n" */
        enum line_edit_result state = line_edit_feed(&editor, c);
        if (state == LINE_EDIT_END_OF_INPUT) {
            result = 0;
            break;
        }
        if (state == LINE_EDIT_DONE) {
            strlcpy(line, line_edit_text(&editor), LINE_SIZE);
            break;
        }
    }
    tty_raw(STDIN_FILENO, 0);
    return result;
}

static void show_motd(void)
{
    int fd = open("/etc/motd", O_RDONLY);
    if (fd < 0)
        return;
    char buffer[256];
    long count;
    while ((count = read(fd, buffer, sizeof buffer)) > 0)
        write(STDOUT_FILENO, buffer, (unsigned long)count);
    close(fd);
}

int main(int argc, char **argv)
{
    struct args args;
    args_begin(&args, argc, argv, "", "the shell: `help` at its prompt explains the rest");
    if (args_finish(&args) < 0)
        return args.status;
    static char line[LINE_SIZE];
    bool interactive = tty_raw(STDIN_FILENO, -1) >= 0;
    if (interactive) {
        struct line_edit_io io = {.write = editor_write, .candidate = editor_candidate};
        line_edit_init(&editor, &io);
        show_motd();
    }
    for (;;) {
        reap_background_jobs(WNOHANG);
        if (!interactive)
            printf(PROMPT);
        stdout_flush();
        long result = interactive ? read_edited_line(line) : read_line(line);
        if (result == -EINTR)
            continue; /* Ctrl-C at the prompt: the kernel echoed "^C\n" */
        if (result == -E2BIG) {
            dprintf(STDERR_FILENO, "sh: line too long (the limit is %d bytes)\n", LINE_SIZE - 1);
            continue;
        }
        if (result < 0) {
            dprintf(STDERR_FILENO, "sh: read: %s\n", strerror((int)result));
            return 1;
        }
        if (result == 0) {
            puts("exit");
            return last_status;
        }
        run_line(line);
    }
}
