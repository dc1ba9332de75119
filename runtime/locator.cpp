// SPDX-License-Identifier: Apache-2.0
#include "runtime/locator.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace pol::runtime {

namespace {

// ASCII letters, digits and '_', whatever the process's locale (std::isalnum follows it).
bool is_identifier(std::string_view key) {
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (key.empty() || digit(key[0])) return false;
  for (const char c : key) {
    if (!digit(c) && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && c != '_') return false;
  }
  return true;
}

bool is_collection(const Node* node) { return node->kind == NodeKind::Map || node->kind == NodeKind::List; }

const Node* child(const Node* node, uint32_t index) {
  return node->kind == NodeKind::Map ? &node->members[index].value : &node->items[index];
}

}  // namespace

void Locator::index(const Node* root) {
  std::vector<const Node*> pending{root};  // an explicit stack: documents may nest deeply
  while (!pending.empty()) {
    const Node* node = pending.back();
    pending.pop_back();
    if (!is_collection(node)) continue;
    for (uint32_t i = 0; i < node->size; ++i) {
      const Node* item = child(node, i);
      parents_.emplace(item, Step{node, i});
      pending.push_back(item);
    }
  }
}

// Children start in document order, each after the one before: the target lies in the last
// child that starts at or before it. A walk down by positions, as long as they are known and in
// order (a mutation's new nodes have none); whether it reached the target is checked.
bool Locator::descend_to(const Node* target, std::vector<Step>& trail) const {
  const auto starts_by = [](const Node* node, const Node* point) {
    return node->line < point->line || (node->line == point->line && node->column <= point->column);
  };
  if (target->line == 0) return false;
  for (const Node* node = root_; node != target;) {
    if (!is_collection(node) || node->size == 0 || !starts_by(node, target)) return false;
    uint32_t chosen = UINT32_MAX;
    for (uint32_t i = 0; i < node->size; ++i) {
      const Node* item = child(node, i);
      if (item->line == 0) return false;
      if (!starts_by(item, target)) break;
      chosen = i;
    }
    if (chosen == UINT32_MAX) return false;
    trail.push_back({node, chosen});
    node = child(node, chosen);
  }
  return true;
}

bool Locator::trail_to(const Node* target, std::vector<Step>& trail) {
  if (++searches_ > searches_before_index) {
    if (parents_.empty()) index(root_);
    for (const Node* node = target; node != root_;) {
      const auto it = parents_.find(node);
      if (it == parents_.end()) return false;
      trail.push_back(it->second);
      node = it->second.parent;
    }
    std::reverse(trail.begin(), trail.end());
    return true;
  }
  // The few lookups of a usual pod: by positions, else depth first, building nothing. A walk
  // scans each level's children, so many lookups (100,000 containers) use the index above.
  if (descend_to(target, trail)) return true;
  trail.clear();
  std::vector<Step> stack;
  if (root_ == target) return true;
  if (!is_collection(root_)) return false;
  stack.push_back({root_, 0});
  while (!stack.empty()) {
    Step& top = stack.back();
    if (top.index >= top.parent->size) {
      stack.pop_back();
      if (!stack.empty()) ++stack.back().index;
      continue;
    }
    const Node* node = child(top.parent, top.index);
    if (node == target) {
      trail = std::move(stack);
      return true;
    }
    if (is_collection(node) && node->size > 0) {
      stack.push_back({node, 0});
    } else {
      ++top.index;
    }
  }
  return false;
}

Location Locator::locate(const Node* target) {
  Location location;
  if (!root_ || !target) return location;
  location.line = target->line;
  location.column = target->column;
  std::vector<Step> trail;
  trail.reserve(16);  // deeper than any pod's field paths: one allocation
  if (!trail_to(target, trail)) return location;
  std::string& path = location.path;
  path.reserve(96);  // longer than a workload's usual field paths: one allocation
  for (size_t k = 0; k < trail.size(); ++k) {
    const Step& step = trail[k];
    if (step.parent->kind == NodeKind::List) {
      fmt::format_to(std::back_inserter(path), "[{}]", step.index);
      continue;
    }
    const Member& m = step.parent->members[step.index];
    if (is_identifier(m.key())) {
      if (!path.empty()) path += '.';
      path += m.key();
    } else {
      fmt::format_to(std::back_inserter(path), "[\"{}\"]", m.key());
    }
    // The target lies in an item of a container list: name the (innermost such) container.
    if (m.value.kind == NodeKind::List && m.key().ends_with("ontainers") && k + 1 < trail.size()) {
      const Node* name = m.value.items[trail[k + 1].index].find("name");
      if (name && name->kind == NodeKind::String) location.container = std::string(name->string());
    }
  }
  return location;
}

}  // namespace pol::runtime
