// SPDX-License-Identifier: Apache-2.0
// What evaluating a program over one document produces: violations (deny rules that fired),
// warnings (warn rules that fired), and evaluation errors, each error already rendered with its
// position in the policy.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pol::runtime {

struct Location {
  std::string container;  // empty when the node is not inside a container
  std::string path;       // e.g. spec.containers[0].securityContext, relative to the object
  uint32_t line = 0;      // in the document's source; 0 when unknown
  uint32_t column = 0;
  bool operator==(const Location&) const = default;
};

struct Violation {
  std::string policy;  // label of the policy, e.g. "restricted:latest" or a user policy's name
  std::string check;
  std::string reason;
  std::string detail;
  std::vector<Location> locations;
  bool operator==(const Violation&) const = default;
};

struct Node;

struct EvaluationError {
  std::string check;
  std::string message;        // one line
  std::string policy_note;    // `file:line:col: note: ...` with the policy's source line and caret
  const Node* culprit = nullptr;  // the document value that caused it, when known
  bool operator==(const EvaluationError&) const = default;
};

// A place in a policy's source.
struct PolicyPosition {
  std::string file;
  uint32_t line = 0;  // 1-based
  uint32_t column = 0;
  bool operator==(const PolicyPosition&) const = default;
};

// A value shown to the policy's author: a `let` a check read (with its name), or what a
// `trace(x)` call saw ("trace"). `json` is the value as JSON.
struct TracedValue {
  std::string name;
  std::string json;
  PolicyPosition at;
  bool operator==(const TracedValue&) const = default;
};

// One rule of an explained check: its condition's source text and value, and whether it fired.
struct RuleTrace {
  bool deny = true;  // deny, or warn
  std::string condition;
  std::string json;
  bool fired = false;
  PolicyPosition at;
  bool operator==(const RuleTrace&) const = default;
};

// A check as `pol explain` shows it: each rule evaluated (up to an error), each let read.
struct CheckTrace {
  std::string policy;  // as in its violations: "restricted:latest", or the policy's name
  std::string check;
  PolicyPosition at;
  std::vector<RuleTrace> rules;
  std::vector<TracedValue> lets;
  std::string error;  // the check failed: why
  bool operator==(const CheckTrace&) const = default;
};

struct Result {
  std::vector<Violation> violations;
  std::vector<Violation> warnings;
  std::vector<EvaluationError> errors;
  std::vector<TracedValue> traces;     // trace() calls, in the order evaluated
  std::vector<CheckTrace> explained;   // with Interpreter::evaluate's `explain`: every check run
  bool allowed() const { return violations.empty(); }
  bool operator==(const Result&) const = default;  // everything, errors' positions included
};

}  // namespace pol::runtime
