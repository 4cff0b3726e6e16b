#!/usr/bin/env python3
"""Runs docs/walkthrough.md, so that it never goes stale.

    walkthrough_test.py CONSIM SOURCE_DIR [--coverage-only]

Coverage (always; fast): every file in scenarios/ and sweeps/ is named in a
```sh block of docs/walkthrough.md, and every scenario is named in README.md's
list of ready scenarios. The directories are iterated, never pinned, so a new
scenario fails here with a message saying where to describe it.

Commands (unless --coverage-only): every ```sh block of the walkthrough, in
order, one command at a time (a line ending in a backslash continues), run by
bash in a fresh temporary folder where build/cli/consim is CONSIM and
scenarios/, sweeps/, scripts/, analysis/ and docs/ are the source tree's, so
the commands run exactly as a student types them and write only to the
temporary out/. Each must exit 0, or the code its line's trailing comment
names ("# exits 1"), and its output must contain the text of every
"# prints: TEXT" line that follows it (the numbers the prose quotes). Then
every output path the text names in backquotes (`out/...png`, .svg, .json,
.csv, .txt, .jsonl) must exist and be non-empty.
Blocks fenced ```console (./demo.sh, the build) are shown, not run.

Exit 0: all passed; 1: something failed (each failure on one line);
77: skipped (no Python with matplotlib); 4: bad command line.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

DOC = "docs/walkthrough.md"
HOW_TO_ADD = ("add it to the section of docs/walkthrough.md its teaching point "
              "belongs to (or a new section): the command in a ```sh block, "
              "the chart it writes (its path under out/ in backquotes) and two "
              "sentences on what to see; tests/e2e/walkthrough_test.py runs "
              "every command")
EXPECT = re.compile(r"#\s*exits\s+(\d+)\s*$")
PRINTS = "# prints:"
OUTPUT_PATH = re.compile(r"`(out/[A-Za-z0-9_.\-/]+\.(?:png|svg|json|csv|txt|jsonl))`")
SANDBOX_LINKS = ["scenarios", "sweeps", "scripts", "analysis", "docs"]


def sh_commands(text):
    """The commands of the ```sh blocks: (line number, command, expected exit,
    texts its output must contain: the "# prints: TEXT" lines after it)."""
    commands, in_block, pending, start = [], False, "", 0
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not in_block:
            in_block = stripped == "```sh"
            continue
        if stripped == "```":
            in_block = False
            continue
        if not pending and stripped.startswith(PRINTS) and commands:
            commands[-1][3].append(stripped[len(PRINTS):].strip())
            continue
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if not pending:
            start = number
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        command = pending + stripped
        pending = ""
        match = EXPECT.search(command)
        commands.append((start, command, int(match.group(1)) if match else 0, []))
    return commands


def coverage_failures(source):
    """Scenario and sweep files the walkthrough or the README does not name."""
    with open(os.path.join(source, DOC), encoding="utf-8") as f:
        doc = f.read()
    with open(os.path.join(source, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    run_text = "\n".join(command for _, command, _, _ in sh_commands(doc))
    failures = []
    for folder in ("scenarios", "sweeps"):
        for name in sorted(os.listdir(os.path.join(source, folder))):
            if not name.endswith(".json"):
                continue
            if f"{folder}/{name}" not in run_text:
                failures.append(f"{folder}/{name} is not run by any command of "
                                f"{DOC}: {HOW_TO_ADD}")
            if folder == "scenarios" and f"`{name}`" not in readme:
                failures.append(f"scenarios/{name} is not in README.md's list of "
                                "ready scenarios: add a line \"- `" + name +
                                "`: what it shows\" under the heading of its "
                                "topic there")
    return doc, failures


def make_sandbox(consim, source):
    root = tempfile.mkdtemp(prefix="consim-walkthrough-")
    os.makedirs(os.path.join(root, "build", "cli"))
    os.symlink(os.path.abspath(consim), os.path.join(root, "build", "cli", "consim"))
    for name in SANDBOX_LINKS:
        os.symlink(os.path.join(source, name), os.path.join(root, name))
    return root


def run_commands(doc, sandbox):
    failures = []
    for line, command, expected, prints in sh_commands(doc):
        began = time.monotonic()
        done = subprocess.run(["bash", "-c", command], cwd=sandbox, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=600)
        seconds = time.monotonic() - began
        status = "ok" if done.returncode == expected else "FAILED"
        print(f"{status} ({seconds:.1f} s) {DOC}:{line}: {command}")
        if done.returncode != expected:
            tail = "\n    ".join(done.stdout.strip().splitlines()[-15:])
            failures.append(f"{DOC}:{line}: exit {done.returncode}, expected {expected}: "
                            f"{command}\n    {tail}")
        for text in prints:
            if text not in done.stdout:
                failures.append(f"{DOC}:{line}: the output of {command} no longer "
                                f"contains \"{text}\" (update the text around it)")
    return failures


def missing_outputs(doc, sandbox):
    failures = []
    for path in sorted(set(OUTPUT_PATH.findall(doc))):
        full = os.path.join(sandbox, path)
        if not os.path.isfile(full) or os.path.getsize(full) == 0:
            failures.append(f"{DOC} names {path}, but no command wrote it")
    return failures


def main(argv):
    args = [a for a in argv[1:] if a != "--coverage-only"]
    if len(args) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 4
    consim, source = args[0], os.path.abspath(args[1])
    doc, failures = coverage_failures(source)
    if "--coverage-only" not in argv:
        if subprocess.run([os.path.join(source, "scripts", "find-python.sh")],
                          stdout=subprocess.DEVNULL).returncode != 0:
            print("skipped: no Python 3 with matplotlib (scripts/find-python.sh)")
            return 77
        sandbox = make_sandbox(consim, source)
        try:
            failures += run_commands(doc, sandbox)
            failures += missing_outputs(doc, sandbox)
        finally:
            if failures and os.environ.get("CONSIM_KEEP_WALKTHROUGH"):
                print(f"kept {sandbox}")
            else:
                shutil.rmtree(sandbox, ignore_errors=True)
    for failure in failures:
        print("FAIL " + failure)
    print(f"walkthrough: {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
