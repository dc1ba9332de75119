// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "lang/diagnostic.hpp"
#include "lang/source.hpp"

using pol::lang::Source;

TEST_CASE("offsets become 1-based lines and character columns", "[source]") {
  const Source src("s", "ab\nçé x\n\nlast");
  CHECK(src.location(0).line == 1);
  CHECK(src.location(0).column == 1);
  CHECK(src.location(3).line == 2);
  // "çé " is 5 bytes but 3 characters: x is the 4th character of line 2
  const auto x = src.location(static_cast<uint32_t>(std::string_view("ab\nçé ").size()));
  CHECK(x.line == 2);
  CHECK(x.column == 4);
  CHECK(src.offset(x) == std::string_view("ab\nçé ").size());
  CHECK(src.line_text(2) == "çé x");
  CHECK(src.line_text(3).empty());
  CHECK(src.line_text(4) == "last");
  CHECK(src.location(1000).line == 4);  // clamped to the end
}

TEST_CASE("diagnostics render file:line:col, the line and a caret under the span", "[source]") {
  auto src = std::make_shared<const Source>("p.pol", "check c {\n  deny if bad\n}\n");
  pol::lang::Diagnostic d{pol::lang::Severity::Error, src, {20, 23}, "unknown name 'bad'", {"did you mean 'bat'?"}};
  CHECK(d.render() ==
        "p.pol:2:11: error: unknown name 'bad'\n"
        " 2 |   deny if bad\n"
        "   |           ^~~\n"
        "   = note: did you mean 'bat'?\n");
}

TEST_CASE("every line break libyaml counts is a line break: \\r\\n, a lone \\r, NEL, LS, PS", "[source]") {
  const Source src("s", "a\r\nb\rc\xC2\x85" "d\xE2\x80\xA8" "e\xE2\x80\xA9" "f\n");
  CHECK(src.line_count() == 7);
  CHECK(src.line_text(1) == "a");
  CHECK(src.line_text(2) == "b");
  CHECK(src.line_text(3) == "c");
  CHECK(src.line_text(4) == "d");
  CHECK(src.line_text(5) == "e");
  CHECK(src.line_text(6) == "f");
  CHECK(src.location(5).line == 3);  // "c"
  CHECK(src.offset({3, 5}) == 6);    // a column past the end stops at the line's end
}

TEST_CASE("a caret past the end of its line stays within the line (fuzz finding D1)", "[source]") {
  // `"\r\r`: libyaml reports the error at a column the line does not have.
  auto src = std::make_shared<const Source>("d.yaml", "\"\r\r");
  pol::lang::Diagnostic d{pol::lang::Severity::Error, src, {1, 1}, "boom", {}};
  const std::string text = d.render();
  CHECK(text.size() < 100);
  pol::lang::Diagnostic far{pol::lang::Severity::Error, src, {0, 0}, "boom", {}};
  CHECK(far.render().size() < 100);
}
