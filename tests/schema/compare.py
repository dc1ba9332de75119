#!/usr/bin/env python3
"""pol's reading of the Kubernetes schema against an independent walk of the same JSON file.

Usage: compare.py SCHEMA_DUMP_BINARY PODSPEC_JSON

Python's json module reads schema/kubernetes/podspec-v1.json and lists every path with the
kind JSON Schema gives it (object with properties, map, list, scalar types, int-or-string,
quantity); schema_dump prints what pol's runtime/schema.cpp built. They must be equal line for
line: no field of PodSpec is lost or mistyped on the way into pol.
"""
import json
import subprocess
import sys


def kind(node):
    types = []
    for alternative in [node] + node.get("oneOf", []):
        t = alternative.get("type", [])
        types += t if isinstance(t, list) else [t]
    if "object" in types:
        return "object" if "properties" in node else "map"
    if "array" in types:
        return "list"
    if "string" in types and "integer" in types:
        return "int-or-string"
    if "string" in types and "number" in types:
        return "quantity"
    for scalar in ("string", "integer", "number", "boolean"):
        if scalar in types:
            return scalar
    return "any"


def walk(node, path, out):
    k = kind(node)
    out.append(f"{path} {k}")
    if k == "object":
        for name in sorted(node["properties"]):
            walk(node["properties"][name], f"{path}.{name}", out)
    elif k == "map":
        values = node.get("additionalProperties")
        walk(values if isinstance(values, dict) else {}, path + "{}", out)
    elif k == "list":
        walk(node.get("items", {}), path + "[]", out)


def main():
    dump, schema = sys.argv[1], sys.argv[2]
    expected = []
    with open(schema, encoding="utf-8") as f:
        walk(json.load(f), "spec", expected)
    actual = subprocess.run([dump], check=True, capture_output=True, text=True).stdout.splitlines()
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    for line in missing[:20]:
        print(f"missing in pol: {line}")
    for line in extra[:20]:
        print(f"not in the schema: {line}")
    if missing or extra or len(expected) != len(actual):
        print(f"FAIL: {len(expected)} paths in the schema, {len(actual)} in pol")
        return 1
    print(f"schema: {len(actual)} paths, every one read with the schema's kind")
    return 0


if __name__ == "__main__":
    sys.exit(main())
