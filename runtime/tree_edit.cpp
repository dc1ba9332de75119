// SPDX-License-Identifier: Apache-2.0
#include "runtime/tree_edit.hpp"

#include <fmt/format.h>

#include <functional>

namespace pol::runtime {

namespace {

bool search(const Node* node, const Node* target, Pointer& path) {
  if (node == target) return true;
  if (node->kind == NodeKind::Map) {
    for (uint32_t i = 0; i < node->size; ++i) {
      path.push_back({std::string(node->members[i].key()), -1});
      if (search(&node->members[i].value, target, path)) return true;
      path.pop_back();
    }
  } else if (node->kind == NodeKind::List) {
    for (uint32_t i = 0; i < node->size; ++i) {
      path.push_back({"", i});
      if (search(&node->items[i], target, path)) return true;
      path.pop_back();
    }
  }
  return false;
}

Pointer prefix(const Pointer& path, size_t length) { return Pointer(path.begin(), path.begin() + length); }

// A copy of `node` with the subtree at path[i..] replaced by leaf(current node or nullptr).
// A missing last map key is added; a list index equal to the size appends.
Node rebuild(const Node& node, const Pointer& path, size_t i, Arena& arena,
             const std::function<std::optional<Node>(const Node*)>& leaf) {
  const Step& step = path[i];
  const bool last = i + 1 == path.size();
  Node copy = node;
  if (node.kind == NodeKind::Map) {
    std::vector<Member> members(node.members, node.members + node.size);
    auto it = std::find_if(members.begin(), members.end(), [&](const Member& m) { return m.key() == step.key; });
    if (it == members.end()) {
      members.push_back({arena.copy(step.key), Node{}});
      it = members.end() - 1;
      if (std::optional<Node> value = leaf(nullptr)) it->value = *value;
      else members.pop_back();
    } else if (last) {
      if (std::optional<Node> value = leaf(&it->value)) it->value = *value;
      else members.erase(it);
    } else {
      it->value = rebuild(it->value, path, i + 1, arena, leaf);
    }
    Member* stored = arena.allocate<Member>(members.size());
    std::copy(members.begin(), members.end(), stored);
    copy.members = stored;
    copy.size = static_cast<uint32_t>(members.size());
  } else {
    std::vector<Node> items(node.items, node.items + node.size);
    const size_t index = static_cast<size_t>(step.index);
    if (index == items.size()) {
      if (std::optional<Node> value = leaf(nullptr)) items.push_back(*value);
    } else if (last) {
      if (std::optional<Node> value = leaf(&items[index])) items[index] = *value;
      else items.erase(items.begin() + static_cast<ptrdiff_t>(index));
    } else {
      items[index] = rebuild(items[index], path, i + 1, arena, leaf);
    }
    Node* stored = arena.allocate<Node>(items.size());
    std::copy(items.begin(), items.end(), stored);
    copy.items = stored;
    copy.size = static_cast<uint32_t>(items.size());
  }
  return copy;
}

Node* store(const Node& node, Arena& arena) {
  Node* stored = arena.allocate<Node>(1);
  *stored = node;
  return stored;
}

}  // namespace

std::string json_pointer(const Pointer& pointer) {
  std::string out;
  for (const Step& step : pointer) {
    out += '/';
    if (step.index >= 0) {
      out += std::to_string(step.index);
      continue;
    }
    for (const char c : step.key) {
      if (c == '~') out += "~0";
      else if (c == '/') out += "~1";
      else out += c;
    }
  }
  return out;
}

std::optional<Pointer> pointer_to(const Node* root, const Node* target) {
  Pointer path;
  if (root && target && search(root, target, path)) return path;
  return std::nullopt;
}

const Node* resolve(const Node* root, const Pointer& pointer) {
  const Node* node = root;
  for (const Step& step : pointer) {
    if (!node) return nullptr;
    if (step.index >= 0) {
      node = node->kind == NodeKind::List && static_cast<uint64_t>(step.index) < node->size ? &node->items[step.index]
                                                                                           : nullptr;
    } else {
      node = node->find(step.key);
    }
  }
  return node;
}

Node to_node(const Value& value, Arena& arena) {
  if (const Node* node = value.document_node()) return *node;
  Node node;
  switch (value.type()) {
    case Type::Null: break;
    case Type::Bool: node.kind = NodeKind::Bool; node.boolean = value.as_bool(); break;
    case Type::Int: node.kind = NodeKind::Int; node.integer = value.as_int(); break;
    case Type::Float: node.kind = NodeKind::Float; node.number = value.as_float(); break;
    case Type::String:
    case Type::Version: {
      const std::string text = value.type() == Type::String ? std::string(value.as_string()) : value.to_display();
      const std::string_view copy = arena.copy(text);
      node.kind = NodeKind::String;
      node.chars = copy.data();
      node.size = static_cast<uint32_t>(copy.size());
      break;
    }
    case Type::List: {
      Node* items = arena.allocate<Node>(value.size());
      for (size_t i = 0; i < value.size(); ++i) items[i] = to_node(value.at(i), arena);
      node.kind = NodeKind::List;
      node.items = items;
      node.size = static_cast<uint32_t>(value.size());
      break;
    }
    case Type::Map: {
      Member* members = arena.allocate<Member>(value.size());
      for (size_t i = 0; i < value.size(); ++i) members[i] = {arena.copy(value.key_at(i)), to_node(value.value_at(i), arena)};
      node.kind = NodeKind::Map;
      node.members = members;
      node.size = static_cast<uint32_t>(value.size());
      break;
    }
  }
  return node;
}

std::string TreeEditor::set(const Pointer& path, const Node& value) {
  if (path.empty()) return "cannot replace the whole document";
  // The first step that is absent (or null): from there on, maps are created.
  size_t present = 0;
  const Node* node = root_;
  for (; present < path.size(); ++present) {
    const Node* next = resolve(node, {path[present]});
    if (!next || next->kind == NodeKind::Null) break;
    if (present + 1 < path.size() && next->kind != NodeKind::Map && next->kind != NodeKind::List) {
      return fmt::format("{} is {}, not a map", json_pointer(prefix(path, present + 1)),
                         next->kind == NodeKind::String ? "a string" : "a scalar");
    }
    node = next;
  }
  if (present < path.size() && node->kind == NodeKind::List) return "cannot create a list item by its index";
  Node nested = value;
  for (size_t i = path.size(); i-- > present + 1;) {
    if (path[i].index >= 0) return "cannot create a list item by its index";
    Member* member = arena_.allocate<Member>(1);
    *member = {arena_.copy(path[i].key), nested};
    nested = Node{};
    nested.kind = NodeKind::Map;
    nested.members = member;
    nested.size = 1;
  }
  const size_t changed = std::min(present, path.size() - 1);
  const Pointer at = prefix(path, changed + 1);
  const bool exists = resolve(root_, at) != nullptr;
  root_ = store(rebuild(*root_, at, 0, arena_, [&](const Node*) { return std::optional<Node>(nested); }), arena_);
  operations_.push_back({exists ? PatchOperation::Kind::Replace : PatchOperation::Kind::Add, json_pointer(at),
                         store(nested, arena_)});
  return "";
}

void TreeEditor::remove(const Pointer& path) {
  if (path.empty() || !resolve(root_, path)) return;
  root_ = store(rebuild(*root_, path, 0, arena_, [](const Node*) { return std::optional<Node>(); }), arena_);
  operations_.push_back({PatchOperation::Kind::Remove, json_pointer(path), nullptr});
}

std::string TreeEditor::append(const Pointer& path, const Node& value) {
  const Node* list = resolve(root_, path);
  if (!list || list->kind == NodeKind::Null) {
    Node* item = arena_.allocate<Node>(1);
    *item = value;
    Node fresh;
    fresh.kind = NodeKind::List;
    fresh.items = item;
    fresh.size = 1;
    return set(path, fresh);
  }
  if (list->kind != NodeKind::List) return fmt::format("{} is not a list", json_pointer(path));
  Pointer end = path;
  end.push_back({"", static_cast<int64_t>(list->size)});
  root_ = store(rebuild(*root_, end, 0, arena_, [&](const Node*) { return std::optional<Node>(value); }), arena_);
  operations_.push_back({PatchOperation::Kind::Add, json_pointer(path) + "/-", store(value, arena_)});
  return "";
}

}  // namespace pol::runtime
