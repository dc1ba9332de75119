// SPDX-License-Identifier: Apache-2.0
// The compiled program: what the checker produces and what the interpreter (and later the JIT)
// consumes. Names are resolved to local slots, constants, builtins or user functions; field
// names are kept as the strings to look up. A Program is immutable once built and is shared by
// every thread that evaluates documents.
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lang/source.hpp"
#include "lang/vocabulary.hpp"
#include "runtime/budget.hpp"
#include "runtime/value.hpp"

namespace pol::runtime {

struct Builtin;
struct Function;

enum class Op : uint8_t {
  Constant, Local, LazyLocal, Global, Member, Index,
  CallBuiltin, CallFunction,
  MakeList, MakeMap, Template, Comprehension, Quantifier,
  Not, Negate, And, Or, Coalesce, Binary, Conditional,
  Inline,  // a user function's body in its caller's frame (runtime/optimizer.hpp)
  Trace,   // trace(x): x, recorded with its position for the author (Result::traces)
};

// Per-document names every check can read.
enum class Global : uint8_t {
  Object, Metadata, Spec, AllContainers, Version, Level,
  Request, OldObject, NamespaceObject, Namespace,  // the admission request (runtime/workload.hpp)
};
constexpr size_t global_count = static_cast<size_t>(Global::Namespace) + 1;

struct Expr {
  Op op = Op::Constant;
  lang::Span span;
  const lang::Source* source = nullptr;
  Value constant;                        // Constant
  uint32_t slot = 0;                     // Local, LazyLocal; the binder's slot for Comprehension/Quantifier
  // Inline: args = {arguments..., body}; the function's parameters, lets and binders take the
  // caller's slots [slot, slot + slot_count), its lets unevaluated at each entry.
  uint32_t slot_count = 0;
  Global global = Global::Object;        // Global
  const Builtin* builtin = nullptr;      // CallBuiltin
  const Function* function = nullptr;    // CallFunction
  // Member: the fields read in turn (`a.b.c` is one Member of args {a}, keys {b, c}); MakeMap: its keys.
  std::vector<std::string> keys;
  std::vector<uint64_t> key_shapes;      // Member: each key's Member::shape (set by Program::seal)
  lang::BinaryOp binary = lang::BinaryOp::Eq;
  lang::QuantifierKind quantifier = lang::QuantifierKind::Any;
  bool has_filter = false;               // Comprehension: args = {element, source[, filter]}
  bool flatten = false;                  // Comprehension: the element is a list; its items are the result's
  // Comprehension: only whether the list would have an item is used (`len(l) > 0`); the result is
  // that bool and no list is built. With `stops_early`, the loop ends at the first item kept:
  // nothing the rest of the loop would evaluate can raise an error.
  bool exists = false;
  bool stops_early = false;
  // Comprehension, Quantifier: the source is a MakeList whose items cannot fail; they are
  // evaluated one at a time as the loop reaches them, without building the list.
  bool literal_source = false;
  // LazyLocal: a `let` of a check or function, args = {its value}. It is evaluated on its first
  // read, so the lets only a failing rule's message needs cost nothing while the rule holds.
  std::vector<const Expr*> args;
};

struct Function {
  std::string name;
  uint32_t param_count = 0;
  uint32_t slot_count = 0;  // parameters first, then lets (read as LazyLocal) and binders
  const Expr* result = nullptr;
};

enum class Level : uint8_t { Privileged = 0, Baseline = 1, Restricted = 2 };

struct Profile {
  Level level = Level::Restricted;
  lang::Version version{1, lang::Version::latest_minor};
  std::string label() const;  // "restricted:latest", "baseline:v1.25"
};

// Parses "baseline", "restricted:v1.25", "privileged:latest"; nullopt if malformed.
std::optional<Profile> parse_profile(std::string_view text);

// A check's rule. Its lets are not statements: they are read as Op::LazyLocal.
struct Rule {
  lang::RuleKind rule = lang::RuleKind::Deny;
  const Expr* condition = nullptr;
  const Expr* reason = nullptr;
  const Expr* detail = nullptr;      // may be null
  const Expr* location = nullptr;    // may be null
};

struct Check {
  std::string id;
  const lang::Source* source = nullptr;  // where the check is declared (its id's span)
  lang::Span span;
  std::optional<Level> level;        // none: runs at every level
  lang::Version since{1, 0};
  lang::Version until{1, lang::Version::latest_minor};
  std::vector<std::string> replaces;
  uint32_t slot_count = 0;
  std::vector<Rule> rules;  // in order
  // A check of the standard library's Pod Security Standards: its violations name the profile
  // ("restricted:latest"), as Pod Security Admission does, in whatever policy imports it.
  bool standard = false;
};

struct Mutation;

// A mutation statement (lang::MutationStmt, names resolved). A target is a document path: the
// value of `base` (spec, metadata, object or a local bound to a document node) and then fields
// and indexes.
struct PathStep {
  std::string key;
  const Expr* index = nullptr;  // set for `[expr]`
};

struct MutationStatement {
  lang::MutationKind kind = lang::MutationKind::Let;
  lang::Span span;
  const lang::Source* source = nullptr;
  uint32_t slot = 0;             // Let, Each: the local it binds
  const Expr* value = nullptr;   // Let, Default, Set, Add: the value; If: the condition; Each: the list
  const Expr* base = nullptr;    // Default, Set, Remove, Add
  std::vector<PathStep> steps;
  const Mutation* mutation = nullptr;  // Apply
  std::vector<const Expr*> args;       // Apply
  std::vector<MutationStatement> body, else_body;
};

struct Mutation {
  std::string name;
  uint32_t param_count = 0;
  uint32_t slot_count = 0;
  std::vector<MutationStatement> body;
};

// A top-level `apply`: the mutation, its arguments and condition (no locals of their own).
struct Apply {
  const Mutation* mutation = nullptr;
  std::vector<const Expr*> args;
  const Expr* condition = nullptr;
  uint32_t slot_count = 0;  // comprehension variables in the arguments and condition
};

// An exception (lang::GrantDecl): for the workloads `when` selects, `allow` changes, in the view
// the checks see, exactly what the grant allows; the checks that stop failing are exempted.
struct Grant {
  std::string name;            // or, for a table's rows, `name_expr` over the row
  std::optional<Value> row;    // a table's row: local slot 0 of the expressions and of `allow`
  const Expr* name_expr = nullptr;
  const Expr* when = nullptr;  // each of these may be null
  const Expr* owner = nullptr;
  const Expr* why = nullptr;
  const Expr* expires = nullptr;
  uint32_t slot_count = 0;  // comprehension variables of the expressions above
  const Mutation* allow = nullptr;
};

class Program {
  // Deletes the frozen constants' blocks once every member holding them is gone: the first
  // member, so the last destroyed.
  struct FrozenHeaps {
    std::vector<Heap*> heaps;
    FrozenHeaps() = default;
    FrozenHeaps(const FrozenHeaps&) = delete;
    FrozenHeaps& operator=(const FrozenHeaps&) = delete;
    ~FrozenHeaps() {
      for (Heap* heap : heaps) delete heap;
    }
  };
  FrozenHeaps frozen_;

 public:
  std::string name;                   // from `policy "name"`, else the file's stem
  std::vector<Check> checks;          // in declaration order (imports first)
  std::vector<Apply> applies;         // in declaration order (imports first)
  std::vector<Grant> grants;          // in declaration order (imports first)
  Limits limits;                      // what evaluating one document may spend

  Expr* new_expr() { return &exprs_.emplace_back(); }
  std::deque<Function>& functions() { return functions_; }
  Function* new_function() { return &functions_.emplace_back(); }
  Mutation* new_mutation() { return &mutations_.emplace_back(); }
  void keep(std::shared_ptr<const lang::Source> source) { sources_.push_back(std::move(source)); }
  // Keeps alive what constants view (the documents of exception files).
  void keep_alive(std::shared_ptr<const void> data) { kept_.push_back(std::move(data)); }

  // Freezes the constants of every expression and grant (see Value) and computes what lookups
  // need of the keys (Expr::key_shapes): call once it is built.
  void seal();

  // The checks that run at a profile: level and version match, minus those replaced by a
  // running check (PSS: restricted checks override the baseline ones they tighten).
  std::vector<const Check*> plan(const Profile& profile) const;

 private:
  std::deque<Expr> exprs_;
  std::deque<Function> functions_;
  std::deque<Mutation> mutations_;
  std::vector<std::shared_ptr<const lang::Source>> sources_;
  std::vector<std::shared_ptr<const void>> kept_;
};

}  // namespace pol::runtime
