#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""pol's `image` builtin against the container runtime's reference parser (oracle.go, over
Debian's github.com/docker/distribution/reference). The references: every string literal of
that package's own tests (normalize_test.go, reference_test.go, regexp_test.go: the upstream
examples, valid and invalid), every image of the manifests under tests/data/corpus and
examples/, and edge cases. For each, both must give the same registry, repository, tag and
digest, or both refuse it.

Usage: differential.py IMAGE_PARTS GO WORK_DIR SOURCE_DIR"""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

image_parts, go, work, source = sys.argv[1], sys.argv[2], Path(sys.argv[3]).resolve(), Path(sys.argv[4]).resolve()
work.mkdir(parents=True, exist_ok=True)
package = Path("/usr/share/gocode/src/github.com/docker/distribution/reference")


def build_oracle():
    if not (package / "normalize.go").exists():
        sys.exit("image_oracle: github.com/docker/distribution is not installed "
                 "(golang-github-docker-distribution-dev; run scripts/setup.sh)")
    env = dict(os.environ, GOPATH="/usr/share/gocode", GO111MODULE="off", GOFLAGS="", GOCACHE=str(work / "gocache"))
    oracle = work / "oracle"
    subprocess.run([go, "build", "-o", str(oracle), str(source / "tests/image_oracle/oracle.go")], env=env, check=True)
    return oracle


def references():
    refs = set()
    for test in ("normalize_test.go", "reference_test.go", "regexp_test.go"):
        text = (package / test).read_text(encoding="utf-8")
        for literal in re.findall(r'"((?:[^"\\\n]|\\.)*)"', text):
            if "\\" not in literal and len(literal) < 400:
                refs.add(literal)
    for folder in (source / "tests/data/corpus", source / "examples"):
        for path in folder.rglob("*"):
            if path.suffix in (".yaml", ".yml", ".json") and path.is_file():
                for match in re.finditer(r'"?image"?\s*:\s*"?([^"\s,}]+)', path.read_text(encoding="utf-8", errors="replace")):
                    refs.add(match.group(1))
    refs.update([
        "nginx", "nginx:1.25", "library/nginx", "docker.io/nginx", "index.docker.io/nginx", "localhost/app",
        "localhost:5000/app", "localhost:5000/app:1", "registry.example.com:443/team/app:v1@sha256:" + "a" * 64,
        "Nginx", "nginx:", "nginx@", "nginx@sha256:" + "a" * 63, "nginx@sha256:" + "A" * 64, "nginx@md5:" + "a" * 32,
        "nginx@sha512:" + "b" * 128, "a" * 64, "a" * 63, "UPPER.example.com/app", "example.com/UPPER", "x/" + "a" * 300,
        "127.0.0.1:5000/app", "[::1]:5000/app", "ghcr.io/a/b/c/d:latest", "app:" + "t" * 128, "app:" + "t" * 129,
        "a__b", "a___b", "a--b", "a.-b", "-a", "a-", "foo/bar/", "/foo", "foo//bar", ":tag", "@sha256:" + "a" * 64,
        "docker.io/library/busybox:1.36@sha256:" + "c" * 64, "quay.io/prometheus/node-exporter:v1.8.0",
    ])
    return sorted(r for r in refs if "\n" not in r)


def run(command, refs):
    out = subprocess.run(command, input="\n".join(refs) + "\n", capture_output=True, text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def main():
    oracle = build_oracle()
    refs = references()
    expected, actual = run([str(oracle)], refs), run([image_parts], refs)
    assert len(expected) == len(actual) == len(refs), "one line per reference"
    differences = 0
    for want, got in zip(expected, actual):
        same = ("error" in want) == ("error" in got) and (
            "error" in want or all(want[k] == got[k] for k in ("registry", "repository", "tag", "digest")))
        if not same:
            differences += 1
            if differences <= 20:
                print(f"DIFF {want['ref']!r}\n  runtime: {want}\n  pol:     {got}")
    valid = sum("error" not in w for w in expected)
    print(f"image_oracle: {len(refs)} references ({valid} valid, {len(refs) - valid} refused), {differences} differences")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
