// SPDX-License-Identifier: Apache-2.0
// The Checker class, shared by checker.cpp (declarations, checks, functions, constants) and
// checker_expr.cpp (expressions). Not part of the public interface.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "lang/checker.hpp"
#include "runtime/builtins/registry.hpp"

namespace pol::lang {

using runtime::StaticType;
using runtime::a_type;

struct Typed {
  const runtime::Expr* expr = nullptr;
  StaticType type = StaticType::Any;
};

class Checker {
 public:
  Checker(Diagnostics& diagnostics, runtime::Value exceptions)
      : diagnostics_(diagnostics), exceptions_(std::move(exceptions)) {}
  std::unique_ptr<runtime::Program> run(const std::vector<Module>& modules);

 private:
  struct ConstInfo {
    const ConstDecl* decl = nullptr;
    const Module* module = nullptr;
    enum class State { Pending, Resolving, Done, Failed } state = State::Pending;
    runtime::Value value;
    StaticType type = StaticType::Any;
  };
  struct FnInfo {
    const FnDecl* decl = nullptr;
    const Module* module = nullptr;
    runtime::Function* function = nullptr;
  };
  struct MutationInfo {
    const MutationDecl* decl = nullptr;
    const Module* module = nullptr;
    runtime::Mutation* mutation = nullptr;
  };
  // Locals of the function, check or constant being lowered: nested scopes, slots never reused.
  struct Frame {
    std::vector<std::vector<std::pair<std::string, uint32_t>>> scopes;
    uint32_t slot_count = 0;
    bool in_constant = false;
    std::vector<const runtime::Expr*> lazy;  // by slot: the value of a lazily evaluated let
  };

  // checker.cpp
  void declare(const Module& module);
  bool declare_name(const std::string& name, const Module& module, Span span, const char* what);
  void lower_function(FnInfo& info);
  void lower_check(const Module& module, const CheckDecl& decl);
  // checker_mutation.cpp
  void lower_mutation(MutationInfo& info);
  void lower_apply(const Module& module, const ApplyDecl& decl);
  void lower_grant(const Module& module, const GrantDecl& decl);
  std::vector<runtime::MutationStatement> lower_statements(const std::vector<MutationStmt>& statements);
  bool lower_target(const Expr& target, runtime::MutationStatement& statement);
  const runtime::Mutation* find_mutation(const std::string& name, Span span, size_t arguments);
  const ConstInfo* resolve_const(const std::string& name, Span use);
  uint32_t bind(const std::string& name, Span span);
  // Binds a check's or function's `let`: read through Op::LazyLocal.
  uint32_t bind_lazy(const std::string& name, Span span, const runtime::Expr* value);
  void error(Span span, std::string message, std::vector<std::string> notes = {});
  std::vector<std::string> suggest(const std::string& name, const std::vector<std::string>& candidates) const;
  std::vector<std::string> visible_names() const;

  // checker_expr.cpp
  Typed lower(const Expr& e);
  Typed lower_name(const Expr& e);
  Typed lower_call(const Expr& e);
  Typed lower_binary(const Expr& e);
  Typed lower_binder(const Expr& e);
  void expect_condition(const Expr& e, StaticType type, const char* what);
  runtime::Expr* node(runtime::Op op, const Expr& e);

  Diagnostics& diagnostics_;
  runtime::Value exceptions_;  // the constant `exceptions`
  std::unique_ptr<runtime::Program> program_;
  const Module* module_ = nullptr;  // the module being lowered
  Frame* frame_ = nullptr;
  std::map<std::string, ConstInfo> consts_;
  std::map<std::string, FnInfo> functions_;
  std::map<std::string, MutationInfo> mutations_;
  std::map<std::string, std::pair<const Module*, Span>> declared_;  // every top-level name
};

}  // namespace pol::lang
