// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "lang/parser.hpp"
#include "../helpers.hpp"

using namespace pol::lang;

namespace {

std::optional<Module> parse_text(const std::string& text, Diagnostics& diagnostics) {
  return parse(pol::test::source(text), diagnostics);
}

const Expr& const_value(const Module& m, size_t i = 0) { return *m.consts.at(i).value; }

}  // namespace

TEST_CASE("precedence: * over +, + over ??, ?? over ==, == over and, and over or", "[parser]") {
  Diagnostics d;
  auto m = parse_text("const x = a or b and c == d ?? e + f * g", d);
  REQUIRE(m);
  const Expr& top = const_value(*m);
  REQUIRE(top.kind == ExprKind::Binary);
  CHECK(top.binary_op == BinaryOp::Or);
  const Expr& and_ = *top.operands[1];
  CHECK(and_.binary_op == BinaryOp::And);
  const Expr& eq = *and_.operands[1];
  CHECK(eq.binary_op == BinaryOp::Eq);
  const Expr& coalesce = *eq.operands[1];
  CHECK(coalesce.binary_op == BinaryOp::Coalesce);
  const Expr& add = *coalesce.operands[1];
  CHECK(add.binary_op == BinaryOp::Add);
  CHECK(add.operands[1]->binary_op == BinaryOp::Mul);
}

TEST_CASE("operators of one level fold to the left", "[parser]") {
  Diagnostics d;
  auto m = parse_text("const x = 1 - 2 - 3", d);
  REQUIRE(m);
  const Expr& top = const_value(*m);
  CHECK(top.binary_op == BinaryOp::Sub);
  CHECK(top.operands[0]->kind == ExprKind::Binary);
  CHECK(top.operands[1]->int_value == 3);
}

TEST_CASE("every node carries the span of its text", "[parser]") {
  Diagnostics d;
  const std::string text = "const x = spec.containers[0].name";
  auto m = parse_text(text, d);
  REQUIRE(m);
  const Expr& member = const_value(*m);
  CHECK(member.kind == ExprKind::Member);
  CHECK(text.substr(member.span.begin, member.span.end - member.span.begin) == "spec.containers[0].name");
  CHECK(text.substr(member.name_span.begin, member.name_span.end - member.name_span.begin) == "name");
  const Expr& index = *member.operands[0];
  CHECK(index.kind == ExprKind::Index);
  CHECK(text.substr(index.span.begin, index.span.end - index.span.begin) == "spec.containers[0]");
}

TEST_CASE("string templates split into text and interpolations", "[parser]") {
  Diagnostics d;
  auto m = parse_text(R"(const x = "a {b} \{c\} {d + 1}")", d);
  REQUIRE(m);
  const Expr& s = const_value(*m);
  REQUIRE(s.parts.size() == 4);
  CHECK(s.parts[0].text == "a ");
  CHECK(s.parts[1].expr->kind == ExprKind::Name);
  CHECK(s.parts[2].text == " {c} ");
  CHECK(s.parts[3].expr->kind == ExprKind::Binary);
}

TEST_CASE("check declarations keep their items in order", "[parser]") {
  Diagnostics d;
  auto m = parse_text(R"(
check c {
  level restricted
  versions v1.8 .. v1.24
  replaces a, b
  let bad = 1
  deny if bad > 0 reason "r" detail "d" at bad
  warn if true reason "w"
})", d);
  REQUIRE(m);
  const CheckDecl& c = m->checks.at(0);
  CHECK(c.id == "c");
  CHECK(c.level == "restricted");
  CHECK(*c.since == Version{1, 8});
  CHECK(*c.until == Version{1, 24});
  CHECK(c.replaces.size() == 2);
  REQUIRE(c.body.size() == 3);
  CHECK(c.body[0].let->name == "bad");
  CHECK(c.body[1].rule->kind == RuleKind::Deny);
  CHECK(c.body[1].rule->location != nullptr);
  CHECK(c.body[2].rule->kind == RuleKind::Warn);
  CHECK(c.body[2].rule->detail == nullptr);
}

TEST_CASE("a syntax error is one located diagnostic", "[parser]") {
  Diagnostics d;
  auto m = parse_text("check c {\n  deny if true\n}\n", d);
  CHECK_FALSE(m);
  REQUIRE(d.items().size() == 1);
  CHECK(d.items()[0].message == "expected 'reason' after the condition");
  CHECK(d.items()[0].location().line == 3);
  CHECK(d.items()[0].location().column == 1);
}
