// SPDX-License-Identifier: Apache-2.0
// Expressions: name resolution, static types where they are known, and lowering to runtime::Expr.
#include <fmt/format.h>
#include <map>

#include "lang/checker_impl.hpp"

namespace pol::lang {

namespace {

using runtime::Global;
using runtime::Op;

struct GlobalInfo {
  const char* name;
  Global global;
  StaticType type;
  const schema::Shape& (*shape)();  // its shape in the Kubernetes schema, if it is a document value
};

constexpr GlobalInfo globals[] = {
    {"object", Global::Object, StaticType::Any, schema::any_object},
    {"metadata", Global::Metadata, StaticType::Any, schema::object_meta},
    {"spec", Global::Spec, StaticType::Any, schema::pod_spec},
    {"all_containers", Global::AllContainers, StaticType::List, schema::any_container},
    {"version", Global::Version, StaticType::Version, nullptr},
    {"level", Global::Level, StaticType::String, nullptr},
    {"request", Global::Request, StaticType::Any, schema::admission_request},
    {"old_object", Global::OldObject, StaticType::Any, schema::any_object},
    {"namespace_object", Global::NamespaceObject, StaticType::Any, schema::any_object},
    {"namespace", Global::Namespace, StaticType::String, nullptr},
};

bool numeric(StaticType t) { return t == StaticType::Int || t == StaticType::Float || t == StaticType::Number; }
bool known(StaticType t) { return t != StaticType::Any; }

}  // namespace

runtime::Expr* Checker::node(runtime::Op op, const Expr& e) {
  runtime::Expr* out = program_->new_expr();
  out->op = op;
  out->span = e.span;
  out->source = module_->source.get();
  return out;
}

void Checker::expect_condition(const Expr& e, StaticType type, const char* what) {
  if (known(type) && type != StaticType::Bool && type != StaticType::Null) {
    error(e.span, fmt::format("{} must be a bool, got {}", what, a_type(type)));
  }
}

Typed Checker::lower(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Null: return {node(Op::Constant, e), StaticType::Null};
    case ExprKind::Bool: {
      runtime::Expr* out = node(Op::Constant, e);
      out->constant = runtime::Value::boolean(e.bool_value);
      return {out, StaticType::Bool};
    }
    case ExprKind::Int: {
      runtime::Expr* out = node(Op::Constant, e);
      out->constant = runtime::Value::integer(e.int_value);
      return {out, StaticType::Int};
    }
    case ExprKind::Float: {
      runtime::Expr* out = node(Op::Constant, e);
      out->constant = runtime::Value::number(e.float_value);
      return {out, StaticType::Float};
    }
    case ExprKind::Version: {
      runtime::Expr* out = node(Op::Constant, e);
      out->constant = runtime::Value::version(
          Version{static_cast<int>(e.int_value >> 32), static_cast<int>(e.int_value & 0xFFFFFFFF)});
      return {out, StaticType::Version};
    }
    case ExprKind::String: {
      if (e.parts.size() == 1 && !e.parts[0].expr) {
        runtime::Expr* out = node(Op::Constant, e);
        out->constant = runtime::Value::string(e.parts[0].text);
        return {out, StaticType::String};
      }
      runtime::Expr* out = node(Op::Template, e);
      for (const TemplatePart& part : e.parts) {
        if (part.expr) {
          out->args.push_back(lower(*part.expr).expr);
        } else {
          runtime::Expr* text = node(Op::Constant, e);
          text->constant = runtime::Value::string(part.text);
          out->args.push_back(text);
        }
      }
      return {out, StaticType::String};
    }
    case ExprKind::List: {
      runtime::Expr* out = node(Op::MakeList, e);
      for (const ExprPtr& item : e.operands) out->args.push_back(lower(*item).expr);
      return {out, StaticType::List};
    }
    case ExprKind::Map: {
      runtime::Expr* out = node(Op::MakeMap, e);
      for (size_t i = 0; i < e.operands.size(); ++i) {
        for (size_t k = 0; k < i; ++k) {
          if (e.keys[k] == e.keys[i]) error(e.operands[i]->span, fmt::format("duplicate key '{}' in a map", e.keys[i]));
        }
        out->args.push_back(lower(*e.operands[i]).expr);
        out->keys.push_back(e.keys[i]);
      }
      return {out, StaticType::Map};
    }
    case ExprKind::Name: return lower_name(e);
    case ExprKind::Member: return lower_member(e);
    case ExprKind::Index: return lower_index(e);
    case ExprKind::Call: return lower_call(e);
    case ExprKind::Quantifier:
    case ExprKind::Comprehension: return lower_binder(e);
    case ExprKind::Unary: {
      const Typed operand = lower(*e.operands[0]);
      if (e.unary_op == UnaryOp::Not) {
        expect_condition(*e.operands[0], operand.type, "the operand of 'not'");
        runtime::Expr* out = node(Op::Not, e);
        out->args.push_back(operand.expr);
        return {out, StaticType::Bool};
      }
      if (known(operand.type) && !numeric(operand.type)) {
        error(e.span, fmt::format("cannot negate {}", a_type(operand.type)));
      }
      runtime::Expr* out = node(Op::Negate, e);
      out->args.push_back(operand.expr);
      return {out, operand.type};
    }
    case ExprKind::Binary: return lower_binary(e);
    case ExprKind::Conditional: {
      const Typed condition = lower(*e.operands[0]);
      expect_condition(*e.operands[0], condition.type, "the condition of 'if'");
      const Typed then = lower(*e.operands[1]);
      const Typed otherwise = lower(*e.operands[2]);
      runtime::Expr* out = node(Op::Conditional, e);
      out->args = {condition.expr, then.expr, otherwise.expr};
      const schema::Shape* shape = common_shape(then, otherwise);
      return with_shape({out, then.type == otherwise.type ? then.type : StaticType::Any}, shape,
                        shape == then.shape ? then.field : otherwise.field);
    }
  }
  error(e.span, "internal error: unknown expression");
  return {node(Op::Constant, e), StaticType::Any};
}

void Checker::record(SymbolKind kind, const Expr& e, Span span, const Module* defined_in, Span definition,
                     const schema::Shape* shape, const schema::Shape* object) {
  if (!symbols_) return;
  symbols_->uses.push_back({kind, e.name, module_ ? module_->source : nullptr, span, defined_in ? defined_in->source : nullptr, definition,
                            shape, object});
}

Typed Checker::lower_member(const Expr& e) {
  const Typed target = lower(*e.operands[0]);
  if (known(target.type) && target.type != StaticType::Map && target.type != StaticType::Null) {
    std::vector<std::string> notes;
    if (target.type == StaticType::List) {
      notes.push_back(fmt::format("to read '{}' of every item, use [item.{} for item in ...]", e.name, e.name));
    }
    error(e.name_span, fmt::format("cannot read field '{}' of {}", e.name, a_type(target.type)), notes);
  }
  const schema::Shape* shape = field_shape(target, e.operands[0]->span, e.name, e.name_span);
  record(SymbolKind::Field, e, e.name_span, nullptr, {}, shape, target.shape);
  if (target.expr->op == Op::Member) {
    // A path: one expression reads all its fields, without a value for each step.
    runtime::Expr* path = const_cast<runtime::Expr*>(target.expr);  // lowered just now, for this use only
    path->keys.push_back(e.name);
    path->span = e.span;
    return with_shape({path, StaticType::Any}, shape, e.name);
  }
  runtime::Expr* out = node(Op::Member, e);
  out->keys.push_back(e.name);
  out->args.push_back(target.expr);
  return with_shape({out, StaticType::Any}, shape, e.name);
}

Typed Checker::lower_index(const Expr& e) {
  const Typed target = lower(*e.operands[0]);
  const Typed key = lower(*e.operands[1]);
  if (target.type == StaticType::List && known(key.type) && key.type != StaticType::Int) {
    error(e.operands[1]->span, fmt::format("a list index must be an int, got {}", a_type(key.type)));
  } else if (target.type == StaticType::Map && known(key.type) && key.type != StaticType::String) {
    error(e.operands[1]->span, fmt::format("a map key must be a string, got {}", a_type(key.type)));
  } else if (known(target.type) && target.type != StaticType::List && target.type != StaticType::Map &&
             target.type != StaticType::Null) {
    error(e.operands[0]->span, fmt::format("cannot index {}", a_type(target.type)));
  }
  runtime::Expr* out = node(Op::Index, e);
  out->args = {target.expr, key.expr};
  const bool named = key.expr->op == Op::Constant && key.expr->constant.type() == runtime::Type::String;
  return with_shape({out, StaticType::Any}, index_shape(target, key),
                    named ? std::string(key.expr->constant.as_string()) : target.field);
}

Typed Checker::lower_name(const Expr& e) {
  if (frame_) {
    for (auto scope = frame_->scopes.rbegin(); scope != frame_->scopes.rend(); ++scope) {
      for (auto it = scope->rbegin(); it != scope->rend(); ++it) {
        if (it->first == e.name) {
          const uint32_t slot = it->second;
          const bool lazy = slot < frame_->lazy.size() && frame_->lazy[slot];
          runtime::Expr* out = node(lazy ? Op::LazyLocal : Op::Local, e);
          out->slot = slot;
          if (lazy) out->args.push_back(frame_->lazy[slot]);
          const ValueType type = slot < frame_->types.size() ? frame_->types[slot] : ValueType{};
          record(SymbolKind::Local, e, e.span, module_, frame_->spans[slot], type.shape);
          return {out, type.type, type.shape};
        }
      }
    }
  }
  if (const ConstInfo* info = resolve_const(e.name, e.span)) {
    if (info->param) record(SymbolKind::Parameter, e, e.span, info->module, info->param->name_span);
    else record(SymbolKind::Constant, e, e.span, info->module, info->decl->name_span);
    runtime::Expr* out = node(Op::Constant, e);
    out->constant = info->value;
    return {out, info->type};
  }
  if (e.name == "exceptions") {
    runtime::Expr* out = node(Op::Constant, e);
    out->constant = exceptions_;
    return {out, StaticType::List};
  }
  if (e.name == "latest") {
    runtime::Expr* out = node(Op::Constant, e);
    out->constant = runtime::Value::version(Version{1, Version::latest_minor});
    return {out, StaticType::Version};
  }
  for (const GlobalInfo& g : globals) {
    if (e.name != g.name) continue;
    if (frame_ && frame_->in_constant) {
      error(e.span, fmt::format("a constant cannot read the document ('{}')", e.name));
    }
    runtime::Expr* out = node(Op::Global, e);
    out->global = g.global;
    if (!g.shape) {
      record(SymbolKind::Global, e, e.span);
      return {out, g.type};
    }
    const schema::Shape* shape = g.global == Global::AllContainers ? list_of(&g.shape()) : &g.shape();
    record(SymbolKind::Global, e, e.span, nullptr, {}, shape);
    return with_shape({out, g.type}, shape);
  }
  std::vector<std::string> notes = suggest(e.name, visible_names());
  if (functions_.count(e.name) || runtime::builtins().find(e.name)) {
    notes = {fmt::format("'{}' is a function: call it with '{}(...)'", e.name, e.name)};
  }
  error(e.span, fmt::format("unknown name '{}'", e.name), notes);
  return {node(Op::Constant, e), StaticType::Any};
}

Typed Checker::lower_call(const Expr& e) {
  std::vector<Typed> args;
  for (const ExprPtr& arg : e.operands) args.push_back(lower(*arg));
  // trace(x) is x, shown to the author with its position (pol test, pol explain): not a builtin,
  // so that nothing folds it away.
  if (e.name == "trace" && !functions_.count(e.name)) {
    if (args.size() != 1) {
      error(e.name_span, fmt::format("function 'trace' takes 1 argument, got {}", args.size()));
      return {node(Op::Constant, e), StaticType::Any};
    }
    runtime::Expr* out = node(Op::Trace, e);
    out->args.push_back(args[0].expr);
    return {out, args[0].type, args[0].shape};
  }
  if (const auto it = functions_.find(e.name); it != functions_.end()) {
    record(SymbolKind::Function, e, e.name_span, it->second.module, it->second.decl->name_span);
    const runtime::Function& fn = *it->second.function;
    if (args.size() != fn.param_count) {
      error(e.name_span, fmt::format("function '{}' takes {} argument{}, got {}", e.name, fn.param_count,
                                     fn.param_count == 1 ? "" : "s", args.size()));
    }
    runtime::Expr* out = node(Op::CallFunction, e);
    out->function = &fn;
    for (const Typed& arg : args) out->args.push_back(arg.expr);
    const ValueType result = args.size() == fn.param_count ? specialize(it->second, args, e) : ValueType{};
    return {out, result.type, result.shape};
  }
  const runtime::Builtin* builtin = runtime::builtins().find(e.name);
  if (builtin) record(SymbolKind::Builtin, e, e.name_span);
  if (!builtin) {
    std::vector<std::string> candidates;
    for (const runtime::Builtin& b : runtime::builtins().all()) candidates.push_back(b.name);
    for (const auto& [name, info] : functions_) candidates.push_back(name);
    // Names other languages use for pol's builtins.
    static const std::map<std::string, std::string> other_names{
        {"length", "len"}, {"size", "len"}, {"count_of", "count"}, {"to_lower", "lower"}, {"toLower", "lower"},
        {"toUpper", "upper"}, {"to_upper", "upper"}, {"has_prefix", "startsWith"}, {"has_suffix", "endsWith"},
        {"str", "string"}, {"regex", "matches"}};
    const auto other = other_names.find(e.name);
    error(e.name_span, fmt::format("unknown function '{}'", e.name),
          other != other_names.end() ? std::vector<std::string>{fmt::format("did you mean '{}'?", other->second)}
                                     : suggest(e.name, candidates));
    return {node(Op::Constant, e), StaticType::Any};
  }
  if (args.size() != builtin->params.size()) {
    error(e.name_span, fmt::format("function '{}' takes {} argument{}, got {}", e.name, builtin->params.size(),
                                   builtin->params.size() == 1 ? "" : "s", args.size()));
  } else {
    for (size_t i = 0; i < args.size(); ++i) {
      const StaticType expected = builtin->params[i];
      if (args[i].type == StaticType::Null || runtime::compatible(expected, args[i].type)) continue;
      error(e.operands[i]->span, fmt::format("argument {} of '{}' must be {}, got {}", i + 1, e.name,
                                             a_type(expected), a_type(args[i].type)));
    }
  }
  runtime::Expr* out = node(Op::CallBuiltin, e);
  out->builtin = builtin;
  for (const Typed& arg : args) out->args.push_back(arg.expr);
  return {out, builtin->result};
}

Typed Checker::lower_binder(const Expr& e) {
  const bool comprehension = e.kind == ExprKind::Comprehension;
  const Expr& source_expr = comprehension ? *e.operands[1] : *e.operands[0];
  const Typed source = lower(source_expr);
  if (known(source.type) && source.type != StaticType::List && source.type != StaticType::Map &&
      source.type != StaticType::Null) {
    error(source_expr.span, fmt::format("cannot iterate over {}", a_type(source.type)));
  }
  frame_->scopes.emplace_back();
  // Over a list, the variable is an item; over a map, a key.
  const ValueType variable = source.type == StaticType::Map ? ValueType{StaticType::String, nullptr}
                                                            : with_shape({}, element_shape(source)).value_type();
  const uint32_t slot = bind(e.variable, e.variable_span, variable);
  runtime::Expr* out = node(comprehension ? Op::Comprehension : Op::Quantifier, e);
  out->slot = slot;
  StaticType type = StaticType::List;
  const schema::Shape* shape = nullptr;
  if (comprehension) {
    const Typed element = lower(*e.operands[0]);
    shape = e.flatten ? element.shape : list_of(element.shape);
    out->args = {element.expr, source.expr};
    out->flatten = e.flatten;
    if (e.has_filter) {
      const Typed filter = lower(*e.operands[2]);
      expect_condition(*e.operands[2], filter.type, "the filter after 'if'");
      out->args.push_back(filter.expr);
      out->has_filter = true;
    }
  } else {
    const Typed body = lower(*e.operands[1]);
    expect_condition(*e.operands[1], body.type, fmt::format("the condition of '{}'", e.name).c_str());
    out->args = {source.expr, body.expr};
    out->quantifier = e.quantifier;
    type = e.quantifier == QuantifierKind::Count ? StaticType::Int : StaticType::Bool;
  }
  frame_->scopes.pop_back();
  return with_shape({out, type}, shape);
}

Typed Checker::lower_binary(const Expr& e) {
  const Typed left = lower(*e.operands[0]);
  const Typed right = lower(*e.operands[1]);
  const BinaryOp op = e.binary_op;
  const StaticType l = left.type, r = right.type;
  const bool both_known = known(l) && known(r) && l != StaticType::Null && r != StaticType::Null;
  StaticType result = StaticType::Any;
  const schema::Shape* shape = nullptr;
  Op lowered = Op::Binary;
  switch (op) {
    case BinaryOp::And:
    case BinaryOp::Or:
      expect_condition(*e.operands[0], l, fmt::format("the left operand of '{}'", symbol(op)).c_str());
      expect_condition(*e.operands[1], r, fmt::format("the right operand of '{}'", symbol(op)).c_str());
      lowered = op == BinaryOp::And ? Op::And : Op::Or;
      result = StaticType::Bool;
      break;
    case BinaryOp::Coalesce:
      lowered = Op::Coalesce;
      result = l == r ? l : StaticType::Any;
      shape = common_shape(left, right);
      break;
    case BinaryOp::Eq:
    case BinaryOp::Ne:
      if (both_known && !runtime::compatible(l, r)) {
        std::string message = fmt::format("comparing {} with {} is always {}", a_type(l), a_type(r),
                                          op == BinaryOp::Eq ? "false" : "true");
        if (const Typed& field = left.shape ? left : right; field.shape) {
          schema_error(e.span, std::move(message),
                       {fmt::format("'{}' is {} in the Kubernetes schema", field.field, schema::noun(*field.shape))});
        } else {
          error(e.span, std::move(message));
        }
      } else {
        check_values(left, *e.operands[1], right);
        check_values(right, *e.operands[0], left);
      }
      result = StaticType::Bool;
      break;
    case BinaryOp::Lt:
    case BinaryOp::Le:
    case BinaryOp::Gt:
    case BinaryOp::Ge:
      if (both_known && !(numeric(l) && numeric(r)) && !(l == r && (l == StaticType::String || l == StaticType::Version))) {
        error(e.span, fmt::format("cannot compare {} with {} using '{}'", a_type(l), a_type(r), symbol(op)));
      }
      result = StaticType::Bool;
      break;
    case BinaryOp::In:
    case BinaryOp::NotIn:
      if (known(r) && r != StaticType::List && r != StaticType::Map && r != StaticType::String && r != StaticType::Null) {
        error(e.operands[1]->span, fmt::format("'{}' needs a list, map or string on the right, got {}", symbol(op), a_type(r)));
      }
      if (r == StaticType::List) check_values(left, *e.operands[1], right);
      result = StaticType::Bool;
      break;
    case BinaryOp::Add:
      if (both_known && !(numeric(l) && numeric(r)) && !(l == r && (l == StaticType::String || l == StaticType::List))) {
        error(e.span, fmt::format("cannot apply '+' to {} and {}", a_type(l), a_type(r)));
      }
      result = l == r ? l : (numeric(l) && numeric(r) ? StaticType::Number : StaticType::Any);
      if (l == StaticType::List) shape = common_shape(left, right);
      break;
    default:
      if ((known(l) && l != StaticType::Null && !numeric(l)) || (known(r) && r != StaticType::Null && !numeric(r))) {
        error(e.span, fmt::format("cannot apply '{}' to {} and {}", symbol(op), a_type(l), a_type(r)));
      }
      result = l == r ? l : StaticType::Number;
      break;
  }
  runtime::Expr* out = node(lowered, e);
  out->binary = op;
  out->args = {left.expr, right.expr};
  return with_shape({out, result}, shape, shape == left.shape ? left.field : right.field);
}

}  // namespace pol::lang
