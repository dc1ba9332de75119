#!/usr/bin/env python3
"""A large file is read, evaluated and freed in parts (FileParts): what `pol check` says of it
must be what it says of the same objects one file each (which are read whole, every one before
any is evaluated). A Namespace object at the end of the file sets the level of the pods before it;
a broken item of a large JSON array breaks the whole array, as one JSON stream does.
Usage: large_files.py POL"""
import json
import os
import subprocess
import sys
import tempfile

pol = sys.argv[1]
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def pod(i):
    namespace = "open" if i % 2 else "team"
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"pod-{i}", "namespace": namespace,
                                                            "annotations": {"note": "a \"quoted\" ], and a } " * 20}},
            "spec": {"containers": [{"name": "c", "image": "app:1", "securityContext": {"privileged": i % 3 == 0}}]}}


objects = [pod(i) for i in range(6000)]
objects.append({"apiVersion": "v1", "kind": "Namespace",
                "metadata": {"name": "open", "labels": {"pod-security.kubernetes.io/enforce": "privileged"}}})


def run(*paths):
    done = subprocess.run([pol, "check", "--profile", "baseline", "-o", "json", *paths], capture_output=True, text=True)
    return done.returncode, json.loads(done.stdout)


def decisions(report):  # without locations: the lines differ between the two layouts
    return sorted((r["name"], r["allowed"], [(v["check"], v["detail"]) for v in r["violations"]])
                  for r in report["results"])


with tempfile.TemporaryDirectory() as folder:
    one_each = os.path.join(folder, "one-each")
    os.mkdir(one_each)
    for i, obj in enumerate(objects):
        with open(os.path.join(one_each, f"{i:05}.json"), "w") as out:
            json.dump(obj, out)
    _, expected = run(one_each)
    by_name = {r["name"]: r["allowed"] for r in expected["results"]}
    check(by_name["pod-3"] and not by_name["pod-6"], "the oracle: the Namespace at the end opens its pods")

    texts = {
        "array.json": json.dumps(objects, indent=1),
        "stream.json": "\n".join(json.dumps(o) for o in objects),
        "stream.yaml": "".join("---\n" + json.dumps(o, indent=2) + "\n" for o in objects),
        # The Namespace's kind spelled with an escape: still read before the pods.
        "escaped.json": json.dumps(objects, indent=1).replace('"Namespace"', '"Name\\u0073pace"'),
    }
    for name, text in texts.items():
        path = os.path.join(folder, name)
        with open(path, "w") as out:
            out.write(text)
        code, report = run(path)
        check(len(text) > 4 << 20, f"{name}: {len(text) >> 20} MiB, several parts")
        check(code == 1 and decisions(report) == decisions(expected), f"{name}: the decisions of the objects one file each")
        check([r["document"] for r in report["results"]] == list(range(len(objects) - 1)),
              f"{name}: documents numbered as in the whole file")
        lines = [r["line"] for r in report["results"]]
        check(lines == sorted(lines) and len(set(lines)) == len(lines), f"{name}: each object at its own line, in order")

    # One broken item in the middle of a large array: the array is one JSON value, and it is broken.
    broken = objects[:3000] + [{"bad": True}] + objects[3000:]
    text = json.dumps(broken, indent=1).replace('"bad": true', '"bad": nope')
    path = os.path.join(folder, "broken.json")
    with open(path, "w") as out:
        out.write(text)
    code, report = run(path)
    check(code == 2 and report["results"] == [] and len(report["errors"]) == 1
          and "invalid JSON" in report["errors"][0]["message"], f"a broken item: one error, nothing evaluated: {report['errors']}")

print(f"large files: {'FAILED' if failures else 'passed'}")
sys.exit(1 if failures else 0)
