// SPDX-License-Identifier: Apache-2.0
// Runs a program's mutations (its `apply` declarations, in order) over every object with a pod
// spec in a document, as an admission chain would before validating. Each statement reads the
// document as the statements before it left it; each change is one RFC 6902 operation. The
// input document is never modified: the result shares its unchanged parts.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runtime/program.hpp"
#include "runtime/result.hpp"
#include "runtime/tree_edit.hpp"
#include "runtime/workload.hpp"

namespace pol::runtime {

struct Mutated {
  const Node* root = nullptr;  // the document after the mutations
  std::vector<PatchOperation> patch;
  std::vector<EvaluationError> errors;  // `check` names the mutation that failed
};

class Mutator {
 public:
  // `defaults`: the request plain manifests are judged as (see request.hpp); may be null.
  Mutator(const Program& program, Profile profile, const RequestDefaults* defaults = nullptr)
      : program_(program), profile_(profile), defaults_(defaults) {}

  // New nodes go to `arena`, which must outlive the result.
  Mutated mutate(const Node* root, Arena& arena) const;

  // Runs one parameterless mutation (a grant's statements) on the object number `object` (in
  // read_objects order) of the editor's tree; on failure, the error (check: the mutation's name).
  // `judged`: the object as it is being judged (its request and Namespace object).
  std::optional<EvaluationError> run(TreeEditor& editor, Arena& arena, size_t object, const Mutation& mutation,
                                     const std::vector<Value>& args = {}, const PodView* judged = nullptr) const;

 private:
  const Program& program_;
  Profile profile_;
  const RequestDefaults* defaults_ = nullptr;
};

}  // namespace pol::runtime
