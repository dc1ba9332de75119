// SPDX-License-Identifier: Apache-2.0
#include "runtime/pod_schema.hpp"

#include <fmt/format.h>

#include "runtime/schema.hpp"

namespace pol::runtime {

namespace {

const char* noun(NodeKind kind) {
  switch (kind) {
    case NodeKind::Null: return "null";
    case NodeKind::Bool: return "a boolean";
    case NodeKind::Int: return "an integer";
    case NodeKind::Float: return "a number";
    case NodeKind::String: return "a string";
    case NodeKind::List: return "a list";
    case NodeKind::Map: return "a map";
  }
  return "a value";
}

std::string found(const Node& node) {
  switch (node.kind) {
    case NodeKind::Bool: return fmt::format("a boolean ({})", node.boolean);
    case NodeKind::Int:
      if (node.is_big_unsigned()) return fmt::format("an integer ({})", static_cast<uint64_t>(node.integer));
      return fmt::format("an integer ({})", node.integer);
    case NodeKind::Float: return fmt::format("a number ({})", node.number);
    case NodeKind::String: {
      const std::string_view text = node.string();
      if (text.size() > 40) return fmt::format("a string (\"{}...\")", text.substr(0, 40));
      return fmt::format("a string (\"{}\")", text);
    }
    default: return noun(node.kind);
  }
}

// Sets `error` to what `node` is instead of `expected`; false, for check() to return.
bool mismatch(const Node& node, const schema::Shape& expected, ObjectError& error) {
  error = ObjectError{&node, fmt::format("expected {}, found {}", schema::noun(expected), found(node))};
  return false;
}

// The node kinds a scalar shape accepts, a bit each (0 for the shapes that hold others).
constexpr uint32_t accepted_kinds(schema::Kind expected) {
  using schema::Kind;
  const auto bit = [](NodeKind kind) { return uint32_t{1} << static_cast<unsigned>(kind); };
  switch (expected) {
    case Kind::Any: return ~uint32_t{0};
    case Kind::Bool: return bit(NodeKind::Bool);
    case Kind::Int: return bit(NodeKind::Int);
    case Kind::Number: return bit(NodeKind::Int) | bit(NodeKind::Float);
    case Kind::String: return bit(NodeKind::String);
    case Kind::IntOrString: return bit(NodeKind::Int) | bit(NodeKind::String);
    case Kind::Quantity: return bit(NodeKind::String) | bit(NodeKind::Int) | bit(NodeKind::Float);
    default: return 0;
  }
}

bool check_shape(const Node& node, const schema::Shape& shape, ObjectError& error);

// Whether `node` has the type of `shape` (null: unset, which any shape allows), else false with
// `error` set. A pod has a few hundred nodes, checked as every document is read: a scalar is
// checked here, in its parent's loop, and the error is made only when there is one.
inline bool check(const Node& node, const schema::Shape& shape, ObjectError& error) {
  if (node.kind == NodeKind::Null) return true;
  if (const uint32_t accepted = accepted_kinds(shape.kind)) {
    return (accepted >> static_cast<unsigned>(node.kind) & 1) != 0 || mismatch(node, shape, error);
  }
  return check_shape(node, shape, error);
}

// A map, a list or an object: its kind, then each of its values.
bool check_shape(const Node& node, const schema::Shape& shape, ObjectError& error) {
  using schema::Kind;
  switch (shape.kind) {
    case Kind::Map:
      if (node.kind != NodeKind::Map) return mismatch(node, shape, error);
      for (uint32_t i = 0; i < node.size; ++i) {
        if (!check(node.members[i].value, *shape.element, error)) return false;
      }
      return true;
    case Kind::List:
      if (node.kind != NodeKind::List) return mismatch(node, shape, error);
      for (uint32_t i = 0; i < node.size; ++i) {
        if (!check(node.items[i], *shape.element, error)) return false;
      }
      return true;
    case Kind::Object:
      if (node.kind != NodeKind::Map) return mismatch(node, shape, error);
      // The document's fields, looked up in the schema: a probe or two per field.
      for (uint32_t i = 0; i < node.size; ++i) {
        const Member& member = node.members[i];
        const schema::Shape* field = shape.field(member.key(), member.key_shape);
        if (field && !check(member.value, *field, error)) return false;  // unknown fields are accepted
      }
      return true;
    default:
      return true;
  }
}

}  // namespace

std::optional<ObjectError> check_pod_schema(const PodView& pod) {
  ObjectError error;
  if (!pod.object || check(*pod.object, schema::workload(pod.kind), error)) return std::nullopt;
  return error;
}

}  // namespace pol::runtime
