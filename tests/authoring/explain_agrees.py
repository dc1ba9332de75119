#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""pol explain against pol check on real manifests (tests/data/corpus) with the built-in profile
and the shipped policies: the same objects, the same decisions, and for each object the checks
whose deny rules fire are exactly the checks with violations (warn rules: warnings; a check that
fails: an error). Every explained rule and let has a place in a policy.
Usage: explain_agrees.py POL SOURCE_DIR"""
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

pol, source = sys.argv[1], Path(sys.argv[2])
corpus = str(source / "tests/data/corpus")
runs = [["--profile", "restricted:latest"], ["--profile", "baseline:v1.25"],
        ["--policy", str(source / "policies/welkin.pol")], ["--policy", str(source / "examples/policies/memory_cap.pol")]]
failures, objects, rules = [], 0, 0
for args in runs:
    check = json.loads(subprocess.run([pol, "check", "-o", "json", *args, corpus], capture_output=True, text=True).stdout)
    explain = json.loads(subprocess.run([pol, "explain", "-o", "json", *args, corpus], capture_output=True, text=True).stdout)
    if len(check["results"]) != len(explain["objects"]) or not check["results"]:
        failures.append(f"{args}: {len(check['results'])} objects checked, {len(explain['objects'])} explained")
        continue
    for checked, explained in zip(check["results"], explain["objects"]):
        where = f"{args} {checked['source']}#{checked['document']} {checked['name']}"
        objects += 1
        if (checked["source"], checked["document"], checked["name"], checked["allowed"]) != \
           (explained["source"], explained["document"], explained["name"], explained["allowed"]):
            failures.append(f"{where}: check and explain disagree on the object or its decision")
        fired = Counter((c["policy"], c["check"]) for c in explained["checks"] for r in c["rules"] if r["fires"] and r["kind"] == "deny")
        warned = Counter((c["policy"], c["check"]) for c in explained["checks"] for r in c["rules"] if r["fires"] and r["kind"] == "warn")
        if fired != Counter((v["policy"], v["check"]) for v in checked["violations"]):
            failures.append(f"{where}: deny rules that fire {sorted(fired)} are not the violations")
        if warned != Counter((v["policy"], v["check"]) for v in checked["warnings"]):
            failures.append(f"{where}: warn rules that fire {sorted(warned)} are not the warnings")
        if sum(c["outcome"] == "error" for c in explained["checks"]) != len(checked["errors"]):
            failures.append(f"{where}: checks that failed are not the object's errors")
        for c in explained["checks"]:
            for item in c["rules"] + c["lets"]:
                rules += 1
                if not item["file"] or item["line"] < 1 or item["column"] < 1:
                    failures.append(f"{where}: {c['check']}: no place in the policy for {item}")
for failure in failures[:20]:
    print(f"FAIL {failure}")
print(f"explain: {objects} objects, {rules} rules and lets explained; {len(failures)} failures")
sys.exit(1 if failures or objects < 100 else 0)
