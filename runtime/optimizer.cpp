// SPDX-License-Identifier: Apache-2.0
#include "runtime/optimizer.hpp"

#include <unordered_map>

#include "runtime/builtins/registry.hpp"

namespace pol::runtime {

namespace {

using lang::BinaryOp;

bool all_cannot_fail(const std::vector<const Expr*>& exprs) {
  for (const Expr* e : exprs) {
    if (!cannot_fail(*e)) return false;
  }
  return true;
}

// A function whose body (after its own calls are inlined) has more nodes than this is called.
constexpr size_t max_inlined_nodes = 64;

// Whether `e` is a bool or null, so that a condition over it cannot raise "must be a bool".
bool yields_bool(const Expr& e) {
  switch (e.op) {
    case Op::Constant: return e.constant.type() == Type::Bool || e.constant.is_null();
    case Op::LazyLocal: return yields_bool(*e.args[0]);
    case Op::Not: case Op::And: case Op::Or: return true;
    case Op::Binary:
      return e.binary != BinaryOp::Add && e.binary != BinaryOp::Sub && e.binary != BinaryOp::Mul &&
             e.binary != BinaryOp::Div && e.binary != BinaryOp::Mod;
    case Op::Quantifier: return e.quantifier != lang::QuantifierKind::Count;
    case Op::Comprehension: return e.exists;
    case Op::Conditional: return yields_bool(*e.args[1]) && yields_bool(*e.args[2]);
    default: return false;
  }
}

// The size of a tree, counting up to `limit`.
size_t size_of(const Expr& e, size_t limit) {
  size_t n = 1;
  for (const Expr* arg : e.args) {
    if (n > limit) break;
    n += size_of(*arg, limit - n);
  }
  return n;
}

template <class Visit>
void each_call(const Expr& e, Visit&& visit) {
  if (e.op == Op::CallFunction) visit(*e.function);
  for (const Expr* arg : e.args) each_call(*arg, visit);
}

class Optimizer {
 public:
  explicit Optimizer(Program& program) : program_(program), len_(builtins().find("len")) {}

  void run() {
    for (Function& function : program_.functions()) optimize(function);
    for (Check& check : program_.checks) {
      Root root(check.slot_count);
      for (const Rule& rule : check.rules) {
        for (const Expr* e : {rule.condition, rule.reason, rule.detail, rule.location}) {
          if (e) count_reads(*e, false, root);
        }
      }
      for (Rule& rule : check.rules) {
        for (const Expr** e : {&rule.condition, &rule.reason, &rule.detail, &rule.location}) {
          if (*e) *e = rewrite(const_cast<Expr*>(*e), root);
        }
      }
    }
  }

 private:
  // A check or a function body: its frame and how its lets are read.
  struct Reads {
    uint32_t count = 0;
    bool in_loop = false;
  };
  struct Root {
    explicit Root(uint32_t& slots) : slot_count(slots) {}
    uint32_t& slot_count;
    std::unordered_map<uint32_t, Reads> reads;        // by a let's slot
    std::unordered_map<const Expr*, Expr*> replaced;  // each node rewritten once: lets' values are shared
  };

  enum class State { Pending, Running, Done };

  void optimize(Function& function) {
    State& state = states_[&function];
    if (state != State::Pending) return;
    state = State::Running;
    each_call(*function.result, [&](const Function& callee) { optimize(const_cast<Function&>(callee)); });
    Root root(function.slot_count);
    count_reads(*function.result, false, root);
    function.result = rewrite(const_cast<Expr*>(function.result), root);
    states_[&function] = State::Done;
  }

  // How often each let is read, and whether a read is inside a loop (run once per item). A let's
  // value is counted once, where it is evaluated: a read inside it runs once per evaluation.
  void count_reads(const Expr& e, bool in_loop, Root& root) {
    if (e.op == Op::LazyLocal) {
      Reads& reads = root.reads[e.slot];
      if (reads.count++ == 0) count_reads(*e.args[0], false, root);
      reads.in_loop |= in_loop;
      return;
    }
    // A comprehension's source is args[1], a quantifier's args[0]; the other operands run per item.
    const size_t source = e.op == Op::Comprehension ? 1 : e.op == Op::Quantifier ? 0 : e.args.size();
    for (size_t i = 0; i < e.args.size(); ++i) count_reads(*e.args[i], in_loop || (source < e.args.size() && i != source), root);
  }

  Expr* rewrite(Expr* e, Root& root) {
    if (const auto it = root.replaced.find(e); it != root.replaced.end()) return it->second;
    Expr* out = e;
    if (e->op == Op::LazyLocal) {
      const Reads& reads = root.reads[e->slot];
      Expr* value = rewrite(const_cast<Expr*>(e->args[0]), root);
      if (reads.count == 1 && !reads.in_loop) out = value;  // evaluated where it is read, as the let was
      else e->args[0] = value;
    } else {
      for (const Expr*& arg : e->args) arg = rewrite(const_cast<Expr*>(arg), root);
      out = simplify(e, root);
    }
    root.replaced[e] = out;
    return out;
  }

  Expr* simplify(Expr* e, Root& root) {
    switch (e->op) {
      case Op::CallFunction: return inlinable(*e->function) ? inline_call(*e, root) : e;
      case Op::Binary: return emptiness_test(e);
      case Op::Comprehension:
      case Op::Quantifier: {
        const Expr& source = *e->args[e->op == Op::Comprehension ? 1 : 0];
        e->literal_source = source.op == Op::MakeList && all_cannot_fail(source.args);
        return e;
      }
      default: return e;
    }
  }

  bool inlinable(const Function& function) {
    if (states_[&function] != State::Done) return false;  // recursive
    bool calls = false;
    each_call(*function.result, [&](const Function&) { calls = true; });
    return !calls && size_of(*function.result, max_inlined_nodes) <= max_inlined_nodes;
  }

  Expr* inline_call(const Expr& call, Root& root) {
    const Function& function = *call.function;
    Expr* out = copy_of(call);
    out->op = Op::Inline;
    out->function = nullptr;
    out->slot = root.slot_count;
    out->slot_count = function.slot_count;
    root.slot_count += function.slot_count;
    std::unordered_map<const Expr*, Expr*> clones;
    out->args.push_back(clone(*function.result, out->slot, clones));
    return out;
  }

  // A copy of a function's body whose slots start at `base` of the caller's frame; nodes the
  // body shares (a let's value) stay shared.
  Expr* clone(const Expr& e, uint32_t base, std::unordered_map<const Expr*, Expr*>& clones) {
    if (const auto it = clones.find(&e); it != clones.end()) return it->second;
    Expr* out = copy_of(e);
    if (e.op == Op::Local || e.op == Op::LazyLocal || e.op == Op::Comprehension || e.op == Op::Quantifier ||
        e.op == Op::Inline) {
      out->slot += base;
    }
    for (const Expr*& arg : out->args) arg = clone(*arg, base, clones);
    clones[&e] = out;
    return out;
  }

  // `len(C) > 0` and its kin, for a comprehension C (or a function inlined around one).
  Expr* emptiness_test(Expr* e) {
    const Expr& left = *e->args[0];
    const Expr& right = *e->args[1];
    if (left.op != Op::CallBuiltin || left.builtin != len_ || right.op != Op::Constant ||
        right.constant.type() != Type::Int) {
      return e;
    }
    const int64_t n = right.constant.as_int();
    bool non_empty;
    if ((e->binary == BinaryOp::Gt && n == 0) || (e->binary == BinaryOp::Ne && n == 0) ||
        (e->binary == BinaryOp::Ge && n == 1)) {
      non_empty = true;
    } else if ((e->binary == BinaryOp::Eq && n == 0) || (e->binary == BinaryOp::Lt && n == 1) ||
               (e->binary == BinaryOp::Le && n == 0)) {
      non_empty = false;
    } else {
      return e;
    }
    Expr* test = exists(*left.args[0]);
    if (!test) return e;
    if (non_empty) return test;
    Expr* negation = copy_of(*e);
    negation->op = Op::Not;
    negation->args = {test};
    return negation;
  }

  // Whether the comprehension `e` yields an item, without building it; null if that would change
  // what evaluating it may raise.
  Expr* exists(const Expr& e) {
    if (e.op == Op::Inline) {
      Expr* body = exists(*e.args.back());
      if (!body) return nullptr;
      Expr* out = copy_of(e);
      out->args.back() = body;
      return out;
    }
    if (e.op != Op::Comprehension || e.flatten || !cannot_fail(*e.args[0])) return nullptr;
    Expr* out = copy_of(e);
    out->exists = true;
    out->stops_early = !e.has_filter || (cannot_fail(*e.args[2]) && yields_bool(*e.args[2]));
    return out;
  }

  Expr* copy_of(const Expr& e) {
    Expr* out = program_.new_expr();
    *out = e;
    return out;
  }

  Program& program_;
  const Builtin* len_;
  std::unordered_map<const Function*, State> states_;
};

}  // namespace

bool cannot_fail(const Expr& e) {
  switch (e.op) {
    case Op::Constant: case Op::Local: case Op::Global: return true;
    case Op::LazyLocal: case Op::Member: case Op::Coalesce: return all_cannot_fail(e.args);
    case Op::Not: case Op::And: case Op::Or: case Op::Conditional: {
      // Their operands (all but a Conditional's branches) are read as conditions.
      const size_t conditions = e.op == Op::Conditional ? 1 : e.args.size();
      for (size_t i = 0; i < conditions; ++i) {
        if (!yields_bool(*e.args[i])) return false;
      }
      return all_cannot_fail(e.args);
    }
    case Op::Binary:
      switch (e.binary) {
        case BinaryOp::Eq: case BinaryOp::Ne: return all_cannot_fail(e.args);
        case BinaryOp::In: case BinaryOp::NotIn: {
          // `in` raises only on a right side that is not a list, map, string or null.
          const Expr& right = *e.args[1];
          return right.op == Op::Constant &&
                 (right.constant.type() == Type::List || right.constant.type() == Type::Map) &&
                 cannot_fail(*e.args[0]);
        }
        default: return false;
      }
    default: return false;
  }
}

void optimize(Program& program) { Optimizer(program).run(); }

}  // namespace pol::runtime
