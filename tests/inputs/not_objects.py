#!/usr/bin/env python3
"""A repository is more than Kubernetes objects: over a real slice of one (tests/data/kyverno-policies)
plus a folder of hand-made cases, `pol check` evaluates the objects and lists the documents that
are not Kubernetes objects (no `kind`: a map without it, a list, a scalar) instead of failing the
run, in the summary, in `-o json` and in text; with `--strict` each is an error (exit 2). Which
documents are not objects, and where they start, is counted independently with PyYAML.

usage: not_objects.py POL DATA_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import yaml

POL, DATA = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])

CASES = {
    "chart/Chart.yaml": "apiVersion: v2\nname: web\nversion: 1.0.0\n",  # Helm: an apiVersion, no kind
    "values.yaml": "replicaCount: 2\nimage:\n  repository: nginx\n",
    "list.yaml": "- one\n- two\n",
    "scalar.yaml": "just text\n",
    "mixed.yaml": "name: not an object\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: mixed}\n"
                  "spec:\n  containers:\n  - {name: app, image: registry.example/app:1}\n",
}


def not_objects_by_pyyaml(root):
    """(source, line, column) of every document with no `kind`, in pol's file order."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith((".yaml", ".yml")):
                continue
            path = os.path.join(folder, name)
            with open(path) as f:
                for node in yaml.compose_all(f, Loader=yaml.SafeLoader):
                    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")):
                        continue
                    if isinstance(node, yaml.MappingNode) and any(k.value == "kind" for k, _ in node.value):
                        continue
                    found.append((path, node.start_mark.line + 1, node.start_mark.column + 1))
    return sorted(found)


failures = []


def expect(condition, what):
    if not condition:
        failures.append(what)


def check(*args):
    done = subprocess.run([POL, "check", "--profile", "baseline", *args], capture_output=True, text=True)
    return done.returncode, done.stdout, done.stderr


with tempfile.TemporaryDirectory() as scratch:
    tree = os.path.join(scratch, "repository")
    shutil.copytree(DATA, os.path.join(tree, "kyverno-policies"))
    for path, text in CASES.items():
        os.makedirs(os.path.dirname(os.path.join(tree, path)), exist_ok=True)
        with open(os.path.join(tree, path), "w") as f:
            f.write(text)
    expected = not_objects_by_pyyaml(tree)
    expect(len(expected) >= 10, f"only {len(expected)} documents without kind: the data is not what this test expects")

    code, out, err = check("-o", "json", tree)
    report = json.loads(out)
    listed = sorted((n["source"], n["line"], n["column"]) for n in report["not_objects"])
    expect(code in (0, 1), f"exit {code}, expected 0 or 1 (no errors): {err}")
    expect(listed == expected, f"not_objects {listed}\n  PyYAML finds {expected}")
    expect(all(n["reason"] for n in report["not_objects"]), "a not_objects entry without a reason")
    expect(report["summary"]["not_objects"] == len(expected), f"summary {report['summary']}")
    expect(report["errors"] == [], f"errors {report['errors']}")
    names = {r["name"] for r in report["results"]}
    expect({"mixed", "badpod01", "goodpod01", "baddeployment01", "goodcronjob01"} <= names, f"objects evaluated: {sorted(names)}")

    code, out, _ = check(tree)
    expect(out.rstrip().endswith(f", {len(expected)} not Kubernetes objects (--strict: errors)"),
           f"text summary: {out.splitlines()[-1]!r}")

    code, out, err = check("-o", "json", "--strict", tree)
    report = json.loads(out)
    errors = sorted((e["source"], e["line"], e["column"]) for e in report["errors"])
    expect(code == 2, f"--strict: exit {code}, expected 2")
    expect(errors == expected, f"--strict: errors {errors}\n  expected {expected}")
    expect(all(e["message"].startswith("not a Kubernetes object: ") for e in report["errors"]), "--strict: messages")
    expect(report["not_objects"] == [], "--strict: not_objects listed as well as errors")
    expect("Chart.yaml:1:1: error: not a Kubernetes object: a map without 'kind'" in err, f"--strict: stderr {err[:500]}")

for failure in failures:
    print("FAIL", failure)
print(f"not objects: {len(expected)} documents without kind, {len(failures)} failures")
sys.exit(1 if failures else 0)
