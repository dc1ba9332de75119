// SPDX-License-Identifier: Apache-2.0
#include "runtime/interpreter.hpp"

#include <array>
#include <fmt/format.h>

#include "lang/diagnostic.hpp"
#include "runtime/builtins/registry.hpp"
#include "runtime/emit.hpp"
#include "runtime/locator.hpp"
#include "runtime/operators.hpp"
#include "runtime/request.hpp"

namespace pol::runtime {

namespace {

// A place in a policy, and an expression's place and text (for what is shown to the author).
PolicyPosition position(const lang::Source* source, lang::Span span) {
  if (!source) return {};
  const lang::LineColumn at = source->location(span.begin);
  return {source->name(), at.line, at.column};
}

PolicyPosition position(const Expr& e) { return position(e.source, e.span); }

std::string source_text(const Expr& e) {
  return e.source ? std::string(e.source->text().substr(e.span.begin, e.span.end - e.span.begin)) : "";
}

// An evaluation error with the expression it happened in.
struct PositionedError {
  const Expr* where;
  std::string message;
  const Node* culprit = nullptr;  // the document value that caused it, if known
};

class Evaluator {
 public:
  explicit Evaluator(Evaluation& context) : context_(context) {}

  // One function per node, its own handler positioning what the operations below it raise. The
  // operations of most nodes are here; those that build values or call are kept out of line, so
  // that this function's frame stays small: it is entered for every node.
  Value eval(const Expr& e, Value* frame) try {
    switch (e.op) {
      case Op::Constant: return e.constant;
      case Op::Local: return frame[e.slot];
      case Op::LazyLocal: {
        Value& local = frame[e.slot];
        if (local.is_unevaluated()) {
          local = operand(*e.args[0], frame);
          if (context_.explaining) context_.explaining->lets.push_back({source_text(e), to_json(local), position(*e.args[0])});
        }
        return local;
      }
      case Op::Global: return global(e.global);
      case Op::Member: return member_of(operand(*e.args[0], frame), e);
      case Op::Index: return index_of(operand(*e.args[0], frame), operand(*e.args[1], frame));
      case Op::Not: return Value::boolean(!condition(operand(*e.args[0], frame), "the operand of 'not'"));
      case Op::And:
        return Value::boolean(condition(operand(*e.args[0], frame), "the left operand of 'and'") &&
                              condition(operand(*e.args[1], frame), "the right operand of 'and'"));
      case Op::Or:
        return Value::boolean(condition(operand(*e.args[0], frame), "the left operand of 'or'") ||
                              condition(operand(*e.args[1], frame), "the right operand of 'or'"));
      case Op::Coalesce: {
        Value left = operand(*e.args[0], frame);
        return left.is_null() ? operand(*e.args[1], frame) : left;
      }
      case Op::Binary: return apply_binary(e.binary, operand(*e.args[0], frame), operand(*e.args[1], frame));
      case Op::Conditional:
        return condition(operand(*e.args[0], frame), "the condition of 'if'") ? operand(*e.args[1], frame)
                                                                           : operand(*e.args[2], frame);
      default: return build(e, frame);
    }
  } catch (const EvalError& error) {
    throw PositionedError{&e, error.what(), error.culprit};
  }

  // A node's operand: constants, locals and fields of locals (three in five of the nodes read)
  // are taken here rather than through eval(): none of them can fail.
  [[gnu::always_inline]] Value operand(const Expr& e, Value* frame) {
    if (e.op == Op::Constant) return e.constant;
    if (e.op == Op::Local) return frame[e.slot];
    if (e.op == Op::Member && e.args[0]->op == Op::Local) return member_of(frame[e.args[0]->slot], e);
    return eval(e, frame);
  }

 private:
  // The nodes that build a value or call: their errors are positioned by eval(), their caller.
  [[gnu::noinline]] Value build(const Expr& e, Value* frame) {
    switch (e.op) {
      case Op::CallBuiltin: {
        std::array<Value, max_builtin_params> args;
        for (size_t i = 0; i < e.args.size(); ++i) args[i] = operand(*e.args[i], frame);
        return call_builtin(*e.builtin, args.data());
      }
      case Op::CallFunction: return call(e, frame);
      case Op::Inline: return inlined(e, frame);
      case Op::MakeList: {
        std::vector<Value> items;
        items.reserve(e.args.size());
        for (const Expr* arg : e.args) items.push_back(operand(*arg, frame));
        return Value::list(std::move(items));
      }
      case Op::MakeMap: {
        std::vector<std::pair<std::string, Value>> members;
        for (size_t i = 0; i < e.args.size(); ++i) members.emplace_back(e.keys[i], operand(*e.args[i], frame));
        return Value::map(std::move(members));
      }
      case Op::Template: {
        std::array<Value, 16> small;
        std::vector<Value> large;
        std::span<Value> parts(small.data(), e.args.size());
        if (e.args.size() > small.size()) {
          large.resize(e.args.size());
          parts = large;
        }
        for (size_t i = 0; i < e.args.size(); ++i) parts[i] = operand(*e.args[i], frame);
        return template_string(parts);
      }
      case Op::Comprehension: return comprehension(e, frame);
      case Op::Quantifier: return quantifier(e, frame);
      case Op::Negate: return negate(operand(*e.args[0], frame));
      case Op::Trace: {
        Value value = operand(*e.args[0], frame);
        if (context_.traces) context_.traces->push_back({"trace", to_json(value), position(e)});
        return value;
      }
      default: throw EvalError("internal error: unknown operation");
    }
  }

  const Value& global(Global g) { return context_.global(g); }

  // Iterates a list's items or a map's keys; null iterates nothing.
  template <class Visit>
  static void for_each(const Value& source, Visit&& visit) {
    if (source.type() == Type::List) {
      for (size_t i = 0; i < source.size(); ++i) {
        if (!visit(source.at(i))) return;
      }
    } else if (source.type() == Type::Map) {
      for (size_t i = 0; i < source.size(); ++i) {
        if (!visit(Value::string(std::string(source.key_at(i))))) return;
      }
    } else if (!source.is_null()) {
      throw EvalError(fmt::format("cannot iterate over {} ({})", type_name(source.type()), source.to_display()),
                      source.document_node());
    }
  }

  // The items a comprehension (source args[1]) or quantifier (args[0]) runs over.
  template <class Visit>
  void each_item(const Expr& e, size_t source, Value* frame, Visit&& visit) {
    if (!e.literal_source) return for_each(operand(*e.args[source], frame), visit);
    for (const Expr* item : e.args[source]->args) {
      if (!visit(operand(*item, frame))) return;
    }
  }

  Value comprehension(const Expr& e, Value* frame) {
    if (e.exists) {
      bool found = false;
      each_item(e, 1, frame, [&](const Value& item) {
        step();
        frame[e.slot] = item;
        if (e.has_filter && !condition(operand(*e.args[2], frame), "the filter after 'if'")) return true;
        found = true;
        return !e.stops_early;
      });
      return Value::boolean(found);
    }
    std::vector<Value> out;
    each_item(e, 1, frame, [&](const Value& item) {
      step();
      frame[e.slot] = item;
      if (!e.has_filter || condition(operand(*e.args[2], frame), "the filter after 'if'")) {
        Value element = operand(*e.args[0], frame);
        if (out.empty()) out.reserve(4);  // most lists a policy builds are a pod's few containers or volumes
        append_element(out, std::move(element), e.flatten);
      }
      return true;
    });
    return Value::list(std::move(out));
  }

  Value quantifier(const Expr& e, Value* frame) {
    int64_t count = 0;
    bool result = e.quantifier == lang::QuantifierKind::All;
    each_item(e, 0, frame, [&](const Value& item) {
      step();
      frame[e.slot] = item;
      const bool holds = condition(operand(*e.args[1], frame), "the condition of a quantifier");
      switch (e.quantifier) {
        case lang::QuantifierKind::Any: if (holds) { result = true; return false; } return true;
        case lang::QuantifierKind::All: if (!holds) { result = false; return false; } return true;
        case lang::QuantifierKind::Count: count += holds; return true;
      }
      return true;
    });
    return e.quantifier == lang::QuantifierKind::Count ? Value::integer(count) : Value::boolean(result);
  }

  void step() {
    if (context_.budget) context_.budget->step();
  }

  Value call(const Expr& e, Value* frame) {
    const Function& fn = *e.function;
    step();
    const uint32_t max_depth = context_.budget ? context_.budget->limits().call_depth : Limits{}.call_depth;
    if (static_cast<uint32_t>(context_.depth) >= max_depth) {
      throw EvalError(fmt::format("calls nested deeper than {} (unbounded recursion in '{}'?)", max_depth, fn.name));
    }
    // Small frames live on the stack: most functions have a few parameters and lets.
    std::array<Value, 8> small;
    std::vector<Value> large;
    Value* callee = small.data();
    if (fn.slot_count > small.size()) {
      large.resize(fn.slot_count);
      callee = large.data();
    }
    std::fill_n(callee, fn.slot_count, Value::unevaluated());
    for (size_t i = 0; i < e.args.size(); ++i) callee[i] = operand(*e.args[i], frame);
    ++context_.depth;
    Value result = operand(*fn.result, callee);
    --context_.depth;
    return result;
  }

  // A function's body in the caller's frame (the optimizer's Op::Inline): as call() does, but
  // the parameters and lets are slots of the caller's frame.
  Value inlined(const Expr& e, Value* frame) {
    step();
    const size_t params = e.args.size() - 1;
    Value* callee = frame + e.slot;
    for (size_t i = 0; i < params; ++i) callee[i] = operand(*e.args[i], frame);
    std::fill(callee + params, callee + e.slot_count, Value::unevaluated());
    return operand(*e.args.back(), frame);
  }

  Evaluation& context_;
};

std::string render_error(const PositionedError& error) {
  const Expr& e = *error.where;
  if (!e.source) return "error: " + error.message + "\n";
  // The program owns its sources for as long as it lives; this view does not extend that.
  lang::Diagnostic d{lang::Severity::Note,
                     std::shared_ptr<const lang::Source>(std::shared_ptr<const lang::Source>(), e.source), e.span,
                     "in this expression of the policy", {}};
  return d.render();
}

void add_locations(Locator& locator, const Value& at, std::vector<Location>& out) {
  if (at.document_node()) {
    Location location = locator.locate(at.document_node());
    if (!location.path.empty() || location.line) out.push_back(std::move(location));
    return;
  }
  if (at.type() == Type::List) {
    for (size_t i = 0; i < at.size(); ++i) add_locations(locator, at.at(i), out);
  }
}

// A rule that fired, reported with its reason, detail and locations (when it has them).
void report(const Rule& rule, const Value& reason, const Value* detail, const Value* at, const std::string& policy,
            const std::string& check, Locator& locator, Result& result) {
  Violation violation;
  violation.policy = policy;
  violation.check = check;
  violation.reason = reason.to_display();
  if (detail) violation.detail = detail->to_display();
  if (at) add_locations(locator, *at, violation.locations);
  (rule.rule == lang::RuleKind::Deny ? result.violations : result.warnings).push_back(std::move(violation));
}

}  // namespace

const Value& Evaluation::global(Global g) {
  const auto i = static_cast<size_t>(g);
  if (ready[i]) return globals[i];
  if (!pod) throw EvalError("a constant cannot read the document");
  const PodView& view = *pod;
  Value v;
  switch (g) {
    case Global::Object: v = object_value(view); break;
    case Global::Metadata: v = metadata_value(view); break;
    case Global::Spec: v = Value::node(view.spec); break;
    case Global::AllContainers: {
      // Pod Security Admission's visit order: init containers, containers, ephemeral containers.
      static constexpr std::array<const char*, 3> names{"initContainers", "containers", "ephemeralContainers"};
      std::array<Value, 3> lists;
      size_t count = 0;
      for (size_t l = 0; l < names.size(); ++l) {
        lists[l] = Value::node(view.spec).get(names[l]);
        count += lists[l].size();
      }
      std::vector<Value> containers;
      containers.reserve(count);
      for (const Value& items : lists) {
        for (size_t k = 0; k < items.size(); ++k) containers.push_back(items.at(k));
      }
      v = Value::list(std::move(containers));
      break;
    }
    case Global::Request: v = request_value(view); break;
    case Global::OldObject: v = Value::node(view.old_object); break;
    case Global::NamespaceObject: v = Value::node(view.namespace_object); break;
    case Global::Namespace: v = namespace_value(view); break;
    case Global::Version: v = Value::version(profile->version); break;
    case Global::Level: {
      const Level level = profile->level;
      v = Value::string(level == Level::Privileged ? "privileged" : level == Level::Baseline ? "baseline" : "restricted");
      break;
    }
  }
  globals[i] = std::move(v);
  ready[i] = true;
  return globals[i];
}

Interpreter::Interpreter(const Program& program, Profile profile, std::string policy_label)
    : program_(program), profile_(profile), label_(std::move(policy_label)), profile_label_(profile.label()),
      plan_(program.plan(profile)) {}

Result Interpreter::evaluate(const Document& document, const PodView& pod, bool explain) const {
  Result result;
  Budget budget(program_.limits);
  const Budget::Scope scope(budget);
  Evaluation context;
  context.pod = &pod;
  context.profile = &profile_;
  context.budget = &budget;
  context.traces = &result.traces;
  Evaluator evaluator(context);
  Locator locator(document.root);
  std::vector<Value> frame;
  for (size_t index = 0; index < plan_.size(); ++index) {
    if (budget.exhausted()) break;  // reported by the check that reached the limit; the object is not allowed
    const Check* check = plan_[index];
    // Built only for a violation or an explanation: this loop runs per check and document.
    const auto policy = [&]() -> const std::string& { return check->standard ? profile_label_ : label_; };
    if (!explain && compiled_ && compiled_->decides(index, context)) {
      try {
        for (const Fired& fired : context.built.fired) {
          report(*fired.rule, fired.reason, fired.rule->detail ? &fired.detail : nullptr,
                 fired.rule->location ? &fired.at : nullptr, policy(), check->id, locator, result);
        }
      } catch (const std::bad_alloc&) {
        context.built.clear();
        result.errors.push_back({check->id, "out of memory", "error: out of memory\n", nullptr});
        break;
      }
      context.built.clear();
      continue;
    }
    frame.assign(check->slot_count, Value::unevaluated());
    CheckTrace* trace = nullptr;
    if (explain) {
      trace = &result.explained.emplace_back(CheckTrace{policy(), check->id, position(check->source, check->span), {}, {}, ""});
      context.explaining = trace;
    }
    try {
      for (const Rule& statement : check->rules) {
        const Value holds = evaluator.eval(*statement.condition, frame.data());
        if (trace) {
          trace->rules.push_back({statement.rule == lang::RuleKind::Deny, source_text(*statement.condition), to_json(holds),
                                  holds.type() == Type::Bool && holds.as_bool(), position(*statement.condition)});
        }
        try {
          if (!condition(holds, "a rule's condition")) continue;
        } catch (const EvalError& error) {
          throw PositionedError{statement.condition, error.what(), error.culprit};
        }
        const Value reason = evaluator.eval(*statement.reason, frame.data());
        const Value detail = statement.detail ? evaluator.eval(*statement.detail, frame.data()) : Value();
        const Value at = statement.location ? evaluator.eval(*statement.location, frame.data()) : Value();
        report(statement, reason, statement.detail ? &detail : nullptr, statement.location ? &at : nullptr, policy(),
               check->id, locator, result);
      }
    } catch (const PositionedError& error) {
      result.errors.push_back({check->id, error.message, render_error(error), error.culprit});
    } catch (const EvalError& error) {
      result.errors.push_back({check->id, error.what(), std::string("error: ") + error.what() + "\n", error.culprit});
    } catch (const std::bad_alloc&) {
      result.errors.push_back({check->id, "out of memory", "error: out of memory\n", nullptr});
      break;
    }
    if (trace && !result.errors.empty() && result.errors.back().check == check->id) trace->error = result.errors.back().message;
  }
  return result;
}

Value evaluate_expression(const Expr& expr, const PodView& pod, const Profile& profile, const Limits& limits,
                          Value* frame) {
  Budget budget(limits);
  const Budget::Scope scope(budget);
  Evaluation context;
  context.pod = &pod;
  context.profile = &profile;
  context.budget = &budget;
  Evaluator evaluator(context);
  try {
    return evaluator.eval(expr, frame);
  } catch (const PositionedError& e) {
    throw ExpressionFailure{e.message, render_error(e), e.culprit};
  } catch (const EvalError& e) {
    throw ExpressionFailure{e.what(), "", e.culprit};
  } catch (const std::bad_alloc&) {
    throw ExpressionFailure{"out of memory", "", nullptr};
  }
}

Value Interpreter::evaluate_constant(const Expr& expr, uint32_t slot_count, std::string& error) {
  Evaluation context;
  Evaluator evaluator(context);
  std::vector<Value> frame(slot_count);
  try {
    return evaluator.eval(expr, frame.data());
  } catch (const PositionedError& e) {
    error = e.message;
  } catch (const EvalError& e) {
    error = e.what();
  }
  return {};
}

}  // namespace pol::runtime
