// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "../helpers.hpp"

using pol::test::compile;

TEST_CASE("a valid policy lowers to a program with slots and checks", "[checker]") {
  auto program = compile(R"(
policy "p"
const limit = 2
fn names(cs) = [c.name for c in cs]
check a {
  level baseline
  let bad = [c for c in all_containers if c["x"]]
  deny if len(bad) > limit reason "r" detail "{names(bad)}"
}
check b { since v1.22 warn if true reason "w" }
)", nullptr, /*optimize=*/false);
  REQUIRE(program);
  CHECK(program->name == "p");
  REQUIRE(program->checks.size() == 2);
  CHECK(program->checks[0].slot_count == 2);  // bad + the comprehension variable
  CHECK(program->checks[1].since == pol::lang::Version{1, 22});
}

TEST_CASE("constants are folded at compile time", "[checker]") {
  auto program = compile("const caps = sort([\"b\", \"a\"])\ncheck c { deny if \"a\" in caps reason \"{caps}\" }");
  REQUIRE(program);
  const auto& rule = program->checks[0].rules[0];
  REQUIRE(rule.condition->args[1]->op == pol::runtime::Op::Constant);
  CHECK(rule.condition->args[1]->constant.to_display() == "[a, b]");
}

TEST_CASE("the checker reports every error of a file at once", "[checker]") {
  std::string errors;
  auto program = compile(R"(
check a { deny if nope reason "r" }
check a { deny if lower(1, 2) reason 5 }
check c { level strict deny if "x" reason "r" }
)", &errors);
  CHECK_FALSE(program);
  CHECK_THAT(errors, Catch::Contains("test.pol:2:19: error: unknown name 'nope'"));
  CHECK_THAT(errors, Catch::Contains("test.pol:3:7: error: duplicate check id 'a'"));
  CHECK_THAT(errors, Catch::Contains("test.pol:4:17: error: unknown level 'strict'"));
  CHECK_THAT(errors, Catch::Contains("test.pol:4:32: error: a rule's condition must be a bool, got a string"));
}

TEST_CASE("static type errors need both types known", "[checker]") {
  std::string errors;
  CHECK(compile("check c { deny if spec[\"x\"] + 1 > 0 reason \"r\" }", &errors));  // not in the schema: not known
  CHECK_FALSE(compile("check c { deny if \"a\" + 1 == \"a1\" reason \"r\" }", &errors));
  CHECK_THAT(errors, Catch::Contains("cannot apply '+' to a string and an int"));
  CHECK_FALSE(compile("check c { deny if any(x in 5: true) reason \"r\" }", &errors));
  CHECK_THAT(errors, Catch::Contains("cannot iterate over an int"));
}

TEST_CASE("plans select checks by level and version and apply replaces", "[checker]") {
  auto program = compile(R"(
check b1 { level baseline deny if true reason "b1" }
check b2 { level baseline deny if true reason "b2" }
check r1 { level restricted since v1.22 replaces b1 deny if true reason "r1" }
check any { deny if true reason "any" }
)");
  REQUIRE(program);
  const auto ids = [&](const char* profile) {
    std::string out;
    for (const auto* check : program->plan(*pol::runtime::parse_profile(profile))) out += check->id + " ";
    return out;
  };
  CHECK(ids("privileged") == "any ");
  CHECK(ids("baseline") == "b1 b2 any ");
  CHECK(ids("restricted:v1.21") == "b1 b2 any ");
  CHECK(ids("restricted:v1.22") == "b2 r1 any ");
  CHECK(ids("restricted:latest") == "b2 r1 any ");
}

TEST_CASE("profiles parse as Pod Security Admission writes them", "[checker]") {
  using pol::runtime::parse_profile;
  CHECK(parse_profile("restricted")->label() == "restricted:latest");
  CHECK(parse_profile("baseline:v1.25")->label() == "baseline:v1.25");
  CHECK(parse_profile("privileged:latest")->label() == "privileged:latest");
  CHECK_FALSE(parse_profile("baseline:v1.05"));
  CHECK_FALSE(parse_profile("baseline:1.25"));
  CHECK_FALSE(parse_profile("strict"));
  CHECK_FALSE(parse_profile("baseline:v2.0"));
}
