#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The Python binding (bindings/python) beyond the example: review, mutate, failures, options and
threads, on the examples' policies and pods. Run with PYTHONPATH=bindings/python and
POL_LIBRARY=build/libpol.so.0 (tests/bindings/run.py does)."""
import json
import sys
import threading
import unittest
from pathlib import Path

import pol

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def read(path: str) -> bytes:
    return (EXAMPLES / path).read_bytes()


class Binding(unittest.TestCase):
    def test_evaluate_decides_and_explains(self):
        policy = pol.compile_profile([str(EXAMPLES / "policies/memory_cap.pol")], profile="restricted:latest")
        report = policy.evaluate(read("three-pods/denied.yaml"), source="denied.yaml")
        self.assertEqual(report.exit_code, 1)
        self.assertEqual(report.json["summary"]["denied"], 1)
        [result] = report.results
        self.assertEqual((result.name, result.allowed), ("Pod shop/debug", False))
        self.assertEqual(result.report["violations"][0]["locations"][0]["path"], "spec.hostNetwork")
        self.assertTrue(result.message.startswith('would violate PodSecurity "restricted:latest": host namespaces'))
        broken = policy.evaluate(b"kind: Pod\nspec: [\n", source="broken.yaml")
        self.assertEqual(broken.exit_code, 2)
        self.assertIn("broken.yaml:", broken.errors)

    def test_compile_errors_carry_diagnostics(self):
        with self.assertRaises(pol.CompileError) as caught:
            pol.compile_string("bad.pol", 'check c { deny if nope reason "r" }')
        self.assertIn("bad.pol:1:19: error: unknown name 'nope'", str(caught.exception))
        with self.assertRaises(pol.CompileError):
            pol.compile_profile(profile="strictest")
        with self.assertRaises(KeyError):
            pol.compile_profile(engine="fastest")

    def test_review_answers_the_api_server(self):
        policy = pol.compile(str(EXAMPLES / "policies/team.pol"))
        review = policy.review(read("pods/request.json"))
        response = review.response["response"]
        self.assertFalse(review.allowed)
        self.assertEqual(response["uid"], "705ab4f5-6393-11e8-b7cc-42010a800002")
        self.assertEqual(response["status"]["code"], 403)
        self.assertIn('violates policy "team"', response["status"]["message"])
        with self.assertRaises(pol.BadRequest):
            policy.review(b'{"kind": "Pod"}')

    def test_mutate_sets_what_is_unset(self):
        policy = pol.compile(str(EXAMPLES / "policies/defaults.pol"), params="group: 3000")
        [document] = policy.mutate(read("three-pods/denied.yaml"), source="denied.yaml")
        self.assertEqual(json.loads(document.text)["spec"]["containers"][0]["securityContext"]["runAsGroup"], 3000)
        self.assertIn({"op": "add", "path": "/spec/containers/0/imagePullPolicy", "value": "IfNotPresent"}, document.patch)
        with self.assertRaises(pol.PolError):
            policy.mutate(b"kind: Pod\nspec: [\n")

    def test_request_options_reach_policies(self):
        source = 'policy "who"\ncheck who { deny if request.userInfo.username == "mallory" reason "not her" }'
        pod = read("three-pods/allowed.yaml")
        self.assertEqual(pol.compile_string("who.pol", source, user="mallory").evaluate(pod).exit_code, 1)
        self.assertEqual(pol.compile_string("who.pol", source, user="alice").evaluate(pod).exit_code, 0)

    def test_one_policy_many_threads(self):
        policy = pol.compile_profile([str(EXAMPLES / "policies/memory_cap.pol")], engine="jit")
        pods = [read(f"three-pods/{name}.yaml") for name in ("allowed", "denied", "erroring")]
        answers = []

        def work():
            answers.extend(policy.evaluate(pods[i % 3]).exit_code for i in range(60))

        threads = [threading.Thread(target=work) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(answers), [0] * 120 + [1] * 120 + [2] * 120)


if __name__ == "__main__":
    sys.exit(0 if unittest.main(exit=False, verbosity=1).result.wasSuccessful() else 1)
