// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include "runtime/schema.hpp"

using namespace pol::runtime::schema;

TEST_CASE("the schema's types have Kubernetes' names and fields", "[schema]") {
  const Shape& spec = pod_spec();
  REQUIRE(spec.kind == Kind::Object);
  CHECK(spec.name == "PodSpec");
  CHECK_FALSE(spec.open);
  const Shape* containers = spec.field("containers");
  REQUIRE(containers);
  CHECK(noun(*containers) == "a list of Container objects");
  const Shape* security = containers->element->field("securityContext");
  REQUIRE(security);
  CHECK(security->name == "SecurityContext");
  CHECK(security->field("privileged")->kind == Kind::Bool);
  CHECK(security->field("runAsUser")->kind == Kind::Int);
  CHECK(security->field("privilegd") == nullptr);
  CHECK(spec.field("securityContext")->name == "PodSecurityContext");
  // The same type inlined in several places keeps one name.
  CHECK(spec.field("initContainers")->element->name == "Container");
  CHECK(any_container().name == "EphemeralContainer");
  CHECK(any_container().field("targetContainerName"));
  CHECK(object_meta().name == "ObjectMeta");
  CHECK(noun(*object_meta().field("labels")) == "a map of strings");
}

TEST_CASE("quantities, int-or-string and closed sets of values", "[schema]") {
  const Shape& container = *pod_spec().field("containers")->element;
  CHECK(container.field("resources")->field("limits")->kind == Kind::Map);
  CHECK(container.field("resources")->field("limits")->element->kind == Kind::Quantity);
  CHECK(container.field("livenessProbe")->field("httpGet")->field("port")->kind == Kind::IntOrString);
  CHECK(container.field("securityContext")->field("procMount")->values == std::vector<std::string>{"Default", "Unmasked"});
  CHECK(pod_spec().field("restartPolicy")->values == std::vector<std::string>{"Always", "OnFailure", "Never"});
  CHECK(pod_spec().field("initContainers")->element->field("imagePullPolicy")->values.size() == 3);
  CHECK(pod_spec().field("hostname")->values.empty());
}

TEST_CASE("pol's wrappers hold PodSpec and ObjectMeta and are open", "[schema]") {
  CHECK(workload("Pod").field("spec") == &pod_spec());
  CHECK(workload("Deployment").field("spec")->field("template")->field("spec") == &pod_spec());
  CHECK(workload("CronJob").field("spec")->field("jobTemplate")->field("spec")->field("template")->field("metadata") ==
        &object_meta());
  CHECK(workload("Deployment").open);
  CHECK(any_object().open);
  CHECK(any_object().field("metadata") == &object_meta());
}

TEST_CASE("every field of every object type is found by name, and no other name is", "[schema]") {
  // Field lookups probe a hash table of the names' fingerprints: every field of every type the
  // workloads reach must come back as itself, and names one byte off must not.
  using pol::runtime::schema::Kind;
  using pol::runtime::schema::Shape;
  std::vector<const Shape*> pending;
  for (const char* kind : {"Pod", "Deployment", "CronJob", "PodTemplate"}) pending.push_back(&pol::runtime::schema::workload(kind));
  pending.push_back(&pol::runtime::schema::admission_request());
  std::set<const Shape*> seen;
  size_t fields = 0;
  while (!pending.empty()) {
    const Shape* shape = pending.back();
    pending.pop_back();
    if (!shape || !seen.insert(shape).second) continue;
    pending.push_back(shape->element);
    // The answer a scan of the fields gives.
    const auto scanned = [&](const std::string& name) -> const Shape* {
      for (const auto& [other, field] : shape->fields) {
        if (other == name) return field;
      }
      return nullptr;
    };
    for (const auto& [name, field] : shape->fields) {
      CAPTURE(shape->name, name);
      CHECK(shape->field(name) == field);
      for (const std::string& near : {name + "x", name.substr(0, name.size() - 1), "x" + name.substr(1), name.substr(1)}) {
        CAPTURE(near);
        CHECK(shape->field(near) == scanned(near));
      }
      pending.push_back(field);
      ++fields;
    }
  }
  CHECK(fields > 300);  // PodSpec, Container, SecurityContext, ObjectMeta... all reached
}
