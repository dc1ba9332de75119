// SPDX-License-Identifier: Apache-2.0
#include "runtime/operators.hpp"

#include <cmath>
#include <optional>
#include <fmt/format.h>

#include "runtime/builtins/registry.hpp"
#include "runtime/program.hpp"

namespace pol::runtime {

namespace {

using lang::BinaryOp;

bool is_number(const Value& v) { return v.type() == Type::Int || v.type() == Type::Float; }

[[noreturn]] void mismatch(BinaryOp op, const Value& left, const Value& right) {
  throw EvalError(fmt::format("cannot apply '{}' to {} ({}) and {} ({})", lang::symbol(op), type_name(left.type()),
                              left.to_display(), type_name(right.type()), right.to_display()),
                  left.document_node() ? left.document_node() : right.document_node());
}

bool contains(const Value& container, const Value& item) {
  switch (container.type()) {
    case Type::Null: return false;
    case Type::List:
      for (size_t i = 0; i < container.size(); ++i) {
        if (container.at(i) == item) return true;
      }
      return false;
    case Type::Map:
      if (item.type() != Type::String) return false;
      for (size_t i = 0; i < container.size(); ++i) {
        if (container.key_at(i) == item.as_string()) return true;
      }
      return false;
    case Type::String:
      if (item.type() != Type::String) {
        throw EvalError(fmt::format("'in' on a string needs a string on the left, got {}", type_name(item.type())),
                        item.document_node());
      }
      return container.as_string().find(item.as_string()) != std::string_view::npos;
    default:
      throw EvalError(fmt::format("'in' needs a list, map or string on the right, got {}", type_name(container.type())),
                      container.document_node());
  }
}

// Ordering: numbers, strings (by bytes) and versions; anything compared with null is false.
std::optional<bool> order(BinaryOp op, const Value& left, const Value& right) {
  if (left.is_null() || right.is_null()) return false;
  int c = 0;
  if (is_number(left) && is_number(right)) {
    if (left.type() == Type::Int && right.type() == Type::Int) {
      c = left.as_int() < right.as_int() ? -1 : left.as_int() > right.as_int();
    } else {
      c = left.as_number() < right.as_number() ? -1 : left.as_number() > right.as_number();
    }
  } else if (left.type() == Type::String && right.type() == Type::String) {
    c = left.as_string().compare(right.as_string());
  } else if (left.type() == Type::Version && right.type() == Type::Version) {
    c = left.as_version() < right.as_version() ? -1 : left.as_version() > right.as_version();
  } else {
    return std::nullopt;
  }
  switch (op) {
    case BinaryOp::Lt: return c < 0;
    case BinaryOp::Le: return c <= 0;
    case BinaryOp::Gt: return c > 0;
    default: return c >= 0;
  }
}

Value arithmetic(BinaryOp op, const Value& left, const Value& right) {
  // Absent values (null): beside a list or a string, `+` takes null for the empty one; with a
  // number, or another null, the result is absent too. Nothing raises because a field is unset.
  if (left.is_null() || right.is_null()) [[unlikely]] {
    const Value& other = left.is_null() ? right : left;
    if (op == BinaryOp::Add && (other.type() == Type::List || other.type() == Type::String)) return other;
    if (other.is_null() || is_number(other)) return {};
    mismatch(op, left, right);  // null beside a bool, a map or a version: a wrong type, not an absence
  }
  if (op == BinaryOp::Add && left.type() == Type::String && right.type() == Type::String) {
    std::string out(left.as_string());
    out += right.as_string();
    return Value::string(std::move(out));
  }
  if (op == BinaryOp::Add && left.type() == Type::List && right.type() == Type::List) {
    std::vector<Value> out;
    out.reserve(left.size() + right.size());
    for (size_t i = 0; i < left.size(); ++i) out.push_back(left.at(i));
    for (size_t i = 0; i < right.size(); ++i) out.push_back(right.at(i));
    return Value::list(std::move(out));
  }
  if (!is_number(left) || !is_number(right)) mismatch(op, left, right);
  if (left.type() == Type::Int && right.type() == Type::Int) {
    const int64_t a = left.as_int(), b = right.as_int();
    int64_t r = 0;
    bool overflow = false;
    switch (op) {
      case BinaryOp::Add: overflow = __builtin_add_overflow(a, b, &r); break;
      case BinaryOp::Sub: overflow = __builtin_sub_overflow(a, b, &r); break;
      case BinaryOp::Mul: overflow = __builtin_mul_overflow(a, b, &r); break;
      case BinaryOp::Div:
      case BinaryOp::Mod:
        if (b == 0) throw EvalError("division by zero");
        if (a == INT64_MIN && b == -1) { overflow = true; break; }
        r = op == BinaryOp::Div ? a / b : a % b;
        break;
      default: mismatch(op, left, right);
    }
    if (overflow) throw EvalError(fmt::format("integer overflow in {} {} {}", a, lang::symbol(op), b));
    return Value::integer(r);
  }
  const double a = left.as_number(), b = right.as_number();
  switch (op) {
    case BinaryOp::Add: return Value::number(a + b);
    case BinaryOp::Sub: return Value::number(a - b);
    case BinaryOp::Mul: return Value::number(a * b);
    case BinaryOp::Div: return Value::number(a / b);
    case BinaryOp::Mod: return Value::number(std::fmod(a, b));
    default: mismatch(op, left, right);
  }
}

}  // namespace

bool condition(const Value& value, const char* what) {
  if (value.type() == Type::Bool) return value.as_bool();
  if (value.is_null()) return false;
  throw EvalError(fmt::format("{} must be a bool, got {} ({})", what, type_name(value.type()), value.to_display()),
                  value.document_node());
}

Value apply_binary(BinaryOp op, const Value& left, const Value& right) {
  switch (op) {
    case BinaryOp::Eq: return Value::boolean(left == right);
    case BinaryOp::Ne: return Value::boolean(!(left == right));
    case BinaryOp::In: return Value::boolean(contains(right, left));
    case BinaryOp::NotIn: return Value::boolean(!contains(right, left));
    case BinaryOp::Lt:
    case BinaryOp::Le:
    case BinaryOp::Gt:
    case BinaryOp::Ge: {
      const std::optional<bool> result = order(op, left, right);
      if (!result) mismatch(op, left, right);
      return Value::boolean(*result);
    }
    default: return arithmetic(op, left, right);
  }
}

Value negate(const Value& value) {
  if (value.is_null()) return {};  // an absent number stays absent
  if (value.type() == Type::Int) {
    if (value.as_int() == INT64_MIN) throw EvalError("integer overflow in negation");
    return Value::integer(-value.as_int());
  }
  if (value.type() == Type::Float) return Value::number(-value.as_float());
  throw EvalError(fmt::format("cannot negate {}", type_name(value.type())), value.document_node());
}

Value member_of(const Value& value, const Expr& member) {
  if (const Node* node = value.document_node()) {
    for (size_t i = 0; i < member.keys.size(); ++i) {
      node = node->find(member.keys[i], member.key_shapes[i]);
      if (!node) return {};
    }
    return Value::node(node);
  }
  Value out = value;  // a map the policy built
  for (const std::string& key : member.keys) out = out.get(key);
  return out;
}

Value index_of(const Value& target, const Value& key) {
  if (target.type() == Type::List) {
    if (key.type() != Type::Int) {
      throw EvalError(fmt::format("a list index must be an int, got {}", type_name(key.type())), key.document_node());
    }
    if (key.as_int() < 0) return {};
    return target.at(static_cast<size_t>(key.as_int()));
  }
  if (target.type() == Type::Map) {
    if (key.type() != Type::String) {
      throw EvalError(fmt::format("a map key must be a string, got {}", type_name(key.type())), key.document_node());
    }
    return target.get(key.as_string());
  }
  return {};  // indexing an absent value (or a scalar) reads as absent
}

Value template_string(std::span<const Value> parts) {
  std::string out;
  for (const Value& v : parts) {
    if (v.type() == Type::String) out += v.as_string();
    else out += v.to_display();
  }
  return Value::string(std::move(out));
}

void append_element(std::vector<Value>& list, Value element, bool flatten) {
  if (!flatten) return list.push_back(std::move(element));
  for (size_t k = 0; k < element.size(); ++k) list.push_back(element.at(k));
}

}  // namespace pol::runtime
