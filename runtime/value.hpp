// SPDX-License-Identifier: Apache-2.0
// Values of the pol language, 16 bytes. A value read from a document is a pointer to its Node:
// nothing is copied, and the node's position stays available for messages. Values computed by
// a policy (strings built by templates, lists built by comprehensions) share an immutable heap
// block by a plain (not atomic) reference count: a value belongs to the thread evaluating it.
// The constants of a Program are frozen (Program::seal): a frozen value, and every copy of it,
// never touches the count, so every thread may read them; the Program deletes their blocks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lang/vocabulary.hpp"
#include "runtime/document.hpp"

namespace pol::runtime {

enum class Type : uint8_t { Null, Bool, Int, Float, String, List, Map, Version };

const char* type_name(Type type);

class Value;
struct Heap;

class Value {
 public:
  Value() = default;
  static Value boolean(bool b);
  static Value integer(int64_t i);
  static Value number(double d);
  static Value version(lang::Version v);
  static Value string(std::string s);
  static Value list(std::vector<Value> items);
  static Value map(std::vector<std::pair<std::string, Value>> members);
  static Value node(const Node* node);  // a document node, viewed in place
  // The state of a lazy `let` not read yet (Op::LazyLocal); anywhere else it reads as null.
  static Value unevaluated() {
    Value v;
    v.boolean_ = true;
    return v;
  }
  bool is_unevaluated() const { return type_ == Type::Null && boolean_ && !from_node_; }

  Value(const Value& other) {
    take_fields(other);
    retain();
  }
  Value(Value&& other) noexcept {
    take_fields(other);
    other.forget();
  }
  Value& operator=(const Value& other) {
    other.retain();
    release();
    take_fields(other);
    return *this;
  }
  Value& operator=(Value&& other) noexcept {
    if (this != &other) {
      release();
      take_fields(other);
      other.forget();
    }
    return *this;
  }
  ~Value() { release(); }

  // Freezes this value's heap blocks and those of everything in it, adding them to `owned`
  // (whose owner deletes them once no value uses them): safe to share between threads.
  void freeze(std::vector<Heap*>& owned);

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::Null; }
  bool as_bool() const { return from_node_ ? node_->boolean : boolean_; }
  int64_t as_int() const { return from_node_ ? node_->integer : integer_; }
  double as_float() const { return from_node_ ? node_->number : number_; }
  double as_number() const { return type_ == Type::Int ? static_cast<double>(as_int()) : as_float(); }
  lang::Version as_version() const {
    return {static_cast<int>(integer_ >> 32), static_cast<int>(integer_ & 0xFFFFFFFF)};
  }
  std::string_view as_string() const;

  // Lists and maps, whether from a document or computed.
  size_t size() const;
  Value at(size_t index) const;                        // list item
  Value get(std::string_view key) const;               // map member, null when absent
  std::string_view key_at(size_t index) const;         // map key, in document order
  Value value_at(size_t index) const;                  // map value, in document order

  const Node* document_node() const { return from_node_ ? node_ : nullptr; }  // for values read from a document
  // A list's items in place when it was built (not read from a document), else null.
  inline const Value* built_items() const;

  bool operator==(const Value& other) const;  // deep; 1 == 1.0

  // Where a value's fields lie, for code that reads and writes values in place (the JIT, jit/).
  struct Layout {
    size_t type, from_node, boolean, counted, payload;
  };
  static constexpr Layout layout() {
    return {offsetof(Value, type_), offsetof(Value, from_node_), offsetof(Value, boolean_), offsetof(Value, counted_),
            offsetof(Value, integer_)};
  }
  // Display form used by templates: strings as-is, lists as [a, b], maps as {k: v}.
  std::string to_display() const;

 private:
  void take_fields(const Value& other) {
    type_ = other.type_, from_node_ = other.from_node_, boolean_ = other.boolean_, counted_ = other.counted_;
    integer_ = other.integer_;
  }
  void forget() {  // after a move: null, owning nothing
    type_ = Type::Null;
    from_node_ = counted_ = false;
  }
  inline void retain() const;
  inline void release();
  void free_heap();  // the slow path of release(), out of line so that ~Value() inlines
  void charge();     // to the running evaluation's budget

  Type type_ = Type::Null;
  bool from_node_ = false;  // node_ is set
  bool boolean_ = false;
  // heap_ is a String, List or Map block this value counts (not one frozen in a Program).
  bool counted_ = false;
  union {
    int64_t integer_ = 0;
    double number_;  // a Version is kept in integer_ as major << 32 | minor
    const Node* node_;
    Heap* heap_;
  };
};

static_assert(sizeof(Value) == 16, "values are copied everywhere: keep them two words");

class Budget;

struct Heap {
  uint32_t references = 1;
  bool frozen = false;  // owned by a Program
  Budget* charged_to = nullptr;  // the evaluation whose budget counts this block, while it runs
  std::string string;
  std::vector<Value> items;
  std::vector<std::pair<std::string, Value>> members;

  // A thread's freed blocks are kept for the next values it builds: a rule's message makes and
  // frees a dozen strings and lists, and malloc and free were a fifth of explaining one.
  static void* operator new(size_t bytes);
  static void operator delete(void* block, size_t bytes) noexcept;
};

[[gnu::always_inline]] inline void Value::retain() const {
  if (counted_) ++heap_->references;
}

[[gnu::always_inline]] inline void Value::release() {
  if (counted_ && --heap_->references == 0) free_heap();
}

inline Value Value::boolean(bool b) {
  Value v;
  v.type_ = Type::Bool;
  v.boolean_ = b;
  return v;
}

inline Value Value::node(const Node* node) {
  Value v;
  if (!node) return v;
  if (node->is_big_unsigned()) [[unlikely]] return number(static_cast<double>(static_cast<uint64_t>(node->integer)));
  v.from_node_ = true;
  v.node_ = node;
  static constexpr Type types[] = {Type::Null, Type::Bool, Type::Int, Type::Float, Type::String, Type::List, Type::Map};
  v.type_ = types[static_cast<size_t>(node->kind)];
  return v;
}

inline size_t Value::size() const {
  if (from_node_) return type_ >= Type::String ? node_->size : 0;
  if (type_ < Type::String || type_ > Type::Map || !heap_) return 0;
  return type_ == Type::String ? heap_->string.size() : type_ == Type::List ? heap_->items.size() : heap_->members.size();
}

inline const Value* Value::built_items() const {
  return type_ == Type::List && !from_node_ && heap_ && !heap_->items.empty() ? heap_->items.data() : nullptr;
}

inline Value Value::at(size_t index) const {
  if (type_ != Type::List || index >= size()) return {};
  return from_node_ ? Value::node(&node_->items[index]) : heap_->items[index];
}

// Byte-order comparison used by sort(): null < bool < numbers < strings < versions < lists < maps.
bool less_than(const Value& a, const Value& b);

}  // namespace pol::runtime
