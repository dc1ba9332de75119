// SPDX-License-Identifier: Apache-2.0
// The state of one document's evaluation that every evaluator shares: the pod, the profile, the
// budget, and the per-document globals read so far (each computed once). The interpreter and
// compiled checks (the JIT, jit/) both read it, so a check may be decided by either.
#pragma once

#include <array>
#include <deque>
#include <memory>
#include <vector>

#include "runtime/budget.hpp"
#include "runtime/program.hpp"
#include "runtime/result.hpp"
#include "runtime/workload.hpp"

namespace pol::runtime {

// A rule that compiled code (jit/) found firing, with the values of its reason, detail and
// locations (null when the rule has none), for the interpreter to report as its own.
struct Fired {
  const Rule* rule = nullptr;
  Value reason, detail, at;
};

// What compiled code builds while it evaluates one check. It holds these values borrowed (it never
// counts a reference), so they live here until the check ends, and are dropped then.
struct Built {
  std::vector<Value> values;              // strings and lists it built
  std::vector<std::vector<Value>> lists;  // lists being built, innermost last (a comprehension's)
  size_t open_lists = 0;
  // A document map's keys, visited as string nodes; made on first use (a deque allocates when made).
  std::unique_ptr<std::deque<Node>> keys;
  std::vector<Fired> fired;               // in the order the rules fired

  void clear() {
    values.clear();
    for (size_t i = 0; i < open_lists; ++i) lists[i].clear();  // left open when compiled code asked the interpreter
    open_lists = 0;
    if (keys) keys->clear();
    fired.clear();
  }
};

struct Evaluation {
  const PodView* pod = nullptr;  // null while folding constants
  const Profile* profile = nullptr;
  Budget* budget = nullptr;      // null while folding constants
  std::array<Value, global_count> globals;
  std::array<bool, global_count> ready{};
  int depth = 0;
  std::vector<TracedValue>* traces = nullptr;  // trace() calls go here (null while folding constants)
  CheckTrace* explaining = nullptr;            // the check being explained: the lets it reads
  Built built;                                 // compiled code's, for the check it runs

  // A global's value for this document, computed on first read. Throws EvalError while folding
  // constants (there is no document).
  const Value& global(Global g);
};

// Checks of a plan (Program::plan) compiled to code. decides() is true only when compiled code
// evaluated the check to its end as the interpreter would: the rules that fired are then in
// `evaluation.built.fired` (none when the check passes), with the values of their messages and
// locations, and the budget is charged as the interpreter would have. False means "ask the
// interpreter": it evaluates the check from the start. With `explain` false, compiled code
// decides only that a check passes, and asks the interpreter as soon as a rule fires.
class CompiledChecks {
 public:
  virtual ~CompiledChecks() = default;
  virtual bool decides(size_t plan_index, Evaluation& evaluation, bool explain = true) const = 0;
};

}  // namespace pol::runtime
