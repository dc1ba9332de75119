// SPDX-License-Identifier: Apache-2.0
// The JIT (jit/, docs/jit.md) answers exactly as the interpreter: every result, message,
// location, error and budget error must be the interpreter's own, whether compiled code decided
// the check, explained it (the optimizing tier builds the messages and locations of the rules
// that fire), or asked the interpreter. Compared on edge cases, and for the standard library on
// every PSA fixture and the corpus at five profiles. In a build without LLVM, compiling says so.
#include <catch2/catch.hpp>

#include <chrono>
#include <sstream>
#include <thread>

#include "jit/jit.hpp"
#include "lang/stdlib.hpp"
#include "runtime/interpreter.hpp"
#include "runtime/workload.hpp"
#include "../helpers.hpp"

using namespace pol::runtime;

namespace {

const char* pod = pol::test::edge_case_pod;

// Both tiers of compiled code (docs/jit.md, "Two tiers"): the fast code generator's, and the
// optimizing one's (what `optimize_after` 0 compiles at once).
constexpr size_t tiers[] = {pol::jit::default_optimize_after, 0};

// An interpreter of `program` at `profile`, and one that uses the JIT's compiled checks.
struct Pair {
  Interpreter plain, jitted;
  size_t compiled = 0;
  std::vector<std::string> unexplained;  // checks whose messages are the interpreter's (optimizing tier)
  std::shared_ptr<const CompiledChecks> checks;
  Pair(const Program& program, const char* profile, size_t optimize_after = pol::jit::default_optimize_after)
      : plain(program, *parse_profile(profile), "p"), jitted(program, *parse_profile(profile), "p") {
    std::string error;
    std::vector<std::string> interpreted;
    checks = pol::jit::compile(program, jitted.profile(), jitted.plan(), error, &interpreted, optimize_after, &unexplained);
    INFO(error);
    REQUIRE(checks);
    compiled = jitted.plan().size() - interpreted.size();
    jitted.use(checks);
  }
};

// What a failing comparison shows.
std::string describe(const Result& result) {
  std::ostringstream out;
  for (const auto* list : {&result.violations, &result.warnings}) {
    for (const Violation& v : *list) {
      out << (list == &result.violations ? "deny " : "warn ") << v.check << ": " << v.reason << " | " << v.detail;
      for (const Location& l : v.locations) out << " | " << l.path << " " << l.line << ":" << l.column;
      out << "\n";
    }
  }
  for (const EvaluationError& e : result.errors) out << "error " << e.check << ": " << e.message << "\n" << e.policy_note;
  return out.str();
}

void same(const Pair& pair, const Document& document) {
  const auto view = find_pod(document.root);
  REQUIRE(view);
  const Result a = pair.plain.evaluate(document, *view);
  const Result b = pair.jitted.evaluate(document, *view);
  if (!(a == b)) FAIL("the interpreter:\n" << describe(a) << "with the JIT:\n" << describe(b));
}

// The policy's results on the pod above, with and without the JIT (each tier); returns how many
// checks were compiled.
size_t same_answer(const std::string& policy, uint64_t steps = Limits{}.steps, const char* pod_text = pod) {
  std::string errors;
  auto program = pol::test::compile(policy, &errors);
  INFO(errors);
  REQUIRE(program);
  program->limits.steps = steps;
  const auto loaded = pol::test::yaml(pod_text);
  size_t compiled = 0;
  for (const size_t optimize_after : tiers) {
    INFO("optimize_after " << optimize_after);
    const Pair pair(*program, "restricted", optimize_after);
    same(pair, loaded.documents[0]);
    compiled = pair.compiled;
  }
  return compiled;
}

}  // namespace

TEST_CASE("the JIT gives the interpreter's answers on edge cases", "[jit]") {
  if (!pol::jit::available()) {
    std::string error;
    CHECK_FALSE(pol::jit::compile(*pol::test::compile("check c { deny if false reason \"r\" }"), {}, {}, error));
    CHECK_THAT(error, Catch::Contains("built without the JIT"));
    return;
  }
  // Rules that hold and rules that fire (the interpreter explains those), in every form compiled.
  CHECK(same_answer(R"(
fn priv(c) = c.securityContext.privileged == true
check holds { deny if len([c for c in all_containers if c.name == "none"]) > 0 or spec.hostPID == true reason "r" }
check fires { let p = [c for c in all_containers if priv(c)] deny if len(p) > 0 reason "{len(p)}" at [c.securityContext.privileged for c in p] }
check quantifiers { deny if any(c in all_containers: c.name == "z") or not all(c in all_containers: c.name != "") reason "q" }
check versions { deny if version < v1.0 or (spec.hostIPC ?? false) or spec["hostUsers"] == false reason "v" }
const names = ["a", "b"]
check second_rule { warn if false reason "w" deny if count(c in all_containers: c.name in names) == 2 reason "two" }
)") == 5);
  // Errors: a filter that is not a bool, a source that is not a list, a builtin's wrong argument, an index of the wrong type.
  same_answer(R"(check notbool { deny if len([c for c in all_containers if object.spec.hostname]) > 0 reason "r" })");
  same_answer(R"(check scalar { deny if len([x for x in object.spec.hostname if true]) == 0 reason "r" })");
  same_answer(R"(check argument { deny if startsWith(object.spec.securityContext, "x") reason "r" })");
  same_answer(R"(check index { deny if object.spec.containers["x"] == 1 reason "r" })");
  // Lets of inlined functions in loops; a map iterated (its keys are built: the interpreter's).
  same_answer(R"(
fn bad(c) {
  let s = c.securityContext
  s.privileged == true or s.runAsNonRoot == false
}
check fresh { deny if count(c in all_containers: bad(c)) != 2 reason "r" }
check keys { deny if any(k in metadata.annotations: k == "a") reason "k" })");
  // The step budget: reached inside a compiled loop, the interpreter reports it.
  same_answer(R"(check loop { deny if any(c in all_containers: any(d in all_containers: c.name == "zz")) reason "r" }
check after { deny if false reason "r" })", 6);
}

TEST_CASE("the JIT compiles lengths of built lists, first, map keys, profile constants and comparisons", "[jit]") {
  if (!pol::jit::available()) return;
  // Each check is compiled (the count says so), some pass in compiled code and some fire.
  CHECK(same_answer(R"(
check keys_hold { deny if len([k for k in metadata.annotations if startsWith(k, "zz")]) > 0 reason "k" }
check keys_fire { deny if any(k in metadata.annotations: k == "a" and metadata.annotations[k] == "b") reason "k" }
check keys_values { deny if any(k in metadata.annotations: metadata.annotations[k] != "b") reason "k" }
check first_holds { deny if first([s for s in ["nope", "nada"] if spec[s] != null]) != null reason "f" }
check first_fires { deny if first([s for s in ["nope", "hostNetwork", "hostname"] if spec[s] != null]) == "hostNetwork" reason "f" }
check sum_holds { deny if len((if spec.hostNetwork == true then [1] else []) + [c for c in all_containers if c.name == "zz"]) != 1 reason "s" }
check sum_of_document { deny if len(["a", spec.hostname] + spec.containers + spec["nothing"]) != 4 reason "s" }
check nested { deny if len([c.name for c in [c for c in all_containers if c.name != "a"]]) != 3 reason "n" }
)") == 8);
  CHECK(same_answer(R"(
fn kinds() = ["a"] + (if version >= v1.31 then ["h"] else [])
check folded_fires { deny if spec.hostname in kinds() reason "f" }
check folded_holds { deny if "x" in kinds() or len(kinds()) != 2 reason "f" }
check types { deny if object.spec.hostNetwork == "true" or object.spec.hostname == true or object.spec.hostname == null or spec["nothing"] != null reason "t" }
check strings { deny if spec.hostname not in ["h", "x"] or any(x in ["h", "q"]: x == "q" and spec.hostname != "h") reason "s" }
check bools_fire { deny if spec.securityContext.runAsNonRoot == true reason "b" }
)") == 5);
  // A list added to a map raises: compiled code must not count it.
  same_answer(R"(check map_sum { deny if len([1] + object.spec.securityContext) > 0 reason "m" })");
  same_answer(R"(check string_items { deny if len([x for x in object.spec.hostname]) > 0 reason "m" })");
}

TEST_CASE("the standard library answers the same with the JIT on every PSA fixture and the corpus", "[jit]") {
  if (!pol::jit::available()) return;  // the test above checks what compiling says then
  pol::lang::Diagnostics diagnostics;
  auto modules = pol::lang::load_modules(pol::lang::stdlib_source("std/pss/restricted.pol"),
                                         pol::lang::file_resolver("", 16 << 20), diagnostics);
  const auto program = pol::lang::check(modules, diagnostics);
  REQUIRE(program);
  std::vector<std::unique_ptr<Pair>> pairs;
  for (const size_t optimize_after : tiers) {
    for (const char* profile : pol::test::compared_profiles) {
      pairs.push_back(std::make_unique<Pair>(*program, profile, optimize_after));
    }
  }
  CHECK(pairs[0]->compiled == 15);  // all of restricted:latest's checks
  for (const auto& pair : pairs) CHECK(pair->unexplained.empty());  // and all their messages, in the optimizing tier
  CHECK(pairs.back()->compiled == pairs[std::size(pol::test::compared_profiles) - 1]->compiled);
  const size_t documents = pol::test::for_each_data_pod([&](const std::string& file, const Document& document) {
    INFO(file);
    for (const auto& pair : pairs) same(*pair, document);
  });
  CHECK(documents > 4500);
}

TEST_CASE("the JIT compares integers with constants in place, and leaves floats to the interpreter", "[jit]") {
  if (!pol::jit::available()) return;
  // 30.0 == 30 holds (1 == 1.0), and an integer above INT64_MAX is read as a float.
  const char* numbers = R"(apiVersion: v1
kind: Pod
metadata: {name: n}
spec:
  priority: 5
  terminationGracePeriodSeconds: 30.0
  activeDeadlineSeconds: 18446744073709551615
  hostname: "5"
  containers: [{name: a}]
)";
  for (const char* check : {
           R"(check int_holds { deny if spec.priority == 6 or spec.priority in [1, 2] or object.spec.hostname == 5 or spec["nothing"] == 0 reason "i" })",
           R"(check int_fires { deny if spec.priority == 5 and spec.priority not in [1, 2] reason "i" })",
           R"(check float_equal { deny if spec.terminationGracePeriodSeconds == 30 reason "f" })",
           R"(check float_in { deny if spec.terminationGracePeriodSeconds not in [30, 31] reason "f" })",
           R"(check big { deny if spec.activeDeadlineSeconds == 5 or spec.activeDeadlineSeconds != 0 reason "b" })"}) {
    INFO(check);
    CHECK(same_answer(check, Limits{}.steps, numbers) == 1);
  }
}

TEST_CASE("the JIT's field lookups try the member they found last, and trust only a key they compared", "[jit]") {
  if (!pol::jit::available()) return;
  // One compiled policy over a run of documents: each lookup keeps the index of the member it
  // found last. `abceeffh` has the shape (length and fingerprint) of `abcdefgh`, so the member
  // at the kept index must be compared byte for byte: were it trusted, `annotations.abcdefgh`
  // would read "2" on the second pod, and the check would pass where the interpreter denies.
  std::string errors;
  auto program = pol::test::compile(R"(
check shapes { deny if metadata.annotations.abcdefgh == null or metadata.annotations.abcdefgh == "7" reason "r" }
check order { deny if any(c in spec.containers: c.securityContext.runAsUser == 0 or c.image == "x") reason "o" }
fn hosts(c) = [a.host for a in [c.livenessProbe.httpGet, c.startupProbe.tcpSocket] if (a.host ?? "") != ""]
check probes { deny if any(c in spec.containers: len(hosts(c)) > 0) reason "p" }
)", &errors);
  INFO(errors);
  REQUIRE(program);
  for (const size_t optimize_after : tiers) {
    const Pair pair(*program, "restricted", optimize_after);
    CHECK(pair.compiled == 3);
    const char* pods[] = {
        R"({"kind": "Pod", "metadata": {"name": "a", "annotations": {"o": "", "abcdefgh": "1"}}, "spec": {"containers": [{"name": "c", "securityContext": {"runAsUser": 1}, "image": "i"}]}})",
        R"({"kind": "Pod", "metadata": {"name": "b", "annotations": {"o": "", "abceeffh": "2"}}, "spec": {"containers": [{"name": "c", "image": "i", "securityContext": {"runAsUser": 1}}]}})",
        R"({"kind": "Pod", "metadata": {"name": "c", "annotations": {"abcdefgh": "7"}}, "spec": {"containers": [{"securityContext": {"runAsNonRoot": true, "runAsUser": 0}, "name": "c"}]}})",
        R"({"kind": "Pod", "metadata": {"annotations": {"abcdefgh": "1"}, "name": "d"}, "spec": {"containers": [{"securityContext": {"runAsUser": 1}, "name": "c", "livenessProbe": {"httpGet": {"host": "h"}}}]}})",
        R"({"kind": "Pod", "metadata": {"name": "e", "annotations": {"abcdefgh": "1"}}, "spec": {"containers": [{"name": "c", "image": "x", "startupProbe": {"tcpSocket": {"host": ""}}}]}})",
        R"({"kind": "Pod", "metadata": {"name": "f", "annotations": {"abcdefgh": "1"}}, "spec": {"containers": [{"name": "c", "securityContext": {"runAsUser": 1}}]}})",
    };
    size_t denied = 0;
    for (const char* text : pods) {
      INFO(text);
      const auto loaded = pol::test::json(text);
      REQUIRE(loaded.documents.size() == 1);
      same(pair, loaded.documents[0]);
      denied += pair.plain.evaluate(loaded.documents[0], *find_pod(loaded.documents[0].root)).violations.size();
    }
    CHECK(denied == 5);  // b (shapes), c (shapes, order), d (probes), e (order); f passes
  }
}

TEST_CASE("the JIT compiles a policy again with the optimizing code generator once it has evaluated enough documents", "[jit]") {
  if (!pol::jit::available()) return;
  std::string errors;
  auto program = pol::test::compile(R"(
check privileged { deny if any(c in all_containers: c.securityContext.privileged == true) reason "p" }
check named { deny if any(c in all_containers: c.name == "x") reason "n" }
)", &errors);
  INFO(errors);
  REQUIRE(program);
  const Pair pair(*program, "restricted", 3);
  CHECK(pair.compiled == 2);
  CHECK_FALSE(pol::jit::optimized(*pair.checks));
  const char* pods[] = {
      R"({"kind": "Pod", "metadata": {"name": "a"}, "spec": {"containers": [{"name": "a", "securityContext": {"privileged": true}}]}})",
      R"({"kind": "Pod", "metadata": {"name": "b"}, "spec": {"containers": [{"name": "b"}]}})",
      R"({"kind": "Pod", "metadata": {"name": "c"}, "spec": {"containers": [{"name": "x", "securityContext": {"privileged": false}}]}})",
  };
  const auto evaluate_all = [&] {
    for (const char* text : pods) {
      const auto loaded = pol::test::json(text);
      REQUIRE(loaded.documents.size() == 1);
      same(pair, loaded.documents[0]);
    }
  };
  evaluate_all();  // the third document starts the second tier's compilation, on its own thread
  // Not a timing assertion: the bound only keeps a broken trigger from hanging the run.
  for (int i = 0; i < 600 && !pol::jit::optimized(*pair.checks); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(pol::jit::optimized(*pair.checks));
  evaluate_all();
}

TEST_CASE("the JIT compares counts, looks for a constant in a document's list, and indexes in place", "[jit]") {
  if (!pol::jit::available()) return;
  // Lists of every kind of item, an index past the end, a negative one, a float one (an error).
  const char* lists = R"(apiVersion: v1
kind: Pod
metadata: {name: n, annotations: {a: b, c: d}}
spec:
  hostname: h
  priority: -3
  containers:
  - name: a
    args: ["x", 1, null, "ALL", "ALLX", {k: v}, ["ALL"]]
    command: []
    securityContext: {capabilities: {drop: ["NET_RAW", "ALL"], add: ["AL"]}, runAsUser: 5}
  - name: b
    securityContext: {capabilities: {drop: "ALL"}, runAsUser: 0}
)";
  CHECK(same_answer(R"(
check counts_hold { deny if len([c for c in all_containers if c.name == "a"]) > 1 or count(c in all_containers: c.name != "") < 2 or len([c for c in all_containers if true]) != 2 reason "c" }
check counts_fire { deny if count(c in all_containers: c.name == "b") >= 1 and len([1, 2]) <= 2 reason "c" }
check ints { deny if any(c in spec.containers: (c.securityContext.runAsUser ?? 1) < 1) reason "i" }
check signed { deny if spec.priority < 0 reason "s" }
check in_holds { deny if "ALL" not in spec.containers[0].securityContext.capabilities.drop or "ALL" in spec.containers[0].securityContext.capabilities.add or "v" in spec.containers[0].args or "ALL" in spec.containers[0].command or "z" in spec["nothing"] reason "n" }
check in_fires { deny if "ALLX" in spec.containers[0].args and "x" in spec.containers[0].args reason "n" }
check in_string { deny if "ALL" in spec.containers[1].securityContext.capabilities.drop reason "s" }
check in_map { deny if "a" in metadata.annotations reason "m" }
check indexes { deny if spec.containers[1].name != "b" or spec.containers[2] != null or spec.containers[spec.priority] != null or metadata.annotations["c"] != "d" or spec["hostname"] != "h" reason "x" }
)", Limits{}.steps, lists) == 9);
  // Errors the interpreter reports (a float index, a string index of a list, an int key of a
  // map, an order of a string and an int), with values whose types only the document knows.
  same_answer(R"(check float_index { deny if object.spec.containers[object.spec.containers[0].args[1] + 0.0] == null reason "f" })",
              Limits{}.steps, lists);
  same_answer(R"(check key_index { deny if object.spec.containers[object.spec.hostname] == null reason "k" })", Limits{}.steps, lists);
  same_answer(R"(check int_key { deny if object.metadata.annotations[object.spec.containers[0].args[1]] == null reason "k" })",
              Limits{}.steps, lists);
  same_answer(R"(check order_mismatch { deny if object.spec.hostname < object.spec.containers[0].args[1] reason "o" })",
              Limits{}.steps, lists);
}

TEST_CASE("the JIT builds the messages and locations of the rules that fire", "[jit]") {
  if (!pol::jit::available()) return;
  std::string errors;
  auto program = pol::test::compile(R"(
fn plural(n, one, many) = if n == 1 then one else many
fn quoted(items) = join(["\"" + string(item) + "\"" for item in items], ", ")
fn names(list) = plural(len(list), "container ", "containers ") + quoted([c.name for c in list])
check privileged {
  let bad = [c for c in all_containers if c.securityContext.privileged == true]
  deny if len(bad) > 0
    reason "privileged"
    detail "{names(bad)} must not set securityContext.privileged=true"
    at [c.securityContext.privileged for c in bad]
}
check two_rules {
  let hosts = [name for name in ["hostNetwork", "hostPID"] if spec[name] == true]
  warn if len(hosts) > 0 reason "hosts" detail join([h + "=true" for h in hosts], ", ") at [spec[h] for h in hosts]
  deny if len(hosts) == 1 reason "one {hosts[0]}" detail "{len(hosts) * 10 - 1}" at spec
}
check keys {
  deny if first([k for k in metadata.annotations]) == "a"
    reason "first key {first([k for k in metadata.annotations])}"
    detail quoted(unique(flatten([[k, k] for k in metadata.annotations])))
    at [metadata.annotations[k] for k in metadata.annotations] + [k for k in metadata.annotations]
}
check coalesced {
  deny if any(c in all_containers: c.securityContext.runAsNonRoot == false)
    reason "r"
    at [c.securityContext.runAsNonRoot ?? c.securityContext ?? c for c in all_containers if c.securityContext.runAsNonRoot != true]
}
check detail_raises {
  deny if spec.hostNetwork == true reason "r" detail "{object.spec.hostname + 1}"
}
check passes {
  let bad = [c for c in all_containers if c.name == "zz"]
  deny if len(bad) > 0 reason "{names(bad)}" at bad
}
)", &errors);
  INFO(errors);
  REQUIRE(program);
  const auto loaded = pol::test::yaml(R"(apiVersion: v1
kind: Pod
metadata: {name: p, annotations: {a: b, c: d}}
spec:
  hostNetwork: true
  hostname: h
  initContainers: [{name: i, securityContext: {privileged: true}}]
  containers:
  - {name: a, securityContext: {runAsNonRoot: false, privileged: true}}
  - {name: b}
)");
  const Document& document = loaded.documents[0];
  const Pair pair(*program, "restricted", 0);
  CHECK(pair.compiled == 6);
  CHECK(pair.unexplained.empty());
  same(pair, document);
  const Result result = pair.jitted.evaluate(document, *find_pod(document.root));
  REQUIRE(result.violations.size() == 4);
  CHECK(result.violations[0].detail == R"(containers "i", "a" must not set securityContext.privileged=true)");
  CHECK(result.violations[0].locations.size() == 2);
  CHECK(result.violations[2].reason == "first key a");  // the first key, not the last one visited
  CHECK(result.warnings.size() == 1);
  REQUIRE(result.errors.size() == 1);  // detail_raises: the interpreter's error, with its position
  CHECK(result.errors[0].check == "detail_raises");

  // Every step limit and value limit around this document's needs: compiled code must charge
  // the steps and hold the values the interpreter would, or hand the check to it.
  for (uint64_t steps = 1; steps <= 120; ++steps) {
    INFO("steps " << steps);
    program->limits.steps = steps;
    same(pair, document);
  }
  program->limits = Limits{};
  for (uint64_t bytes = 64; bytes <= 4096; bytes += 64) {
    INFO("bytes " << bytes);
    program->limits.value_bytes = bytes;
    same(pair, document);
  }
}
