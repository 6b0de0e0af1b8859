"""suite_student.py — what a student meets first, checked from the outside.

The shell's line editor (serial escape sequences and PS/2 keys through
QEMU's monitor), history, Ctrl-C discarding type-ahead, every program's
one-line complaint about bad arguments, ls/top/clear/'<', the motd, the
kernel command line's one message, `make help`, `make run` (no shell code
shown; TRACE=1 builds trace_report), compare-sched's relative paths, and
`make gdb` end to end
(gdb in batch mode stops the guest with Ctrl-C, breaks at context_switch,
steps, reads rip/rsp/rbp, and leaves no QEMU behind).
OSTEP ch. 5 (the shell), ch. 36 (terminals), and the course's tooling.
"""
import os
import re
import signal
import socket
import subprocess
import tempfile
import threading
import time

from qemu import BUILD, EXIT_SUCCESS, ROOT, Qemu, TestFailure
from system_tests import boot_to_shell, expect_status

LEFT, RIGHT, UP, DOWN = "\x1b[D", "\x1b[C", "\x1b[A", "\x1b[B"
HOME, END, DELETE = "\x1b[H", "\x1b[F", "\x1b[3~"
PROMPT = r"\$ "


def output_line(text):
    """A line the shell's command printed (a prompt may stand in front)."""
    return rf"(?m)^(?:\$ )?{text}$"


def type_line(vm, keys, output):
    """Types keys at a fresh prompt and waits for the command's output and the
    next prompt: keys typed before the prompt are the tty's type-ahead, where
    (as documented in kernel/tty.c) editing keys have no effect."""
    vm.send(keys)
    vm.expect(output_line(output))
    vm.expect(PROMPT)


def test_serial_line_editing(context):
    """Arrows, Home/End, Delete, Backspace, Ctrl-U/W/L and Tab, as a serial
    terminal sends them, edit the line the shell runs."""
    with boot_to_shell() as vm:
        type_line(vm, "echo abc" + LEFT + LEFT + "X\r", "aXbc")
        type_line(vm, "cho hiz" + HOME + "e" + END + "\x7f" + LEFT + LEFT + DELETE + "H\r", "Hi")
        type_line(vm, "echo one two three\x17\x17" + "four\r", "one four")
        type_line(vm, "junk junk\x15echo clean\r", "clean")
        type_line(vm, "ech\ttabbed\r", "tabbed")
        vm.send("\x0c")
        vm.expect(r"\x1b\[H\x1b\[2J\$ ")
        type_line(vm, "echo " + RIGHT + "\x1b[5~\x1b[1;5Cok\r", "ok")  # unknown keys: nothing
        if "[D" in vm.output or "[A" in vm.output:
            raise TestFailure("an escape sequence reached the line:\n" + vm.tail())


def test_over_long_line_is_refused_visibly(context):
    with boot_to_shell() as vm:
        vm.send("echo " + "x" * 1100)
        vm.expect(r"line full: a line holds at most 1023 characters")
        vm.send("\x15echo short\r")
        vm.expect(output_line("short"))


def test_history_recall(context):
    with boot_to_shell() as vm:
        vm.send("echo first\r")
        vm.expect(output_line("first"))
        vm.expect(PROMPT)
        vm.send("echo second\r")
        vm.expect(output_line("second"))
        vm.expect(PROMPT)
        vm.send(UP + UP + "\r")
        vm.expect(output_line("first"))
        vm.expect(PROMPT)
        vm.send(UP + UP + UP + DOWN + "!\r")  # newest is now "echo first"
        vm.expect(output_line("second!"))


def send_keys(connection, keys):
    for key in keys:
        connection.sendall(f"sendkey {key}\n".encode())


def vga_rows(monitor):
    """The VGA text screen (80x25 cells at 0xb8000) as 25 strings, read with
    the monitor's `xp`: what a student sees in the GUI window."""
    monitor.settimeout(30)
    monitor.sendall(b"xp /2000hx 0xb8000\n")
    text = ""
    cells = []
    while len(cells) < 2000:
        chunk = monitor.recv(65536)
        if not chunk:
            raise TestFailure("the monitor closed while reading the screen")
        text += chunk.decode("ascii", "replace")
        lines = [line for line in text.split("\n") if re.match(r"\s*[0-9a-f]+: ", line)]
        cells = [int(cell, 16) for line in lines for cell in
                 re.findall(r"0x([0-9a-f]{4})", line.split(":", 1)[1])]
    characters = "".join(chr(cell & 0xff) if 32 <= cell & 0xff < 127 else " " for cell in cells)
    return [characters[row * 80:(row + 1) * 80].rstrip() for row in range(25)]


def test_ps2_editing_keys(context):
    """The PS/2 keyboard's arrows, Home, End, Delete, Tab, Ctrl-W and Ctrl-U
    edit the line the same way (keyboard.c turns them into the serial
    sequences and control bytes), and the VGA
    screen shows the edited line and clears on Ctrl-L (vga.c)."""
    directory = tempfile.mkdtemp(prefix="prism-monitor-")
    path = os.path.join(directory, "monitor.sock")
    with Qemu("", monitor=f"unix:{path},server,nowait") as vm:
        vm.expect(PROMPT, timeout=30)
        monitor = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        monitor.connect(path)  # kept open: QEMU drops what a closed client sent
        send_keys(monitor, ["e", "c", "h", "o", "spc", "a", "b", "c", "left", "left", "x"])
        vm.expect(r"echo abc\x08\x08xbc\x08\x08")  # the editor's echo, cursor back on b
        if "$ echo axbc" not in vga_rows(monitor):  # mid-line: '\b' must not erase
            raise TestFailure("the VGA screen shows the line being edited wrongly:\n"
                              + "\n".join(vga_rows(monitor)))
        send_keys(monitor, ["ret"])
        vm.expect(output_line("axbc"))
        vm.expect(PROMPT)
        send_keys(monitor, ["c", "h", "o", "spc", "z", "h", "i", "home", "e", "right", "right",
                         "right", "right", "delete", "end", "shift-1", "ret"])
        vm.expect(output_line("hi!"))
        vm.expect(PROMPT)
        send_keys(monitor, ["up", "up", "ret"])
        vm.expect(output_line("axbc"))
        vm.expect(PROMPT)
        rows = vga_rows(monitor)
        if "$ echo axbc" not in rows or "$ echo hi!" not in rows:
            raise TestFailure("the VGA screen shows the edited lines wrongly:\n" + "\n".join(rows))
        # Tab, Ctrl-W and Ctrl-U from the keyboard: keyboard.c's '\t' and Ctrl+letter.
        send_keys(monitor, ["e", "c", "h", "tab", "x", "y", "ctrl-w", "o", "k", "ret"])
        vm.expect(output_line("ok"))
        vm.expect(PROMPT)
        send_keys(monitor, ["j", "u", "n", "k", "ctrl-u", "e", "c", "h", "o", "spc", "z", "z",
                            "ret"])
        vm.expect(output_line("zz"))
        vm.expect(PROMPT)
        send_keys(monitor, ["ctrl-l"])
        vm.expect(r"\x1b\[H\x1b\[2J\$ ")
        rows = vga_rows(monitor)
        if rows[0] != "$" or any(rows[1:]):
            raise TestFailure("Ctrl-L did not clear the VGA screen:\n" + "\n".join(rows))
        monitor.close()


def test_ctrl_c_discards_type_ahead(context):
    """Lines typed while a foreground job runs are gone after Ctrl-C."""
    with boot_to_shell() as vm:
        vm.send("cpu F\r")
        vm.expect(output_line("F"), timeout=20)
        start = len(vm.output)
        vm.send("echo typed\recho ahead\r\x03")
        vm.expect(r"\^C")
        vm.send("echo after\r")
        vm.expect(output_line("after"), timeout=20)
        ran = [line for line in ("typed", "ahead")
               if re.search(output_line(line), vm.output[start:])]
        if ran:
            raise TestFailure(f"type-ahead ran after Ctrl-C: {ran}\n" + vm.tail())


# (command line, what its one-line complaint must say); each must exit 2.
BAD_ARGUMENTS = [
    ("mem abc", r"mem: 'abc' is not a number"),
    ("pagewalk 2 zz", r"pagewalk: 'zz' is not an address"),
    ("vmmap abc", r"vmmap: 'abc' is not a number"),
    ("ps -x", r"ps: unknown option '-x'"),
    ("ps 1", r"ps: unexpected argument '1'"),
    ("free -m", r"free: unknown option '-m'"),
    ("cpu A x", r"cpu: 'x' is not a number"),
    ("cpu", r"cpu: missing STR"),
    ("kill -XY 3", r"kill: 'XY' is not a signal"),
    ("kill", r"kill: missing PID"),
    ("nice 1 99", r"nice: VALUE 99 is out of range \(-20 to 19\)"),
    ("tickets 1", r"tickets: missing VALUE"),
    ("sleep soon", r"sleep: 'soon' is not a number of seconds"),
    ("top x", r"top: 'x' is not a number"),
    ("sched a b", r"sched: unexpected argument 'b'"),
    ("fault nope", r"fault: 'nope' is not a kind of fault"),
    ("clear now", r"clear: unexpected argument 'now'"),
    ("ls -l", r"ls: unknown option '-l'"),
    ("memhog 2 sideways", r"memhog: 'sideways' is not a pattern"),
    ("memhog 1 seq 3 4", r"memhog: unexpected argument '4'"),
    ("pageref 3 1 x", r"pageref: 'x' is not a number \(PAGE\)"),
    ("pageref 0 1", r"pageref: FRAMES 0 is out of range \(1 to 512\)"),
    ("pinfo -a", r"pinfo: unknown option '-a'"),
    ("replace lru fifo", r"replace: unexpected argument 'fifo'"),
    ("vmstat 1 x", r"vmstat: 'x' is not a number"),
    ("vmstat 1 2 3", r"vmstat: unexpected argument '3'"),
    ("bench --ready", r"bench: --ready needs a count from 0 to \d+"),
    ("bench nosuchrow", r"bench: no row or option nosuchrow"),
    ("workload", r"workload: missing FILE"),
    ("workload convoy extra", r"workload: unexpected argument 'extra'"),
    ("expect 1 soon", r"expect: 'soon' is not a whole number of ms"),
    ("expect x 5", r"expect: 'x' is not a number"),
    ("cputest nosuch x", r"cputest: unexpected argument 'x'"),
    ("proctest nosuch", r"proctest: unknown mode 'nosuch'"),
    ("waittest now", r"waittest: unexpected argument 'now'"),
    ("schedtest -v", r"schedtest: unknown option '-v'"),
    ("pinfotest 1", r"pinfotest: unexpected argument '1'"),
    ("cat -x /etc/motd", r"cat: unknown option '-x'"),  # the loop over the rest must end
    ("grouptest zz", r"grouptest: unknown case 'zz'"),
    ("init now", r"init: unexpected argument 'now'"),
]

# (program, what its --help line must start with); each must exit 0.
HELP_LINES = [
    ("ps", r"list every process"),
    ("memhog", r"touch MIB mebibytes"),
    ("pageref", r"touch the pages in the order given"),
    ("pinfo", r"every process's scheduling record"),
    ("replace", r"show the page-replacement policy"),
    ("vmstat", r"memory and swap counters"),
    ("bench", r"cycles per operation"),
    ("workload", r"run the jobs a workload file describes"),
    ("expect", r"tell the kernel PID's next CPU burst"),
    ("cputest", r"the in-guest test of each process's own CPU state"),
    ("proctest", r"the in-guest test of processes"),
    ("waittest", r"the in-guest test of waiting"),
    ("schedtest", r"the in-guest test of every policy"),
    ("pinfotest", r"the in-guest test of getpinfo"),
    ("memtest", r"the in-guest test of virtual memory"),
    ("cat", r"copy each FILE"),  # cat and echo loop over their words: --help must end it
    ("echo", r"print the words"),
    ("init", r"process 1, started by the kernel"),
    ("grouptest", r"check pids, heap and fork"),
]


def expect_exit(vm, command, wanted):
    """The status the shell's `exit` passed on to init's report must be wanted."""
    vm.expect(r"shell exited \(status (\d+)\)")
    status = re.findall(r"shell exited \(status (\d+)\)", vm.output)[-1]
    if status != wanted:
        raise TestFailure(f"{command}: exit status {status}, wanted {wanted}")
    vm.expect(PROMPT)


def test_bad_arguments_say_what_is_wrong(context):
    """Each program names what is wrong in one line with its usage, and
    exits 2 (the shell's `exit` passes the status on to init's report)."""
    with boot_to_shell() as vm:
        for command, message in BAD_ARGUMENTS:
            vm.send(f"{command} ; exit\r")
            vm.expect(rf"(?m)^{message}.* \(usage: {command.split()[0]}[^)\n]*\)$")
            expect_exit(vm, command, "2")
        for program, summary in HELP_LINES:
            vm.send(f"{program} --help ; exit\r")
            vm.expect(rf"(?m)^usage: {program}[^\n]*\n  {summary}")
            expect_exit(vm, f"{program} --help", "0")


def test_runtime_refusals_name_the_way_out(context):
    """Arguments that parse but cannot work: the message says why and what
    to do instead, and the program exits non-zero."""
    with boot_to_shell() as vm:
        vm.send("nice 1 5\r")
        vm.expect(r"nice: the rr policy has no nice value \(policies with one: prio cfs;")
        vm.send("tickets 1 5\r")
        vm.expect(r"tickets: the rr policy has no tickets value \(policies with one: "
                  r"lottery stride;")
        vm.send("sched nope\r")
        vm.expect(r"sched: 'nope' is not a policy \(the policies: rr fifo prio mlfq")
        vm.send("ls /nope ; exit\r")
        vm.expect(r"ls: /nope: no such file or directory")
        vm.expect(r"shell exited \(status 1\)")
        vm.expect(PROMPT)
        vm.send("init ; exit\r")  # from a shell it would only nest another shell
        vm.expect(r"init: only the kernel starts init, as process 1 \(this is process \d+\); "
                  r"for a new shell type sh")
        vm.expect(r"shell exited \(status 1\)")
        vm.expect(PROMPT)
        for builtin, argument in (("wait", "5"), ("help", "me")):
            vm.send(f"{builtin} {argument} ; exit\r")
            vm.expect(rf"sh: {builtin}: takes no arguments \('{argument}' given\)\n")
            vm.expect(r"shell exited \(status 2\)")
            vm.expect(PROMPT)
        vm.send("pagewalk 1 0\r")
        vm.expect(r"PD +index +0  table 0x[0-9a-f]{8}  entry 0x0{16}  -> not present")
        vm.expect(r"not mapped: no region holds it")


def test_motd_ls_redirection_clear_and_top(context):
    with boot_to_shell() as vm:
        banner = vm.output[:vm.output.find("$ ")]
        if "Welcome to Prism" not in banner:
            raise TestFailure("no motd before the first prompt:\n" + vm.tail())
        vm.send("ls /etc\r")
        vm.expect(PROMPT)
        vm.send("echo listed\r")
        vm.expect(output_line("listed"))
        section = vm.output[vm.output.rfind("ls /etc"):vm.output.rfind("echo listed")]
        if "etc/motd" not in section or "bin/sh" in section:
            raise TestFailure("ls /etc listed the wrong files:\n" + section)
        vm.send("cat < /etc/motd\r")
        vm.expect(output_line("Welcome to Prism.*"))
        vm.send("echo hi > out\r")
        vm.expect(r"sh: cannot redirect output \('>'\): Prism's files are read-only")
        vm.send("clear\r")
        vm.expect(r"\x1b\[H\x1b\[2J")
        vm.send("top\r")
        vm.expect(r"top - up \d+ s", timeout=20)
        vm.send("q")
        vm.expect(PROMPT, timeout=20)
        vm.send("echo back\r")
        vm.expect(output_line("back"))


def test_cmdline_problem_reported_once(context):
    with Qemu("test=boot hz=5") as vm:
        vm.expect(r"timer: 100 Hz")
        expect_status(vm, EXIT_SUCCESS)
        lines = [line for line in vm.output.splitlines()
                 if "hz=5" in line and not line.startswith("command line:")]
        if len(lines) != 1 or not re.fullmatch(r"cmdline: hz=5 is out of range \d+\.\.\d+; "
                                                r"using 100", lines[0]):
            raise TestFailure(f"hz=5 reported as {lines}")


def test_make_help(context):
    result = subprocess.run(["make", "--no-print-directory", "-C", ROOT, "help"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            timeout=60)
    if result.returncode != 0:
        raise TestFailure("make help failed:\n" + result.stdout)
    for word in ["make run", "make check", "make gdb", "make console", "make help",
                 "make bench", "make bench-boot", "make compare-sched", "SCHED=", "KARGS=",
                 "KVM=1", "GUI=1", "TRACE=1", "MEM=", "DEBUG=1"]:
        if word not in result.stdout:
            raise TestFailure(f"make help does not mention {word}:\n" + result.stdout)


def test_make_run_shows_no_shell_code(context):
    """`make run` as a student types it: its own lines are words for people
    (no recipe echoed: no qemu-system command line, no `status=$$?`), the
    kernel reaches the prompt, and Ctrl-A x ends QEMU with make succeeding."""
    make = subprocess.Popen(["make", "--no-print-directory", "-C", ROOT, "run"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    chunks = []
    reader = threading.Thread(target=lambda: chunks.extend(iter(lambda: make.stdout.read1(4096), b"")),
                              daemon=True)
    reader.start()
    try:
        wait_for(lambda: b"\n$ " in b"".join(chunks), 120, "the shell prompt under make run")
        make.stdin.write(b"\x01x")  # QEMU's -serial mon:stdio: Ctrl-A x quits
        make.stdin.flush()
        status = make.wait(timeout=60)
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait()
    reader.join(10)
    output = b"".join(chunks).decode("utf-8", "replace")
    before_boot = output[:output.find("\nPrism ")]  # the kernel banner
    shell_code = [line for line in before_boot.splitlines()
                  if re.search(r"qemu-system|status=|\$\$|\$\?|; *\\$|^\s*(if|\[) ", line)]
    if status != 0 or shell_code or "Booting Prism in QEMU" not in before_boot:
        raise TestFailure(f"make run: status {status}, shell code shown: {shell_code}\n"
                          + output[:1500])


def test_make_run_trace_builds_trace_report(context):
    """`make run TRACE=1` on a fresh tree builds the tool the README's next
    command runs (build/tools/trace_report); without TRACE=1 it need not.
    make -n into an empty BUILD shows what would be built, and runs nothing."""
    with tempfile.TemporaryDirectory(prefix="prism-build-") as build:
        for trace, wanted in (("TRACE=1", True), ("TRACE=0", False)):
            result = subprocess.run(["make", "--no-print-directory", "-C", ROOT, "-n", "run",
                                     trace, f"BUILD={build}"], stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True, timeout=120)
            built = f"HOSTCC  {build}/tools/trace_report" in result.stdout
            if result.returncode != 0 or built != wanted:
                raise TestFailure(f"make -n run {trace}: trace_report built: {built}, "
                                  f"wanted {wanted}:\n" + result.stdout[-2000:])
        if os.listdir(build):
            raise TestFailure(f"make -n run wrote into {build}: {os.listdir(build)}")


def test_compare_sched_table_uses_relative_paths(context):
    """compare-sched's Markdown table names each trace as build/..., so the
    file reads the same on any machine (the relative paths of issue 11)."""
    table = os.path.join(BUILD, "compare-equal.md")
    if os.path.exists(table):
        os.remove(table)
    result = subprocess.run([os.path.join(ROOT, "tools", "compare_sched.py"), "--workload", "equal",
                             "--policies", "fifo", "--report",
                             context.trace_report or os.path.join(BUILD, "tools", "trace_report")],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            timeout=300)
    text = read_text(table)
    if result.returncode != 0 or "| build/trace-equal-fifo.log | fifo |" not in text:
        raise TestFailure("no row for build/trace-equal-fifo.log:\n" + result.stdout + text)
    if ROOT in text or ROOT in result.stdout:
        raise TestFailure(f"an absolute path ({ROOT}) in compare-sched's output:\n"
                          + result.stdout + text)


def test_host_tools_bad_arguments(context):
    """The host tools the README names, given a wrong argument, say what is
    wrong on their first line and exit non-zero; --help succeeds."""
    tools = os.path.join(BUILD, "tools")
    cases = [  # (command, wanted status, what the first line must say)
        ([context.trace_report or os.path.join(tools, "trace_report"), "/nope.log"], 1,
         r"trace_report: cannot read /nope\.log"),
        ([context.trace_report or os.path.join(tools, "trace_report")], 2,
         r"trace_report: no trace file given"),
        ([os.path.join(tools, "bench_pick"), "zz"], 2, r"bench_pick: zz: want up to 16 counts"),
        ([os.path.join(tools, "bench_pick"), "--help"], 0, r"usage: bench_pick"),
        ([context.mksymtab or os.path.join(tools, "mksymtab"), "zz"], 2,
         r"mksymtab: unexpected argument 'zz' \(usage: nm"),
        ([context.mksymtab or os.path.join(tools, "mksymtab"), "--help"], 0, r"usage: nm"),
        (["python3", os.path.join(ROOT, "tools", "console.py"), "/nope.sock"], 1,
         r"console: cannot connect to /nope\.sock"),
        (["python3", os.path.join(ROOT, "tools", "compare_sched.py"), "--report", "x",
          "--policies", "nope"], 1, r"compare-sched: unknown policy nope"),
    ]
    for command, wanted, first_line in cases:
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, text=True, timeout=60)
        shown = " ".join(os.path.basename(word) for word in command)
        if result.returncode != wanted or not re.match(first_line, result.stdout):
            raise TestFailure(f"{shown}: status {result.returncode} (wanted {wanted}):\n"
                              + result.stdout[:500])


def test_make_bad_swap_size_changes_nothing(context):
    """SWAP=abc (make run, make gdb, make swap-image) is refused in one line
    and the swap image already there is left as it was."""
    with tempfile.TemporaryDirectory(prefix="prism-build-") as build:
        image = os.path.join(build, "swap.img")
        with open(image, "wb") as handle:
            handle.truncate(4096)
        result = subprocess.run(["make", "--no-print-directory", "-C", ROOT, "swap-image",
                                 "SWAP=abc", f"BUILD={build}"], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, timeout=60)
        size = os.path.getsize(image) if os.path.exists(image) else None
        if (result.returncode == 0 or size != 4096 or
                not result.stdout.startswith("make: SWAP=abc is not a size")):
            raise TestFailure(f"make swap-image SWAP=abc: status {result.returncode}, image "
                              f"size {size}:\n" + result.stdout)


def free_port():
    with socket.socket() as probe:
        probe.bind(("localhost", 0))
        return probe.getsockname()[1]


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TestFailure(f"timed out waiting for {what}")
        time.sleep(0.2)  # polling files another process writes: no event to wait on


def read_text(path):
    try:
        with open(path, errors="replace") as handle:
            return handle.read()
    except FileNotFoundError:
        return ""


def kill_gdb_qemu():
    """After a failed gdb test: the QEMU make gdb daemonized runs in its own
    session, so killing make's group leaves it; end it from its pid file."""
    pidfile = os.path.join(BUILD, "gdb-qemu.pid")
    text = read_text(pidfile).strip()
    if text.isdigit():
        try:
            os.kill(int(text), signal.SIGKILL)
        except ProcessLookupError:
            pass
    for path in (pidfile, os.path.join(BUILD, "gdb-serial.sock")):
        if os.path.exists(path):
            os.remove(path)


def test_make_gdb_closed_terminal_stops_qemu(context):
    """Closing the terminal (SIGHUP to make gdb's group) or killing it
    (SIGTERM) while gdb lets the guest run ends QEMU too, instead of leaving
    it for the next make gdb to trip over."""
    for signal_number in (signal.SIGHUP, signal.SIGTERM):
        out_path = os.path.join(tempfile.mkdtemp(prefix="prism-gdb-"), "gdb.out")
        with open(out_path, "w") as out:
            make = subprocess.Popen(["make", "--no-print-directory", "-C", ROOT, "gdb",
                                     f"GDB_PORT={free_port()}", "GDB_ARGS=-batch -ex continue"],
                                    stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            wait_for(lambda: "QEMU (pid" in read_text(out_path), 120, "make gdb to start QEMU")
            pid = int(re.search(r"QEMU \(pid (\d+)\)", read_text(out_path)).group(1))
            os.killpg(make.pid, signal_number)
            make.wait(timeout=60)
            wait_for(lambda: not os.path.exists(f"/proc/{pid}") or
                     read_text(f"/proc/{pid}/stat").split(" ")[2:3] == ["Z"], 30,
                     f"QEMU (pid {pid}) to end after {signal_number.name}")
        finally:
            if make.poll() is None:
                os.killpg(make.pid, signal.SIGKILL)
                make.wait()
            kill_gdb_qemu()


def test_make_gdb_batch(context):
    """make gdb with gdb in batch mode: the terminal's Ctrl-C (SIGINT to the
    whole foreground group) stops the guest instead of killing QEMU; a break
    at context_switch, one stepi (push rbp: rsp drops by 8), rip/rsp/rbp
    read; the guest console takes keys through `make console`, which ends
    when QEMU does; QEMU ends with gdb."""
    log = os.path.join(BUILD, "gdb-serial.log")
    if os.path.exists(log):
        os.remove(log)
    directory = tempfile.mkdtemp(prefix="prism-gdb-")
    script = os.path.join(directory, "commands.gdb")
    with open(script, "w") as handle:
        # Under load QEMU's gdbstub now and then answers a stepi from a
        # breakpoint by reporting that breakpoint again, at the same pc, with
        # nothing executed (seen once in ~20 runs); stepping again then runs
        # push rbp. A bounded loop keeps the check exact without that flake.
        handle.write("continue\nbreak context_switch\ncontinue\ninfo registers rip rsp rbp\n"
                     "stepi\nset $tries = 0\n"
                     "while $pc == (long) context_switch && $tries < 3\n"
                     "  stepi\n  set $tries = $tries + 1\nend\n"
                     "info registers rip rsp rbp\n")
    commands = f"-batch -x {script}"
    out_path = os.path.join(directory, "gdb.out")
    with open(out_path, "w") as out:
        make = subprocess.Popen(["make", "--no-print-directory", "-C", ROOT, "gdb",
                                 f"GDB_PORT={free_port()}", f"GDB_ARGS={commands}"],
                                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    try:
        wait_for(lambda: "$ " in read_text(log), 120, "the guest's shell prompt")
        os.killpg(make.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        wait_for(lambda: "SIGINT" in read_text(out_path), 60, "gdb to stop the guest")
        # The second terminal: `make console` (tools/console.py) on the socket.
        console = subprocess.Popen(["make", "--no-print-directory", "-C", ROOT, "console"],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        console.stdin.write(b"echo hi\r")  # the shell wakes: a context switch
        console.stdin.flush()
        make.wait(timeout=120)
        console_output = console.communicate(timeout=60)[0].decode("utf-8", "replace")
    finally:
        for process in [make] + ([console] if "console" in locals() else []):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        kill_gdb_qemu()
    if "console: connected" not in console_output or "console: closed" not in console_output:
        raise TestFailure("make console did not connect, or did not end with QEMU:\n"
                          + console_output)
    output = read_text(out_path)
    pid = re.search(r"QEMU \(pid (\d+)\)", output)
    if not pid:
        raise TestFailure("make gdb did not start QEMU:\n" + output)
    if "Breakpoint 1, context_switch" not in output:
        raise TestFailure("no stop at context_switch:\n" + output)
    registers = re.findall(r"(?m)^(rip|rsp|rbp) +(0x[0-9a-f]+)", output)
    if len(registers) != 6:
        raise TestFailure("rip, rsp and rbp not read twice:\n" + output)
    before, after = dict(registers[:3]), dict(registers[3:])
    if int(after["rsp"], 16) != int(before["rsp"], 16) - 8 or after["rip"] == before["rip"]:
        raise TestFailure(f"stepi over push rbp: before {before}, after {after}")
    try:
        os.kill(int(pid.group(1)), 0)
    except ProcessLookupError:
        pass
    else:
        os.kill(int(pid.group(1)), signal.SIGKILL)
        raise TestFailure(f"QEMU (pid {pid.group(1)}) was left running after gdb ended")
    if os.path.exists(os.path.join(BUILD, "gdb-qemu.pid")):
        raise TestFailure("make gdb left its pid file behind")


def make_gdb_batch(port):
    """`make gdb` with a gdb that has nothing to do; its output and status."""
    return subprocess.run(["make", "--no-print-directory", "-C", ROOT, "gdb", f"GDB_PORT={port}",
                           "GDB_ARGS=-batch"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, stdin=subprocess.DEVNULL, timeout=120)


def test_make_gdb_refuses_a_stale_qemu(context):
    """A live pid in build/gdb-qemu.pid (a QEMU from an earlier session), or a
    taken port, is reported with what to do, and nothing is started."""
    pidfile = os.path.join(BUILD, "gdb-qemu.pid")
    stale = subprocess.Popen(["sleep", "600"])  # stands in for the stale QEMU
    try:
        with open(pidfile, "w") as handle:
            handle.write(f"{stale.pid}\n")
        result = make_gdb_batch(free_port())
        if result.returncode == 0 or f"still running (pid {stale.pid})" not in result.stdout:
            raise TestFailure("a stale QEMU was not reported:\n" + result.stdout)
        if "QEMU (pid" in result.stdout:
            raise TestFailure("make gdb started a QEMU anyway:\n" + result.stdout)
        if stale.poll() is not None:
            raise TestFailure("make gdb killed the process it should only report")
    finally:
        stale.kill()
        stale.wait()
        if os.path.exists(pidfile):
            os.remove(pidfile)
    with socket.socket() as taken:
        taken.bind(("localhost", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = make_gdb_batch(port)
    if result.returncode == 0 or f"already listening on port {port}" not in result.stdout:
        raise TestFailure("a taken port was not reported:\n" + result.stdout)


ALL_TESTS = [
    test_serial_line_editing,
    test_over_long_line_is_refused_visibly,
    test_history_recall,
    test_ps2_editing_keys,
    test_ctrl_c_discards_type_ahead,
    test_bad_arguments_say_what_is_wrong,
    test_runtime_refusals_name_the_way_out,
    test_motd_ls_redirection_clear_and_top,
    test_cmdline_problem_reported_once,
    test_make_help,
    test_host_tools_bad_arguments,
    test_make_bad_swap_size_changes_nothing,
    test_make_run_shows_no_shell_code,
    test_make_run_trace_builds_trace_report,
    test_compare_sched_table_uses_relative_paths,
    test_make_gdb_batch,
    test_make_gdb_refuses_a_stale_qemu,
    test_make_gdb_closed_terminal_stops_qemu,
]
