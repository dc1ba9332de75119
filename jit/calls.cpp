// SPDX-License-Identifier: Apache-2.0
#include "jit/calls.hpp"

#include <atomic>
#include <cstddef>
#include <cstring>

#include "runtime/builtins/registry.hpp"
#include "runtime/operators.hpp"

using pol::runtime::Value;

namespace {

// Writes `value` to `out` as a borrowed value: its owner (a document, the program, the
// evaluation's globals) keeps it alive; the count, if any, is left as it was.
void borrow(const Value& value, Value* out) { std::memcpy(static_cast<void*>(out), &value, sizeof(Value)); }

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

void pol_jit_item(const Value* list, uint64_t index, Value* out, pol::runtime::Node* key) {
  const pol::runtime::Node* node = list->document_node();
  if (node && node->kind == pol::runtime::NodeKind::Map) {
    // A map's item is its key, as a string. Compiled code only compares and reads it (it never
    // reaches a message), so a node made here serves, in place of the string the interpreter makes.
    const std::string_view text = node->members[index].key();
    *key = pol::runtime::Node{};
    key->kind = pol::runtime::NodeKind::String;
    key->size = static_cast<uint32_t>(text.size());
    key->chars = text.data();
    return borrow(Value::node(key), out);
  }
  if (node) return borrow(Value::node(&node->items[index]), out);
  const Value item = list->at(index);
  borrow(item, out);
}

int32_t pol_jit_builtin(const pol::runtime::Expr* call, Value* args, Value* out) try {
  Value result = pol::runtime::call_builtin(*call->builtin, args);
  const pol::runtime::Type type = result.type();
  if (type != pol::runtime::Type::Bool && type != pol::runtime::Type::Int && type != pol::runtime::Type::Null) {
    return pol_jit_bail;
  }
  borrow(result, out);
  return 0;
} catch (...) {
  return pol_jit_bail;
}

uint64_t pol_jit_steps_left(pol::runtime::Evaluation* evaluation) {
  return evaluation->budget ? evaluation->budget->steps_left() : UINT64_MAX;
}

int32_t pol_jit_charge(pol::runtime::Evaluation* evaluation, uint64_t steps) {
  return !evaluation->budget || evaluation->budget->try_steps(steps) ? 0 : pol_jit_bail;
}
}
