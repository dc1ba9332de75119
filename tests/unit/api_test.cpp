// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <filesystem>
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

TEST_CASE("one policy compiled by the JIT serves many threads, with the interpreter's answers", "[api][jit]") {
  pol::Options jit;
  jit.backend = pol::Options::Backend::Jit;
  const pol::Compiled compiled = pol::Engine(jit).compile_profile({});
  const pol::Compiled interpreted = pol::Engine().compile_profile({});
  REQUIRE(compiled);
  std::vector<pol::Documents> corpus;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(std::string(POL_SOURCE_DIR) + "/tests/data/corpus")) {
    if (entry.path().extension() == ".yaml") corpus.push_back(pol::Documents::read_file(entry.path().string()));
  }
  REQUIRE(corpus.size() > 10);
  // Every decision, message and location of the corpus, as one text.
  const auto answers = [&corpus](const pol::Compiled& policy) {
    std::string text;
    for (const pol::Documents& documents : corpus) {
      for (const pol::ObjectResult& result : policy->evaluate(documents).results) {
        text += result.name + (result.allowed() ? " allowed\n" : " denied\n");
        for (const pol::Violation& v : result.violations) {
          text += v.check + ": " + v.reason + ": " + v.detail + "\n";
          for (const pol::Location& l : v.locations) text += "  " + l.path + "\n";
        }
      }
    }
    return text;
  };
  const std::string expected = answers(interpreted);
  std::vector<std::thread> threads;
  std::vector<int> same(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) same[t] += answers(compiled) == expected;
    });
  }
  for (auto& thread : threads) thread.join();
  for (int count : same) CHECK(count == 5);
  CHECK(expected.find(" denied") != std::string::npos);
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

// Every result and error of `reports`, one line each, in order; each report's documents
// numbered from `first` on, the next report's from `first` plus its `lengths` entry.
std::vector<std::string> lines(const std::vector<pol::Report>& reports, const std::vector<uint32_t>& lengths = {}) {
  std::vector<std::string> out;
  uint32_t first = 0;
  for (size_t k = 0; k < reports.size(); ++k) {
    for (const pol::ObjectResult& r : reports[k].results) {
      out.push_back(std::to_string(first + r.document) + " " + std::to_string(r.line) + ":" + std::to_string(r.column) +
                    " " + r.name + (r.allowed() ? " allowed" : " denied"));
    }
    for (const pol::Error& e : reports[k].errors) {
      out.push_back(std::to_string(first + e.document) + " " + std::to_string(e.line) + ":" + std::to_string(e.column) +
                    " " + e.message);
    }
    if (k < lengths.size()) first += lengths[k];
  }
  return out;
}

// What `compiled` says of the file at `path` read in parts of about `part_bytes` (on threads of
// their own, at once), with the number of parts.
std::pair<std::vector<std::string>, size_t> read_in_parts(const pol::Policy& compiled, const std::string& path,
                                                          size_t part_bytes) {
  const pol::FileParts parts = pol::FileParts::open(path, part_bytes);
  std::vector<pol::Report> reports(parts.size());
  std::vector<uint32_t> lengths(parts.size());
  std::vector<std::thread> threads;
  for (size_t k = 0; k < parts.size(); ++k) {
    threads.emplace_back([&, k] {
      const pol::Documents part = parts.read(k);
      lengths[k] = part.stream_length();
      reports[k] = compiled.evaluate(part);
    });
  }
  for (std::thread& t : threads) t.join();
  return {lines(reports, lengths), parts.size()};
}

std::vector<std::string> read_whole(const pol::Policy& compiled, const std::string& path) {
  return lines({compiled.evaluate(pol::Documents::read_file(path))});
}

}  // namespace

TEST_CASE("a large YAML file read in parts gives what it gives read whole", "[api]") {
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
  const pol::Compiled compiled = pol::Engine().compile_string("p.pol", policy);
  REQUIRE(compiled);
  // Lines ending in "\n" (the parts are told their first line) and in "\r\n" (the source's
  // line index says).
  std::string crlf;
  for (const char c : yaml) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  for (const std::string& text : {yaml, crlf}) {
    const std::string path = "/tmp/pol_api_test_parts.yaml";
    { std::ofstream(path) << text; }
    const std::vector<std::string> expected = read_whole(*compiled.policy, path);
    REQUIRE(expected.size() == 2999);  // 2,996 objects, 3 errors, nothing for the empty document
    for (size_t part_bytes : {300'000, 200'000, 90'000}) {
      const auto [read, parts] = read_in_parts(*compiled.policy, path, part_bytes);
      CHECK(parts == text.size() / part_bytes);
      CHECK(read == expected);
    }
    std::remove(path.c_str());
  }
}

TEST_CASE("a large JSON file read in parts gives what it gives read whole", "[api]") {
  const pol::Compiled compiled = pol::Engine().compile_string("p.pol", policy);
  REQUIRE(compiled);
  // An array of pods, as `kubectl get -o json` lists them, and the same pods as a stream of
  // objects; names with escapes and brackets inside strings, which the cuts must step over.
  std::string items, stream;
  for (int i = 0; i < 3000; ++i) {
    const std::string pod = R"({"kind": "Pod", "metadata": {"name": "pod-)" + std::to_string(i) +
                            R"(", "annotations": {"note": "a \"quoted\" ], and a }"}}, "spec": {"containers": [)" +
                            R"({"name": "c", "securityContext": {"privileged": )" + (i % 3 == 0 ? "true" : "false") + "}}]}}";
    items += (i ? ",\n  " : "[\n  ") + pod;
    stream += pod + "\n";
  }
  items += "\n]\n";
  for (const std::string& text : {items, stream}) {
    const std::string path = "/tmp/pol_api_test_parts.json";
    { std::ofstream(path) << text; }
    const std::vector<std::string> expected = read_whole(*compiled.policy, path);
    REQUIRE(expected.size() == 3000);
    for (size_t part_bytes : {100'000, 33'333}) {
      const auto [read, parts] = read_in_parts(*compiled.policy, path, part_bytes);
      CHECK(parts >= text.size() / part_bytes);
      CHECK(read == expected);
    }
    std::remove(path.c_str());
  }

  // A broken item: a part says so (FileParts::json() tells the caller to read the file whole,
  // which reports the error where the one JSON stream stops, with no documents of the array).
  std::string broken = items;
  broken.replace(broken.find("false", broken.find("pod-2000")), 5, "nope");  // brackets still balance
  const std::string path = "/tmp/pol_api_test_broken.json";
  { std::ofstream(path) << broken; }
  const pol::FileParts parts = pol::FileParts::open(path, 100'000);
  CHECK(parts.json());
  CHECK(parts.size() > 1);
  size_t errors = 0;
  for (size_t k = 0; k < parts.size(); ++k) errors += parts.read(k).errors().size();
  CHECK(errors == 1);
  const std::vector<std::string> whole = read_whole(*compiled.policy, path);
  REQUIRE(whole.size() == 1);
  CHECK_THAT(whole[0], Catch::Contains("invalid JSON"));
  std::remove(path.c_str());
}
