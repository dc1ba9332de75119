#!/usr/bin/env python3
"""Pod Security Admission conformance: every upstream fixture in PSA_DIR/fixtures is evaluated
at its folder's level and version with the built-in profile, and compared with upstream's own
answer in PSA_DIR/expected.jsonl: the decision, the failing check ids in order, and the warning
text byte for byte (from `-o text`, exactly as a user sees it). No skip list.

usage: psa.py POL PSA_DIR
"""
import collections
import json
import os
import subprocess
import sys

POL, PSA = os.path.abspath(sys.argv[1]), sys.argv[2]

expected = [json.loads(line) for line in open(os.path.join(PSA, "expected.jsonl"), encoding="utf-8")]
groups = collections.defaultdict(list)
for fixture in expected:
    groups[(fixture["level"], fixture["version"])].append(fixture)


def run(profile, paths, output):
    done = subprocess.run([POL, "check", "--profile", profile, "-o", output, *paths], cwd=PSA, capture_output=True)
    if done.returncode not in (0, 1):
        sys.exit(f"pol failed on {profile} (exit {done.returncode}):\n{done.stderr.decode()}")
    return done.stdout.decode()


def warnings_by_source(text):
    """source -> the `would violate ...` line printed under it (or None when allowed)."""
    found, source = {}, None
    for line in text.splitlines():
        if line.startswith("  would violate ") and source:
            found[source] = line[2:]
        elif not line.startswith(" ") and ": document " in line:
            source = line.split(": document ")[0]
            found[source] = None
    return found


agree, disagreements = 0, []
for (level, version), fixtures in sorted(groups.items()):
    profile = f"{level}:{version}"
    paths = [f["path"] for f in fixtures]
    results = {r["source"]: r for r in json.loads(run(profile, paths, "json"))["results"]}
    messages = warnings_by_source(run(profile, paths, "text"))
    for fixture in fixtures:
        result = results.get(fixture["path"])
        if result is None:
            disagreements.append(f"{fixture['path']} at {profile}: no result")
            continue
        checks = [v["check"] for v in result["violations"]]
        message = messages.get(fixture["path"]) or ""
        problems = []
        if result["allowed"] != fixture["allowed"]:
            problems.append(f"allowed {result['allowed']}, upstream {fixture['allowed']}")
        if checks != fixture["checks"]:
            problems.append(f"checks {checks}, upstream {fixture['checks']}")
        if message != fixture["message"]:
            problems.append(f"message\n    pol:      {message}\n    upstream: {fixture['message']}")
        if problems:
            disagreements.append(f"{fixture['path']} at {profile}: " + "; ".join(problems))
        else:
            agree += 1

for line in disagreements[:40]:
    print("FAIL", line)
if len(disagreements) > 40:
    print(f"... and {len(disagreements) - 40} more")
print(f"psa: {agree}/{len(expected)} fixtures agree")
sys.exit(0 if agree == len(expected) and expected else 1)
