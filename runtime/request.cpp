// SPDX-License-Identifier: Apache-2.0
#include "runtime/request.hpp"

#include <string>
#include <utility>
#include <vector>

namespace pol::runtime {

namespace {

using Members = std::vector<std::pair<std::string, Value>>;

Members members_of(const Value& map) {
  Members members;
  for (size_t i = 0; i < map.size(); ++i) members.emplace_back(std::string(map.key_at(i)), map.value_at(i));
  return members;
}

bool lacks_namespace(const Node* metadata) {
  const Node* name = metadata ? metadata->find("namespace") : nullptr;
  return !name || name->kind != NodeKind::String || name->string().empty();
}

// `metadata` with the pod's namespace added.
Value with_namespace(const Node* metadata, std::string_view namespace_name) {
  Members members = metadata && metadata->kind == NodeKind::Map ? members_of(Value::node(metadata)) : Members{};
  std::erase_if(members, [](const auto& member) { return member.first == "namespace"; });
  members.emplace_back("namespace", Value::string(std::string(namespace_name)));
  return Value::map(std::move(members));
}

Value strings(const std::vector<std::string>& items) {
  std::vector<Value> values;
  for (const std::string& item : items) values.push_back(Value::string(item));
  return Value::list(std::move(values));
}

}  // namespace

void judge_as(PodView& pod, const RequestDefaults* defaults) {
  if (pod.request || !defaults) return;
  pod.defaults = defaults;
  if (pod.namespace_name.empty()) pod.namespace_name = defaults->namespace_name;
  if (pod.username.empty()) pod.username = defaults->username;
}

void inherit_request(PodView& pod, const PodView& from) {
  judge_as(pod, from.defaults);
  pod.namespace_object = from.namespace_object;
}

Value request_value(const PodView& pod) {
  if (pod.request) return Value::node(pod.request);
  static const RequestDefaults none;
  const RequestDefaults& defaults = pod.defaults ? *pod.defaults : none;
  // apiVersion "apps/v1": group "apps", version "v1"; "v1": the core group "".
  const size_t slash = pod.api_version.find('/');
  const std::string group(slash == std::string_view::npos ? "" : pod.api_version.substr(0, slash));
  const std::string version(slash == std::string_view::npos ? pod.api_version : pod.api_version.substr(slash + 1));
  Value kind = Value::map({{"group", Value::string(group)},
                           {"version", Value::string(version)},
                           {"kind", Value::string(std::string(pod.kind))}});
  Value user = Value::map({{"username", Value::string(defaults.username)}, {"groups", strings(defaults.groups)}});
  return Value::map({{"uid", Value::string("")},
                     {"kind", kind},
                     {"requestKind", kind},
                     {"name", Value::string(std::string(pod.name))},
                     {"namespace", namespace_value(pod)},
                     {"operation", Value::string(defaults.operation)},
                     {"userInfo", std::move(user)},
                     {"object", object_value(pod)},
                     {"oldObject", Value()},
                     {"dryRun", Value::boolean(false)}});
}

Value object_value(const PodView& pod) {
  const Node* metadata = pod.object ? pod.object->find("metadata") : nullptr;
  if (pod.namespace_name.empty() || !lacks_namespace(metadata) || !pod.object || pod.object->kind != NodeKind::Map) {
    return Value::node(pod.object);
  }
  Members members = members_of(Value::node(pod.object));
  std::erase_if(members, [](const auto& member) { return member.first == "metadata"; });
  members.emplace_back("metadata", with_namespace(metadata, pod.namespace_name));
  return Value::map(std::move(members));
}

Value metadata_value(const PodView& pod) {
  // A workload's pod template has no namespace of its own, in Kubernetes as here.
  if (pod.kind != "Pod" || pod.namespace_name.empty() || !lacks_namespace(pod.metadata)) return Value::node(pod.metadata);
  return with_namespace(pod.metadata, pod.namespace_name);
}

Value namespace_value(const PodView& pod) {
  return pod.namespace_name.empty() ? Value() : Value::string(std::string(pod.namespace_name));
}

}  // namespace pol::runtime
