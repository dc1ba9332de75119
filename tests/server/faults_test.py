#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""pol serve under faults, on loopback, bounded in time (also run in the ASan/UBSan build):

- the serving certificate swapped every second under load (client.go, the API server's way):
  no request fails, each new certificate is served within 2 s, a pair whose key does not match
  is never served;
- SIGTERM under load: no request fails while the listener is up, and a request under way when
  the port closes is answered;
- an 8 MiB body: 413 before the client has sent it all;
- broken requests: truncated JSON, a wrong content type, no uid, a v1beta1 review, a slow
  (slowloris) header, garbage instead of a TLS handshake: the right status or a closed
  connection, and the server serves on;
- a hostile document (nested 100,000 deep, a 6 MiB string): an answer, quickly;
- overload (200 connections sending back to back, --max-inflight 4): only 200s and 429s, and
  the resident memory stays bounded.

Usage: faults_test.py POL GO"""
import http.client
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from serving import check, failures, free_port, good_pod, post, review

pol, go = sys.argv[1], sys.argv[2]


def make_ca(folder):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test-ca",
                    "-keyout", str(folder / "ca.key"), "-out", str(folder / "ca.crt")], check=True, capture_output=True)


def make_pair(ca, folder):
    """A serving pair for pol.pol.svc and 127.0.0.1, signed by the CA in `ca`."""
    folder.mkdir(parents=True)
    subprocess.run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=pol.pol.svc",
                    "-keyout", str(folder / "tls.key"), "-out", str(folder / "tls.csr")], check=True, capture_output=True)
    extensions = folder / "san.cnf"
    extensions.write_text("subjectAltName=DNS:pol.pol.svc,IP:127.0.0.1\n")
    subprocess.run(["openssl", "x509", "-req", "-in", str(folder / "tls.csr"), "-CA", str(ca / "ca.crt"), "-CAkey",
                    str(ca / "ca.key"), "-CAcreateserial", "-days", "1", "-extfile", str(extensions), "-out",
                    str(folder / "tls.crt")], check=True, capture_output=True)
    return folder


def with_pair(folder):
    """A CA and one serving pair it signed, in place (folder/current): for the tests that do not rotate."""
    make_ca(folder)
    swap(folder, make_pair(folder, folder / "pair"))
    return folder


def swap(folder, target):
    """Points folder/current at `target` as a Secret volume update does: a new symlink renamed over."""
    (folder / "next").symlink_to(target)
    os.replace(folder / "next", folder / "current")


class Server:
    def __init__(self, folder, *extra):
        self.port, self.probe = free_port(), free_port()
        self.log = folder / "serve.log"
        self.process = subprocess.Popen(
            [pol, "serve", "--tls-cert-file", str(folder / "current/tls.crt"), "--tls-private-key-file",
             str(folder / "current/tls.key"), "--bind-address", "127.0.0.1", "--port", str(self.port), "--probe-port",
             str(self.probe), "--log", "none", "--threads", "2", *extra], stderr=open(self.log, "w"))
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.probe), timeout=0.1).close()
                return
            except OSError:
                time.sleep(0.05)

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def alive(self):
        return self.process.poll() is None

    def rss_kib(self):
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0


def build_client(folder):
    binary = folder / "client"
    env = dict(os.environ, GO111MODULE="off", GOFLAGS="", GOCACHE=str(folder / "gocache"))
    source = Path(__file__).resolve().parent.parent / "apiserver_client/client.go"
    subprocess.run([go, "build", "-o", str(binary), str(source)], env=env, check=True)
    corpus = folder / "load.jsonl"
    corpus.write_text(json.dumps({"path": "/validate", "review": json.loads(review(good_pod)), "expect": {}}) + "\n")
    return binary, corpus


def load(client, server, ca, mode, seconds, connections=25):
    """Starts client.go's load mode; returns the running process (its stdout: one JSON line)."""
    return subprocess.Popen([str(client[0]), "-addr", f"127.0.0.1:{server.port}", "-ca", str(ca / "ca.crt"), "-server-name",
                             "pol.pol.svc", "-corpus", str(client[1]), "-connections", str(connections), *mode,
                             "-duration", str(seconds)], stdout=subprocess.PIPE, text=True)


def served(port):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw, context.wrap_socket(raw) as tls:
        return tls.getpeercert(binary_form=True)


def der(path):
    return ssl.PEM_cert_to_DER_cert(path.read_text())


def certificate_rotation(folder, client):
    ca = folder
    make_ca(ca)
    pairs = [make_pair(ca, folder / f"pair-{i}") for i in range(4)]
    broken = folder / "broken"
    broken.mkdir()
    (broken / "tls.crt").write_text((pairs[1] / "tls.crt").read_text())
    (broken / "tls.key").write_text((pairs[0] / "tls.key").read_text())  # not the certificate's key
    swap(folder, pairs[0])
    server = Server(folder)
    try:
        running = load(client, server, ca, ["-rate", "60"], 7)
        seen_broken, delays = False, []
        for step, target in enumerate([pairs[1], broken, pairs[2], broken, pairs[3]]):
            swap(folder, target)
            began = time.time()
            while time.time() - began < 2.5:
                now = served(server.port)
                seen_broken |= target is broken and now == der(broken / "tls.crt") and now != der(pairs[1] / "tls.crt")
                if target is not broken and now == der(target / "tls.crt"):
                    delays.append(time.time() - began)
                    break
                time.sleep(0.1)
            time.sleep(max(0.0, 1.0 - (time.time() - began)))
        result = json.loads(running.communicate(timeout=30)[0])
        check(result["by_status"].get("200", {}).get("count") == result["sent"] > 0,
              f"no request fails while the certificate changes: {result}")
        check(len(delays) == 3 and max(delays) < 2.0, f"each new certificate is served within 2 s: {delays}")
        check(not seen_broken, "a pair whose key does not match is never served")
    finally:
        server.stop()


def shutdown_under_load(folder, client):
    ca = with_pair(folder)
    # A policy that takes about a second a review (far longer in a sanitizer build, where the request's
    # deadline of 5 s ends it, denied): a request is still under way when the port closes.
    slow = folder / "slow.pol"
    slow.write_text('policy "slow"\n\ncheck slow {\n  deny if any(a in range(30000): any(b in range(1000): a * b < 0))\n'
                    '    reason "never"\n}\n')
    server = Server(folder, "--shutdown-delay", "2", "--shutdown-timeout", "20")
    slow_server = Server(folder, "--policy", str(slow), "--shutdown-delay", "0.5", "--shutdown-timeout", "20",
                         "--limit", "steps=100000000")
    try:
        running = load(client, server, ca, ["-rate", "60"], 1.8)  # stops before the delay ends, as an endpoint is removed
        time.sleep(0.5)
        server.process.send_signal(signal.SIGTERM)
        result = json.loads(running.communicate(timeout=30)[0])
        check(result["by_status"].get("200", {}).get("count") == result["sent"] > 0,
              f"no request fails while the server drains: {result}")
        check(server.process.wait(timeout=20) == 0, "exit 0 after draining")

        context = ssl.create_default_context(cafile=str(ca / "ca.crt"))
        connection = http.client.HTTPSConnection("127.0.0.1", slow_server.port, context=context, timeout=30)
        answer = {}
        thread = threading.Thread(target=lambda: answer.update(status=post(connection, "/validate?timeout=5s", review(good_pod))[0]))
        thread.start()
        time.sleep(0.3)  # the review is being evaluated
        slow_server.process.send_signal(signal.SIGTERM)
        thread.join(timeout=30)
        check(answer.get("status") == 200, f"a review under way when the port closes is answered: {answer}")
        check(slow_server.process.wait(timeout=20) == 0, "exit 0 once it is")
    finally:
        server.stop()
        slow_server.stop()


def broken_requests(folder, client):
    ca = with_pair(folder)
    server = Server(folder, "--max-request-bytes", str(7 << 20))
    context = ssl.create_default_context(cafile=str(ca / "ca.crt"))
    try:
        def connection():
            return http.client.HTTPSConnection("127.0.0.1", server.port, context=context, timeout=10)

        # 8 MiB: refused from the header, before the client has sent the body.
        big = connection()
        big.putrequest("POST", "/validate")
        big.putheader("Content-Type", "application/json")
        big.putheader("Content-Length", str(8 << 20))
        big.endheaders()
        try:
            big.send(b"[" * 65536)
        except (ssl.SSLError, BrokenPipeError, ConnectionResetError):
            pass  # the server answered from the header and closed before the body was sent: what is wanted
        response = big.getresponse()
        check(response.status == 413, "8 MiB: 413 with 64 KiB of it sent")
        whole = json.loads(review(good_pod))
        cases = {
            "truncated JSON": (review(good_pod)[:-40], "application/json", 400),
            "a wrong content type": (review(good_pod), "application/x-www-form-urlencoded", 415),
            "no uid": (json.dumps({**whole, "request": {k: v for k, v in whole["request"].items() if k != "uid"}}), "application/json", 400),
            "a v1beta1 review": (json.dumps({**whole, "apiVersion": "admission.k8s.io/v1beta1"}), "application/json", 400),
            "a document nested 100,000 deep": ('{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": '
                                                '{"uid": "x", "object": ' + "[" * 100000 + "]" * 100000 + "}}", "application/json", 400),
        }
        for name, (body, content_type, expected) in cases.items():
            began = time.time()
            status = post(connection(), "/validate", body, content_type)[0]
            check(status == expected and time.time() - began < 5, f"{name}: {status}, expected {expected}")
        huge = review({**good_pod, "metadata": {"name": "x", "annotations": {"a": "b" * (6 << 20)}}})
        began = time.time()
        status, body, _ = post(connection(), "/validate", huge)
        check(status == 200 and time.time() - began < 5, f"a 6 MiB string: answered in {time.time() - began:.2f} s")

        # Garbage instead of a TLS handshake: the connection is closed, nothing else happens.
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:
            raw.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" + os.urandom(4096))
            raw.settimeout(5)
            try:
                closed = raw.recv(65536) is not None
            except (ConnectionError, socket.timeout):
                closed = True
        check(closed, "garbage instead of a handshake: the connection is closed")

        # Slowloris: a header sent a byte at a time; meanwhile others are served at once.
        slow = context.wrap_socket(socket.create_connection(("127.0.0.1", server.port)), server_hostname="pol.pol.svc")
        header = b"POST /validate HTTP/1.1\r\nHost: pol\r\nContent-Type: application/json\r\n"
        for byte in header[:30]:
            slow.send(bytes([byte]))
            time.sleep(0.02)
        began = time.time()
        status = post(connection(), "/validate", review(good_pod))[0]
        check(status == 200 and time.time() - began < 1, "served while a slow header trickles in")
        slow.close()
        check(server.alive(), "the server is alive after all of it")
    finally:
        server.stop()


def overload(folder, client):
    ca = with_pair(folder)
    server = Server(folder, "--max-inflight", "4")
    try:
        before = server.rss_kib()
        result = json.loads(load(client, server, ca, ["-flood"], 4, connections=200).communicate(timeout=60)[0])
        statuses = set(result["by_status"])
        check(statuses <= {"200", "429"} and "429" in statuses and "200" in statuses,
              f"overloaded: 200s and 429s, nothing else: {result}")
        after = server.rss_kib()
        check(after < before + 256 * 1024, f"memory bounded under overload: {before} → {after} KiB")
        check(server.alive(), "alive after the overload")
    finally:
        server.stop()


def main():
    with tempfile.TemporaryDirectory() as work:
        client = build_client(Path(work))
        for test in (certificate_rotation, shutdown_under_load, broken_requests, overload):
            folder = Path(work) / test.__name__
            folder.mkdir()
            test(folder, client)
    print(f"faults: {'FAILED' if failures else 'passed'} ({len(failures)} failures)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
