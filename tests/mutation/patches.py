#!/usr/bin/env python3
"""Mutations over real documents: for every document of the corpus and of the PSA fixtures,
`pol mutate --policy welkin.pol -o patch`, applied to the document by an independent RFC 6902
implementation (python3-jsonpatch), gives exactly `pol mutate -o json` — values and field order;
and mutating the mutated documents again changes nothing (idempotence).

usage: patches.py POL WELKIN_POL IDENTITY_POL FOLDER...
"""
import json
import os
import subprocess
import sys
import tempfile

import jsonpatch

POL, WELKIN, IDENTITY, FOLDERS = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]


def lines(policy, output, paths, stdin=None):
    done = subprocess.run([POL, "mutate", "--policy", policy, "-o", output, *paths], input=stdin, capture_output=True)
    if done.returncode != 0:
        sys.exit(f"pol mutate -o {output} failed (exit {done.returncode}): {done.stderr.decode()[:2000]}")
    return done.stdout.decode()


failures, documents, operations = [], 0, 0
for folder in FOLDERS:
    originals = [json.loads(line) for line in lines(IDENTITY, "json", [folder]).splitlines()]
    patches = [json.loads(line) for line in lines(WELKIN, "patch", [folder]).splitlines()]
    mutated_lines = lines(WELKIN, "json", [folder]).splitlines()
    if not (len(originals) == len(patches) == len(mutated_lines)) or not originals:
        failures.append(f"{folder}: {len(originals)} documents, {len(patches)} patches, {len(mutated_lines)} mutated")
        continue
    for original, patch, mutated_line in zip(originals, patches, mutated_lines):
        documents += 1
        operations += len(patch["patch"])
        where = f"{patch['source']} document {patch['document']}"
        try:
            applied = jsonpatch.apply_patch(original, patch["patch"])
        except jsonpatch.JsonPatchException as error:
            failures.append(f"{where}: the patch does not apply: {error}")
            continue
        # Compared as text: values and the order of every map's fields must agree.
        if json.dumps(applied) != json.dumps(json.loads(mutated_line)):
            failures.append(f"{where}: patch applied != pol mutate -o json")

    # Idempotence: the mutated documents, mutated again, need no change.
    with tempfile.NamedTemporaryFile("w", suffix=".yaml") as again:
        again.write(lines(WELKIN, "yaml", [folder]))
        again.flush()
        for line in lines(WELKIN, "patch", [again.name]).splitlines():
            second = json.loads(line)
            if second["patch"]:
                failures.append(f"{folder}: mutating again changes document {second['document']}: {second['patch'][:2]}")

for failure in failures[:30]:
    print("FAIL", failure)
print(f"mutation patches: {documents} documents, {operations} operations, {len(failures)} failures")
sys.exit(1 if failures or documents == 0 else 0)
