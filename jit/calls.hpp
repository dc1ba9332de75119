// SPDX-License-Identifier: Apache-2.0
// What compiled checks call in the runtime: plain C functions over pointers, which never throw
// (an exception is caught and answered as "ask the interpreter"). Values here are borrowed: a
// document node, a frozen constant, or a value the evaluation owns (its globals, or what compiled
// code built, runtime::Built); compiled code counts none.
#pragma once

#include <cstdint>

#include "runtime/evaluation.hpp"

extern "C" {

// Statuses: 0 or 1 is an answer (false/true); `pol_jit_bail` means "ask the interpreter".
inline constexpr int32_t pol_jit_bail = 2;

int32_t pol_jit_global(pol::runtime::Evaluation* evaluation, int32_t global, pol::runtime::Value* out);
void pol_jit_member(const pol::runtime::Value* in, const pol::runtime::Expr* member, pol::runtime::Value* out);
// The member of a map node whose key is the `size` bytes at `key` (shape: Member::shape), or
// null; when found, its index goes to `*hint` (relaxed: compiled code's inline cache).
const pol::runtime::Node* pol_jit_find(const pol::runtime::Node* map, const char* key, uint64_t size, uint64_t shape,
                                       uint32_t* hint);
// The member of a map node whose key is the string value `key`, or null.
const pol::runtime::Node* pol_jit_find_string(const pol::runtime::Node* map, const pol::runtime::Value* key);
// Value::node(node): compiled code writes most node values itself.
void pol_jit_node(const pol::runtime::Node* node, pol::runtime::Value* out);
int32_t pol_jit_index(const pol::runtime::Value* target, const pol::runtime::Value* key, pol::runtime::Value* out);
// A string value's bytes (`*chars`) and length, for a string not read from a document.
uint64_t pol_jit_string(const pol::runtime::Value* value, const char** chars);
int32_t pol_jit_compare(const pol::runtime::Value* left, const pol::runtime::Value* right, int32_t op);
int32_t pol_jit_count(const pol::runtime::Value* source, uint64_t* count);
// The items of a list a policy or the evaluation built, or null for any other value.
const pol::runtime::Value* pol_jit_values(const pol::runtime::Value* list);
// Item `index` of a loop's source: a list's item, or a document map's key (a string node the
// evaluation keeps until the check ends).
int32_t pol_jit_item(pol::runtime::Evaluation* evaluation, const pol::runtime::Value* list, uint64_t index,
                     pol::runtime::Value* out);
// Values compiled code builds. Each call keeps what it builds in `evaluation->built` until the
// check ends, and writes a borrowed copy to `out`; it returns 0, or `pol_jit_bail` when the
// operation raises (or the value budget is reached).
int32_t pol_jit_builtin(pol::runtime::Evaluation* evaluation, const pol::runtime::Expr* call, pol::runtime::Value* args,
                        pol::runtime::Value* out);
int32_t pol_jit_binary(pol::runtime::Evaluation* evaluation, int32_t op, const pol::runtime::Value* left,
                       const pol::runtime::Value* right, pol::runtime::Value* out);
int32_t pol_jit_template(pol::runtime::Evaluation* evaluation, const pol::runtime::Value* parts, uint64_t count,
                         pol::runtime::Value* out);
int32_t pol_jit_list(pol::runtime::Evaluation* evaluation, const pol::runtime::Value* items, uint64_t count,
                     pol::runtime::Value* out);
// A comprehension's list, built as the interpreter builds it: `*list` is `pol_jit_no_list` until
// the first element is pushed (most comprehensions keep nothing, and build nothing), then the
// index of the list in `evaluation->built.lists`. With `flatten`, each item of the element.
inline constexpr uint64_t pol_jit_no_list = UINT64_MAX;
int32_t pol_jit_push(pol::runtime::Evaluation* evaluation, uint64_t* list, const pol::runtime::Value* element,
                     int32_t flatten);
int32_t pol_jit_close_list(pol::runtime::Evaluation* evaluation, uint64_t list, pol::runtime::Value* out);
// A rule fired: its reason, detail and locations (null when the rule has none) are kept for the
// interpreter to report (runtime::Fired).
int32_t pol_jit_fire(pol::runtime::Evaluation* evaluation, const pol::runtime::Rule* rule,
                     const pol::runtime::Value* reason, const pol::runtime::Value* detail,
                     const pol::runtime::Value* at);
uint64_t pol_jit_steps_left(pol::runtime::Evaluation* evaluation);
// 0, or `pol_jit_bail` once the evaluation's deadline (a webhook request's timeout) has passed.
int32_t pol_jit_deadline(pol::runtime::Evaluation* evaluation);
int32_t pol_jit_charge(pol::runtime::Evaluation* evaluation, uint64_t steps);
}
