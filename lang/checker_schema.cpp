// SPDX-License-Identifier: Apache-2.0
// Schema typing: the checker follows the Kubernetes schema (runtime/schema.hpp) along the paths
// a policy reads from `spec`, `metadata`, `object` and `all_containers`, through lets,
// comprehensions, quantifiers, `??`, `if` and function calls. An unknown field of a typed
// object is an error, a value outside a field's closed set a warning; `x["field"]` reads a
// field the schema does not have on purpose.
#include <fmt/format.h>

#include <algorithm>

#include "lang/checker_impl.hpp"
#include "lang/suggest.hpp"

namespace pol::lang {

namespace {

using schema::Kind;

StaticType static_type(const schema::Shape& shape) {
  switch (shape.kind) {
    case Kind::Bool: return StaticType::Bool;
    case Kind::Int: return StaticType::Int;
    case Kind::Number: return StaticType::Number;
    case Kind::String: return StaticType::String;
    case Kind::Object:
    case Kind::Map: return StaticType::Map;
    case Kind::List: return StaticType::List;
    case Kind::Any:
    case Kind::IntOrString:
    case Kind::Quantity: break;
  }
  return StaticType::Any;
}

// Two shapes of one Kubernetes type: the schema inlines Container in containers and
// initContainers, two equal shapes.
bool same_type(const schema::Shape* a, const schema::Shape* b) {
  if (a == b) return true;
  if (!a || !b || a->kind != b->kind) return false;
  if (a->kind == Kind::List || a->kind == Kind::Map) return same_type(a->element, b->element);
  return a->name == b->name;
}

std::string quoted_values(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& value : values) out += (out.empty() ? "" : ", ") + fmt::format("\"{}\"", value);
  return out;
}

}  // namespace

Typed Checker::with_shape(Typed typed, const schema::Shape* shape, std::string field) {
  typed.shape = shape;
  typed.field = std::move(field);
  if (shape) typed.type = static_type(*shape);
  return typed;
}

const schema::Shape* Checker::list_of(const schema::Shape* element) {
  if (!element) return nullptr;
  const auto it = lists_.find(element);
  if (it != lists_.end()) return it->second;
  schema::Shape& list = shapes_.emplace_back();
  list.kind = Kind::List;
  list.element = element;
  lists_.emplace(element, &list);
  return &list;
}

const schema::Shape* Checker::field_shape(const Typed& target, Span target_span, const std::string& name,
                                          Span name_span) {
  const schema::Shape* object = target.shape;
  if (!object) return nullptr;
  if (object->kind == Kind::Map) return object->element;
  if (object->kind != Kind::Object) return nullptr;
  if (const schema::Shape* field = object->field(name)) return field;
  if (!object->open) {
    std::vector<std::string> notes = suggest(name, object->field_names());
    const std::string_view written = module_->source->text().substr(target_span.begin, target_span.end - target_span.begin);
    notes.push_back(fmt::format("to read a field that the Kubernetes schema does not have, index it: {}[\"{}\"]",
                                written.size() <= 40 ? written : "x", name));
    schema_error(name_span, fmt::format("unknown field '{}' of {}", name, object->name), std::move(notes));
  }
  return nullptr;
}

const schema::Shape* Checker::index_shape(const Typed& target, const Typed& key) {
  const schema::Shape* shape = target.shape;
  if (!shape) return nullptr;
  if (shape->kind == Kind::List || shape->kind == Kind::Map) return shape->element;
  // x["field"]: the escape from the typo check; typed when the schema has the field after all.
  if (shape->kind == Kind::Object && key.expr->op == runtime::Op::Constant &&
      key.expr->constant.type() == runtime::Type::String) {
    return shape->field(std::string(key.expr->constant.as_string()));
  }
  return nullptr;
}

const schema::Shape* Checker::element_shape(const Typed& list) {
  return list.shape && list.shape->kind == Kind::List ? list.shape->element : nullptr;
}

const schema::Shape* Checker::common_shape(const Typed& a, const Typed& b) {
  if (!a.shape) return b.type == StaticType::Null || b.type == a.type ? b.shape : nullptr;
  if (!b.shape) return a.type == StaticType::Null || a.type == b.type ? a.shape : nullptr;
  return same_type(a.shape, b.shape) ? a.shape : nullptr;
}

// `field == "value"`, `field in ["a", "b"]`: a string the field can never hold is a warning.
void Checker::check_values(const Typed& field, const Expr& other_expr, const Typed& other) {
  if (!field.shape || field.shape->values.empty()) return;
  const std::vector<std::string>& values = field.shape->values;
  const auto check_one = [&](const runtime::Expr* expr, Span span) {
    if (expr->op != runtime::Op::Constant || expr->constant.type() != runtime::Type::String) return;
    const std::string value(expr->constant.as_string());
    if (std::find(values.begin(), values.end(), value) != values.end()) return;
    std::vector<std::string> notes = {fmt::format("the values of {} are {}", field.field.empty() ? "this field" : field.field,
                                                  quoted_values(values))};
    const std::optional<std::string> close = closest(value, values);
    if (close) notes.insert(notes.begin(), fmt::format("did you mean \"{}\"?", *close));
    warning(span, fmt::format("\"{}\" is not a value {} can have", value, field.field.empty() ? "this field" : field.field),
            std::move(notes));
  };
  if (other.expr->op == runtime::Op::MakeList) {
    for (size_t i = 0; i < other.expr->args.size() && i < other_expr.operands.size(); ++i) {
      check_one(other.expr->args[i], other_expr.operands[i]->span);
    }
  } else {
    check_one(other.expr, other_expr.span);
  }
}

// `set`, `default`: the value must fit the field; `add`: an item of the list.
void Checker::check_assignment(const schema::Shape* target, const std::string& field, bool item,
                               const Expr& value_expr, const Typed& value) {
  if (item) target = target && target->kind == Kind::List ? target->element : nullptr;
  if (!target) return;
  const StaticType expected = static_type(*target);
  if (value.type != StaticType::Null && !runtime::compatible(expected, value.type)) {
    schema_error(value_expr.span, item ? fmt::format("an item of '{}' is {} in the Kubernetes schema, not {}", field,
                                              schema::noun(*target), a_type(value.type))
                                : fmt::format("'{}' is {} in the Kubernetes schema, not {}", field,
                                              schema::noun(*target), a_type(value.type)));
    return;
  }
  if (target->kind == Kind::List && value.expr->op == runtime::Op::MakeList && target->element) {
    for (size_t i = 0; i < value.expr->args.size() && i < value_expr.operands.size(); ++i) {
      const runtime::Expr* item = value.expr->args[i];
      if (item->op != runtime::Op::Constant) continue;
      const StaticType item_type = runtime::static_type_of(item->constant.type());
      if (item_type != StaticType::Null && !runtime::compatible(static_type(*target->element), item_type)) {
        schema_error(value_expr.operands[i]->span, fmt::format("an item of '{}' is {} in the Kubernetes schema, not {}", field,
                                                        schema::noun(*target->element), a_type(item_type)));
      }
    }
  }
  Typed typed_field;
  typed_field.shape = target;
  typed_field.field = field;
  check_values(typed_field, value_expr, value);
}

}  // namespace pol::lang
