// SPDX-License-Identifier: Apache-2.0
// Parameters: `param NAME: TYPE = DEFAULT` declarations are constants whose value the run gives
// (`--params FILE`, Options::params, a suite's `params:`). The value is checked against TYPE;
// an error in it is located in the parameters file, a missing one at the declaration.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "lang/checker_impl.hpp"

namespace pol::lang {

namespace {

using runtime::Type;
using runtime::Value;

constexpr std::array<std::string_view, 8> type_names{"string", "int", "float", "number", "bool", "list", "map", "any"};

// "a list of strings": the declared type, for messages.
std::string describe(const std::vector<std::string>& type, size_t from = 0, bool plural = false) {
  const std::string& name = type[from];
  if ((name == "list" || name == "map") && from + 1 < type.size()) {
    return fmt::format("{}{} of {}", plural ? "" : "a ", plural ? name + "s" : name, describe(type, from + 1, true));
  }
  if (name == "any") return plural ? "values" : "any value";
  if (name == "int") return plural ? "ints" : "an int";
  return plural ? name + "s" : "a " + name;
}

StaticType static_type(const std::string& name) {
  if (name == "string") return StaticType::String;
  if (name == "int") return StaticType::Int;
  if (name == "float") return StaticType::Float;
  if (name == "number") return StaticType::Number;
  if (name == "bool") return StaticType::Bool;
  if (name == "list") return StaticType::List;
  if (name == "map") return StaticType::Map;
  return StaticType::Any;
}

// Whether `value` is of `type` (from `type[from]` on); if not, `culprit` is the value that is not.
bool of_type(const std::vector<std::string>& type, size_t from, const Value& value, Value& culprit) {
  const std::string& name = type[from];
  const Type t = value.type();
  bool ok = name == "any" || (name == "string" && t == Type::String) || (name == "int" && t == Type::Int) ||
            ((name == "float" || name == "number") && (t == Type::Int || t == Type::Float)) ||
            (name == "bool" && t == Type::Bool) || (name == "list" && t == Type::List) || (name == "map" && t == Type::Map);
  if (!ok) {
    culprit = value;
    return false;
  }
  if (from + 1 >= type.size()) return true;
  for (size_t i = 0; i < value.size(); ++i) {
    if (!of_type(type, from + 1, t == Type::List ? value.at(i) : value.value_at(i), culprit)) return false;
  }
  return true;
}

}  // namespace

void Checker::declare_param(const ParamDecl& param, const Module& module) {
  if (!declare_name(param.name, module, param.name_span, "parameter")) return;
  for (size_t i = 0; i < param.type.size(); ++i) {
    const std::string& name = param.type[i];
    const bool known = std::find(type_names.begin(), type_names.end(), name) != type_names.end();
    const bool container = name == "list" || name == "map";
    if (!known || (i + 1 < param.type.size() && !container)) {
      error(param.type_span, known ? fmt::format("'{}' has no element type ('of' follows list or map only)", name)
                                   : fmt::format("unknown type '{}'", name),
            {"the types are string, int, float, number, bool, list, map, any, list of TYPE and map of TYPE"});
      return;
    }
  }
  ConstInfo& info = consts_[param.name];
  info.param = &param;
  info.module = &module;
}

void Checker::resolve_param(ConstInfo& info) {
  const ParamDecl& param = *info.param;
  info.type = static_type(param.type.front());
  const Value given = params_ && params_->root ? Value::node(params_->root).get(param.name) : Value();
  if (!given.is_null()) {
    Value culprit;
    if (!of_type(param.type, 0, given, culprit)) {
      const runtime::Node* at = culprit.document_node();
      const uint32_t offset = at ? params_->source->offset({at->line, at->column}) : 0;
      diagnostics_.error(params_->source, {offset, offset + 1},
                         fmt::format("parameter '{}' must be {}, got {} ({})", param.name, describe(param.type),
                                     runtime::type_name(culprit.type()), culprit.to_display()),
                         {fmt::format("declared at {}:{}:{}", info.module->source->name(),
                                      info.module->source->location(param.name_span.begin).line,
                                      info.module->source->location(param.name_span.begin).column)});
      info.state = ConstInfo::State::Failed;
      return;
    }
    info.value = given;
    info.state = ConstInfo::State::Done;
    return;
  }
  const Module* saved_module = module_;
  module_ = info.module;
  if (!param.default_value) {
    error(param.name_span, fmt::format("parameter '{}' has no value", param.name),
          {"give it one in the parameters (pol check --params FILE, a suite's params:) or declare a default: "
           "param NAME: TYPE = VALUE"});
    info.state = ConstInfo::State::Failed;
    module_ = saved_module;
    return;
  }
  // The default is a constant expression, folded like a `const`.
  const Folded folded = fold(*param.default_value);
  info.state = ConstInfo::State::Failed;
  if (folded.lowered) {
    info.value = folded.value;
    Value culprit;
    if (!folded.failure.empty()) {
      error(param.default_value->span,
            fmt::format("the default of parameter '{}' cannot be computed: {}", param.name, folded.failure));
    } else if (!of_type(param.type, 0, info.value, culprit)) {
      error(param.default_value->span, fmt::format("the default of parameter '{}' must be {}, got {} ({})", param.name,
                                                   describe(param.type), runtime::type_name(culprit.type()),
                                                   culprit.to_display()));
    } else {
      info.state = ConstInfo::State::Done;
    }
  }
  module_ = saved_module;
}

}  // namespace pol::lang
