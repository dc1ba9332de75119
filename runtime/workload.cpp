// SPDX-License-Identifier: Apache-2.0
#include "runtime/workload.hpp"

namespace pol::runtime {

namespace {

std::string_view text(const Node* node) {
  return node && node->kind == NodeKind::String ? node->string() : std::string_view();
}

const Node* path(const Node* node, std::initializer_list<std::string_view> keys) {
  for (std::string_view key : keys) {
    if (!node) return nullptr;
    node = node->find(key);
  }
  return node;
}

}  // namespace

std::optional<PodView> find_pod(const Node* root) {
  if (!root || root->kind != NodeKind::Map) return std::nullopt;
  const std::string_view kind = text(root->find("kind"));
  if (kind == "AdmissionReview") {
    const Node* object = path(root, {"request", "object"});
    if (!object) return std::nullopt;
    return find_pod(object);
  }
  PodView view;
  view.object = root;
  view.api_version = text(root->find("apiVersion"));
  view.kind = kind;
  view.name = text(path(root, {"metadata", "name"}));
  view.namespace_name = text(path(root, {"metadata", "namespace"}));
  const Node* pod_template = nullptr;
  if (kind == "Pod") {
    view.metadata = root->find("metadata");
    view.spec = root->find("spec");
    return view;
  }
  if (kind == "PodTemplate") {
    pod_template = root->find("template");
  } else if (kind == "ReplicationController" || kind == "ReplicaSet" || kind == "Deployment" ||
             kind == "StatefulSet" || kind == "DaemonSet" || kind == "Job") {
    pod_template = path(root, {"spec", "template"});
  } else if (kind == "CronJob") {
    pod_template = path(root, {"spec", "jobTemplate", "spec", "template"});
  } else {
    return std::nullopt;
  }
  view.metadata = pod_template ? pod_template->find("metadata") : nullptr;
  view.spec = pod_template ? pod_template->find("spec") : nullptr;
  return view;
}

}  // namespace pol::runtime
