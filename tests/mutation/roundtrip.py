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
import re
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


def mutate(output, paths):
    return subprocess.run([POL, "mutate", "--policy", IDENTITY, "-o", output, *paths], capture_output=True, text=True).stdout


def by_source(paths):
    """Each path's documents as pol's JSON says them, and as its YAML writes them: one run of
    each for all the paths (pol starts once, not once a file). The YAML output heads each
    document with `# Source: PATH (document N)`; the JSON lines come in the same order."""
    json_lines = mutate("json", paths).splitlines()
    documents = {path: [] for path in paths}
    texts = {path: [] for path in paths}
    chunks = re.split(r"^(?:---\n)?# Source: (.*) \(document \d+\)\n", mutate("yaml", paths), flags=re.M)
    sources, bodies = chunks[1::2], chunks[2::2]
    if len(sources) != len(json_lines):
        sys.exit(f"roundtrip: pol wrote {len(sources)} YAML documents and {len(json_lines)} JSON ones")
    for source, body, line in zip(sources, bodies, json_lines):
        documents[source].append(json.loads(line))
        texts[source].append(body)
    return documents, texts


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
    expected, texts = by_source(inputs)
    # Inputs pol reads nothing from (a broken fuzz finding) have nothing to write back.
    written = {path: os.path.join(work, f"written{i}.yaml") for i, path in enumerate(inputs) if expected[path]}
    for path, copy in written.items():
        with open(copy, "w") as f:
            f.write("---\n".join(texts[path]))
    again, _ = by_source(list(written.values()))
    for path, copy in written.items():
        if again[copy] != expected[path]:
            failures.append(f"{path}: pol reads back {len(again[copy])} documents differently")
            continue
        try:
            with open(copy) as f:
                by_pyyaml = [d for d in yaml.safe_load_all(f) if d is not None]
        except yaml.YAMLError as error:
            failures.append(f"{path}: PyYAML cannot read pol's YAML: {error}")
            continue
        if not same(by_pyyaml, expected[path]):
            failures.append(f"{path}: PyYAML reads other values than pol wrote")
        checked += len(expected[path])

for failure in failures[:20]:
    print("FAIL", failure)
print(f"yaml round trip: {len(inputs)} inputs, {checked} documents, {len(failures)} failures")
sys.exit(1 if failures else 0)
