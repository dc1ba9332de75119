// SPDX-License-Identifier: Apache-2.0
#include "runtime/workload.hpp"

#include <fmt/format.h>

#include "runtime/pod_schema.hpp"

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
    std::optional<PodView> view = object ? find_pod(object) : std::nullopt;
    if (!view) return view;
    if (view->namespace_name.empty()) view->namespace_name = text(path(root, {"request", "namespace"}));
    view->username = text(path(root, {"request", "userInfo", "username"}));
    view->request = root->find("request");
    view->old_object = path(root, {"request", "oldObject"});
    return view;
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

std::vector<std::string_view> spec_path(std::string_view kind) {
  if (kind == "Pod") return {"spec"};
  if (kind == "PodTemplate") return {"template", "spec"};
  if (kind == "CronJob") return {"spec", "jobTemplate", "spec", "template", "spec"};
  return {"spec", "template", "spec"};
}

std::vector<std::string_view> metadata_path(std::string_view kind) {
  std::vector<std::string_view> path = spec_path(kind);
  path.back() = "metadata";
  return path;
}

namespace {

const char* describe(NodeKind kind) {
  switch (kind) {
    case NodeKind::List: return "a list";
    case NodeKind::Map: return "a map";
    default: return "a scalar";
  }
}

void collect(const Node* root, Contents& contents) {
  if (root->kind != NodeKind::Map) {
    contents.errors.push_back({root, "not a Kubernetes object: expected a map with apiVersion and kind"});
    return;
  }
  const Node* kind = root->find("kind");
  if (!kind || kind->kind != NodeKind::String || kind->string().empty()) {
    contents.errors.push_back({kind ? kind : root, "not a Kubernetes object: 'kind' is missing or not a string"});
    return;
  }
  const Node* items = root->find("items");
  if (kind->string().ends_with("List") && items && items->kind == NodeKind::List) {
    for (uint32_t i = 0; i < items->size; ++i) collect(&items->items[i], contents);
    return;
  }
  std::optional<PodView> pod = find_pod(root);
  if (!pod) {
    ++contents.skipped;
  } else if (std::optional<ObjectError> error = check_pod_schema(*pod)) {
    contents.errors.push_back(std::move(*error));
  } else {
    contents.pods.push_back(*pod);
  }
}

}  // namespace

Contents read_objects(const Node* root) {
  Contents contents;
  if (!root) return contents;
  if (root->kind != NodeKind::Map) {
    contents.not_object = ObjectError{root, fmt::format("{}, not a map with apiVersion and kind", describe(root->kind))};
  } else if (!root->find("kind")) {
    contents.not_object = ObjectError{root, "a map without 'kind'"};
  } else {
    collect(root, contents);
  }
  return contents;
}

}  // namespace pol::runtime
