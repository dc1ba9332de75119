#!/usr/bin/env python3
"""policies/domino.pol against the real vendor manifests of the corpus (INDEX.tsv): each
workload, renamed to its vendor table row's pod name, gets exemptions from that row only, for
checks the row's needs cover; the same workload under its own (unlisted) name gets none and is
denied; a capabilities-only row does not allow a privileged container. What a manifest still
violates beyond its row must be what docs/exceptions.md records.

usage: domino_corpus.py POL DOMINO_POL CORPUS EXCEPTIONS_MD
"""
import collections
import csv
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

POL, POLICY, CORPUS, DOC = sys.argv[1:5]
WORKLOADS = {"Pod", "Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"}
ROW_OF = {"elasticsearch": "elasticsearch-tls"}  # the corpus component's name in the vendor table
COVERS = {  # the checks each need may exempt (stdlib/exceptions/allow.pol)
    "privileged": {"privileged", "allowPrivilegeEscalation", "capabilities_restricted"},
    "capabilities": {"capabilities_restricted", "capabilities_baseline"},
    "runAsRoot": {"runAsNonRoot", "runAsUser"},
}


def check(paths):
    done = subprocess.run([POL, "check", "--policy", POLICY, "-o", "json", *paths], capture_output=True)
    if done.returncode not in (0, 1):
        sys.exit(f"pol failed: {done.stderr.decode()}")
    return json.loads(done.stdout)["results"]


def workloads(path, rename=None, privileged=False):
    out = []
    with open(path) as f:
        for document in yaml.safe_load_all(f):
            if isinstance(document, dict) and document.get("kind") in WORKLOADS:
                if rename:
                    document["metadata"]["name"] = rename
                if privileged:
                    spec = document["spec"]["template"]["spec"] if document["kind"] != "Pod" else document["spec"]
                    spec["containers"][0].setdefault("securityContext", {})["privileged"] = True
                out.append(document)
    return out


rows = [r for r in csv.DictReader(open(os.path.join(CORPUS, "INDEX.tsv")), delimiter="\t") if r["vendor_component"] != "-"]
failures, still = [], collections.defaultdict(set)
with tempfile.TemporaryDirectory() as folder:
    for number, row in enumerate(rows):
        component, needs = row["vendor_component"], row["vendor_exception_kinds"].split("+")
        table_name = ROW_OF.get(component, component)
        source = os.path.join(CORPUS, row["path"])
        renamed = os.path.join(folder, f"{number}.json")
        with open(renamed, "w") as f:
            for document in workloads(source, rename=table_name):
                f.write(json.dumps(document) + "\n")
        covered = set().union(*(COVERS[n] for n in needs))
        exempted_checks = set()
        for result in check([renamed]):
            exempted_checks |= {e["check"] for e in result["exempted"]}
            by = {e["by"] for e in result["exempted"]}
            if not by <= {f"domino/{table_name}"}:
                failures.append(f"{component}: exempted by {by}, expected only domino/{table_name}")
            for e in result["exempted"]:
                if e["check"] not in covered:
                    failures.append(f"{component}: {e['check']} exempted, but the row only needs {needs}")
            still[component] |= {v["check"] for v in result["violations"]}
        unlisted = os.path.join(folder, f"{number}-unlisted.json")
        with open(unlisted, "w") as f:
            for document in workloads(source, rename="unlisted-" + table_name):
                f.write(json.dumps(document) + "\n")
        for result in check([unlisted]):  # the same object under a name the table does not list
            violated = {v["check"] for v in result["violations"]}
            if result["exempted"] or not exempted_checks <= violated:
                failures.append(f"{component} as {result['name']}: exempted {result['exempted']}, "
                                f"violates {sorted(violated)} (the row exempted {sorted(exempted_checks)})")
        if needs == ["capabilities"]:  # a capabilities-only row does not allow privileged
            privileged = os.path.join(folder, f"{number}-privileged.json")
            with open(privileged, "w") as f:
                for document in workloads(source, rename=table_name, privileged=True):
                    f.write(json.dumps(document) + "\n")
            for result in check([privileged]):
                if "privileged" not in {v["check"] for v in result["violations"]}:
                    failures.append(f"{component}: a privileged container is allowed by a capabilities row")

# docs/exceptions.md records, per component, the checks still violated beyond the row.
recorded = {}
for line in open(DOC):
    m = re.match(r"\|\s*`([a-z0-9-]+)`\s*\|[^|]*\|\s*([^|]*)\|", line)
    if m:
        recorded[m.group(1)] = set(re.findall(r"[A-Za-z_]+", m.group(2))) - {"none"}
for component, checks in sorted(still.items()):
    if recorded.get(component) != checks:
        failures.append(f"docs/exceptions.md: {component} still violates {sorted(checks)}, recorded {sorted(recorded.get(component, {'(missing)'}))}")

for failure in failures:
    print("FAIL", failure)
print(f"domino: {len(rows)} vendor manifests, {len(still)} components, {len(failures)} failures")
sys.exit(1 if failures or not rows else 0)
