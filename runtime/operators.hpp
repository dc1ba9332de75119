// SPDX-License-Identifier: Apache-2.0
// The meaning of pol's operators on runtime values, shared by the interpreter and constant
// folding. Errors are thrown as EvalError and positioned by the caller.
#pragma once

#include "lang/vocabulary.hpp"
#include "runtime/value.hpp"

namespace pol::runtime {

// Conditions accept bool and null (null reads as false); anything else is an error.
bool condition(const Value& value, const char* what);

// ==, !=, <, <=, >, >=, in, not in, +, -, *, /, %. (and, or, ?? short-circuit in the interpreter.)
Value apply_binary(lang::BinaryOp op, const Value& left, const Value& right);

Value negate(const Value& value);

}  // namespace pol::runtime
