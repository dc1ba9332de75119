// SPDX-License-Identifier: Apache-2.0
// The Locator walks down by positions (children start in document order) and falls back to a
// search of the tree when positions are missing or out of order. Both must name the same place:
// every node of every PSA fixture and corpus pod is located in the document and in a copy of it
// without positions (which only the search can place), and the paths and containers compared;
// YAML aliases and merge keys (nodes in two places) are placed as the search alone placed them.
#include <catch2/catch.hpp>

#include "runtime/locator.hpp"
#include "../helpers.hpp"

using namespace pol::runtime;

namespace {

// A copy of `node`'s tree with no positions (line 0), in `arena`.
Node without_positions(const Node& node, Arena& arena) {
  Node copy = node;
  copy.line = copy.column = 0;
  if (node.kind == NodeKind::List && node.size > 0) {
    Node* items = arena.allocate<Node>(node.size);
    for (uint32_t i = 0; i < node.size; ++i) items[i] = without_positions(node.items[i], arena);
    copy.items = items;
  } else if (node.kind == NodeKind::Map && node.size > 0) {
    Member* members = arena.allocate<Member>(node.size);
    for (uint32_t i = 0; i < node.size; ++i) {
      members[i] = Member(node.members[i].key(), without_positions(node.members[i].value, arena));
    }
    copy.members = members;
  }
  return copy;
}

// Locates each node of `root` (fresh locators: the first lookups are the walk's) and the node at
// the same place in `bare`; the two must have the same path and container.
size_t compare_places(const Node* root, const Node* node, const Node* bare_root, const Node* bare) {
  const Location walked = Locator(root).locate(node);
  const Location searched = Locator(bare_root).locate(bare);
  INFO(walked.path << " vs " << searched.path);
  REQUIRE(walked.path == searched.path);
  REQUIRE(walked.container == searched.container);
  REQUIRE(walked.line == node->line);
  size_t count = 1;
  if (node->kind == NodeKind::List) {
    for (uint32_t i = 0; i < node->size; ++i) count += compare_places(root, &node->items[i], bare_root, &bare->items[i]);
  } else if (node->kind == NodeKind::Map) {
    for (uint32_t i = 0; i < node->size; ++i) {
      count += compare_places(root, &node->members[i].value, bare_root, &bare->members[i].value);
    }
  }
  return count;
}

size_t compare_document(const Node* root) {
  Arena arena;
  const Node bare = without_positions(*root, arena);
  return compare_places(root, root, &bare, &bare);
}

}  // namespace

TEST_CASE("the locator's walk by positions names the places its search names", "[locator]") {
  size_t nodes = 0;
  const size_t documents = pol::test::for_each_data_pod([&](const std::string& file, const Document& document) {
    INFO(file);
    nodes += compare_document(document.root);
  });
  CHECK(documents > 4500);
  CHECK(nodes > 100000);
}

TEST_CASE("the locator places nodes shared by YAML aliases and merge keys, and JSON on one line", "[locator]") {
  const auto aliased = pol::test::yaml(R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  securityContext: &context {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: a
    securityContext: *context
  - name: b
    securityContext:
      <<: *context
      privileged: true
)");
  // Nodes an alias shares are placed where they first appear, at the anchor; what a merge key
  // copies is placed where it was merged (the same places the search alone gave).
  const Node* root = aliased.documents[0].root;
  const Node* containers = root->find("spec")->find("containers");
  const auto place = [&](const Node* node) { return Locator(root).locate(node); };
  const Node* first = containers->items[0].find("securityContext");
  CHECK(place(first).path == "spec.containers[0].securityContext");
  CHECK(place(first->find("runAsNonRoot")).path == "spec.securityContext.runAsNonRoot");
  CHECK(place(first->find("seccompProfile")->find("type")).path == "spec.securityContext.seccompProfile.type");
  const Node* merged = containers->items[1].find("securityContext");
  CHECK(place(merged->find("runAsNonRoot")).path == "spec.containers[1].securityContext.runAsNonRoot");
  CHECK(place(merged->find("runAsNonRoot")).container == "b");
  CHECK(place(merged->find("seccompProfile")->find("type")).path == "spec.securityContext.seccompProfile.type");
  CHECK(place(merged->find("privileged")).path == "spec.containers[1].securityContext.privileged");
  const auto json = pol::test::json(R"({"spec": {"containers": [{"name": "a", "ports": [{"hostPort": 1}, {"hostPort": 2}]}]}})");
  compare_document(json.documents[0].root);
  const Node* port = json.documents[0].root->find("spec")->find("containers")->items[0].find("ports")->items[1].find("hostPort");
  const Location location = Locator(json.documents[0].root).locate(port);
  CHECK(location.path == "spec.containers[0].ports[1].hostPort");
  CHECK(location.container == "a");
}
