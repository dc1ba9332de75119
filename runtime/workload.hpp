// SPDX-License-Identifier: Apache-2.0
// Finds the pod spec in a Kubernetes object: a Pod's own spec, a workload's pod template
// (ReplicationController, ReplicaSet, Deployment, StatefulSet, DaemonSet, Job, PodTemplate),
// a CronJob's nested job template, or the object of an AdmissionReview request. Policies see
// that spec and its metadata whatever the wrapper.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/document.hpp"

namespace pol::runtime {

// What the request says when the input is a plain manifest, not an AdmissionReview: what
// `pol check --operation --user --group --namespace` (pol::Request) gives.
struct RequestDefaults {
  std::string operation = "CREATE";
  std::string username;
  std::vector<std::string> groups;
  std::string namespace_name;
};

struct PodView {
  const Node* object = nullptr;    // the workload object itself (for an AdmissionReview: request.object)
  const Node* metadata = nullptr;  // the pod's metadata: the template's for workloads
  const Node* spec = nullptr;      // the pod spec
  std::string_view api_version;
  std::string_view kind;
  std::string_view name;
  std::string_view namespace_name;  // for an AdmissionReview, the request's when the object has none
  std::string_view username;        // an AdmissionReview's request.userInfo.username
  const Node* request = nullptr;    // an AdmissionReview's request
  const Node* old_object = nullptr;        // its oldObject (UPDATE, DELETE)
  const Node* namespace_object = nullptr;  // the input's Namespace object of namespace_name, if any
  const RequestDefaults* defaults = nullptr;  // for plain manifests
};

// The pod view of `root`, or nullopt when the object carries no pod spec (skipped, not failed).
std::optional<PodView> find_pod(const Node* root);

// Where the pod's spec and metadata lie inside an object of `kind`, created or not:
// {"spec"} for a Pod, {"spec", "template", "spec"} for a Deployment, ...
std::vector<std::string_view> spec_path(std::string_view kind);
std::vector<std::string_view> metadata_path(std::string_view kind);

// A document value that cannot be evaluated; `message` says why in the user's terms.
struct ObjectError {
  const Node* at = nullptr;
  std::string message;
};

// What one document holds: its objects with a pod spec (the items of a `kind: List` or
// `*List` included), how many other objects it has, and what in it is not a valid object.
// A document without a `kind` is no Kubernetes object at all (a Helm Chart.yaml, a CI
// workflow, a plain list): `not_object` says why, and nothing else is filled in. One with a
// `kind` that is broken is an error.
struct Contents {
  std::vector<PodView> pods;
  uint32_t skipped = 0;
  std::vector<ObjectError> errors;
  std::optional<ObjectError> not_object;
};

Contents read_objects(const Node* root);

}  // namespace pol::runtime
