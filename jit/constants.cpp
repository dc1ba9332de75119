// SPDX-License-Identifier: Apache-2.0
#include "jit/constants.hpp"

#include "runtime/operators.hpp"

namespace pol::jit {

using runtime::Expr;
using runtime::Op;
using runtime::Value;

ProfileConstants::~ProfileConstants() {
  values_.clear();
  for (runtime::Heap* heap : frozen_) delete heap;
}

std::optional<ProfileConstants::Folded> ProfileConstants::fold(const Expr& e) {
  if (auto it = folded_.find(&e); it != folded_.end()) return it->second;
  std::optional<Folded> folded = compute(e);
  folded_[&e] = folded;
  return folded;
}

ProfileConstants::Folded ProfileConstants::keep(Value value, uint32_t steps) {
  value.freeze(frozen_);
  return {&values_.emplace_back(std::move(value)), steps};
}

std::optional<ProfileConstants::Folded> ProfileConstants::compute(const Expr& e) {
  switch (e.op) {
    case Op::Constant: return Folded{&e.constant, 0};
    case Op::Global:
      if (e.global == runtime::Global::Version) return keep(Value::version(profile_.version), 0);
      return std::nullopt;
    case Op::Conditional: {
      const auto test = fold(*e.args[0]);
      if (!test || (test->value->type() != runtime::Type::Bool && !test->value->is_null())) return std::nullopt;
      const bool holds = test->value->type() == runtime::Type::Bool && test->value->as_bool();
      auto chosen = fold(*e.args[holds ? 1 : 2]);
      if (chosen) chosen->steps += test->steps;
      return chosen;
    }
    case Op::Binary: {
      const auto left = fold(*e.args[0]);
      const auto right = left ? fold(*e.args[1]) : std::nullopt;
      if (!right) return std::nullopt;
      try {
        return keep(runtime::apply_binary(e.binary, *left->value, *right->value), left->steps + right->steps);
      } catch (...) {
        return std::nullopt;  // raises for every document: the interpreter says so
      }
    }
    case Op::MakeList: {
      std::vector<Value> items;
      uint32_t steps = 0;
      for (const Expr* item : e.args) {
        const auto folded = fold(*item);
        if (!folded) return std::nullopt;
        items.push_back(*folded->value);
        steps += folded->steps;
      }
      return keep(Value::list(std::move(items)), steps);
    }
    case Op::Inline: {
      if (e.args.size() != 1) return std::nullopt;  // a function of no parameters
      auto body = fold(*e.args[0]);
      if (body) body->steps += 1;  // the call's step
      return body;
    }
    default: return std::nullopt;
  }
}

}  // namespace pol::jit
