#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""deploy/ and scripts/webhook-certs.sh, checked as the cluster would take them:

- every manifest (deploy/*.yaml, and what webhook-certs.sh writes) against the Kubernetes API's
  own types, from Debian's python3-kubernetes (its models list each kind's fields, their types
  and which are required): an unknown field, a wrong type or a missing required field fails;
- the Deployment's pod against pol's vendored PodSpec schema and Pod Security restricted;
- what the webhooks need: Fail within 3 s, no side effects, kube-system and pol's namespace
  skipped, caBundle the CA that signed a certificate for the Service's DNS name;
- and then pol serve started with the Deployment's own arguments, the Secret and the ConfigMap
  as the kubelet would mount them, spoken to as the API server would: trusting only caBundle,
  naming the Service's host, answering /validate and /mutate.

Runs with Debian's /usr/bin/python3 (python3-kubernetes, python3-yaml).
Usage: deploy_test.py POL SOURCE_DIR"""
import base64
import http.client
import json
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import kubernetes.client as api
import yaml

pol, source = sys.argv[1], Path(sys.argv[2])
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print(f"FAIL {what}")


PRIMITIVES = {"str": str, "int": int, "bool": bool, "float": (int, float), "object": object, "datetime": str, "date": str}


def validate(value, type_name, path, errors):
    """`value` (from YAML) as the client's type `type_name` ('V1Deployment', 'list[V1Container]',
    'dict(str, str)', 'int', ...): unknown fields, wrong types, missing required fields."""
    if value is None:
        return
    if type_name.startswith("list["):
        if not isinstance(value, list):
            errors.append(f"{path}: expected a list")
            return
        for i, item in enumerate(value):
            validate(item, type_name[5:-1], f"{path}[{i}]", errors)
        return
    if type_name.startswith("dict("):
        if not isinstance(value, dict):
            errors.append(f"{path}: expected a map")
            return
        inner = type_name[5:-1].split(", ", 1)[1]
        for key, item in value.items():
            validate(item, inner, f"{path}.{key}", errors)
        return
    if type_name in PRIMITIVES:
        wanted = PRIMITIVES[type_name]
        if type_name in ("int", "float") and isinstance(value, bool) or not isinstance(value, wanted):
            errors.append(f"{path}: expected {type_name}, got {type(value).__name__} {value!r}")
        return
    model = getattr(api, type_name)
    if not isinstance(value, dict):
        errors.append(f"{path}: expected a {type_name} object")
        return
    by_json = {json_name: python_name for python_name, json_name in model.attribute_map.items()}
    arguments = {}
    for key, item in value.items():
        if key not in by_json:
            errors.append(f"{path}.{key}: unknown field of {type_name}")
            continue
        validate(item, model.openapi_types[by_json[key]], f"{path}.{key}", errors)
        arguments[by_json[key]] = item
    try:
        model(**arguments)  # the client's own checks: required fields, closed value sets
    except ValueError as e:
        errors.append(f"{path}: {e}")


def model_of(document):
    """V1Deployment for apps/v1 Deployment: the client's naming of a kind's version."""
    version = document["apiVersion"].split("/")[-1]
    return version[0].upper() + version[1:] + document["kind"]


def load(path):
    return [d for d in yaml.safe_load_all(path.read_text()) if d is not None]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        certs = work / "webhook"
        subprocess.run(["bash", str(source / "scripts/webhook-certs.sh"), str(certs)], check=True, capture_output=True)

        manifests = sorted((source / "deploy").glob("*.yaml")) + sorted((source / "deploy/webhooks").glob("*.yaml")) + \
            sorted(certs.glob("*.yaml"))
        objects = {}
        for path in manifests:
            for document in load(path):
                errors = []
                validate(document, model_of(document), f"{path.name}", errors)
                check(not errors, f"{path.name}: {document['kind']} is valid: {errors}")
                objects.setdefault(document["kind"], []).append((path, document))
        kinds = {"Namespace", "ServiceAccount", "ConfigMap", "Deployment", "PodDisruptionBudget", "Service", "Secret",
                 "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"}
        check(kinds <= set(objects), f"every kind is there: {sorted(kinds - set(objects))} missing")
        # The validator finds what it should (it is not a test that cannot fail).
        typo = json.loads(json.dumps(objects["Deployment"][0][1]))
        typo["spec"]["template"]["spec"]["containers"][0]["imagePullPolcy"] = "Always"
        del typo["spec"]["selector"]
        errors = []
        validate(typo, "V1Deployment", "typo", errors)
        check(len(errors) == 2 and "imagePullPolcy" in errors[0] and "selector" in errors[1], f"typos are found: {errors}")

        deployment = objects["Deployment"][0][1]
        pod = deployment["spec"]["template"]["spec"]
        check(deployment["spec"]["replicas"] == 3, "three replicas")
        check(any(c["topologyKey"] == "kubernetes.io/hostname" for c in pod["topologySpreadConstraints"]), "spread over nodes")
        check(all("requests" in c["resources"] and "limits" in c["resources"] for c in pod["containers"]), "requests and limits")
        budget = objects["PodDisruptionBudget"][0][1]["spec"]
        check(budget["selector"] == deployment["spec"]["selector"] and budget["minAvailable"] == 2, "a PodDisruptionBudget")
        result = subprocess.run([pol, "check", "--strict", "--profile", "restricted:latest",
                                 str(source / "deploy/deployment.yaml")], capture_output=True, text=True)
        check(result.returncode == 0, f"the Deployment's pod is restricted and matches the PodSpec schema: {result.stdout}{result.stderr}")

        ca = (certs / "ca.crt").read_bytes()
        for kind, path in (("ValidatingWebhookConfiguration", "/validate"), ("MutatingWebhookConfiguration", "/mutate")):
            for file, configuration in objects[kind]:
                for webhook in configuration["webhooks"]:
                    check(webhook["failurePolicy"] == "Fail" and webhook["timeoutSeconds"] == 3 and
                          webhook["sideEffects"] == "None", f"{file.name}: fails closed within 3 s, no side effects")
                    skipped = webhook["namespaceSelector"]["matchExpressions"][0]
                    check(skipped["key"] == "kubernetes.io/metadata.name" and skipped["operator"] == "NotIn" and
                          set(skipped["values"]) == {"kube-system", "pol"}, f"{file.name}: kube-system and pol skipped")
                    check(webhook["clientConfig"]["service"]["path"] == path, f"{file.name}: calls {path}")
                    if file.parent == certs:
                        check(base64.b64decode(webhook["clientConfig"]["caBundle"]) == ca, f"{file.name}: caBundle is the CA")
        service = objects["Service"][0][1]["spec"]
        container = pod["containers"][0]
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        check(service["ports"][0]["port"] == 443 and service["ports"][0]["targetPort"] == "https", "the Service: 443 to https")
        configmap = objects["ConfigMap"][0][1]["data"]
        check(configmap["platform.pol"] == (source / "examples/policies/defaults.pol").read_text(),
              "the ConfigMap's policy is examples/policies/defaults.pol (tested there)")

        # pol serve as the Deployment runs it: the Secret and the ConfigMap mounted where it says.
        mounts = {"/etc/pol/tls": work / "tls", "/etc/pol/policies": work / "policies"}
        secret = objects["Secret"][0][1]["data"]
        for folder, files in ((mounts["/etc/pol/tls"], {k: base64.b64decode(v) for k, v in secret.items()}),
                              (mounts["/etc/pol/policies"], {k: v.encode() for k, v in configmap.items()})):
            folder.mkdir()
            for name, data in files.items():
                (folder / name).write_bytes(data)
        port, probe = free_port(), free_port()
        args = []
        for arg in container["args"]:
            for mount, folder in mounts.items():
                arg = arg.replace(mount, str(folder))
            arg = arg.replace(f"--port={ports['https']}", f"--port={port}")
            arg = arg.replace(f"--probe-port={ports['probes']}", f"--probe-port={probe}")
            if not arg.startswith("--shutdown-delay="):  # the test's own, below: no need to wait at the end
                args.append(arg)
        check(f"--port={port}" in args and f"--probe-port={probe}" in args, "the container's ports are pol serve's")
        process = subprocess.Popen([pol, *args, "--bind-address=127.0.0.1", "--shutdown-delay=0"],
                                   stderr=open(work / "serve.log", "w"))
        try:
            for _ in range(200):
                try:
                    connection = http.client.HTTPConnection("127.0.0.1", probe, timeout=1)
                    connection.request("GET", container["readinessProbe"]["httpGet"]["path"])
                    ready = connection.getresponse().status == 200
                    break
                except OSError:
                    time.sleep(0.05)
            else:
                ready = False
            check(ready, "the readiness probe's path answers 200: " + (work / "serve.log").read_text()[-2000:])
            if not ready:
                return 1
            # As the API server: trusting caBundle only, naming the Service's host.
            context = ssl.create_default_context(cadata=ca.decode())
            context.set_alpn_protocols(["http/1.1"])
            raw = socket.create_connection(("127.0.0.1", port), timeout=5)
            connection = http.client.HTTPSConnection("pol.pol.svc", port, context=context, timeout=5)
            connection.sock = context.wrap_socket(raw, server_hostname="pol.pol.svc")

            def review(path, spec):
                body = json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
                    "uid": "d-1", "operation": "CREATE", "namespace": "shop", "kind": {"group": "", "version": "v1", "kind": "Pod"},
                    "object": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "shop"}, "spec": spec}}})
                connection.request("POST", path + "?timeout=3s", body=body, headers={"Content-Type": "application/json"})
                return json.loads(connection.getresponse().read())["response"]

            privileged = review("/validate", {"containers": [{"name": "c", "image": "a:1", "securityContext": {"privileged": True}}]})
            check(not privileged["allowed"] and "baseline:latest" in privileged["status"]["message"],
                  "the validating webhook denies a privileged pod (baseline)")
            defaulted = review("/mutate", {"containers": [{"name": "c", "image": "a:1"}]})
            patch = json.loads(base64.b64decode(defaulted["patch"]))
            check(defaulted["allowed"] and any(op["path"].endswith("/runAsNonRoot") for op in patch),
                  "the mutating webhook sets the platform's defaults")
        finally:
            process.terminate()
            process.wait(timeout=10)
    print(f"deploy: {'FAILED' if failures else 'passed'} ({len(failures)} failures)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
