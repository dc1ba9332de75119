// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "runtime/value.hpp"
#include "../helpers.hpp"

using pol::runtime::Node;
using pol::runtime::NodeKind;
using pol::runtime::Value;
using pol::test::yaml;

TEST_CASE("plain scalars are typed as Kubernetes (go-yaml v2) reads them", "[yaml]") {
  const auto loaded = yaml(
      "a: yes\nb: Off\nc: 0644\nd: 0x1F\ne: -12\nf: 1.5e3\ng: ~\nh: \"true\"\ni: '0644'\nj: 1_000\nk: 1.2.3\nl: null\nm:\n"
      "r: 733e510428\ns: 0O17\nt: 18446744073709551615\nu: 08\n");
  REQUIRE(loaded.errors.empty());
  const Value v = Value::node(loaded.documents.at(0).root);
  CHECK(v.get("a").type() == pol::runtime::Type::Bool);
  CHECK(v.get("a").as_bool());
  CHECK_FALSE(v.get("b").as_bool());
  CHECK(v.get("c").as_int() == 420);
  CHECK(v.get("d").as_int() == 31);
  CHECK(v.get("e").as_int() == -12);
  CHECK(v.get("f").as_float() == 1500.0);
  CHECK(v.get("g").is_null());
  CHECK(v.get("h").as_string() == "true");
  CHECK(v.get("i").as_string() == "0644");
  CHECK(v.get("j").as_int() == 1000);
  CHECK(v.get("k").as_string() == "1.2.3");
  CHECK(v.get("m").is_null());
  CHECK(v.get("r").as_string() == "733e510428");  // overflows as a float: text, as for Kubernetes
  CHECK(v.get("s").as_int() == 15);
  CHECK(v.get("t").as_float() == 18446744073709551615.0);  // kept exact in the document, a number to policies
  CHECK(v.get("u").type() == pol::runtime::Type::Float);    // not octal, so Go reads a float
}

TEST_CASE("keys are typed, then made text, as Kubernetes makes them", "[yaml]") {
  const auto loaded = yaml("007: a\nyes: b\n1e3: c\n0.1: d\n.inf: e\n");
  REQUIRE(loaded.errors.empty());
  const Node* root = loaded.documents.at(0).root;
  std::vector<std::string_view> keys;
  for (uint32_t i = 0; i < root->size; ++i) keys.push_back(root->members[i].key());
  CHECK(keys == std::vector<std::string_view>{"7", "true", "1000", "0.1", ".inf"});
  CHECK_THAT(yaml("~: a\n").errors.at(0).message, Catch::Contains("cannot be null"));
  CHECK_THAT(yaml("1: a\n01: b\n").errors.at(0).message, Catch::Contains("duplicate key \"1\""));
}

TEST_CASE("numbers JSON cannot carry are errors, as Kubernetes rejects them", "[yaml]") {
  for (const char* text : {"a: .inf\n", "a: -.Inf\n", "a: [.nan]\n"}) {
    const auto loaded = yaml(text);
    REQUIRE(loaded.errors.size() == 1);
    CHECK_THAT(loaded.errors[0].message, Catch::Contains("not a number JSON can carry"));
  }
}

TEST_CASE("nodes keep 1-based line and column", "[yaml]") {
  const auto loaded = yaml("kind: Pod\nspec:\n  containers:\n  - name: web\n    image: nginx\n");
  const auto* root = loaded.documents.at(0).root;
  const auto* image = root->find("spec")->find("containers")->items[0].find("image");
  CHECK(image->line == 5);
  CHECK(image->column == 12);
}

TEST_CASE("multi-document streams keep every document's index", "[yaml]") {
  const auto loaded = yaml("a: 1\n---\n# only a comment\n---\nb: 2\n---\n- x\n");
  REQUIRE(loaded.errors.empty());
  REQUIRE(loaded.documents.size() == 3);
  CHECK(loaded.documents[0].index == 0);
  CHECK(loaded.documents[1].index == 2);  // the empty document still counts
  CHECK(loaded.documents[2].root->kind == NodeKind::List);
}

TEST_CASE("anchors, aliases and merge keys", "[yaml]") {
  const auto loaded = yaml("base: &b {x: 1, y: 2}\nuse: *b\nmerged:\n  <<: *b\n  z: 3\n");
  REQUIRE(loaded.errors.empty());
  const Value v = Value::node(loaded.documents[0].root);
  CHECK(v.get("use").get("x").as_int() == 1);
  CHECK(v.get("merged").get("x").as_int() == 1);
  CHECK(v.get("merged").get("z").as_int() == 3);
  // Kubernetes' strict decoding rejects a key set both by the merge and by the map.
  CHECK_THAT(yaml("base: &b {x: 1}\nmerged:\n  <<: *b\n  x: 3\n").errors.at(0).message,
             Catch::Contains("set twice"));
  CHECK_THAT(yaml("merged:\n  <<: text\n").errors.at(0).message, Catch::Contains("needs a map"));
}

TEST_CASE("errors name their position; earlier documents are kept", "[yaml]") {
  const auto loaded = yaml("a: 1\n---\nb: [1, 2\n");
  REQUIRE(loaded.documents.size() == 1);
  REQUIRE(loaded.errors.size() == 1);
  CHECK(loaded.errors[0].document == 1);
  CHECK(loaded.errors[0].line == 4);
  CHECK_THAT(loaded.errors[0].message, Catch::StartsWith("invalid YAML: did not find expected ',' or ']'"));
}

TEST_CASE("duplicate keys and excessive nesting are errors", "[yaml]") {
  CHECK_THAT(yaml("a: 1\na: 2\n").errors.at(0).message, Catch::Contains("duplicate key \"a\""));
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const auto loaded = yaml(deep);
  REQUIRE(loaded.errors.size() == 1);
  CHECK_THAT(loaded.errors[0].message, Catch::Contains("nesting deeper than 256 levels"));
}

TEST_CASE("a broken document costs only itself: reading resumes at the next ---", "[yaml]") {
  const auto loaded = yaml("a: 1\n---\nb: [1, 2\n---\nc: 3\n---\nd: \x01\n---\ne:\n  f: 5\n");
  REQUIRE(loaded.errors.size() == 2);
  CHECK(loaded.errors[0].document == 1);
  CHECK(loaded.errors[1].document == 3);
  CHECK(loaded.errors[1].line == 7);  // bad bytes are placed by their offset
  CHECK(loaded.errors[1].column == 4);
  REQUIRE(loaded.documents.size() == 3);
  CHECK(loaded.documents[1].index == 2);
  CHECK(loaded.documents[2].index == 4);
  const Node* f = loaded.documents[2].root->find("e")->find("f");
  CHECK(f->line == 10);  // positions count the lines of the parts before
  CHECK(f->column == 6);
}

TEST_CASE("a duplicate key is reported at the key; large maps stay linear", "[yaml]") {
  const auto duplicate = yaml("a: 1\nb: 2\na: 3\n");
  REQUIRE(duplicate.errors.size() == 1);
  CHECK(duplicate.errors[0].line == 3);
  CHECK(duplicate.errors[0].column == 1);
  std::string big;
  for (int i = 0; i < 50000; ++i) big += "k" + std::to_string(i) + ": v\n";
  CHECK(yaml(big).documents.at(0).root->size == 50000);
  CHECK_THAT(yaml(big + "k49999: again\n").errors.at(0).message, Catch::Contains("duplicate key \"k49999\""));
}

TEST_CASE("aliases that expand to millions of nodes are refused", "[yaml]") {
  std::string laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char name = 'b'; name <= 'j'; ++name) {
    laughs += fmt::format("{}: &{} [*{}, *{}, *{}, *{}, *{}, *{}, *{}, *{}, *{}, *{}]\n", name, name, char(name - 1),
                          char(name - 1), char(name - 1), char(name - 1), char(name - 1), char(name - 1), char(name - 1),
                          char(name - 1), char(name - 1), char(name - 1));
  }
  const auto loaded = yaml(laughs);
  REQUIRE(loaded.errors.size() == 1);
  CHECK_THAT(loaded.errors[0].message, Catch::Contains("aliases expand to more than 1000000 nodes"));
  CHECK(yaml("a: &a [1, 2]\nb: [*a, *a, *a]\n").errors.empty());  // ordinary reuse is fine
}

TEST_CASE("line breaks libyaml counts and broken documents by the thousand (fuzz finding Y1)", "[yaml]") {
  for (const char* text : {"-\re\n---", "-\xC2\x85" "e\n---", "a: 1\r---\rb: [\r---\rc: 3\r"}) {
    const auto loaded = yaml(text);
    CHECK(loaded.errors.size() >= 1);
  }
  const auto mixed = yaml("a: 1\r---\rb: [\r---\rc: 3\r");
  REQUIRE(mixed.documents.size() == 2);
  CHECK(mixed.documents[1].root->find("c")->line == 5);
  std::string many;
  for (int i = 0; i < 40000; ++i) many += "---\n[\n";
  const auto broken = yaml(many);  // one stack frame per broken document overflowed before
  CHECK(broken.errors.size() == 40000);
}
