// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "runtime/value.hpp"
#include "../helpers.hpp"

using pol::runtime::Value;

TEST_CASE("equality is deep and numeric across int and float", "[value]") {
  CHECK(Value::integer(1) == Value::number(1.0));
  CHECK_FALSE(Value::integer(1) == Value::string("1"));
  CHECK(Value() == Value());
  CHECK(Value::list({Value::integer(1), Value::string("a")}) == Value::list({Value::number(1), Value::string("a")}));
  CHECK_FALSE(Value::list({Value::integer(1)}) == Value::list({}));
  CHECK(Value::map({{"a", Value::integer(1)}, {"b", Value()}}) == Value::map({{"b", Value()}, {"a", Value::integer(1)}}));
}

TEST_CASE("document values are views of their nodes and equal computed ones", "[value]") {
  const auto loaded = pol::test::yaml("a: [1, two]\nb: {c: true}\n");
  REQUIRE(loaded.documents.size() == 1);
  const Value root = Value::node(loaded.documents[0].root);
  CHECK(root.get("a") == Value::list({Value::integer(1), Value::string("two")}));
  CHECK(root.get("a").document_node() != nullptr);
  CHECK(root.get("b").get("c").as_bool());
  CHECK(root.get("missing").is_null());
  CHECK(root.get("a").get("x").is_null());  // member of a list: absent, not an error
  CHECK(root.key_at(1) == "b");
}

TEST_CASE("ordering sorts strings by bytes, numbers by value, types by rank", "[value]") {
  using pol::runtime::less_than;
  CHECK(less_than(Value::string("B"), Value::string("a")));
  CHECK(less_than(Value::string("10000"), Value::string("8080")));
  CHECK(less_than(Value::integer(2), Value::number(2.5)));
  CHECK(less_than(Value(), Value::boolean(false)));
  CHECK(less_than(Value::integer(99), Value::string("0")));
}

TEST_CASE("display forms", "[value]") {
  CHECK(Value::list({Value::string("a"), Value::integer(1), Value()}).to_display() == "[a, 1, null]");
  CHECK(Value::map({{"k", Value::boolean(true)}}).to_display() == "{k: true}");
  CHECK(Value::version({1, 25}).to_display() == "v1.25");
  CHECK(Value::version({1, pol::lang::Version::latest_minor}).to_display() == "latest");
}
