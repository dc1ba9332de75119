// SPDX-License-Identifier: Apache-2.0
#include "jit/calls.hpp"

#include <atomic>
#include <cstddef>
#include <cstring>
#include <span>

#include "runtime/builtins/registry.hpp"
#include "runtime/operators.hpp"

using pol::runtime::Value;

namespace {

// Writes `value` to `out` as a borrowed value: its owner (a document, the program, the
// evaluation's globals) keeps it alive; the count, if any, is left as it was.
void borrow(const Value& value, Value* out) { std::memcpy(static_cast<void*>(out), &value, sizeof(Value)); }

// Writes a value compiled code built to `out`, borrowed: the evaluation keeps it until the check ends.
void keep(pol::runtime::Evaluation* evaluation, Value value, Value* out) {
  if (value.type() >= pol::runtime::Type::String && value.type() <= pol::runtime::Type::Map && !value.document_node()) {
    evaluation->built.values.push_back(value);
  }
  borrow(value, out);
}

}  // namespace

extern "C" {

int32_t pol_jit_global(pol::runtime::Evaluation* evaluation, int32_t global, Value* out) try {
  borrow(evaluation->global(static_cast<pol::runtime::Global>(global)), out);
  return 0;
} catch (...) {
  return pol_jit_bail;
}

void pol_jit_member(const Value* in, const pol::runtime::Expr* member, Value* out) {
  if (const pol::runtime::Node* node = in->document_node()) {
    for (size_t i = 0; i < member->keys.size() && node; ++i) node = node->find(member->keys[i], member->key_shapes[i]);
    return borrow(Value::node(node), out);
  }
  borrow(pol::runtime::member_of(*in, *member), out);  // the count, if any, is the owner's again
}

const pol::runtime::Node* pol_jit_find(const pol::runtime::Node* map, const char* key, uint64_t size, uint64_t shape,
                                       uint32_t* hint) {
  const pol::runtime::Node* found = map->find({key, size}, shape);
  if (found) {
    const auto* member = reinterpret_cast<const pol::runtime::Member*>(reinterpret_cast<const char*>(found) -
                                                                        offsetof(pol::runtime::Member, value));
    std::atomic_ref<uint32_t>(*hint).store(static_cast<uint32_t>(member - map->members), std::memory_order_relaxed);
  }
  return found;
}

const pol::runtime::Node* pol_jit_find_string(const pol::runtime::Node* map, const Value* key) {
  return map->find(key->as_string());
}

void pol_jit_node(const pol::runtime::Node* node, Value* out) { borrow(Value::node(node), out); }

int32_t pol_jit_index(const Value* target, const Value* key, Value* out) try {
  borrow(pol::runtime::index_of(*target, *key), out);
  return 0;
} catch (...) {
  return pol_jit_bail;
}

uint64_t pol_jit_string(const Value* value, const char** chars) {
  const std::string_view text = value->as_string();
  *chars = text.data();
  return text.size();
}

int32_t pol_jit_compare(const Value* left, const Value* right, int32_t op) try {
  return pol::runtime::apply_binary(static_cast<pol::lang::BinaryOp>(op), *left, *right).as_bool();
} catch (...) {
  return pol_jit_bail;
}

int32_t pol_jit_count(const Value* source, uint64_t* count) {
  // A map's keys would be built as strings: the interpreter iterates those.
  if (source->type() != pol::runtime::Type::List && !source->is_null()) return pol_jit_bail;
  *count = source->size();
  return 0;
}

const Value* pol_jit_values(const Value* list) { return list->built_items(); }

int32_t pol_jit_item(pol::runtime::Evaluation* evaluation, const Value* list, uint64_t index, Value* out) try {
  const pol::runtime::Node* node = list->document_node();
  if (node && node->kind == pol::runtime::NodeKind::Map) {
    // A map's item is its key, as a string: a node over the key's bytes serves, in place of the
    // string the interpreter makes (the same text, and no document position to report).
    const std::string_view text = node->members[index].key();
    auto& keys = evaluation->built.keys;
    if (!keys) keys = std::make_unique<std::deque<pol::runtime::Node>>();
    pol::runtime::Node& key = keys->emplace_back();
    key.kind = pol::runtime::NodeKind::String;
    key.size = static_cast<uint32_t>(text.size());
    key.chars = text.data();
    borrow(Value::node(&key), out);
    return 0;
  }
  if (node) {
    borrow(Value::node(&node->items[index]), out);
    return 0;
  }
  const Value item = list->at(index);
  borrow(item, out);
  return 0;
} catch (...) {
  return pol_jit_bail;
}

int32_t pol_jit_builtin(pol::runtime::Evaluation* evaluation, const pol::runtime::Expr* call, Value* args, Value* out) try {
  keep(evaluation, pol::runtime::call_builtin(*call->builtin, args), out);
  return 0;
} catch (...) {
  return pol_jit_bail;
}

int32_t pol_jit_binary(pol::runtime::Evaluation* evaluation, int32_t op, const Value* left, const Value* right,
                       Value* out) try {
  keep(evaluation, pol::runtime::apply_binary(static_cast<pol::lang::BinaryOp>(op), *left, *right), out);
  return 0;
} catch (...) {
  return pol_jit_bail;
}

int32_t pol_jit_template(pol::runtime::Evaluation* evaluation, const Value* parts, uint64_t count, Value* out) try {
  keep(evaluation, pol::runtime::template_string(std::span(parts, count)), out);
  return 0;
} catch (...) {
  return pol_jit_bail;
}

int32_t pol_jit_list(pol::runtime::Evaluation* evaluation, const Value* items, uint64_t count, Value* out) try {
  keep(evaluation, Value::list(std::vector<Value>(items, items + count)), out);
  return 0;
} catch (...) {
  return pol_jit_bail;
}

int32_t pol_jit_push(pol::runtime::Evaluation* evaluation, uint64_t* list, const Value* element, int32_t flatten) try {
  pol::runtime::Built& built = evaluation->built;
  if (*list == pol_jit_no_list) {
    if (built.open_lists == built.lists.size()) built.lists.emplace_back();
    *list = built.open_lists++;
    built.lists[*list].clear();
    built.lists[*list].reserve(4);  // as the interpreter's comprehensions
  }
  pol::runtime::append_element(built.lists[*list], *element, flatten != 0);
  return 0;
} catch (...) {
  return pol_jit_bail;
}

int32_t pol_jit_close_list(pol::runtime::Evaluation* evaluation, uint64_t list, Value* out) try {
  pol::runtime::Built& built = evaluation->built;
  built.open_lists = list;  // the innermost list: comprehensions end in the order opposite to their start
  keep(evaluation, Value::list(std::move(built.lists[list])), out);
  return 0;
} catch (...) {
  return pol_jit_bail;
}

int32_t pol_jit_fire(pol::runtime::Evaluation* evaluation, const pol::runtime::Rule* rule, const Value* reason,
                     const Value* detail, const Value* at) try {
  evaluation->built.fired.push_back({rule, *reason, detail ? *detail : Value(), at ? *at : Value()});
  return 0;
} catch (...) {
  return pol_jit_bail;
}

uint64_t pol_jit_steps_left(pol::runtime::Evaluation* evaluation) {
  return evaluation->budget ? evaluation->budget->steps_left() : UINT64_MAX;
}

int32_t pol_jit_deadline(pol::runtime::Evaluation* evaluation) {
  return evaluation->budget && evaluation->budget->past_deadline() ? pol_jit_bail : 0;
}

int32_t pol_jit_charge(pol::runtime::Evaluation* evaluation, uint64_t steps) {
  return !evaluation->budget || evaluation->budget->try_steps(steps) ? 0 : pol_jit_bail;
}
}
