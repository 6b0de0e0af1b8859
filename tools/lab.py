#!/usr/bin/env python3
"""lab.py — starter trees for Prism's labs, generated from the reference.

The reference kernel (main) is the only source of every lab. Each lab's
solution regions are marked in place, in comments, together with the stub
that replaces them in that lab's starter:

  C (.c, .h)                              nasm (.asm, .inc)
    /* LAB mlfq BEGIN: stub                 ; LAB switch BEGIN: stub
    return NULL; // TODO(mlfq): ...         ;>    ret  ; TODO(switch): ...
    */                                      ... solution ...
    ... solution ...                        ; LAB switch END
    /* LAB mlfq END */

`/* LAB NAME BEGIN */` (or `; LAB NAME BEGIN`) without ": stub" marks a
region that simply disappears. C stub lines are copied verbatim (they sit in
a comment, so they may not contain comment delimiters: use //); a nasm stub
line is its `;>` line with the `;>` and one following space taken out.
Markers do not nest. NAME must be a folder labs/NAME/ with a README.md.

A starter for lab L is the whole tree with L's regions replaced by their
stubs, every other lab's solutions kept with their marker lines removed,
L's handout and tests, and no instructor material (labs/README.md,
labs/answers/, other labs' folders, this tool and its tests, .ci/). It is a
git repository with one commit.

  tools/lab.py list                       the labs
  tools/lab.py check                      validate every marker in the tree
  tools/lab.py starter LAB DEST [--reuse-build BUILD]
  tools/lab.py check-labs [--labs a,b] [--keep DIR]
      generate every starter, build and grade it (below full, its tests
      failing), and grade the reference (full marks on every lab)

Errors are one line, `FILE:LINE: message` for markers; nothing is written
unless the whole tree is valid. Python 3 standard library only.
OSTEP: teaching infrastructure for the chapters the labs cover (5-9, 18-23).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

MARKED_EXTENSIONS = {".c": "c", ".h": "c", ".asm": "nasm", ".inc": "nasm"}

# What a starter never receives (paths relative to the root; a trailing /
# means the whole folder). Other labs' folders are left out separately.
INSTRUCTOR_ONLY = [".ci/", ".git/", "build/", "labs/README.md", "labs/answers/",
                   "tools/lab.py", "tests/labs/", "tests/system/suite_labs.py"]

C_BEGIN = re.compile(r"^\s*/\* LAB ([a-z][a-z0-9_-]*) BEGIN(: stub| \*/)\s*$")
C_END = re.compile(r"^\s*/\* LAB ([a-z][a-z0-9_-]*) END \*/\s*$")
C_STUB_CLOSE = re.compile(r"^\s*\*/\s*$")
NASM_BEGIN = re.compile(r"^\s*; LAB ([a-z][a-z0-9_-]*) BEGIN(: stub)?\s*$")
NASM_END = re.compile(r"^\s*; LAB ([a-z][a-z0-9_-]*) END\s*$")
NASM_STUB = re.compile(r"^(\s*);> ?(.*)$")
# Anything that looks like a marker but matches neither form above.
LOOSE = re.compile(r"\bLAB\s+\S+\s+(BEGIN|END)\b")


class LabError(Exception):
    """One line saying what is wrong (FILE:LINE: ... for markers)."""


class Region:
    def __init__(self, lab, begin, end, stub):
        self.lab = lab      # lab name
        self.begin = begin  # index of the BEGIN line (0-based)
        self.end = end      # index of the END line
        self.stub = stub    # list of lines (with their newlines)


def lab_names(root):
    """Labs are the folders labs/NAME/ holding a handout README.md."""
    labs_dir = os.path.join(root, "labs")
    if not os.path.isdir(labs_dir):
        return []
    return sorted(name for name in os.listdir(labs_dir)
                  if os.path.isfile(os.path.join(labs_dir, name, "README.md")))


def parse_markers(path, text, labs):
    """The regions of one file; raises LabError at the first bad marker."""
    kind = MARKED_EXTENSIONS.get(os.path.splitext(path)[1])
    lines = text.splitlines(keepends=True)
    regions = []
    if kind is None:
        return lines, regions
    begin_re, end_re = (C_BEGIN, C_END) if kind == "c" else (NASM_BEGIN, NASM_END)
    open_region = None  # (lab, begin index, stub lines)
    i = 0
    while i < len(lines):
        line = lines[i]
        where = f"{path}:{i + 1}:"
        begin, end = begin_re.match(line), end_re.match(line)
        if begin:
            lab = begin.group(1)
            if open_region:
                raise LabError(f"{where} LAB {lab} BEGIN inside the LAB {open_region[0]} region "
                               f"begun at line {open_region[1] + 1} (markers do not nest)")
            if lab not in labs:
                raise LabError(f"{where} marker names no lab '{lab}' "
                               f"(labs: {', '.join(labs) or 'none'})")
            stub = []
            start = i
            if begin.group(2) == ": stub":
                i += 1
                if kind == "c":
                    while i < len(lines) and not C_STUB_CLOSE.match(lines[i]):
                        if "/*" in lines[i] or "*/" in lines[i]:
                            raise LabError(f"{path}:{i + 1}: stub of LAB {lab} contains a comment "
                                           "delimiter; use // comments inside stubs")
                        if begin_re.match(lines[i]) or end_re.match(lines[i]):
                            break
                        stub.append(lines[i])
                        i += 1
                    if i == len(lines) or not C_STUB_CLOSE.match(lines[i]):
                        raise LabError(f"{where} stub of LAB {lab} is not closed by a '*/' line")
                    i += 1
                else:
                    while i < len(lines) and NASM_STUB.match(lines[i]):
                        indent, body = NASM_STUB.match(lines[i]).groups()
                        ending = "\n" if lines[i].endswith("\n") else ""
                        stub.append((indent + body).rstrip() + ending if body.strip() else ending)
                        i += 1
                if not stub:
                    raise LabError(f"{where} LAB {lab} BEGIN: stub has no stub lines "
                                   f"(write 'LAB {lab} BEGIN' for a region that disappears)")
            else:
                i += 1
            open_region = (lab, start, stub)
            continue
        if end:
            lab = end.group(1)
            if not open_region:
                raise LabError(f"{where} LAB {lab} END without a BEGIN")
            if lab != open_region[0]:
                raise LabError(f"{where} LAB {lab} END closes the LAB {open_region[0]} region "
                               f"begun at line {open_region[1] + 1}")
            regions.append(Region(lab, open_region[1], i, open_region[2]))
            open_region = None
        elif LOOSE.search(line):
            raise LabError(f"{where} malformed lab marker: {line.strip()}")
        i += 1
    if open_region:
        raise LabError(f"{path}:{open_region[1] + 1}: LAB {open_region[0]} BEGIN has no END")
    return lines, regions


def render(lines, regions, lab):
    """The file as lab `lab`'s starter sees it: its regions become their
    stubs; every other region keeps its solution without the marker lines."""
    out = []
    position = 0
    for region in regions:
        out.extend(lines[position:region.begin])
        if region.lab == lab:
            out.extend(region.stub)
        else:
            body_start = region.begin + 1
            if region.stub:  # skip the stub lines and, in C, the closing */
                body_start += len(region.stub) + (1 if lines[region.begin].lstrip().startswith("/*") else 0)
            out.extend(lines[body_start:region.end])
        position = region.end + 1
    out.extend(lines[position:])
    return "".join(out)


def tree_files(root):
    """Files of the tree, relative to root: git's tracked and untracked
    (not ignored) files in a work tree, else every file outside build/."""
    try:
        listing = subprocess.run(["git", "-C", root, "ls-files", "-z", "--cached", "--others",
                                  "--exclude-standard"], stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, check=True).stdout.decode()
        files = sorted(set(name for name in listing.split("\0") if name))
        if files:
            return [name for name in files if os.path.isfile(os.path.join(root, name))]
    except (subprocess.CalledProcessError, FileNotFoundError):
        pass
    files = []
    for directory, subdirs, names in os.walk(root):
        relative = os.path.relpath(directory, root)
        subdirs[:] = [d for d in subdirs if not (relative == "." and d in ("build", ".git"))]
        for name in names:
            files.append(os.path.normpath(os.path.join(relative, name)))
    return sorted(files)


def scan(root):
    """{relative path: (lines, regions)} for every file with markers, after
    checking every marked file; raises LabError at the first problem."""
    labs = lab_names(root)
    marked = {}
    for name in tree_files(root):
        if os.path.splitext(name)[1] not in MARKED_EXTENSIONS:
            continue
        with open(os.path.join(root, name), encoding="utf-8") as handle:
            text = handle.read()
        lines, regions = parse_markers(name, text, labs)
        if regions:
            marked[name] = (lines, regions)
    return marked


def excluded(name, lab):
    for prefix in INSTRUCTOR_ONLY:
        if name == prefix or (prefix.endswith("/") and name.startswith(prefix)):
            return True
    parts = name.split("/")
    return len(parts) > 2 and parts[0] == "labs" and parts[1] != lab


def write_starter(root, lab, destination, reuse_build=None):
    labs = lab_names(root)
    if not lab or not destination:
        raise LabError("say which lab and where: make lab LAB=NAME DEST=DIR "
                       f"(labs: {', '.join(labs) or 'none'})")
    if lab not in labs:
        raise LabError(f"unknown lab '{lab}' (labs: {', '.join(labs) or 'none'})")
    if os.path.exists(destination) and (not os.path.isdir(destination) or os.listdir(destination)):
        raise LabError(f"destination {destination} exists and is not empty")
    marked = scan(root)
    if not any(region.lab == lab for _, regions in marked.values() for region in regions):
        raise LabError(f"lab '{lab}' has no marked regions in the tree")
    parent = os.path.dirname(os.path.abspath(destination))
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".lab-", dir=parent)
    try:
        for name in tree_files(root):
            if excluded(name, lab):
                continue
            source, target = os.path.join(root, name), os.path.join(staging, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if name in marked:
                lines, regions = marked[name]
                text = render(lines, regions, lab)
                with open(target, "w", encoding="utf-8") as handle:
                    handle.write(text)
                shutil.copymode(source, target)  # rewritten: newer than any object
            else:
                shutil.copy2(source, target)
        if reuse_build:
            # Objects of unchanged files stay valid: their sources keep the
            # reference's timestamps, and every rewritten file is newer.
            shutil.copytree(reuse_build, os.path.join(staging, "build"), symlinks=True)
        git = ["git", "-C", staging, "-c", "user.name=Prism labs",
               "-c", "user.email=labs@prism.invalid", "-c", "commit.gpgsign=false"]
        subprocess.run(git[:3] + ["init", "-q"], check=True)
        with open(os.path.join(staging, ".git", "info", "exclude"), "a") as handle:
            handle.write("build/\n")
        subprocess.run(git + ["add", "-A"], check=True)
        subprocess.run(git + ["commit", "-q", "-m", f"Prism lab {lab}: starter"], check=True)
        if os.path.isdir(destination):
            os.rmdir(destination)  # empty, checked above
        os.rename(staging, destination)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


# ------------------------------------------------------------ check-labs ---
SCORE = re.compile(r"^Score: (\d+)/(\d+)$", re.MULTILINE)
FAILED_TEST = re.compile(r"^(.*\S)\s+FAIL\s+\d+/\d+", re.MULTILINE)


def grade(tree, lab, log):
    """Runs `make grade` in tree; returns (score, full, failing test names,
    whether the kernel built)."""
    command = ["make", "--no-print-directory", "-C", tree, "grade"]
    if tree == ROOT:
        command.append(f"LAB={lab}")
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log.write(f"$ {' '.join(command)}\n{result.stdout}\n")
    log.flush()
    match = SCORE.search(result.stdout)
    if not match:
        return None, None, [], False
    built = "the kernel does not build" not in result.stdout
    return int(match.group(1)), int(match.group(2)), FAILED_TEST.findall(result.stdout), built


def check_labs(labs, keep=None):
    marked = scan(ROOT)
    print(f"check-labs: markers valid in {len(marked)} files")
    subprocess.run(["make", "--no-print-directory", "-C", ROOT, "all", "unit-tests"], check=True,
                   stdout=subprocess.DEVNULL)
    workdir = keep or tempfile.mkdtemp(prefix="prism-labs-")
    os.makedirs(workdir, exist_ok=True)
    log_path = os.path.join(workdir, "check-labs.log")
    problems = []
    rows = []
    with open(log_path, "w") as log:
        for lab in labs:
            started = time.monotonic()
            reference = grade(ROOT, lab, log)
            destination = os.path.join(workdir, lab)
            shutil.rmtree(destination, ignore_errors=True)
            write_starter(ROOT, lab, destination, reuse_build=os.path.join(ROOT, "build"))
            leaks = [name for name in tree_files(destination)
                     if os.path.splitext(name)[1] in MARKED_EXTENSIONS
                     and LOOSE.search(open(os.path.join(destination, name)).read())]
            starter = grade(destination, lab, log)
            seconds = time.monotonic() - started
            rows.append((lab, starter, reference, seconds))
            if reference[0] is None or reference[0] != reference[1]:
                problems.append(f"{lab}: the reference scores {reference[0]}/{reference[1]}, "
                                "not full marks")
            if starter[0] is None:
                problems.append(f"{lab}: the starter's grade printed no score")
            elif not starter[3]:
                problems.append(f"{lab}: the starter does not build (warnings are errors)")
            elif starter[0] >= starter[1] or not starter[2]:
                problems.append(f"{lab}: the starter scores {starter[0]}/{starter[1]}; "
                                "its own tests must fail")
            if leaks:
                problems.append(f"{lab}: marker text left in the starter: {', '.join(leaks)}")
            print(f"  {lab:<10} starter {starter[0]}/{starter[1]}  reference "
                  f"{reference[0]}/{reference[1]}  ({seconds:.0f} s)", flush=True)
            if not keep:
                shutil.rmtree(destination, ignore_errors=True)
    for problem in problems:
        print(f"check-labs: {problem}")
    print(f"check-labs: {len(labs) - len(set(p.split(':')[0] for p in problems))} of {len(labs)} "
          f"labs proven (log: {log_path})")
    return 1 if problems else 0


def main(argv):
    parser = argparse.ArgumentParser(prog="lab.py", description="Prism's lab starter trees")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list")
    commands.add_parser("check")
    starter = commands.add_parser("starter")
    starter.add_argument("lab")
    starter.add_argument("destination")
    starter.add_argument("--reuse-build", default=None)
    check = commands.add_parser("check-labs")
    check.add_argument("--labs", default=None, help="comma-separated subset")
    check.add_argument("--keep", default=None, help="keep starters and the log in this folder")
    parser.add_argument("--root", default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        if args.command == "list":
            print("\n".join(lab_names(args.root)))
        elif args.command == "check":
            marked = scan(args.root)
            count = sum(len(regions) for _, regions in marked.values())
            print(f"lab markers: {count} regions in {len(marked)} files, all valid")
        elif args.command == "starter":
            write_starter(args.root, args.lab, args.destination, args.reuse_build)
            print(f"lab {args.lab}: starter written to {args.destination} (a git repository); "
                  f"the handout is labs/{args.lab}/README.md there, `make grade` grades it")
        else:
            labs = lab_names(ROOT)
            chosen = args.labs.split(",") if args.labs else labs
            unknown = [lab for lab in chosen if lab not in labs]
            if unknown:
                raise LabError(f"unknown lab '{unknown[0]}' (labs: {', '.join(labs)})")
            return check_labs(chosen, args.keep)
    except LabError as error:
        print(f"lab: {error}" if not re.match(r"^\S+:\d+:", str(error)) else str(error),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
