// SPDX-License-Identifier: Apache-2.0
// Mutations and `apply` declarations: names resolved, targets checked to be document paths.
#include <algorithm>
#include <fmt/format.h>

#include "lang/checker_impl.hpp"
#include "runtime/interpreter.hpp"

namespace pol::lang {

const runtime::Mutation* Checker::find_mutation(const std::string& name, Span span, size_t arguments) {
  const auto it = mutations_.find(name);
  if (it == mutations_.end()) {
    std::vector<std::string> names;
    for (const auto& [known, info] : mutations_) names.push_back(known);
    error(span, fmt::format("unknown mutation '{}'", name), suggest(name, names));
    return nullptr;
  }
  if (arguments != it->second.mutation->param_count) {
    error(span, fmt::format("mutation '{}' takes {} argument{}, {} given", name, it->second.mutation->param_count,
                            it->second.mutation->param_count == 1 ? "" : "s", arguments));
  }
  return it->second.mutation;
}

// A target is a path: a name (spec, metadata, object or a local) followed by `.field` and
// `[index]`, checked against the schema as a read of it is; `typed` is the field's type.
bool Checker::lower_target(const Expr& target, runtime::MutationStatement& statement, Typed& typed) {
  const Expr* e = &target;
  std::vector<const Expr*> chain;
  while (e->kind == ExprKind::Member || e->kind == ExprKind::Index) {
    chain.push_back(e);
    e = e->operands[0].get();
  }
  if (e->kind != ExprKind::Name || chain.empty()) {
    error(target.span, "a mutation changes a document field: write a path such as spec.securityContext.fsGroup");
    return false;
  }
  if (e->name != "spec" && e->name != "metadata" && e->name != "object" &&
      std::find(document_globals().begin(), document_globals().end(), e->name) != document_globals().end()) {
    error(e->span, fmt::format("'{}' is not part of the document; use spec, metadata, object or an 'each' variable",
                               e->name));
    return false;
  }
  typed = lower(*e);
  statement.base = typed.expr;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if ((*it)->kind == ExprKind::Member) {
      statement.steps.push_back({(*it)->name, nullptr});
      typed = with_shape({}, field_shape(typed, (*it)->operands[0]->span, (*it)->name, (*it)->name_span), (*it)->name);
    } else {
      const Typed key = lower(*(*it)->operands[1]);
      statement.steps.push_back({"", key.expr});
      typed = with_shape({}, index_shape(typed, key), typed.field);
    }
  }
  return true;
}

std::vector<runtime::MutationStatement> Checker::lower_statements(const std::vector<MutationStmt>& statements) {
  std::vector<runtime::MutationStatement> out;
  for (const MutationStmt& s : statements) {
    runtime::MutationStatement statement;
    statement.kind = s.kind;
    statement.span = s.span;
    statement.source = module_->source.get();
    switch (s.kind) {
      case MutationKind::Let: {
        const Typed value = lower(*s.value);
        statement.value = value.expr;
        statement.slot = bind(s.name, s.name_span, value.value_type());
        break;
      }
      case MutationKind::Default:
      case MutationKind::Set:
      case MutationKind::Add: {
        const Typed value = lower(*s.value);
        statement.value = value.expr;
        Typed target;
        if (!lower_target(*s.target, statement, target)) continue;
        check_assignment(target.shape, target.field, s.kind == MutationKind::Add, *s.value, value);
        break;
      }
      case MutationKind::Remove: {
        Typed target;
        if (!lower_target(*s.target, statement, target)) continue;
        break;
      }
      case MutationKind::If: {
        const Typed condition = lower(*s.value);
        expect_condition(*s.value, condition.type, "the condition of 'if'");
        statement.value = condition.expr;
        frame_->scopes.emplace_back();
        statement.body = lower_statements(s.body);
        frame_->scopes.back().clear();
        statement.else_body = lower_statements(s.else_body);
        frame_->scopes.pop_back();
        break;
      }
      case MutationKind::Each: {
        const Typed list = lower(*s.value);
        statement.value = list.expr;
        frame_->scopes.emplace_back();
        statement.slot = bind(s.name, s.name_span, with_shape({}, element_shape(list)).value_type());
        statement.body = lower_statements(s.body);
        frame_->scopes.pop_back();
        break;
      }
      case MutationKind::Apply: {
        statement.mutation = find_mutation(s.name, s.name_span, s.args.size());
        std::vector<Typed> args;
        for (const ExprPtr& arg : s.args) args.push_back(lower(*arg));
        for (const Typed& arg : args) statement.args.push_back(arg.expr);
        if (statement.mutation && args.size() == statement.mutation->param_count) {
          specialize(mutations_.at(s.name), args, s.name_span);
        }
        break;
      }
    }
    out.push_back(std::move(statement));
  }
  return out;
}

void Checker::specialize(const MutationInfo& info, const std::vector<Typed>& args, Span call) {
  ValueType* result = nullptr;
  if (!begin_specialization(info.decl, args, call, result)) return;
  const Module* saved_module = module_;
  Frame* saved_frame = frame_;
  module_ = info.module;
  Frame frame;
  frame.scopes.emplace_back();
  frame_ = &frame;
  for (size_t i = 0; i < args.size(); ++i) bind(info.decl->params[i].first, info.decl->params[i].second, args[i].value_type());
  lower_statements(info.decl->body);
  module_ = saved_module;
  frame_ = saved_frame;
  end_specialization();
}

void Checker::lower_mutation(MutationInfo& info) {
  module_ = info.module;
  Frame frame;
  frame.scopes.emplace_back();
  frame_ = &frame;
  for (const auto& [name, span] : info.decl->params) bind(name, span);
  info.mutation->body = lower_statements(info.decl->body);
  info.mutation->slot_count = frame.slot_count;
  frame_ = nullptr;
}

void Checker::lower_apply(const Module& module, const ApplyDecl& decl) {
  module_ = &module;
  Frame frame;
  frame.scopes.emplace_back();
  frame_ = &frame;
  runtime::Apply apply;
  apply.mutation = find_mutation(decl.name, decl.name_span, decl.args.size());
  std::vector<Typed> args;
  for (const ExprPtr& arg : decl.args) args.push_back(lower(*arg));
  for (const Typed& arg : args) apply.args.push_back(arg.expr);
  if (apply.mutation && args.size() == apply.mutation->param_count) specialize(mutations_.at(decl.name), args, decl.name_span);
  if (decl.condition) {
    const Typed condition = lower(*decl.condition);
    expect_condition(*decl.condition, condition.type, "the condition of 'apply'");
    apply.condition = condition.expr;
  }
  apply.slot_count = frame.slot_count;
  frame_ = nullptr;
  if (apply.mutation) program_->applies.push_back(std::move(apply));
}

void Checker::lower_grant(const Module& module, const GrantDecl& decl) {
  module_ = &module;
  // `grant each row in TABLE`: the table is a constant; each row becomes a grant of its own.
  std::vector<std::optional<runtime::Value>> rows{std::nullopt};
  if (decl.rows) {
    const Folded table = fold(*decl.rows);
    if (!table.lowered) return;
    const runtime::Value& value = table.value;
    if (!table.failure.empty() || value.type() != runtime::Type::List) {
      error(decl.rows->span, table.failure.empty() ? "the rows of a grant must be a constant list" : table.failure);
      return;
    }
    if (!decl.name_expr) error(decl.name_span, "a grant over rows needs a 'name' item to tell the rows apart");
    rows.clear();
    for (size_t i = 0; i < value.size(); ++i) rows.push_back(value.at(i));
  }
  Frame frame;
  frame.scopes.emplace_back();
  frame_ = &frame;
  if (decl.rows) bind(decl.row, decl.name_span);
  runtime::Grant grant;
  grant.name = decl.name;
  if (decl.name_expr) grant.name_expr = lower(*decl.name_expr).expr;
  if (decl.when) {
    const Typed when = lower(*decl.when);
    expect_condition(*decl.when, when.type, "a grant's 'when'");
    grant.when = when.expr;
  }
  if (decl.owner) grant.owner = lower(*decl.owner).expr;
  if (decl.why) grant.why = lower(*decl.why).expr;
  if (decl.expires) grant.expires = lower(*decl.expires).expr;
  grant.slot_count = frame.slot_count;
  // The statements are a mutation of their own; the row, if any, is its one parameter.
  Frame body;
  body.scopes.emplace_back();
  frame_ = &body;
  if (decl.rows) bind(decl.row, decl.name_span);
  runtime::Mutation* allow = program_->new_mutation();
  allow->name = decl.rows ? "grant" : "grant \"" + decl.name + "\"";
  allow->param_count = decl.rows ? 1 : 0;
  allow->body = lower_statements(decl.body);
  allow->slot_count = body.slot_count;
  grant.allow = allow;
  frame_ = nullptr;
  for (const std::optional<runtime::Value>& row : rows) {
    grant.row = row;
    program_->grants.push_back(grant);
  }
}

}  // namespace pol::lang
