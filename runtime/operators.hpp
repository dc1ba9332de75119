// SPDX-License-Identifier: Apache-2.0
// The meaning of pol's operators on runtime values, shared by the interpreter (and constant
// folding) and compiled checks (jit/calls.cpp). Errors are thrown as EvalError and positioned
// by the caller.
#pragma once

#include <span>
#include <vector>

#include "lang/vocabulary.hpp"
#include "runtime/value.hpp"

namespace pol::runtime {

// Conditions accept bool and null (null reads as false); anything else is an error.
bool condition(const Value& value, const char* what);

// ==, !=, <, <=, >, >=, in, not in, +, -, *, /, %. (and, or, ?? short-circuit in the interpreter.)
Value apply_binary(lang::BinaryOp op, const Value& left, const Value& right);

Value negate(const Value& value);

// A template's string: its parts in order, strings as they are, other values in display form.
Value template_string(std::span<const Value> parts);

// A comprehension's element added to its list; with `flatten`, each of its items.
void append_element(std::vector<Value>& list, Value element, bool flatten);

struct Expr;

// `value.a.b`, the keys of an Op::Member: absent (null) once a step is absent or not a map.
Value member_of(const Value& value, const Expr& member);

// `target[key]`: a list's item or a map's member, absent past the end or on anything else; a
// key of the wrong type for the target raises.
Value index_of(const Value& target, const Value& key);

}  // namespace pol::runtime
