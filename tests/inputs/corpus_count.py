#!/usr/bin/env python3
"""Every file of the real-manifest corpus loads with no error, and `pol check --profile
privileged -o json CORPUS` reports exactly the objects with a pod spec that an independent
reader finds: PyYAML's pure-Python loader (not libyaml, which pol uses) and Python's json.

usage: corpus_count.py POL CORPUS
"""
import collections
import json
import os
import subprocess
import sys

import yaml

POL, CORPUS = sys.argv[1], sys.argv[2]
TEMPLATE_KINDS = {"PodTemplate", "ReplicationController", "ReplicaSet", "Deployment", "StatefulSet",
                  "DaemonSet", "Job", "CronJob"}


def pod_objects(document):
    """The (kind, namespace, name) of each object with a pod spec in one parsed document."""
    if not isinstance(document, dict):
        return []
    kind = document.get("kind", "")
    if kind.endswith("List") and isinstance(document.get("items"), list):
        return [found for item in document["items"] for found in pod_objects(item)]
    if kind == "AdmissionReview":
        return pod_objects((document.get("request") or {}).get("object"))
    if kind == "Pod" or kind in TEMPLATE_KINDS:
        metadata = document.get("metadata") or {}
        return [(kind, metadata.get("namespace", ""), metadata.get("name", ""))]
    return []


expected = collections.Counter()
files = 0
for folder, _, names in os.walk(CORPUS):
    for name in names:
        path = os.path.join(folder, name)
        if not name.endswith((".yaml", ".yml", ".json")):
            continue
        files += 1
        with open(path, encoding="utf-8") as f:
            text = f.read()
        documents = [json.loads(text)] if name.endswith(".json") else yaml.load_all(text, Loader=yaml.SafeLoader)
        for document in documents:
            expected.update(pod_objects(document))

done = subprocess.run([POL, "check", "--profile", "privileged", "-o", "json", CORPUS], capture_output=True)
report = json.loads(done.stdout)
actual = collections.Counter((r["kind"], r["namespace"], r["name"]) for r in report["results"])

failures = []
if done.returncode != 0:
    failures.append(f"exit status {done.returncode}, expected 0: {done.stderr.decode()}")
if report["errors"]:
    failures.append(f"errors: {report['errors']}")
if actual != expected:
    failures.append(f"pol found {sum(actual.values())} pod objects, the independent count {sum(expected.values())}; "
                    f"missing {dict(expected - actual)}, extra {dict(actual - expected)}")
if report["summary"]["objects"] != sum(expected.values()):
    failures.append(f"summary {report['summary']}")
if sum(expected.values()) == 0:
    failures.append("the corpus has no pod objects: wrong folder?")

# Files are evaluated on all cores; the report must not depend on it: sorted by source, and the
# same on every run. Progress goes to stderr only, never into the report.
sources = [r["source"] for r in report["results"]]
if sources != sorted(sources):
    failures.append("results are not in the sorted order of their sources")
again = subprocess.run([POL, "check", "--profile", "privileged", "-o", "json", "--progress", "always", CORPUS],
                       capture_output=True)
if again.stdout != done.stdout:
    failures.append("a second run (with progress) printed a different report")
if not again.stderr.decode().endswith(f"pol: checked {files}/{files} inputs\n"):
    failures.append(f"--progress always: stderr {again.stderr[-200:]!r}")
if done.stderr:
    failures.append(f"stderr without a terminal: {done.stderr[-200:]!r}")

for failure in failures:
    print("FAIL", failure)
print(f"corpus: {files} files, {sum(expected.values())} pod objects expected, "
      f"{report['summary']['objects']} reported, {report['summary']['errors']} errors")
sys.exit(1 if failures else 0)
