// SPDX-License-Identifier: Apache-2.0
// Edits of a document tree without copying it: an edit copies only the nodes on the path from
// the root to the changed field (the rest is shared with the original), and records the RFC 6902
// operation that makes the same change, with an RFC 6901 pointer relative to the document.
// Mutations use it; the original document stays intact for anyone still reading it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runtime/document.hpp"
#include "runtime/value.hpp"

namespace pol::runtime {

// One step of a path: a map key, or a list index (index >= 0).
struct Step {
  std::string key;
  int64_t index = -1;
};
using Pointer = std::vector<Step>;

// "/spec/containers/0/securityContext", with `~` and `/` escaped as RFC 6901 says.
std::string json_pointer(const Pointer& pointer);

// The path from `root` to `target` (a node of that tree), or nullopt.
std::optional<Pointer> pointer_to(const Node* root, const Node* target);

// The node at `pointer`, or nullptr when some step is absent.
const Node* resolve(const Node* root, const Pointer& pointer);

// A value computed by a policy, as a document node in `arena` (document nodes are shared).
Node to_node(const Value& value, Arena& arena);

struct PatchOperation {
  enum class Kind { Add, Replace, Remove } kind = Kind::Add;
  std::string path;
  const Node* value = nullptr;  // Add, Replace
  const char* op() const { return kind == Kind::Add ? "add" : kind == Kind::Replace ? "replace" : "remove"; }
};

class TreeEditor {
 public:
  TreeEditor(const Node* root, Arena& arena) : root_(root), arena_(arena) {}

  const Node* root() const { return root_; }
  const std::vector<PatchOperation>& operations() const { return operations_; }

  // Sets the field at `path`, creating the maps that lead to it; "" or an error message.
  std::string set(const Pointer& path, const Node& value);
  // Removes the field or list item at `path` (nothing when absent).
  void remove(const Pointer& path);
  // Appends to the list at `path`, creating the list (and the maps to it) when absent.
  std::string append(const Pointer& path, const Node& value);

 private:
  const Node* root_;
  Arena& arena_;
  std::vector<PatchOperation> operations_;
};

}  // namespace pol::runtime
