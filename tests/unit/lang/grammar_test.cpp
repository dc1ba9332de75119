// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>
#include <tao/pegtl/contrib/analyze.hpp>

#include "lang/grammar.hpp"

namespace g = pol::lang::grammar;
namespace pegtl = tao::pegtl;

namespace {

template <class Rule>
bool matches_whole(const std::string& text) {
  pegtl::memory_input<> in(text, "test");
  try {
    return pegtl::parse<pegtl::seq<Rule, pegtl::eof>, pegtl::nothing, g::control>(in);
  } catch (const pegtl::parse_error&) {
    return false;
  }
}

}  // namespace

TEST_CASE("the grammar has no left recursion or empty loops", "[grammar]") {
  CHECK(pegtl::analyze<g::file>() == 0);
}

TEST_CASE("identifiers exclude keywords but member names do not", "[grammar]") {
  CHECK(matches_whole<g::identifier>("containers"));
  CHECK(matches_whole<g::identifier>("in_list"));
  CHECK(matches_whole<g::identifier>("level"));  // contextual: only a keyword inside a check
  CHECK_FALSE(matches_whole<g::identifier>("in"));
  CHECK_FALSE(matches_whole<g::identifier>("reason"));
  CHECK_FALSE(matches_whole<g::identifier>("9lives"));
  CHECK(matches_whole<g::member_name>("in"));
  CHECK(matches_whole<g::member_name>("reason"));
}

TEST_CASE("literals", "[grammar]") {
  CHECK(matches_whole<g::version_literal>("v1.25"));
  CHECK_FALSE(matches_whole<g::version_literal>("v1"));
  CHECK(matches_whole<g::float_literal>("2.50"));
  CHECK(matches_whole<g::int_literal>("8080"));
  CHECK(matches_whole<g::string_literal>(R"("a \"quoted\" {name} \{ok\}")"));
  CHECK_FALSE(matches_whole<g::string_literal>("\"unterminated"));
}

TEST_CASE("expressions", "[grammar]") {
  CHECK(matches_whole<g::expr>("a.b.c ?? spec.x == true and not d or e"));
  CHECK(matches_whole<g::expr>("[c.name for c in all_containers if c.x != null]"));
  CHECK(matches_whole<g::expr>("any(c in all_containers: c.securityContext.privileged == true)"));
  CHECK(matches_whole<g::expr>("if a then b else c"));
  CHECK(matches_whole<g::expr>("x not in [1, 2, 3,]"));
  CHECK(matches_whole<g::expr>("{a: 1, \"b.c\": [2]}"));
  CHECK(matches_whole<g::expr>("metadata.annotations[\"x/y\"]"));
  CHECK_FALSE(matches_whole<g::expr>("a +"));
}

TEST_CASE("declarations", "[grammar]") {
  CHECK(matches_whole<g::file>("import \"lib.pol\"\npolicy \"p\"\nconst x = 1\nfn f(a, b) = a + b\n"));
  CHECK(matches_whole<g::file>("fn f(a) {\n let b = a\n b\n}"));
  CHECK(matches_whole<g::file>(
      "check c {\n level baseline\n since v1.0\n replaces a, b\n let x = 1\n deny if x > 0 reason \"r\" detail \"d\" at x\n}"));
  CHECK(matches_whole<g::file>("check c { versions v1.0 .. v1.21 warn if true reason \"w\" }"));
  CHECK_FALSE(matches_whole<g::file>("check c { deny true reason \"r\" }"));
}
