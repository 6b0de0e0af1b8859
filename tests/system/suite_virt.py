"""suite_virt.py — Prism as a hypervisor: the tiny guest in an SVM VM.

Each test boots Prism (QEMU TCG with -cpu qemu64,+svm,+npt, qemu.TCG_CPU)
and runs `vm` at the shell: the guest's banner and its two tasks
interleaving on the injected virtual timer, exit counts that agree with
what the guest printed and counted itself, a VM killed from the shell and
by Ctrl-C, two VMs sharing the CPU 3:1 under lottery (measured from the
trace), bad images and crashing guests each refused or ended with one line,
and the free-frame count unchanged after every VM.
OSTEP appendix B (Virtual Machine Monitors), ch. 9 (proportional share).
"""
import os
import re
import tempfile

from qemu import TCG_CPU, Qemu, TestFailure

PROMPT = r"\$ "
SUMMARY = r"vm: (\S+) ended \((\w+): ([^)]*)\) after (\d+) exits; (\d+) guest frames and " \
          r"(\d+) table frames returned\n"


def shell(kargs="", extra=()):
    vm = Qemu(kargs, extra=extra)
    vm.expect(r"\$ ", timeout=60)
    return vm


def command(vm, text, pattern=PROMPT, timeout=300):
    vm.send(text + "\r")
    match = vm.expect(pattern, timeout=timeout)
    if pattern != PROMPT:
        vm.expect(PROMPT, timeout=timeout)
    return match


def sync(vm, tag):
    """Waits until the shell has run everything typed so far: the output
    line of `echo TAG` (the echoed command line has `echo ` before it)."""
    vm.send(f"echo {tag}\r")
    vm.expect(rf"\n{tag}\n", timeout=300)
    vm.expect(PROMPT)


def free_frames(vm):
    """(free frames + kernel-heap frames, kernel-heap bytes in use): the heap
    keeps the frames it grew by (two VMs' PCBs at once), so a frame is lost
    only if this sum drops; the heap's bytes in use must come back too."""
    match = command(vm, "free", r"frames: \d+ total, \d+ used, (\d+) free(?:.*\n)*?kernel: heap "
                    r"(\d+) bytes in use \((\d+) frames\)")
    return int(match.group(1)) + int(match.group(3)), int(match.group(2))


def exit_counts(text):
    """{'out': 274, 'cpuid': 1, ...} from vm's 'exits by reason' line."""
    line = re.search(r"exits by reason:([^\n]*)\n", text).group(1).split()
    return {line[i]: int(line[i + 1]) for i in range(0, len(line), 2)}


def warm_background_jobs(vm):
    """The shell's first background job costs it a frame for good (its job
    table), VM or not: pay that before counting free frames."""
    command(vm, "true &", r"\[\d+\]")
    command(vm, "sleep 1")


def check_frames_back(vm, before, what):
    after = free_frames(vm)
    if after != before:
        raise TestFailure(f"{what}: (free + heap frames, heap bytes) {before} before, {after} "
                          "after")


def test_virt_tiny_guest_time_shares_and_halts(context):
    """The banner, CPUID naming Prism, A and B interleaved (B starts before A
    is done and A runs again after B started: time sharing inside the VM),
    a clean halt with status 0; every OUT exit is one byte the guest
    printed, every timer interrupt injected is one the guest counted, and
    no frame is lost."""
    with shell() as vm:
        before = free_frames(vm)
        start = len(vm.output)
        vm.send("vm tiny ; exit\r")
        summary = vm.expect(SUMMARY, timeout=300)
        vm.expect(r"shell exited \(status 0\)")
        vm.expect(PROMPT)
        text = vm.output[start:]
        guest = re.search(r"tiny: hello from a guest OS inside a Prism VM\n(?:.*\n)*?tiny: halting\n",
                          text)
        if not guest:
            raise TestFailure("no guest output from banner to halt:\n" + text[-2000:])
        if 'tiny: hypervisor says "Prism VMM   " (leaves up to 0x40000000)\n' not in guest.group(0):
            raise TestFailure("CPUID 0x40000000 did not name Prism")
        if "tiny: CPUID: hypervisor bit 1, VMX 0, SVM 0 " not in guest.group(0):
            raise TestFailure("CPUID leaves 1 and 0x80000001: no hypervisor bit, or VMX/SVM shown")
        letters = "".join(re.findall(r"(?m)^[AB]+$", guest.group(0)))
        if sorted(set(letters)) != ["A", "B"] or len(letters) != 48:
            raise TestFailure(f"task letters: {letters!r}")
        first_b, last_a = letters.index("B"), letters.rindex("A")
        if not (letters.index("A") < first_b < last_a or letters.index("B") < letters.index("A")
                < letters.rindex("B")):
            raise TestFailure(f"tasks did not interleave (no time sharing): {letters}")
        done = re.search(r"tiny: A did 24 units, B did 24 units; (\d+) timer ticks, (\d+) task "
                         r"switches\n", guest.group(0))
        if not done:
            raise TestFailure("no guest summary line")
        if summary.group(2) != "halt" or "powered off" not in summary.group(3):
            raise TestFailure(f"ended: {summary.group(0)}")
        if summary.group(5, 6) != ("512", "5"):  # 2 MiB; PML4, PDPT, PD, PT and the VMCB
            raise TestFailure(f"frames counted: {summary.group(0)}")
        counts = exit_counts(text)
        printed = len(guest.group(0))
        if counts.get("out") != printed:
            raise TestFailure(f"{counts.get('out')} OUT exits, but the guest printed {printed} bytes")
        injected = int(re.search(r"timer interrupts injected (\d+), serial bytes (\d+)",
                                 text).group(1))
        if injected != int(done.group(1)) or injected < 2:
            raise TestFailure(f"{injected} timer interrupts injected, guest counted "
                              f"{done.group(1)}")
        if counts.get("cpuid") != 3 or counts.get("intr", 0) < 1:
            raise TestFailure(f"exit counts: {counts}")
        if sum(counts.values()) != int(summary.group(4)):
            raise TestFailure(f"counts {counts} do not add up to {summary.group(4)} exits")
        check_frames_back(vm, before, "vm tiny")


def test_virt_killed_from_the_shell(context):
    """A guest that never halts is preemptible (the shell still answers),
    visible (--stats counts grow, --walk shows both translations), and
    killable: kill ends the VM with one line, Ctrl-C ends a foreground one,
    and all frames come back."""
    with shell() as vm:
        warm_background_jobs(vm)
        before = free_frames(vm)
        pid = command(vm, "vm --forever tiny &", r"\[(\d+)\]").group(1)
        vm.expect(r"tiny: tasks A and B share this virtual CPU")
        running = free_frames(vm)
        stats = command(vm, f"vm --stats {pid}", r"(\d+) exits so far, (\d+) guest frames, (\d+) "
                        r"table frames\n")
        first, guest_frames, table_frames = (int(group) for group in stats.groups())
        if (guest_frames, table_frames) != (512, 5):
            raise TestFailure(f"--stats counts {guest_frames} guest and {table_frames} table frames")
        # Guest RAM and tables are Prism frames: the free count shows them.
        if before[0] - running[0] < guest_frames + table_frames:
            raise TestFailure(f"{before[0] - running[0]} frames in use while the VM runs, fewer "
                              f"than its {guest_frames + table_frames}")
        command(vm, "sleep 1")
        second = int(command(vm, f"vm --stats {pid}", r"(\d+) exits so far").group(1))
        if second <= first:
            raise TestFailure(f"exit count did not grow: {first} then {second}")
        walk = command(vm, f"vm --walk {pid} 0x101234",
                       r"guest-physical 0x101234\n(?:.*\n)*?  host-physical (0x[0-9a-f]+) \(")
        if int(walk.group(1), 16) & 0xfff != 0x234:
            raise TestFailure(f"host address {walk.group(1)} lost the page offset")
        command(vm, f"vm --walk {pid} 0x0", r"PT +index +0 +guest table .*not present\n")
        command(vm, f"vm --walk {pid} 0x1000", r"PT +index +1 +guest table")
        vm.send(f"kill {pid}\r")
        vm.expect(r"vm: pid " + pid + r": VM ended by signal after \d+ exits; its \d+ frames "
                  r"returned")
        sync(vm, "killed")
        command(vm, f"vm --stats {pid}", rf"vm: pid {pid} runs no VM")
        vm.send("vm --forever tiny\r")
        vm.expect(r"tiny: tasks A and B share this virtual CPU")
        vm.send("\x03")
        vm.expect(r"VM ended by signal after \d+ exits")
        sync(vm, "interrupted")
        check_frames_back(vm, before, "killed VMs")


def run_two_vms(trace):
    with Qemu("trace=1 quantum=1", extra=("-debugcon", f"file:{trace}")) as vm:
        vm.expect(r"\$ ", timeout=60)
        warm_background_jobs(vm)
        before = free_frames(vm)
        command(vm, "sched lottery")
        first = command(vm, "vm --forever tiny &", r"\[(\d+)\]").group(1)
        second = command(vm, "vm --forever tiny &", r"\[(\d+)\]").group(1)
        command(vm, f"tickets {first} 300")
        command(vm, f"tickets {second} 100")
        command(vm, "sleep 4")
        vm.send(f"kill {first} {second}\r")
        vm.expect(r"VM ended by signal(?:.*\n)*?.*VM ended by signal", timeout=300)
        command(vm, "sleep 1")  # idle: the trace drains
        sync(vm, "both-vms-ended")
        check_frames_back(vm, before, "two VMs")
    return first, second


def test_virt_two_vms_share_the_cpu_by_tickets(context):
    """Two never-halting VMs with 300 and 100 lottery tickets: between the
    tickets being set and the kill, the first VM's vCPU gets about 75% of
    their CPU time. quantum=1 makes ~400 draws in the 4 s, so a fair
    lottery lies within 60%-90% by more than six standard deviations. The
    trace has VM entry and exit events, and trace_report reads it."""
    trace = os.path.join(tempfile.mkdtemp(prefix="prism-virt-"), "trace.log")
    first, second = run_two_vms(trace)
    running, since, window, used = None, None, False, {first: 0, second: 0}
    entries = exits = 0
    with open(trace) as handle:
        for line in handle:
            words = line.split()
            if len(words) < 2 or not words[0].isdigit():
                continue
            time, kind = int(words[0]), words[1]
            fields = dict(w.split("=", 1) for w in words[2:] if "=" in w)
            entries += kind == "vmenter"
            exits += kind == "vmexit"
            if kind == "param" and fields.get("pid") == second and fields.get("name") == "tickets":
                window, running, since = True, running, time
            elif kind == "vmend" and window:
                if running in used:
                    used[running] += time - since
                break
            elif kind == "switch":
                if window and running in used:
                    used[running] += time - since
                running, since = fields["to"], time
    if entries == 0 or exits == 0:
        raise TestFailure(f"trace has {entries} vmenter and {exits} vmexit events")
    total = used[first] + used[second]
    if total == 0:
        raise TestFailure("neither VM ran in the window")
    share = used[first] / total
    if not 0.60 <= share <= 0.90:
        raise TestFailure(f"the 300-ticket VM got {share:.1%} of the two VMs' CPU time")
    if context.trace_report:
        check_vm_table(context.trace_report, trace, (first, second))


def check_vm_table(trace_report, trace, pids):
    """trace_report --table's "Virtual machines" table from a real trace: a
    row per VM whose guest and exit-handling times are positive and fit in
    its run time, with exits counted; the text timeline has its vm rows."""
    import subprocess
    result = subprocess.run([trace_report, "--table", "--text", "--all", trace],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise TestFailure("trace_report failed on a trace with VM events: " + result.stderr)
    table = result.stdout.split("Virtual machines:", 1)
    if len(table) != 2:
        raise TestFailure("trace_report printed no VM table:\n" + result.stdout[-2000:])
    for pid in pids:
        row = re.search(rf"(?m)^vm +{pid} +([\d.]+) +([\d.]+) +([\d.]+) +([\d.]+) +(\d+) ",
                        table[1])
        if not row:
            raise TestFailure(f"no VM table row for pid {pid}:\n{table[1]}")
        run, guest, exits, host = (float(x) for x in row.groups()[:4])
        if not (guest > 0 and exits > 0 and int(row.group(5)) > 0 and
                guest + exits <= run + 1.0):
            raise TestFailure(f"pid {pid}: run {run} ms, guest {guest}, exits {exits}, "
                              f"{row.group(5)} exits: not a split of its run time")
    if len(re.findall(r"(?m)^ +vm [ ghx]*g[ ghx]*$", table[0])) < len(pids):
        raise TestFailure("the text timeline lacks a vm row with guest time per VM:\n"
                          + table[0][-2000:])


def expect_statuses(vm, cases):
    """Types each (command, output pattern, exit status) as `command ; exit`:
    the output must match and the shell (restarted by init) report that
    status."""
    for text, pattern, status in cases:
        vm.send(f"{text} ; exit\r")
        vm.expect(pattern)
        found = vm.expect(r"shell exited \(status (\d+)\)").group(1)
        if found != status:
            raise TestFailure(f"{text}: exit status {found}, wanted {status}")
        vm.expect(PROMPT)


def test_virt_bad_images_and_crashing_guests(context):
    """Each failure is one line, the status says which kind, Prism goes on
    and no frame is lost: not a guest image, an image that does not fit its
    memory, RAM too small for its stack (a nested page fault), a triple
    fault, an unemulated port, bad arguments."""
    cases = [
        ("vm sh", r"vm: sh: not a guest image \(no PRISMVM1 header\)", "1"),
        ("vm /etc/motd", r"vm: /etc/motd: not a guest image", "1"),
        ("vm nosuch", r"vm: nosuch: no such file or directory", "1"),
        ("vm tiny 100", r"vm: tiny: guest image does not fit in its memory", "1"),
        ("vm tiny 1044", r"vm: tiny ended \(unhandled: nested page fault: guest-physical "
                         r"0x[0-9a-f]+ is not RAM\)", "3"),
        ("vm --crash tiny", r"vm: tiny ended \(shutdown: triple fault \(SHUTDOWN exit\)", "3"),
        ("vm --bad-io tiny", r"vm: tiny ended \(unhandled: I/O port 0x80 is not emulated\)", "3"),
        ("vm --bogus tiny", r"vm: unknown option '--bogus' \(usage: vm ", "2"),
        ("vm --crash --forever tiny", r"vm: choose one of --forever, --crash", "2"),
        ("vm --stats 1", r"vm: pid 1 runs no VM", "1"),
        ("vm --help", r"usage: vm .*\n  run a guest OS in a virtual machine", "0"),
    ]
    with shell() as vm:
        before = free_frames(vm)
        expect_statuses(vm, cases)
        check_frames_back(vm, before, "refused and crashed VMs")


def test_virt_cpuid_exits_counted(context):
    """N CPUIDs in the guest are N CPUID exits (plus the banner's OUTs)."""
    with shell() as vm:
        start = len(vm.output)
        command(vm, "vm --cpuid tiny 5000", SUMMARY)
        counts = exit_counts(vm.output[start:])
        if counts.get("cpuid") != 5000:
            raise TestFailure(f"exit counts: {counts}")


FPU_POWER_ON = r"fpu: at power-on: x87 control word 0x037f, MXCSR 0x1f80, xmm0-15 zero\n"
FPU_GUEST_KEPT = r"fpu: x87 control word, MXCSR and xmm0-15 kept across 6 rounds of INTR, OUT, " \
                 r"CPUID and HLT exits"
FPU_HOST_LINE = r"vm: this process's FPU/SSE state (?:is unchanged|CHANGED)[^\n]*\n"


def check_fpu_run(text, runs, what):
    """`runs` fpu guests each started with a fresh FPU and kept their own
    values; their `runs` vm processes kept theirs."""
    for pattern, name in ((FPU_POWER_ON, "a fresh FPU at power-on"),
                          (FPU_GUEST_KEPT, "the guest's values kept"),
                          (r"vm: this process's FPU/SSE state is unchanged by its VM",
                           "the vm process's values kept")):
        found = len(re.findall(pattern, text))
        if found != runs:
            raise TestFailure(f"{what}: {name}: {found} of {runs} runs:\n{text[-3000:]}")


def test_virt_fpu_state_is_each_vms_own(context):
    """VMRUN switches no FPU/SSE state, so Prism does: the fpu guest finds a
    fresh FPU at power-on (not the vm process's registers), loads its own
    x87 control word, MXCSR and xmm0-15 and finds them kept after INTR, OUT,
    CPUID and HLT exits; the vm process, which loaded distinctive values of
    its own before SYS_vm, finds them unchanged when it returns (status 0).
    Then two such VMs at once, each with values seeded by its pid: across
    time slices neither guest nor either process sees another's values."""
    with shell() as vm:
        warm_background_jobs(vm)
        before = free_frames(vm)
        start = len(vm.output)
        vm.send("vm --check-fpu fpu ; exit\r")
        vm.expect(SUMMARY, timeout=300)
        status = vm.expect(r"shell exited \(status (\d+)\)").group(1)
        vm.expect(PROMPT)
        text = vm.output[start:]
        check_fpu_run(text, 1, "one VM")
        counts = exit_counts(text)
        if counts.get("hlt", 0) < 6 or counts.get("cpuid") != 6:
            raise TestFailure(f"exit counts: {counts}")
        if status != "0":
            raise TestFailure(f"vm --check-fpu fpu: exit status {status}")
        start = len(vm.output)
        vm.send("vm --check-fpu fpu & vm --check-fpu fpu\r")
        vm.expect(FPU_HOST_LINE, timeout=300)
        vm.expect(FPU_HOST_LINE, timeout=300)
        sync(vm, "fpu-pair-done")
        check_fpu_run(vm.output[start:], 2, "two VMs at once")
        check_frames_back(vm, before, "fpu VMs")


def walk_text(vm, text):
    """The lines of one walk command's output, without the running guest's
    lines of task letters that may come between them, and with the accessed
    and dirty bits of every entry cleared: the guest's accesses set them (in
    its tables and the nested ones) at any time, also between two walks."""
    start = len(vm.output)
    command(vm, text)
    out = vm.output[start:vm.output.rindex("$ ")]
    if "VM of pid" not in out:
        raise TestFailure(f"{text}: no walk of a VM:\n{out}")
    out = out[out.index("VM of pid"):]
    out = re.sub(r"entry 0x([0-9a-f]{16})",
                 lambda entry: f"entry {int(entry.group(1), 16) & ~0x60:#018x}", out)
    return [line for line in out.split("\n") if not re.fullmatch(r"[AB]*", line)]


def test_virt_pagewalk_vm_two_dimensional(context):
    """`pagewalk --vm PID ADDRESS` is the two-dimensional walk beside the
    guest's own: guest-virtual -> guest-physical (the guest's four levels,
    each table with the host frame that holds it) -> host-physical (the
    nested four levels), the same lines as `vm --walk`; an address the
    guest does not map says so; bad arguments are one line each."""
    with shell() as vm:
        warm_background_jobs(vm)
        before = free_frames(vm)
        pid = command(vm, "vm --forever tiny &", r"\[(\d+)\]").group(1)
        vm.expect(r"tiny: tasks A and B share this virtual CPU")
        for address in ("0x101234", "0x1ff008", "0x0", "0x200000"):
            lines = walk_text(vm, f"pagewalk --vm {pid} {address}")
            if lines != walk_text(vm, f"vm --walk {pid} {address}"):
                raise TestFailure(f"pagewalk --vm and vm --walk differ at {address}: {lines}")
            ours = "\n".join(lines) + "\n"
            if address in ("0x0", "0x200000"):
                if "not mapped by the guest" not in ours:
                    raise TestFailure(f"{address} is not mapped by the guest:\n{ours}")
                continue
            chain = re.search(r"guest-virtual (0x[0-9a-f]+) -> guest-physical (0x[0-9a-f]+) -> "
                              r"host-physical (0x[0-9a-f]+)\n", ours)
            guest_steps = re.findall(r"(PML4|PDPT|PD|PT) +index +\d+ +guest table 0x[0-9a-f]+ "
                                     r"\(host 0x[0-9a-f]+\)", ours)
            nested_steps = re.findall(r"(PML4|PDPT|PD|PT) +index +\d+ +host table", ours)
            if not chain or guest_steps != ["PML4", "PDPT", "PD", "PT"] or \
                    nested_steps != ["PML4", "PDPT", "PD", "PT"]:
                raise TestFailure(f"no two-dimensional walk of {address}:\n{ours}")
            # The guest identity-maps its RAM; the host frame keeps the offset.
            virtual, physical, host = (int(group, 16) for group in chain.groups())
            if virtual != int(address, 16) or physical != virtual or host & 0xfff != virtual & 0xfff:
                raise TestFailure(f"walk of {address}: {chain.group(0)}")
        cases = [
            ("pagewalk --vm", r"pagewalk: missing PID \(usage: pagewalk \[--vm\] PID ADDRESS\)",
             "2"),
            (f"pagewalk --vm {pid} zz", r"pagewalk: 'zz' is not an address", "2"),
            ("pagewalk --vm 1 0x1000", r"pagewalk: pid 1 runs no VM\n", "1"),
        ]
        expect_statuses(vm, cases)
        vm.send(f"kill {pid}\r")
        vm.expect(r"VM ended by signal after \d+ exits")
        sync(vm, "walk-vm-killed")
        check_frames_back(vm, before, "walked VM")


# QEMU's qemu64 model has SVM already (without nested paging); -svm takes it away.
NO_SVM_CPUS = [
    ("qemu64,-svm", r"this CPU has no SVM \(AMD-V\): CPUID 0x80000001 ECX bit 2 is clear"),
    ("qemu64", r"this CPU's SVM has no nested paging \(CPUID 0x8000000a EDX bit 0\): "
                    r"QEMU needs -cpu qemu64,\+svm,\+npt"),
]


def test_virt_cpu_without_svm_refuses_in_one_line(context):
    """On a CPU model without SVM (qemu64,-svm), or with SVM but no nested
    paging (QEMU's plain qemu64), `vm tiny`, `vm --check-fpu fpu` and `vm --probe` each say
    why in one line and exit 1; a background process lives on, the shell
    goes on, and no frame is lost."""
    for cpu, reason in NO_SVM_CPUS:
        with Qemu(cpu=cpu) as vm:
            vm.expect(PROMPT, timeout=60)
            before = free_frames(vm)
            for text, said in (("vm tiny", "vm: cannot run VMs here: "),
                               ("vm --check-fpu fpu", "vm: cannot run VMs here: "),
                               ("vm --probe", "vm: cannot run VMs: ")):
                start = len(vm.output)
                vm.send(f"{text} ; exit\r")
                found = vm.expect(r"init: shell exited \(status (\d+)\)").group(1)
                vm.expect(PROMPT)
                lines = vm.output[start:].split("\n")[1:]  # after the echoed command
                lines = lines[:next(i for i, line in enumerate(lines) if "shell exited" in line)]
                if len(lines) != 1 or not re.fullmatch(re.escape(said) + reason, lines[0]):
                    raise TestFailure(f"-cpu {cpu}: {text} said {lines!r}")
                if found != "1":
                    raise TestFailure(f"-cpu {cpu}: {text}: exit status {found}, wanted 1")
            check_frames_back(vm, before, f"-cpu {cpu}: refused VMs")
            warm_background_jobs(vm)
            before = free_frames(vm)
            pid = command(vm, "sleep 600 &", r"\[(\d+)\]").group(1)
            command(vm, "vm tiny", "vm: cannot run VMs here: " + reason)
            command(vm, "vm --probe", "vm: cannot run VMs: " + reason)
            command(vm, "ps", rf"\n *{pid} +[^\n]*sleep")
            vm.send(f"kill {pid}\r")
            sync(vm, "sleeper-killed")
            command(vm, "ps", PROMPT)
            if re.search(rf"\n *{pid} +[^\n]*sleep", vm.output[vm.output.rindex("ps\n"):]):
                raise TestFailure(f"-cpu {cpu}: sleep {pid} outlived kill")
            check_frames_back(vm, before, f"-cpu {cpu}: a background process beside refused VMs")


def test_virt_cpuid_hypervisor_bit_on_a_cpu_without_it(context):
    """QEMU sets CPUID.1's hypervisor bit for Prism itself, so the demo test
    cannot tell whether Prism sets it for its guest: here the CPU model has
    none (-hypervisor), and the guest must still see it, with VMX and SVM
    hidden."""
    with Qemu(cpu=TCG_CPU + ",-hypervisor") as vm:
        vm.expect(PROMPT, timeout=60)
        command(vm, "vm --bad-io tiny", r"tiny: CPUID: hypervisor bit (\d), VMX (\d), SVM (\d) ")
        found = re.findall(r"tiny: CPUID: hypervisor bit (\d), VMX (\d), SVM (\d) ", vm.output)
        if found != [("1", "0", "0")]:
            raise TestFailure(f"the guest's CPUID on a CPU without the hypervisor bit: {found}")


ALL_TESTS = [
    test_virt_tiny_guest_time_shares_and_halts,
    test_virt_killed_from_the_shell,
    test_virt_two_vms_share_the_cpu_by_tickets,
    test_virt_bad_images_and_crashing_guests,
    test_virt_cpuid_exits_counted,
    test_virt_fpu_state_is_each_vms_own,
    test_virt_pagewalk_vm_two_dimensional,
    test_virt_cpu_without_svm_refuses_in_one_line,
    test_virt_cpuid_hypervisor_bit_on_a_cpu_without_it,
]
