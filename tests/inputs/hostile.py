#!/usr/bin/env python3
"""Hostile inputs: every case must end by itself with exit 0, 1 or 2 (never a crash, never a
hang), within a generous bound, saying what went wrong where an error is expected. Covers the
fuzz findings of tests/data/fuzz-findings and a table of inputs built to exhaust time, stack or
memory. With --record, prints each case's wall time and peak memory (the benchmark keeps them).

usage: hostile.py POL DATA_DIR [--record]
"""
import json
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


def pod_with_containers(count, security_context):
    """A Pod (as JSON) with `count` containers, each with this securityContext."""
    containers = [{"name": f"c{i}", "image": "registry.example/app:1", "securityContext": security_context}
                  for i in range(count)]
    return json.dumps({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "many"}, "spec": {"containers": containers}})


def pod_with_image(image):
    return POD.replace("registry.example/app:1", image)


def policy(functions, condition):
    return f'policy "hostile"\n{functions}\ncheck boom {{\n  deny if {condition}\n    reason "boom"\n}}\n'


def laughs():
    lines = ["apiVersion: v1", "kind: Pod", "metadata:", "  name: lol", "x:", "  a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]"]
    for previous, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"  {name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def regex_policy(pattern):
    return ('policy "regex"\ncheck image {\n  deny if any(c in all_containers: matches(c.image, "PATTERN"))\n'
            '    reason "image"\n}\n').replace("PATTERN", pattern)


# name, arguments ({name}: the path of the row's file of that name), files, the exit statuses
# allowed, a text the output (stdout + stderr) must contain.
ROWS = [
    ("40,000 broken YAML documents", ["check", "{in.yaml}"], {"in.yaml": "---\n[\n" * 40000}, {2}, "invalid YAML"),
    ("lone CRs between documents", ["check", "{in.yaml}"], {"in.yaml": "-\re\n---\r" * 1000}, {2}, "invalid YAML"),
    ("NEL and LS line breaks", ["check", "{in.yaml}"], {"in.yaml": "a: 1\xc2\x85---\xe2\x80\xa8b: [\n"}, {2}, "invalid YAML"),
    ("a caret past a line of CRs", ["check", "{in.yaml}"], {"in.yaml": '"' + "\r" * 10000}, {2}, "invalid YAML"),
    ("100,000 privileged containers located", ["check", "--profile", "baseline", "-o", "json", "{pod.json}"],
     {"pod.json": pod_with_containers(100000, {"privileged": True})}, {1}, "spec.containers[99999].securityContext.privileged"),
    ("catastrophic regex ^(a+)+$", ["check", "--policy", "{p.pol}", "{pod.yaml}"],
     {"p.pol": regex_policy("^(a+)+$"), "pod.yaml": pod_with_image("a" * 5000 + "!")}, {0}, "allowed"),
    ("recursive regex ^(a|b)*$ on 100,000 characters", ["check", "--policy", "{p.pol}", "{pod.yaml}"],
     {"p.pol": regex_policy("^(a|b)*$"), "pod.yaml": pod_with_image("ab" * 50000)}, {1}, "denied"),
    # Evaluation budgets: each ends as a located error.
    ("exponential recursion", ["check", "--policy", "{p.pol}", "{pod}"],
     {"p.pol": policy("fn f(n) = if n == 0 then 1 else f(n - 1) + f(n - 1)", "f(60) > 0")}, {2}, "more than 10000000 steps"),
    ("a comprehension of 10^10 items", ["check", "--policy", "{p.pol}", "{pod.json}"],
     {"p.pol": policy("", "len([[a.name + b.name for b in all_containers] for a in all_containers]) > 0"),
      "pod.json": pod_with_containers(100000, {})}, {2}, "exceed 134217728 bytes"),
    ("string doubling", ["check", "--policy", "{p.pol}", "{pod}"],
     {"p.pol": policy("fn d(s, n) = if n == 0 then s else d(s + s, n - 1)", 'len(d("ab", 80)) > 0')}, {2}, "exceed 134217728 bytes"),
    ("unbounded recursion", ["check", "--policy", "{p.pol}", "{pod}"],
     {"p.pol": policy("fn down(n) = down(n + 1)", "down(0) > 0")}, {2}, "calls nested deeper than 200"),
    # The parser: no exponential backtracking, no stack exhaustion.
    ("22 nested [ in 62 bytes", ["check", "--policy", "{p.pol}", "{pod}"],
     {"p.pol": policy("", "len(" + "[" * 22 + "1" + "]" * 22 + ") > 0")}, {1}, "denied"),
    ("30 nested any(", ["check", "--policy", "{p.pol}", "{pod}"],
     {"p.pol": policy("", "any(" * 30 + "[true]" + ")" * 30)}, {2}, "must be a list"),
    ("5,000 nested parentheses", ["check", "--policy", "{p.pol}", "{pod}"],
     {"p.pol": policy("", "(" * 5000 + "true" + ")" * 5000)}, {2}, "nested deeper than 64 levels"),
    ("100,000 nots", ["check", "--policy", "{p.pol}", "{pod}"],
     {"p.pol": policy("", "not " * 100000 + "true")}, {2}, "nested deeper than 64 levels"),
    ("1,000 nested interpolations", ["check", "--policy", "{p.pol}", "{pod}"],
     {"p.pol": policy("", '"{' * 1000 + "1" + '}"' * 1000 + ' == ""')}, {2}, "nested deeper than 64 levels"),
    # Imports stay in the policy's folder.
    ("imports escaping the folder", ["check", "--policy", "{p.pol}", "{pod}"],
     {"p.pol": 'import "../../../../etc/passwd"\nimport "/etc/shadow"\nimport "/dev/zero"\n' + policy("", "true")},
     {2}, "outside the policy's folder"),
    # Documents.
    ("a 64 MiB scalar", ["check", "{big.yaml}"], {"big.yaml": POD.replace("name: p}", "name: p, annotations: {a: '" + "x" * (64 << 20) + "'}}")},
     {1}, "denied"),
    ("a million keys", ["check", "{keys.json}"],
     {"keys.json": json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "data": {f"k{i}": "v" for i in range(1000000)}})},
     {0}, "1 skipped"),
    ("bad UTF-8", ["check", "{bad.yaml}"], {"bad.yaml": POD.replace("name: p", "name: p\udcff\udcfe")}, {2}, "invalid"),
    ("NUL bytes", ["check", "{nul.yaml}"], {"nul.yaml": POD.replace("name: p", "name: p\x00")}, {2}, "invalid YAML"),
    ("a billion laughs", ["check", "{lol.yaml}"], {"lol.yaml": laughs()}, {2}, "aliases expand to more than"),
]


def run(args, work):
    out_path, err_path = os.path.join(work, "stdout"), os.path.join(work, "stderr")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.monotonic()
        process = subprocess.Popen([POL, *args], stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=work)
        deadline = start + BOUND
        peak = 0  # KiB: the new image's high-water mark (rusage would count the forking Python too)
        while True:
            try:
                with open(f"/proc/{process.pid}/status") as status_file:
                    for line in status_file:
                        if line.startswith("VmHWM:"):
                            peak = max(peak, int(line.split()[1]))
            except OSError:
                pass
            pid, status, _ = os.wait4(process.pid, os.WNOHANG)
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
        text = o.read() + e.read(1 << 20)
    return code, seconds, peak // 1024, text


failures = []
with tempfile.TemporaryDirectory() as work:
    pod = os.path.join(work, "pod.yaml")
    with open(pod, "w") as f:
        f.write(POD)
    cases = [(name, args, {}, {0, 1, 2}, "") for name, args, _ in findings()]
    cases += ROWS
    for name, args, files, allowed, needle in cases:
        paths = {"{pod}": pod}
        for file_name, content in files.items():
            paths["{" + file_name + "}"] = os.path.join(work, file_name)
            with open(paths["{" + file_name + "}"], "wb") as f:
                f.write(content.encode("utf-8", "surrogateescape"))
        argv = []
        for arg in args:
            for key, path in paths.items():
                arg = arg.replace(key, path)
            argv.append(arg)
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
