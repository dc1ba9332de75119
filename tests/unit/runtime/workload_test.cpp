// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "runtime/workload.hpp"
#include "../helpers.hpp"

using pol::runtime::read_objects;
using pol::test::yaml;

namespace {

pol::runtime::Contents contents_of(const std::string& text) {
  static std::vector<pol::runtime::LoadResult> keep;  // documents outlive the views into them
  keep.push_back(yaml(text));
  REQUIRE(keep.back().errors.empty());
  return read_objects(keep.back().documents.at(0).root);
}

}  // namespace

TEST_CASE("the pod spec is found in every workload kind", "[workload]") {
  const std::vector<std::pair<std::string, std::string>> kinds = {
      {"Pod", "spec: {containers: [{name: c}]}"},
      {"PodTemplate", "template: {spec: {containers: [{name: c}]}}"},
      {"ReplicationController", "spec: {template: {spec: {containers: [{name: c}]}}}"},
      {"ReplicaSet", "spec: {template: {spec: {containers: [{name: c}]}}}"},
      {"Deployment", "spec: {template: {spec: {containers: [{name: c}]}}}"},
      {"StatefulSet", "spec: {template: {spec: {containers: [{name: c}]}}}"},
      {"DaemonSet", "spec: {template: {spec: {containers: [{name: c}]}}}"},
      {"Job", "spec: {template: {spec: {containers: [{name: c}]}}}"},
      {"CronJob", "spec: {jobTemplate: {spec: {template: {spec: {containers: [{name: c}]}}}}}"},
  };
  for (const auto& [kind, body] : kinds) {
    const auto found = contents_of("kind: " + kind + "\nmetadata: {name: web, namespace: ns}\n" + body + "\n");
    INFO(kind);
    REQUIRE(found.pods.size() == 1);
    CHECK(found.pods[0].kind == kind);
    CHECK(found.pods[0].name == "web");
    CHECK(found.pods[0].spec->find("containers")->size == 1);
  }
}

TEST_CASE("AdmissionReview requests, Lists and other kinds", "[workload]") {
  const auto review = contents_of(
      "kind: AdmissionReview\nrequest:\n  object: {kind: Pod, metadata: {name: r}, spec: {containers: []}}\n");
  REQUIRE(review.pods.size() == 1);
  CHECK(review.pods[0].name == "r");

  const auto list = contents_of(
      "kind: PodList\nitems:\n- {kind: Pod, metadata: {name: a}, spec: {}}\n- {kind: Service}\n"
      "- {kind: List, items: [{kind: Deployment, metadata: {name: b}, spec: {template: {spec: {}}}}]}\n");
  REQUIRE(list.pods.size() == 2);
  CHECK(list.pods[0].name == "a");
  CHECK(list.pods[1].name == "b");
  CHECK(list.skipped == 1);

  CHECK(contents_of("kind: ConfigMap\ndata: {a: b}\n").skipped == 1);
  CHECK(contents_of("kind: AdmissionReview\nrequest: {operation: DELETE}\n").skipped == 1);
}

TEST_CASE("wrong types where the pod schema is known are errors, at the value", "[workload]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"spec: {containers: 5}", "expected a list of Container objects, found an integer (5)"},
      {"spec: {containers: [nginx]}", "expected an object (Container), found a string (\"nginx\")"},
      {"spec: {hostNetwork: \"yes\"}", "expected a boolean, found a string (\"yes\")"},
      {"spec: {securityContext: {runAsUser: 1.5}}", "expected an integer, found a number (1.5)"},
      {"spec: {containers: [{name: c, securityContext: {capabilities: {add: [1]}}}]}",
       "expected a string, found an integer (1)"},
      {"spec: {volumes: [{name: v, hostPath: {path: [a]}}]}", "expected a string, found a list"},
      {"metadata: {labels: {app: [x]}}", "expected a string, found a list"},
      {"spec: 7", "expected an object (PodSpec), found an integer (7)"},
      // Beyond the fields policies commonly read: the whole PodSpec and ObjectMeta of the schema.
      {"spec: {tolerations: [{key: k, tolerationSeconds: \"5\"}]}", "expected an integer, found a string (\"5\")"},
      {"spec: {containers: [{name: c, livenessProbe: {httpGet: {port: true}}}]}",
       "expected an integer or a string, found a boolean (true)"},
      {"spec: {containers: [{name: c, resources: {limits: {cpu: [1]}}}]}", "expected a quantity, found a list"},
      {"spec: {affinity: {nodeAffinity: 3}}", "expected an object (NodeAffinity), found an integer (3)"},
      {"metadata: {finalizers: x}", "expected a list of strings, found a string (\"x\")"},
  };
  for (const auto& [body, message] : cases) {
    INFO(body);
    const auto found = contents_of("kind: Pod\n" + body + "\n");
    CHECK(found.pods.empty());
    REQUIRE(found.errors.size() == 1);
    CHECK(found.errors[0].message == message);
    CHECK(found.errors[0].at->line == 2);
  }
  // Unset (null) fields and fields outside the schema are accepted.
  CHECK(contents_of("kind: Pod\nspec: {containers: null, hostPID: ~, whatever: [1]}\n").pods.size() == 1);
  // Quantities are strings or numbers; int-or-string ports either.
  CHECK(contents_of("kind: Pod\nspec: {containers: [{resources: {limits: {cpu: 1.5, memory: 1Gi}}, "
                    "livenessProbe: {httpGet: {port: http}}, readinessProbe: {httpGet: {port: 80}}}]}\n")
            .pods.size() == 1);
  const auto not_object = contents_of("kind: Pod\nspec: {}\n");
  CHECK(not_object.errors.empty());
}
