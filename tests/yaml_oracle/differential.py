#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""pol's YAML reader against Kubernetes' own (tests/yaml_oracle/oracle.go over Debian's
sigs.k8s.io/yaml and go-yaml v2): every YAML file of tests/ and examples/, and a generated set
of plain scalars (ints, floats, booleans, nulls, timestamps and text that looks like them) as
map values, list items and map keys. Each document must come out as equal JSON (types too: 1
and 1.0 differ), or be an error on both sides. Any difference fails the test.

Usage: differential.py YAML_TO_JSON GO WORK_DIR SOURCE_DIR"""
import itertools
import json
import math
import os
import subprocess
import sys
from pathlib import Path

yaml_to_json, go, work, source = sys.argv[1], sys.argv[2], Path(sys.argv[3]).resolve(), Path(sys.argv[4]).resolve()
work.mkdir(parents=True, exist_ok=True)


def build_oracle():
    gopath = Path("/usr/share/gocode")
    if not (gopath / "src/sigs.k8s.io/yaml/yaml.go").exists():
        sys.exit("yaml_oracle: sigs.k8s.io/yaml is not installed (golang-k8s-sigs-yaml-dev; run scripts/setup.sh)")
    env = dict(os.environ, GOPATH=str(gopath), GO111MODULE="off", GOFLAGS="", GOCACHE=str(work / "gocache"))
    oracle = work / "oracle"
    subprocess.run([go, "build", "-o", str(oracle), str(source / "tests/yaml_oracle/oracle.go")], env=env, check=True)
    return oracle


def generated_scalars():
    """Plain scalars that exercise every branch of go-yaml v2's typing."""
    scalars = []
    prefixes = ["", "0", "0x", "0X", "0o", "0O", "0b", "0B", "."]
    digits = ["0", "1", "7", "8", "9", "10", "17", "19", "1f", "FF", "777", "1010", "12_34", "1_", "_1",
              "9" * 19, "9" * 20, "1" * 63, "1" * 64, "7" * 22, "f" * 16, "f" * 17, "1" * 400]
    suffixes = ["", ".", ".5", "e3", "E-3", "e+30", "e400", "e-400", "_"]
    for sign, prefix, body, suffix in itertools.product(["", "+", "-"], prefixes, digits, suffixes):
        scalars.append(sign + prefix + body + suffix)
    scalars += [
        # Integers at the edges of int64 and uint64, in every base.
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "18446744073709551615", "18446744073709551616", "+18446744073709551615", "99999999999999999999",
        "0x7FFFFFFFFFFFFFFF", "0x8000000000000000", "0xFFFFFFFFFFFFFFFF", "0x10000000000000000",
        "0777777777777777777777", "01777777777777777777777", "02000000000000000000000",
        "0b" + "1" * 63, "0b1" + "0" * 63, "-0b1" + "0" * 63, "0b" + "1" * 65,
        "0b-101", "0b+101", "-0b101", "-0b-101", "+0b101", "0x-1", "0o-1", "-0x1F", "-0o17", "0x_1F", "0_x1F",
        "1__0", "1_000_000", "0b1_01", "1_0.5", "1_0e1_0", "-_1", "+_1", "0644", "0755", "08", "09", "09.5",
        # Floats: exponents, overflow and underflow, the edges of float64, plain-notation limits.
        "1.7976931348623157e308", "1.7976931348623159e308", "2.2250738585072014e-308", "4.9e-324", "5e-324",
        "2e-324", "1e21", "1e20", "9.99e20", "999999999999999999999", "1e-6", "1e-7", "0.000001", "0.0000001",
        "123456789.123456789", "3.141592653589793238", "0.1", "0.30000000000000004", "100000", "1000000",
        "1e6", "1.5e-5", "12345678901234567890.5", "1e+", "1e-", "1e", "e3", "1e3e3", "1e3.5", "..5", "1.2.3",
        "0.0", "-0.0", "+0.0", "-0", "1.10", "1.20", "0777.5", "0x1p3", "0x1.8p1", "1_000.5", "0." + "0" * 400 + "1",
        # The special floats go-yaml knows, and words Go would parse but YAML does not.
        ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN",
        ".iNf", ".naN", "inf", "-inf", "+inf", "nan", "NaN", "Infinity", "-Infinity",
        # Timestamps (go-yaml keeps them as text) and near-timestamps.
        "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14T21:59:43Z", "2001-12-14 21:59:43.10",
        "2001-13-45", "1999-1-2", "12345-01-01", "2001-12", "2001", "20011214",
        # Text that looks like numbers.
        "1-2", "1:2", "1,000", "0x1G", "12abc", "abc12", "v1.0", "1e3x", "+-1", "--1", "++1", "-+1", "1 000",
        "0.0.0.0", "127.0.0.1", "1/2", "3%", "$1", "1.0.0", "v1.20", "733e510428", "1e1000000", "e", "E",
        "\u0661\u0662\u0663", "\uff11\uff12",
    ]
    words = ["y", "yes", "true", "on", "n", "no", "false", "off", "null", "~", "<<"]
    for word in words:
        for variant in {word, word.upper(), word.capitalize(), word.swapcase(), word[:-1] + word[-1].upper()}:
            scalars.append(variant)
    seen = set()
    return [s for s in scalars if not (s in seen or seen.add(s))]


def write_scalars(scalars):
    """Each scalar as a map value and a list item in one document, as a key in another."""
    path = work / "scalars.yaml"
    with open(path, "w") as out:
        for scalar in scalars:
            out.write(f"---\nvalue: {scalar}\nlist:\n- {scalar}\n---\n{scalar}: key\n")
    return path


def run(command, files):
    entries = {}
    for start in range(0, len(files), 2000):
        done = subprocess.run([command, *map(str, files[start:start + 2000])], capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"yaml_oracle: {command} failed ({done.returncode}): {done.stderr[-2000:]}")
        for line in done.stdout.splitlines():
            entry = json.loads(line)
            entries.setdefault(entry["file"], []).append(entry)
    return entries


def same(a, b):
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


def describe(entry):
    return f"error ({entry['error']})" if "error" in entry else json.dumps(entry["json"])[:300]


def main():
    oracle = build_oracle()
    files = sorted(p for root in ("tests", "examples") for p in (source / root).rglob("*")
                   if p.suffix in (".yaml", ".yml") and p.is_file())
    scalars = generated_scalars()
    files.append(write_scalars(scalars))
    expected, actual = run(str(oracle), files), run(yaml_to_json, files)
    differences, documents = [], 0
    for file in map(str, files):
        want, got = expected.get(file, []), actual.get(file, [])
        documents += len(want)
        if len(want) != len(got):
            differences.append(f"{file}: Kubernetes reads {len(want)} documents, pol {len(got)}")
            continue
        for w, g in zip(want, got):
            agree = ("error" in w and "error" in g) or ("json" in w and "json" in g and same(w["json"], g["json"]))
            if not agree:
                differences.append(f"{file} (document {w['document']}): Kubernetes: {describe(w)}\n"
                                   f"    pol: {describe(g)}")
    for difference in differences[:40]:
        print(difference)
    print(f"yaml_oracle: {len(files)} files, {documents} documents ({len(scalars)} generated scalars as "
          f"values, list items and keys): {len(differences)} differences")
    sys.exit(1 if differences else 0)


main()
