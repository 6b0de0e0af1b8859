"""suite_swap.py — swapping seen from outside: a disk, eviction, page-in, policies.

Each test boots Prism with its own fresh swap disk (qemu.Qemu(swap=...)),
runs memhog, swaptest, pageref, replace or vmstat at the shell and checks
what they print: every page's contents correct after a trip through swap
(memhog's check), fork + copy-on-write + swap, frames and slots all
returned, swap full killing only the faulting process, a policy switch in
the middle of a workload, the book's reference strings access by access,
and bad input answered with one clear line.
OSTEP ch. 21 (Swapping: Mechanisms), 22 (Policies), 36 (I/O Devices).
"""
import os
import re
import tempfile

from qemu import EXIT_SUCCESS, Qemu, TestFailure
from system_tests import expect_status

MEMHOG_OK = r"memhog: verified every page, checksum ([0-9a-f]+)\r?\n"  # whole number: output streams in


def shell(kargs="", swap="64M", memory="128M", extra=()):
    vm = Qemu(kargs, swap=swap, memory=memory, extra=extra)
    vm.expect(r"\$ ", timeout=60)
    return vm


def run(vm, command, pattern, timeout=300):
    vm.send(command + "\r")
    match = vm.expect(pattern, timeout=timeout)
    vm.expect(r"\$ ", timeout=timeout)
    return match


def vmstat_numbers(vm):
    line = run(vm, "vmstat", r"\n\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+"
               r"(\d+)/(\d+)\s+(\S+)")
    names = ["minor", "major", "pagein", "pageout", "evict", "free", "resident", "used",
             "slots"]
    return dict(zip(names, (int(g) for g in line.groups()[:9])))


def swapped_by_survivors(vm):
    """Pages the processes still alive (init, sh) have out on swap, from ps's
    SWAP column: what vmstat's slot count may still hold after a workload."""
    vm.send("ps\r")
    vm.expect(r"SWAP NAME\n")
    table = vm.expect(r"((?:.*\n)*?)\$ ").group(1)
    return sum(int(line.split()[-2]) for line in table.splitlines() if line.strip())


def test_swap_disk_reported_or_off(context):
    with Qemu("test=boot", swap="64M") as vm:
        vm.expect(r"swap: disk 'QEMU HARDDISK' 65536 KiB, 16384 slots; replace=clock")
        expect_status(vm, EXIT_SUCCESS)
    with Qemu("test=boot userframes=100") as vm:  # no disk at all
        vm.expect(r"swap: off \(no IDE disk\); userframes= ignored")
        expect_status(vm, EXIT_SUCCESS)
    with Qemu("test=boot", swap="512K") as vm:  # too small to be worth it
        vm.expect(r"swap: off \(disk 'QEMU HARDDISK' has 512 KiB; at least 1024 KiB needed\)")
        expect_status(vm, EXIT_SUCCESS)


def test_swap_bad_options_fall_back(context):
    with Qemu("test=boot userframes=3 replace=nosuch", swap="8M") as vm:
        vm.expect(r"cmdline: replace=nosuch: no such policy \(have: fifo random clock lru\); "
                  r"using clock")
        vm.expect(r"cmdline: userframes=3 is too small \(init needs 24\); using 24")
        vm.expect(r"swap: disk .* replace=clock, .*userframes=24")
        expect_status(vm, EXIT_SUCCESS)
    with shell("userframes=24 replace=fifo", swap="8M") as vm:  # the smallest limit still runs
        run(vm, "echo alive", r"\nalive")
        run(vm, "replace nosuch", r"replace: 'nosuch' is not a policy \(the policies: fifo random "
            r"clock lru\)")
        run(vm, "replace", r"replace: fifo")
        run(vm, "memhog", r"memhog: missing MIB \(usage: memhog MIB")
        run(vm, "memhog 2 sideways", r"memhog: 'sideways' is not a pattern")
        run(vm, "pageref 0 1 2", r"pageref: FRAMES 0 is out of range")
        run(vm, "pageref 3 1 x", r"pageref: 'x' is not a number \(PAGE\)")
        run(vm, "vmstat -1", r"vmstat: SECONDS -1 is out of range")
        run(vm, "swaptest 3", r"swaptest: FRAMES 3 is out of range")


def test_swap_memory_larger_than_ram(context):
    """48 MiB of heap in a 40 MiB machine: pages go out to disk and come back
    intact (memhog checks every page), and the checksum over all of them is
    the one the same run computes in a 128 MiB machine without swap."""
    with shell(swap=None) as vm:
        in_ram = run(vm, "memhog 48 seq", MEMHOG_OK, timeout=600).group(1)
    with shell(memory="40M") as vm:
        before = vmstat_numbers(vm)
        vm.send("memhog 48 seq\r")
        vm.expect(r"memhog: 48 MiB seq: 12288 pages", timeout=1200)
        swapped = vm.expect(MEMHOG_OK, timeout=1200).group(1)
        vm.expect(r"\$ ")
        after = vmstat_numbers(vm)
        if after["pageout"] - before["pageout"] < 3000 or after["major"] - before["major"] < 3000:
            raise TestFailure(f"48 MiB in 40 MiB did not swap: {before} -> {after}")
        others = swapped_by_survivors(vm)
        if after["used"] > others:
            raise TestFailure(f"slots still used after memhog exited: {after}, others {others}")
    if swapped != in_ram:
        raise TestFailure(f"checksum {swapped} after swapping, {in_ram} in memory")


def test_swap_patterns_under_a_frame_limit(context):
    with shell("userframes=128") as vm:
        for pattern in ["loop", "random", "80-20"]:
            run(vm, f"memhog 2 {pattern}", MEMHOG_OK)
        numbers = vmstat_numbers(vm)
        if numbers["major"] == 0 or numbers["resident"] > 128:
            raise TestFailure(f"the limit was not kept: {numbers}")


def test_swap_fork_cow_and_leak_check(context):
    with shell() as vm:
        match = run(vm, "swaptest", r"swaptest: (\d+) passed, (\d+) failed")
        if match.group(2) != "0" or int(match.group(1)) < 4:
            raise TestFailure("swaptest failed:\n" + vm.tail())
    with shell("userframes=64") as vm:  # global pressure as well: init and sh get evicted too
        match = run(vm, "swaptest 16", r"ok   fork\+cow\+swap")
        run(vm, "echo still here", r"\nstill here")


def test_swap_full_kills_only_the_faulting_process(context):
    with shell("userframes=64", swap="1M") as vm:
        vm.send("memhog 4 seq\r")
        vm.expect(r"pid \d+ \(memhog\): page fault \((read|write), page not present\) at address "
                  r"[0-9a-f]+ rip=[0-9a-f]+: out of memory and swap full: killed \(SIGSEGV\)",
                  timeout=300)
        vm.expect(r"\$ ")
        numbers = vmstat_numbers(vm)
        others = swapped_by_survivors(vm)  # userframes evicts init's and sh's pages too
        if numbers["slots"] != 256 or numbers["used"] > others:
            raise TestFailure(f"memhog's slots were not freed: {numbers}, others hold {others}")
        run(vm, "memhog 1 loop", MEMHOG_OK)  # the system still swaps fine afterwards


def test_swap_policy_switched_mid_workload(context):
    directory = tempfile.mkdtemp(prefix="prism-swap-trace-")
    trace = os.path.join(directory, "trace.log")
    with shell("userframes=96 trace=1", extra=["-debugcon", f"file:{trace}"]) as vm:
        vm.send("memhog 1 loop 40 &\r")
        vm.expect(r"\$ ")
        for policy in ["lru", "fifo", "random", "clock"]:
            run(vm, f"replace {policy}", rf"replace: {policy}")
            run(vm, "vmstat", r"policy")
        vm.expect(MEMHOG_OK, timeout=600)
        vm.send("\r")
        vm.expect(r"\$ ")
    with open(trace) as handle:
        text = handle.read()
    for wanted in [r"replace name=lru", r"replace name=fifo", r"\d+ evict pid=\d+ address=0x",
                   r"\d+ pagein pid=\d+ address=0x[0-9a-f]+ slot=\d+", r"kind=major"]:
        if not re.search(wanted, text):
            raise TestFailure(f"trace has no /{wanted}/")


def test_swap_visible_in_ps_vmmap_and_pagewalk(context):
    with shell("userframes=64") as vm:
        vm.send("memhog 2 loop 1000 &\r")
        vm.expect(r"\$ ")
        for _ in range(200):  # until memhog is into its second pass (each ps is an event)
            line = run(vm, "ps", r"\n\s*(\d+)\s+.*\s(\d+)\s+(\d+)\s+(\d+) memhog\n")
            pid, major, resident, swapped = (int(g) for g in line.groups())
            if major > 0 and swapped >= 300:
                break
        if major == 0 or swapped < 300 or resident > 64:
            raise TestFailure(f"ps: major {major} resident {resident} swapped {swapped}")
        heap = run(vm, f"vmmap {pid}", r"\n([0-9a-f]{16})\s+[0-9a-f]{16}\s+rw-\s+heap\s+\d+\s+(\d+)\s+"
                   r"(\d+)\n")
        if int(heap.group(3)) < 256:  # of 512; the count moves as memhog runs
            raise TestFailure(f"vmmap shows {heap.group(3)} swapped heap pages")
        found = False
        for page in range(0, 512, 7):  # some page of the loop is out on disk right now
            address = int(heap.group(1), 16) + 4096 * (page + 1)
            vm.send(f"pagewalk {pid} {address:#x}\r")
            outcome = vm.expect(r"(swapped out to slot (\d+) \(sectors|physical address)")
            vm.expect(r"\$ ")
            if outcome.group(2):
                found = True
                break
        if not found:
            raise TestFailure("pagewalk never decoded a swap entry")
        run(vm, f"kill {pid}", r"")


def test_swap_thrashing_then_fitting(context):
    with shell("userframes=560") as vm:  # 3 x 256 pages do not fit, 2 x 256 do
        vm.send("thrash 1 3 3\r")
        rows = [vm.expect(rf"(?m)^ *{procs} +(\d+) +(\d+) +(\d+) +(\d+)$", timeout=900)
                for procs in (3, 2, 1)]
        vm.expect(r"\$ ")
        major = [int(row.group(3)) for row in rows]
        if major[0] < 200 or major[1] != 0 or major[2] != 0:
            raise TestFailure(f"major faults per phase {major}: wanted many, then none")


BOOK = "0 1 2 0 1 3 0 3 1 2 1"
BELADY = "1 2 3 4 1 2 5 1 2 3 4 5"


def test_swap_pageref_matches_the_book(context):
    with shell() as vm:
        def final(policy, frames, string):
            run(vm, f"replace {policy}", rf"replace: {policy}")
            vm.send(f"pageref {frames} {string}\r")
            lines = [vm.expect(r"Access: (\d+)  (HIT |MISS)").group(2).strip()
                     for _ in string.split()]
            match = vm.expect(r"FINALSTATS hits (\d+)   misses (\d+)   hitrate ([\d.]+)\n")
            vm.expect(r"\$ ")
            return "".join("h" if line == "HIT" else "m" for line in lines), match.groups()
        outcome, _ = final("fifo", 3, BOOK)
        if outcome != "mmmhhmmhmmh":  # OSTEP Figure 22.2
            raise TestFailure(f"fifo on the book's string: {outcome}")
        outcome, stats = final("lru", 3, BOOK)
        if outcome != "mmmhhmhhhmh" or stats != ("6", "5", "54.55"):  # Figure 22.5
            raise TestFailure(f"lru on the book's string: {outcome} {stats}")
        _, three = final("fifo", 3, BELADY)
        _, four = final("fifo", 4, BELADY)
        if three[1] != "9" or four[1] != "10":
            raise TestFailure(f"Belady's anomaly not seen: {three} {four}")
        outcome, _ = final("clock", 3, "0 1 2 3 1 4 1")
        if outcome != "mmmmhmh":  # FIFO would miss the last 1: clock spared it
            raise TestFailure(f"clock: {outcome}")


ALL_TESTS = [
    test_swap_disk_reported_or_off,
    test_swap_bad_options_fall_back,
    test_swap_memory_larger_than_ram,
    test_swap_patterns_under_a_frame_limit,
    test_swap_fork_cow_and_leak_check,
    test_swap_full_kills_only_the_faulting_process,
    test_swap_policy_switched_mid_workload,
    test_swap_pageref_matches_the_book,
    test_swap_visible_in_ps_vmmap_and_pagewalk,
    test_swap_thrashing_then_fitting,
]
