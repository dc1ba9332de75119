#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""pol serve over real TLS on loopback, spoken to the way the API server speaks to a webhook
(HTTP/1.1 with ALPN http/1.1, keep-alive, POST application/json, ?timeout=): the decisions and
their bodies, the refusals (404, 405, 413 before the body is read, 415, 400, 429), the probes,
the metrics, one log line per decision, certificate reload, and a graceful shutdown on SIGTERM.

Usage: serve_test.py POL SOURCE_DIR"""
import base64
import http.client
import json
import os
import signal
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from serving import (certificate, check, failures, free_port, good_pod, plain_pod, post, probe_get, review,
                     served_certificate, start)

pol, source = sys.argv[1], Path(sys.argv[2])


def main():
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        process, port, probe, context = start(pol, folder, "--policy", str(source / "policies/welkin.pol"),
                                              "--max-request-bytes", "200000", "--shutdown-delay", "1", "--threads", "2")
        try:
            connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=5)
            connection.connect()
            check(connection.sock.selected_alpn_protocol() == "http/1.1", "ALPN http/1.1 is negotiated")
            denial = (source / "tests/lang/fixtures/review_system.json").read_text()
            status, body, _ = post(connection, "/validate?timeout=10s", denial)
            answer = json.loads(body)["response"]
            check(status == 200 and answer["allowed"] is False and answer["status"]["code"] == 403, "a privileged pod is denied")
            check(answer["uid"] == "705ab4f5-6393-11e8-b7cc-42010a800002", "the uid is echoed")
            expected = subprocess.run([pol, "review", "--policy", str(source / "policies/welkin.pol"), "-"], input=denial,
                                      capture_output=True, text=True).stdout.strip()
            check(body == expected, "the response is pol review's, byte for byte")
            # The same connection again (keep-alive), the mutating webhook: a patch of the object.
            status, body, _ = post(connection, "/mutate", review(plain_pod, "u-2"))
            answer = json.loads(body)["response"]
            patch = json.loads(base64.b64decode(answer["patch"]))
            check(status == 200 and answer["allowed"] and answer["patchType"] == "JSONPatch", "the mutating webhook patches")
            check(all(not op["path"].startswith("/request") for op in patch), "the patch is relative to the object")
            status, body, _ = post(connection, "/validate", review(good_pod, "u-3"))
            check(status == 200 and json.loads(body)["response"]["allowed"] is True, "a restricted pod is allowed")
            # Refusals.
            check(post(connection, "/validate", "{}", "text/plain")[0] == 415, "415 on a wrong content type")
            check(post(connection, "/validate", '{"kind": "AdmissionReview"}')[0] == 400, "400 on what is not a v1 review")
            check(post(connection, "/nowhere", review(good_pod))[0] == 404, "404 elsewhere")
            connection.request("GET", "/validate")
            response = connection.getresponse()
            response.read()
            check(response.status == 405, "405 on GET")
            big = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=5)
            big.putrequest("POST", "/validate")
            big.putheader("Content-Type", "application/json")
            big.putheader("Content-Length", str(10_000_000))
            big.endheaders()  # the body is never sent: the answer comes from the header alone
            response = big.getresponse()
            check(response.status == 413 and response.getheader("Connection") == "close", "413 from Content-Length, connection closed")
            # A new certificate (the Secret's symlink swapped) serves the next handshake; a broken
            # one is refused and the previous pair stays.
            before = served_certificate(port)
            second = folder / "pair-2"
            second.mkdir()
            certificate(second)
            (folder / "next").symlink_to(second)
            os.replace(folder / "next", folder / "current")
            time.sleep(2.5)
            after = served_certificate(port)
            check(after != before and after == ssl.PEM_cert_to_DER_cert((second / "cert.pem").read_text()),
                  "a swapped certificate serves the next handshake")
            broken = folder / "pair-3"
            broken.mkdir()
            (broken / "cert.pem").write_text("not a certificate")
            (broken / "key.pem").write_text("not a key")
            (folder / "next").symlink_to(broken)
            os.replace(folder / "next", folder / "current")
            time.sleep(2.5)
            check(served_certificate(port) == after, "a broken certificate is refused, the previous one kept")
            status, body, _ = post(connection, "/validate", review(good_pod, "u-5"))
            check(status == 200, "the open connection goes on")
            # Probes and metrics.
            check(probe_get(probe, "/healthz") == (200, "ok\n"), "/healthz")
            check(probe_get(probe, "/readyz") == (200, "ok\n"), "/readyz")
            status, metrics = probe_get(probe, "/metrics")
            check('pol_admission_requests_total{webhook="validate",operation="UPDATE",kind="Pod",decision="deny"} 1' in metrics,
                  "deny counted")
            check('pol_admission_requests_total{webhook="mutate",operation="CREATE",kind="Pod",decision="allow"} 1' in metrics,
                  "mutation counted")
            check('pol_violations_total{policy="restricted:latest",check="hostNamespaces"} 1' in metrics, "violations counted by check")
            check('pol_admission_rejections_total{reason="too_large"} 1' in metrics, "413 counted")
            check('pol_admission_duration_seconds_count 9' in metrics, "request durations observed, refusals too")
            check('pol_evaluation_duration_seconds_count 4' in metrics, "evaluation durations observed")
            check('pol_certificate_reloads_total{result="ok"} 1' in metrics, "the reload counted")
            check('pol_certificate_reloads_total{result="refused"} 1' in metrics, "the refused reload counted")
            check("pol_certificate_expiry_seconds 1" in metrics, "the certificate's expiry")
            # SIGTERM: not ready, `Connection: close`, then exit 0.
            process.send_signal(signal.SIGTERM)
            time.sleep(0.3)
            check(probe_get(probe, "/readyz")[0] == 503, "/readyz fails while draining")
            status, _, response = post(connection, "/validate", review(good_pod, "u-6"))
            check(status == 200 and response.getheader("Connection") == "close", "draining answers close the connection")
            check(process.wait(timeout=10) == 0, "exit 0 after the shutdown delay")
        finally:
            if process.poll() is None:
                process.kill()
        log = (folder / "serve.log").read_text().splitlines()
        decisions = [json.loads(line) for line in log if line.startswith("{")]
        check([d["decision"] for d in decisions] == ["deny", "allow", "allow", "allow", "allow"], "one log line per decision")
        check(decisions[0]["namespace"] == "system" and decisions[0]["operation"] == "UPDATE", "the log line names the request")

        # --max-inflight 0: every review is over the limit.
        process, port, probe, context = start(pol, folder, "--max-inflight", "0", "--shutdown-delay", "0")
        try:
            connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=5)
            check(post(connection, "/validate", review(good_pod))[0] == 429, "429 over --max-inflight")
            process.send_signal(signal.SIGTERM)
            check(process.wait(timeout=10) == 0, "exit 0")
        finally:
            if process.poll() is None:
                process.kill()
        # A key that does not belong to the certificate: refused at start, exit 2.
        other = folder / "other"
        other.mkdir()
        _, other_key = certificate(other)
        result = subprocess.run([pol, "serve", "--tls-cert-file", str(folder / "current/cert.pem"), "--tls-private-key-file",
                                 str(other_key), "--port", str(free_port()), "--probe-port", str(free_port())],
                                capture_output=True, text=True, timeout=10)
        check(result.returncode == 2 and ("mismatch" in result.stderr or "does not match" in result.stderr), "a mismatched key is refused")
    print(f"serve: {'FAILED' if failures else 'passed'} ({len(failures)} failures)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
