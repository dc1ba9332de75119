// SPDX-License-Identifier: Apache-2.0
#include "lang/parser.hpp"

#include <charconv>
#include <tao/pegtl/contrib/parse_tree.hpp>
#include <fmt/format.h>

#include "lang/grammar.hpp"

namespace pol::lang {

namespace pegtl = tao::pegtl;
namespace g = grammar;
namespace {

// A parse-tree node whose memory is recycled on its thread. PEGTL makes a node for every attempt
// at a rule that may hold selected ones (to collect their children) and drops it when the rule
// fails or succeeds: with the general allocator, that was half of compiling the standard library.
struct Node : pegtl::parse_tree::basic_node<Node> {
  static void* operator new(size_t size) {
    if (size != sizeof(Node) || free_blocks().empty()) return ::operator new(size);
    void* block = free_blocks().back();
    free_blocks().pop_back();
    return block;
  }
  static void operator delete(void* block, size_t size) {
    if (size == sizeof(Node) && free_blocks().size() < 1024) {
      try {
        free_blocks().push_back(block);
        return;
      } catch (const std::bad_alloc&) {
      }
    }
    ::operator delete(block);
  }

 private:
  struct FreeBlocks : std::vector<void*> {
    ~FreeBlocks() {
      for (void* block : *this) ::operator delete(block);
    }
  };
  static FreeBlocks& free_blocks() {
    thread_local FreeBlocks blocks;
    return blocks;
  }
};

// clang-format off
template< typename Rule >
using selector = pegtl::parse_tree::selector< Rule,
  pegtl::parse_tree::store_content::on<
    g::float_literal, g::int_literal, g::version_literal, g::string_literal, g::string_chars, g::raw_string, g::raw_chars,
    g::comp_for,
    g::escape, g::interpolation, g::true_literal, g::false_literal, g::null_literal,
    g::paren_expr, g::comprehension, g::comp_var, g::comp_filter, g::list_literal,
    g::map_literal, g::map_entry, g::map_key, g::member_name, g::quantifier, g::quantifier_name,
    g::binder_var, g::quantifier_body, g::call, g::call_name, g::call_args, g::name_ref,
    g::member, g::index, g::negation, g::op_mul, g::op_add, g::op_coalesce, g::op_compare, g::negated,
    g::conditional, g::cond_then, g::cond_else,
    g::import_decl, g::import_path, g::policy_decl, g::policy_name, g::const_decl, g::decl_name, g::let_stmt, g::let_name,
    g::param_decl, g::param_type, g::param_type_name, g::param_default,
    g::param, g::fn_decl, g::fn_result, g::check_decl, g::check_id, g::level_item,
    g::level_name, g::since_item, g::versions_item, g::versions_from, g::versions_to,
    g::replaces_item, g::replaced_id, g::rule, g::rule_kind, g::rule_condition, g::rule_reason,
    g::rule_detail, g::rule_at, g::mutation_decl, g::mut_params, g::mut_block, g::mut_default, g::mut_set,
    g::mut_remove, g::mut_add, g::mut_if, g::mut_else, g::mut_condition, g::mut_each, g::each_var, g::mut_apply,
    g::mutation_ref, g::apply_args, g::apply_decl, g::apply_condition, g::mut_target, g::mut_value,
    g::grant_decl, g::grant_name, g::grant_when, g::grant_owner, g::grant_why, g::grant_expires, g::grant_block,
    g::grant_each, g::grant_rows, g::grant_named >,
  // The levels of precedence: a level with one operand (most of them, for most operands) is
  // replaced by it, instead of a chain of seven nodes above every name and literal.
  pegtl::parse_tree::fold_one::on<
    g::postfix, g::multiplicative, g::additive, g::coalesce, g::comparison, g::and_expr, g::or_expr > >;
// clang-format on

class Builder {
 public:
  Builder(std::shared_ptr<const Source> source, Diagnostics& diagnostics)
      : source_(std::move(source)), diagnostics_(diagnostics) {}

  Module build(const Node& root) {
    Module module;
    module.source = source_;
    for (const auto& child : root.children) {
      const Node& n = *child;
      if (n.is_type<g::import_decl>()) {
        module.imports.push_back({string_value(*n.children.at(0)), span(n)});
      } else if (n.is_type<g::policy_decl>()) {
        module.policy_name = string_value(*n.children.at(0));
      } else if (n.is_type<g::const_decl>()) {
        module.consts.push_back({n.children.at(0)->string(), span(*n.children[0]), expr(*n.children.at(1))});
      } else if (n.is_type<g::param_decl>()) {
        module.params.push_back(param(n));
      } else if (n.is_type<g::fn_decl>()) {
        module.functions.push_back(function(n));
      } else if (n.is_type<g::check_decl>()) {
        module.checks.push_back(check(n));
      } else if (n.is_type<g::mutation_decl>()) {
        module.mutations.push_back(mutation(n));
      } else if (n.is_type<g::apply_decl>()) {
        module.applies.push_back(apply(n));
      } else if (n.is_type<g::grant_decl>()) {
        module.grants.push_back(grant(n));
      }
    }
    return module;
  }

 private:
  Span span(const Node& n) const {
    const char* base = source_->text().data();
    return {static_cast<uint32_t>(n.m_begin.data - base), static_cast<uint32_t>(n.m_end.data - base)};
  }

  ExprPtr make(ExprKind kind, const Node& n) const { return std::make_unique<Expr>(kind, span(n)); }

  ParamDecl param(const Node& n) {
    ParamDecl decl;
    decl.name = n.children.at(0)->string();
    decl.name_span = span(*n.children[0]);
    const Node* type = n.children.at(1).get();
    decl.type_span = span(*type);
    while (type) {  // `list of map of string`: param_type nodes nest
      decl.type.push_back(type->children.at(0)->string());
      type = type->children.size() > 1 ? type->children[1].get() : nullptr;
    }
    if (n.children.size() > 2) decl.default_value = expr(*n.children[2]->children.at(0));
    return decl;
  }

  // A string literal without interpolations, as its value (import paths, policy names, keys).
  std::string string_value(const Node& n) {
    if (n.is_type<g::map_key>()) return string_value(*n.children.at(0));
    if (n.is_type<g::member_name>()) return n.string();
    ExprPtr e = string_literal(n);
    std::string out;
    for (const TemplatePart& part : e->parts) {
      if (part.expr) {
        diagnostics_.error(source_, part.expr->span, "interpolation is not allowed here");
      } else {
        out += part.text;
      }
    }
    return out;
  }

  static Version version(const Node& n) {
    const std::string_view text = n.string_view().substr(1);  // drop 'v'
    Version v;
    const auto dot = text.find('.');
    std::from_chars(text.data(), text.data() + dot, v.major);
    std::from_chars(text.data() + dot + 1, text.data() + text.size(), v.minor);
    return v;
  }

  LetStmt let(const Node& n) {
    return LetStmt{n.children.at(0)->string(), span(*n.children[0]), expr(*n.children.at(1))};
  }

  FnDecl function(const Node& n) {
    FnDecl fn;
    fn.name = n.children.at(0)->string();
    fn.name_span = span(*n.children[0]);
    for (size_t i = 1; i < n.children.size(); ++i) {
      const Node& c = *n.children[i];
      if (c.is_type<g::param>()) fn.params.emplace_back(c.string(), span(c));
      else if (c.is_type<g::let_stmt>()) fn.lets.push_back(let(c));
      else if (c.is_type<g::fn_result>()) fn.result = expr(c);
    }
    return fn;
  }

  CheckDecl check(const Node& n) {
    CheckDecl check;
    check.id = n.children.at(0)->string();
    check.id_span = span(*n.children[0]);
    for (size_t i = 1; i < n.children.size(); ++i) {
      const Node& item = *n.children[i];
      if (item.is_type<g::level_item>()) {
        if (check.level) diagnostics_.error(source_, span(item), "the check's level is already set");
        check.level = item.children.at(0)->string();
        check.level_span = span(*item.children[0]);
      } else if (item.is_type<g::since_item>() || item.is_type<g::versions_item>()) {
        if (check.since) diagnostics_.error(source_, span(item), "the check's versions are already set");
        check.since = version(*item.children.at(0));
        if (item.is_type<g::versions_item>()) {
          check.until = version(*item.children.at(1));
          if (*check.until < *check.since) {
            diagnostics_.error(source_, span(item), "empty version range: the second version is before the first");
          }
        }
      } else if (item.is_type<g::replaces_item>()) {
        for (const auto& id : item.children) check.replaces.emplace_back(id->string(), span(*id));
      } else if (item.is_type<g::let_stmt>()) {
        check.body.push_back({let(item), std::nullopt});
      } else if (item.is_type<g::rule>()) {
        check.body.push_back({std::nullopt, rule(item)});
      }
    }
    return check;
  }

  Rule rule(const Node& n) {
    Rule rule;
    rule.span = span(n);
    for (const auto& child : n.children) {
      const Node& c = *child;
      if (c.is_type<g::rule_kind>()) rule.kind = c.string_view() == "warn" ? RuleKind::Warn : RuleKind::Deny;
      else if (c.is_type<g::rule_condition>()) rule.condition = expr(c);
      else if (c.is_type<g::rule_reason>()) rule.reason = expr(*c.children.at(0));
      else if (c.is_type<g::rule_detail>()) rule.detail = expr(*c.children.at(0));
      else if (c.is_type<g::rule_at>()) rule.location = expr(*c.children.at(0));
    }
    return rule;
  }

  static BinaryOp binary_op(std::string_view op) {
    if (op == "or") return BinaryOp::Or;
    if (op == "and") return BinaryOp::And;
    if (op == "==") return BinaryOp::Eq;
    if (op == "!=") return BinaryOp::Ne;
    if (op == "<") return BinaryOp::Lt;
    if (op == "<=") return BinaryOp::Le;
    if (op == ">") return BinaryOp::Gt;
    if (op == ">=") return BinaryOp::Ge;
    if (op == "in") return BinaryOp::In;
    if (op == "??") return BinaryOp::Coalesce;
    if (op == "+") return BinaryOp::Add;
    if (op == "-") return BinaryOp::Sub;
    if (op == "*") return BinaryOp::Mul;
    if (op == "/") return BinaryOp::Div;
    if (op == "%") return BinaryOp::Mod;
    return BinaryOp::NotIn;  // "not in", with any spacing between the words
  }

  // A left-folded chain: operand (op operand)*. `and`/`or` chains have no operator nodes.
  ExprPtr chain(const Node& n, std::optional<BinaryOp> fixed_op) {
    ExprPtr left = expr(*n.children.at(0));
    size_t i = 1;
    while (i < n.children.size()) {
      BinaryOp op = fixed_op ? *fixed_op : binary_op(n.children[i++]->string_view());
      ExprPtr right = expr(*n.children.at(i++));
      auto e = std::make_unique<Expr>(ExprKind::Binary, Span{left->span.begin, right->span.end});
      e->binary_op = op;
      e->operands.push_back(std::move(left));
      e->operands.push_back(std::move(right));
      left = std::move(e);
    }
    return left;
  }

  ExprPtr expr(const Node& n) {
    // Wrappers of exactly one expression.
    if (n.is_type<g::paren_expr>() || n.is_type<g::cond_then>() || n.is_type<g::cond_else>() ||
        n.is_type<g::quantifier_body>() || n.is_type<g::rule_condition>() || n.is_type<g::fn_result>() ||
        n.is_type<g::comp_filter>() || n.is_type<g::map_key>()) {
      ExprPtr inner = expr(*n.children.at(0));
      if (n.is_type<g::paren_expr>()) inner->span = span(n);
      return inner;
    }
    if (n.is_type<g::multiplicative>() || n.is_type<g::additive>() || n.is_type<g::coalesce>() ||
        n.is_type<g::comparison>()) {
      return chain(n, std::nullopt);
    }
    if (n.is_type<g::and_expr>()) return chain(n, BinaryOp::And);
    if (n.is_type<g::or_expr>()) return chain(n, BinaryOp::Or);
    if (n.is_type<g::negated>() || n.is_type<g::negation>()) {
      ExprPtr e = make(ExprKind::Unary, n);
      e->unary_op = n.is_type<g::negated>() ? UnaryOp::Not : UnaryOp::Negate;
      e->operands.push_back(expr(*n.children.at(0)));
      return e;
    }
    if (n.is_type<g::conditional>()) {
      ExprPtr e = make(ExprKind::Conditional, n);
      for (const auto& c : n.children) e->operands.push_back(expr(*c));
      return e;
    }
    if (n.is_type<g::postfix>()) {
      ExprPtr e = expr(*n.children.at(0));
      for (size_t i = 1; i < n.children.size(); ++i) {
        const Node& p = *n.children[i];
        ExprPtr outer = std::make_unique<Expr>(p.is_type<g::member>() ? ExprKind::Member : ExprKind::Index,
                                               Span{e->span.begin, span(p).end});
        if (p.is_type<g::member>()) {
          outer->name = p.children.at(0)->string();
          outer->name_span = span(*p.children[0]);
        } else {
          outer->name_span = span(p);
          outer->operands.push_back(nullptr);
          outer->operands.push_back(expr(*p.children.at(0)));
        }
        if (outer->operands.empty()) outer->operands.push_back(nullptr);
        outer->operands[0] = std::move(e);
        e = std::move(outer);
      }
      return e;
    }
    if (n.is_type<g::int_literal>()) {
      ExprPtr e = make(ExprKind::Int, n);
      const std::string_view text = n.string_view();
      const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), e->int_value);
      if (ec != std::errc()) diagnostics_.error(source_, span(n), "integer literal out of range");
      return e;
    }
    if (n.is_type<g::float_literal>()) {
      ExprPtr e = make(ExprKind::Float, n);
      e->float_value = std::stod(n.string());
      return e;
    }
    if (n.is_type<g::version_literal>()) {
      ExprPtr e = make(ExprKind::Version, n);
      const Version v = version(n);
      e->int_value = static_cast<int64_t>(v.major) << 32 | static_cast<uint32_t>(v.minor);
      return e;
    }
    if (n.is_type<g::true_literal>() || n.is_type<g::false_literal>()) {
      ExprPtr e = make(ExprKind::Bool, n);
      e->bool_value = n.is_type<g::true_literal>();
      return e;
    }
    if (n.is_type<g::null_literal>()) return make(ExprKind::Null, n);
    if (n.is_type<g::string_literal>()) return string_literal(n);
    if (n.is_type<g::raw_string>()) {
      ExprPtr e = make(ExprKind::String, n);
      e->parts.push_back({n.children.empty() ? std::string() : n.children[0]->string(), nullptr});
      return e;
    }
    if (n.is_type<g::member_name>()) {  // a bare map key
      ExprPtr e = make(ExprKind::String, n);
      e->parts.push_back({n.string(), nullptr});
      return e;
    }
    if (n.is_type<g::name_ref>()) {
      ExprPtr e = make(ExprKind::Name, n);
      e->name = n.string();
      e->name_span = span(n);
      return e;
    }
    if (n.is_type<g::call>()) {
      ExprPtr e = make(ExprKind::Call, n);
      e->name = n.children.at(0)->string();
      e->name_span = span(*n.children[0]);
      if (n.children.size() > 1) {
        for (const auto& arg : n.children[1]->children) e->operands.push_back(expr(*arg));
      }
      return e;
    }
    if (n.is_type<g::quantifier>()) {
      ExprPtr e = make(ExprKind::Quantifier, n);
      const std::string_view q = n.children.at(0)->string_view();
      e->quantifier = q == "any" ? QuantifierKind::Any : q == "all" ? QuantifierKind::All : QuantifierKind::Count;
      e->name = std::string(q);
      e->variable = n.children.at(1)->string();
      e->variable_span = span(*n.children[1]);
      e->operands.push_back(expr(*n.children.at(2)));
      e->operands.push_back(expr(*n.children.at(3)));
      return e;
    }
    if (n.is_type<g::list_literal>() && n.children.size() == 2 && n.children[1]->is_type<g::comprehension>()) {
      // [item for a in as for b in bs if filter]: one Comprehension per `for`, the innermost with
      // the item and the filter; the outer ones flatten the lists the inner ones make.
      const Node& tail = *n.children[1];
      std::vector<const Node*> fors;
      const Node* filter = nullptr;
      for (const auto& clause : tail.children) {
        if (clause->is_type<g::comp_for>()) fors.push_back(clause.get());
        else filter = clause.get();
      }
      ExprPtr inner = expr(*n.children[0]);
      for (size_t i = fors.size(); i-- > 0;) {
        const Node& clause = *fors[i];
        ExprPtr e = make(ExprKind::Comprehension, i == 0 ? n : clause);
        e->operands.push_back(std::move(inner));
        e->variable = clause.children.at(0)->string();
        e->variable_span = span(*clause.children[0]);
        e->operands.push_back(expr(*clause.children.at(1)));
        if (i + 1 == fors.size() && filter) {
          e->has_filter = true;
          e->operands.push_back(expr(*filter));
        }
        e->flatten = i + 1 < fors.size();
        inner = std::move(e);
      }
      return inner;
    }
    if (n.is_type<g::list_literal>()) {
      ExprPtr e = make(ExprKind::List, n);
      for (const auto& c : n.children) e->operands.push_back(expr(*c));
      return e;
    }
    if (n.is_type<g::map_literal>()) {
      ExprPtr e = make(ExprKind::Map, n);
      for (const auto& entry : n.children) {
        e->keys.push_back(string_value(*entry->children.at(0)));
        e->operands.push_back(expr(*entry->children.at(1)));
      }
      return e;
    }
    // Every selected expression rule is handled above; reaching here is a grammar/builder mismatch.
    diagnostics_.error(source_, span(n), "internal error: unexpected syntax node " + std::string(n.type));
    return make(ExprKind::Null, n);
  }

  MutationDecl mutation(const Node& n) {
    MutationDecl decl;
    decl.name = n.children.at(0)->string();
    decl.name_span = span(*n.children[0]);
    for (size_t i = 1; i < n.children.size(); ++i) {
      const Node& c = *n.children[i];
      if (c.is_type<g::mut_params>()) {
        for (const auto& p : c.children) decl.params.emplace_back(p->string(), span(*p));
      } else if (c.is_type<g::mut_block>()) {
        decl.body = mutation_block(c);
      }
    }
    return decl;
  }

  std::vector<MutationStmt> mutation_block(const Node& block) {
    std::vector<MutationStmt> body;
    for (const auto& child : block.children) body.push_back(mutation_stmt(*child));
    return body;
  }

  // The children of an `apply_args` node, as expressions.
  std::vector<ExprPtr> arguments(const Node& args) {
    std::vector<ExprPtr> out;
    for (const auto& group : args.children) {
      for (const auto& arg : group->children) out.push_back(expr(*arg));
    }
    return out;
  }

  MutationStmt mutation_stmt(const Node& n) {
    MutationStmt s;
    s.span = span(n);
    const auto child = [&](size_t i) -> const Node& { return *n.children.at(i); };
    const auto path = [&](const Node& target) { return expr(*target.children.at(0)); };
    if (n.is_type<g::let_stmt>()) {
      s.kind = MutationKind::Let;
      s.name = child(0).string();
      s.name_span = span(child(0));
      s.value = expr(child(1));
    } else if (n.is_type<g::mut_default>() || n.is_type<g::mut_set>()) {
      s.kind = n.is_type<g::mut_default>() ? MutationKind::Default : MutationKind::Set;
      s.target = path(child(0));
      s.value = expr(*child(1).children.at(0));
    } else if (n.is_type<g::mut_remove>()) {
      s.kind = MutationKind::Remove;
      s.target = path(child(0));
    } else if (n.is_type<g::mut_add>()) {
      s.kind = MutationKind::Add;
      s.value = expr(*child(0).children.at(0));
      s.target = path(child(1));
    } else if (n.is_type<g::mut_if>()) {
      s.kind = MutationKind::If;
      s.value = expr(*child(0).children.at(0));
      s.body = mutation_block(child(1));
      if (n.children.size() > 2) s.else_body = mutation_block(*child(2).children.at(0));
    } else if (n.is_type<g::mut_each>()) {
      s.kind = MutationKind::Each;
      s.name = child(0).string();
      s.name_span = span(child(0));
      s.value = expr(*child(1).children.at(0));
      s.body = mutation_block(child(2));
    } else if (n.is_type<g::mut_apply>()) {
      s.kind = MutationKind::Apply;
      s.name = child(0).string();
      s.name_span = span(child(0));
      if (n.children.size() > 1) s.args = arguments(child(1));
    }
    return s;
  }

  GrantDecl grant(const Node& n) {
    GrantDecl decl;
    const Node& head = *n.children.at(0);
    decl.name_span = span(head);
    if (head.is_type<g::grant_each>()) {
      decl.row = head.children.at(0)->string();
      decl.rows = expr(*head.children.at(1)->children.at(0)->children.at(0));
    } else {
      decl.name = string_value(head);
    }
    for (const auto& child : n.children.at(1)->children) {
      const Node& item = *child;
      const auto value = [&] { return expr(*item.children.at(0)->children.at(0)); };
      if (item.is_type<g::grant_named>()) decl.name_expr = value();
      else if (item.is_type<g::grant_when>()) decl.when = value();
      else if (item.is_type<g::grant_owner>()) decl.owner = value();
      else if (item.is_type<g::grant_why>()) decl.why = value();
      else if (item.is_type<g::grant_expires>()) decl.expires = value();
      else decl.body.push_back(mutation_stmt(item));
    }
    return decl;
  }

  ApplyDecl apply(const Node& n) {
    ApplyDecl decl;
    decl.span = span(n);
    decl.name = n.children.at(0)->string();
    decl.name_span = span(*n.children[0]);
    for (size_t i = 1; i < n.children.size(); ++i) {
      const Node& c = *n.children[i];
      if (c.is_type<g::apply_args>()) decl.args = arguments(c);
      if (c.is_type<g::apply_condition>()) decl.condition = expr(*c.children.at(0));
    }
    return decl;
  }

  ExprPtr string_literal(const Node& n) {
    ExprPtr e = make(ExprKind::String, n);
    std::string text;
    for (const auto& child : n.children) {
      const Node& c = *child;
      if (c.is_type<g::string_chars>()) {
        text += c.string_view();
      } else if (c.is_type<g::escape>()) {
        const char k = c.string_view()[1];
        text += k == 'n' ? '\n' : k == 't' ? '\t' : k == 'r' ? '\r' : k;
      } else if (c.is_type<g::interpolation>()) {
        if (!text.empty()) e->parts.push_back({std::move(text), nullptr});
        text.clear();
        e->parts.push_back({std::string(), expr(*c.children.at(0))});
      }
    }
    if (!text.empty() || e->parts.empty()) e->parts.push_back({std::move(text), nullptr});
    return e;
  }

  std::shared_ptr<const Source> source_;
  Diagnostics& diagnostics_;
};

// The `{` still open at `end` (of a block or a map; an interpolation's braces belong to its
// string), ignoring comments and strings: where a block that lacks its `}` began.
std::optional<size_t> unclosed_brace(std::string_view text, size_t end) {
  enum class In { Code, Block, String, Interpolation };
  std::vector<std::pair<In, size_t>> stack{{In::Code, 0}};
  for (size_t i = 0; i < end && i < text.size(); ++i) {
    const char c = text[i];
    const In in = stack.back().first;
    if (in == In::String) {
      if (c == '\\') ++i;
      else if (c == '"' || c == '\n') stack.pop_back();
      else if (c == '{') stack.push_back({In::Interpolation, i});
      continue;
    }
    if (c == '#') {
      while (i < end && text[i] != '\n') ++i;
    } else if (c == '"') {
      stack.push_back({In::String, i});
    } else if (c == '{') {
      stack.push_back({In::Block, i});
    } else if (c == '}' && stack.size() > 1) {
      stack.pop_back();
    }
  }
  for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
    if (it->first == In::Block) return it->second;
  }
  return std::nullopt;
}

}  // namespace

std::optional<Module> parse(std::shared_ptr<const Source> source, Diagnostics& diagnostics, uint32_t max_nesting) {
  pegtl::memory_input<> in(source->text().data(), source->text().size(), source->name());
  g::max_nesting = max_nesting;
  g::nesting = 0;  // a parse that raised left it where it stopped
  try {
    auto root = pegtl::parse_tree::parse<g::file, Node, selector, pegtl::nothing, g::control>(in);
    if (!root) {
      diagnostics.error(source, {0, 0}, "could not parse the file");
      return std::nullopt;
    }
    const size_t before = diagnostics.items().size();
    Module module = Builder(source, diagnostics).build(*root);
    if (diagnostics.items().size() != before && diagnostics.has_errors()) return std::nullopt;
    return module;
  } catch (const pegtl::parse_error& e) {
    const auto offset = static_cast<uint32_t>(e.positions().empty() ? 0 : e.positions().front().byte);
    std::vector<std::string> notes;
    if (e.message().starts_with("expected '}'")) {
      if (const std::optional<size_t> open = unclosed_brace(source->text(), offset)) {
        const LineColumn at = source->location(static_cast<uint32_t>(*open));
        notes.push_back(fmt::format("the '{{' at line {}, column {} is not closed", at.line, at.column));
      }
    }
    diagnostics.error(source, {offset, offset}, std::string(e.message()), std::move(notes));
    return std::nullopt;
  }
}

}  // namespace pol::lang
