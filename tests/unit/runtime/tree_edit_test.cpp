// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "runtime/emit.hpp"
#include "runtime/tree_edit.hpp"
#include "../helpers.hpp"

using namespace pol::runtime;
using pol::test::yaml;

namespace {

Node string_node(Arena& arena, std::string_view text) { return to_node(Value::string(std::string(text)), arena); }

}  // namespace

TEST_CASE("JSON pointers escape ~ and / as RFC 6901 says", "[tree_edit]") {
  CHECK(json_pointer({{"metadata", -1}, {"annotations", -1}, {"a/b~c", -1}}) == "/metadata/annotations/a~1b~0c");
  CHECK(json_pointer({{"spec", -1}, {"containers", -1}, {"", 0}}) == "/spec/containers/0");
  CHECK(json_pointer({}).empty());
}

TEST_CASE("set creates the maps on the way, in one add operation", "[tree_edit]") {
  const auto loaded = yaml("spec:\n  containers:\n  - name: app\n  volumes: [{name: v}]\n");
  Arena arena;
  TreeEditor editor(loaded.documents[0].root, arena);
  const Pointer drop{{"spec", -1}, {"containers", -1}, {"", 0}, {"securityContext", -1}, {"capabilities", -1}, {"drop", -1}};
  CHECK(editor.set(drop, string_node(arena, "ALL")).empty());
  REQUIRE(editor.operations().size() == 1);
  CHECK(editor.operations()[0].kind == PatchOperation::Kind::Add);
  CHECK(editor.operations()[0].path == "/spec/containers/0/securityContext");
  CHECK(to_json(*editor.operations()[0].value) == R"({"capabilities":{"drop":"ALL"}})");
  CHECK(to_json(*editor.root()) ==
        R"({"spec":{"containers":[{"name":"app","securityContext":{"capabilities":{"drop":"ALL"}}}],"volumes":[{"name":"v"}]}})");
  // The input is untouched, and what the edit did not touch is shared, not copied.
  CHECK(to_json(*loaded.documents[0].root) == R"({"spec":{"containers":[{"name":"app"}],"volumes":[{"name":"v"}]}})");
  CHECK(resolve(editor.root(), {{"spec", -1}, {"volumes", -1}})->items ==
        resolve(loaded.documents[0].root, {{"spec", -1}, {"volumes", -1}})->items);
}

TEST_CASE("replace, remove and append", "[tree_edit]") {
  const auto loaded = yaml("a: null\nb: 1\nlist: [x]\n");
  Arena arena;
  TreeEditor editor(loaded.documents[0].root, arena);
  CHECK(editor.set({{"a", -1}, {"deep", -1}}, string_node(arena, "v")).empty());  // a null is replaced
  CHECK(editor.set({{"b", -1}}, string_node(arena, "two")).empty());
  editor.remove({{"list", -1}, {"", 0}});
  editor.remove({{"missing", -1}});  // nothing to do
  CHECK(editor.append({{"list", -1}}, string_node(arena, "y")).empty());
  CHECK(editor.append({{"fresh", -1}}, string_node(arena, "z")).empty());
  std::vector<std::string> ops;
  for (const PatchOperation& op : editor.operations()) ops.push_back(std::string(op.op()) + " " + op.path);
  CHECK(ops == std::vector<std::string>{"replace /a", "replace /b", "remove /list/0", "add /list/-", "add /fresh"});
  CHECK(to_json(*editor.root()) == R"({"a":{"deep":"v"},"b":"two","list":["y"],"fresh":["z"]})");
}

TEST_CASE("a path through a scalar or a missing list item is refused", "[tree_edit]") {
  const auto loaded = yaml("spec: {name: x, list: []}\n");
  Arena arena;
  TreeEditor editor(loaded.documents[0].root, arena);
  CHECK(editor.set({{"spec", -1}, {"name", -1}, {"deep", -1}}, Node{}) == "/spec/name is a string, not a map");
  CHECK(editor.set({{"spec", -1}, {"list", -1}, {"", 3}, {"x", -1}}, Node{}) == "cannot create a list item by its index");
  CHECK(editor.operations().empty());
}

TEST_CASE("YAML output quotes what would read back as another type", "[emit]") {
  const auto loaded = yaml("a: \"true\"\nb: \"0644\"\nc: \"1.0\"\nd: plain-text\ne: \"\"\nf: [1, 2.5, null, yes]\ng: {}\n");
  const std::string out = to_yaml(*loaded.documents[0].root);
  CHECK(out == "a: \"true\"\nb: \"0644\"\nc: \"1.0\"\nd: plain-text\ne: \"\"\nf:\n- 1\n- 2.5\n- null\n- true\ng: {}\n");
  const auto again = yaml(out);
  CHECK(to_json(*again.documents[0].root) == to_json(*loaded.documents[0].root));
}
