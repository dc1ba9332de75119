// SPDX-License-Identifier: Apache-2.0
#include "runtime/admission.hpp"

#include <algorithm>

namespace pol::runtime {

namespace {

constexpr std::string_view label_prefix = "pod-security.kubernetes.io/";
constexpr const char* mode_names[] = {"enforce", "audit", "warn"};

Profile& mode(ModeProfiles& profiles, int index) {
  return index == 0 ? profiles.enforce : index == 1 ? profiles.audit : profiles.warn;
}

const Node* text_field(const Node* map, std::string_view key) {
  const Node* value = map ? map->find(key) : nullptr;
  return value && value->kind == NodeKind::String ? value : nullptr;
}

std::optional<Level> parse_level(std::string_view text) {
  const std::optional<Profile> profile = parse_profile(text);
  if (!profile || text.find(':') != std::string_view::npos) return std::nullopt;
  return profile->level;
}

std::optional<lang::Version> parse_version(std::string_view text) {
  const std::optional<Profile> profile = parse_profile("privileged:" + std::string(text));
  if (!profile) return std::nullopt;
  return profile->version;
}

std::vector<std::string> strings(const Node* list) {
  std::vector<std::string> out;
  for (uint32_t i = 0; list && list->kind == NodeKind::List && i < list->size; ++i) {
    if (list->items[i].kind == NodeKind::String) out.emplace_back(list->items[i].string());
  }
  return out;
}

}  // namespace

std::optional<AdmissionConfig> read_admission_config(const Node* root, std::string& error, const Node*& error_at) {
  error_at = root;
  const Node* kind = text_field(root, "kind");
  const Node* configuration = nullptr;
  if (kind && kind->string() == "PodSecurityConfiguration") {
    configuration = root;
  } else if (kind && kind->string() == "AdmissionConfiguration") {
    const Node* plugins = root->find("plugins");
    for (uint32_t i = 0; plugins && plugins->kind == NodeKind::List && i < plugins->size; ++i) {
      const Node* name = text_field(&plugins->items[i], "name");
      if (name && name->string() == "PodSecurity") configuration = plugins->items[i].find("configuration");
    }
    if (!configuration) {
      error = "the AdmissionConfiguration has no PodSecurity plugin with a configuration";
      return std::nullopt;
    }
  } else {
    error = "expected an AdmissionConfiguration or a PodSecurityConfiguration";
    return std::nullopt;
  }
  AdmissionConfig config;
  const Node* defaults = configuration->find("defaults");
  for (int i = 0; i < 3; ++i) {
    const std::string name = mode_names[i];
    Profile& profile = mode(config.defaults, i);
    if (const Node* level = text_field(defaults, name)) {
      const std::optional<Level> parsed = parse_level(level->string());
      if (!parsed) {
        error = "defaults." + name + ": expected privileged, baseline or restricted";
        error_at = level;
        return std::nullopt;
      }
      profile.level = *parsed;
      config.enforce_set |= i == 0;
    }
    if (const Node* version = text_field(defaults, name + "-version")) {
      const std::optional<lang::Version> parsed = parse_version(version->string());
      if (!parsed) {
        error = "defaults." + name + "-version: expected latest or v1.N";
        error_at = version;
        return std::nullopt;
      }
      profile.version = *parsed;
      config.enforce_set |= i == 0;
    }
  }
  const Node* exemptions = configuration->find("exemptions");
  config.usernames = strings(exemptions ? exemptions->find("usernames") : nullptr);
  config.runtime_classes = strings(exemptions ? exemptions->find("runtimeClasses") : nullptr);
  config.namespaces = strings(exemptions ? exemptions->find("namespaces") : nullptr);
  return config;
}

ModeProfiles namespace_profiles(const Node* namespace_object, const ModeProfiles& defaults) {
  ModeProfiles profiles = defaults;  // each label overrides its default alone, as upstream does
  const Node* metadata = namespace_object ? namespace_object->find("metadata") : nullptr;
  const Node* labels = metadata ? metadata->find("labels") : nullptr;
  for (int i = 0; i < 3; ++i) {
    const std::string key = std::string(label_prefix) + mode_names[i];
    Profile& profile = mode(profiles, i);
    if (const Node* level = text_field(labels, key)) {
      profile.level = parse_level(level->string()).value_or(i == 0 ? Level::Restricted : Level::Privileged);
    }
    if (const Node* version = text_field(labels, key + "-version")) {
      profile.version = parse_version(version->string()).value_or(lang::Version{1, lang::Version::latest_minor});
    }
  }
  return profiles;
}

bool has_pod_security_labels(const Node* namespace_object) {
  const Node* metadata = namespace_object ? namespace_object->find("metadata") : nullptr;
  const Node* labels = metadata ? metadata->find("labels") : nullptr;
  for (uint32_t i = 0; labels && labels->kind == NodeKind::Map && i < labels->size; ++i) {
    if (labels->members[i].key().starts_with(label_prefix)) return true;
  }
  return false;
}

}  // namespace pol::runtime
