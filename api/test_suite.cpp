// SPDX-License-Identifier: Apache-2.0
// `pol test`: a suite file names the policies (and/or the built-in profile) and lists cases,
// each an object (inline or from a file) with the expected decision, check ids, details and
// message. The suite is read with pol's own YAML reader; each difference is one line.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <tuple>

#include "api/internal.hpp"
#include "lang/suggest.hpp"
#include "runtime/workload.hpp"

namespace pol {

namespace {

using runtime::Node;
using runtime::NodeKind;

std::string text_of(const Node* node) { return node && node->kind == NodeKind::String ? std::string(node->string()) : ""; }

std::vector<std::string> strings_of(const Node* node) {
  std::vector<std::string> out;
  for (uint32_t i = 0; node && node->kind == NodeKind::List && i < node->size; ++i) out.push_back(text_of(&node->items[i]));
  return out;
}

std::string list_text(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out + "]";
}

// A suite's problem, located at `at` in the suite file.
Error suite_error(const runtime::Document& suite, const Node* at, const std::string& message) {
  return document_error(suite.source, suite.source->name(), 0, at ? at->line : 0, at ? at->column : 0, message);
}

// The keys a suite, a case and an expectation may have. Any other is a typo that would let a
// case pass by accident (an `alowed:` that is never compared): an error, with a suggestion.
const std::vector<std::string> suite_keys{"policies", "profile", "exceptions", "date", "request", "params", "mutate", "cases"};
const std::vector<std::string> case_keys{"name", "object", "file", "document", "date", "request", "params", "expect"};
const std::vector<std::string> request_keys{"operation", "user", "groups", "namespace"};
const std::vector<std::string> expect_keys{"allowed",  "violations", "warnings", "details",
                                           "exempted", "message",    "mutated",  "patch"};

void check_keys(const runtime::Document& suite, const Node* map, const std::vector<std::string>& keys, const char* what,
                std::vector<Error>& errors) {
  if (!map || map->kind != NodeKind::Map) return;
  for (uint32_t i = 0; i < map->size; ++i) {
    const std::string key(map->members[i].key());
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
    const std::optional<std::string> near = lang::closest(key, keys);
    errors.push_back(suite_error(suite, &map->members[i].value,
                                 fmt::format("unknown key '{}' in {}{}", key, what,
                                             near ? fmt::format("; did you mean '{}'?", *near) : std::string())));
  }
}

// Documents holding one node of another document (an inline object of the suite).
Documents documents_of(const runtime::Document& suite, const Node* object) {
  auto impl = std::make_shared<Documents::Impl>();
  impl->source = suite.source;
  impl->loaded.documents.push_back(runtime::Document{suite.source, suite.arena, object, 0});
  Documents documents;
  documents.impl = std::move(impl);
  return documents;
}

// Every line the text output would print for the object: per policy, its message.
std::string messages(const ObjectResult& result) {
  std::string out;
  for (const std::span<const Violation> run : by_policy(result.violations)) out += (out.empty() ? "" : "\n") + message(run);
  return out;
}

std::vector<std::string> check_ids(const std::vector<Violation>& violations) {
  std::vector<std::string> ids;
  for (const Violation& v : violations) ids.push_back(v.check);
  return ids;
}

// Compares the mutated document and its patch with `expect.mutated` and `expect.patch`.
void compare_mutation(const Policy& policy, const Documents& input, uint32_t document, const Node* expect,
                      std::vector<std::string>& differences) {
  const Node* want_document = expect->find("mutated");
  const Node* want_patch = expect->find("patch");
  if (!want_document && !want_patch) return;
  for (const MutatedDocument& got : policy.mutate(input).documents) {
    if (got.document != document) continue;
    for (const auto& [want, text, what] : {std::tuple{want_document, got.text, "mutated document"},
                                           std::tuple{want_patch, got.patch, "patch"}}) {
      if (!want) continue;
      const Documents parsed = Documents::parse(text, "<mutated>");
      const Node* actual = parsed.size() ? parsed.impl->loaded.documents[0].root : nullptr;
      // A patch is a JSON array: the reader takes a top-level array as a stream of documents.
      std::vector<runtime::Value> items;
      for (const runtime::Document& d : parsed.impl->loaded.documents) items.push_back(runtime::Value::node(d.root));
      const runtime::Value got_value = std::string_view(what) == "patch" ? runtime::Value::list(items) : runtime::Value::node(actual);
      if (!(got_value == runtime::Value::node(want))) {
        differences.push_back(fmt::format("{}:\n      expected: {}\n      got:      {}", what,
                                          runtime::Value::node(want).to_display(), got_value.to_display()));
      }
    }
    return;
  }
  differences.push_back("no mutated document");
}

// Compares one case's result with its `expect` map.
std::vector<std::string> compare(const ObjectResult& result, const Node* expect) {
  std::vector<std::string> differences;
  if (const Node* allowed = expect->find("allowed"); allowed && allowed->kind == NodeKind::Bool &&
                                                     allowed->boolean != result.allowed()) {
    // Say why: what denied the object, or that nothing did.
    std::string why = result.violations.empty() ? "no violation" : "violations " + list_text(check_ids(result.violations));
    for (const Error& e : result.errors) why += "; error: " + e.message;
    differences.push_back(fmt::format("allowed: expected {}, got {} ({})", allowed->boolean, result.allowed(), why));
  }
  for (const auto& [key, actual] : {std::pair{"violations", check_ids(result.violations)},
                                    std::pair{"warnings", check_ids(result.warnings)}}) {
    if (const Node* expected = expect->find(key); expected && strings_of(expected) != actual) {
      differences.push_back(fmt::format("{}: expected {}, got {}", key, list_text(strings_of(expected)), list_text(actual)));
    }
  }
  // `details: {check: text}` for a check that denied once; when several of its rules denied,
  // `details: {check: [text, text]}`, one per violation in rule order.
  if (const Node* details = expect->find("details"); details && details->kind == NodeKind::Map) {
    for (uint32_t i = 0; i < details->size; ++i) {
      const std::string check(details->members[i].key());
      const Node& want = details->members[i].value;
      std::vector<std::string> actual;
      for (const Violation& v : result.violations) {
        if (v.check == check) actual.push_back(v.detail);
      }
      const std::vector<std::string> expected =
          want.kind == NodeKind::List ? strings_of(&want) : std::vector<std::string>{text_of(&want)};
      if (actual != expected) {
        const auto shown = [](const std::vector<std::string>& texts) {
          return texts.empty() ? std::string("(no violation)") : texts.size() == 1 ? texts[0] : list_text(texts);
        };
        differences.push_back(
            fmt::format("detail of {}:\n      expected: {}\n      got:      {}", check, shown(expected), shown(actual)));
      }
    }
  }
  // `exempted: [{check: privileged, by: domino/aws-ebs-csi-driver-node}, ...]`, in order.
  if (const Node* expected = expect->find("exempted")) {
    std::vector<std::string> want, got;
    for (uint32_t i = 0; expected->kind == NodeKind::List && i < expected->size; ++i) {
      const Node& item = expected->items[i];
      want.push_back(fmt::format("{} by {}", text_of(item.find("check")), text_of(item.find("by"))));
    }
    for (const Exemption& e : result.exempted) got.push_back(fmt::format("{} by {}", e.check, e.by));
    if (want != got) differences.push_back(fmt::format("exempted: expected {}, got {}", list_text(want), list_text(got)));
  }
  if (const Node* expected = expect->find("message")) {
    std::string want = text_of(expected);
    while (!want.empty() && want.back() == '\n') want.pop_back();  // YAML block scalars end with one
    if (const std::string got = messages(result); got != want) {
      differences.push_back(fmt::format("message:\n      expected: {}\n      got:      {}", want, got));
    }
  }
  return differences;
}

}  // namespace

TestRun run_test_suite(const std::string& path, const Request& default_request, Options::Backend backend) {
  TestRun run;
  Documents suite_file = Documents::read_file(path);
  run.errors = suite_file.errors();
  if (!run.errors.empty()) return run;
  if (suite_file.size() != 1) {
    run.errors.push_back(document_error(nullptr, path, 0, 0, 0, "a test suite is one YAML document"));
    return run;
  }
  const runtime::Document& suite = suite_file.impl->loaded.documents[0];
  check_keys(suite, suite.root, suite_keys, "a test suite", run.errors);
  const Node* all_cases = suite.root->find("cases");
  check_keys(suite, suite.root->find("request"), request_keys, "a request", run.errors);
  for (uint32_t i = 0; all_cases && all_cases->kind == NodeKind::List && i < all_cases->size; ++i) {
    check_keys(suite, &all_cases->items[i], case_keys, "a case", run.errors);
    check_keys(suite, all_cases->items[i].find("expect"), expect_keys, "a case's expect", run.errors);
    check_keys(suite, all_cases->items[i].find("request"), request_keys, "a request", run.errors);
  }
  if (!run.errors.empty()) return run;
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  const auto relative = [&](const std::string& file) { return (folder / file).lexically_normal().string(); };

  std::vector<std::string> policies;
  for (const std::string& policy : strings_of(suite.root->find("policies"))) policies.push_back(relative(policy));
  const Node* profile = suite.root->find("profile");
  std::vector<std::string> exceptions;
  for (const std::string& file : strings_of(suite.root->find("exceptions"))) exceptions.push_back(relative(file));
  // The policies compiled for each day grants are judged on and each request (the suite's, or
  // a case's own `date` and `request`).
  std::map<std::tuple<std::string, const Node*, const Node*>, Compiled> compilations;
  const auto compiled_for = [&](const std::string& date, const Node* request, const Node* params) -> const Compiled& {
    const auto [it, added] = compilations.try_emplace({date, request, params});
    if (added) {
      Options options;
      options.backend = backend;
      options.profile = profile ? text_of(profile) : "restricted:latest";
      options.today = date;
      options.exceptions = exceptions;
      options.request = default_request;
      if (request) {
        if (const Node* operation = request->find("operation")) options.request.operation = text_of(operation);
        options.request.user = text_of(request->find("user"));
        options.request.groups = strings_of(request->find("groups"));
        options.request.namespace_name = text_of(request->find("namespace"));
      }
      if (params) options.params = documents_of(suite, params);
      const Engine engine(options);
      it->second = policies.empty() || profile ? engine.compile_profile(policies) : engine.compile_files(policies);
      for (const Diagnostic& d : it->second.diagnostics) {
        (d.warning ? run.warnings : run.errors).push_back(Error{d.file, 0, d.line, d.column, d.message, d.rendered});
      }
    }
    return it->second;
  };
  const std::string suite_date = text_of(suite.root->find("date"));
  const Node* suite_request = suite.root->find("request");
  const Node* suite_params = suite.root->find("params");
  if (!compiled_for(suite_date, suite_request, suite_params)) return run;

  const Node* cases = suite.root->find("cases");
  if (!cases || cases->kind != NodeKind::List || cases->size == 0) {
    run.errors.push_back(suite_error(suite, cases ? cases : suite.root, "a test suite needs a list of cases"));
    return run;
  }
  for (uint32_t i = 0; i < cases->size; ++i) {
    const Node* test = &cases->items[i];
    TestCaseResult result{path, text_of(test->find("name")), {}, {}};
    const Node* expect = test->find("expect");
    if (result.name.empty() || !expect || expect->kind != NodeKind::Map) {
      run.errors.push_back(suite_error(suite, test, "a case needs a name and an expect map"));
      continue;
    }
    Documents input;
    uint32_t document = 0;
    if (const Node* object = test->find("object")) {
      input = documents_of(suite, object);
    } else if (const Node* file = test->find("file")) {
      input = Documents::read_file(relative(text_of(file)));
      if (const Node* index = test->find("document"); index && index->kind == NodeKind::Int) {
        document = static_cast<uint32_t>(index->integer);
      }
    } else {
      run.errors.push_back(suite_error(suite, test, "a case needs an object or a file"));
      continue;
    }
    const Node* case_date = test->find("date");
    const Node* case_request = test->find("request");
    const Node* case_params = test->find("params");
    const Compiled& compiled = compiled_for(case_date ? text_of(case_date) : suite_date,
                                            case_request ? case_request : suite_request,
                                            case_params ? case_params : suite_params);
    if (!compiled) return run;
    const Node* mutate = suite.root->find("mutate");
    // As pol check does: the input's Namespace objects set their pods' levels and are their
    // `namespace_object`.
    Admission admission;
    admission.add_namespaces(input);
    const Report report = compiled->evaluate(input, &admission, mutate && mutate->kind == NodeKind::Bool && mutate->boolean);
    const ObjectResult* object = nullptr;
    for (const ObjectResult& r : report.results) {
      if (!object && r.document == document) object = &r;
    }
    for (const Error& e : report.errors) result.differences.push_back("input error: " + e.message);
    if (!object) {
      result.differences.push_back(fmt::format("document {} holds no object with a pod spec", document));
    } else {
      for (std::string& difference : compare(*object, expect)) result.differences.push_back(std::move(difference));
      result.traces = object->traces;
    }
    compare_mutation(*compiled.policy, input, document, expect, result.differences);
    run.cases.push_back(std::move(result));
  }
  return run;
}

}  // namespace pol
