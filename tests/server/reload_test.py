#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""pol serve changing what it decides with while it serves: a policy file rewritten, a policy
that does not compile (refused, the previous one decides on), SIGHUP, a Namespace's
pod-security label changed, and a reload under load (no request fails, every answer is the old
policy's or the new one's, never a mix). Then the request deadline (`?timeout`) against a
policy that would loop for minutes, and a client CA (a client without its certificate is not
served).

Usage: reload_test.py POL"""
import http.client
import json
import os
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from serving import check, failures, post, probe_get, start

pol = sys.argv[1]


def gate(prefix):
    """A policy denying images under `prefix`."""
    return f'''policy "gate"

check blocked_registry {{
  let bad = [c for c in all_containers if startsWith(c.image, "{prefix}")]
  deny if len(bad) > 0
    reason "blocked registry"
    detail "{{join([c.name for c in bad], ", ")}} must not pull from {prefix}"
}}
'''


def write(path, text):
    """Replaces a file as an editor or a ConfigMap update does: a new file renamed over it."""
    temporary = path.with_suffix(".new")
    temporary.write_text(text)
    os.replace(temporary, path)


def namespace(level):
    return f"""apiVersion: v1
kind: Namespace
metadata:
  name: team
  labels:
    pod-security.kubernetes.io/enforce: {level}
"""


def pod(*images):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "team"},
            "spec": {"containers": [{"name": f"c{i}", "image": image} for i, image in enumerate(images)]}}


def decide(connection, obj, uid="u", query=""):
    body = json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                       "request": {"uid": uid, "namespace": "team", "operation": "CREATE",
                                   "kind": {"group": "", "version": "v1", "kind": "Pod"}, "object": obj}})
    status, text, _ = post(connection, "/validate" + query, body)
    if status != 200:
        return status, None
    return status, json.loads(text)["response"]


def message(answer):
    return None if answer["allowed"] else answer["status"]["message"]


def metric(probe, line_start):
    for line in probe_get(probe, "/metrics")[1].splitlines():
        if line.startswith(line_start + " "):
            return float(line.split()[-1])
    return None


def wait_for(condition, seconds=4):
    end = time.time() + seconds
    while time.time() < end:
        if condition():
            return True
        time.sleep(0.1)
    return False


def reloads(folder):
    policy, namespaces = folder / "gate.pol", folder / "namespaces.yaml"
    policy.write_text(gate("blocked/"))
    namespaces.write_text(namespace("privileged"))
    process, port, probe, context = start(pol, folder, "--profile", "restricted:latest", "--policy", str(policy),
                                          "--namespaces", str(namespaces), "--shutdown-delay", "0", "--threads", "2")
    try:
        connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=5)
        blocked, other = pod("blocked/app:1"), pod("other/app:1")
        check(message(decide(connection, blocked)[1]) is not None, "the first policy denies blocked/")
        check(decide(connection, other)[1]["allowed"], "and allows other/ (the namespace is privileged)")

        write(policy, gate("other/"))
        check(wait_for(lambda: message(decide(connection, other)[1]) is not None), "a rewritten policy decides within 4 s")
        check(decide(connection, blocked)[1]["allowed"], "the old rule is gone")
        check(metric(probe, 'pol_policy_reloads_total{result="ok"}') == 1, "the reload is counted")

        write(policy, gate("other/").replace("deny if", "deny iff"))
        check(wait_for(lambda: metric(probe, 'pol_policy_reloads_total{result="refused"}') == 1), "a broken policy is refused")
        check(metric(probe, "pol_policy_stale") == 1, "pol_policy_stale says the running policy is the previous one")
        check(message(decide(connection, other)[1]) is not None, "the previous policy still decides")
        check(probe_get(probe, "/readyz")[0] == 200, "/readyz stays ready")

        write(policy, gate("blocked/"))
        check(wait_for(lambda: metric(probe, 'pol_policy_reloads_total{result="ok"}') == 2), "a fixed policy is taken")
        check(metric(probe, "pol_policy_stale") == 0, "no longer stale")
        process.send_signal(signal.SIGHUP)
        check(wait_for(lambda: metric(probe, 'pol_policy_reloads_total{result="ok"}') == 3), "SIGHUP reloads")

        write(namespaces, namespace("restricted"))
        check(wait_for(lambda: "restricted:latest" in (message(decide(connection, other)[1]) or "")),
              "a Namespace labelled restricted enforces restricted on its pods")

        # Under load: four connections deciding a pod both policies deny, each in its own words,
        # while the policy flips ten times.
        both = pod("blocked/a:1", "other/b:1")
        write(namespaces, namespace("privileged"))
        words = set()
        errors = []
        stop = threading.Event()

        def hammer():
            client = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=5)
            while not stop.is_set():
                try:
                    status, answer = decide(client, both)
                    if status != 200:
                        errors.append(status)
                    else:
                        words.add(message(answer))
                except Exception as e:  # noqa: BLE001 - any failure is a failed request
                    errors.append(repr(e))

        threads = [threading.Thread(target=hammer) for _ in range(4)]
        time.sleep(1.5)
        for t in threads:
            t.start()
        for i in range(10):
            write(policy, gate("other/" if i % 2 == 0 else "blocked/"))
            time.sleep(1.2)
        stop.set()
        for t in threads:
            t.join()
        expected = {'violates policy "gate": blocked registry (c0 must not pull from blocked/)',
                    'violates policy "gate": blocked registry (c1 must not pull from other/)'}
        check(not errors, f"no request fails during reloads ({errors[:3]})")
        check(words == expected, f"every answer is one policy's, both seen: {sorted(map(str, words))}")
        process.send_signal(signal.SIGTERM)
        check(process.wait(timeout=10) == 0, "exit 0")
    finally:
        if process.poll() is None:
            process.kill()
    log = (folder / "serve.log").read_text()
    check("error: the reloaded policies are refused" in log and "iff" in log, "the refused policy's error is logged")


def deadline(folder):
    # Ten billion steps with the step limit lifted: only the request's deadline stops it.
    policy = folder / "slow.pol"
    policy.write_text('''policy "slow"

check forever {
  deny if any(a in range(100000): any(b in range(100000): a * b < 0))
    reason "never"
}
''')
    process, port, probe, context = start(pol, folder, "--policy", str(policy), "--limit", "steps=100000000000",
                                          "--shutdown-delay", "0")
    try:
        connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
        began = time.time()
        status, answer = decide(connection, pod("app:1"), query="?timeout=1s")
        took = time.time() - began
        check(status == 200 and answer["allowed"] is False and "deadline" in answer["status"]["message"],
              f"a review past its deadline is denied, saying so: {answer}")
        check(took < 1.0, f"and answered before the API server's timeout ({took:.2f} s of 1 s)")
        check(metric(probe, 'pol_admission_requests_total{webhook="validate",operation="CREATE",kind="Pod",decision="error"}') == 1,
              "counted as an error")
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()


def client_ca(folder):
    ca, client = folder / "ca", folder / "client"
    ca.mkdir()
    client.mkdir()
    openssl = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test-ca",
               "-keyout", str(ca / "key.pem"), "-out", str(ca / "cert.pem")]
    subprocess.run(openssl, check=True, capture_output=True)
    subprocess.run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=kube-apiserver",
                    "-keyout", str(client / "key.pem"), "-out", str(client / "csr.pem")], check=True, capture_output=True)
    subprocess.run(["openssl", "x509", "-req", "-in", str(client / "csr.pem"), "-CA", str(ca / "cert.pem"), "-CAkey",
                    str(ca / "key.pem"), "-CAcreateserial", "-days", "1", "-out", str(client / "cert.pem")],
                   check=True, capture_output=True)
    process, port, probe, context = start(pol, folder, "--client-ca-file", str(ca / "cert.pem"), "--shutdown-delay", "0")
    try:
        anonymous = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=5)
        try:
            status = decide(anonymous, pod("app:1"))[0]
        except (ssl.SSLError, ConnectionError, http.client.HTTPException):
            status = None
        check(status is None, "a client without a certificate is not served")
        context.load_cert_chain(str(client / "cert.pem"), str(client / "key.pem"))
        trusted = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=5)
        check(decide(trusted, pod("app:1"))[0] == 200, "a client with a certificate the CA signed is served")
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()


def main():
    for test in (reloads, deadline, client_ca):
        with tempfile.TemporaryDirectory() as work:
            test(Path(work))
    print(f"reload: {'FAILED' if failures else 'passed'} ({len(failures)} failures)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
