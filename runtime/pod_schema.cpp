// SPDX-License-Identifier: Apache-2.0
#include "runtime/pod_schema.hpp"

#include <fmt/format.h>

#include <initializer_list>
#include <utility>
#include <vector>

namespace pol::runtime {

namespace {

enum class Type { Any, Bool, Int, String, Object, ListOf, StringMap, Quantities };

// One node of the schema: a type, the fields of an Object, the element of a ListOf.
struct Shape {
  Type type = Type::Any;
  const char* noun = "";  // "a container": what the message says was expected
  std::vector<std::pair<std::string_view, const Shape*>> fields;
  const Shape* element = nullptr;
};

const Shape boolean{Type::Bool, "a boolean", {}, nullptr};
const Shape integer{Type::Int, "an integer", {}, nullptr};
const Shape string{Type::String, "a string", {}, nullptr};
const Shape string_map{Type::StringMap, "a map of strings", {}, nullptr};
const Shape quantities{Type::Quantities, "a map of quantities", {}, nullptr};
const Shape strings{Type::ListOf, "a list of strings", {}, &string};
const Shape integers{Type::ListOf, "a list of integers", {}, &integer};
const Shape object{Type::Object, "an object", {}, nullptr};
const Shape objects{Type::ListOf, "a list of objects", {}, &object};

const Shape se_linux_options{Type::Object, "an object (SELinuxOptions)",
                             {{"user", &string}, {"role", &string}, {"type", &string}, {"level", &string}}, nullptr};
const Shape profile{Type::Object, "an object (a profile with type and localhostProfile)",
                    {{"type", &string}, {"localhostProfile", &string}}, nullptr};
const Shape windows_options{Type::Object, "an object (WindowsSecurityContextOptions)",
                            {{"gmsaCredentialSpecName", &string}, {"gmsaCredentialSpec", &string},
                             {"runAsUserName", &string}, {"hostProcess", &boolean}},
                            nullptr};
const Shape capabilities{Type::Object, "an object (Capabilities)", {{"add", &strings}, {"drop", &strings}}, nullptr};

const Shape security_context{Type::Object, "an object (SecurityContext)",
                             {{"privileged", &boolean},
                              {"allowPrivilegeEscalation", &boolean},
                              {"readOnlyRootFilesystem", &boolean},
                              {"runAsNonRoot", &boolean},
                              {"runAsUser", &integer},
                              {"runAsGroup", &integer},
                              {"procMount", &string},
                              {"capabilities", &capabilities},
                              {"seLinuxOptions", &se_linux_options},
                              {"seccompProfile", &profile},
                              {"appArmorProfile", &profile},
                              {"windowsOptions", &windows_options}},
                             nullptr};

const Shape sysctl{Type::Object, "an object (Sysctl)", {{"name", &string}, {"value", &string}}, nullptr};
const Shape sysctls{Type::ListOf, "a list of sysctls", {}, &sysctl};

const Shape pod_security_context{Type::Object, "an object (PodSecurityContext)",
                                 {{"runAsUser", &integer},
                                  {"runAsGroup", &integer},
                                  {"runAsNonRoot", &boolean},
                                  {"fsGroup", &integer},
                                  {"fsGroupChangePolicy", &string},
                                  {"supplementalGroups", &integers},
                                  {"supplementalGroupsPolicy", &string},
                                  {"sysctls", &sysctls},
                                  {"seLinuxOptions", &se_linux_options},
                                  {"seccompProfile", &profile},
                                  {"appArmorProfile", &profile},
                                  {"windowsOptions", &windows_options}},
                                 nullptr};

const Shape port{Type::Object, "an object (ContainerPort)",
                 {{"name", &string}, {"containerPort", &integer}, {"hostPort", &integer}, {"protocol", &string},
                  {"hostIP", &string}},
                 nullptr};
const Shape ports{Type::ListOf, "a list of ports", {}, &port};
const Shape env_var{Type::Object, "an object (EnvVar)", {{"name", &string}, {"value", &string}, {"valueFrom", &object}},
                    nullptr};
const Shape env{Type::ListOf, "a list of environment variables", {}, &env_var};
const Shape resources{Type::Object, "an object (ResourceRequirements)",
                      {{"limits", &quantities}, {"requests", &quantities}}, nullptr};
const Shape volume_mount{Type::Object, "an object (VolumeMount)",
                         {{"name", &string}, {"mountPath", &string}, {"subPath", &string}, {"readOnly", &boolean},
                          {"mountPropagation", &string}},
                         nullptr};
const Shape volume_mounts{Type::ListOf, "a list of volume mounts", {}, &volume_mount};

const Shape container{Type::Object, "a container (an object)",
                      {{"name", &string},
                       {"image", &string},
                       {"imagePullPolicy", &string},
                       {"command", &strings},
                       {"args", &strings},
                       {"workingDir", &string},
                       {"ports", &ports},
                       {"env", &env},
                       {"resources", &resources},
                       {"volumeMounts", &volume_mounts},
                       {"securityContext", &security_context},
                       {"livenessProbe", &object},
                       {"readinessProbe", &object},
                       {"startupProbe", &object},
                       {"lifecycle", &object},
                       {"stdin", &boolean},
                       {"tty", &boolean},
                       {"targetContainerName", &string}},
                      nullptr};
const Shape containers{Type::ListOf, "a list of containers", {}, &container};

const Shape host_path{Type::Object, "an object (HostPathVolumeSource)", {{"path", &string}, {"type", &string}},
                      nullptr};
const Shape volume{Type::Object, "a volume (an object)", {{"name", &string}, {"hostPath", &host_path}}, nullptr};
const Shape volumes{Type::ListOf, "a list of volumes", {}, &volume};
const Shape os{Type::Object, "an object (PodOS)", {{"name", &string}}, nullptr};

const Shape pod_spec{Type::Object, "an object (PodSpec)",
                     {{"containers", &containers},
                      {"initContainers", &containers},
                      {"ephemeralContainers", &containers},
                      {"volumes", &volumes},
                      {"securityContext", &pod_security_context},
                      {"hostNetwork", &boolean},
                      {"hostPID", &boolean},
                      {"hostIPC", &boolean},
                      {"hostUsers", &boolean},
                      {"shareProcessNamespace", &boolean},
                      {"automountServiceAccountToken", &boolean},
                      {"os", &os},
                      {"runtimeClassName", &string},
                      {"serviceAccountName", &string},
                      {"nodeName", &string},
                      {"nodeSelector", &string_map},
                      {"restartPolicy", &string},
                      {"priorityClassName", &string},
                      {"imagePullSecrets", &objects},
                      {"tolerations", &objects}},
                     nullptr};

const Shape metadata{Type::Object, "an object (ObjectMeta)",
                     {{"name", &string}, {"namespace", &string}, {"generateName", &string},
                      {"labels", &string_map}, {"annotations", &string_map}},
                     nullptr};

// The wrappers around the pod spec, per kind (see workload.hpp).
const Shape pod_object{Type::Object, "an object (Pod)", {{"metadata", &metadata}, {"spec", &pod_spec}}, nullptr};
const Shape pod_template{Type::Object, "an object (PodTemplateSpec)", {{"metadata", &metadata}, {"spec", &pod_spec}},
                         nullptr};
const Shape template_holder{Type::Object, "an object (PodTemplate)", {{"metadata", &metadata}, {"template", &pod_template}},
                            nullptr};
const Shape workload_spec{Type::Object, "an object (a workload spec)", {{"template", &pod_template}}, nullptr};
const Shape workload{Type::Object, "an object (a workload)", {{"metadata", &metadata}, {"spec", &workload_spec}},
                     nullptr};
const Shape job_template{Type::Object, "an object (JobTemplateSpec)", {{"metadata", &metadata}, {"spec", &workload_spec}},
                         nullptr};
const Shape cron_job_spec{Type::Object, "an object (CronJobSpec)", {{"jobTemplate", &job_template}}, nullptr};
const Shape cron_job{Type::Object, "an object (CronJob)", {{"metadata", &metadata}, {"spec", &cron_job_spec}}, nullptr};

const char* noun(NodeKind kind) {
  switch (kind) {
    case NodeKind::Null: return "null";
    case NodeKind::Bool: return "a boolean";
    case NodeKind::Int: return "an integer";
    case NodeKind::Float: return "a number";
    case NodeKind::String: return "a string";
    case NodeKind::List: return "a list";
    case NodeKind::Map: return "a map";
  }
  return "a value";
}

std::string found(const Node& node) {
  switch (node.kind) {
    case NodeKind::Bool: return fmt::format("a boolean ({})", node.boolean);
    case NodeKind::Int:
      if (node.is_big_unsigned()) return fmt::format("an integer ({})", static_cast<uint64_t>(node.integer));
      return fmt::format("an integer ({})", node.integer);
    case NodeKind::Float: return fmt::format("a number ({})", node.number);
    case NodeKind::String: {
      const std::string_view text = node.string();
      if (text.size() > 40) return fmt::format("a string (\"{}...\")", text.substr(0, 40));
      return fmt::format("a string (\"{}\")", text);
    }
    default: return noun(node.kind);
  }
}

std::optional<ObjectError> mismatch(const Node& node, const char* expected) {
  return ObjectError{&node, fmt::format("expected {}, found {}", expected, found(node))};
}

std::optional<ObjectError> check(const Node* node, const Shape& shape) {
  if (!node || node->kind == NodeKind::Null) return std::nullopt;  // unset
  switch (shape.type) {
    case Type::Any: return std::nullopt;
    case Type::Bool: return node->kind == NodeKind::Bool ? std::nullopt : mismatch(*node, shape.noun);
    case Type::Int: return node->kind == NodeKind::Int ? std::nullopt : mismatch(*node, shape.noun);
    case Type::String: return node->kind == NodeKind::String ? std::nullopt : mismatch(*node, shape.noun);
    case Type::StringMap:
    case Type::Quantities:
      if (node->kind != NodeKind::Map) return mismatch(*node, shape.noun);
      for (uint32_t i = 0; i < node->size; ++i) {
        const Node& value = node->members[i].value;
        const bool ok = value.kind == NodeKind::String || value.kind == NodeKind::Null ||
                        (shape.type == Type::Quantities && (value.kind == NodeKind::Int || value.kind == NodeKind::Float));
        if (!ok) return mismatch(value, shape.type == Type::Quantities ? "a quantity" : "a string");
      }
      return std::nullopt;
    case Type::ListOf:
      if (node->kind != NodeKind::List) return mismatch(*node, shape.noun);
      for (uint32_t i = 0; i < node->size; ++i) {
        if (auto error = check(&node->items[i], *shape.element)) return error;
      }
      return std::nullopt;
    case Type::Object:
      if (node->kind != NodeKind::Map) return mismatch(*node, shape.noun);
      for (const auto& [name, field] : shape.fields) {
        if (auto error = check(node->find(name), *field)) return error;
      }
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

std::optional<ObjectError> check_pod_schema(const PodView& pod) {
  const Shape& shape = pod.kind == "Pod"           ? pod_object
                       : pod.kind == "PodTemplate" ? template_holder
                       : pod.kind == "CronJob"     ? cron_job
                                                   : workload;
  return check(pod.object, shape);
}

}  // namespace pol::runtime
