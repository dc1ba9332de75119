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

namespace pol::runtime {

struct Mutated {
  const Node* root = nullptr;  // the document after the mutations
  std::vector<PatchOperation> patch;
  std::vector<EvaluationError> errors;  // `check` names the mutation that failed
};

class Mutator {
 public:
  Mutator(const Program& program, Profile profile) : program_(program), profile_(profile) {}

  // New nodes go to `arena`, which must outlive the result.
  Mutated mutate(const Node* root, Arena& arena) const;

  // Runs one parameterless mutation (a grant's statements) on the object number `object` (in
  // read_objects order) of the editor's tree; on failure, the error (check: the mutation's name).
  std::optional<EvaluationError> run(TreeEditor& editor, Arena& arena, size_t object, const Mutation& mutation,
                                     const std::vector<Value>& args = {}) const;

 private:
  const Program& program_;
  Profile profile_;
};

}  // namespace pol::runtime
