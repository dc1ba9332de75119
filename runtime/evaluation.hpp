// SPDX-License-Identifier: Apache-2.0
// The state of one document's evaluation that every evaluator shares: the pod, the profile, the
// budget, and the per-document globals read so far (each computed once). The interpreter and
// compiled checks (the JIT, jit/) both read it, so a check may be decided by either.
#pragma once

#include <array>

#include "runtime/budget.hpp"
#include "runtime/program.hpp"
#include "runtime/result.hpp"
#include "runtime/workload.hpp"

namespace pol::runtime {

struct Evaluation {
  const PodView* pod = nullptr;  // null while folding constants
  const Profile* profile = nullptr;
  Budget* budget = nullptr;      // null while folding constants
  std::array<Value, global_count> globals;
  std::array<bool, global_count> ready{};
  int depth = 0;
  std::vector<TracedValue>* traces = nullptr;  // trace() calls go here (null while folding constants)
  CheckTrace* explaining = nullptr;            // the check being explained: the lets it reads

  // A global's value for this document, computed on first read. Throws EvalError while folding
  // constants (there is no document).
  const Value& global(Global g);
};

// Checks of a plan (Program::plan) compiled to code that decides them: passes() is true only
// when the interpreter would report nothing for that check (no violation, warning or error), and
// has then charged the budget as the interpreter would. False means "ask the interpreter": it
// evaluates the check and explains what it finds.
class CompiledChecks {
 public:
  virtual ~CompiledChecks() = default;
  virtual bool passes(size_t plan_index, Evaluation& evaluation) const = 0;
};

}  // namespace pol::runtime
