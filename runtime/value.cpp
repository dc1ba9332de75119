// SPDX-License-Identifier: Apache-2.0
#include "runtime/value.hpp"

#include <fmt/format.h>

#include "runtime/budget.hpp"

namespace pol::runtime {

const char* type_name(Type type) {
  switch (type) {
    case Type::Null: return "null";
    case Type::Bool: return "bool";
    case Type::Int: return "int";
    case Type::Float: return "float";
    case Type::String: return "string";
    case Type::List: return "list";
    case Type::Map: return "map";
    case Type::Version: return "version";
  }
  return "value";
}

Value Value::integer(int64_t i) {
  Value v;
  v.type_ = Type::Int;
  v.integer_ = i;
  return v;
}

Value Value::number(double d) {
  Value v;
  v.type_ = Type::Float;
  v.number_ = d;
  return v;
}

Value Value::version(lang::Version version) {
  Value v;
  v.type_ = Type::Version;
  v.integer_ = static_cast<int64_t>(version.major) << 32 | static_cast<uint32_t>(version.minor);
  return v;
}

Value Value::string(std::string s) {
  Value v;
  v.type_ = Type::String;
  if (s.empty()) return v;  // empty strings, lists and maps need no heap block
  v.heap_ = new Heap;
  v.counted_ = true;
  v.heap_->string = std::move(s);
  v.charge();
  return v;
}

Value Value::list(std::vector<Value> items) {
  Value v;
  v.type_ = Type::List;
  if (items.empty()) return v;
  v.heap_ = new Heap;
  v.counted_ = true;
  v.heap_->items = std::move(items);
  v.charge();
  return v;
}

Value Value::map(std::vector<std::pair<std::string, Value>> members) {
  Value v;
  v.type_ = Type::Map;
  if (members.empty()) return v;
  v.heap_ = new Heap;
  v.counted_ = true;
  v.heap_->members = std::move(members);
  v.charge();
  return v;
}

std::string_view Value::as_string() const {
  if (type_ != Type::String) return {};
  if (from_node_) return node_->string();
  return heap_ ? std::string_view(heap_->string) : std::string_view();
}

Value Value::get(std::string_view key) const {
  if (type_ != Type::Map) return {};
  if (from_node_) return Value::node(node_->find(key));
  if (!heap_) return {};
  for (const auto& [k, v] : heap_->members) {
    if (k == key) return v;
  }
  return {};
}

std::string_view Value::key_at(size_t index) const {
  if (type_ != Type::Map || index >= size()) return {};
  return from_node_ ? node_->members[index].key() : std::string_view(heap_->members[index].first);
}

Value Value::value_at(size_t index) const {
  if (type_ != Type::Map || index >= size()) return {};
  return from_node_ ? Value::node(&node_->members[index].value) : heap_->members[index].second;
}

namespace {

// Up to `kept` freed blocks of this thread. Not under AddressSanitizer, which must see each block
// freed to report a use after free.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POL_ADDRESS_SANITIZER 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(POL_ADDRESS_SANITIZER)
constexpr size_t kept = 0;
#else
constexpr size_t kept = 4096;
#endif
thread_local bool thread_ending = false;  // trivial: still readable once free_blocks is destroyed
struct FreeBlocks {
  std::vector<void*> blocks;
  FreeBlocks(const FreeBlocks&) = delete;
  FreeBlocks& operator=(const FreeBlocks&) = delete;
  FreeBlocks() = default;
  ~FreeBlocks() {
    thread_ending = true;  // blocks freed after this (a static program's constants) go to the system
    for (void* block : blocks) ::operator delete(block);
  }
};
thread_local FreeBlocks free_blocks;

}  // namespace

void* Heap::operator new(size_t bytes) {
  if (thread_ending) return ::operator new(bytes);
  std::vector<void*>& blocks = free_blocks.blocks;
  if (!blocks.empty()) {
    void* block = blocks.back();
    blocks.pop_back();
    return block;
  }
  if (blocks.capacity() < kept) blocks.reserve(kept);  // here, where throwing is allowed
  return ::operator new(bytes);
}

void Heap::operator delete(void* block, size_t) noexcept {
  if (thread_ending) return ::operator delete(block);
  std::vector<void*>& blocks = free_blocks.blocks;
  if (blocks.size() < blocks.capacity()) return blocks.push_back(block);  // never reallocates
  ::operator delete(block);
}

namespace {

size_t heap_bytes(const Heap& heap) {
  size_t bytes = sizeof(Heap) + heap.string.size() + heap.items.size() * sizeof(Value) +
                 heap.members.size() * sizeof(heap.members[0]);
  for (const auto& member : heap.members) bytes += member.first.size();
  return bytes;
}

}  // namespace

// The running evaluation's budget counts the bytes of the values it builds while they live.
void Value::charge() {
  Budget* budget = Budget::current();
  if (!budget) return;
  heap_->charged_to = budget;
  budget->charge(heap_bytes(*heap_));  // may throw: the value (and its block) is released on the way out
}

void Value::free_heap() {
  if (heap_->charged_to && heap_->charged_to == Budget::current()) heap_->charged_to->refund(heap_bytes(*heap_));
  delete heap_;
}

void Value::freeze(std::vector<Heap*>& owned) {
  if (!counted_) return;
  counted_ = false;  // this value's count stays with the block, which the owner deletes
  if (heap_->frozen) return;
  heap_->frozen = true;
  owned.push_back(heap_);
  for (Value& item : heap_->items) item.freeze(owned);
  for (auto& [key, value] : heap_->members) value.freeze(owned);
}

bool Value::operator==(const Value& other) const {
  const bool numeric = (type_ == Type::Int || type_ == Type::Float) &&
                       (other.type_ == Type::Int || other.type_ == Type::Float);
  if (numeric) {
    if (type_ == Type::Int && other.type_ == Type::Int) return as_int() == other.as_int();
    return as_number() == other.as_number();
  }
  if (type_ != other.type_) return false;
  switch (type_) {
    case Type::Null: return true;
    case Type::Bool: return as_bool() == other.as_bool();
    case Type::String: return as_string() == other.as_string();
    case Type::Version: return as_version() == other.as_version();
    case Type::List: {
      if (size() != other.size()) return false;
      for (size_t i = 0; i < size(); ++i) {
        if (!(at(i) == other.at(i))) return false;
      }
      return true;
    }
    case Type::Map: {
      if (size() != other.size()) return false;
      for (size_t i = 0; i < size(); ++i) {
        const Value mine = value_at(i);
        const Value theirs = other.get(key_at(i));
        if (theirs.is_null() && !mine.is_null()) return false;
        if (!(mine == theirs)) return false;
      }
      return true;
    }
    default: return false;
  }
}

std::string Value::to_display() const {
  switch (type_) {
    case Type::Null: return "null";
    case Type::Bool: return as_bool() ? "true" : "false";
    case Type::Int: return std::to_string(as_int());
    case Type::Float: return fmt::format("{}", as_float());
    case Type::String: return std::string(as_string());
    case Type::Version: {
      const lang::Version v = as_version();
      return v.is_latest() ? "latest" : fmt::format("v{}.{}", v.major, v.minor);
    }
    case Type::List: {
      std::string out = "[";
      for (size_t i = 0; i < size(); ++i) {
        if (i) out += ", ";
        out += at(i).to_display();
      }
      return out + "]";
    }
    case Type::Map: {
      std::string out = "{";
      for (size_t i = 0; i < size(); ++i) {
        if (i) out += ", ";
        out += fmt::format("{}: {}", key_at(i), value_at(i).to_display());
      }
      return out + "}";
    }
  }
  return {};
}

namespace {

int type_rank(Type type) {
  switch (type) {
    case Type::Null: return 0;
    case Type::Bool: return 1;
    case Type::Int:
    case Type::Float: return 2;
    case Type::String: return 3;
    case Type::Version: return 4;
    case Type::List: return 5;
    case Type::Map: return 6;
  }
  return 7;
}

}  // namespace

bool less_than(const Value& a, const Value& b) {
  const int ra = type_rank(a.type()), rb = type_rank(b.type());
  if (ra != rb) return ra < rb;
  switch (a.type()) {
    case Type::Bool: return !a.as_bool() && b.as_bool();
    case Type::Int:
    case Type::Float:
      if (a.type() == Type::Int && b.type() == Type::Int) return a.as_int() < b.as_int();
      return a.as_number() < b.as_number();
    case Type::String: return a.as_string() < b.as_string();
    case Type::Version: return a.as_version() < b.as_version();
    case Type::List: {
      for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
        if (less_than(a.at(i), b.at(i))) return true;
        if (less_than(b.at(i), a.at(i))) return false;
      }
      return a.size() < b.size();
    }
    default: return false;
  }
}

}  // namespace pol::runtime
