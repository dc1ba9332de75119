// SPDX-License-Identifier: Apache-2.0
// What the public types hold (the pimpls of pol.hpp), shared by the files of api/.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "lang/source.hpp"
#include "pol/pol.hpp"
#include "runtime/admission.hpp"
#include "runtime/document.hpp"
#include "runtime/interpreter.hpp"
#include "runtime/mutator.hpp"

namespace pol {

struct Documents::Impl {
  std::shared_ptr<const lang::Source> source;
  runtime::LoadResult loaded;
  std::vector<Error> errors;
};

struct Policy::Impl {
  // One compiled policy file (or the built-in profile) and its interpreter at the run's profile.
  struct Part {
    std::unique_ptr<runtime::Program> program;
    std::unique_ptr<runtime::Interpreter> interpreter;
    bool builtin = false;  // the Pod Security Standards: admission settings apply to it
    std::unique_ptr<runtime::Mutator> mutator;
  };
  std::string name;  // the first part's label
  runtime::Profile profile;
  std::vector<Part> parts;

  // Interpreters of the built-in part at the other profiles that namespaces ask for.
  const runtime::Interpreter& builtin_at(const Part& part, const runtime::Profile& profile) const;
  mutable std::mutex mutex;
  mutable std::map<std::string, std::unique_ptr<runtime::Interpreter>> by_profile;

  // Every part's mutations, in order, over one document.
  runtime::Mutated mutate(const runtime::Node* root, runtime::Arena& arena) const;
};

struct Admission::Impl {
  std::optional<runtime::AdmissionConfig> config;
  std::map<std::string, std::pair<Documents, const runtime::Node*>> namespaces;  // name → Namespace object
  // The modes' profiles for a pod in `namespace_name`; `enforce` when nothing sets one.
  runtime::ModeProfiles profiles(const std::string& namespace_name, const runtime::Profile& enforce) const;
};

// A document-side error, rendered like a policy diagnostic when its position is known.
Error document_error(const std::shared_ptr<const lang::Source>& source, std::string name, uint32_t document,
                     uint32_t line, uint32_t column, std::string message);

}  // namespace pol
