// SPDX-License-Identifier: Apache-2.0
#include "runtime/builtins/registry.hpp"

#include <fmt/format.h>

namespace pol::runtime {

const char* static_type_name(StaticType type) {
  switch (type) {
    case StaticType::Any: return "any";
    case StaticType::Null: return "null";
    case StaticType::Bool: return "bool";
    case StaticType::Int: return "int";
    case StaticType::Float: return "float";
    case StaticType::Number: return "number";
    case StaticType::String: return "string";
    case StaticType::List: return "list";
    case StaticType::Map: return "map";
    case StaticType::Version: return "version";
  }
  return "any";
}

std::string a_type(StaticType type) {
  const std::string name = static_type_name(type);
  return (name[0] == 'a' || name[0] == 'i' ? "an " : "a ") + name;
}

StaticType static_type_of(Type type) {
  switch (type) {
    case Type::Null: return StaticType::Null;
    case Type::Bool: return StaticType::Bool;
    case Type::Int: return StaticType::Int;
    case Type::Float: return StaticType::Float;
    case Type::String: return StaticType::String;
    case Type::List: return StaticType::List;
    case Type::Map: return StaticType::Map;
    case Type::Version: return StaticType::Version;
  }
  return StaticType::Any;
}

bool accepts(StaticType expected, Type actual) {
  switch (expected) {
    case StaticType::Any: return true;
    case StaticType::Number: return actual == Type::Int || actual == Type::Float;
    case StaticType::Float: return actual == Type::Int || actual == Type::Float;
    default: return static_type_of(actual) == expected;
  }
}

bool compatible(StaticType expected, StaticType actual) {
  if (expected == StaticType::Any || actual == StaticType::Any || expected == actual) return true;
  const auto numeric = [](StaticType t) {
    return t == StaticType::Int || t == StaticType::Float || t == StaticType::Number;
  };
  return numeric(expected) && numeric(actual);
}

void Registry::add(std::string name, std::vector<StaticType> params, StaticType result, BuiltinFn fn,
                   std::string summary) {
  if (params.size() > max_builtin_params) throw std::logic_error("builtin '" + name + "' has too many parameters");
  builtins_.push_back(Builtin{std::move(name), std::move(params), result, fn, std::move(summary)});
}

const Builtin* Registry::find(std::string_view name) const {
  for (const Builtin& b : builtins_) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

const Registry& builtins() {
  static const Registry registry = [] {
    Registry r;
    register_string_builtins(r);
    register_list_builtins(r);
    register_kubernetes_builtins(r);
    return r;
  }();
  return registry;
}

Value call_builtin(const Builtin& builtin, Value* args) {
  for (size_t i = 0; i < builtin.params.size(); ++i) {
    const StaticType expected = builtin.params[i];
    if (args[i].is_null()) {
      if (expected == StaticType::String) args[i] = Value::string("");
      else if (expected == StaticType::List) args[i] = Value::list({});
      else if (expected == StaticType::Map) args[i] = Value::map({});
      continue;
    }
    if (!accepts(expected, args[i].type())) {
      throw EvalError(fmt::format("argument {} of '{}' must be {}, got {} ({})", i + 1, builtin.name,
                                  a_type(expected), type_name(args[i].type()), args[i].to_display()),
                      args[i].document_node());
    }
  }
  return builtin.fn(args);
}

}  // namespace pol::runtime
