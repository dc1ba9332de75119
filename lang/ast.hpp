// SPDX-License-Identifier: Apache-2.0
// The AST: plain data, every node with the byte span of its source text. The checker reads it
// and lowers it into runtime::Program; nothing evaluates the AST directly.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lang/source.hpp"
#include "lang/vocabulary.hpp"

namespace pol::lang {

enum class ExprKind {
  Null, Bool, Int, Float, Version, String,  // literals; String with parts is a template
  List, Comprehension, Map,
  Name, Member, Index, Call, Quantifier,
  Unary, Binary, Conditional,
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

// A string literal is a list of parts: text, or an interpolated `{expression}`.
struct TemplatePart {
  std::string text;
  ExprPtr expr;  // set for an interpolation
};

struct Expr {
  ExprKind kind;
  Span span;
  bool bool_value = false;
  int64_t int_value = 0;
  double float_value = 0;
  std::string name;                  // Name, Member (field), Call (function), Map keys in `keys`
  Span name_span;                    // of the field or function name
  std::vector<TemplatePart> parts;   // String
  std::vector<ExprPtr> operands;     // sub-expressions, in source order
  std::vector<std::string> keys;     // Map: one key per operand
  UnaryOp unary_op = UnaryOp::Not;
  BinaryOp binary_op = BinaryOp::Or;
  QuantifierKind quantifier = QuantifierKind::Any;
  std::string variable;              // Comprehension / Quantifier binder
  Span variable_span;
  // Comprehension: operands = {element, source[, filter]}; Quantifier: {source, body}.
  bool has_filter = false;
  bool flatten = false;  // Comprehension: its element is an inner comprehension's list, joined

  Expr(ExprKind k, Span s) : kind(k), span(s) {}
};

struct LetStmt {
  std::string name;
  Span name_span;
  ExprPtr value;
};

struct Rule {
  RuleKind kind = RuleKind::Deny;
  Span span;
  ExprPtr condition;
  ExprPtr reason;
  ExprPtr detail;    // optional
  ExprPtr location;  // optional `at` expression: document nodes that locate the violation
};

// Check items run in source order: a `let` is visible to the items after it.
struct CheckStmt {
  std::optional<LetStmt> let;
  std::optional<Rule> rule;
};

struct CheckDecl {
  std::string id;
  Span id_span;
  std::optional<std::string> level;
  Span level_span;
  std::optional<Version> since;
  std::optional<Version> until;
  std::vector<std::pair<std::string, Span>> replaces;
  std::vector<CheckStmt> body;
};

struct FnDecl {
  std::string name;
  Span name_span;
  std::vector<std::pair<std::string, Span>> params;
  std::vector<LetStmt> lets;
  ExprPtr result;
};

struct ConstDecl {
  std::string name;
  Span name_span;
  ExprPtr value;
};

// `param NAME: TYPE = DEFAULT`: a constant whose value the run gives (--params, Options::params,
// a suite's params:), checked against TYPE; without a default, a value is required.
struct ParamDecl {
  std::string name;
  Span name_span;
  std::vector<std::string> type;  // `list of string`: {"list", "string"}
  Span type_span;
  ExprPtr default_value;  // optional
};

// A mutation statement (MutationKind: lang/vocabulary.hpp).

struct MutationStmt {
  MutationKind kind = MutationKind::Let;
  Span span;
  std::string name;  // Let: the name; Each: the variable; Apply: the mutation
  Span name_span;
  ExprPtr target;    // Default, Set, Remove, Add: the document path
  ExprPtr value;     // Let, Default, Set, Add: the value; If: the condition; Each: the list
  std::vector<ExprPtr> args;  // Apply
  std::vector<MutationStmt> body;       // If (then), Each
  std::vector<MutationStmt> else_body;  // If
};

struct MutationDecl {
  std::string name;
  Span name_span;
  std::vector<std::pair<std::string, Span>> params;
  std::vector<MutationStmt> body;
};

// `apply name(args) if condition`: the policy runs this mutation, in declaration order.
struct ApplyDecl {
  std::string name;
  Span name_span;
  Span span;
  std::vector<ExprPtr> args;
  ExprPtr condition;  // optional
};

// `grant "row" { when ...  owner ...  why ...  expires ...  statements }`: an exception.
struct GrantDecl {
  std::string name;  // `grant "name"`; or for `grant each row in TABLE`, the variable and the table
  Span name_span;
  std::string row;
  ExprPtr rows;
  ExprPtr name_expr, when, owner, why, expires;  // each optional
  std::vector<MutationStmt> body;
};

struct ImportDecl {
  std::string path;
  Span span;
};

struct Module {
  std::shared_ptr<const Source> source;
  std::optional<std::string> policy_name;
  std::vector<ImportDecl> imports;
  std::vector<ConstDecl> consts;
  std::vector<ParamDecl> params;
  std::vector<FnDecl> functions;
  std::vector<CheckDecl> checks;
  std::vector<MutationDecl> mutations;
  std::vector<ApplyDecl> applies;
  std::vector<GrantDecl> grants;
};

}  // namespace pol::lang
