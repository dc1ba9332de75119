// SPDX-License-Identifier: Apache-2.0
// The words the language front end and the runtime share: operators, quantifiers, rule and
// mutation kinds, Kubernetes versions. The checker writes them into runtime::Program and the
// evaluators read them there, so they live apart from the AST: the runtime needs these, not the
// syntax tree.
#pragma once

#include <compare>

namespace pol::lang {

enum class UnaryOp { Not, Negate };
enum class BinaryOp { Or, And, Eq, Ne, Lt, Le, Gt, Ge, In, NotIn, Coalesce, Add, Sub, Mul, Div, Mod };
enum class QuantifierKind { Any, All, Count };

// The operator as written in pol, for messages.
constexpr const char* symbol(BinaryOp op) {
  switch (op) {
    case BinaryOp::Or: return "or";
    case BinaryOp::And: return "and";
    case BinaryOp::Eq: return "==";
    case BinaryOp::Ne: return "!=";
    case BinaryOp::Lt: return "<";
    case BinaryOp::Le: return "<=";
    case BinaryOp::Gt: return ">";
    case BinaryOp::Ge: return ">=";
    case BinaryOp::In: return "in";
    case BinaryOp::NotIn: return "not in";
    case BinaryOp::Coalesce: return "??";
    case BinaryOp::Add: return "+";
    case BinaryOp::Sub: return "-";
    case BinaryOp::Mul: return "*";
    case BinaryOp::Div: return "/";
    case BinaryOp::Mod: return "%";
  }
  return "?";
}

struct Version {
  int major = 1;
  int minor = 0;
  static constexpr int latest_minor = 1 << 30;  // `latest` compares above every v1.N
  bool is_latest() const { return minor == latest_minor; }
  auto operator<=>(const Version&) const = default;
};

enum class RuleKind { Deny, Warn };

// `default` sets a field only when it is unset (absent or null), `set` always, `remove` deletes
// it, `add` appends a value to a list unless it is already there.
enum class MutationKind { Let, Default, Set, Remove, Add, If, Each, Apply };

}  // namespace pol::lang
