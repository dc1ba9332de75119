// SPDX-License-Identifier: Apache-2.0
// Values a check's expressions take for every document at one profile: constants, and what the
// profile decides (`version`, `level`) and everything computed from those alone, such as
// `["a"] + (if version >= v1.31 then ["b"] else [])`. Compiled code compares with them as
// constants. They are folded once, when the checks are compiled, and live as long as the code.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <vector>

#include "runtime/program.hpp"

namespace pol::jit {

class ProfileConstants {
 public:
  // What an expression folds to, and the steps evaluating it costs the interpreter (one per
  // inlined call), which compiled code still charges.
  struct Folded {
    const runtime::Value* value = nullptr;
    uint32_t steps = 0;
  };

  explicit ProfileConstants(const runtime::Profile& profile) : profile_(profile) {}
  ProfileConstants(const ProfileConstants&) = delete;
  ProfileConstants& operator=(const ProfileConstants&) = delete;
  ~ProfileConstants();

  // The value `e` has for every document at this profile, if it has one and evaluating it
  // cannot raise.
  std::optional<Folded> fold(const runtime::Expr& e);

 private:
  std::optional<Folded> compute(const runtime::Expr& e);
  Folded keep(runtime::Value value, uint32_t steps);

  runtime::Profile profile_;
  std::deque<runtime::Value> values_;   // frozen: copies never count, so any thread may read them
  std::vector<runtime::Heap*> frozen_;  // their blocks, deleted with this
  std::map<const runtime::Expr*, std::optional<Folded>> folded_;
};

}  // namespace pol::jit
