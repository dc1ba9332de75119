// SPDX-License-Identifier: Apache-2.0
// Small helpers shared by the unit tests: compile pol text, read YAML text.
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "lang/checker.hpp"
#include "lang/loader.hpp"
#include "runtime/builtins/registry.hpp"
#include "runtime/document.hpp"
#include "runtime/workload.hpp"

namespace pol::test {

inline std::shared_ptr<const lang::Source> source(std::string text, std::string name = "test.pol") {
  return std::make_shared<const lang::Source>(std::move(name), std::move(text));
}

// Compiles pol text; on failure returns null and leaves the rendered diagnostics in `errors`.
// `optimize`: as lang::check, off to see the checker's own lowering.
inline std::unique_ptr<runtime::Program> compile(const std::string& text, std::string* errors = nullptr,
                                                 bool optimize = true) {
  lang::Diagnostics diagnostics;
  auto modules = lang::load_modules(source(text), lang::file_resolver("", 16 << 20), diagnostics);
  std::unique_ptr<runtime::Program> program;
  if (!diagnostics.has_errors()) program = lang::check(modules, diagnostics, runtime::Value::list({}), nullptr, optimize);
  diagnostics.sort();
  if (errors) *errors = diagnostics.render();
  return program;
}

// Calls a builtin by name, as the interpreter does.
inline runtime::Value call(const char* name, std::vector<runtime::Value> args) {
  const runtime::Builtin* b = runtime::builtins().find(name);
  REQUIRE(b);
  REQUIRE(args.size() == b->params.size());
  return runtime::call_builtin(*b, args.data());
}

// Every pod-bearing document of the PSA fixtures and the corpus (tests/data), with its file:
// the real data evaluators are compared on.
template <class Visit>
size_t for_each_data_pod(Visit&& visit) {
  size_t documents = 0;
  for (const char* folder : {"psa/fixtures", "corpus"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(std::string(POL_SOURCE_DIR "/tests/data/") + folder)) {
      if (entry.path().extension() != ".yaml") continue;
      std::ifstream in(entry.path());
      std::stringstream text;
      text << in.rdbuf();
      const runtime::LoadResult loaded = runtime::read_yaml(source(text.str(), entry.path().string()));
      for (const runtime::Document& document : loaded.documents) {
        if (!runtime::find_pod(document.root)) continue;
        ++documents;
        visit(entry.path().string(), document);
      }
    }
  }
  return documents;
}

// The profiles evaluators are compared at: both levels, the oldest version and two between.
inline constexpr const char* compared_profiles[] = {"restricted", "baseline", "restricted:v1.0", "restricted:v1.22",
                                                    "restricted:v1.30"};

// A pod with something for every edge case the evaluators' tests write policies against.
inline constexpr const char* edge_case_pod = R"(apiVersion: v1
kind: Pod
metadata: {name: p, annotations: {a: b}}
spec:
  hostNetwork: true
  hostname: h
  securityContext: {runAsNonRoot: true}
  initContainers: [{name: i, securityContext: {privileged: true}}]
  containers:
  - name: a
    securityContext: {runAsNonRoot: false, privileged: true}
    livenessProbe: {httpGet: {host: example.com, port: 80}}
  - name: b
    readinessProbe: {tcpSocket: {host: "", port: 80}}
  ephemeralContainers: [{name: e, securityContext: {privileged: false}}]
)";

inline runtime::LoadResult yaml(std::string text) { return runtime::read_yaml(source(std::move(text), "doc.yaml")); }
inline runtime::LoadResult json(std::string text) { return runtime::read_json(source(std::move(text), "doc.json")); }

}  // namespace pol::test
