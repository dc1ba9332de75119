#!/usr/bin/env python3
"""The engines on generated pods and policies: N pods (seeded) whose security-relevant fields
take random values — allowed, forbidden, empty, null, and of the wrong type — checked with
`pol check -o json` by the interpreter and by the JIT, with the standard library at several
profiles, then with P generated policies (tests/jit/random_policies.py: random well-typed
conditions over the pod schema), each over the first 2,000 pods. The reports (and exit
statuses) must be byte-identical. CI runs 10,000 pods and 30 policies; bench/run.sh runs 100,000
pods and 200 policies with another seed.

usage: differential.py POL N SEED [P]
"""
import json
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import random_policies  # noqa: E402

POL, N, SEED = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
POLICIES = int(sys.argv[4]) if len(sys.argv) > 4 else 0
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


def compare(what, command):
    """Runs `command` with each engine; prints and returns whether both reports are the same."""
    runs = [subprocess.run(command + ["--engine", engine], capture_output=True) for engine in ("interpreter", "jit")]
    same = runs[0].stdout == runs[1].stdout and runs[0].returncode == runs[1].returncode
    report = json.loads(runs[0].stdout)
    results = report["results"]
    allowed = sum(1 for r in results if r["allowed"])
    refused = len({e["document"] for e in report["errors"]})  # a field of the wrong type
    print(f"{'ok  ' if same else 'FAIL'} {what}: {len(results)} pods evaluated ({allowed} allowed), "
          f"{refused} refused, exit {runs[0].returncode} / {runs[1].returncode}, {len(runs[0].stdout)} bytes")
    if not same:
        for x, y in zip(runs[0].stdout.decode().splitlines(), runs[1].stdout.decode().splitlines()):
            if x != y:
                print(f"  first difference:\n  interpreter: {x[:300]}\n  jit:         {y[:300]}")
                break
    if b"built without the JIT" in runs[1].stderr:
        print("note: this build has no JIT; the interpreter answered both times")
    return same, len(results) + refused


with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "pods.json")
    some = os.path.join(folder, "some-pods.json")
    with open(path, "w") as out, open(some, "w") as first:
        for i in range(N):
            line = json.dumps(pod(i)) + "\n"
            out.write(line)
            if i < 2000:
                first.write(line)
    failures = 0
    for profile_name in PROFILES:
        same, seen = compare(profile_name, [POL, "check", "-o", "json", "--profile", profile_name, path])
        if seen != N:
            print(f"FAIL {profile_name}: {N} pods written, {seen} in the report")
        failures += not same or seen != N
    for k in range(POLICIES):
        policy = os.path.join(folder, f"generated-{k}.pol")
        with open(policy, "w") as out:
            out.write(random_policies.policy(SEED * 100000 + k))
        same, _ = compare(f"generated policy {k} (seed {SEED * 100000 + k})",
                          [POL, "check", "-o", "json", "--policy", policy, some])
        if not same:
            print(open(policy).read())
        failures += not same
    sys.exit(1 if failures else 0)
