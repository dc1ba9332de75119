// SPDX-License-Identifier: Apache-2.0
#include "runtime/budget.hpp"

#include <fmt/format.h>

#include "runtime/builtins/registry.hpp"  // EvalError

namespace pol::runtime {

thread_local Budget* Budget::current_ = nullptr;
thread_local Budget::Clock::time_point Budget::deadline_of_thread_ = Budget::Clock::time_point::max();

void Budget::steps_exceeded() const {
  throw EvalError(fmt::format("evaluation took more than {} steps (loop iterations and calls) on this document: "
                              "an unbounded loop or recursion? (the limit is set with --limit steps=N)",
                              limits_.steps));
}

void Budget::bytes_exceeded() const {
  throw EvalError(fmt::format("the values held while evaluating this document exceed {} bytes "
                              "(the limit is set with --limit value-bytes=N)", limits_.value_bytes));
}

void Budget::check_deadline() {
  if (Clock::now() > deadline_) {
    deadline_passed_ = true;
    throw EvalError(fmt::format("evaluation passed the request's deadline after {} steps (the webhook answers "
                                "before the API server's ?timeout)", steps_));
  }
}

}  // namespace pol::runtime
