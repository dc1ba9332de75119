#!/usr/bin/env python3
"""Hostile inputs: every case must end by itself with exit 0, 1 or 2 (never a crash, never a
hang), within a generous bound, saying what went wrong where an error is expected. Covers the
fuzz findings of tests/data/fuzz-findings and a table of inputs built to exhaust time, stack or
memory. With --record, prints each case's wall time and peak memory (the benchmark keeps them).

usage: hostile.py POL DATA_DIR [--record]
"""
import os
import subprocess
import sys
import tempfile
import time

POL, DATA = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
RECORD = "--record" in sys.argv
BOUND = 60  # seconds: far above any case's cost, far below a hang

POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: registry.example/app:1}\n"


def findings():
    folder = os.path.join(DATA, "fuzz-findings")
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if name.endswith(".pol"):
            yield name, ["check", "--policy", path, "{pod}"], None
        elif not name.endswith(".md"):
            yield name, ["check", path], None


# name, arguments ({pod}: a file with one Pod, {file}: the file written with the row's content),
# content, the exit statuses allowed, a text the output (stdout + stderr) must contain.
ROWS = [
    ("40,000 broken YAML documents", ["check", "{file}"], "---\n[\n" * 40000, {2}, "invalid YAML"),
    ("lone CRs between documents", ["check", "{file}"], "-\re\n---\r" * 1000, {2}, "invalid YAML"),
    ("NEL and LS line breaks", ["check", "{file}"], "a: 1\xc2\x85---\xe2\x80\xa8b: [\n", {2}, "invalid YAML"),
    ("a caret past a line of CRs", ["check", "{file}"], '"' + "\r" * 10000, {2}, "invalid YAML"),
]


def run(args, work):
    out_path, err_path = os.path.join(work, "stdout"), os.path.join(work, "stderr")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.monotonic()
        process = subprocess.Popen([POL, *args], stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=work)
        deadline = start + BOUND
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                process.kill()
                os.wait4(process.pid, 0)
                return None, BOUND, 0, ""
            time.sleep(0.01)
        seconds = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    with open(out_path, errors="replace") as o, open(err_path, errors="replace") as e:
        text = o.read(1 << 20) + e.read(1 << 20)
    return code, seconds, usage.ru_maxrss // 1024, text


failures = []
with tempfile.TemporaryDirectory() as work:
    pod = os.path.join(work, "pod.yaml")
    with open(pod, "w") as f:
        f.write(POD)
    cases = [(name, args, None, {0, 1, 2}, "") for name, args, _ in findings()]
    cases += ROWS
    for name, args, content, allowed, needle in cases:
        file = os.path.join(work, "input")
        if content is not None:
            with open(file, "wb") as f:
                f.write(content.encode("utf-8", "surrogateescape") if isinstance(content, str) else content)
        argv = [a.replace("{pod}", pod).replace("{file}", file) for a in args]
        code, seconds, megabytes, text = run(argv, work)
        verdict = "ok"
        if code is None:
            verdict = f"did not end within {BOUND} s"
        elif code not in allowed:
            verdict = f"exit {code}, expected {sorted(allowed)}"
        elif needle not in text:
            verdict = f"output lacks {needle!r}: {text[:300]!r}"
        if verdict != "ok":
            failures.append(f"{name}: {verdict}")
        if RECORD or verdict != "ok":
            print(f"{name:45} exit {code}  {seconds:7.3f} s  {megabytes:6d} MiB  {verdict}")

for failure in failures:
    print("FAIL", failure)
print(f"hostile: {len(cases)} cases, {len(failures)} failures")
sys.exit(1 if failures else 0)
