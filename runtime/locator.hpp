// SPDX-License-Identifier: Apache-2.0
// Where a document node lies: its path from the root (`spec.containers[0].securityContext`),
// the container it is in, its line and column. Nodes do not know their parents, so the first
// few lookups search the tree (a pod has a few hundred nodes); past that, an index from each
// node to its parent is built once, so that locating every field of a document with 100,000
// offending containers takes time linear in the document, not quadratic.
#pragma once

#include <unordered_map>
#include <vector>

#include "runtime/document.hpp"
#include "runtime/result.hpp"

namespace pol::runtime {

class Locator {
 public:
  explicit Locator(const Node* root) : root_(root) {}
  // An empty path when `target` is not in this document.
  Location locate(const Node* target);

 private:
  struct Step {  // one step from the root towards a node: the map or list, and which member or item
    const Node* parent;
    uint32_t index;
  };
  static constexpr uint32_t searches_before_index = 8;
  bool trail_to(const Node* target, std::vector<Step>& trail);
  bool descend_to(const Node* target, std::vector<Step>& trail) const;
  void index(const Node* node);

  const Node* root_;
  uint32_t searches_ = 0;
  std::unordered_map<const Node*, Step> parents_;  // built on the (searches_before_index + 1)th lookup
};

// One lookup, for a caller that has a single node to place.
inline Location locate(const Node* root, const Node* target) { return Locator(root).locate(target); }

}  // namespace pol::runtime
