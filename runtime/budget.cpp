// SPDX-License-Identifier: Apache-2.0
#include "runtime/budget.hpp"

#include <fmt/format.h>

#include "runtime/builtins/registry.hpp"  // EvalError

namespace pol::runtime {

thread_local Budget* Budget::current_ = nullptr;

void Budget::steps_exceeded() const {
  throw EvalError(fmt::format("evaluation took more than {} steps (loop iterations and calls) on this document: "
                              "an unbounded loop or recursion? (the limit is set with --limit steps=N)",
                              limits_.steps));
}

void Budget::bytes_exceeded() const {
  throw EvalError(fmt::format("the values held while evaluating this document exceed {} bytes "
                              "(the limit is set with --limit value-bytes=N)", limits_.value_bytes));
}

}  // namespace pol::runtime
