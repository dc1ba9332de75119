// SPDX-License-Identifier: Apache-2.0
// Rewrites a checked Program into one that does less per document and gives the same answers:
// the step between the checker and the evaluators (the interpreter, and the JIT that compiles
// the same program). Each rewrite keeps every result, message, location and error; what may
// differ is only how many steps of the budget an evaluation spends. See docs/performance.md.
//
//  - a `let` read once, outside any loop, is replaced by its expression;
//  - a call of a small function that calls no other is replaced by its body, evaluated in the
//    caller's frame (Op::Inline): no frame to build, no call;
//  - `len(C) > 0` (and `!= 0`, `>= 1`, `== 0`, `< 1`, `<= 0`) of a comprehension C asks only
//    whether C has an item: no list is built, and the loop stops at the first item kept when
//    nothing after it can raise an error (Expr::exists, Expr::stops_early);
//  - a loop over a list written out in the policy (`[a.x, a.y]`) evaluates its items as it
//    reaches them instead of building the list first, when they cannot fail (Expr::literal_source).
#pragma once

#include "runtime/program.hpp"

namespace pol::runtime {

void optimize(Program& program);

// Whether evaluating `e` can raise no error (nor build a value, which the memory budget could
// refuse): what may be skipped or reordered without changing an answer.
bool cannot_fail(const Expr& e);

}  // namespace pol::runtime
