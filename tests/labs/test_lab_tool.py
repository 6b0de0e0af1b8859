#!/usr/bin/env python3
"""test_lab_tool.py — host tests of tools/lab.py, the lab marker tool.

Each test builds a small fake reference tree (two labs, C and nasm files
with markers) in a temporary folder and runs the tool on it: stubs must be
substituted byte for byte, other labs' solutions kept without their marker
lines, instructor material left out, and every malformed marker, unknown
lab and non-empty destination reported in one line with nothing written.
Run: python3 tests/labs/test_lab_tool.py (make check runs it).
OSTEP: none; teaching infrastructure (labs/README.md).
"""
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(ROOT, "tools", "lab.py")

C_SOURCE = """\
int keep_before;
/* LAB alpha BEGIN: stub
int answer(void) { return 0; } // TODO(alpha)

    // an indented stub line
*/
int answer(void)
{
    return 42;
}
/* LAB alpha END */
int between;
    /* LAB beta BEGIN: stub
    return -1; // TODO(beta)
    */
    return 7;
    /* LAB beta END */
/* LAB alpha BEGIN */
static int helper_only_in_the_solution;
/* LAB alpha END */
int keep_after;
"""

C_ALPHA = """\
int keep_before;
int answer(void) { return 0; } // TODO(alpha)

    // an indented stub line
int between;
    return 7;
int keep_after;
"""

C_BETA = """\
int keep_before;
int answer(void)
{
    return 42;
}
int between;
    return -1; // TODO(beta)
static int helper_only_in_the_solution;
int keep_after;
"""

NASM_SOURCE = """\
global f
f:
    ; LAB alpha BEGIN: stub
    ;>    xor eax, eax    ; TODO(alpha): return 42
    ;>
    ;>ret
    mov eax, 42
    ret
    ; LAB alpha END
"""

NASM_ALPHA = """\
global f
f:
       xor eax, eax    ; TODO(alpha): return 42

    ret
"""

NASM_BETA = """\
global f
f:
    mov eax, 42
    ret
"""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        handle.write(text)


def read(path):
    with open(path) as handle:
        return handle.read()


class Tree:
    """A fake reference tree in a temporary folder."""

    def __init__(self, files=None):
        self.temporary = tempfile.TemporaryDirectory(prefix="labtool-")
        self.root = os.path.join(self.temporary.name, "ref")
        base = {
            "labs/alpha/README.md": "# alpha\n",
            "labs/alpha/tests/grade_alpha.py": "# alpha's tests\n",
            "labs/beta/README.md": "# beta\n",
            "labs/README.md": "instructors\n",
            "labs/answers/alpha.md": "answer key\n",
            "tools/lab.py": "# the tool\n",
            "tests/labs/test_lab_tool.py": "# its tests\n",
            ".ci/run": "ci\n",
            "src/a.c": C_SOURCE,
            "src/b.asm": NASM_SOURCE,
            "src/plain.c": "int plain; /* mentions no marker */\n",
            "docs/notes.md": "LAB alpha BEGIN in prose is not a marker\n",
        }
        base.update(files or {})
        for name, text in base.items():
            if text is not None:
                write(os.path.join(self.root, name), text)

    def path(self, *parts):
        return os.path.join(self.temporary.name, *parts)

    def run(self, *arguments):
        return subprocess.run([sys.executable, TOOL, "--root", self.root, *arguments],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def snapshot(self):
        state = {}
        for directory, _, names in os.walk(self.temporary.name):
            for name in names:
                path = os.path.join(directory, name)
                if "/.git/" not in path:
                    state[path] = read(path)
        return state

    def close(self):
        self.temporary.cleanup()


class StarterContents(unittest.TestCase):
    def setUp(self):
        self.tree = Tree()
        self.addCleanup(self.tree.close)

    def starter(self, lab):
        destination = self.tree.path(f"starter-{lab}")
        result = self.tree.run("starter", lab, destination)
        self.assertEqual(result.returncode, 0, result.stderr)
        return destination

    def test_stubs_replace_this_labs_regions_exactly(self):
        destination = self.starter("alpha")
        self.assertEqual(read(os.path.join(destination, "src/a.c")), C_ALPHA)
        self.assertEqual(read(os.path.join(destination, "src/b.asm")), NASM_ALPHA)

    def test_other_labs_keep_their_solutions_without_markers(self):
        destination = self.starter("beta")
        self.assertEqual(read(os.path.join(destination, "src/a.c")), C_BETA)
        self.assertEqual(read(os.path.join(destination, "src/b.asm")), NASM_BETA)

    def test_unmarked_files_are_copied_unchanged(self):
        destination = self.starter("alpha")
        self.assertEqual(read(os.path.join(destination, "src/plain.c")),
                         "int plain; /* mentions no marker */\n")
        self.assertEqual(read(os.path.join(destination, "docs/notes.md")),
                         "LAB alpha BEGIN in prose is not a marker\n")

    def test_reference_is_left_untouched(self):
        before = {k: v for k, v in self.tree.snapshot().items()}
        destination = self.starter("alpha")
        after = {k: v for k, v in self.tree.snapshot().items() if not k.startswith(destination)}
        self.assertEqual(before, after)

    def test_no_instructor_material_and_only_this_labs_folder(self):
        destination = self.starter("alpha")
        for absent in ["labs/README.md", "labs/answers", "labs/beta", "tools/lab.py",
                       "tests/labs", ".ci"]:
            self.assertFalse(os.path.exists(os.path.join(destination, absent)), absent)
        for present in ["labs/alpha/README.md", "labs/alpha/tests/grade_alpha.py"]:
            self.assertTrue(os.path.exists(os.path.join(destination, present)), present)

    def test_starter_is_a_git_repository_with_one_commit(self):
        destination = self.starter("alpha")
        log = subprocess.run(["git", "-C", destination, "log", "--oneline"],
                             stdout=subprocess.PIPE, text=True, check=True).stdout
        self.assertEqual(len(log.splitlines()), 1, log)
        status = subprocess.run(["git", "-C", destination, "status", "--porcelain"],
                                stdout=subprocess.PIPE, text=True, check=True).stdout
        self.assertEqual(status, "")

    def test_empty_destination_is_used(self):
        destination = self.tree.path("empty")
        os.makedirs(destination)
        result = self.tree.run("starter", "alpha", destination)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(read(os.path.join(destination, "src/a.c")), C_ALPHA)

    def test_reused_build_outputs_stay_valid_for_make(self):
        """Unchanged sources keep the reference's timestamps (their objects
        stay up to date); rewritten ones are newer than every object."""
        build = os.path.join(self.tree.root, "build")
        write(os.path.join(build, "src", "a.o"), "object\n")
        old = 1_000_000_000
        for name in ("src/a.c", "src/plain.c"):
            os.utime(os.path.join(self.tree.root, name), (old, old))
        os.utime(os.path.join(build, "src", "a.o"), (old + 10, old + 10))
        destination = self.tree.path("reused")
        result = self.tree.run("starter", "alpha", destination, "--reuse-build", build)
        self.assertEqual(result.returncode, 0, result.stderr)
        reused = os.path.join(destination, "build", "src", "a.o")
        self.assertEqual(read(reused), "object\n")
        self.assertEqual(os.path.getmtime(os.path.join(destination, "src/plain.c")), old)
        self.assertGreater(os.path.getmtime(os.path.join(destination, "src/a.c")),
                           os.path.getmtime(reused))
        status = subprocess.run(["git", "-C", destination, "status", "--porcelain"],
                                stdout=subprocess.PIPE, text=True, check=True).stdout
        self.assertEqual(status, "", "build/ must not show up in the starter's git")

    def test_check_counts_regions(self):
        result = self.tree.run("check")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("4 regions in 2 files", result.stdout)


class BadInput(unittest.TestCase):
    """Every error is one line, names FILE:LINE: for markers, writes nothing."""

    def expect_error(self, files, message, lab="alpha", destination=None):
        tree = Tree(files)
        self.addCleanup(tree.close)
        destination = destination or tree.path("out")
        before = tree.snapshot()
        result = tree.run("starter", lab, destination)
        self.assertNotEqual(result.returncode, 0)
        self.assertEqual(result.stdout, "")
        lines = result.stderr.splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertRegex(lines[0], message)
        self.assertEqual(before, tree.snapshot(), "something was written")
        self.assertFalse(os.path.exists(tree.path("out")) and destination == tree.path("out"))
        leftovers = [n for n in os.listdir(tree.temporary.name) if n.startswith(".lab-")]
        self.assertEqual(leftovers, [])
        return lines[0]

    def test_unknown_lab(self):
        self.expect_error({}, r"^lab: unknown lab 'gamma' \(labs: alpha, beta\)$", lab="gamma")

    def test_nested_markers(self):
        self.expect_error({"src/n.c": "/* LAB alpha BEGIN */\nx\n/* LAB beta BEGIN */\n"
                                      "/* LAB beta END */\n/* LAB alpha END */\n"},
                          r"^src/n\.c:3: LAB beta BEGIN inside the LAB alpha region begun at line 1")

    def test_end_without_begin(self):
        self.expect_error({"src/n.c": "int x;\n/* LAB alpha END */\n"},
                          r"^src/n\.c:2: LAB alpha END without a BEGIN$")

    def test_begin_without_end(self):
        self.expect_error({"src/n.asm": "nop\n; LAB beta BEGIN\nnop\n"},
                          r"^src/n\.asm:2: LAB beta BEGIN has no END$")

    def test_end_naming_another_lab(self):
        self.expect_error({"src/n.c": "/* LAB alpha BEGIN */\nx\n/* LAB beta END */\n"},
                          r"^src/n\.c:3: LAB beta END closes the LAB alpha region begun at line 1$")

    def test_marker_naming_no_lab(self):
        self.expect_error({"src/n.h": "\n/* LAB gamma BEGIN */\n/* LAB gamma END */\n"},
                          r"^src/n\.h:2: marker names no lab 'gamma' \(labs: alpha, beta\)$")

    def test_stub_never_closed(self):
        self.expect_error({"src/n.c": "/* LAB alpha BEGIN: stub\nreturn 0;\n/* LAB alpha END */\n"},
                          r"^src/n\.c:(1|3): .*LAB alpha")

    def test_stub_with_a_comment_delimiter(self):
        self.expect_error({"src/n.c": "/* LAB alpha BEGIN: stub\nx; /* no */\n*/\ny;\n"
                                      "/* LAB alpha END */\n"},
                          r"^src/n\.c:2: stub of LAB alpha contains a comment delimiter")

    def test_empty_stub(self):
        self.expect_error({"src/n.asm": "; LAB alpha BEGIN: stub\nnop\n; LAB alpha END\n"},
                          r"^src/n\.asm:1: LAB alpha BEGIN: stub has no stub lines")

    def test_malformed_marker(self):
        self.expect_error({"src/n.c": "int a;\n/* LAB alpha BEGIN stub\n*/\n"},
                          r"^src/n\.c:2: malformed lab marker: /\* LAB alpha BEGIN stub$")

    def test_c_marker_in_nasm_file_is_malformed(self):
        self.expect_error({"src/n.asm": "/* LAB alpha BEGIN */\n"},
                          r"^src/n\.asm:1: malformed lab marker")

    def test_destination_not_empty(self):
        tree = Tree()
        self.addCleanup(tree.close)
        taken = tree.path("taken")
        write(os.path.join(taken, "mine.txt"), "student work\n")
        before = tree.snapshot()
        result = tree.run("starter", "alpha", taken)
        self.assertNotEqual(result.returncode, 0)
        self.assertRegex(result.stderr.strip(), r"^lab: destination .*taken exists and is not empty$")
        self.assertEqual(before, tree.snapshot())

    def test_destination_is_a_file(self):
        tree = Tree()
        self.addCleanup(tree.close)
        write(tree.path("afile"), "x\n")
        result = tree.run("starter", "alpha", tree.path("afile"))
        self.assertNotEqual(result.returncode, 0)
        self.assertEqual(read(tree.path("afile")), "x\n")

    def test_lab_without_regions(self):
        self.expect_error({"labs/gamma/README.md": "# gamma\n"},
                          r"^lab: lab 'gamma' has no marked regions", lab="gamma")

    def test_missing_arguments(self):
        tree = Tree()
        self.addCleanup(tree.close)
        result = tree.run("starter", "", "")
        self.assertNotEqual(result.returncode, 0)
        self.assertRegex(result.stderr, r"^lab: say which lab and where: make lab LAB=NAME DEST=DIR "
                                        r"\(labs: alpha, beta\)\n$")


class ReferenceMarkers(unittest.TestCase):
    def test_the_real_tree_is_valid(self):
        result = subprocess.run([sys.executable, TOOL, "check"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        self.assertEqual(result.returncode, 0, result.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
