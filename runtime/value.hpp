// SPDX-License-Identifier: Apache-2.0
// Values of the pol language. A value read from a document is a pointer to its Node: nothing
// is copied, and the node's position stays available for messages. Values computed by a
// policy (strings built by templates, lists built by comprehensions) own their data through a
// shared, immutable heap block, so copying any Value is cheap.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lang/ast.hpp"
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

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::Null; }
  bool as_bool() const { return node_ ? node_->boolean : boolean_; }
  int64_t as_int() const { return node_ ? node_->integer : integer_; }
  double as_float() const { return node_ ? node_->number : number_; }
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

  const Node* document_node() const { return node_; }  // set for values read from a document

  bool operator==(const Value& other) const;  // deep; 1 == 1.0
  // Display form used by templates: strings as-is, lists as [a, b], maps as {k: v}.
  std::string to_display() const;

 private:
  Type type_ = Type::Null;
  bool boolean_ = false;
  union {
    int64_t integer_ = 0;
    double number_;  // a Version is kept in integer_ as major << 32 | minor
  };
  const Node* node_ = nullptr;
  std::shared_ptr<const Heap> heap_;
};

struct Heap {
  std::string string;
  std::vector<Value> items;
  std::vector<std::pair<std::string, Value>> members;
};

// Byte-order comparison used by sort(): null < bool < numbers < strings < versions < lists < maps.
bool less_than(const Value& a, const Value& b);

}  // namespace pol::runtime
