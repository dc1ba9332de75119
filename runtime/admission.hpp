// SPDX-License-Identifier: Apache-2.0
// Pod Security Admission's own configuration, so platform teams can reuse what they have: the
// PodSecurityConfiguration of an AdmissionConfiguration (defaults per mode, exemptions) and the
// pod-security.kubernetes.io labels of Namespace objects, which set the enforce, audit and warn
// levels of the pods in that namespace. Fallbacks follow upstream: an invalid label version
// means latest, an invalid enforce level restricted, an invalid audit or warn level privileged.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/document.hpp"
#include "runtime/program.hpp"

namespace pol::runtime {

// The profile each mode evaluates a pod at; privileged runs nothing.
struct ModeProfiles {
  Profile enforce;
  Profile audit{Level::Privileged, {1, lang::Version::latest_minor}};
  Profile warn{Level::Privileged, {1, lang::Version::latest_minor}};
};

struct AdmissionConfig {
  ModeProfiles defaults;
  bool enforce_set = false;  // unset: the run's own profile is enforced (pol's --profile)
  std::vector<std::string> usernames;        // exempt requesting users (AdmissionReview userInfo)
  std::vector<std::string> runtime_classes;  // exempt spec.runtimeClassName values
  std::vector<std::string> namespaces;       // exempt namespaces
};

// Reads an AdmissionConfiguration (the configuration of its PodSecurity plugin) or a bare
// PodSecurityConfiguration. On error returns nullopt with `error` and the node it is about
// (`error_at`, may be null).
std::optional<AdmissionConfig> read_admission_config(const Node* root, std::string& error, const Node*& error_at);

// The profiles of the pods of a Namespace object: its labels over `defaults`.
ModeProfiles namespace_profiles(const Node* namespace_object, const ModeProfiles& defaults);

// Whether a Namespace object sets any pod-security.kubernetes.io level or version label.
bool has_pod_security_labels(const Node* namespace_object);

}  // namespace pol::runtime
