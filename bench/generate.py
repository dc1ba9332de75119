#!/usr/bin/env python3
"""A deterministic benchmark corpus: N pods (fixed seed), realistic — 1 to 4 containers, init
containers, env, resources, volumes, probes — about half compliant with restricted:latest and
the rest with one or two typical violations; a share wrapped as Deployments and CronJobs.

usage: generate.py N OUT_DIR [--files]
  writes OUT_DIR/pods.yaml, OUT_DIR/pods.json (one object a line) and, with --files,
  OUT_DIR/files/NNNNN.yaml (one object a file)
"""
import json
import os
import random
import sys

import yaml

N, OUT = int(sys.argv[1]), sys.argv[2]
FILES = "--files" in sys.argv[3:]
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter when PyYAML has it
rng = random.Random(20261123)

VIOLATIONS = [
    lambda c, spec: c["securityContext"].update(privileged=True),
    lambda c, spec: c["securityContext"].update(allowPrivilegeEscalation=True),
    lambda c, spec: c["securityContext"]["capabilities"].update(add=["NET_ADMIN"]),
    lambda c, spec: spec.update(hostNetwork=True),
    lambda c, spec: c["securityContext"].update(runAsUser=0),
    lambda c, spec: spec["volumes"].append({"name": "host", "hostPath": {"path": "/var/run"}}),
    lambda c, spec: c["securityContext"].pop("seccompProfile"),
]


def container(name, index):
    return {
        "name": name,
        "image": f"registry.example.com/team{index % 7}/{name}:1.{rng.randint(0, 40)}.{rng.randint(0, 9)}",
        "ports": [{"name": "http", "containerPort": 8080 + index, "protocol": "TCP"}],
        "env": [{"name": f"SETTING_{k}", "value": f"value-{rng.randint(0, 10**6)}"} for k in range(rng.randint(2, 8))],
        "resources": {"requests": {"cpu": f"{rng.choice([50, 100, 250])}m", "memory": f"{rng.choice([64, 128, 256])}Mi"},
                      "limits": {"cpu": "1", "memory": f"{rng.choice([256, 512])}Mi"}},
        "volumeMounts": [{"name": "data", "mountPath": "/data"}, {"name": "config", "mountPath": "/etc/app", "readOnly": True}],
        "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080 + index}, "periodSeconds": 10},
        "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080 + index}, "initialDelaySeconds": 5},
        "securityContext": {"allowPrivilegeEscalation": False, "runAsNonRoot": True, "readOnlyRootFilesystem": True,
                            "capabilities": {"drop": ["ALL"]}, "seccompProfile": {"type": "RuntimeDefault"}},
    }


def pod(i):
    containers = [container(f"app{k}", k) for k in range(rng.randint(1, 4))]
    spec = {"containers": containers,
            "volumes": [{"name": "data", "emptyDir": {}}, {"name": "config", "configMap": {"name": f"config-{i}"}}],
            "securityContext": {"runAsUser": 10000 + i % 1000, "runAsGroup": 10000, "fsGroup": 10000}}
    if rng.random() < 0.5:
        spec["initContainers"] = [container("init", 9)]
    if rng.random() >= 0.5:  # about half get one or two typical violations
        for violation in rng.sample(VIOLATIONS, rng.randint(1, 2)):
            violation(rng.choice(containers), spec)
    metadata = {"name": f"workload-{i}", "namespace": f"team-{i % 13}",
                "labels": {"app": f"workload-{i}", "tier": rng.choice(["web", "api", "worker"])}}
    kind = rng.random()
    if kind < 0.7:
        return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec}
    template = {"metadata": {"labels": metadata["labels"]}, "spec": spec}
    if kind < 0.9:
        return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": metadata,
                "spec": {"replicas": 2, "selector": {"matchLabels": metadata["labels"]}, "template": template}}
    spec["restartPolicy"] = "OnFailure"
    return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": metadata,
            "spec": {"schedule": "*/5 * * * *", "jobTemplate": {"spec": {"template": template}}}}


os.makedirs(OUT, exist_ok=True)
objects = [pod(i) for i in range(N)]
with open(os.path.join(OUT, "pods.yaml"), "w") as f:
    yaml.dump_all(objects, f, Dumper=DUMPER, sort_keys=False)
with open(os.path.join(OUT, "pods.json"), "w") as f:
    for o in objects:
        f.write(json.dumps(o) + "\n")
if FILES:
    os.makedirs(os.path.join(OUT, "files"), exist_ok=True)
    for i, o in enumerate(objects):
        with open(os.path.join(OUT, "files", f"{i:05}.yaml"), "w") as f:
            yaml.dump(o, f, Dumper=DUMPER, sort_keys=False)
