// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "runtime/interpreter.hpp"
#include "../helpers.hpp"

using namespace pol::runtime;

namespace {

const char* pod = R"(apiVersion: v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    metadata: {labels: {app: x}}
    spec:
      securityContext: {runAsNonRoot: true}
      initContainers: [{name: i}]
      containers:
      - name: a
        securityContext: {runAsNonRoot: false, privileged: true}
      - name: b
      ephemeralContainers: [{name: e}]
)";

Result run(const std::string& policy, const char* document = pod, const char* profile = "restricted") {
  std::string errors;
  auto program = pol::test::compile(policy, &errors);
  INFO(errors);
  REQUIRE(program);
  const auto loaded = pol::test::yaml(document);
  REQUIRE(loaded.documents.size() == 1);
  const auto view = find_pod(loaded.documents[0].root);
  REQUIRE(view);
  Interpreter interpreter(*program, *parse_profile(profile), "p");
  return interpreter.evaluate(loaded.documents[0], *view);
}

}  // namespace

TEST_CASE("a workload's pod template is what the policy sees", "[interpreter]") {
  const Result r = run(R"(check c { deny if true reason "{[c.name for c in all_containers]}" detail "{metadata.labels.app} {object.kind}" })");
  REQUIRE(r.violations.size() == 1);
  CHECK(r.violations[0].reason == "[i, a, b, e]");
  CHECK(r.violations[0].detail == "x Deployment");
}

TEST_CASE("container values fall back to the pod's with ??", "[interpreter]") {
  const Result r = run(R"(check c {
    let bad = [c.name for c in all_containers if (c.securityContext.runAsNonRoot ?? spec.securityContext.runAsNonRoot) != true]
    deny if len(bad) > 0 reason "{bad}" })");
  REQUIRE(r.violations.size() == 1);
  CHECK(r.violations[0].reason == "[a]");
}

TEST_CASE("locations name the container and the path of each node", "[interpreter]") {
  const Result r = run(R"(check c {
    let bad = [c for c in all_containers if c.securityContext.privileged == true]
    deny if len(bad) > 0 reason "privileged" at [c.securityContext.privileged for c in bad] })");
  REQUIRE(r.violations.size() == 1);
  REQUIRE(r.violations[0].locations.size() == 1);
  const Location& l = r.violations[0].locations[0];
  CHECK(l.container == "a");
  CHECK(l.path == "spec.template.spec.containers[0].securityContext.privileged");
  CHECK(l.line == 12);
  CHECK(l.column == 60);
}

TEST_CASE("an error in one check does not stop the others", "[interpreter]") {
  const Result r = run(R"(
check broken { deny if lower(object.spec.template) == "" reason "never" }
check fine { deny if true reason "still runs" })");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].check == "broken");
  CHECK_THAT(r.errors[0].message, Catch::Contains("argument 1 of 'lower' must be a string, got map"));
  REQUIRE(r.violations.size() == 1);
  CHECK(r.violations[0].reason == "still runs");
}

TEST_CASE("short-circuit: the right side of and/or/?? is not evaluated when not needed", "[interpreter]") {
  const Result r = run(R"(check c {
    deny if (false and 1 / 0 == 1) or (true or 1 / 0 == 1) reason "{spec["nope"] ?? "x"} {"y" ?? 1 / 0}" })");
  CHECK(r.errors.empty());
  REQUIRE(r.violations.size() == 1);
  CHECK(r.violations[0].reason == "x y");
}

TEST_CASE("the profile's version and level are visible", "[interpreter]") {
  const Result r = run(R"(check c { deny if version >= v1.25 reason "{level} {version}" })", pod, "baseline:v1.30");
  REQUIRE(r.violations.size() == 1);
  CHECK(r.violations[0].reason == "baseline v1.30");
}

TEST_CASE("find_pod covers every workload kind and AdmissionReview", "[interpreter]") {
  const auto kind_of = [](const char* text) -> std::string {
    const auto loaded = pol::test::yaml(text);
    const auto view = find_pod(loaded.documents.at(0).root);
    return view && view->spec ? std::string(view->spec->find("containers")->items[0].find("name")->string()) : "-";
  };
  CHECK(kind_of("kind: Pod\nspec: {containers: [{name: p}]}") == "p");
  CHECK(kind_of("kind: CronJob\nspec: {jobTemplate: {spec: {template: {spec: {containers: [{name: cj}]}}}}}") == "cj");
  CHECK(kind_of("kind: PodTemplate\ntemplate: {spec: {containers: [{name: pt}]}}") == "pt");
  CHECK(kind_of("kind: AdmissionReview\nrequest: {object: {kind: Pod, spec: {containers: [{name: ar}]}}}") == "ar");
  for (const char* kind : {"ReplicationController", "ReplicaSet", "Deployment", "StatefulSet", "DaemonSet", "Job"}) {
    CHECK(kind_of((std::string("kind: ") + kind + "\nspec: {template: {spec: {containers: [{name: w}]}}}").c_str()) == "w");
  }
  const auto service = pol::test::yaml("kind: Service\nspec: {}");
  CHECK_FALSE(find_pod(service.documents[0].root));
}
