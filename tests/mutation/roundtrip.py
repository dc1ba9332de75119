#!/usr/bin/env python3
"""What `pol mutate -o yaml` writes is read back the same, by pol and by PyYAML: every document
of the corpus, of the fuzz findings and regressions that pol reads, and of a table of awkward
values (control characters, NEL and line separators, strings that look like numbers, floats at
the edges of notation). Each is written as YAML with no mutations (tests/mutation/identity.pol),
then read back; both readers must find what pol's JSON output says the document was.

usage: roundtrip.py POL IDENTITY_POLICY PATH...
"""
import json
import os
import subprocess
import sys
import tempfile

import yaml

POL, IDENTITY, PATHS = sys.argv[1], sys.argv[2], sys.argv[3:]

AWKWARD = [
    "e\x1b[31mred", "del\x7f", "c1\u0085nel\u009bcsi", "line\u2028para\u2029", "tab\there", "nl\nin", "cr\rin",
    "yes", "on", "y", "~", "null", "0644", "1_000", "0x1F", "1e3", ".inf", "733e510428", "- item", "key: value",
    "#comment", "&anchor", "*alias", "!tag", "%directive", "@at", "`tick", "'single'", '"double"', "trailing ",
    " leading", "", "\u00e9t\u00e9", "\U0001F600", "---", "...", "<<",
]
FLOATS = [0.1, 1e21, 1e-7, 1.5e300, -0.0, 123456789.125, 1e20, 3.0]


def documents_of(path):
    done = subprocess.run([POL, "mutate", "--policy", IDENTITY, "-o", "json", path], capture_output=True, text=True)
    return done.returncode, [json.loads(line) for line in done.stdout.splitlines()]


def same(a, b):
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b  # JSON writes 3.0 as 3, as Go does
    return a == b


failures, checked = [], 0
with tempfile.TemporaryDirectory() as work:
    awkward = os.path.join(work, "awkward.json")
    with open(awkward, "w") as f:
        data = {f"k{i}": value for i, value in enumerate(AWKWARD)}
        data.update({value: i for i, value in enumerate(AWKWARD) if value})
        data["floats"] = FLOATS
        json.dump({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "awkward"}, "data": data}, f)
    inputs = [awkward]
    for path in PATHS:
        for root, _, files in os.walk(path):
            inputs += [os.path.join(root, f) for f in sorted(files) if f.endswith((".yaml", ".yml", ".json"))]
    for path in inputs:
        code, expected = documents_of(path)
        if not expected:
            continue  # nothing pol reads in it (a broken fuzz finding): nothing to write back
        written = os.path.join(work, "written.yaml")
        with open(written, "w") as f:
            f.write(subprocess.run([POL, "mutate", "--policy", IDENTITY, "-o", "yaml", path], capture_output=True,
                                   text=True).stdout)
        code_again, again = documents_of(written)
        if again != expected:
            failures.append(f"{path}: pol reads back {len(again)} documents differently (exit {code_again})")
            continue
        try:
            with open(written) as f:
                by_pyyaml = [d for d in yaml.safe_load_all(f) if d is not None]
        except yaml.YAMLError as error:
            failures.append(f"{path}: PyYAML cannot read pol's YAML: {error}")
            continue
        if not same(by_pyyaml, expected):
            failures.append(f"{path}: PyYAML reads other values than pol wrote")
        checked += len(expected)

for failure in failures[:20]:
    print("FAIL", failure)
print(f"yaml round trip: {len(inputs)} inputs, {checked} documents, {len(failures)} failures")
sys.exit(1 if failures else 0)
