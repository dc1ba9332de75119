# SPDX-License-Identifier: Apache-2.0
"""What the tests of pol serve share: a certificate, a server started on free loopback ports
behind a Secret-like symlink, requests as the API server sends them, and a tally of failures."""
import http.client
import json
import socket
import ssl
import subprocess
import time
from pathlib import Path

failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print(f"FAIL {what}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def certificate(folder):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem"), "-subj", "/CN=pol.pol.svc",
                    "-addext", "subjectAltName=DNS:pol.pol.svc,IP:127.0.0.1"], check=True, capture_output=True)
    return folder / "cert.pem", folder / "key.pem"


def served_certificate(port):
    """The certificate a new connection is served (DER), trusting anything."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        with context.wrap_socket(raw) as tls:
            return tls.getpeercert(binary_form=True)


def start(pol, folder, *extra):
    # As a Kubernetes Secret volume: the files are reached through a symlink that an update swaps.
    first = folder / "pair-1"
    first.mkdir(exist_ok=True)
    certificate(first)
    link = folder / "current"
    if link.is_symlink():
        link.unlink()
    link.symlink_to(first)
    cert, key = link / "cert.pem", link / "key.pem"
    port, probe = free_port(), free_port()
    log = open(folder / "serve.log", "w")
    process = subprocess.Popen([pol, "serve", "--tls-cert-file", str(cert), "--tls-private-key-file", str(key),
                                "--bind-address", "127.0.0.1", "--port", str(port), "--probe-port", str(probe), *extra],
                               stderr=log, stdout=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", probe), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    context = ssl.create_default_context(cafile=str(cert))
    context.set_alpn_protocols(["http/1.1"])
    return process, port, probe, context


def post(connection, path, body, content_type="application/json"):
    connection.request("POST", path, body=body, headers={"Content-Type": content_type})
    response = connection.getresponse()
    return response.status, response.read().decode(), response


def probe_get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read().decode()


def review(obj, uid="u-1", operation="CREATE"):
    return json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                       "request": {"uid": uid, "namespace": "team", "operation": operation, "object": obj}})


good_pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "ok"},
            "spec": {"securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
                     "containers": [{"name": "app", "image": "app:1", "securityContext": {
                         "allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}}]}}
plain_pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]}}


