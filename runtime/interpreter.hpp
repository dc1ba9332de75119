// SPDX-License-Identifier: Apache-2.0
// The tree-walking interpreter over a compiled Program. One Interpreter is bound to a program
// and a profile (level and version) and is used concurrently: evaluate() keeps all its state
// on the caller's stack. An error inside one check is reported and the other checks still run.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "runtime/evaluation.hpp"
#include "runtime/program.hpp"
#include "runtime/result.hpp"
#include "runtime/workload.hpp"

namespace pol::runtime {

class Interpreter {
 public:
  Interpreter(const Program& program, Profile profile, std::string policy_label);

  // With `explain`, every check of the plan is evaluated here (not by compiled code) and
  // Result::explained records its rules' conditions and the lets they read (`pol explain`).
  Result evaluate(const Document& document, const PodView& pod, bool explain = false) const;

  // Evaluates an expression that reads no document (a constant) at compile time.
  // `slot_count` locals for its comprehension variables; on failure sets `error`.
  static Value evaluate_constant(const Expr& expr, uint32_t slot_count, std::string& error);

  const std::string& policy_label() const { return label_; }
  const Profile& profile() const { return profile_; }
  // The checks that run at this profile, in order: what compiled checks are compiled for.
  const std::vector<const Check*>& plan() const { return plan_; }
  // Checks of the plan decided by compiled code (the JIT); each check they cannot pass is
  // evaluated here. Set before the interpreter is shared between threads.
  void use(std::shared_ptr<const CompiledChecks> compiled) { compiled_ = std::move(compiled); }

 private:
  const Program& program_;
  Profile profile_;
  std::string label_;
  std::string profile_label_;  // a standard check's policy, in each of its violations
  std::vector<const Check*> plan_;
  std::shared_ptr<const CompiledChecks> compiled_;
};

// An expression evaluated outside a check (a mutation statement) failed.
struct ExpressionFailure {
  std::string message;
  std::string policy_note;  // the policy's source line and caret
  const Node* culprit = nullptr;
};

// Evaluates one expression of a program over a pod, with locals `frame`; throws
// ExpressionFailure. Each call reads the pod afresh (mutations change it between statements).
// `limits` bound this one expression's evaluation.
Value evaluate_expression(const Expr& expr, const PodView& pod, const Profile& profile, const Limits& limits,
                          Value* frame);

}  // namespace pol::runtime
