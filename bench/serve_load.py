#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""pol serve under load, over TLS on loopback, as the API server loads a webhook: realistic
AdmissionReviews (a 2 KB pod, a 30 KB pod, an UPDATE carrying two 1 MiB objects), the
restricted:latest profile, 2 threads, 75 idle keep-alive connections held open throughout
(3 API servers × 25), then

- fixed rates, sent by tests/apiserver_client/client.go (the API server's way: 25 kept-alive
  connections, ALPN http/1.1; each request sent on schedule however slow the ones before it):
  throughput and the client's p50, p99, p99.9; beside them the server's own share, from its
  pol_admission_duration_seconds histogram (last byte read to last byte written);
- the same rates with hey (Debian's `hey`; its own Go runtime adds to what it measures);
- saturation with wrk (Debian's `wrk`, Lua for the POST and for p99.9);
- overload: 200 connections each sending the 2 KB pod again as soon as answered, with
  --max-inflight 8: how many 429s, how fast, and the server's memory before and after;
- a soak: the 2 KB pod at 2,000/s for SOAK_SECONDS (default 600), the server's resident memory
  sampled every 10 s; flat means the last minute within 5% of the first minute after warm-up.

Every load generator runs on the same machine and shares its cores with pol: the client-side
figures are what pol gives with a client beside it, a pessimistic setting. Writes
RESULTS/serve.json and prints a table. Usage: serve_load.py POL GO RESULTS [--smoke]"""
import csv
import io
import json
import os
import shutil
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

pol, go, results = sys.argv[1], sys.argv[2], Path(sys.argv[3])
source = Path(__file__).resolve().parent.parent
smoke = "--smoke" in sys.argv
seconds = 1 if smoke else 10
soak_seconds = 3 if smoke else int(os.environ.get("SOAK_SECONDS", "600"))


def container(i, env_bytes=0):
    env = [{"name": f"SETTING_{k}", "value": "x" * 40} for k in range(env_bytes // 70)]
    return {"name": f"app-{i}", "image": f"registry.example.com/shop/app-{i}:1.4.{i}",
            "ports": [{"name": "http", "containerPort": 8080 + i, "protocol": "TCP"}],
            "env": env, "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}},
            "readinessProbe": {"httpGet": {"path": "/ready", "port": "http"}, "periodSeconds": 5},
            "securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}, "readOnlyRootFilesystem": True},
            "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}]}


def pod(containers, env_bytes=0, annotation_bytes=0):
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "shop-web-7d4b9c6f5-x2x9k", "generateName": "shop-web-7d4b9c6f5-", "namespace": "shop",
                         "labels": {"app.kubernetes.io/name": "web", "app.kubernetes.io/part-of": "shop", "pod-template-hash": "7d4b9c6f5"},
                         "annotations": {"example.com/blob": "y" * annotation_bytes} if annotation_bytes else {},
                         "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "shop-web-7d4b9c6f5",
                                              "uid": "0b6c1f0e-63a2-4a51-9d3c-2d5f8c0d1e77", "controller": True, "blockOwnerDeletion": True}]},
            "spec": {"securityContext": {"runAsNonRoot": True, "runAsUser": 10001, "seccompProfile": {"type": "RuntimeDefault"}},
                     "serviceAccountName": "web", "containers": [container(i, env_bytes) for i in range(containers)],
                     "volumes": [{"name": "tmp", "emptyDir": {}}]}}


def review(obj, old=None, operation="CREATE"):
    return json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
        "uid": "705ab4f5-6393-11e8-b7cc-42010a800002", "kind": {"group": "", "version": "v1", "kind": "Pod"},
        "resource": {"group": "", "version": "v1", "resource": "pods"}, "namespace": "shop", "name": obj["metadata"]["name"],
        "operation": operation, "userInfo": {"username": "system:serviceaccount:kube-system:replicaset-controller",
                                             "groups": ["system:serviceaccounts", "system:authenticated"]},
        "object": obj, "oldObject": old, "dryRun": False}})


def bodies(folder):
    made = {"2KB pod": review(pod(2)), "30KB pod": review(pod(6, env_bytes=4500)),
            "2x1MiB UPDATE": review(pod(2, annotation_bytes=1 << 20), pod(2, annotation_bytes=1 << 20), "UPDATE")}
    paths = {}
    for name, text in made.items():
        path = folder / (name.replace(" ", "_") + ".json")
        path.write_text(text)
        paths[name] = (path, len(text))
    return paths


def rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(p / 100 * len(sorted_values)))]


def hey(url, body, rate, duration):
    """hey at a fixed rate: its own figures from every request's time (-o csv)."""
    workers = max(1, min(50, rate // 50))  # over 50 workers, hey redials its keep-alive connections
    out = subprocess.run(["hey", "-z", f"{duration}s", "-c", str(workers), "-q", str(rate / workers), "-m", "POST",
                          "-T", "application/json", "-D", str(body), "-o", "csv", url], capture_output=True, text=True)
    times, errors = [], 0
    for row in csv.DictReader(io.StringIO(out.stdout)):
        times.append(float(row["response-time"]))
        errors += row["status-code"] != "200"
    times.sort()
    return {"offered": rate, "achieved": round(len(times) / duration), "errors": errors,
            "p50_ms": round(percentile(times, 50) * 1e3, 3), "p99_ms": round(percentile(times, 99) * 1e3, 3),
            "p999_ms": round(percentile(times, 99.9) * 1e3, 3)}


WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open(os.getenv("BODY"), "rb"); wrk.body = f:read("*a"); f:close()
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %f %f %f\\n", summary.requests, summary.errors.status + summary.errors.connect +
    summary.errors.read + summary.errors.write + summary.errors.timeout, summary.duration,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9)))
end
"""


def wrk(url, body, script, duration, connections=50):
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "-s", str(script), url],
                         capture_output=True, text=True, env=dict(os.environ, BODY=str(body)))
    line = next(l for l in out.stdout.splitlines() if l.startswith("RESULT"))
    requests, errors, micros, p50, p99, p999 = line.split()[1:]
    return {"requests_per_second": round(int(requests) / (int(micros) / 1e6)), "errors": int(errors),
            "p50_ms": round(float(p50) / 1e3, 3), "p99_ms": round(float(p99) / 1e3, 3), "p999_ms": round(float(p999) / 1e3, 3)}


def start(folder, *extra):
    port, probe = free_port(), free_port()
    server = subprocess.Popen([pol, "serve", "--profile", "restricted:latest", "--tls-cert-file", str(folder / "tls.crt"),
                               "--tls-private-key-file", str(folder / "tls.key"), "--bind-address", "127.0.0.1",
                               "--port", str(port), "--probe-port", str(probe), "--log", "none", "--threads", "2",
                               "--shutdown-delay", "0", *extra], stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    return server, port, probe


def idle_connections(port, count=75):
    """The API servers' pooled connections: TLS done, then nothing sent."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.set_alpn_protocols(["http/1.1"])
    return [context.wrap_socket(socket.create_connection(("127.0.0.1", port))) for _ in range(count)]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_buckets(probe):
    """The server's pol_admission_duration_seconds buckets: {le: count}."""
    text = urllib.request.urlopen(f"http://127.0.0.1:{probe}/metrics", timeout=10).read().decode()
    buckets = {}
    for line in text.splitlines():
        if line.startswith("pol_admission_duration_seconds_bucket"):
            le = line.split('le="')[1].split('"')[0]
            buckets[le] = int(line.split()[-1])
    return buckets


def server_share(before, after):
    """The fraction of requests the server answered within 0.25, 0.5 and 1 ms between two readings."""
    total = after["+Inf"] - before["+Inf"]
    return {f"within_{le}s": round((after[le] - before[le]) / total * 100, 2) if total else None
            for le in ("0.00025", "0.0005", "0.001")}


class Client:
    """tests/apiserver_client/client.go in its load mode."""

    def __init__(self, folder):
        env = dict(os.environ, GO111MODULE="off", GOFLAGS="", GOCACHE=str(folder / "gocache"))
        self.binary = folder / "client"
        subprocess.run([go, "build", "-o", str(self.binary), str(source / "tests/apiserver_client/client.go")], env=env, check=True)
        self.folder = folder

    def run(self, port, body, rate, duration, connections=25):
        """`rate` reviews a second, or with rate None each connection sending back to back."""
        corpus = self.folder / (body.stem + ".jsonl")
        if not corpus.exists():
            corpus.write_text(json.dumps({"path": "/validate", "review": json.loads(body.read_text()), "expect": {}}) + "\n")
        out = subprocess.run([str(self.binary), "-addr", f"127.0.0.1:{port}", "-ca", str(self.folder / "ca.crt"),
                              "-server-name", "pol.pol.svc", "-corpus", str(corpus), "-connections", str(connections),
                              *(["-rate", str(rate)] if rate else ["-flood"]), "-duration", str(duration)],
                             capture_output=True, text=True, check=True)
        return json.loads(out.stdout)


def main():
    for tool in ("hey", "wrk", "openssl"):
        if not shutil.which(tool):
            sys.exit(f"serve_load: {tool} is not installed (scripts/setup.sh)")
    results.mkdir(parents=True, exist_ok=True)
    report = {"cores": os.cpu_count(), "threads": 2, "profile": "restricted:latest", "seconds_per_rate": seconds,
              "rates": {}, "saturation": {}}
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        subprocess.run(["bash", str(source / "scripts/webhook-certs.sh"), str(folder)], check=True, capture_output=True)
        client = Client(folder)
        script = folder / "post.lua"
        script.write_text(WRK_SCRIPT)
        server, port, probe = start(folder)
        url = f"https://127.0.0.1:{port}/validate?timeout=10s"
        try:
            held = idle_connections(port)
            report["idle_connections"] = len(held)
            rates = {"2KB pod": [1000, 2000, 5000, 10000], "30KB pod": [1000, 2000, 5000], "2x1MiB UPDATE": [10, 50, 100]}
            for name, (body, size) in bodies(folder).items():
                runs = []
                for rate in rates[name][:2] if smoke else rates[name]:
                    before = server_buckets(probe)
                    measured = client.run(port, body, rate, seconds)
                    share = server_share(before, server_buckets(probe))
                    ok = measured["by_status"].get("200", {})
                    runs.append({"offered": rate, "achieved": round(ok.get("count", 0) / measured["seconds"]),
                                 "failed": measured["sent"] - ok.get("count", 0), "p50_ms": ok.get("p50_ms"),
                                 "p99_ms": ok.get("p99_ms"), "p999_ms": ok.get("p999_ms"), "server": share,
                                 "hey": hey(url, body, rate, seconds)})
                report["rates"][name] = {"bytes": size, "runs": runs}
                report["saturation"][name] = wrk(url, body, script, seconds, 4 if "UPDATE" in name else 50)
            two_kb = folder / "2KB_pod.json"
            rss = [rss_kib(server.pid)]
            began = time.time()
            while time.time() - began < soak_seconds:
                client.run(port, two_kb, 2000, min(10, soak_seconds))
                rss.append(rss_kib(server.pid))
            warm = rss[1:7] if len(rss) > 12 else rss[1:2]
            last = rss[-6:] if len(rss) > 12 else rss[-1:]
            report["soak"] = {"seconds": soak_seconds, "rate": 2000, "rss_kib": rss,
                              "change_percent": round((statistics.mean(last) / statistics.mean(warm) - 1) * 100, 2)}
            for s in held:
                s.close()
        finally:
            server.terminate()
            server.wait(timeout=30)

        # Overload: 200 connections sending back to back (as much as the client can offer beside
        # the server on these cores), the queue bounded low.
        server, port, probe = start(folder, "--max-inflight", "8")
        try:
            before = rss_kib(server.pid)
            measured = client.run(port, two_kb, None, seconds, connections=200)
            ok, refused = measured["by_status"].get("200", {}), measured["by_status"].get("429", {})
            report["overload"] = {"connections": 200, "sent_per_second": round(measured["sent"] / measured["seconds"]),
                                  "answered": ok.get("count", 0), "p99_200_ms": ok.get("p99_ms"),
                                  "refused_429": refused.get("count", 0), "p99_429_ms": refused.get("p99_ms"),
                                  "other": measured["sent"] - ok.get("count", 0) - refused.get("count", 0),
                                  "rss_kib_before": before, "rss_kib_after": rss_kib(server.pid)}
        finally:
            server.terminate()
            server.wait(timeout=30)
    (results / "serve.json").write_text(json.dumps(report, indent=1) + "\n")
    print(table(report))


def table(report):
    lines = ["| review | offered/s | achieved/s | p50 ms | p99 ms | p99.9 ms | failed | server ≤0.5 ms / ≤1 ms | hey p50 / p99 / p99.9 ms |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, data in report["rates"].items():
        for run in data["runs"]:
            h = run["hey"]
            lines.append(f"| {name} | {run['offered']} | {run['achieved']} | {run['p50_ms']} | {run['p99_ms']} | {run['p999_ms']} | "
                         f"{run['failed']} | {run['server']['within_0.0005s']}% / {run['server']['within_0.001s']}% | "
                         f"{h['p50_ms']} / {h['p99_ms']} / {h['p999_ms']} |")
        s = report["saturation"][name]
        lines.append(f"| {name} | saturation (wrk, {'4' if 'UPDATE' in name else '50'} connections) | {s['requests_per_second']} | "
                     f"{s['p50_ms']} | {s['p99_ms']} | {s['p999_ms']} | {s['errors']} | | |")
    o, soak = report["overload"], report["soak"]
    lines.append("")
    lines.append(f"overload: {o['connections']} connections sending back to back ({o['sent_per_second']}/s), "
                 f"--max-inflight 8: {o['answered']} answered (p99 {o['p99_200_ms']} ms), {o['refused_429']} refused with 429 "
                 f"(p99 {o['p99_429_ms']} ms), {o['other']} other; RSS {o['rss_kib_before']} → {o['rss_kib_after']} KiB")
    lines.append(f"soak: {soak['seconds']} s at {soak['rate']}/s, RSS {soak['rss_kib'][0]} → {soak['rss_kib'][-1]} KiB, "
                 f"last minute against the first after warm-up: {soak['change_percent']:+}%")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
