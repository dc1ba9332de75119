// SPDX-License-Identifier: Apache-2.0
#include "lang/ast_text.hpp"

#include <fmt/format.h>

namespace pol::lang {

namespace {

class Writer {
 public:
  std::string out;

  void expr(const Expr* e) {
    if (e == nullptr) {
      out += "_";
      return;
    }
    out += fmt::format("({} {} {} {} {:?} {:?} {} {} {} {} {:?} {} {} [", static_cast<int>(e->kind), e->bool_value,
                       e->int_value, e->float_value, e->name, e->variable, static_cast<int>(e->unary_op),
                       static_cast<int>(e->binary_op), static_cast<int>(e->quantifier), e->has_filter,
                       fmt::join(e->keys, ","), e->flatten, e->parts.size());
    for (const TemplatePart& part : e->parts) {
      out += fmt::format("{:?}", part.text);
      expr(part.expr.get());
    }
    out += "]";
    for (const ExprPtr& operand : e->operands) expr(operand.get());
    out += ")";
  }

  void let(const LetStmt& l) {
    out += fmt::format("let {} ", l.name);
    expr(l.value.get());
    out += "\n";
  }

  void names(const std::vector<std::pair<std::string, Span>>& list) {
    for (const auto& [name, span] : list) out += name + ",";
  }

  void statements(const std::vector<MutationStmt>& body) {
    out += "{";
    for (const MutationStmt& s : body) {
      out += fmt::format("{} {} ", static_cast<int>(s.kind), s.name);
      expr(s.target.get());
      expr(s.value.get());
      for (const ExprPtr& arg : s.args) expr(arg.get());
      statements(s.body);
      statements(s.else_body);
      out += "\n";
    }
    out += "}";
  }
};

}  // namespace

std::string ast_text(const Module& module) {
  Writer w;
  w.out += fmt::format("policy {:?}\n", module.policy_name.value_or(""));
  for (const ImportDecl& i : module.imports) w.out += fmt::format("import {:?}\n", i.path);
  for (const ConstDecl& c : module.consts) {
    w.out += "const " + c.name + " ";
    w.expr(c.value.get());
    w.out += "\n";
  }
  for (const ParamDecl& p : module.params) {
    w.out += fmt::format("param {} {} ", p.name, fmt::join(p.type, " "));
    w.expr(p.default_value.get());
    w.out += "\n";
  }
  for (const FnDecl& f : module.functions) {
    w.out += "fn " + f.name + "(";
    w.names(f.params);
    w.out += ")\n";
    for (const LetStmt& l : f.lets) w.let(l);
    w.expr(f.result.get());
    w.out += "\n";
  }
  for (const CheckDecl& c : module.checks) {
    w.out += fmt::format("check {} {} ", c.id, c.level.value_or("-"));
    if (c.since) w.out += fmt::format("since {}.{} ", c.since->major, c.since->minor);
    if (c.until) w.out += fmt::format("until {}.{} ", c.until->major, c.until->minor);
    for (const auto& [id, span] : c.replaces) w.out += "replaces " + id + " ";
    w.out += "\n";
    for (const CheckStmt& s : c.body) {
      if (s.let) w.let(*s.let);
      if (s.rule) {
        w.out += fmt::format("rule {} ", static_cast<int>(s.rule->kind));
        for (const ExprPtr* part : {&s.rule->condition, &s.rule->reason, &s.rule->detail, &s.rule->location}) {
          w.expr(part->get());
        }
        w.out += "\n";
      }
    }
  }
  for (const MutationDecl& m : module.mutations) {
    w.out += "mutation " + m.name + "(";
    w.names(m.params);
    w.out += ")";
    w.statements(m.body);
    w.out += "\n";
  }
  for (const ApplyDecl& a : module.applies) {
    w.out += "apply " + a.name + " ";
    for (const ExprPtr& arg : a.args) w.expr(arg.get());
    w.expr(a.condition.get());
    w.out += "\n";
  }
  for (const GrantDecl& g : module.grants) {
    w.out += fmt::format("grant {:?} {} ", g.name, g.row);
    for (const ExprPtr* part : {&g.rows, &g.name_expr, &g.when, &g.owner, &g.why, &g.expires}) w.expr(part->get());
    w.statements(g.body);
    w.out += "\n";
  }
  return w.out;
}

}  // namespace pol::lang
