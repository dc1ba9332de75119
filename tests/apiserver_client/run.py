#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""pol serve answering a corpus of AdmissionReviews as the API server sends them, checked against
pol's command line: every workload of tests/data/corpus and every Pod of the upstream Pod
Security fixtures (tests/data/psa), each made into a CREATE review the way kubectl and the API
server make it (YAML turned into JSON by Kubernetes' own sigs.k8s.io/yaml: the YAML oracle's
program), sent by client.go (an API-server-like client: TLS, ALPN http/1.1, a pool of 25
kept-alive connections, `?timeout=`) to /validate and to /mutate.

Expected: for /validate, `pol check -o json`'s decision for the same object, and on a denial
its violations worded as Pod Security Admission words them (`violates PodSecurity
"restricted:latest": reason (detail), ...`, policies joined by "; ": CHECKS.md §3); for
/mutate, allowed, with `pol mutate -o patch`'s patch for the same document. The server runs
restricted:latest and examples/policies/defaults.pol, with the certificate scripts/webhook-certs.sh
makes, reached by the Service's name.

Usage: run.py POL GO WORK_DIR SOURCE_DIR"""
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

pol, go, work, source = sys.argv[1], sys.argv[2], Path(sys.argv[3]).resolve(), Path(sys.argv[4]).resolve()
work.mkdir(parents=True, exist_ok=True)
policy = ["--profile", "restricted:latest", "--policy", str(source / "examples/policies/defaults.pol")]


def build(program, gopath="/usr/share/gocode"):
    env = dict(os.environ, GOPATH=gopath, GO111MODULE="off", GOFLAGS="", GOCACHE=str(work / "gocache"))
    binary = work / Path(program).stem
    subprocess.run([go, "build", "-o", str(binary), str(source / program)], env=env, check=True)
    return binary


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psa_message(violations):
    """Pod Security Admission's wording of a denial, from pol check's JSON violations."""
    runs = []
    for v in violations:
        if runs and runs[-1][0] == v["policy"]:
            runs[-1][1].append(v)
        else:
            runs.append((v["policy"], [v]))
    parts = []
    for name, run in runs:
        builtin = name.split(":")[0] in ("privileged", "baseline", "restricted") and ":" in name
        reasons = ", ".join(v["reason"] + (f" ({v['detail']})" if v["detail"] else "") for v in run)
        parts.append(f'violates {"PodSecurity" if builtin else "policy"} "{name}": {reasons}')
    return "; ".join(parts)


def main():
    oracle, client = build("tests/yaml_oracle/oracle.go"), build("tests/apiserver_client/client.go")
    files = sorted(str(p.relative_to(source)) for folder in ("tests/data/corpus", "tests/data/psa/fixtures")
                   for p in (source / folder).rglob("*.yaml"))
    os.chdir(source)  # paths as given: the oracle's, pol check's and pol mutate's sources match

    # Objects by file, kind and name: the oracle counts a comment-only preamble before the first
    # `---` as a document (as kubectl's splitter does) and pol does not (as libyaml does not), so
    # document numbers are not shared. A name given twice in a file is not sent.
    objects = {}
    for line in subprocess.run([str(oracle), *files], capture_output=True, text=True, check=True).stdout.splitlines():
        document = json.loads(line)
        obj = document.get("json")
        if isinstance(obj, dict) and "kind" in obj:
            key = (document["file"], obj["kind"], (obj.get("metadata") or {}).get("name", ""))
            objects[key] = None if key in objects else obj
    report = json.loads(subprocess.run([pol, "check", "-o", "json", *policy, *files], capture_output=True, text=True).stdout)
    patches = {}
    for line in subprocess.run([pol, "mutate", "-o", "patch", *policy, *files], capture_output=True, text=True).stdout.splitlines():
        patch = json.loads(line)
        patches[(patch["source"], patch["document"])] = patch["patch"]

    results = {}
    for result in report["results"]:
        key = (result["source"], result["document"])
        results[key] = None if key in results else result  # a List's items share a document: not sent
    corpus = []
    for key, result in sorted(results.items()):
        obj = result and objects.get((result["source"], result["kind"], result["name"]))
        if obj is None or key not in patches:
            continue
        group, _, version = obj["apiVersion"].rpartition("/")
        namespace = (obj.get("metadata") or {}).get("namespace") or "default"
        review = {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
            "uid": f"{len(corpus):08d}-{key[1]}", "kind": {"group": group, "version": version, "kind": obj["kind"]},
            "namespace": namespace, "name": (obj.get("metadata") or {}).get("name", ""), "operation": "CREATE",
            "userInfo": {"username": "kubernetes-admin", "groups": ["system:masters", "system:authenticated"]},
            "object": obj, "oldObject": None, "dryRun": False}}
        failures = [e["message"] for e in result["errors"]]
        message = "; ".join(filter(None, [psa_message(result["violations"]), *failures]))
        corpus.append({"path": "/validate", "review": review, "expect": {"allowed": result["allowed"], "message": message}})
        corpus.append({"path": "/mutate", "review": review, "expect": {"allowed": True, "patch": patches[key]}})
    (work / "corpus.jsonl").write_text("".join(json.dumps(e) + "\n" for e in corpus))
    sent = len(corpus) // 2
    if sent < 4500:
        sys.exit(f"apiserver_client: only {sent} objects made reviews; expected the corpus and the PSA fixtures")

    certs = work / "webhook"
    subprocess.run(["bash", str(source / "scripts/webhook-certs.sh"), str(certs)], check=True, capture_output=True)
    # pol check reads the Namespace objects among its inputs (their pod-security labels); the
    # webhook gets them from --namespaces.
    namespaces = [arg for f in files if "\nkind: Namespace" in (source / f).read_text() for arg in ("--namespaces", f)]
    port, probe = free_port(), free_port()
    server = subprocess.Popen([pol, "serve", *policy, *namespaces, "--tls-cert-file", str(certs / "tls.crt"), "--tls-private-key-file",
                               str(certs / "tls.key"), "--bind-address", "127.0.0.1", "--port", str(port), "--probe-port",
                               str(probe), "--log", "none", "--shutdown-delay", "0"], stderr=open(work / "serve.log", "w"))
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", probe), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        result = subprocess.run([str(client), "-addr", f"127.0.0.1:{port}", "-ca", str(certs / "ca.crt"), "-server-name",
                                 "pol.pol.svc", "-corpus", str(work / "corpus.jsonl")], text=True)
    finally:
        server.terminate()
        server.wait(timeout=20)
    denied = sum(1 for e in corpus if not e["expect"]["allowed"])
    print(f"apiserver_client: {sent} objects, {denied} denials expected; client exit {result.returncode}")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
