// SPDX-License-Identifier: Apache-2.0
// Admission: Pod Security Admission's configuration file and Namespace labels (see
// runtime/admission.hpp for the rules).
#include <fmt/format.h>

#include "api/internal.hpp"

namespace pol {

Admission::Admission() : impl(std::make_shared<Impl>()) {}

bool Admission::configure(const Documents& config, std::vector<Error>& errors) {
  errors.insert(errors.end(), config.errors().begin(), config.errors().end());
  if (!config.errors().empty()) return false;
  const std::vector<runtime::Document>& documents = config.impl->loaded.documents;
  const std::string& name = config.impl->source ? config.impl->source->name() : "";
  if (documents.size() != 1) {
    errors.push_back(document_error(nullptr, name, 0, 0, 0, "expected one AdmissionConfiguration document"));
    return false;
  }
  std::string message;
  const runtime::Node* at = nullptr;
  std::optional<runtime::AdmissionConfig> parsed = runtime::read_admission_config(documents[0].root, message, at);
  if (!parsed) {
    errors.push_back(document_error(config.impl->source, name, 0, at ? at->line : 0, at ? at->column : 0, message));
    return false;
  }
  impl->config = std::move(parsed);
  return true;
}

void Admission::add_namespaces(const Documents& documents) {
  for (const runtime::Document& document : documents.impl->loaded.documents) {
    const runtime::Node* kind = document.root->find("kind");
    const runtime::Node* metadata = document.root->find("metadata");
    const runtime::Node* name = metadata ? metadata->find("name") : nullptr;
    if (!kind || kind->kind != runtime::NodeKind::String || kind->string() != "Namespace") continue;
    if (!name || name->kind != runtime::NodeKind::String) continue;
    impl->namespaces[std::string(name->string())] = {documents, document.root};
  }
}

runtime::ModeProfiles Admission::Impl::profiles(const std::string& namespace_name,
                                                 const runtime::Profile& enforce) const {
  runtime::ModeProfiles defaults;
  if (config) defaults = config->defaults;
  if (!config || !config->enforce_set) defaults.enforce = enforce;  // the run's profile
  const auto it = namespaces.find(namespace_name);
  if (it == namespaces.end() || !runtime::has_pod_security_labels(it->second.second)) return defaults;
  return runtime::namespace_profiles(it->second.second, defaults);
}

}  // namespace pol
