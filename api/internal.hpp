// SPDX-License-Identifier: Apache-2.0
// What the public types hold (the pimpls of pol.hpp), shared by the files of api/.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "lang/diagnostic.hpp"
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
  std::string today;  // YYYY-MM-DD, for grants' expiry
  bool strict = false;  // documents that are not Kubernetes objects are errors
  bool on_error_allow = false;  // fail open (Options::on_error_allow)
  bool jit = false;  // Options::Backend::Jit, and the JIT compiled the parts
  bool explain = false;  // Options::explain
  runtime::RequestDefaults request;  // Options::request
  std::vector<Part> parts;

  // Interpreters of the built-in part at the other profiles that namespaces ask for.
  const runtime::Interpreter& builtin_at(const Part& part, const runtime::Profile& profile) const;
  mutable std::mutex mutex;
  mutable std::map<std::string, std::unique_ptr<runtime::Interpreter>> by_profile;

  // An interpreter of `program` at `profile`, with the JIT's compiled checks when `jit`; a JIT
  // error is returned (the interpreter then evaluates every check).
  static std::unique_ptr<runtime::Interpreter> interpreter(const runtime::Program& program, const runtime::Profile& profile,
                                                          std::string label, bool jit, std::string& jit_error);

  // Every part's mutations, in order, over one document.
  runtime::Mutated mutate(const runtime::Node* root, runtime::Arena& arena) const;
};

struct Admission::Impl {
  std::optional<runtime::AdmissionConfig> config;
  std::map<std::string, std::pair<Documents, const runtime::Node*>> namespaces;  // name → Namespace object
  // The modes' profiles for a pod in `namespace_name`; `enforce` when nothing sets one.
  runtime::ModeProfiles profiles(const std::string& namespace_name, const runtime::Profile& enforce) const;
  // The input's Namespace object of that name, or null.
  const runtime::Node* namespace_object(const std::string& namespace_name) const {
    const auto it = namespaces.find(namespace_name);
    return it == namespaces.end() ? nullptr : it->second.second;
  }
};

// Applies `part`'s grants to `result`, the part's verdict on object number `object` of
// `document`: each grant whose `when` holds changes the view the checks see; the checks that
// stop failing (or fail with a narrower detail) are listed in `exempted`; an expired grant
// applies nothing and says so in `warnings`. Returns the verdict after the grants.
runtime::Result apply_grants(const Policy::Impl::Part& part, const runtime::Interpreter& interpreter,
                             const runtime::Document& document, const runtime::PodView& judged, size_t object, const std::string& today,
                             runtime::Result result, std::vector<Exemption>& exempted);

// The RFC 6902 JSON text of `patch`'s operations under the pointer `under`, relative to it.
std::string patch_json(const std::vector<runtime::PatchOperation>& patch, std::string_view under = "");

// A document-side error, rendered like a policy diagnostic when its position is known.
Error document_error(const std::shared_ptr<const lang::Source>& source, std::string name, uint32_t document,
                     uint32_t line, uint32_t column, std::string message);

// A compiler diagnostic as the public API gives it (file, line, column, end, rendered text).
Diagnostic public_diagnostic(const lang::Diagnostic& d);

}  // namespace pol
