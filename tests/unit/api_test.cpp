// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <thread>

#include "pol/pol.hpp"

namespace {

const char* policy = R"(
policy "no-privileged"
check privileged {
  let bad = [c.name for c in all_containers if c.securityContext.privileged == true]
  deny if len(bad) > 0 reason "privileged" detail "{bad}"
})";

}  // namespace

TEST_CASE("compile once, evaluate JSON and YAML documents", "[api]") {
  const pol::Engine engine;
  const pol::Compiled compiled = engine.compile_string("p.pol", policy);
  REQUIRE(compiled);
  CHECK(compiled->name() == "no-privileged");
  const auto report = compiled->evaluate(pol::Documents::parse(
      R"({"kind": "Pod", "metadata": {"name": "a"}, "spec": {"containers": [{"name": "c", "securityContext": {"privileged": true}}]}})",
      "request.json"));
  REQUIRE(report.results.size() == 1);
  CHECK_FALSE(report.results[0].allowed());
  CHECK(report.results[0].violations[0].detail == "[c]");
  const auto allowed = compiled->evaluate(pol::Documents::parse("kind: Pod\nspec: {containers: [{name: c}]}\n"));
  CHECK(allowed.results.at(0).allowed());
}

TEST_CASE("a broken policy gives diagnostics, not an exception", "[api]") {
  const pol::Compiled compiled = pol::Engine().compile_string("bad.pol", "check c { deny if nope reason \"r\" }");
  CHECK_FALSE(compiled);
  REQUIRE(compiled.diagnostics.size() == 1);
  CHECK(compiled.diagnostics[0].line == 1);
  CHECK(compiled.diagnostics[0].column == 19);
  CHECK(compiled.diagnostics[0].message == "unknown name 'nope'");
  pol::Options nonsense;
  nonsense.profile = "nonsense";
  CHECK_FALSE(pol::Engine(nonsense).compile_string("p.pol", policy));
}

TEST_CASE("malformed documents are errors in the report", "[api]") {
  const pol::Compiled compiled = pol::Engine().compile_string("p.pol", policy);
  const auto report = compiled->evaluate(pol::Documents::parse("kind: Pod\nspec: [\n", "bad.yaml"));
  CHECK(report.results.empty());
  REQUIRE(report.errors.size() == 1);
  CHECK(report.errors[0].source == "bad.yaml");
  CHECK_THAT(report.errors[0].rendered, Catch::StartsWith("bad.yaml:3:1: error: invalid YAML"));
}

TEST_CASE("one compiled policy serves many threads", "[api]") {
  const pol::Compiled compiled = pol::Engine().compile_string("p.pol", policy);
  const pol::Documents documents = pol::Documents::parse(
      "kind: Pod\nmetadata: {name: x}\nspec: {containers: [{name: a, securityContext: {privileged: true}}, {name: b}]}\n");
  std::vector<std::thread> threads;
  std::vector<int> denied(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) denied[t] += !compiled->evaluate(documents).results.at(0).allowed();
    });
  }
  for (auto& thread : threads) thread.join();
  for (int count : denied) CHECK(count == 500);
}

TEST_CASE("several policy files evaluate as one, violations policy by policy", "[api]") {
  const std::string dir = std::string(POL_SOURCE_DIR) + "/tests/cli/fixtures/";
  const pol::Compiled both = pol::Engine().compile_files(
      {dir + "policy.pol", std::string(POL_SOURCE_DIR) + "/examples/policies/team.pol"});
  REQUIRE(both);
  const auto report = both->evaluate(pol::Documents::read_file(dir + "dir/privileged.yaml"));
  REQUIRE(report.results.size() == 1);
  const auto& violations = report.results[0].violations;
  REQUIRE(violations.size() == 3);
  CHECK(violations[0].policy == "cli");
  CHECK(violations[1].policy == "team");
  CHECK(violations[2].check == "registry");
  const pol::Compiled broken = pol::Engine().compile_files({dir + "policy.pol", dir + "missing.pol"});
  CHECK_FALSE(broken);
  REQUIRE(broken.diagnostics.size() == 1);
  CHECK_THAT(broken.diagnostics[0].message, Catch::StartsWith("cannot read"));
}

TEST_CASE("fail closed: an object on which a check fails to evaluate is not allowed", "[api]") {
  const std::string policy = "policy \"p\"\nfn forever(n) = forever(n + 1)\ncheck c {\n  deny if forever(0) > 0\n    reason \"r\"\n}\n";
  const pol::Documents pod = pol::Documents::parse("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n");
  const pol::Compiled closed = pol::Engine().compile_string("p.pol", policy);
  REQUIRE(closed);
  const pol::Report report = closed->evaluate(pod);
  REQUIRE(report.results.size() == 1);
  CHECK_FALSE(report.results[0].allowed());
  CHECK(report.results[0].violations.empty());
  REQUIRE(report.results[0].errors.size() == 1);
  CHECK_THAT(report.results[0].errors[0].message, Catch::Contains("check 'c' failed: calls nested deeper than 200"));
  CHECK(report.errors.size() == 1);
  pol::Options open;
  open.on_error_allow = true;
  const pol::Compiled opened = pol::Engine(open).compile_string("p.pol", policy);
  const pol::Report allowed = opened->evaluate(pod);
  CHECK(allowed.results.at(0).allowed());
  CHECK(allowed.results[0].errors.size() == 1);  // still reported
}

namespace {

// Every result and error of `reports`, one line each, in order.
std::vector<std::string> lines(const std::vector<pol::Report>& reports) {
  std::vector<std::string> out;
  for (const pol::Report& report : reports) {
    for (const pol::ObjectResult& r : report.results) {
      out.push_back(std::to_string(r.document) + " " + std::to_string(r.line) + ":" + std::to_string(r.column) + " " +
                    r.name + (r.allowed() ? " allowed" : " denied"));
    }
    for (const pol::Error& e : report.errors) {
      out.push_back(std::to_string(e.document) + " " + std::to_string(e.line) + ":" + std::to_string(e.column) + " " +
                    e.message);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("a large file read in parts gives what it gives read whole", "[api]") {
  // 3,000 documents (over the size from which a YAML stream is split), three of them broken,
  // one of them empty, with comments and a `---` inside a block scalar's text.
  std::string yaml = "# a comment before the first document\n";
  for (int i = 0; i < 3000; ++i) {
    yaml += "---\n";
    if (i == 1700) continue;  // an empty document
    const bool privileged = i % 3 == 0;
    const char* broken = i == 10 || i == 1500 || i == 2999 ? "[" : "";
    yaml += "kind: Pod\nmetadata:\n  name: pod-" + std::to_string(i) + "\n  annotations:\n    note: |\n      --- not a marker\n" +
            "spec:\n  containers:\n  - name: c" + broken + "\n    securityContext: {privileged: " +
            (privileged ? "true" : "false") + "}\n# end of " + std::to_string(i) + "\n";
  }
  const std::string path = "/tmp/pol_api_test_parts.yaml";
  { std::ofstream(path) << yaml; }
  const pol::Compiled compiled = pol::Engine().compile_string("p.pol", policy);
  REQUIRE(compiled);

  const pol::Documents whole = pol::Documents::read_file(path);
  const std::vector<std::string> expected = lines({compiled->evaluate(whole)});
  REQUIRE(expected.size() == 2999);  // 2,996 objects, 3 errors, nothing for the empty document
  for (size_t parts : {2, 3, 7}) {
    const pol::Documents::Runner on_threads = [](size_t count, const std::function<void(size_t)>& task) {
      std::vector<std::thread> threads;
      for (size_t k = 0; k < count; ++k) threads.emplace_back(task, k);
      for (std::thread& t : threads) t.join();
    };
    const std::vector<pol::Documents> read = pol::Documents::read_file_parts(path, parts, on_threads);
    CHECK(read.size() == parts);
    std::vector<pol::Report> reports;
    for (const pol::Documents& part : read) reports.push_back(compiled->evaluate(part));
    CHECK(lines(reports) == expected);
  }
  std::remove(path.c_str());
}
