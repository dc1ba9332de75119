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

std::optional<ObjectError> mismatch(const Node& node, const schema::Shape& expected) {
  return ObjectError{&node, fmt::format("expected {}, found {}", schema::noun(expected), found(node))};
}

std::optional<ObjectError> check(const Node* node, const schema::Shape& shape) {
  using schema::Kind;
  if (!node || node->kind == NodeKind::Null) return std::nullopt;  // unset
  const NodeKind kind = node->kind;
  switch (shape.kind) {
    case Kind::Any: return std::nullopt;
    case Kind::Bool: return kind == NodeKind::Bool ? std::nullopt : mismatch(*node, shape);
    case Kind::Int: return kind == NodeKind::Int ? std::nullopt : mismatch(*node, shape);
    case Kind::Number: return kind == NodeKind::Int || kind == NodeKind::Float ? std::nullopt : mismatch(*node, shape);
    case Kind::String: return kind == NodeKind::String ? std::nullopt : mismatch(*node, shape);
    case Kind::IntOrString: return kind == NodeKind::Int || kind == NodeKind::String ? std::nullopt : mismatch(*node, shape);
    case Kind::Quantity:
      return kind == NodeKind::String || kind == NodeKind::Int || kind == NodeKind::Float ? std::nullopt
                                                                                            : mismatch(*node, shape);
    case Kind::Map:
      if (kind != NodeKind::Map) return mismatch(*node, shape);
      for (uint32_t i = 0; i < node->size; ++i) {
        if (auto error = check(&node->members[i].value, *shape.element)) return error;
      }
      return std::nullopt;
    case Kind::List:
      if (kind != NodeKind::List) return mismatch(*node, shape);
      for (uint32_t i = 0; i < node->size; ++i) {
        if (auto error = check(&node->items[i], *shape.element)) return error;
      }
      return std::nullopt;
    case Kind::Object:
      if (kind != NodeKind::Map) return mismatch(*node, shape);
      // The document's fields, looked up in the schema: as many steps as the pod has fields.
      for (uint32_t i = 0; i < node->size; ++i) {
        const schema::Shape* field = shape.field(node->members[i].key());
        if (!field) continue;  // unknown fields are accepted
        if (auto error = check(&node->members[i].value, *field)) return error;
      }
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

std::optional<ObjectError> check_pod_schema(const PodView& pod) { return check(pod.object, schema::workload(pod.kind)); }

}  // namespace pol::runtime
