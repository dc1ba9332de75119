#!/usr/bin/env python3
"""The engines on generated pods: N pods (seeded) whose security-relevant fields take random
values — allowed, forbidden, empty, null, and of the wrong type — checked with `pol check -o json`
by the interpreter and by the JIT at several profiles. The reports (and exit statuses) must be
byte-identical. CI runs 10,000 pods; bench/run.sh runs 100,000 with another seed.

usage: differential.py POL N SEED
"""
import json
import os
import random
import subprocess
import sys
import tempfile

POL, N, SEED = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(SEED)

# Values any field may take. pol refuses a document whose field has the wrong type (that error
# is compared too); null and the rest reach the checks.
ODD = [None, "", True, False, 0, -1, 1.5, 18446744073709551615, [], {}, ["x"], {"a": "b"}, "x"]


def pick(*good):
    """A field's value: mostly one of the values the field means, sometimes null, now and then
    an odd one."""
    draw = rng.random()
    return rng.choice(good) if draw < 0.9 else None if draw < 0.97 else rng.choice(ODD)


def maybe(fields):
    """A dict of some of `fields` (name -> value maker), each present with probability 1/2."""
    return {k: make() for k, make in fields.items() if rng.random() < 0.5}


def profile(allowed):
    return lambda: maybe({"type": lambda: pick(*allowed, "Unconfined", "bogus", ""),
                          "localhostProfile": lambda: pick("p.json", "")})


def security_context(pod_level):
    fields = {
        "runAsNonRoot": lambda: pick(True, False),
        "runAsUser": lambda: pick(0, 1000, 65534),
        "seccompProfile": profile(["RuntimeDefault", "Localhost"]),
        "appArmorProfile": profile(["RuntimeDefault", "Localhost"]),
        "seLinuxOptions": lambda: maybe({"type": lambda: pick("container_t", "container_engine_t", "spc_t", ""),
                                         "user": lambda: pick("", "root"), "role": lambda: pick("", "sysadm_r"),
                                         "level": lambda: pick("s0", "")}),
        "windowsOptions": lambda: maybe({"hostProcess": lambda: pick(True, False)}),
    }
    if pod_level:
        fields["sysctls"] = lambda: [maybe({"name": lambda: pick("kernel.shm_rmid_forced", "net.ipv4.ip_forward",
                                                                   "net.ipv4.ping_group_range", "kernel.msgmax"),
                                            "value": lambda: pick("1", "0")}) for _ in range(rng.randint(0, 3))]
    else:
        fields.update({
            "privileged": lambda: pick(True, False),
            "allowPrivilegeEscalation": lambda: pick(True, False),
            "readOnlyRootFilesystem": lambda: pick(True, False),
            "procMount": lambda: pick("Default", "Unmasked", ""),
            "capabilities": lambda: maybe({"add": lambda: [pick("NET_BIND_SERVICE", "NET_ADMIN", "SYS_ADMIN", "CHOWN", "ALL")
                                                           for _ in range(rng.randint(0, 3))],
                                           "drop": lambda: [pick("ALL", "NET_RAW", "all") for _ in range(rng.randint(0, 2))]}),
        })
    return maybe(fields)


def handler():
    return maybe({"httpGet": lambda: maybe({"host": lambda: pick("", "example.com", "127.0.0.1"), "port": lambda: 80}),
                  "tcpSocket": lambda: maybe({"host": lambda: pick("", "10.0.0.1"), "port": lambda: 80})})


def container(name):
    c = {"name": name, "image": "registry.example.com/app:1"}
    c.update(maybe({
        "securityContext": lambda: security_context(False),
        "ports": lambda: [maybe({"containerPort": lambda: 8080, "hostPort": lambda: pick(0, 80, 8080)})
                          for _ in range(rng.randint(0, 2))],
        "livenessProbe": handler, "readinessProbe": handler, "startupProbe": handler,
        "lifecycle": lambda: maybe({"postStart": handler, "preStop": handler}),
    }))
    return c


VOLUME_SOURCES = ["emptyDir", "configMap", "secret", "hostPath", "nfs", "csi", "projected", "gitRepo", "iscsi",
                  "persistentVolumeClaim", "ephemeral", "image", "downwardAPI", "cephfs", "flexVolume"]


def volume(i):
    v = {"name": f"v{i}"}
    for source in rng.sample(VOLUME_SOURCES, rng.randint(0, 2)):
        v[source] = pick({}, {"path": "/var"}) if source == "hostPath" else pick({})
    return v


def compliant(name):
    """A container restricted:latest allows."""
    return {"name": name, "image": "registry.example.com/app:1", "ports": [{"containerPort": 8080}],
            "readinessProbe": {"httpGet": {"path": "/", "port": 8080}},
            "securityContext": {"runAsNonRoot": True, "allowPrivilegeEscalation": False,
                                "capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]},
                                "seccompProfile": {"type": "RuntimeDefault"}}}


def near_compliant(i):
    """A pod restricted:latest allows, with one field (or none) set at random: the boundary."""
    spec = {"containers": [compliant(f"c{k}") for k in range(rng.randint(1, 3))],
            "volumes": [{"name": "v", rng.choice(["emptyDir", "configMap", "secret", "projected"]): {}}]}
    if rng.random() < 0.5:
        spec["initContainers"] = [compliant("init")]
    if rng.random() < 0.6:
        target = rng.choice(spec["containers"])
        key, make = rng.choice(list({
            "securityContext": lambda: security_context(False), "ports": lambda: container("x").get("ports", []),
            "readinessProbe": handler, "lifecycle": lambda: {"preStop": handler()}}.items()))
        if key == "securityContext":
            target[key].update(make())
        else:
            target[key] = make()
    if rng.random() < 0.3:
        spec["securityContext"] = security_context(True)
    if rng.random() < 0.2:
        spec["volumes"].append(volume(1))
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"p{i}"}, "spec": spec}


def pod(i):
    if rng.random() < 0.5:
        return near_compliant(i)
    spec = {"containers": [container(f"c{k}") for k in range(rng.randint(1, 3))]}
    spec.update(maybe({
        "initContainers": lambda: [container(f"i{k}") for k in range(rng.randint(1, 2))],
        "ephemeralContainers": lambda: [container("e")],
        "securityContext": lambda: security_context(True),
        "hostNetwork": lambda: pick(True, False), "hostPID": lambda: pick(True, False),
        "hostIPC": lambda: pick(True, False), "hostUsers": lambda: pick(True, False),
        "os": lambda: maybe({"name": lambda: pick("linux", "windows")}),
        "volumes": lambda: [volume(k) for k in range(rng.randint(0, 3))],
    }))
    metadata = {"name": f"p{i}"}
    if rng.random() < 0.4:
        keys = ["container.apparmor.security.beta.kubernetes.io/c0", "seccomp.security.alpha.kubernetes.io/pod",
                "container.seccomp.security.alpha.kubernetes.io/c0", "example.com/note"]
        metadata["annotations"] = {k: pick("runtime/default", "localhost/p", "unconfined", "docker/default", "")
                                   for k in rng.sample(keys, rng.randint(1, 3))}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec}


PROFILES = ["restricted:latest", "baseline:latest", "restricted:v1.22", "restricted:v1.30", "baseline:v1.18"]

with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "pods.json")
    with open(path, "w") as out:
        for i in range(N):
            out.write(json.dumps(pod(i)) + "\n")
    failures = 0
    for profile_name in PROFILES:
        runs = [subprocess.run([POL, "check", "-o", "json", "--profile", profile_name, "--engine", engine, path],
                               capture_output=True) for engine in ("interpreter", "jit")]
        same = runs[0].stdout == runs[1].stdout and runs[0].returncode == runs[1].returncode
        report = json.loads(runs[0].stdout)
        results = report["results"]
        allowed = sum(1 for r in results if r["allowed"])
        refused = len({e["document"] for e in report["errors"]})  # a field of the wrong type
        print(f"{'ok  ' if same else 'FAIL'} {profile_name}: {len(results)} pods evaluated ({allowed} allowed), "
              f"{refused} refused, exit {runs[0].returncode} / {runs[1].returncode}, {len(runs[0].stdout)} bytes")
        if len(results) + refused != N:
            print(f"FAIL {profile_name}: {N} pods written, {len(results) + refused} in the report")
            failures += 1
        if not same:
            failures += 1
            a, b = runs[0].stdout.decode().splitlines(), runs[1].stdout.decode().splitlines()
            for x, y in zip(a, b):
                if x != y:
                    print(f"  first difference:\n  interpreter: {x[:300]}\n  jit:         {y[:300]}")
                    break
        if b"built without the JIT" in runs[1].stderr:
            print("note: this build has no JIT; the interpreter answered both times")
    sys.exit(1 if failures else 0)
