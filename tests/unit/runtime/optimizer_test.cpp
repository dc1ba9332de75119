// SPDX-License-Identifier: Apache-2.0
// The optimizer (runtime/optimizer.hpp) rewrites what it says it rewrites, and an optimized
// program answers exactly as the checker's own lowering does: same violations, messages,
// locations and errors (with their positions in the policy), on edge cases and on real data.
#include <catch2/catch.hpp>

#include <sstream>

#include "lang/stdlib.hpp"
#include "runtime/interpreter.hpp"
#include "runtime/workload.hpp"
#include "../helpers.hpp"

using namespace pol::runtime;

namespace {

const char* pod = pol::test::edge_case_pod;

// Everything a result says, errors with their policy notes, as one text to compare.
std::string describe(const Result& r) {
  std::ostringstream out;
  for (const auto* list : {&r.violations, &r.warnings}) {
    for (const Violation& v : *list) {
      out << v.policy << '/' << v.check << ": " << v.reason << " | " << v.detail;
      for (const Location& l : v.locations) out << " @" << l.container << ':' << l.path << ':' << l.line << ':' << l.column;
      out << '\n';
    }
    out << "--\n";
  }
  for (const EvaluationError& e : r.errors) out << e.check << ": " << e.message << '\n' << e.policy_note;
  return out.str();
}

std::string run(const Program& program, const Document& document, const char* profile = "restricted") {
  const auto view = find_pod(document.root);
  REQUIRE(view);
  return describe(Interpreter(program, *parse_profile(profile), "p").evaluate(document, *view));
}

// The policy's answer on the pod above, optimized and not: they must agree. Returns it.
std::string same_answer(const std::string& policy) {
  std::string errors;
  const auto optimized = pol::test::compile(policy, &errors);
  INFO(errors);
  REQUIRE(optimized);
  const auto plain = pol::test::compile(policy, &errors, /*optimize=*/false);
  REQUIRE(plain);
  const auto loaded = pol::test::yaml(pod);
  REQUIRE(loaded.documents.size() == 1);
  const std::string answer = run(*optimized, loaded.documents[0]);
  CHECK(answer == run(*plain, loaded.documents[0]));
  return answer;
}

const Expr* filter_of(const Expr* comprehension) {
  REQUIRE(comprehension->op == Op::Comprehension);
  REQUIRE(comprehension->has_filter);
  return comprehension->args[2];
}

}  // namespace

TEST_CASE("a small function's call is inlined, and len(...) > 0 of its list builds no list", "[optimizer]") {
  const auto program = pol::test::compile(R"(
fn hosts(c) {
  let actions = [c.livenessProbe.httpGet, c.readinessProbe.tcpSocket]
  [a.host for a in actions if (a.host ?? "") != ""]
}
check probes {
  let bad = [c for c in all_containers if len(hosts(c)) > 0]
  deny if len(bad) > 0 reason "{len(bad)}"
})");
  REQUIRE(program);
  // `bad` is read twice: it stays a let. Its filter is the function's body, inlined.
  const Expr* condition = program->checks[0].rules[0].condition;
  REQUIRE(condition->args[0]->args[0]->op == Op::LazyLocal);
  const Expr* inlined = filter_of(condition->args[0]->args[0]->args[0]);
  REQUIRE(inlined->op == Op::Inline);
  CHECK(inlined->slot_count == 3);  // c, actions, a
  CHECK(inlined->slot + inlined->slot_count <= program->checks[0].slot_count);
  // The let read once became its list, which the loop reads item by item; only emptiness is asked.
  const Expr* body = inlined->args.back();
  CHECK(body->op == Op::Comprehension);
  CHECK(body->exists);
  CHECK(body->stops_early);
  CHECK(body->literal_source);
  CHECK(body->args[1]->op == Op::MakeList);
}

TEST_CASE("the optimizer leaves alone what it cannot rewrite without changing an answer", "[optimizer]") {
  const auto program = pol::test::compile(R"(
fn fact(n) = if n <= 1 then 1 else n * fact(n - 1)
check c {
  let failing = [c for c in all_containers if len([x for x in [c.name, lower(c.name)] if x == "a"]) > 0]
  let risky = [c for c in all_containers if len([x for x in [c.name] if lower(x) == "a"]) > 0]
  deny if len(failing) + len(risky) + fact(3) > 0 reason "r"
})");
  REQUIRE(program);
  const Expr* sum = program->checks[0].rules[0].condition->args[0];
  // a literal list with an item that can fail is built first, as written
  const Expr* failing = filter_of(sum->args[0]->args[0]->args[0]);  // `failing`, read once, is its comprehension
  REQUIRE(failing->op == Op::Comprehension);
  CHECK(failing->exists);
  CHECK_FALSE(failing->literal_source);
  // a filter that can fail runs over every item
  const Expr* risky = filter_of(sum->args[0]->args[1]->args[0]);
  REQUIRE(risky->op == Op::Comprehension);
  CHECK(risky->exists);
  CHECK_FALSE(risky->stops_early);
  // a recursive function stays a call
  CHECK(sum->args[1]->op == Op::CallFunction);
}

TEST_CASE("optimized programs give the answers of the checker's lowering", "[optimizer]") {
  // Emptiness tests in every spelling, over lists with and without items.
  CHECK_THAT(same_answer(R"(
fn priv(c) = c.securityContext.privileged == true
check forms {
  let p = [c for c in all_containers if priv(c)]
  deny if len([c for c in all_containers if priv(c)]) > 0 and len([c for c in all_containers if priv(c)]) != 0
          and len([c for c in all_containers if priv(c)]) >= 1 and not (len([c for c in all_containers if priv(c)]) == 0)
          and not (len([c for c in all_containers if priv(c)]) < 1) and not (len([c for c in all_containers if priv(c)]) <= 0)
          and len([c for c in all_containers if c.name == "none"]) == 0
    reason "{len(p)}" at [c.securityContext.privileged for c in p]
})"),
             Catch::StartsWith("p/forms: 2 |  @i:spec.initContainers[0].securityContext.privileged:8:60 @a"));
  // A filter that fails after an item was kept: the error, as without the optimizer.
  CHECK_THAT(same_answer(R"(check late { deny if len([c for c in all_containers if c.name == "i" or lower(object.spec.securityContext) == ""]) > 0 reason "r" })"),
             Catch::Contains("argument 1 of 'lower' must be a string, got map"));
  // A filter that is not a bool; a source that is not a list; an element that fails.
  CHECK_THAT(same_answer(R"(check notbool { deny if len([c for c in all_containers if object.spec.hostname]) > 0 reason "r" })"),
             Catch::Contains("must be a bool, got string"));
  CHECK_THAT(same_answer(R"(check scalar { deny if len([x for x in object.spec.hostname if true]) == 0 reason "r" })"),
             Catch::Contains("cannot iterate over string"));
  CHECK_THAT(same_answer(R"(check element { deny if len([lower(object.spec.securityContext) for c in all_containers]) > 0 reason "r" })"),
             Catch::Contains("must be a string, got map"));
  // A let in an inlined function is evaluated afresh for each call.
  CHECK_THAT(same_answer(R"(
fn bad(c) {
  let s = c.securityContext
  s.privileged == true or s.runAsNonRoot == false
}
check fresh { let b = [c.name for c in all_containers if bad(c)] deny if len(b) > 0 reason "{b}" })"),
             Catch::StartsWith("p/fresh: [i, a] |"));
  // An error inside an inlined function is positioned in the function, as a call's is.
  CHECK_THAT(same_answer("fn up(o) = upper(o.spec.securityContext)\ncheck inside { deny if any(c in all_containers: up(object) == \"\") reason \"r\" }"),
             Catch::Contains("test.pol:1:12"));
  // Lets read once, twice, and inside a loop; a recursive function; quantifiers over written-out lists.
  CHECK_THAT(same_answer(R"(
fn fact(n) = if n <= 1 then 1 else n * fact(n - 1)
check lets {
  let once = len(all_containers)
  let twice = [c.name for c in all_containers]
  let looped = "a"
  deny if once == 4 and len(twice) == len([c for c in twice if c != looped]) + 1 and fact(4) == 24
          and any(x in [spec.hostNetwork, spec.hostPID]: x == true) and all(x in [spec.hostIPC, spec.hostPID]: x != true)
    reason "{twice}"
})"),
             Catch::StartsWith("p/lets: [i, a, b, e] |"));
  CHECK_THAT(same_answer(R"(check hostnames {
  deny if len([h for h in [spec.containers[0].livenessProbe.httpGet.host, spec.containers[1].readinessProbe.tcpSocket.host] if (h ?? "") != ""]) > 0
    reason "hosts"
})"),
             Catch::StartsWith("p/hostnames: hosts |"));
}

TEST_CASE("the standard library answers the same optimized on every PSA fixture and the corpus", "[optimizer]") {
  pol::lang::Diagnostics diagnostics;
  auto modules = pol::lang::load_modules(pol::lang::stdlib_source("std/pss/restricted.pol"),
                                         pol::lang::file_resolver("", 16 << 20), diagnostics);
  REQUIRE_FALSE(diagnostics.has_errors());
  const auto optimized = pol::lang::check(modules, diagnostics);
  const auto plain = pol::lang::check(modules, diagnostics, Value::list({}), nullptr, /*optimize=*/false);
  REQUIRE(optimized);
  REQUIRE(plain);
  size_t denied = 0;
  const size_t documents = pol::test::for_each_data_pod([&](const std::string& file, const Document& document) {
    for (const char* profile : pol::test::compared_profiles) {
      const std::string answer = run(*optimized, document, profile);
      INFO(file << " at " << profile);
      REQUIRE(answer == run(*plain, document, profile));
      denied += answer.find(": ") < answer.find("--");
    }
  });
  CHECK(documents > 4500);
  CHECK(denied > 10000);  // most fixtures fail some check: the messages are compared, not only "allowed"
}
