#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""pol serve under load, over TLS on loopback, as the API server loads a webhook: realistic
AdmissionReviews (a 2 KB pod, a 30 KB pod, an UPDATE carrying two 1 MiB objects), the
restricted:latest profile, 75 idle keep-alive connections held open throughout (3 API servers
× 25), then

- fixed rates with hey (Debian's `hey`, -q per worker): throughput achieved and p50, p99,
  p99.9 from every request's own time (`-o csv`), errors counted;
- saturation with wrk (Debian's `wrk`, Lua for the POST and for p99.9);
- overload: 10× the 2 KB pod's saturation offered with --max-inflight low: how fast the 429s
  come, and the server's memory before and after;
- a soak: the 2 KB pod at a fixed rate for SOAK_SECONDS (default 600), the server's resident
  memory sampled every 10 s; flat means the last minute within 5% of the first minute after
  warm-up.

The load generators run on the same machine and share its cores with pol: the figures are
what pol gives with a client beside it, a pessimistic setting. Writes RESULTS/serve.json and
prints a table. Usage: serve_load.py POL RESULTS [--smoke]"""
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
from pathlib import Path

pol, results = sys.argv[1], Path(sys.argv[2])
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
    server = subprocess.Popen([pol, "serve", "--profile", "restricted:latest", "--tls-cert-file", str(folder / "cert.pem"),
                               "--tls-private-key-file", str(folder / "key.pem"), "--bind-address", "127.0.0.1",
                               "--port", str(port), "--probe-port", str(probe), "--log", "none", "--threads", "2",
                               "--shutdown-delay", "0", *extra], stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    return server, f"https://127.0.0.1:{port}/validate?timeout=10s", port


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


def main():
    for tool in ("hey", "wrk", "openssl"):
        if not shutil.which(tool):
            sys.exit(f"serve_load: {tool} is not installed (scripts/setup.sh)")
    results.mkdir(parents=True, exist_ok=True)
    report = {"cores": os.cpu_count(), "threads": 2, "profile": "restricted:latest", "rates": {}, "saturation": {}}
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=pol",
                        "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")], check=True, capture_output=True)
        script = folder / "post.lua"
        script.write_text(WRK_SCRIPT)
        server, url, port = start(folder)
        try:
            held = idle_connections(port)
            report["idle_connections"] = len(held)
            rates = {"2KB pod": [1000, 2000, 5000, 10000], "30KB pod": [1000, 2000, 5000], "2x1MiB UPDATE": [10, 50, 100]}
            for name, (body, size) in bodies(folder).items():
                report["rates"][name] = {"bytes": size, "runs": [hey(url, body, rate, seconds) for rate in
                                                                 (rates[name][:2] if smoke else rates[name])]}
                report["saturation"][name] = wrk(url, body, script, seconds, 4 if "UPDATE" in name else 50)
            two_kb = folder / "2KB_pod.json"
            rss = [rss_kib(server.pid)]
            began = time.time()
            while time.time() - began < soak_seconds:
                hey(url, two_kb, 2000, min(10, soak_seconds))
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

        # Overload: ten times the saturation rate, with the queue bounded low.
        server, url, port = start(folder, "--max-inflight", "8")
        try:
            before = rss_kib(server.pid)
            offered = 10 * report["saturation"]["2KB pod"]["requests_per_second"]
            out = subprocess.run(["hey", "-z", f"{seconds}s", "-c", "200", "-m", "POST", "-T", "application/json",
                                  "-D", str(two_kb), "-o", "csv", url], capture_output=True, text=True)
            rows = list(csv.DictReader(io.StringIO(out.stdout)))
            refused = sorted(float(r["response-time"]) for r in rows if r["status-code"] == "429")
            answered = sorted(float(r["response-time"]) for r in rows if r["status-code"] == "200")
            report["overload"] = {"clients": 200, "saturation_x10": offered, "answered": len(answered), "refused_429": len(refused),
                                  "other": len(rows) - len(answered) - len(refused),
                                  "p99_429_ms": round(percentile(refused, 99) * 1e3, 3),
                                  "p99_200_ms": round(percentile(answered, 99) * 1e3, 3),
                                  "rss_kib_before": before, "rss_kib_after": rss_kib(server.pid)}
        finally:
            server.terminate()
            server.wait(timeout=30)
    (results / "serve.json").write_text(json.dumps(report, indent=1) + "\n")
    print(table(report))


def table(report):
    lines = ["| review | offered/s | achieved/s | p50 ms | p99 ms | p99.9 ms | errors |", "|---|---|---|---|---|---|---|"]
    for name, data in report["rates"].items():
        for run in data["runs"]:
            lines.append(f"| {name} | {run['offered']} | {run['achieved']} | {run['p50_ms']} | {run['p99_ms']} | "
                         f"{run['p999_ms']} | {run['errors']} |")
        s = report["saturation"][name]
        lines.append(f"| {name} | saturation (wrk) | {s['requests_per_second']} | {s['p50_ms']} | {s['p99_ms']} | "
                     f"{s['p999_ms']} | {s['errors']} |")
    o, soak = report["overload"], report["soak"]
    lines.append("")
    lines.append(f"overload: {o['clients']} clients unthrottled, --max-inflight 8: {o['answered']} answered (p99 "
                 f"{o['p99_200_ms']} ms), {o['refused_429']} refused with 429 (p99 {o['p99_429_ms']} ms), {o['other']} other; "
                 f"RSS {o['rss_kib_before']} → {o['rss_kib_after']} KiB")
    lines.append(f"soak: {soak['seconds']} s at {soak['rate']}/s, RSS {soak['rss_kib'][0]} → {soak['rss_kib'][-1]} KiB, "
                 f"last minute vs first after warm-up: {soak['change_percent']:+}%")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
