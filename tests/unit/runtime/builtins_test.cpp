// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "runtime/builtins/registry.hpp"
#include "../helpers.hpp"

using namespace pol::runtime;

namespace {

using pol::test::call;

std::string quote(const std::string& s) { return std::string(call("quote", {Value::string(s)}).as_string()); }

}  // namespace

TEST_CASE("quote is Go's %q", "[builtins]") {
  CHECK(quote("unconfined") == R"("unconfined")");
  CHECK(quote("we\"ird\tval") == R"("we\"ird\tval")");
  CHECK(quote("back\\slash\a\b\f\n\r\v") == R"("back\\slash\a\b\f\n\r\v")");
  CHECK(quote(std::string("\x01\x7f", 2)) == R"("\x01\x7f")");
  CHECK(quote("é") == "\"é\"");
  CHECK(quote("\xc2\xa0") == R"("\u00a0")");
  CHECK(quote("\xff") == R"("\xff")");
  CHECK(quote("a b") == R"("a b")");
}

TEST_CASE("every builtin is declared once with its signature", "[builtins]") {
  std::vector<std::string> names;
  for (const Builtin& b : builtins().all()) {
    CHECK(std::find(names.begin(), names.end(), b.name) == names.end());
    CHECK(b.fn != nullptr);
    CHECK_FALSE(b.summary.empty());
    names.push_back(b.name);
  }
  CHECK(names.size() >= 25);
}

TEST_CASE("argument types are checked at run time; null reads as empty", "[builtins]") {
  CHECK_THROWS_WITH(call("lower", {Value::integer(1)}), "argument 1 of 'lower' must be a string, got int (1)");
  CHECK(call("lower", {Value()}).as_string().empty());
  CHECK(call("len", {Value()}).as_int() == 0);
  CHECK(call("join", {Value(), Value::string(",")}).as_string().empty());
}

TEST_CASE("regular expressions: search semantics, and a clear error for a bad pattern", "[builtins]") {
  CHECK(call("matches", {Value::string("registry.k8s.io/pause"), Value::string("^registry\\.k8s\\.io/")}).as_bool());
  CHECK_FALSE(call("matches", {Value::string("docker.io/x"), Value::string("^registry")}).as_bool());
  CHECK_THROWS_WITH(call("matches", {Value::string("x"), Value::string("(")}), Catch::StartsWith("invalid regular expression"));
}

TEST_CASE("sort and unique use byte order", "[builtins]") {
  const Value caps = Value::list({Value::string("b"), Value::string("B"), Value::string("a"), Value::string("b")});
  CHECK(call("sort", {caps}).to_display() == "[B, a, b, b]");
  CHECK(call("unique", {caps}).to_display() == "[B, a, b]");
  CHECK(call("distinct", {caps}).to_display() == "[b, B, a]");
}
