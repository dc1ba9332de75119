#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The C API and its bindings, against pol check.

1. libpol.so.0 exports the C API and nothing else (nm -D).
2. The C, Go and Python examples evaluate the same three pods (examples/three-pods: allowed,
   denied, erroring) with examples/policies/memory_cap.pol at restricted:latest; each must print
   what `pol check` prints (the object lines, error lines and Pod Security Admission's lines,
   without the locations and the summary), write the same errors to stderr and exit the same.
3. The Go binding's own tests (go vet, go test: review, mutate, failures, goroutines) and the
   Python binding's (tests/bindings/python_test.py).

Usage: run.py POL C_EXAMPLE GO WORK_DIR SOURCE_DIR BUILD_DIR"""
import os
import re
import subprocess
import sys
from pathlib import Path

pol, c_example, go, work, source, build = sys.argv[1:7]
work, source, build = Path(work), Path(source), Path(build)
work.mkdir(parents=True, exist_ok=True)
failures = []
passed = 0


def expect(ok: bool, what: str) -> None:
    global passed
    if ok:
        passed += 1
    else:
        failures.append(what)
        print(f"bindings: FAILED: {what}")


def run(command, cwd=None, env=None):
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)


# 1. The shared library's exports.
symbols = run(["nm", "-D", "--defined-only", str(build / "libpol.so.0")]).stdout.split("\n")
exported = [line.split()[-1] for line in symbols if line.strip() and line.split()[1] != "A"]
strays = [name for name in exported if not name.startswith("pol_")]
expect(len(exported) >= 20 and not strays, f"libpol.so.0 exports pol_* only ({len(exported)} symbols, others: {strays[:5]})")
soname = run(["objdump", "-p", str(build / "libpol.so.0")]).stdout
expect(re.search(r"SONAME\s+libpol\.so\.0\b", soname) is not None, "libpol.so.0's soname is libpol.so.0")

# 2. The examples against pol check, run from the examples folder with relative paths.
examples = source / "examples"
arguments = ["policies/memory_cap.pol"] + [f"three-pods/{name}.yaml" for name in ("allowed", "denied", "erroring")]
check = run([pol, "check", "--profile", "restricted:latest", "--policy"] + arguments, cwd=examples)
# pol check's text without what the examples leave out: locations, the summary, `document N: `.
expected = "".join(re.sub(r": document \d+: ", ": ", line) + "\n" for line in check.stdout.splitlines()
                   if not line.startswith("    ") and not re.match(r"\d+ objects?: ", line))
expect(check.returncode == 2 and expected.count("\n") == 6, f"pol check on the three pods: exit {check.returncode}\n{check.stdout}")

go_env = dict(os.environ, GOPATH=str(work / "gopath"), GOCACHE=str(work / "gocache"), GOFLAGS="-mod=mod",
              GOPROXY="off", GO111MODULE="on", CGO_ENABLED="1", PKG_CONFIG_PATH=str(build / "pkgconfig"))
go_example = work / "go_example"
built = run([go, "build", "-o", str(go_example), "."], cwd=examples / "go", env=go_env)
expect(built.returncode == 0, f"go build examples/go:\n{built.stderr}")
python_env = dict(os.environ, PYTHONPATH=str(source / "bindings/python"), POL_LIBRARY=str(build / "libpol.so.0"))
hosts = {"C": ([c_example], None), "Go": ([str(go_example)], None),
         "Python": (["/usr/bin/python3", str(examples / "python/check.py")], python_env)}
for language, (command, env) in hosts.items():
    got = run(command + arguments, cwd=examples, env=env)
    expect(got.stdout == expected, f"{language} example's decisions and messages:\n{got.stdout}\nexpected:\n{expected}")
    expect(got.stderr == check.stderr, f"{language} example's errors:\n{got.stderr}\nexpected:\n{check.stderr}")
    expect(got.returncode == check.returncode, f"{language} example exits {got.returncode}, pol check {check.returncode}")

# 3. The bindings' own tests.
for step in (["vet", "."], ["test", "-count=1", "."]):
    got = run([go] + step, cwd=source / "bindings/go", env=go_env)
    expect(got.returncode == 0, f"go {' '.join(step)} in bindings/go:\n{got.stdout}{got.stderr}")
got = run(["/usr/bin/python3", str(source / "tests/bindings/python_test.py")], env=python_env)
expect(got.returncode == 0, f"tests/bindings/python_test.py:\n{got.stderr}")

print(f"bindings: {passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
