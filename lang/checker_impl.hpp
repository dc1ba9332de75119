// SPDX-License-Identifier: Apache-2.0
// The Checker class, shared by checker.cpp (declarations, checks, functions, constants) and
// checker_expr.cpp (expressions). Not part of the public interface.
#pragma once

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "lang/checker.hpp"
#include "runtime/builtins/registry.hpp"
#include "runtime/schema.hpp"

namespace pol::lang {

using runtime::StaticType;
using runtime::a_type;
namespace schema = runtime::schema;

// What the checker knows of a value: its type and, for document values, the Kubernetes schema's
// shape of it (see checker_schema.cpp).
struct ValueType {
  StaticType type = StaticType::Any;
  const schema::Shape* shape = nullptr;
  auto operator<=>(const ValueType&) const = default;
};

struct Typed {
  Typed() = default;
  Typed(const runtime::Expr* e, StaticType t, const schema::Shape* s = nullptr) : expr(e), type(t), shape(s) {}

  const runtime::Expr* expr = nullptr;
  StaticType type = StaticType::Any;
  const schema::Shape* shape = nullptr;
  std::string field;  // the document field this value was read from, for messages

  ValueType value_type() const { return {type, shape}; }
};

class Checker {
 public:
  Checker(Diagnostics& diagnostics, runtime::Value exceptions, const runtime::Document* params, Symbols* symbols)
      : diagnostics_(diagnostics), exceptions_(std::move(exceptions)), params_(params), symbols_(symbols) {}
  std::unique_ptr<runtime::Program> run(const std::vector<Module>& modules);
  // The shapes the checker built (lists of schema types), for Symbols to keep.
  std::deque<schema::Shape> take_shapes() { return std::move(shapes_); }

 private:
  struct ConstInfo {
    const ConstDecl* decl = nullptr;
    const ParamDecl* param = nullptr;  // a parameter: its value comes from params_
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
    std::vector<ValueType> types;            // by slot
    std::vector<Span> spans;                 // by slot: where the name is bound
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
  bool lower_target(const Expr& target, runtime::MutationStatement& statement, Typed& typed);
  const runtime::Mutation* find_mutation(const std::string& name, Span span, size_t arguments);
  const ConstInfo* resolve_const(const std::string& name, Span use);
  // A constant expression computed now: `lowered` is false when it has errors (reported), and
  // `failure` says why computing it failed.
  struct Folded {
    bool lowered = false;
    runtime::Value value;
    std::string failure;
  };
  Folded fold(const Expr& e);
  // checker_params.cpp
  void declare_param(const ParamDecl& param, const Module& module);
  void resolve_param(ConstInfo& info);
  uint32_t bind(const std::string& name, Span span, ValueType type = {});
  // Binds a check's or function's `let`: read through Op::LazyLocal.
  uint32_t bind_lazy(const std::string& name, Span span, const Typed& value);
  void error(Span span, std::string message, std::vector<std::string> notes = {});
  // An error found with the Kubernetes schema: reported in specializations too.
  void schema_error(Span span, std::string message, std::vector<std::string> notes = {});
  void warning(Span span, std::string message, std::vector<std::string> notes = {});
  bool reported_before(Span span, const std::string& message) const;
  // A function or mutation checked again with the types of one call's arguments, so that what
  // it reads of a container it is given is checked against the schema. Returns the type of
  // the result; each combination of argument types is checked once.
  ValueType specialize(const FnInfo& info, const std::vector<Typed>& args, const Expr& call);
  void specialize(const MutationInfo& info, const std::vector<Typed>& args, Span call);
  bool begin_specialization(const void* decl, const std::vector<Typed>& args, Span call, ValueType*& result);
  void end_specialization();

  // checker_schema.cpp: the Kubernetes schema's types of document values
  Typed with_shape(Typed typed, const schema::Shape* shape, std::string field = "");
  const schema::Shape* list_of(const schema::Shape* element);
  const schema::Shape* field_shape(const Typed& target, Span target_span, const std::string& name, Span name_span);
  const schema::Shape* index_shape(const Typed& target, const Typed& key);
  const schema::Shape* element_shape(const Typed& list);
  const schema::Shape* common_shape(const Typed& a, const Typed& b);
  void check_values(const Typed& field, const Expr& other_expr, const Typed& other);
  void check_assignment(const schema::Shape* target, const std::string& field, bool item, const Expr& value_expr,
                        const Typed& value);
  std::vector<std::string> suggest(const std::string& name, const std::vector<std::string>& candidates) const;
  std::vector<std::string> visible_names() const;

  // checker_expr.cpp
  Typed lower(const Expr& e);
  Typed lower_name(const Expr& e);
  Typed lower_call(const Expr& e);
  Typed lower_binary(const Expr& e);
  Typed lower_binder(const Expr& e);
  Typed lower_member(const Expr& e);
  Typed lower_index(const Expr& e);
  void expect_condition(const Expr& e, StaticType type, const char* what);
  runtime::Expr* node(runtime::Op op, const Expr& e);

  Diagnostics& diagnostics_;
  runtime::Value exceptions_;  // the constant `exceptions`
  const runtime::Document* params_ = nullptr;  // the run's parameter values: a map, or null
  Symbols* symbols_ = nullptr;  // what names resolve to, for the language server; null: not kept
  void record(SymbolKind kind, const Expr& e, Span span, const Module* defined_in = nullptr, Span definition = {},
              const schema::Shape* shape = nullptr, const schema::Shape* object = nullptr);
  std::unique_ptr<runtime::Program> program_;
  const Module* module_ = nullptr;  // the module being lowered
  Frame* frame_ = nullptr;
  std::map<std::string, ConstInfo> consts_;
  std::map<std::string, FnInfo> functions_;
  std::map<std::string, MutationInfo> mutations_;
  std::map<std::string, std::pair<const Module*, Span>> declared_;  // every top-level name
  // Specializations done or under way, by declaration and argument types: their result type.
  std::map<std::pair<const void*, std::vector<ValueType>>, ValueType> specialized_;
  std::vector<std::string> call_notes_;  // "checked with the arguments of the call at ...", innermost last
  static constexpr size_t max_specialization_depth = 16;
  std::deque<schema::Shape> shapes_;     // lists the schema does not name: [c for c in ...]
  std::map<const schema::Shape*, const schema::Shape*> lists_;  // element → its list, in shapes_
};

}  // namespace pol::lang
