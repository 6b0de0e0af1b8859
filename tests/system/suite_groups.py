"""suite_groups.py — container groups (`group run`, kernel/group/) seen from the shell.

A program run in a group sees pids from 1 and only its group's members;
the outside sees real pids and a GROUP column in ps; a group's memory limit
stops its members (sbrk and fork get ENOMEM, a fault past it kills the
faulting process with one line) while a process outside allocates more than
that limit; no frame stays charged or lost once the group ends; two groups
at --cpu 75 and --cpu 25 split the CPU 3:1, measured from the trace; and
every bad option is refused in one line with a non-zero status.
OSTEP ch. 4-5 (pids), ch. 9 (proportional share), ch. 13 (memory).
"""
import os
import re
import subprocess
import tempfile

from qemu import Qemu, TestFailure
from system_tests import boot_to_shell

PROMPT = r"\n\$ "
FREE_LINE = (r"frames: \d+ total, (\d+) used, \d+ free.*\n"
             r"kernel: heap (\d+) bytes in use \((\d+) frames\), page tables (\d+) frames")


def run(vm, command, pattern=None, timeout=60):
    """Types command; returns its output up to the next prompt (checked for pattern)."""
    start = len(vm.output)
    vm.send(command + "\r")
    vm.expect(PROMPT, timeout=timeout)
    output = vm.output[start:]
    if pattern and not re.search(pattern, output):
        raise TestFailure(f"`{command}` did not print {pattern!r}:\n{output}")
    return output


def user_frames(vm):
    """Frames in use that are not the kernel heap's or its page tables' (which
    it keeps for reuse), and the heap's bytes in use: both must come back."""
    match = re.search(FREE_LINE, run(vm, "free"))
    if not match:
        raise TestFailure("free printed no frames line:\n" + vm.tail())
    used, heap_bytes, heap_frames, tables = (int(group) for group in match.groups())
    return used - heap_frames - tables, heap_bytes


def no_groups_left(vm):
    listing = run(vm, "group ls")
    rows = [line for line in listing.splitlines()[2:] if re.match(r"^ *\d+ ", line)]
    if rows:
        raise TestFailure("a group outlived its members:\n" + listing)


def test_group_pids_inside_and_outside(context):
    """Inside: getpid 1, the child 2 (getppid 1), fork and waitpid say 2,
    kill/setparam of outside pids are ESRCH, ps and getpinfo (pinfo) list
    only the members. Outside: ps shows the member's real pid, its parent and
    the GROUP column; pinfo lists init and the member by its real pid."""
    with boot_to_shell() as vm:
        output = run(vm, "group run grouptest pids")
        if "FAILED" in output or "grouptest: ok" not in output:
            raise TestFailure("inside the group:\n" + output)
        if not re.search(r"grouptest: child getpid 2 getppid 1", output):
            raise TestFailure("the child did not see pids 2 and 1:\n" + output)
        listing = run(vm, "group run ps")
        rows = [line for line in listing.splitlines() if re.match(r"^ *\d+ ", line)]
        if len(rows) != 1 or not re.match(r"^ +1 +0 .* ps +ps$", rows[0]):
            raise TestFailure("ps inside a group lists more than itself as pid 1:\n" + listing)
        listing = run(vm, "group run pinfo")
        rows = [line for line in listing.splitlines() if re.match(r"^ +\d+ +[A-Z]+ ", line)]
        if len(rows) != 1 or not re.match(r"^ +1 +RUNNING +\d+ +\d+ +pinfo$", rows[0]):
            raise TestFailure("pinfo inside a group lists more than itself as pid 1:\n" + listing)
        vm.send("group run --name spin cpu X &\r")
        job = vm.expect(r"\[(\d+)\]").group(1)
        vm.expect(PROMPT)
        listing = run(vm, "ps")
        member = re.search(rf"(?m)^ *(\d+) +{job} +{job} +(READY|RUNNING|BLOCKED) .* spin +cpu$",
                           listing)
        if not member or not re.search(r"(?m)^ +PID .* GROUP +NAME$", listing):
            raise TestFailure(f"ps outside: no GROUP column or no member of group run {job}:\n"
                              + listing)
        real = member.group(1)
        if real == "1":
            raise TestFailure("ps outside shows the member's pid inside (1):\n" + listing)
        table = run(vm, "pinfo")
        if not re.search(rf"(?m)^ +{real} +(READY|RUNNING|BLOCKED) +\d+ +\d+ +cpu$", table) or \
                not re.search(r"(?m)^ +1 .* init$", table):
            raise TestFailure(f"pinfo outside does not show init and pid {real}:\n" + table)
        if not re.search(rf"(?m)^ *{job} +\d+ +{job} +\S+ .* - +group$", listing):
            raise TestFailure("the group command itself is not in the root group:\n" + listing)
        run(vm, "group ls", r"(?m)^ +\d+ spin +100 +none +\d+K +1 ")
        run(vm, f"kill {real} ; wait", rf"\[{job}\] exit 143")  # group passes the signal on
        no_groups_left(vm)


def test_group_memory_limit_inside_only(context):
    """--mem 4M: sbrk of 8 MiB is ENOMEM, touching 8 MiB sbrk'd in steps
    kills the toucher with one line, a fork that could need a full copy
    is ENOMEM, a program that needs more than 4 KiB is refused; outside,
    the same toucher gets its 8 MiB. The frames in use are the same before
    and after, and no group is left."""
    with boot_to_shell() as vm:
        run(vm, "group run --mem 1M grouptest pids", r"grouptest: ok")  # the owner table exists
        before = user_frames(vm)
        run(vm, "group run --mem 4M grouptest sbrk 8192", r"grouptest: sbrk 8192 KiB: out of memory")
        output = run(vm, "group run --mem 4M grouptest touch 8192")
        if not re.search(r"(?m)^pid \d+ \(grouptest\): page fault .*: over its group's memory "
                         r"limit: killed \(SIGSEGV\)$", output) or "touched" in output:
            raise TestFailure("the toucher was not killed at the limit:\n" + output)
        run(vm, "group run --mem 400K grouptest forkmem 300", r"grouptest: fork: out of memory")
        run(vm, "group run --mem 800K grouptest forkmem 300", r"grouptest: fork: ok")
        run(vm, "group run --mem 4K grouptest pids",
            r"(?m)^group: grouptest does not fit in the group's memory limit of 4K$")
        run(vm, "grouptest touch 8192", r"grouptest: touched 8192 KiB")  # outside: no limit
        after = user_frames(vm)
        if after != before:
            raise TestFailure(f"frames in use (user, heap bytes) {before} before, {after} after")
        no_groups_left(vm)


def run_shares_traced():
    """Two spinners in groups at --cpu 75 and 25, 3 s of CPU for the first; the trace."""
    trace = os.path.join(tempfile.mkdtemp(prefix="prism-groups-"), "trace.log")
    with Qemu("trace=1", extra=("-debugcon", f"file:{trace}")) as vm:
        vm.expect(r"\$ ", timeout=60)
        vm.send("group run --cpu 25 --name low cpu B -c & group run --cpu 75 --name high cpu A 3 -c\r")
        vm.expect(r"(?m)^A$", timeout=120)
        vm.expect(r"\n\$ ", timeout=120)
        vm.send("group ls\r")
        vm.expect(r"low", timeout=30)
        vm.expect(r"\n\$ ")
    return trace


def group_shares(trace):
    """CPU us per group id while both spinners ran: from the first switch
    to the second group's member until the first group's member exits."""
    member_group, running, since = {}, None, None
    used = {}
    window_open = False
    with open(trace) as handle:
        for line in handle:
            words = line.split()
            if len(words) < 2 or not words[0].isdigit():
                continue
            time_us, kind = int(words[0]), words[1]
            fields = dict(word.split("=", 1) for word in words[2:] if "=" in word)
            if kind == "group":
                member_group[int(fields["pid"])] = int(fields["group"])
            elif kind == "switch":
                if window_open and running in member_group:
                    group = member_group[running]
                    used[group] = used.get(group, 0) + time_us - since
                running, since = int(fields["to"]), time_us
                if len(set(member_group.values())) == 2 and running in member_group:
                    window_open = True
            elif kind == "exit" and int(fields["pid"]) in member_group and window_open:
                if running in member_group:
                    group = member_group[running]
                    used[group] = used.get(group, 0) + time_us - since
                break
    return used


def test_group_cpu_shares_from_trace(context):
    """Stride over the groups' weights, charged in ns: while both spin, the
    75 group gets 75% of their CPU. Bound: 70-80% (each stint is at most one
    100 ms slice, and the window ends on a stint's edge)."""
    trace = run_shares_traced()
    used = group_shares(trace)
    if len(used) != 2:
        raise TestFailure(f"expected two groups in the trace, got {used}")
    low, high = (used[group] for group in sorted(used))  # low was made first: id 1
    share = high / (high + low)
    if not 0.70 <= share <= 0.80:
        raise TestFailure(f"--cpu 75 got {share:.1%} of the two groups' CPU, wanted 70-80%")
    if context.trace_report:
        result = subprocess.run([context.trace_report, "--csv", trace], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        if result.returncode != 0 or not re.search(r"(?m)^cpu,\d+,.*,2$", result.stdout):
            raise TestFailure("trace_report did not read the group events:\n" + result.stdout
                              + result.stderr)


# (command line, its one-line complaint); each must exit non-zero.
BAD_OPTIONS = [
    ("group", r"group: missing COMMAND \(run or ls\)"),
    ("group frob", r"group: unknown command 'frob' \(run or ls\)"),
    ("group run", r"group: missing PROGRAM"),
    ("group run --cpu 0 cpu A", r"group: --cpu WEIGHT 0 is out of range \(1 to 100\)"),
    ("group run --cpu 101 cpu A", r"group: --cpu WEIGHT 101 is out of range \(1 to 100\)"),
    ("group run --cpu x cpu A", r"group: 'x' is not a number \(--cpu WEIGHT\)"),
    ("group run --mem 8Q cpu A", r"group: '8Q' is not a size"),
    ("group run --mem 0 cpu A", r"group: '0' is not a size"),
    ("group run --mem 64G cpu A", r"group: --mem 64G is more than all of memory"),
    ("group run --mem", r"group: missing --mem SIZE"),
    ("group run --name 12345678901234567 cpu A", r"group: a group name has 1 to 15 characters"),
    ("group run --frob cpu A", r"group: unknown option '--frob'"),
    ("group ls extra", r"group: unexpected argument 'extra'"),
]


def test_group_bad_options_one_line_each(context):
    """Each bad option or value: one line naming it with the usage, status 2;
    a program that is not there: one line, 127; --help: the usage, 0."""
    with boot_to_shell() as vm:
        for command, message in BAD_OPTIONS:
            vm.send(f"{command} ; exit\r")
            vm.expect(rf"(?m)^{message}.* \(usage: group [^)\n]*\)$")
            vm.expect(r"shell exited \(status 2\)")
            vm.expect(r"\$ ", timeout=30)
        vm.send("group run nosuchprogram ; exit\r")
        vm.expect(r"(?m)^group: nosuchprogram: not found$")
        vm.expect(r"shell exited \(status 127\)")
        vm.expect(r"\$ ", timeout=30)
        vm.send("group --help ; exit\r")
        vm.expect(r"(?m)^usage: group run [^\n]*\n  run PROGRAM in a new container group")
        vm.expect(r"shell exited \(status 0\)")
        vm.expect(r"\$ ", timeout=30)
        no_groups_left(vm)


ALL_TESTS = [
    test_group_pids_inside_and_outside,
    test_group_memory_limit_inside_only,
    test_group_cpu_shares_from_trace,
    test_group_bad_options_one_line_each,
]
